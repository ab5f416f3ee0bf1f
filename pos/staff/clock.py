"""The time clock: staff clock in and out (on the PIN pad or their own screen), take breaks,
and a manager corrects what the clock got wrong; the hours it adds up feed labour cost.

Every punch carries the client's id: a retry after a lost answer finds the punch it made
and answers with it, so a double tap never clocks someone out again. A punch that makes no
sense (clocking in twice, a break when not in) is refused and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from pos.core.events import record_event
from pos.staff.models import StaffMember, WorkBreak, WorkShift
from pos.staff.operations import owner_of_pin, require_rank
from pos.staff.pins import PinCheck
from pos.venue.models import Venue

LONGEST_SHIFT = timedelta(hours=24)  # a longer one is a forgotten clock-out, not a shift
FUTURE_SLACK = timedelta(minutes=1)  # a device's clock a little ahead of the server's
LONGEST_RANGE_DAYS = 366


class PunchKind(StrEnum):
    CLOCKED_IN = "clocked_in"
    CLOCKED_OUT = "clocked_out"
    BREAK_STARTED = "break_started"
    BREAK_ENDED = "break_ended"


class PadAction(StrEnum):
    """What a PIN typed in the PIN pad's clock mode does: in or out, or a break begun or
    ended, whichever the person's state calls for."""

    IN_OUT = "in_out"
    BREAK = "break"


@dataclass(frozen=True)
class Punch:
    kind: PunchKind
    at: datetime
    staff: StaffMember
    shift: WorkShift


@dataclass(frozen=True)
class BreakTimes:
    started_at: datetime
    ended_at: datetime | None = None


# --- where someone stands ------------------------------------------------------------------

def open_shift(session: Session, staff_id: int) -> WorkShift | None:
    """The shift they are clocked in on now, if any."""
    return session.scalar(select(WorkShift).where(WorkShift.staff_id == staff_id,
                                                  WorkShift.clocked_out_at.is_(None))
                          .order_by(WorkShift.clocked_in_at.desc()).limit(1))


def breaks_of(session: Session, shift_id: int) -> list[WorkBreak]:
    return list(session.scalars(select(WorkBreak).where(WorkBreak.shift_id == shift_id)
                                .order_by(WorkBreak.started_at, WorkBreak.id)))


def open_break(session: Session, shift: WorkShift) -> WorkBreak | None:
    return next((b for b in breaks_of(session, shift.id) if b.ended_at is None), None)


def earlier_punch(session: Session, client_id: str) -> Punch | None:
    """The punch this client id already made, if any (a retry answers with it)."""
    shift = session.scalar(select(WorkShift).where(or_(WorkShift.in_client_id == client_id,
                                                       WorkShift.out_client_id == client_id)))
    if shift is not None:
        member = session.get(StaffMember, shift.staff_id)
        if shift.out_client_id == client_id:
            return Punch(PunchKind.CLOCKED_OUT, shift.clocked_out_at, member, shift)
        return Punch(PunchKind.CLOCKED_IN, shift.clocked_in_at, member, shift)
    pause = session.scalar(select(WorkBreak).where(or_(WorkBreak.start_client_id == client_id,
                                                       WorkBreak.end_client_id == client_id)))
    if pause is None:
        return None
    shift = session.get(WorkShift, pause.shift_id)
    member = session.get(StaffMember, shift.staff_id)
    if pause.end_client_id == client_id:
        return Punch(PunchKind.BREAK_ENDED, pause.ended_at, member, shift)
    return Punch(PunchKind.BREAK_STARTED, pause.started_at, member, shift)


def replayed(session: Session, client_id: str, member: StaffMember,
             kinds: Iterable[PunchKind]) -> Punch | None:
    """The earlier punch of this client id, if it was this person's and of these kinds;
    a client id used for anything else is refused."""
    earlier = earlier_punch(session, client_id)
    if earlier is None:
        return None
    if earlier.staff.id != member.id or earlier.kind not in set(kinds):
        raise Conflict(_("This request id was used for something else."), field="client_id",
                       code="client_id_reused")
    return earlier


def venue_zone(session: Session) -> ZoneInfo:
    venue = session.get(Venue, 1)
    try:
        return ZoneInfo(venue.timezone if venue is not None else "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def local_time(session: Session, moment: datetime) -> str:
    """"19:42" at the venue, for a refusal a person reads."""
    return moment.astimezone(venue_zone(session)).strftime("%H:%M")


# --- punches ---------------------------------------------------------------------------------

def clock_in(session: Session, member: StaffMember, *, client_id: str,
             now: datetime | None = None) -> Punch:
    if (earlier := replayed(session, client_id, member, [PunchKind.CLOCKED_IN])) is not None:
        return earlier
    member = lock_member(session, member)
    current = open_shift(session, member.id)
    if current is not None:
        raise Conflict(_("%(name)s is already clocked in, since %(time)s.", name=member.name,
                         time=local_time(session, current.clocked_in_at)),
                       field="client_id", code="already_clocked_in")
    now = now or utcnow()
    last = last_shift_end(session, member.id)
    if last is not None and last > now:
        raise Conflict(_("%(name)s has a shift that ends later than now; ask a manager to "
                         "correct it.", name=member.name), code="shifts_overlap")
    shift = WorkShift(staff_id=member.id, clocked_in_at=now, in_client_id=client_id)
    session.add(shift)
    session.flush()
    return announce(session, Punch(PunchKind.CLOCKED_IN, now, member, shift))


def clock_out(session: Session, member: StaffMember, *, client_id: str,
              now: datetime | None = None) -> Punch:
    """Ends the shift; a break still running ends with it."""
    if (earlier := replayed(session, client_id, member, [PunchKind.CLOCKED_OUT])) is not None:
        return earlier
    member = lock_member(session, member)
    shift = shift_to_punch(session, member)
    now = max(now or utcnow(), shift.clocked_in_at)
    running = open_break(session, shift)
    if running is not None:
        running.ended_at = max(now, running.started_at)
    shift.clocked_out_at, shift.out_client_id = now, client_id
    session.flush()
    return announce(session, Punch(PunchKind.CLOCKED_OUT, now, member, shift))


def start_break(session: Session, member: StaffMember, *, client_id: str,
                now: datetime | None = None) -> Punch:
    if (earlier := replayed(session, client_id, member,
                            [PunchKind.BREAK_STARTED])) is not None:
        return earlier
    member = lock_member(session, member)
    shift = shift_to_punch(session, member)
    running = open_break(session, shift)
    if running is not None:
        raise Conflict(_("%(name)s is already on a break, since %(time)s.", name=member.name,
                         time=local_time(session, running.started_at)),
                       field="client_id", code="already_on_break")
    now = max(now or utcnow(), shift.clocked_in_at)
    session.add(WorkBreak(shift_id=shift.id, started_at=now, start_client_id=client_id))
    session.flush()
    return announce(session, Punch(PunchKind.BREAK_STARTED, now, member, shift))


def end_break(session: Session, member: StaffMember, *, client_id: str,
              now: datetime | None = None) -> Punch:
    if (earlier := replayed(session, client_id, member, [PunchKind.BREAK_ENDED])) is not None:
        return earlier
    member = lock_member(session, member)
    shift = shift_to_punch(session, member)
    running = open_break(session, shift)
    if running is None:
        raise Conflict(_("%(name)s is not on a break.", name=member.name),
                       field="client_id", code="not_on_break")
    now = max(now or utcnow(), running.started_at)
    running.ended_at, running.end_client_id = now, client_id
    session.flush()
    return announce(session, Punch(PunchKind.BREAK_ENDED, now, member, shift))


def punch_on_pad(session: Session, member: StaffMember, action: PadAction, *,
                 client_id: str, now: datetime | None = None) -> Punch:
    """The PIN pad's clock mode: in if out, out if in; a break begun, or ended if on one."""
    kinds = ([PunchKind.CLOCKED_IN, PunchKind.CLOCKED_OUT] if action is PadAction.IN_OUT
             else [PunchKind.BREAK_STARTED, PunchKind.BREAK_ENDED])
    if (earlier := replayed(session, client_id, member, kinds)) is not None:
        return earlier
    shift = open_shift(session, member.id)
    if action is PadAction.IN_OUT:
        operation = clock_in if shift is None else clock_out
    elif shift is not None and open_break(session, shift) is not None:
        operation = end_break
    else:
        operation = start_break
    return operation(session, member, client_id=client_id, now=now)


def lock_member(session: Session, member: StaffMember) -> StaffMember:
    """One punch of a person at a time: two at once would both find them clocked out."""
    locked = session.get(StaffMember, member.id, with_for_update=True)
    if locked is None or not locked.active:
        raise Forbidden(_("Only active staff clock in and out."), field="staff_id",
                        code="staff_inactive")
    return locked


def shift_to_punch(session: Session, member: StaffMember) -> WorkShift:
    shift = open_shift(session, member.id)
    if shift is None:
        raise Conflict(_("%(name)s is not clocked in.", name=member.name), field="client_id",
                       code="not_clocked_in")
    return shift


def last_shift_end(session: Session, staff_id: int) -> datetime | None:
    return session.scalar(select(WorkShift.clocked_out_at)
                          .where(WorkShift.staff_id == staff_id)
                          .order_by(WorkShift.clocked_out_at.desc()).limit(1))


def announce(session: Session, punch: Punch) -> Punch:
    """The back office's staff screen shows who is in as it changes."""
    record_event(session, "/office", "office", "time_clock", {
        "staff_id": punch.staff.id, "kind": punch.kind.value, "at": punch.at.isoformat(),
        "shift_id": punch.shift.id})
    return punch


# --- a manager's corrections -------------------------------------------------------------------

def shift_facts(session: Session, shift: WorkShift) -> dict:
    """A shift's times as the audit log keeps them (before and after a correction)."""
    return {"clocked_in_at": iso(shift.clocked_in_at),
            "clocked_out_at": iso(shift.clocked_out_at),
            "breaks": [[iso(b.started_at), iso(b.ended_at)]
                       for b in breaks_of(session, shift.id)]}


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def member_to_correct(session: Session, actor: Actor, staff_id: int) -> StaffMember:
    member = session.get(StaffMember, staff_id, with_for_update=True)
    if member is None:
        raise NotFound(_("There is no such staff member."), field="staff_id")
    require_rank(actor, member.role, field="staff_id")
    if member.id == actor.staff_id:
        raise Forbidden(_("Ask another manager to correct your own shifts."),
                        field="staff_id", code="own_shift")
    return member


def correct_shift(session: Session, actor: Actor, shift_id: int, *, clocked_in_at: datetime,
                  clocked_out_at: datetime | None, breaks: Sequence[BreakTimes], reason: str,
                  now: datetime | None = None) -> WorkShift:
    """New times for a shift and its breaks, with the reason; audited with before and after.
    A shift still running may stay open (or be clocked out here, when it was forgotten)."""
    shift = session.get(WorkShift, shift_id, with_for_update=True)
    if shift is None:
        raise NotFound(_("There is no such shift."), field="shift_id")
    member = member_to_correct(session, actor, shift.staff_id)
    if clocked_out_at is None and shift.clocked_out_at is not None:
        raise InvalidInput(_("A finished shift needs its clock-out time."),
                           field="clocked_out_at")
    reason = require_reason(reason)
    check_times(session, member.id, clocked_in_at, clocked_out_at, breaks,
                now=now or utcnow(), other_than=shift.id)
    before = shift_facts(session, shift)
    shift.clocked_in_at, shift.clocked_out_at = clocked_in_at, clocked_out_at
    replace_breaks(session, shift, breaks)
    after = shift_facts(session, shift)
    if after == before:
        return shift
    shift.corrected_by_id, shift.corrected_at = actor.staff_id, now or utcnow()
    shift.correction_reason = reason
    record_audit(session, "clock.corrected", actor=actor, subject=f"work_shift:{shift.id}",
                 staff=member.id, before=before, after=after, reason=reason)
    return shift


def add_missed_shift(session: Session, actor: Actor, staff_id: int, *, client_id: str,
                     clocked_in_at: datetime, clocked_out_at: datetime,
                     breaks: Sequence[BreakTimes], reason: str,
                     now: datetime | None = None) -> WorkShift:
    """A shift someone worked without clocking it; audited with the reason."""
    earlier = session.scalar(select(WorkShift).where(WorkShift.in_client_id == client_id))
    if earlier is not None:
        if earlier.staff_id != staff_id or earlier.added_by_id is None:
            raise Conflict(_("This request id was used for something else."),
                           field="client_id", code="client_id_reused")
        return earlier
    member = member_to_correct(session, actor, staff_id)
    reason = require_reason(reason)
    now = now or utcnow()
    check_times(session, member.id, clocked_in_at, clocked_out_at, breaks, now=now)
    shift = WorkShift(staff_id=member.id, clocked_in_at=clocked_in_at,
                      clocked_out_at=clocked_out_at, in_client_id=client_id,
                      added_by_id=actor.staff_id, corrected_by_id=actor.staff_id,
                      corrected_at=now, correction_reason=reason)
    session.add(shift)
    session.flush()
    replace_breaks(session, shift, breaks)
    record_audit(session, "clock.shift_added", actor=actor, subject=f"work_shift:{shift.id}",
                 staff=member.id, before=None, after=shift_facts(session, shift), reason=reason)
    return shift


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say why the shift is corrected."), field="reason")
    return reason[:200]


def check_times(session: Session, staff_id: int, clocked_in_at: datetime,
                clocked_out_at: datetime | None, breaks: Sequence[BreakTimes], *,
                now: datetime, other_than: int | None = None) -> None:
    """Times that make a shift: in before out, within a day, not ahead of now, breaks inside
    it and apart, and no other shift of the same person overlapping it."""
    latest = now + FUTURE_SLACK
    if clocked_in_at > latest:
        raise InvalidInput(_("A shift cannot begin in the future."), field="clocked_in_at")
    end = clocked_out_at or now
    if clocked_out_at is not None:
        if clocked_out_at <= clocked_in_at:
            raise InvalidInput(_("The clock-out must come after the clock-in."),
                               field="clocked_out_at")
        if clocked_out_at > latest:
            raise InvalidInput(_("A shift cannot end in the future."), field="clocked_out_at")
    if end - clocked_in_at > LONGEST_SHIFT:
        raise InvalidInput(_("A shift is at most 24 hours long."), field="clocked_out_at")
    previous_end = clocked_in_at
    for number, pause in enumerate(breaks):
        where = f"breaks.{number}"
        if pause.started_at < previous_end:
            raise InvalidInput(_("Each break begins inside the shift, after the one before."),
                               field=f"{where}.started_at")
        if pause.ended_at is None:
            if clocked_out_at is not None or number != len(breaks) - 1:
                raise InvalidInput(_("Only the last break of a running shift may be open."),
                                   field=f"{where}.ended_at")
            if pause.started_at > latest:
                raise InvalidInput(_("A break cannot begin in the future."),
                                   field=f"{where}.started_at")
            continue
        if pause.ended_at <= pause.started_at or pause.ended_at > end:
            raise InvalidInput(_("Each break ends after it begins, inside the shift."),
                               field=f"{where}.ended_at")
        previous_end = pause.ended_at
    overlapping = select(WorkShift.id).where(
        WorkShift.staff_id == staff_id,
        or_(WorkShift.clocked_out_at.is_(None), WorkShift.clocked_out_at > clocked_in_at))
    if clocked_out_at is not None:
        overlapping = overlapping.where(WorkShift.clocked_in_at < clocked_out_at)
    if other_than is not None:
        overlapping = overlapping.where(WorkShift.id != other_than)
    if session.scalar(overlapping.limit(1)) is not None:
        raise InvalidInput(_("These times overlap another shift of the same person."),
                           field="clocked_in_at", code="shifts_overlap")


def replace_breaks(session: Session, shift: WorkShift, breaks: Sequence[BreakTimes]) -> None:
    """The shift's breaks become ``breaks``; rows kept in order keep their client ids."""
    rows = breaks_of(session, shift.id)
    for row, times in zip(rows, breaks, strict=False):
        row.started_at, row.ended_at = times.started_at, times.ended_at
    for row in rows[len(breaks):]:
        session.delete(row)
    for times in breaks[len(rows):]:
        session.add(WorkBreak(shift_id=shift.id, started_at=times.started_at,
                              ended_at=times.ended_at))
    session.flush()


# --- what the clock adds up to ------------------------------------------------------------------

@dataclass
class ShiftTimes:
    """One shift as screens and reports read it: its times, breaks and minutes."""

    shift: WorkShift
    breaks: list[WorkBreak]
    worked_seconds: int
    break_seconds: int

    @property
    def paid_seconds(self) -> int:
        return self.worked_seconds - self.break_seconds


@dataclass
class StaffHours:
    """Hours of one staff member over a range of days, in whole minutes: paid time is the
    time worked less breaks. Shifts count on the day they began (a night shift belongs to
    the evening it started), a shift still running up to now."""

    staff_id: int
    name: str
    role: str
    shifts: int = 0
    worked_minutes: int = 0
    break_minutes: int = 0
    paid_minutes: int = 0
    clocked_in: bool = False
    days: dict[date, int] = field(default_factory=dict)  # paid minutes by day


def minutes(seconds: int) -> int:
    return (seconds + 30) // 60


def times_of(shift: WorkShift, breaks: Sequence[WorkBreak], now: datetime) -> ShiftTimes:
    end = shift.clocked_out_at or max(now, shift.clocked_in_at)
    worked = int((end - shift.clocked_in_at).total_seconds())
    paused = sum(int(((b.ended_at or end) - b.started_at).total_seconds()) for b in breaks)
    return ShiftTimes(shift, list(breaks), worked, min(max(paused, 0), worked))


def day_range(session: Session, first: date, last: date) -> tuple[datetime, datetime]:
    """The venue's days ``first`` to ``last`` (inclusive) as a span in UTC."""
    if last < first:
        raise InvalidInput(_("The last day comes before the first."), field="to")
    if (last - first).days >= LONGEST_RANGE_DAYS:
        raise InvalidInput(_("Ask for at most a year at a time."), field="to")
    zone = venue_zone(session)
    start = datetime.combine(first, time(), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
    return start, end


def shifts_between(session: Session, first: date, last: date, *,
                   staff_id: int | None = None, now: datetime | None = None
                   ) -> list[ShiftTimes]:
    """Shifts that began on the venue's days ``first`` to ``last``, oldest first."""
    start, end = day_range(session, first, last)
    query = (select(WorkShift).where(WorkShift.clocked_in_at >= start,
                                     WorkShift.clocked_in_at < end)
             .order_by(WorkShift.clocked_in_at, WorkShift.id))
    if staff_id is not None:
        query = query.where(WorkShift.staff_id == staff_id)
    shifts = list(session.scalars(query))
    breaks: dict[int, list[WorkBreak]] = defaultdict(list)
    if shifts:
        for pause in session.scalars(select(WorkBreak)
                                     .where(WorkBreak.shift_id.in_([s.id for s in shifts]))
                                     .order_by(WorkBreak.started_at, WorkBreak.id)):
            breaks[pause.shift_id].append(pause)
    now = now or utcnow()
    return [times_of(shift, breaks[shift.id], now) for shift in shifts]


def hours_worked(session: Session, first: date, last: date, *, staff_id: int | None = None,
                 now: datetime | None = None) -> list[StaffHours]:
    """Minutes worked, on breaks and paid per staff member over the venue's days ``first``
    to ``last``: what the labour report multiplies by each person's rate. In name order."""
    zone = venue_zone(session)
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_day: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    running: set[int] = set()
    for times in shifts_between(session, first, last, staff_id=staff_id, now=now):
        shift = times.shift
        sums = totals[shift.staff_id]
        sums["shifts"] += 1
        sums["worked"] += times.worked_seconds
        sums["breaks"] += times.break_seconds
        by_day[shift.staff_id][shift.clocked_in_at.astimezone(zone).date()] += \
            times.paid_seconds
        if shift.clocked_out_at is None:
            running.add(shift.staff_id)
    if not totals:
        return []
    people = session.execute(select(StaffMember.id, StaffMember.name, StaffMember.role)
                             .where(StaffMember.id.in_(totals))).all()
    hours = []
    for person_id, name, role in sorted(people, key=lambda p: (p.name.lower(), p.id)):
        sums = totals[person_id]
        worked, paused = minutes(sums["worked"]), minutes(sums["breaks"])
        hours.append(StaffHours(
            staff_id=person_id, name=name, role=role.value, shifts=sums["shifts"],
            worked_minutes=worked, break_minutes=paused, paid_minutes=worked - paused,
            clocked_in=person_id in running,
            days={day: minutes(seconds) for day, seconds in sorted(by_day[person_id].items())}))
    return hours


@dataclass(frozen=True)
class Presence:
    """Someone clocked in now: since when, and since when on a break if on one."""

    staff_id: int
    name: str
    role: str
    shift_id: int
    since: datetime
    on_break_since: datetime | None


def who_is_in(session: Session) -> list[Presence]:
    rows = session.execute(select(WorkShift, StaffMember)
                           .join(StaffMember, StaffMember.id == WorkShift.staff_id)
                           .where(WorkShift.clocked_out_at.is_(None))
                           .order_by(StaffMember.name)).all()
    pauses = {}
    if rows:
        pauses = {b.shift_id: b.started_at for b in session.scalars(
            select(WorkBreak).where(WorkBreak.shift_id.in_([s.id for s, _m in rows]),
                                    WorkBreak.ended_at.is_(None)))}
    return [Presence(member.id, member.name, member.role.value, shift.id,
                     shift.clocked_in_at, pauses.get(shift.id)) for shift, member in rows]


def punch_with_pin(session: Session, *, pin: str, pad: str, check: PinCheck,
                   device_label: str, action: PadAction, client_id: str,
                   now: datetime | None = None) -> Punch | Locked | InvalidInput:
    """The PIN pad's clock mode: whoever's PIN this is is clocked in or out (or on or off a
    break) without signing in. Wrong PINs count against the pad and the address exactly
    as at sign-in (the same streak: switching modes buys no extra guesses), and are
    returned, not raised, so the count and the audit entry are kept."""
    member = owner_of_pin(session, pin=pin, pad=pad, check=check, device_label=device_label,
                          now=now, clock=True)
    if not isinstance(member, StaffMember):
        return member
    return punch_on_pad(session, member, action, client_id=client_id, now=now)
