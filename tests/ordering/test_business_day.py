"""Orders are taken inside an open business day: once the day is closed, opening a
check, adding, quoting and sending are refused (409 ``day_closed``) and nothing is
written; the floor snapshot says so, so a tablet that loads locks too."""

from __future__ import annotations

from sqlalchemy import func, select
from support import STEAK

from pos.ordering.models import Check, OrderLine


def close_day(manager_tablet) -> None:
    assert manager_tablet.client.post("/api/v1/business-day/close", json={}).status_code == 200


def rows(db) -> tuple[int, int]:
    with db.reading() as session:
        return (session.scalar(select(func.count()).select_from(Check)),
                session.scalar(select(func.count()).select_from(OrderLine)))


def refused_as_day_closed(response) -> None:
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == ("day_closed", "business_day")


def test_a_closed_day_refuses_every_order_and_writes_nothing(tablet, manager_tablet, db):
    check = tablet.seat("5")
    assert tablet.client.get("/api/v1/floor").get_json()["business_day"]["open"] is True
    close_day(manager_tablet)
    before = rows(db)

    refused_as_day_closed(tablet.send(check, tablet.line(*STEAK)))
    refused_as_day_closed(tablet.client.post(f"/api/v1/checks/{check['id']}/lines", json={
        "version": check["version"], "lines": [tablet.line(801)]}))
    refused_as_day_closed(tablet.client.post(f"/api/v1/checks/{check['id']}/quote",
                                             json={"lines": [tablet.line(801)]}))
    refused_as_day_closed(tablet.client.post("/api/v1/checks", json={
        "table_id": tablet.tables["6"], "guest_count": 2, "client_id": "closed-day-open-1"}))
    assert rows(db) == before
    assert tablet.client.get("/api/v1/floor").get_json()["business_day"] is None


def test_a_new_day_opens_ordering_again(tablet, manager_tablet):
    check = tablet.seat("5")
    close_day(manager_tablet)
    refused_as_day_closed(tablet.send(check, tablet.line(801)))
    assert manager_tablet.client.post("/api/v1/business-day/open", json={}).status_code == 201
    assert tablet.send(check, tablet.line(801)).status_code == 200
    assert tablet.client.get("/api/v1/floor").get_json()["business_day"]["open"] is True


def test_a_retried_send_from_before_the_close_still_answers(tablet, manager_tablet):
    """The send went through before the close and only its answer was lost: the retry
    gets that answer, not a refusal, so the tablet does not offer to send it again."""
    check = tablet.seat("5")
    first = tablet.send(check, tablet.line(801), client_id="before-close-1")
    close_day(manager_tablet)
    again = tablet.send(check, tablet.line(801), client_id="before-close-1")
    assert again.status_code == 200
    assert again.get_json()["send_id"] == first.get_json()["send_id"]
