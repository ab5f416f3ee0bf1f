"""A kitchen tap carries the screen's client id: repeated (a double tap, a retry after the
Wi-Fi dropped) it answers as the first did and changes nothing, even after a later tap.
Who called a course ready and who picked it up is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kitchen.models import Ticket, TicketStatus
from pos.ordering.models import Check
from pos.staff.models import StaffMember


@pytest.fixture
def cook(app):
    client = app.test_client()
    assert client.post("/api/v1/session", json={"pin": "7777"}).status_code == 200
    return client


def soup_ticket(tablet, db) -> Ticket:
    check = tablet.sent(tablet.seat("5"), tablet.line(102))  # a soup, fired at once
    with db.reading() as session:
        return session.scalars(select(Ticket).where(Ticket.check_id == check["id"])).one()


def status_of(db, ticket_id: int) -> TicketStatus:
    with db.reading() as session:
        return session.get(Ticket, ticket_id).status


def test_a_bump_repeated_after_a_recall_does_not_bump_again(tablet, cook, db):
    ticket = soup_ticket(tablet, db)
    tap = {"client_id": "bump-tap-0001"}
    first = cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/bump", json=tap)
    assert first.status_code == 200 and first.get_json()["status"] == "bumped"
    recalled = cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/recall",
                         json={"client_id": "recall-tap-0001"})
    assert recalled.get_json()["status"] == "fired"
    again = cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/bump", json=tap)
    assert again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
    assert status_of(db, ticket.id) is TicketStatus.FIRED  # the recall stands


def test_a_line_tap_repeated_does_not_undo_a_later_tap(tablet, cook, db):
    ticket = soup_ticket(tablet, db)
    with db.reading() as session:
        line_id = session.get(Ticket, ticket.id).lines[0].line_id
    url = f"/api/v1/kitchen/tickets/{ticket.id}/lines/{line_id}/done"
    assert cook.post(url, json={"done": True, "client_id": "done-tap-0001"}).status_code == 200
    assert cook.post(url, json={"done": False, "client_id": "undo-tap-0001"}).status_code == 200
    replay = cook.post(url, json={"done": True, "client_id": "done-tap-0001"})
    assert replay.headers.get("Idempotent-Replayed") == "true"
    with db.reading() as session:
        assert session.get(Ticket, ticket.id).lines[0].done_at is None


def test_who_called_ready_and_who_picked_up_are_kept(tablet, cook, db):
    ticket = soup_ticket(tablet, db)
    cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/bump", json={})
    call = {"check_id": ticket.check_id, "course_id": ticket.course_id}
    assert cook.post("/api/v1/kitchen/ready", json=call).status_code == 200
    with db.reading() as session:
        assert session.get(Check, ticket.check_id).food_ready_at is not None
    assert tablet.client.post("/api/v1/kitchen/served", json=call).status_code == 200
    with db.reading() as session:
        done = session.get(Ticket, ticket.id)
        names = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())
        assert names[done.ready_by_id] != names[done.served_by_id]
        assert names[done.served_by_id] == "Ana Popescu"
        assert session.get(Check, ticket.check_id).food_ready_at is None
    table = next(t for f in tablet.client.get("/api/v1/floor").get_json()["floors"]
                 for t in f["tables"] if t["name"] == "5")
    assert table["state"] == "ordered"
