"""A void changes the kitchen only where the food is not yet out, and a recall puts a
ticket's lines back to do: the station's screen, its all-day and expo agree with the
database (issue 9, kitchen display)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from kitchen.models import Station, Ticket, TicketLine, TicketStatus
from pos.core.events import Event
from pos.devices.models import Printer, PrinterKind, PrintJob
from pos.ordering.models import Check

MANAGER = "9999"


@pytest.fixture
def cook(app):
    client = app.test_client()
    assert client.post("/api/v1/session", json={"pin": "7777"}).status_code == 200
    return client


def tap(client, path: str, **body):
    response = client.post(f"/api/v1/kitchen/{path}", json={"client_id": str(uuid.uuid4()),
                                                             **body})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def tickets_of(db, check_id: int) -> list[Ticket]:
    with db.reading() as session:
        return list(session.scalars(select(Ticket).where(Ticket.check_id == check_id)
                                    .order_by(Ticket.id)))


def last_event_id(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.max(Event.id))) or 0


def kitchen_events_since(db, event_id: int) -> list[tuple[str, dict]]:
    with db.reading() as session:
        return [(e.name, e.data) for e in session.scalars(select(Event).where(
            Event.namespace == "/kitchen", Event.id > event_id).order_by(Event.id))]


def give_the_grill_a_printer(db) -> None:
    with db.transaction() as session:
        printer = Printer(name="Grill", kind=PrinterKind.NETWORK, address="127.0.0.1:9")
        session.add(printer)
        session.flush()
        session.scalar(select(Station).where(Station.code == "grill")).printer_id = printer.id


def void_jobs(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(PrintJob)
                              .where(PrintJob.kind == "void"))


def soups_made_called_and(tablet, cook, db, *, picked_up: bool) -> tuple[dict, Ticket]:
    """Table 5's two meatball soups and a tripe soup (the grill's starters): bumped, called
    ready by expo, and picked up by the server (or still waiting at the pass)."""
    check = tablet.sent(tablet.seat("5"), tablet.line(102, quantity=2), tablet.line(101))
    [ticket] = tickets_of(db, check["id"])
    tap(cook, f"tickets/{ticket.id}/bump")
    call = {"check_id": check["id"], "course_id": tablet.courses["starters"]}
    tap(cook, "ready", **call)
    if picked_up:
        served = tablet.client.post("/api/v1/kitchen/served", json=call)
        assert served.status_code == 200, served.get_json()
    return tablet.check(check["id"]), tickets_of(db, check["id"])[0]


def void(tablet, check: dict, line_id: int, **body) -> dict:
    response = tablet.post(check, f"lines/{line_id}/void", reason="Guest changed their mind",
                           manager_pin=MANAGER, **body)
    assert response.status_code == 200, response.get_json()
    return tablet.check(check["id"])


def on_expo(cook, check_id: int) -> list[dict]:
    return [t for t in cook.get("/api/v1/kitchen/expo").get_json()["tickets"]
            if t["check_id"] == check_id]


# --- a void after the food is out ----------------------------------------------------------

@pytest.mark.parametrize("quantity", [None, 1], ids=["whole line", "one of two"])
def test_a_void_after_the_pickup_leaves_the_kitchen_alone(tablet, cook, db, quantity):
    give_the_grill_a_printer(db)
    check, ticket = soups_made_called_and(tablet, cook, db, picked_up=True)
    before = last_event_id(db)
    meatball = next(ln for ln in check["lines"]
                    if ln["names"]["en"] == "Sour soup with meatballs")
    void(tablet, check, meatball["id"], **({"quantity": quantity} if quantity else {}))

    # Nothing is told to the kitchen screens: expo would put the course back at the pass.
    assert [name for name, _data in kitchen_events_since(db, before)] == []
    assert void_jobs(db) == 0  # and the grill's printer prints no void slip
    [after] = tickets_of(db, check["id"])
    assert after.status is TicketStatus.BUMPED
    assert (after.ready_at, after.served_at) == (ticket.ready_at, ticket.served_at)
    assert on_expo(cook, check["id"]) == []
    assert tablet.client.get("/api/v1/kitchen/ready").get_json() == []


def test_a_void_of_the_last_line_after_the_pickup_does_not_void_the_ticket(tablet, cook, db):
    check, _ticket = soups_made_called_and(tablet, cook, db, picked_up=True)
    for line in check["lines"]:
        check = void(tablet, check, line["id"])
    [after] = tickets_of(db, check["id"])
    assert after.status is TicketStatus.BUMPED and after.served_at is not None


# --- a void before the food is out -----------------------------------------------------------

def test_a_void_at_the_pass_still_reaches_expo(tablet, cook, db):
    give_the_grill_a_printer(db)
    check, _ticket = soups_made_called_and(tablet, cook, db, picked_up=False)
    before = last_event_id(db)
    tripe = next(ln for ln in check["lines"] if ln["names"]["en"].startswith("Tripe soup"))
    void(tablet, check, tripe["id"])
    events = kitchen_events_since(db, before)
    assert [name for name, _data in events] == ["ticket"]
    [(_name, shown)] = events
    assert [ln["status"] for ln in shown["lines"]] == ["sent", "void"]
    assert shown["status"] == "bumped" and shown["ready_at"] is not None
    assert void_jobs(db) == 1


def test_a_course_voided_whole_at_the_pass_no_longer_waits_for_the_server(tablet, cook, db):
    check, _ticket = soups_made_called_and(tablet, cook, db, picked_up=False)
    assert len(tablet.client.get("/api/v1/kitchen/ready").get_json()) == 1
    for line in check["lines"]:
        check = void(tablet, check, line["id"])
    [after] = tickets_of(db, check["id"])
    assert after.status is TicketStatus.VOID
    assert tablet.client.get("/api/v1/kitchen/ready").get_json() == []
    with db.reading() as session:
        assert session.get(Check, check["id"]).food_ready_at is None  # the table: no food


# --- recall ------------------------------------------------------------------------------------

def test_a_recalled_ticket_has_every_line_to_do_again(tablet, cook, db):
    check = tablet.sent(tablet.seat("5"), tablet.line(102), tablet.line(101))
    [ticket] = tickets_of(db, check["id"])
    first = check["lines"][0]["id"]
    tap(cook, f"tickets/{ticket.id}/lines/{first}/done", done=True)
    tap(cook, f"tickets/{ticket.id}/bump")
    before = last_event_id(db)
    assert tap(cook, f"tickets/{ticket.id}/recall")["status"] == "fired"

    with db.reading() as session:
        done = session.scalars(select(TicketLine.done_at).where(
            TicketLine.ticket_id == ticket.id)).all()
    assert done == [None, None]
    [(name, shown)] = [(n, d) for n, d in kitchen_events_since(db, before) if n == "ticket"]
    assert shown["status"] == "fired"
    assert [ln["done"] for ln in shown["lines"]] == [False, False]  # the grill's card, all-day
    for station in ("grill", "expo"):
        [snapshot] = [t for t in cook.get(f"/api/v1/kitchen/{station}").get_json()["tickets"]
                      if t["id"] == ticket.id]
        assert snapshot["status"] == "fired"
        assert [ln["done"] for ln in snapshot["lines"]] == [False, False]


def test_a_course_recalled_after_it_was_called_is_no_longer_ready(tablet, cook, db):
    check = tablet.sent(tablet.seat("5"), tablet.line(301))  # Caesar: the cold and the grill
    grill, cold = tickets_of(db, check["id"])
    tap(cook, f"tickets/{grill.id}/bump")
    tap(cook, f"tickets/{cold.id}/bump")
    tap(cook, "ready", check_id=check["id"], course_id=tablet.courses["starters"])
    assert len(tablet.client.get("/api/v1/kitchen/ready").get_json()) == 1

    tap(cook, f"tickets/{grill.id}/recall")  # the grill's part is not right: made again
    assert tablet.client.get("/api/v1/kitchen/ready").get_json() == []
    with db.reading() as session:
        assert session.get(Check, check["id"]).food_ready_at is None
        both = {t.id: t for t in session.scalars(select(Ticket).where(
            Ticket.check_id == check["id"]))}
    assert both[grill.id].status is TicketStatus.FIRED
    assert both[cold.id].status is TicketStatus.BUMPED
    assert both[grill.id].ready_at is None and both[cold.id].ready_at is None
    expo = {t["id"]: t for t in on_expo(cook, check["id"])}
    assert expo[grill.id]["status"] == "fired" and expo[cold.id]["ready_at"] is None

    tap(cook, f"tickets/{grill.id}/bump")  # made again: expo calls it again
    tap(cook, "ready", check_id=check["id"], course_id=tablet.courses["starters"])
    assert len(tablet.client.get("/api/v1/kitchen/ready").get_json()) == 1


def test_a_plate_sent_back_after_the_pickup_is_recalled_through_the_pass(tablet, cook, db):
    check, ticket = soups_made_called_and(tablet, cook, db, picked_up=True)
    tap(cook, f"tickets/{ticket.id}/recall")
    [after] = tickets_of(db, check["id"])
    assert after.status is TicketStatus.FIRED
    assert after.ready_at is None and after.served_at is None
    [shown] = on_expo(cook, check["id"])
    assert shown["status"] == "fired" and not any(ln["done"] for ln in shown["lines"])
