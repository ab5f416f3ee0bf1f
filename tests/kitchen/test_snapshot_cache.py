"""A kitchen screen's snapshot is built once and answered again until something in the
screen's rooms changes; what it answers is always what a fresh build would say."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kitchen.models import Station


@pytest.fixture
def cook(app):
    client = app.test_client()
    assert client.post("/api/v1/session", json={"pin": "7777"}).status_code == 200
    return client


def snapshot(cook, station: str) -> bytes:
    response = cook.get(f"/api/v1/kitchen/{station}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_data()


def test_a_reload_with_nothing_new_answers_the_same_snapshot(cook, tablet):
    tablet.sent(tablet.seat("5"), tablet.line(102))  # a soup for the grill
    first = snapshot(cook, "grill")
    assert snapshot(cook, "grill") == first


def test_a_ticket_elsewhere_leaves_the_snapshot_and_one_here_renews_it(cook, tablet):
    check = tablet.sent(tablet.seat("5"), tablet.line(102))
    grill = snapshot(cook, "grill")
    check = tablet.sent(check, tablet.line(801))  # wine: the bar's, not the grill's
    assert snapshot(cook, "grill") == grill
    tablet.sent(check, tablet.line(102))  # another soup
    renewed = cook.get("/api/v1/kitchen/grill").get_json()
    assert len(renewed["tickets"]) == 2


def test_renaming_a_station_renews_its_snapshot(cook, tablet, db):
    tablet.sent(tablet.seat("5"), tablet.line(102))
    before = cook.get("/api/v1/kitchen/grill").get_json()
    with db.transaction() as session:
        grill = session.scalars(select(Station).where(Station.code == "grill")).one()
        grill.names = {"en": "Hot line", "ro": "Linia caldă"}
    after = cook.get("/api/v1/kitchen/grill").get_json()
    assert before["station"]["names"]["en"] == "Grill"
    assert after["station"]["names"]["en"] == "Hot line"
