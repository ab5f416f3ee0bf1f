"""A course on the waiter's check shows where it really is in the kitchen — held, fired,
cooking, ready at the pass, picked up — and Rush and Hold are refused once they no longer
mean anything (a clear 409 naming the course). A cook's tap never makes a waiter's change
stale: the check's version stays, tablets hear a "course" event."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from support import STEAK

from kitchen.models import Ticket
from pos.core.events import Event


@pytest.fixture
def cook(app):
    client = app.test_client()
    assert client.post("/api/v1/session", json={"pin": "7777"}).status_code == 200
    return client


def tap(client, url: str, **body):
    response = client.post(url, json={"client_id": str(uuid.uuid4()), **body})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def course_of(check: dict, course_id: int) -> dict:
    return next(c for c in check["courses"] if c["course_id"] == course_id)


def state_of(tablet, check_id: int, course_id: int) -> str | None:
    return course_of(tablet.check(check_id), course_id)["kitchen_state"]


def course_events(db, check_id: int, course_id: int) -> list[str | None]:
    with db.reading() as session:
        events = session.scalars(select(Event).where(Event.name == "course")
                                 .order_by(Event.id)).all()
    return [e.data["kitchen_state"] for e in events
            if e.data["check_id"] == check_id and e.data["course_id"] == course_id]


def ticket_of(db, check_id: int) -> Ticket:
    with db.reading() as session:
        return session.scalars(select(Ticket).where(Ticket.check_id == check_id)).one()


def refused(tablet, check: dict, course_id: int, action: str) -> dict:
    response = tablet.post(tablet.check(check["id"]), f"courses/{course_id}/{action}")
    assert response.status_code == 409, response.get_json()
    return response.get_json()["error"]


def test_a_course_moves_from_held_to_picked_up_and_rush_and_hold_refuse_when_meaningless(
        tablet, cook, db):
    mains = tablet.courses["mains"]
    check = tablet.seat("5")
    sent = tablet.send(check, tablet.line(*STEAK))
    assert sent.status_code == 200, sent.get_json()
    # The send's answer already says where the course is.
    assert course_of(sent.get_json(), mains)["kitchen_state"] == "held"
    check_id = check["id"]

    fired = tablet.post(tablet.check(check_id), f"courses/{mains}/fire")
    assert fired.status_code == 200, fired.get_json()
    assert course_of(fired.get_json(), mains)["kitchen_state"] == "fired"
    version = fired.get_json()["version"]

    # The grill starts the steak: cooking. Hold means nothing any more; Rush still does.
    ticket = ticket_of(db, check_id)
    with db.reading() as session:
        line_id = session.get(Ticket, ticket.id).lines[0].line_id
    tap(cook, f"/api/v1/kitchen/tickets/{ticket.id}/lines/{line_id}/done", done=True)
    assert state_of(tablet, check_id, mains) == "cooking"
    assert tablet.check(check_id)["version"] == version  # a cook's tap stales no waiter
    error = refused(tablet, check, mains, "recall")
    assert (error["code"], error["field"]) == ("course_started", "course_id")
    rushed = tablet.post(tablet.check(check_id), f"courses/{mains}/rush")
    assert rushed.status_code == 200, rushed.get_json()
    assert course_of(rushed.get_json(), mains)["rushed"] is True

    tap(cook, f"/api/v1/kitchen/tickets/{ticket.id}/bump")
    assert state_of(tablet, check_id, mains) == "cooking"  # done at the grill, not called yet

    tap(cook, "/api/v1/kitchen/ready", check_id=check_id, course_id=mains)
    assert state_of(tablet, check_id, mains) == "ready"
    error = refused(tablet, check, mains, "rush")
    assert (error["code"], error["field"]) == ("course_ready", "course_id")
    assert error["message"]

    served = tablet.client.post("/api/v1/kitchen/served",
                                json={"check_id": check_id, "course_id": mains})
    assert served.status_code == 200, served.get_json()
    assert state_of(tablet, check_id, mains) == "picked_up"
    error = refused(tablet, check, mains, "rush")
    assert (error["code"], error["field"]) == ("course_picked_up", "course_id")
    error = refused(tablet, check, mains, "recall")
    assert (error["code"], error["field"]) == ("course_started", "course_id")

    # Every step was told to the tablets, once, in order.
    assert course_events(db, check_id, mains) == ["held", "fired", "cooking", "ready",
                                                  "picked_up"]


def test_a_course_held_again_before_the_kitchen_starts_shows_held(tablet):
    mains = tablet.courses["mains"]
    check = tablet.sent(tablet.seat("6"), tablet.line(*STEAK))
    fired = tablet.post(check, f"courses/{mains}/fire").get_json()
    assert course_of(fired, mains)["kitchen_state"] == "fired"
    held = tablet.post(fired, f"courses/{mains}/recall")
    assert held.status_code == 200, held.get_json()
    assert course_of(held.get_json(), mains)["kitchen_state"] == "held"


def test_a_second_round_into_a_course_at_the_pass_leaves_it_ready_until_picked_up(
        tablet, cook, db):
    starters = tablet.courses["starters"]
    check = tablet.sent(tablet.seat("7"), tablet.line(102))  # a soup: fires at once
    assert course_of(check, starters)["kitchen_state"] == "fired"
    tap(cook, f"/api/v1/kitchen/tickets/{ticket_of(db, check['id']).id}/bump")
    tap(cook, "/api/v1/kitchen/ready", check_id=check["id"], course_id=starters)
    again = tablet.send(tablet.check(check["id"]), tablet.line(102))
    assert course_of(again.get_json(), starters)["kitchen_state"] == "ready"  # fetch it first
    tablet.client.post("/api/v1/kitchen/served",
                       json={"check_id": check["id"], "course_id": starters})
    assert state_of(tablet, check["id"], starters) == "fired"  # the second soup, not started
