"""The kitchen's work on tickets: mark lines done, bump, recall, reprint, and expo's
"ready" that tells the server to pick up.

A ticket's times are kept for the back office: fired, first line done, bumped, ready.
Bumps and "ready" are idempotent by state: doing it twice changes nothing the second
time, so a retried tap (with its client id) is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kitchen.events import (
    ALERTS_ROOM,
    KITCHEN,
    announce_tickets,
    queue_prints,
    station_room,
    ticket_payloads,
)
from kitchen.models import Ticket, TicketLine, TicketStatus
from kitchen.progress import follow_course
from kitchen.reference import KitchenReference, StationShape, kitchen_reference
from kitchen.schemas import KitchenOut
from pos.core.alerts import Alert
from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.core.events import Event, latest_event_id, pruned_through, record_event
from pos.devices.models import PrintJob
from pos.floor.events import FLOOR
from pos.ordering.models import Check, CheckStatus
from pos.ordering.reference import reference
from pos.ordering.tables import set_food_waiting
from pos.venue.reference import config_version

RECALLABLE = 10  # bumped tickets a screen keeps at hand to recall


@dataclass(frozen=True)
class CachedSnapshot:
    key: tuple[int, int]  # the config version and the last event of the screen's rooms
    last_event: int
    body: bytes


_snapshots: dict[tuple[str, str], CachedSnapshot] = {}


def kitchen_snapshot_json(session: Session, code: str) -> bytes:
    """A station's snapshot as JSON, built once and answered again until something in the
    screen's rooms changes: a screen reloading in a loop (or twenty screens reloading
    after a restart) costs one small query each, and holds no send behind it. The cached
    ``last_event`` stays right: the screen replays every event of its rooms after it."""
    kitchen = kitchen_reference(session)
    station = kitchen.by_code.get(code)
    if station is None:
        raise NotFound(_("There is no such station."), field="station")
    rooms = ([station_room(c) for c in kitchen.by_code] if station.is_expo
             else [station_room(code)]) + ["expo", ALERTS_ROOM]  # calls, printers
    key = (config_version(session), session.scalar(select(func.max(Event.id)).where(
        Event.namespace == KITCHEN, Event.room.in_(rooms))) or 0)
    place = (str(session.get_bind().url), code)
    cached = _snapshots.get(place)
    if cached is None or cached.key != key or cached.last_event < pruned_through(session):
        snapshot = KitchenOut.model_validate(kitchen_snapshot(session, kitchen, station))
        body = snapshot.model_dump_json().encode()
        cached = _snapshots[place] = CachedSnapshot(key, snapshot.last_event, body)
    return cached.body


def kitchen_snapshot(session: Session, kitchen: KitchenReference,
                     station: StationShape) -> dict[str, Any]:
    """What a station's screen loads once: its open tickets, the last bumped ones, and the
    event id it picks up from. Expo sees every station's tickets."""
    last_event = latest_event_id(session)  # first: anything later comes as an event
    stations = list(kitchen.stations) if station.is_expo else [station.id]
    open_tickets = session.scalars(select(Ticket).where(
        Ticket.station_id.in_(stations),
        Ticket.status.in_([TicketStatus.HELD, TicketStatus.FIRED])).order_by(Ticket.id)).all()
    bumped = session.scalars(select(Ticket).where(
        Ticket.station_id.in_(stations), Ticket.status == TicketStatus.BUMPED,
        Ticket.served_at.is_(None)).order_by(Ticket.bumped_at.desc()).limit(
        RECALLABLE * (len(stations) if station.is_expo else 1))).all()
    return {
        "last_event": last_event,
        "station": {"code": station.code, "names": station.names, "is_expo": station.is_expo,
                    "warn_after_seconds": station.warn_after_seconds,
                    "late_after_seconds": station.late_after_seconds},
        "tickets": ticket_payloads(session, list(open_tickets) + list(reversed(bumped))),
        "alerts": [alert.event_data() for alert in session.scalars(
            select(Alert).where(Alert.cleared_at.is_(None)).order_by(Alert.id))],
    }


def ticket_for_change(session: Session, ticket_id: int, actor: Actor) -> Ticket:
    """The ticket, locked; a screen paired to one station reaches only that station's."""
    ticket = session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None or not station_may_touch(session, actor, ticket):
        raise NotFound(_("There is no such ticket."), field="ticket_id")
    return ticket


def station_may_touch(session: Session, actor: Actor, ticket: Ticket) -> bool:
    if actor.station is None:
        return True
    own = kitchen_reference(session).by_code.get(actor.station)
    return own is not None and (own.is_expo or own.id == ticket.station_id)


def mark_line_done(session: Session, actor: Actor, ticket_id: int, line_id: int,
                   done: bool) -> Ticket:
    """Tap a line: made (or not made after all)."""
    ticket = ticket_for_change(session, ticket_id, actor)
    ticket_line = session.scalar(select(TicketLine).where(
        TicketLine.ticket_id == ticket.id, TicketLine.line_id == line_id))
    if ticket_line is None:
        raise NotFound(_("This line is not on the ticket."), field="line_id")
    now = utcnow()
    ticket_line.done_at = now if done else None
    if done and ticket.first_line_done_at is None:
        ticket.first_line_done_at = now
    announce_tickets(session, [ticket])
    follow_course(session, ticket.check_id, ticket.course_id)
    return ticket


def bump_ticket(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    """Done at this station: it leaves the screen. A second bump changes nothing."""
    ticket = ticket_for_change(session, ticket_id, actor)
    if ticket.status is TicketStatus.BUMPED:
        return ticket
    if ticket.status is TicketStatus.HELD:
        raise Conflict(_("This course is held: it is not fired yet."), field="ticket_id",
                       code="ticket_held")
    if ticket.status is TicketStatus.VOID:
        raise Conflict(_("This ticket is void."), field="ticket_id", code="ticket_void")
    now = utcnow()
    ticket.status, ticket.bumped_at = TicketStatus.BUMPED, now
    ticket.first_line_done_at = ticket.first_line_done_at or now
    session.execute(update(TicketLine).where(TicketLine.ticket_id == ticket.id,
                                             TicketLine.done_at.is_(None)).values(done_at=now))
    announce_tickets(session, [ticket])
    announce_if_course_complete(session, ticket)
    follow_course(session, ticket.check_id, ticket.course_id)
    return ticket


def recall_ticket(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    """Bring a bumped ticket back to the screen (bumped by mistake, or the plate came back):
    its lines are all to make again, and its course is no longer ready at the pass (a plate
    sent back after the pickup goes through the pass again)."""
    ticket = ticket_for_change(session, ticket_id, actor)
    if ticket.status is not TicketStatus.BUMPED:
        return ticket
    ticket.status, ticket.bumped_at = TicketStatus.FIRED, None
    ticket.served_at = ticket.served_by_id = ticket.served_by_device_id = None
    session.execute(update(TicketLine).where(TicketLine.ticket_id == ticket.id)
                    .values(done_at=None))
    called_back = call_back_from_the_pass(session, ticket)
    announce_tickets(session, [ticket, *called_back])
    show_food_waiting(session, session.get(Check, ticket.check_id))
    follow_course(session, ticket.check_id, ticket.course_id)
    return ticket


def call_back_from_the_pass(session: Session, ticket: Ticket) -> list[Ticket]:
    """The ticket's course, if called ready and not picked up, is not ready any more: its
    plates wait for the recalled part. Returns the course's other tickets this changed."""
    others = [t for t in course_tickets(session, ticket.check_id, ticket.course_id)
              if t is not ticket and t.ready_at and t.served_at is None]
    for each in (ticket, *others):
        each.ready_at = each.ready_by_id = each.ready_by_device_id = None
    return others


def show_food_waiting(session: Session, check: Check) -> None:
    """The table shows food at the pass while a course called ready waits for its server."""
    session.flush()
    set_food_waiting(session, check, session.scalar(select(func.min(Ticket.ready_at)).where(
        Ticket.check_id == check.id, Ticket.ready_at.is_not(None), Ticket.served_at.is_(None),
        Ticket.status != TicketStatus.VOID)))


def course_tickets(session: Session, check_id: int, course_id: int | None) -> list[Ticket]:
    return list(session.scalars(select(Ticket).where(
        Ticket.check_id == check_id, Ticket.course_id.is_(course_id) if course_id is None
        else Ticket.course_id == course_id, Ticket.status != TicketStatus.VOID)))


def announce_if_course_complete(session: Session, ticket: Ticket) -> None:
    """Every station has bumped its part of this check's course: expo can call it."""
    tickets = course_tickets(session, ticket.check_id, ticket.course_id)
    if all(t.status is TicketStatus.BUMPED for t in tickets):
        record_event(session, "/kitchen", "expo", "course_complete",
                     {"check_id": ticket.check_id, "course_id": ticket.course_id,
                      "tickets": [t.id for t in tickets]})


def call_ready(session: Session, actor: Actor, check_id: int, course_id: int | None) -> dict:
    """Expo: the plates are at the pass. The server's tablet hears "table 5 mains ready"."""
    tickets = course_tickets(session, check_id, course_id)
    if not tickets:
        raise NotFound(_("Nothing of this course was sent."), field="course_id")
    if any(t.status is not TicketStatus.BUMPED for t in tickets):
        raise Conflict(_("Not every station has bumped this course yet."), field="course_id",
                       code="course_not_complete")
    check = session.get(Check, check_id)
    now = utcnow()
    for ticket in tickets:
        if ticket.ready_at is None:
            ticket.ready_at = now
            ticket.ready_by_id, ticket.ready_by_device_id = who(actor)
    notice = ready_notice(reference(session), check, course_id, now)
    record_event(session, FLOOR, f"staff:{check.server_id}", "ready", notice)
    record_event(session, "/kitchen", "expo", "ready", notice)
    set_food_waiting(session, check, check.food_ready_at or now)
    follow_course(session, check_id, course_id, tickets)
    return notice


def who(actor: Actor) -> tuple[int | None, int | None]:
    """The staff member (or the paired screen) that did it."""
    return actor.staff_id, actor.device_id if actor.is_device else None


def ready_notice(ref, check: Check, course_id: int | None, ready_at) -> dict[str, Any]:
    course = ref.courses.get(course_id)
    return {"check_id": check.id, "table_id": check.table_id,
            "table": ref.table_names.get(check.table_id), "check_name": check.name,
            "course": {"id": course.id, "names": course.names} if course else None,
            "ready_at": ready_at.isoformat()}


def waiting_at_the_pass(session: Session, staff_id: int) -> list[dict[str, Any]]:
    """This server's courses called ready and not picked up (a tablet that reloads)."""
    rows = session.execute(
        select(Check, Ticket.course_id, func.min(Ticket.ready_at))
        .join(Ticket, Ticket.check_id == Check.id)
        .where(Check.server_id == staff_id, Check.status == CheckStatus.OPEN,
               Ticket.ready_at.is_not(None), Ticket.served_at.is_(None),
               Ticket.status != TicketStatus.VOID)
        .group_by(Check.id, Ticket.course_id).order_by(func.min(Ticket.ready_at))).all()
    ref = reference(session)
    return [ready_notice(ref, check, course_id, ready_at) for check, course_id, ready_at in rows]


def pick_up(session: Session, actor: Actor, check_id: int, course_id: int | None) -> None:
    """The server took the plates: the course is no longer waiting at the pass."""
    now = utcnow()
    tickets = [t for t in course_tickets(session, check_id, course_id) if t.ready_at]
    if not tickets:
        raise InvalidInput(_("This course was not called ready."), field="course_id")
    for ticket in tickets:
        if ticket.served_at is None:
            ticket.served_at = now
            ticket.served_by_id, ticket.served_by_device_id = who(actor)
    check = session.get(Check, check_id)
    record_event(session, "/kitchen", "expo", "served",
                 {"check_id": check_id, "course_id": course_id})
    show_food_waiting(session, check)
    follow_course(session, check_id, course_id)


def reprint_ticket(session: Session, actor: Actor, ticket_id: int) -> PrintJob | None:
    ticket = ticket_for_change(session, ticket_id, actor)
    jobs = queue_prints(session, [ticket], kind="reprint")
    return jobs[0] if jobs else None
