"""Taking orders: open a check, add and edit lines, send them, fire, recall and rush courses.

Every change is made against the check's version: a change made from a stale view of
the check is refused (409) so two tablets on one check never overwrite each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kitchen.models import Ticket, TicketStatus
from kitchen.routing import make_tickets
from kitchen.tickets import announce_new_tickets, announce_tickets
from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.core.events import record_event
from pos.core.i18n import current_language
from pos.floor.models import DiningTable
from pos.floor.operations import FLOOR, FLOOR_ROOM, announce_tables
from pos.menu.models import Course, MenuItem, Modifier
from pos.menu.operations import announce_availability
from pos.ordering.lines import LineRequest, build_line, read_availability
from pos.ordering.models import (
    Check,
    CheckCourse,
    CheckKind,
    CheckStatus,
    LineStatus,
    OrderLine,
    Send,
)
from pos.ordering.reference import reference


class StaleCheck(Conflict):
    code = "stale_check"

    def __init__(self, check: Check) -> None:
        super().__init__(_("Someone else changed this check. It has been reloaded."),
                         field="version")
        self.current_version = check.version

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["current_version"] = self.current_version
        return body


def check_for_change(session: Session, check_id: int, version: int | None,
                     field: str = "check_id") -> Check:
    """The open check, locked for this transaction, if the caller saw its latest version."""
    check = session.get(Check, check_id, with_for_update=True)
    if check is None:
        raise NotFound(_("There is no such check."), field=field)
    if check.status is not CheckStatus.OPEN:
        raise Conflict(_("This check is closed."), field=field, code="check_closed")
    if version is not None and version != check.version:
        raise StaleCheck(check)
    return check


def changed(session: Session, check: Check, actor: Actor, *,
            tables: set[int | None] = frozenset()) -> None:
    """Bump the version and tell every tablet (and the tables' states)."""
    check.version += 1
    announce_check(session, check, actor, tables)


def announce_check(session: Session, check: Check, actor: Actor,
                   tables: set[int | None] = frozenset()) -> None:
    """Tablets showing this check reload it, and can say who changed it."""
    record_event(session, FLOOR, FLOOR_ROOM, "check",
                 {"id": check.id, "version": check.version, "table_id": check.table_id,
                  "status": check.status.value,
                  "changed_by": {"id": actor.staff_id, "name": actor.name}})
    announce_tables(session, {check.table_id, *tables})


def open_check(session: Session, actor: Actor, *, kind: CheckKind, table_id: int | None,
               name: str | None, guest_count: int, client_id: str | None,
               expect_free: bool = False) -> Check:
    if client_id:
        earlier = session.scalar(select(Check).where(Check.client_id == client_id))
        if earlier is not None:
            return earlier
    if kind is CheckKind.TABLE:
        if table_id is None or session.get(DiningTable, table_id, with_for_update=True) is None:
            raise InvalidInput(_("Choose a table."), field="table_id")
        if expect_free and session.scalar(select(Check.id).where(
                Check.table_id == table_id, Check.status == CheckStatus.OPEN).limit(1)):
            raise Conflict(_("Someone has just seated this table."), field="table_id",
                           code="table_in_use")
        name = None
    else:
        if table_id is not None:
            raise InvalidInput(_("A bar tab or take-away has no table."), field="table_id")
        if not name:
            raise InvalidInput(_("Give the tab a name."), field="name")
    check = Check(kind=kind, table_id=table_id, name=name, guest_count=guest_count,
                  server_id=actor.staff_id or actor.server_id, client_id=client_id,
                  opened_by_device_id=actor.device_id if actor.is_device else None)
    session.add(check)
    if table_id is not None:
        session.execute(update(DiningTable).where(DiningTable.id == table_id)
                        .values(needs_clearing=False))
    session.flush()
    announce_check(session, check, actor)
    return check


def update_check(session: Session, actor: Actor, check_id: int, version: int, *,
                 guest_count: int | None = None, name: str | None = None) -> Check:
    check = check_for_change(session, check_id, version)
    if guest_count is not None:
        check.guest_count = guest_count
    if name is not None:
        if check.kind is CheckKind.TABLE:
            raise InvalidInput(_("A table's check has no name."), field="name")
        check.name = name
    changed(session, check, actor)
    return check


def cancel_check(session: Session, actor: Actor, check_id: int, version: int) -> Check:
    """A check opened by mistake, with nothing sent, goes away and frees its table."""
    check = check_for_change(session, check_id, version)
    if any(line.status is not LineStatus.NEW for line in check.lines):
        raise Conflict(_("Something on this check was sent: void it instead."),
                       field="check_id", code="check_has_sent_lines")
    check.lines.clear()
    check.status, check.closed_at = CheckStatus.CANCELLED, utcnow()
    changed(session, check, actor)
    return check


def add_lines(session: Session, actor: Actor, check_id: int, version: int,
              requests: list[LineRequest]) -> Check:
    """New lines on the check, not yet sent (an API client building an order)."""
    check = check_for_change(session, check_id, version)
    add_new_lines(session, actor, check, requests)
    changed(session, check, actor)
    return check


def add_new_lines(session: Session, actor: Actor, check: Check,
                  requests: list[LineRequest]) -> list[OrderLine]:
    known = {r.client_id for r in requests if r.client_id}
    if known:
        existing = set(session.scalars(select(OrderLine.client_id)
                                       .where(OrderLine.client_id.in_(known))))
        requests = [r for r in requests if r.client_id not in existing]
    if not requests:
        return []
    ref, live = reference(session), read_availability(session, requests)
    lines = [build_line(ref, live, request, check_id=check.id, actor=actor,
                        field_prefix=f"lines.{index}")
             for index, request in enumerate(requests)]
    check.lines.extend(lines)
    return lines


def edit_line(session: Session, actor: Actor, check_id: int, version: int, line_id: int,
              request: LineRequest) -> Check:
    """Change a line that is not sent yet: a new item, choices, seat, course or note."""
    check = check_for_change(session, check_id, version)
    line = new_line_of(check, line_id)
    replacement = build_line(reference(session), read_availability(session, [request]), request,
                             check_id=check.id, actor=actor, field_prefix="line")
    for attribute in ("item_id", "names", "quantity", "seat", "course_id", "note", "allergens",
                      "unit_price", "modifiers_price", "tax_rate_bp"):
        setattr(line, attribute, getattr(replacement, attribute))
    line.modifiers = replacement.modifiers
    changed(session, check, actor)
    return check


def remove_line(session: Session, actor: Actor, check_id: int, version: int,
                line_id: int) -> Check:
    """Before sending, a line is simply taken off."""
    check = check_for_change(session, check_id, version)
    line = new_line_of(check, line_id)
    check.lines.remove(line)
    changed(session, check, actor)
    return check


def new_line_of(check: Check, line_id: int) -> OrderLine:
    line = next((line for line in check.lines if line.id == line_id), None)
    if line is None:
        raise NotFound(_("There is no such line on this check."), field="line_id")
    if line.status is not LineStatus.NEW:
        raise Conflict(_("This line is sent: void it instead."), field="line_id",
                       code="line_sent")
    return line


@dataclass(frozen=True)
class SendResult:
    check: Check
    send: Send
    tickets: list[Ticket]


def send_order(session: Session, actor: Actor, check_id: int, version: int, client_id: str,
               requests: list[LineRequest]) -> SendResult:
    """Send every new line: drinks and fired courses to the stations now, later courses held.

    One transaction writes the lines, the tickets, the 86 counts and the events; the
    send's client id makes a retry (a double tap, a replay after Wi-Fi loss) change
    nothing and answer as the first did.
    """
    check = check_for_change(session, check_id, None)
    # After the lock: a double tap racing on PostgreSQL finds the first tap's send here.
    earlier = session.scalar(select(Send).where(Send.client_id == client_id))
    if earlier is not None:
        tickets = list(session.scalars(select(Ticket).where(Ticket.send_id == earlier.id)))
        return SendResult(session.get(Check, earlier.check_id), earlier, tickets)
    if version != check.version:
        raise StaleCheck(check)
    with session.no_autoflush:
        add_new_lines(session, actor, check, requests)
        lines = [line for line in check.lines if line.status is LineStatus.NEW]
        if not lines:
            raise InvalidInput(_("There is nothing new to send."), field="lines")
        count_down_86(session, lines)
        send = Send(check_id=check.id, client_id=client_id, sent_by_id=actor.staff_id,
                    sent_by_device_id=actor.device_id if actor.is_device else None)
        ref = reference(session)
        fired, rushed = course_states(session, check.id)
        held_courses = {line.course_id for line in lines if line.course_id is not None
                        and line.course_id not in fired} - ref.immediate_courses
        now = utcnow()
        for line in lines:
            line.status = LineStatus.SENT
            line.send = send
            line.held = line.course_id in held_courses
            line.fired_at = None if line.held else now
    session.flush()
    tickets = make_tickets(session, ref, check_id=check.id, send_id=send.id, lines=lines,
                           held_courses=held_courses, rushed_courses=rushed)
    announce_new_tickets(session, tickets, check, lines)
    changed(session, check, actor)
    return SendResult(check, send, list(tickets))


def course_states(session: Session, check_id: int) -> tuple[set[int], set[int]]:
    rows = session.execute(select(CheckCourse.course_id, CheckCourse.fired_at,
                                  CheckCourse.rushed)
                           .where(CheckCourse.check_id == check_id)).all()
    return ({course for course, fired_at, _r in rows if fired_at is not None},
            {course for course, _f, rushed in rows if rushed})


def count_down_86(session: Session, lines: list[OrderLine]) -> None:
    """Take sent portions off the 86 counts, refusing to go below zero."""
    items: Counter[int] = Counter()
    modifiers: Counter[int] = Counter()
    first_line: dict[tuple[str, int], int] = {}  # names the line that runs out
    for index, line in enumerate(lines):
        items[line.item_id] += line.quantity
        first_line.setdefault(("item_id", line.item_id), index)
        for modifier in line.modifiers:
            modifiers[modifier["modifier_id"]] += line.quantity
            first_line.setdefault(("modifier_ids", modifier["modifier_id"]), index)
    def field_of(kind: str) -> Callable[[int], str]:
        return lambda thing_id: f"lines.{first_line[kind, thing_id]}.{kind}"

    count_down(session, MenuItem, items, field_of("item_id"))
    count_down(session, Modifier, modifiers, field_of("modifier_ids"))


def count_down(session: Session, model: type[MenuItem] | type[Modifier], wanted: Counter[int],
               field_of: Callable[[int], str]) -> None:
    if not wanted:
        return
    counted = session.execute(select(model.id, model.count_left, model.available, model.names)
                              .where(model.id.in_(wanted), model.count_left.is_not(None))
                              .with_for_update()).all()
    for thing_id, left, available, names in counted:
        if left < wanted[thing_id]:
            name = names.get(current_language()) or next(iter(names.values()))
            raise Conflict(_("Only %(count)s × %(name)s left.", count=left, name=name),
                           field=field_of(thing_id), code="86")
        session.execute(update(model).where(model.id == thing_id)
                        .values(count_left=left - wanted[thing_id]))
        announce_availability(session, model, thing_id, available, left - wanted[thing_id])


def fire_course(session: Session, actor: Actor, check_id: int, version: int,
                course_id: int) -> Check:
    """"Fire mains": the held tickets of that course go to the stations now."""
    check = check_for_change(session, check_id, version)
    state = course_state(session, check.id, course_id)
    state.fired_at, state.fired_by_id = utcnow(), actor.staff_id
    set_course_held(session, check, course_id, held=False)
    changed(session, check, actor)
    return check


def recall_course(session: Session, actor: Actor, check_id: int, version: int,
                  course_id: int) -> Check:
    """Hold a fired course again, as long as the kitchen has not started or finished it."""
    check = check_for_change(session, check_id, version)
    tickets = course_tickets(session, check.id, course_id)
    if any(t.status is TicketStatus.BUMPED or t.first_line_done_at for t in tickets):
        raise Conflict(_("The kitchen has already started this course."), field="course_id",
                       code="course_started")
    state = course_state(session, check.id, course_id)
    state.fired_at = None
    set_course_held(session, check, course_id, held=True)
    changed(session, check, actor)
    return check


def rush_course(session: Session, actor: Actor, check_id: int, version: int,
                course_id: int) -> Check:
    check = check_for_change(session, check_id, version)
    course_state(session, check.id, course_id).rushed = True
    tickets = [t for t in course_tickets(session, check.id, course_id)
               if t.status in (TicketStatus.HELD, TicketStatus.FIRED)]
    for ticket in tickets:
        ticket.rush = True
    announce_tickets(session, tickets)
    changed(session, check, actor)
    return check


def course_state(session: Session, check_id: int, course_id: int) -> CheckCourse:
    if session.get(Course, course_id) is None:
        raise NotFound(_("There is no such course."), field="course_id")
    state = session.get(CheckCourse, (check_id, course_id))
    if state is None:
        state = CheckCourse(check_id=check_id, course_id=course_id, rushed=False)
        session.add(state)
    return state


def course_tickets(session: Session, check_id: int, course_id: int) -> list[Ticket]:
    return list(session.scalars(select(Ticket).where(Ticket.check_id == check_id,
                                                     Ticket.course_id == course_id)))


def set_course_held(session: Session, check: Check, course_id: int, *, held: bool) -> None:
    now = utcnow()
    for line in check.lines:
        if line.course_id == course_id and line.status is LineStatus.SENT:
            line.held = held
            line.fired_at = None if held else (line.fired_at or now)
    old, new = ((TicketStatus.FIRED, TicketStatus.HELD) if held
                else (TicketStatus.HELD, TicketStatus.FIRED))
    tickets = [t for t in course_tickets(session, check.id, course_id) if t.status is old]
    for ticket in tickets:
        ticket.status = new
        ticket.fired_at = None if held else now
    announce_tickets(session, tickets, print_as=None if held else "ticket")
