"""What a kitchen screen is told about a ticket: everything it shows, in one event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kitchen.models import Station, Ticket, TicketLine
from pos.core.events import record_event
from pos.floor.models import DiningTable
from pos.menu.models import Course
from pos.ordering.models import Check, OrderLine
from pos.staff.models import StaffMember

KITCHEN = "/kitchen"


def station_room(code: str) -> str:
    return f"station:{code}"


def ticket_payloads(session: Session, tickets: list[Ticket]) -> list[dict[str, Any]]:
    if not tickets:
        return []
    check_ids = {t.check_id for t in tickets}
    checks = {c.id: c for c in session.scalars(select(Check).where(Check.id.in_(check_ids)))}
    tables = dict(session.execute(select(DiningTable.id, DiningTable.name).where(
        DiningTable.id.in_({c.table_id for c in checks.values() if c.table_id}))).all())
    servers = dict(session.execute(select(StaffMember.id, StaffMember.name).where(
        StaffMember.id.in_({c.server_id for c in checks.values()}))).all())
    stations = {s.id: s for s in session.scalars(select(Station))}
    courses = {c.id: c for c in session.scalars(select(Course))}
    ticket_lines = session.scalars(
        select(TicketLine).where(TicketLine.ticket_id.in_([t.id for t in tickets]))
        .order_by(TicketLine.id)).all()
    order_lines = {line.id: line for line in session.scalars(
        select(OrderLine).where(OrderLine.id.in_({tl.line_id for tl in ticket_lines}))
        .options(selectinload(OrderLine.modifiers)))}
    lines_of: dict[int, list[TicketLine]] = {}
    for ticket_line in ticket_lines:
        lines_of.setdefault(ticket_line.ticket_id, []).append(ticket_line)
    payloads = []
    for ticket in tickets:
        check = checks[ticket.check_id]
        course = courses.get(ticket.course_id)
        payloads.append({
            "id": ticket.id,
            "check_id": check.id,
            "station": stations[ticket.station_id].code,
            "status": ticket.status.value,
            "rush": ticket.rush,
            "course": {"id": course.id, "code": course.code, "names": course.names,
                       "position": course.position} if course else None,
            "table": tables.get(check.table_id),
            "check_name": check.name,
            "guests": check.guest_count,
            "server": servers.get(check.server_id),
            "created_at": ticket.created_at.isoformat(),
            "fired_at": ticket.fired_at.isoformat() if ticket.fired_at else None,
            "bumped_at": ticket.bumped_at.isoformat() if ticket.bumped_at else None,
            "lines": [line_payload(order_lines[tl.line_id], tl)
                      for tl in lines_of.get(ticket.id, [])],
        })
    return payloads


def line_payload(line: OrderLine, ticket_line: TicketLine) -> dict[str, Any]:
    return {
        "id": ticket_line.id,
        "line_id": line.id,
        "names": line.names,
        "quantity": line.quantity,
        "seat": line.seat,
        "note": line.note,
        "allergens": line.allergens,
        "modifiers": [m.names for m in line.modifiers],
        "status": line.status.value,
        "done": ticket_line.done_at is not None,
    }


def announce_tickets(session: Session, tickets: list[Ticket]) -> None:
    """Each ticket, as it now is, to its station's room (expo screens join every room)."""
    for payload in ticket_payloads(session, tickets):
        record_event(session, KITCHEN, station_room(payload["station"]), "ticket", payload)
