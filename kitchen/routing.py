"""Which station makes what, and the tickets a send becomes.

Routing rules are data (``StationRoute``): an item's own rules win; an item without
any goes where its category goes. An item may go to several stations. The expo
station is not routed to: its screen joins every station's room and sees every ticket.
The rules are read through the cached reference data (``pos.ordering.reference``).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kitchen.models import Ticket, TicketLine, TicketStatus
from pos.core.db import utcnow
from pos.ordering.models import OrderLine
from pos.ordering.reference import Reference


def make_tickets(session: Session, ref: Reference, *, check_id: int, send_id: int,
                 lines: list[OrderLine], held_courses: set[int | None],
                 rushed_courses: set[int | None]) -> dict[Ticket, list[int]]:
    """One ticket per station and course for the lines of one send: ``{ticket: line ids}``."""
    grouped: dict[tuple[int, int | None], list[OrderLine]] = defaultdict(list)
    for line in lines:
        for station_id in ref.items[line.item_id].station_ids:
            grouped[(station_id, line.course_id)].append(line)
    now = utcnow()
    tickets = {}
    for (station_id, course_id), station_lines in grouped.items():
        held = course_id in held_courses
        ticket = Ticket(check_id=check_id, send_id=send_id, station_id=station_id,
                        course_id=course_id, created_at=now,
                        status=TicketStatus.HELD if held else TicketStatus.FIRED,
                        fired_at=None if held else now, rush=course_id in rushed_courses)
        tickets[ticket] = [line.id for line in station_lines]
    session.add_all(tickets)
    session.flush()
    session.execute(insert(TicketLine), [{"ticket_id": ticket.id, "line_id": line_id}
                                         for ticket, line_ids in tickets.items()
                                         for line_id in line_ids])
    return tickets
