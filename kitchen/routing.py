"""Which station makes what, and the tickets a send becomes.

Routing rules are data (``StationRoute``): an item's own rules win; an item without
any goes where its category goes. An item may go to several stations. The expo
station is not routed to: its screen joins every station's room and sees every ticket.
The rules are read through the kitchen's cached reference data (``kitchen.reference``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kitchen.models import Ticket, TicketLine, TicketStatus
from kitchen.reference import KitchenReference
from pos.core.db import utcnow
from pos.ordering.lines import WrittenLine
from pos.ordering.models import OrderLine


@dataclass(eq=False, slots=True)
class WrittenTicket:
    """A ticket as a send wrote it: reads like a ``Ticket`` for its event and print job."""

    id: int
    check_id: int
    send_id: int
    station_id: int
    course_id: int | None
    created_at: datetime
    rush: bool
    status: TicketStatus
    fired_at: datetime | None
    first_line_done_at: datetime | None = None
    bumped_at: datetime | None = None
    ready_at: datetime | None = None


# Plain table inserts: the rows need none of the unit of work's bookkeeping.
TICKETS = insert(Ticket.__table__)
TICKET_LINES = insert(TicketLine.__table__)


def make_tickets(session: Session, kitchen: KitchenReference, *, check_id: int, send_id: int,
                 lines: list[OrderLine | WrittenLine], held_courses: set[int | None],
                 rushed_courses: set[int | None]) -> dict[WrittenTicket, list[int]]:
    """One ticket per station and course for the lines of one send: ``{ticket: line ids}``
    (the tickets as written, not attached to the session)."""
    grouped: dict[tuple[int, int | None], list[OrderLine | WrittenLine]] = defaultdict(list)
    for line in lines:
        for station_id in kitchen.stations_of(line.item_id):
            grouped[(station_id, line.course_id)].append(line)
    if not grouped:
        return {}
    now = utcnow()
    rows = [{"check_id": check_id, "send_id": send_id, "station_id": station_id,
             "course_id": course_id, "created_at": now, "rush": course_id in rushed_courses,
             "status": TicketStatus.HELD if course_id in held_courses else TicketStatus.FIRED,
             "fired_at": None if course_id in held_courses else now}
            for station_id, course_id in grouped]
    # Written as rows, not through the unit of work: one statement, no flush of its own.
    ids = session.scalars(TICKETS.returning(TICKETS.table.c.id, sort_by_parameter_order=True),
                          rows).all()
    tickets = {WrittenTicket(id=ticket_id, **row): [line.id for line in station_lines]
               for ticket_id, row, station_lines in zip(ids, rows, grouped.values(),
                                                         strict=True)}
    session.execute(TICKET_LINES, [{"ticket_id": ticket.id, "line_id": line_id}
                                         for ticket, line_ids in tickets.items()
                                         for line_id in line_ids])
    return tickets
