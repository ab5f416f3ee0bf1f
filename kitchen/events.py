"""What a kitchen screen is told about a ticket: everything it shows, in one event; and
the print jobs a ticket becomes, written in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, TypedDict

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen import printing  # noqa: F401  (the ticket layouts, before a ticket is queued)
from kitchen.models import Station, Ticket, TicketLine, TicketStatus
from kitchen.reference import KitchenReference, kitchen_reference
from pos.core.api import current_db
from pos.core.auth import Actor
from pos.core.errors import InvalidInput
from pos.core.events import record_event
from pos.devices.models import PrintJob
from pos.devices.print_queue import queue_print, show_printer_alerts_in
from pos.ordering.lines import WrittenLine
from pos.ordering.models import Check, OrderLine
from pos.ordering.reference import Reference, reference

KITCHEN = "/kitchen"
ALERTS_ROOM = "alerts"  # every kitchen screen joins it: a printer down, and back

show_printer_alerts_in(KITCHEN, ALERTS_ROOM)


def station_room(code: str) -> str:
    return f"station:{code}"


def kitchen_rooms(actor: Actor, auth: dict) -> list[str]:
    """A station's screen joins its room; expo joins every station's room and its own;
    every kitchen screen joins the alerts room (a printer down shows on every screen,
    and so does its coming back)."""
    code = actor.station or auth.get("station")
    if not isinstance(code, str) or not code or len(code) > 40:
        raise InvalidInput(_("Say which station this screen shows."), field="station")
    with current_db().reading() as session:
        kitchen = kitchen_reference(session)
    station = kitchen.by_code.get(code)
    if station is None:
        raise InvalidInput(_("There is no such station."), field="station")
    if station.is_expo:
        return ["expo", ALERTS_ROOM, *(station_room(other) for other in kitchen.by_code)]
    return [station_room(code), ALERTS_ROOM]


class TicketLineEvent(TypedDict):
    line_id: int
    names: dict[str, str]
    quantity: int
    seat: int | None
    note: str | None
    allergens: list[str]
    modifiers: list[dict[str, str]]
    status: str
    done: bool


class TicketEvent(TypedDict):
    """Everything a kitchen screen (and a printed ticket) shows of a ticket."""

    id: int
    check_id: int
    station: str
    status: str
    rush: bool
    course: dict[str, Any] | None
    table: str | None
    check_name: str | None
    guests: int
    server: str | None
    created_at: str
    fired_at: str | None
    bumped_at: str | None
    ready_at: str | None
    first_line_done_at: str | None
    warn_after_seconds: int
    late_after_seconds: int
    lines: list[TicketLineEvent]


def ticket_payload(ref: Reference, kitchen: KitchenReference, ticket: Ticket, check: Check,
                   lines: list[tuple[OrderLine | WrittenLine, datetime | None]]) -> TicketEvent:
    """``lines``: the ticket's order lines with when each was marked done (or None)."""
    course = ref.courses.get(ticket.course_id)
    station = kitchen.stations[ticket.station_id]
    return {
        "id": ticket.id,
        "check_id": check.id,
        "station": station.code,
        "status": ticket.status.value,
        "rush": ticket.rush,
        "course": {"id": course.id, "code": course.code, "names": course.names,
                   "position": course.position} if course else None,
        "table": ref.table_names.get(check.table_id),
        "check_name": check.name,
        "guests": check.guest_count,
        "server": ref.staff_names.get(check.server_id),
        "created_at": ticket.created_at.isoformat(),
        "fired_at": ticket.fired_at.isoformat() if ticket.fired_at else None,
        "bumped_at": ticket.bumped_at.isoformat() if ticket.bumped_at else None,
        "ready_at": ticket.ready_at.isoformat() if ticket.ready_at else None,
        "first_line_done_at": (ticket.first_line_done_at.isoformat()
                               if ticket.first_line_done_at else None),
        "warn_after_seconds": station.warn_after_seconds,
        "late_after_seconds": station.late_after_seconds,
        "lines": [{
            "line_id": line.id,
            "names": line.names,
            "quantity": line.quantity,
            "seat": line.seat,
            "note": line.note,
            "allergens": line.allergens,
            "modifiers": [m["names"] for m in line.modifiers],
            "status": line.status.value,
            "done": done_at is not None,
        } for line, done_at in lines],
    }


def announce_new_tickets(session: Session, tickets: dict[Ticket, list[int]], check: Check,
                         lines: list[OrderLine | WrittenLine]) -> None:
    """A send's tickets, from what the send holds in memory (no reading back); the fired
    ones go to their station's printer too."""
    ref, kitchen = reference(session), kitchen_reference(session)
    by_id = {line.id: line for line in lines}
    payloads = []
    for ticket, line_ids in tickets.items():
        payload = ticket_payload(ref, kitchen, ticket, check,
                                 [(by_id[i], None) for i in line_ids])
        record_event(session, KITCHEN, station_room(payload["station"]), "ticket", payload)
        payloads.append((ticket, payload))
    queue_printing(session, kitchen, [(t, p) for t, p in payloads
                                      if t.status is TicketStatus.FIRED], "ticket")


def announce_tickets(session: Session, tickets: list[Ticket], *,
                     print_as: str | None = None, **print_details: Any) -> None:
    """Each ticket, as it now is, to its station's room (expo screens join every room);
    with ``print_as`` ("ticket", "void") also to its station's printer."""
    if not tickets:
        return
    payloads = ticket_payloads(session, tickets)
    for payload in payloads:
        record_event(session, KITCHEN, station_room(payload["station"]), "ticket", payload)
    if print_as:
        queue_printing(session, kitchen_reference(session),
                       list(zip(tickets, payloads, strict=True)), print_as, **print_details)


def queue_prints(session: Session, tickets: list[Ticket], kind: str) -> list[PrintJob]:
    """Print these tickets as they now are (a reprint)."""
    return queue_printing(session, kitchen_reference(session),
                          list(zip(tickets, ticket_payloads(session, tickets), strict=True)),
                          kind)


def queue_printing(session: Session, kitchen: KitchenReference,
                   tickets: list[tuple[Ticket, TicketEvent]], kind: str,
                   **details: Any) -> list[PrintJob]:
    """Print jobs in the same transaction as the tickets: the worker prints them later,
    never the request (a printer that is down must not slow a send)."""
    jobs = []
    for ticket, payload in tickets:
        station = kitchen.stations[ticket.station_id]
        if station.printer_id is not None:
            # The station's names: a backup printer heads the ticket with whose it is.
            document = {**payload, **details, "kind": kind, "station_names": station.names}
            jobs.append(queue_print(session, station.printer_id, kind, document,
                                    subject=f"ticket:{ticket.id}"))
    return jobs


def ticket_payloads(session: Session, tickets: list[Ticket]) -> list[TicketEvent]:
    """Payloads of tickets read back from the database (after a fire, void, move, bump)."""
    if not tickets:
        return []
    session.flush()
    ref, kitchen = reference(session), kitchen_reference(session)
    checks = {c.id: c for c in session.scalars(
        select(Check).where(Check.id.in_({t.check_id for t in tickets})))}
    rows = session.execute(
        select(TicketLine.ticket_id, TicketLine.done_at, OrderLine)
        .join(OrderLine, OrderLine.id == TicketLine.line_id)
        .where(TicketLine.ticket_id.in_([t.id for t in tickets]))
        .order_by(TicketLine.id)).all()
    lines_of: dict[int, list[tuple[OrderLine, datetime | None]]] = defaultdict(list)
    for ticket_id, done_at, line in rows:
        lines_of[ticket_id].append((line, done_at))
    return [ticket_payload(ref, kitchen, ticket, checks[ticket.check_id], lines_of[ticket.id])
            for ticket in tickets]


class StationTimingEvent(TypedDict):
    station: str
    warn_after_seconds: int
    late_after_seconds: int


def announce_station_timing(session: Session, station: Station) -> None:
    """New colour times reach the tickets already on screen at once: the station's screens
    and expo (which joins every station's room) recolour them, not only the next ones."""
    payload: StationTimingEvent = {"station": station.code,
                                   "warn_after_seconds": station.warn_after_seconds,
                                   "late_after_seconds": station.late_after_seconds}
    record_event(session, KITCHEN, station_room(station.code), "station_timing", dict(payload))
