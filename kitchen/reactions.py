"""How the kitchen follows what ordering did, in ordering's transaction: a send becomes
tickets, a fired course fires its tickets, a held one holds them (unless the kitchen has
started it), a rush puts them on top, a void strikes a line through (and prints the
void where the ticket was printed) while the food is not out yet, moved lines and merged
checks take their tickets along. Registered with ``pos.ordering.events`` when the app is
made."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen.events import announce_new_tickets, announce_tickets
from kitchen.models import Ticket, TicketLine, TicketStatus
from kitchen.operations import show_food_waiting
from kitchen.progress import follow_course, follow_courses
from kitchen.reference import kitchen_reference
from kitchen.routing import make_tickets
from pos.core.db import utcnow
from pos.core.errors import Conflict
from pos.ordering.events import (
    ChecksMerged,
    CheckTransferred,
    CourseFired,
    CourseHeld,
    CourseRushed,
    Delivery,
    LinesMoved,
    LineSplit,
    LinesSent,
    LineVoided,
    SendRepeated,
    reacting_to,
)
from pos.ordering.models import Check, CourseProgress, LineStatus, OrderLine
from pos.ordering.operations import show_kitchen_state

OPEN = (TicketStatus.HELD, TicketStatus.FIRED)


@reacting_to(LinesSent)
def make_tickets_of_send(session: Session, sent: LinesSent) -> Delivery:
    kitchen = kitchen_reference(session)
    tickets = make_tickets(session, kitchen, check_id=sent.check.id, send_id=sent.send.id,
                           lines=sent.lines, held_courses=set(sent.held_courses),
                           rushed_courses=set(sent.rushed_courses))
    announce_new_tickets(session, tickets, sent.check, sent.lines)
    show_sent_courses(session, sent.check, {ticket.course_id for ticket in tickets},
                      set(sent.held_courses))
    return delivery(kitchen, {ticket.station_id for ticket in tickets}, len(tickets))


def show_sent_courses(session: Session, check: Check, course_ids: set[int | None],
                      held_courses: set[int | None]) -> None:
    """The courses this send reached: held, or fired (a course already cooking or at the
    pass stays so: a second round joins it). Worked out without reading the tickets."""
    shown = {c.course_id: c.kitchen_state for c in check.courses}
    for course_id in sorted(c for c in course_ids if c is not None):
        before = shown.get(course_id)
        state = (CourseProgress.HELD if course_id in held_courses
                 else before if before in (CourseProgress.COOKING, CourseProgress.READY)
                 else CourseProgress.FIRED)
        show_kitchen_state(session, check, course_id, state)


@reacting_to(SendRepeated)
def where_the_send_went(session: Session, repeated: SendRepeated) -> Delivery:
    stations = list(session.scalars(select(Ticket.station_id)
                                    .where(Ticket.send_id == repeated.send.id)))
    return delivery(kitchen_reference(session), set(stations), len(stations))


def delivery(kitchen, station_ids: set[int], tickets: int) -> Delivery:
    return Delivery(tickets=tickets, stations=[
        {"code": station.code, "names": station.names}
        for station in kitchen.stations.values() if station.id in station_ids])


def course_tickets(session: Session, check_id: int, course_id: int) -> list[Ticket]:
    return list(session.scalars(select(Ticket).where(Ticket.check_id == check_id,
                                                     Ticket.course_id == course_id)))


@reacting_to(CourseFired)
def fire_course_tickets(session: Session, fired: CourseFired) -> None:
    now = utcnow()
    tickets = [t for t in course_tickets(session, fired.check.id, fired.course_id)
               if t.status is TicketStatus.HELD]
    for ticket in tickets:
        ticket.status, ticket.fired_at = TicketStatus.FIRED, now
    announce_tickets(session, tickets, print_as="ticket")
    follow_course(session, fired.check.id, fired.course_id)


@reacting_to(CourseHeld)
def hold_course_tickets(session: Session, held: CourseHeld) -> None:
    tickets = course_tickets(session, held.check.id, held.course_id)
    if any(t.status is TicketStatus.BUMPED or t.first_line_done_at for t in tickets):
        raise Conflict(_("The kitchen has already started this course."), field="course_id",
                       code="course_started")
    tickets = [t for t in tickets if t.status is TicketStatus.FIRED]
    for ticket in tickets:
        ticket.status, ticket.fired_at = TicketStatus.HELD, None
    announce_tickets(session, tickets)
    follow_course(session, held.check.id, held.course_id)


@reacting_to(CourseRushed)
def rush_course_tickets(session: Session, rushed: CourseRushed) -> None:
    tickets = [t for t in course_tickets(session, rushed.check.id, rushed.course_id)
               if t.status in OPEN]
    for ticket in tickets:
        ticket.rush = True
    announce_tickets(session, tickets)


@reacting_to(LineSplit)
def split_ticket_line(session: Session, split: LineSplit) -> None:
    """The split-off part stands on the same tickets as the line it came from."""
    for ticket_line in session.scalars(select(TicketLine)
                                       .where(TicketLine.line_id == split.line.id)):
        session.add(TicketLine(ticket_id=ticket_line.ticket_id, line_id=split.part.id,
                               done_at=ticket_line.done_at))


@reacting_to(LineVoided)
def strike_voided_line(session: Session, voided: LineVoided) -> None:
    """The cook sees the line struck through; a printed ticket gets a void slip. Food that
    is already out (picked up from the pass) is not the kitchen's any more: its tickets
    stay as they were, and no screen hears of it (expo would put it back at the pass)."""
    session.flush()
    tickets = list(session.scalars(select(Ticket).join(TicketLine).where(
        TicketLine.line_id == voided.line.id, Ticket.served_at.is_(None)).distinct()))
    was_printed = {t.id for t in tickets if t.fired_at is not None}
    for ticket in tickets:
        statuses = session.scalars(select(OrderLine.status).join(
            TicketLine, TicketLine.line_id == OrderLine.id).where(
            TicketLine.ticket_id == ticket.id)).all()
        if all(status is LineStatus.VOID for status in statuses):
            ticket.status = TicketStatus.VOID
    announce_tickets(session, [t for t in tickets if t.id not in was_printed])
    announce_tickets(session, [t for t in tickets if t.id in was_printed], print_as="void",
                     voided_line_ids=[voided.line.id])
    if any(t.status is TicketStatus.VOID and t.ready_at for t in tickets):
        show_food_waiting(session, voided.check)  # nothing of it waits at the pass now
    follow_courses(session, {(t.check_id, t.course_id) for t in tickets})


@reacting_to(LinesMoved)
def move_tickets_of_lines(session: Session, moved: LinesMoved) -> None:
    """Tickets follow their lines: a whole ticket moves, a mixed one is split in two."""
    affected = []
    tickets = session.scalars(select(Ticket).join(TicketLine).where(
        Ticket.check_id == moved.source.id, TicketLine.line_id.in_(moved.line_ids))
        .distinct()).all()
    for ticket in tickets:
        ticket_lines = session.scalars(select(TicketLine).where(
            TicketLine.ticket_id == ticket.id)).all()
        moving = [tl for tl in ticket_lines if tl.line_id in moved.line_ids]
        if len(moving) == len(ticket_lines):
            ticket.check_id = moved.target.id
            affected.append(ticket)
            continue
        twin = Ticket(check_id=moved.target.id, send_id=ticket.send_id,
                      station_id=ticket.station_id, course_id=ticket.course_id,
                      status=ticket.status, rush=ticket.rush, created_at=ticket.created_at,
                      fired_at=ticket.fired_at, first_line_done_at=ticket.first_line_done_at,
                      bumped_at=ticket.bumped_at)
        session.add(twin)
        session.flush()
        for ticket_line in moving:
            ticket_line.ticket_id = twin.id
        affected += [ticket, twin]
    session.flush()
    announce_tickets(session, [t for t in affected if t.status is not TicketStatus.BUMPED])
    follow_courses(session, {pair for t in affected for pair in (
        (t.check_id, t.course_id), (moved.source.id, t.course_id))})


@reacting_to(ChecksMerged)
def merge_tickets(session: Session, merged: ChecksMerged) -> None:
    tickets = list(session.scalars(select(Ticket).where(Ticket.check_id == merged.source.id)))
    for ticket in tickets:
        ticket.check_id = merged.target.id
    announce_tickets(session, [t for t in tickets if t.status is not TicketStatus.BUMPED])
    follow_courses(session, {(t.check_id, t.course_id) for t in tickets})


@reacting_to(CheckTransferred)
def show_transfer_on_tickets(session: Session, transferred: CheckTransferred) -> None:
    """The open tickets show the check's new table and server."""
    announce_tickets(session, list(session.scalars(select(Ticket).where(
        Ticket.check_id == transferred.check.id, Ticket.status.in_(OPEN)))))
