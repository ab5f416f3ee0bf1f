"""Which station makes what, and the tickets a send becomes.

Routing rules are data (``StationRoute``): an item's own rules win; an item without
any goes where its category goes. An item may go to several stations. The expo
station is not routed to: it sees every ticket of every check.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kitchen.models import Station, StationRoute, Ticket, TicketLine, TicketStatus
from pos.core.db import utcnow
from pos.ordering.models import OrderLine


def stations_for_items(session: Session, items: dict[int, int]) -> dict[int, list[Station]]:
    """``{item_id: category_id}`` → ``{item_id: [stations]}``."""
    rules = session.execute(
        select(StationRoute.item_id, StationRoute.category_id, Station)
        .join(Station, Station.id == StationRoute.station_id)
        .where(Station.is_expo.is_(False),
               or_(StationRoute.item_id.in_(items), StationRoute.category_id.in_(
                   set(items.values()))))
        .order_by(Station.position)).all()
    by_item: dict[int, list[Station]] = defaultdict(list)
    by_category: dict[int, list[Station]] = defaultdict(list)
    for item_id, category_id, station in rules:
        (by_item[item_id] if item_id is not None else by_category[category_id]).append(station)
    return {item_id: by_item.get(item_id) or by_category.get(category_id, [])
            for item_id, category_id in items.items()}


def make_tickets(session: Session, *, check_id: int, send_id: int, lines: list[OrderLine],
                 categories: dict[int, int], held_courses: set[int | None],
                 rushed_courses: set[int | None]) -> list[Ticket]:
    """One ticket per station and course for the lines of one send."""
    stations = stations_for_items(session, {line.item_id: categories[line.item_id]
                                            for line in lines})
    grouped: dict[tuple[int, int | None], list[OrderLine]] = defaultdict(list)
    for line in lines:
        for station in stations[line.item_id]:
            grouped[(station.id, line.course_id)].append(line)
    now = utcnow()
    tickets = []
    for (station_id, course_id), station_lines in grouped.items():
        held = course_id in held_courses
        ticket = Ticket(check_id=check_id, send_id=send_id, station_id=station_id,
                        course_id=course_id, created_at=now,
                        status=TicketStatus.HELD if held else TicketStatus.FIRED,
                        fired_at=None if held else now, rush=course_id in rushed_courses)
        ticket.lines = [TicketLine(line_id=line.id) for line in station_lines]
        tickets.append(ticket)
    session.add_all(tickets)
    return tickets
