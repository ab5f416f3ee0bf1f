"""Taking orders: open a check, add and edit lines, send them, fire, recall and rush courses.

Every change is made against the check's version: a change made from a stale view of
the check is refused (409) so two tablets on one check never overwrite each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.core.db import serialize_on, utcnow
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.floor.models import DiningTable
from pos.menu.models import MenuItem, Modifier
from pos.menu.operations import announce_availability
from pos.ordering.events import (
    CourseFired,
    CourseHeld,
    CourseRushed,
    CourseShown,
    Delivery,
    LinesSent,
    SendRepeated,
    announce_check,
    announce_course,
    tell,
)
from pos.ordering.lines import (
    LineRequest,
    Portions,
    WrittenLine,
    build_line,
    line_values,
    only_left,
    read_availability,
)
from pos.ordering.models import (
    Check,
    CheckCourse,
    CheckKind,
    CheckStatus,
    CourseProgress,
    LineStatus,
    OrderLine,
    Send,
)
from pos.ordering.reference import Reference, reference
from pos.ordering.tables import announce_table_if_changed, mark_table_paid, remember_table_face
from pos.ordering.totals import CheckTotals, check_totals
from pos.venue.operations import day_is_open


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
    remember_table_face(session, check)
    return check


def changed(session: Session, check: Check, actor: Actor, *,
            tables: set[int | None] = frozenset()) -> None:
    """Bump the version and tell every tablet; a table only if what it shows changed."""
    check.version += 1
    announce_check(session, check, actor)
    announce_table_if_changed(session, check, also=tables)


def refuse_when_day_closed(session: Session) -> None:
    """Orders are taken only inside an open business day (after the close, tablets lock)."""
    if not day_is_open(session):
        raise Conflict(_("The business day is closed: open a new day to take orders."),
                       field="business_day", code="day_closed")


def open_check(session: Session, actor: Actor, *, kind: CheckKind, table_id: int | None,
               name: str | None, guest_count: int, client_id: str | None,
               expect_free: bool = False) -> Check:
    """A new check on a table (or a named tab). The check's client id makes a double tap
    or a replay answer with the first tap's check, even when both race."""
    if client_id:
        # Two taps with the same client id racing: the second waits here for the first
        # to commit, then finds its check.
        serialize_on(session, f"check:{client_id}")
    table = None
    if kind is CheckKind.TABLE and table_id is not None:
        table = session.get(DiningTable, table_id, with_for_update=True)
    earlier = first_check_with(session, client_id)
    if earlier is not None:
        return earlier
    refuse_when_day_closed(session)
    if kind is CheckKind.TABLE:
        if table_id is None or table is None:
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
                  opened_by_device_id=actor.device_id if actor.is_device else None,
                  lines=[], courses=[])  # new: nothing to read back
    session.add(check)
    session.flush()
    if table_id is not None:
        session.execute(update(DiningTable).where(DiningTable.id == table_id)
                        .values(needs_clearing=False, paid_at=None))
    announce_check(session, check, actor)
    announce_table_if_changed(session, check)
    return check


CHECK_WITH_CLIENT_ID = select(Check.__table__.c.id).where(
    Check.__table__.c.client_id == bindparam("client_id"))


def first_check_with(session: Session, client_id: str | None) -> Check | None:
    if not client_id:
        return None
    check_id = session.connection().scalar(CHECK_WITH_CLIENT_ID, {"client_id": client_id})
    return session.get(Check, check_id) if check_id is not None else None


def close_paid_check(session: Session, actor: Actor, check: Check) -> None:
    """Every bill of the check is paid: it closes, and its table shows paid."""
    remember_table_face(session, check)
    check.status = CheckStatus.PAID
    check.closed_at = utcnow()
    if check.table_id is not None:
        session.flush()
        mark_table_paid(session, check.table_id, check.closed_at)
    changed(session, check, actor, tables={check.table_id})


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
    refuse_when_day_closed(session)
    add_new_lines(session, actor, check, requests)
    changed(session, check, actor)
    return check


def add_new_lines(session: Session, actor: Actor, check: Check,
                  requests: list[LineRequest]) -> None:
    """The requested lines, built and added to the check (none twice: a line whose client
    id is on a check already came with a send whose answer was lost)."""
    requests = not_on_a_check_yet(session, requests)
    live, ref = read_availability(session, requests), reference(session)
    check.lines.extend(build_line(ref, live, request, check_id=check.id, actor=actor,
                                  field_prefix=f"lines.{index}")
                       for index, request in enumerate(requests))


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
    lines: list[OrderLine | WrittenLine]  # the lines this send sent
    courses: list[CheckCourse]
    totals: CheckTotals  # the whole check's, after the send
    delivery: Delivery


# Built once: a send runs these on every tap, and a statement object keeps its cache key.
SEND_WITH_CLIENT_ID = select(Send).where(Send.client_id == bindparam("client_id"))
# Plain table inserts: the rows need none of the unit of work's bookkeeping.
INSERT_SEND = insert(Send.__table__).returning(Send.__table__.c.id)
INSERT_LINES = insert(OrderLine.__table__).returning(OrderLine.__table__.c.id,
                                                     sort_by_parameter_order=True)


def send_order(session: Session, actor: Actor, check_id: int, version: int, client_id: str,
               requests: list[LineRequest]) -> SendResult:
    """Send every new line: drinks and fired courses to the stations now, later courses held.

    One transaction writes the lines, the 86 counts, what the kitchen makes of them (its
    reaction to ``LinesSent``) and the events; the send's client id makes a retry (a
    double tap, a replay after Wi-Fi loss) change nothing and answer as the first did.
    The send and its lines are written as rows, each kind in one statement.
    """
    check = check_for_change(session, check_id, None)
    # After the lock: a double tap racing on PostgreSQL finds the first tap's send here.
    earlier = session.scalar(SEND_WITH_CLIENT_ID, {"client_id": client_id})
    if earlier is not None:
        return earlier_send(session, earlier)
    if version != check.version:
        raise StaleCheck(check)
    refuse_when_day_closed(session)
    with session.no_autoflush:
        on_check = list(check.lines)
        waiting = [line for line in on_check if line.status is LineStatus.NEW]
        requests = not_on_a_check_yet(session, requests)
        live = read_availability(session, requests)
        ref = reference(session)
        new = [line_values(ref, live, request, check_id=check.id, actor=actor,
                           field_prefix=f"lines.{index}")
               for index, request in enumerate(requests)]
        if not waiting and not new:
            raise InvalidInput(_("There is nothing new to send."), field="lines")
        asked = ([(line.item_id, line.quantity, line.modifiers) for line in waiting]
                 + [(v["item_id"], v["quantity"], v["modifiers"]) for v in new])
        portions = Portions.of((index, item_id, quantity, [m["modifier_id"] for m in chosen])
                               for index, (item_id, quantity, chosen) in enumerate(asked))
        # Nothing waiting: building the lines read every count they touch (none: no query).
        count_down_86(session, portions.counted(live) if not waiting else portions)
        courses = list(check.courses)
        fired = {c.course_id for c in courses if c.fired_at is not None}
        course_ids = [line.course_id for line in waiting] + [v["course_id"] for v in new]
        held_courses = {course_id for course_id in course_ids if course_id is not None
                        and course_id not in fired} - ref.immediate_courses
        now = utcnow()
        row = {"check_id": check.id, "client_id": client_id, "sent_at": now,
               "sent_by_id": actor.staff_id,
               "sent_by_device_id": actor.device_id if actor.is_device else None}
        send = Send(id=session.scalar(INSERT_SEND, row), **row)  # as written, not tracked
        for line in waiting:
            held = line.course_id in held_courses
            line.status, line.send_id, line.held = LineStatus.SENT, send.id, held
            line.fired_at = None if held else now
        for values in new:
            held = values["course_id"] in held_courses
            values.update(status=LineStatus.SENT, send_id=send.id, held=held,
                          fired_at=None if held else now)
        ids = session.scalars(INSERT_LINES, new).all() if new else []
        lines = waiting + [WrittenLine(id=line_id, **values)
                           for line_id, values in zip(ids, new, strict=True)]
        check.first_sent_at = check.first_sent_at or now
        check.version += 1  # written with the events, in the commit's one flush
        deliveries = tell(session, LinesSent(check, send, lines, frozenset(held_courses),
                                             frozenset(c.course_id for c in courses
                                                       if c.rushed)))
    announce_check(session, check, actor)
    announce_table_if_changed(session, check)
    totals = check_totals(check, ref.tax_mode, [*on_check, *lines[len(waiting):]])
    # Read again: the kitchen has said where the courses it got are (held, fired).
    return SendResult(check, send, lines, list(check.courses), totals,
                      merge_deliveries(deliveries))


def not_on_a_check_yet(session: Session, requests: list[LineRequest]) -> list[LineRequest]:
    """A line whose client id is on a check already came with a send whose answer was lost:
    it is not added again."""
    known = {r.client_id for r in requests if r.client_id}
    if not known:
        return requests
    existing = set(session.scalars(select(OrderLine.client_id)
                                   .where(OrderLine.client_id.in_(known))))
    return [r for r in requests if r.client_id not in existing]


def earlier_send(session: Session, send: Send) -> SendResult:
    """A repeated send answers as the first did: its lines, and where they went."""
    check = session.get(Check, send.check_id)
    lines = list(session.scalars(select(OrderLine).where(OrderLine.send_id == send.id)
                                 .order_by(OrderLine.id)))
    return SendResult(check, send, lines,
                      list(check.courses),
                      check_totals(check, reference(session).tax_mode),
                      merge_deliveries(tell(session, SendRepeated(check, send))))


def merge_deliveries(deliveries: list[Delivery]) -> Delivery:
    stations = [station for d in deliveries for station in d.stations]
    return Delivery(tickets=sum(d.tickets for d in deliveries), stations=stations)


def count_down_86(session: Session, portions: Portions) -> None:
    """Take sent portions off the 86 counts, refusing to go below zero."""
    count_down(session, MenuItem, portions.items, lambda i: portions.field("item_id", i))
    count_down(session, Modifier, portions.modifiers,
               lambda m: portions.field("modifier_ids", m))


def count_down(session: Session, model: type[MenuItem] | type[Modifier], wanted: Counter[int],
               field_of: Callable[[int], str]) -> None:
    if not wanted:
        return
    counted = session.execute(select(model.id, model.count_left, model.available, model.names)
                              .where(model.id.in_(wanted), model.count_left.is_not(None))
                              .with_for_update()).all()
    for thing_id, left, available, names in counted:
        if left < wanted[thing_id]:
            raise only_left(names, left, field_of(thing_id), thing_id=thing_id,
                            kind="item" if model is MenuItem else "modifier")
        session.execute(update(model).where(model.id == thing_id)
                        .values(count_left=left - wanted[thing_id]))
        announce_availability(session, model, thing_id, available, left - wanted[thing_id])


def fire_course(session: Session, actor: Actor, check_id: int, version: int,
                course_id: int) -> Check:
    """"Fire mains": the held lines of that course go to the stations now."""
    check = check_for_change(session, check_id, version)
    state = course_state(check, course_id, reference(session))
    state.fired_at, state.fired_by_id = utcnow(), actor.staff_id
    set_course_held(check, course_id, held=False)
    tell(session, CourseFired(check, course_id))
    changed(session, check, actor)
    return check


def recall_course(session: Session, actor: Actor, check_id: int, version: int,
                  course_id: int) -> Check:
    """Hold a fired course again, as long as the kitchen has not started or finished it
    (the kitchen's reaction to ``CourseHeld`` refuses otherwise)."""
    check = check_for_change(session, check_id, version)
    state = course_state(check, course_id, reference(session))
    if state.kitchen_state in STARTED:
        raise Conflict(_("The kitchen has already started this course."), field="course_id",
                       code="course_started")
    tell(session, CourseHeld(check, course_id))
    state.fired_at = None
    set_course_held(check, course_id, held=True)
    changed(session, check, actor)
    return check


def rush_course(session: Session, actor: Actor, check_id: int, version: int,
                course_id: int) -> Check:
    check = check_for_change(session, check_id, version)
    state = course_state(check, course_id, reference(session))
    if state.kitchen_state is CourseProgress.READY:
        raise Conflict(_("This course is ready at the pass: there is nothing to rush."),
                       field="course_id", code="course_ready")
    if state.kitchen_state is CourseProgress.PICKED_UP:
        raise Conflict(_("This course is already at the table: there is nothing to rush."),
                       field="course_id", code="course_picked_up")
    state.rushed = True
    tell(session, CourseRushed(check, course_id))
    changed(session, check, actor)
    return check


# Hold means something only before the kitchen starts (Rush, until the plates are out).
STARTED = (CourseProgress.COOKING, CourseProgress.READY, CourseProgress.PICKED_UP)


def course_state(check: Check, course_id: int, ref: Reference) -> CheckCourse:
    if course_id not in ref.courses:
        raise NotFound(_("There is no such course."), field="course_id")
    state = next((c for c in check.courses if c.course_id == course_id), None)
    if state is None:
        state = CheckCourse(course_id=course_id, rushed=False)
        check.courses.append(state)
    return state


def set_course_held(check: Check, course_id: int, *, held: bool) -> None:
    now = utcnow()
    for line in check.lines:
        if line.course_id == course_id and line.status is LineStatus.SENT:
            line.held = held
            line.fired_at = None if held else (line.fired_at or now)


def show_kitchen_state(session: Session, check: Check, course_id: int | None,
                       kitchen_state: CourseProgress | None) -> None:
    """The kitchen says where a course of the check is (its stations started it, expo called
    it, the server picked it up): the check shows it, and tablets showing the check follow.
    The check's version stays: a waiter's change is never refused because a cook tapped."""
    if course_id is None:
        return  # lines with no course: the tablet shows them as sent
    state = next((c for c in check.courses if c.course_id == course_id), None)
    if state is None:
        if kitchen_state is None:
            return
        state = CheckCourse(course_id=course_id, rushed=False)
        check.courses.append(state)
    if state.kitchen_state == kitchen_state:
        return
    state.kitchen_state, state.kitchen_state_at = kitchen_state, utcnow()
    announce_course(session, CourseShown(
        check_id=check.id, course_id=course_id,
        fired_at=state.fired_at.isoformat() if state.fired_at else None,
        rushed=bool(state.rushed), kitchen_state=kitchen_state.value if kitchen_state else None,
        kitchen_state_at=state.kitchen_state_at.isoformat()))
