"""Order entry and send: lines checked against the menu, held courses, idempotent sends."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from support import STEAK, ScreenClient, Tablet, wait_until

from kitchen.models import Ticket, TicketLine, TicketStatus
from pos.core.events import Event
from pos.ordering.models import OrderLine


def counts(db) -> dict[str, int]:
    with db.reading() as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (OrderLine, Ticket, TicketLine, Event)}


def test_seating_a_table_opens_a_check_and_the_table_shows_seated(tablet):
    check = tablet.seat("5", guests=3)
    assert (check["table"], check["guest_count"], check["server"]) == ("5", 3, "Ana Popescu")
    table = next(t for f in tablet.client.get("/api/v1/floor").get_json()["floors"]
                 for t in f["tables"] if t["name"] == "5")
    assert (table["state"], table["guests"], table["server"]) == ("seated", 3, "Ana Popescu")


def test_a_send_makes_tickets_per_station_and_holds_later_courses(tablet, db):
    check = tablet.seat()
    sent = tablet.sent(check,
                       tablet.line(*STEAK, seat=1, note="no salt please"),
                       tablet.line(801, seat=2),  # a glass of wine: drinks go at once
                       tablet.line(102, seat=3))  # a soup: starters go at once
    lines = {line["names"]["en"][:8]: line for line in sent["lines"]}
    assert all(line["status"] == "sent" for line in sent["lines"])
    assert lines["Rib-eye "]["held"] is True  # mains wait to be fired
    assert lines["Rib-eye "]["note"] == "no salt please"
    assert lines["Rib-eye "]["seat"] == 1
    with db.reading() as session:
        tickets = session.scalars(select(Ticket).order_by(Ticket.id)).all()
        by_station = {(t.station_id, t.status) for t in tickets}
    assert len(tickets) == 3  # grill (held mains), bar (wine), grill (soup, fired)
    assert sum(1 for _s, status in by_station if status is TicketStatus.HELD) == 1


def test_the_price_includes_modifiers_and_the_totals_split_tax_per_rate(tablet):
    check = tablet.seat()
    sent = tablet.sent(check, tablet.line(401, "Medium", "Grilled vegetables",
                                          "Green peppercorn sauce"),
                       tablet.line(801, quantity=2))
    steak = sent["lines"][0]
    assert steak["modifiers_price"] == 600 + 900
    assert steak["total"] == steak["unit_price"] + 1500
    totals = sent["totals"]
    assert totals["total"] == sum(line["total"] for line in sent["lines"])
    assert {t["rate_bp"] for t in totals["tax"]} == {1100, 2100}
    assert sum(t["net"] + t["tax"] for t in totals["tax"]) == totals["total"]


def test_a_forced_question_must_be_answered(tablet, db):
    check = tablet.seat()
    before = counts(db)
    response = tablet.send(check, tablet.line(401, "Medium"))  # no side chosen
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "lines.0.modifier_ids"
    assert response.get_json()["error"]["code"] == "choice_required"
    assert counts(db) == before


def test_too_many_choices_or_a_foreign_one_are_refused(tablet):
    check = tablet.seat()
    two_degrees = tablet.send(check, tablet.line(401, "Rare", "Medium", "French fries"))
    assert two_degrees.status_code == 422
    milk_on_steak = tablet.send(check, tablet.line(401, "Rare", "French fries", "Oat milk"))
    assert milk_on_steak.status_code == 422
    assert milk_on_steak.get_json()["error"]["field"] == "lines.0.modifier_ids"


def test_a_replayed_send_creates_nothing_new(tablet, db):
    check = tablet.seat()
    key = str(uuid.uuid4())
    first = tablet.send(check, tablet.line(*STEAK), tablet.line(801), client_id=key)
    assert first.status_code == 200
    before = counts(db)
    again = tablet.send(check, tablet.line(*STEAK), tablet.line(801), client_id=key)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert counts(db) == before


def test_a_send_retried_without_the_http_key_still_sends_once(tablet, db):
    """The operation itself knows the send's client id (a kiosk that lost the answer)."""
    check = tablet.seat()
    key = str(uuid.uuid4())
    tablet.send(check, tablet.line(801), client_id=key)
    before = counts(db)
    retry = tablet.send(check, tablet.line(801, quantity=1), client_id=key, version=99)
    assert retry.status_code in (200, 409)
    assert counts(db) == before


def test_there_must_be_something_to_send(tablet):
    check = tablet.seat()
    response = tablet.send(check)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "lines"


def test_bad_lines_name_the_field(tablet, db):
    check = tablet.seat()
    before = counts(db)
    for line, field in (({"item_id": 99999}, "lines.0.item_id"),
                        ({"item_id": 1, "quantity": 0}, "lines.0.quantity"),
                        ({"item_id": 1, "quantity": 1.5}, "lines.0.quantity"),
                        ({"item_id": 1, "note": "x" * 201}, "lines.0.note"),
                        ({"item_id": 1, "colour": "red"}, "lines.0.colour")):
        response = tablet.send(check, line)
        assert response.status_code == 422, line
        assert response.get_json()["error"]["field"] == field
    assert counts(db) == before


def test_firing_a_course_sends_its_held_tickets(tablet, db):
    check = tablet.seat()
    sent = tablet.sent(check, tablet.line(*STEAK))
    fired = tablet.post(sent, f"courses/{tablet.courses['mains']}/fire")
    assert fired.status_code == 200
    assert fired.get_json()["lines"][0]["held"] is False
    with db.reading() as session:
        assert session.scalar(select(Ticket.status)) is TicketStatus.FIRED
    # Mains already fired: more mains go to the kitchen at once.
    more = tablet.sent(fired.get_json(), tablet.line(*STEAK))
    assert more["lines"][1]["held"] is False


def test_recall_holds_a_course_again_and_rush_marks_it(tablet, db):
    check = tablet.seat()
    sent = tablet.sent(check, tablet.line(*STEAK))
    mains = tablet.courses["mains"]
    fired = tablet.post(sent, f"courses/{mains}/fire").get_json()
    recalled = tablet.post(fired, f"courses/{mains}/recall").get_json()
    assert recalled["lines"][0]["held"] is True
    rushed = tablet.post(recalled, f"courses/{mains}/rush").get_json()
    assert rushed["courses"][0]["rushed"] is True
    with db.reading() as session:
        ticket = session.scalar(select(Ticket))
    assert ticket.status is TicketStatus.HELD and ticket.rush


def test_a_bar_tab_and_a_take_away_have_names_not_tables(tablet):
    for kind in ("bar_tab", "take_away"):
        response = tablet.client.post("/api/v1/checks", json={"kind": kind, "name": "Radu"})
        assert response.status_code == 201
        assert response.get_json()["table_id"] is None
    nameless = tablet.client.post("/api/v1/checks", json={"kind": "bar_tab"})
    assert nameless.status_code == 422
    assert nameless.get_json()["error"]["field"] == "name"


def test_opening_a_check_twice_with_one_client_id_opens_one(tablet):
    body = {"table_id": tablet.tables["7"], "guest_count": 2, "client_id": "seat-7-once"}
    first = tablet.client.post("/api/v1/checks", json=body)
    second = tablet.client.post("/api/v1/checks", json=body)
    assert first.get_json()["id"] == second.get_json()["id"]
    assert len(tablet.client.get(f"/api/v1/checks?table_id={tablet.tables['7']}")
               .get_json()) == 1


def test_lines_added_before_sending_can_be_edited_and_removed(tablet):
    check = tablet.seat()
    response = tablet.client.post(f"/api/v1/checks/{check['id']}/lines", json={
        "version": check["version"], "lines": [tablet.line(801), tablet.line(*STEAK)]})
    assert response.status_code == 201
    check = response.get_json()
    wine, steak = check["lines"]
    edited = tablet.client.patch(f"/api/v1/checks/{check['id']}/lines/{steak['id']}", json={
        "version": check["version"], **tablet.line(401, "Well done", "Polenta", seat=2)})
    assert edited.status_code == 200
    check = edited.get_json()
    assert check["lines"][1]["seat"] == 2
    removed = tablet.post(check, f"lines/{wine['id']}/void")
    assert removed.status_code == 200
    assert [line["item_id"] for line in removed.get_json()["lines"]] == [steak["item_id"]]
    sent = tablet.sent(removed.get_json())
    assert sent["lines"][0]["status"] == "sent"


def test_two_waiters_seating_one_table_at_once(tablet, other_tablet):
    body = {"table_id": tablet.tables["8"], "guest_count": 2, "expect_free": True}
    first = tablet.client.post("/api/v1/checks", json=body)
    second = other_tablet.client.post("/api/v1/checks", json=body)
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.get_json()["error"]["code"] == "table_in_use"
    # Without expect_free a second check on the table is simply opened (split parties).
    third = other_tablet.client.post("/api/v1/checks", json={**body, "expect_free": False})
    assert third.status_code == 201


def test_a_check_opened_by_mistake_is_cancelled_and_frees_the_table(tablet):
    check = tablet.seat("9")
    cancelled = tablet.post(check, "cancel")
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    states = {t["name"]: t["state"] for f in tablet.client.get("/api/v1/floor").get_json()[
        "floors"] for t in f["tables"]}
    assert states["9"] == "free"
    sent = tablet.sent(tablet.seat("9"), tablet.line(801))
    refused = tablet.post(sent, "cancel")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "check_has_sent_lines"


def test_the_line_that_runs_out_is_named(tablet, manager_tablet):
    manager_tablet.client.post(f"/api/v1/menu/items/{tablet.items[801]['id']}/availability",
                               json={"available": True, "count_left": 1})
    response = tablet.send(tablet.seat(), tablet.line(802), tablet.line(801, quantity=2))
    assert response.status_code == 409
    assert response.get_json()["error"]["field"] == "lines.1.item_id"


def test_other_tablets_learn_who_changed_a_check(live_server):
    floor = ScreenClient(live_server.url, "/floor",
                         cookie=live_server.session_cookie("waiter")).connect(last_event=0)
    mihai = Tablet(live_server.app.test_client(), "2222")
    mihai.seat("4")
    wait_until(lambda: floor.ids("check"))
    changed = [data for name, _id, data in floor.events if name == "check"][-1]
    assert changed["changed_by"]["name"] == "Mihai Ionescu"
    floor.close()


def test_servers_to_hand_a_check_over_to(tablet):
    servers = tablet.client.get("/api/v1/servers").get_json()
    names = {server["name"] for server in servers}
    assert {"Ana Popescu", "Mihai Ionescu", "John Miller", "Ioana Dumitru"} <= names
    assert "Cristi Marin" not in names  # the cook takes no orders
