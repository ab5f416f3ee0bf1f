"""Where a check's course is in the kitchen, from its tickets: held, fired, cooking, ready
at the pass, picked up. The kitchen works it out after each change to a course's tickets
and tells ordering, which shows it on the check (and so on the waiter's tablet)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen.models import Ticket, TicketStatus
from pos.ordering.models import Check, CourseProgress
from pos.ordering.operations import show_kitchen_state


def course_progress(tickets: Iterable[Ticket]) -> CourseProgress | None:
    """The state of a course made of these tickets (all of one check and course). Plates at
    the pass come first: the waiter must fetch them, even while a later round cooks."""
    made = [t for t in tickets if t.status is not TicketStatus.VOID]
    if not made:
        return None
    waiting = [t for t in made if t.served_at is None]
    if not waiting:
        return CourseProgress.PICKED_UP
    if any(t.ready_at for t in waiting):
        return CourseProgress.READY
    if all(t.status is TicketStatus.HELD for t in waiting):
        return CourseProgress.HELD
    if any(t.status is TicketStatus.BUMPED or t.first_line_done_at for t in waiting):
        return CourseProgress.COOKING
    return CourseProgress.FIRED


def follow_course(session: Session, check_id: int, course_id: int | None,
                  tickets: Iterable[Ticket] | None = None) -> None:
    """Tell the check where this course is now (``tickets``: all of the course's, if the
    caller has them at hand)."""
    if course_id is None:
        return
    if tickets is None:
        tickets = session.scalars(select(Ticket).where(Ticket.check_id == check_id,
                                                       Ticket.course_id == course_id))
    check = session.get(Check, check_id)
    if check is not None:
        show_kitchen_state(session, check, course_id, course_progress(tickets))


def follow_courses(session: Session, courses: Iterable[tuple[int, int | None]]) -> None:
    """Each of these (check, course) pairs."""
    for check_id, course_id in sorted({c for c in courses if c[1] is not None}):
        follow_course(session, check_id, course_id)
