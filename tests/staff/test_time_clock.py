"""The time clock: staff clock in and out (on their own screen or on the PIN pad), take
breaks, and a manager corrects what went wrong; hours add up to paid minutes for labour
cost. Every refusal writes nothing, and every retry with the same client id is a replay."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from factories import make_device, make_staff, pin_pad, signed_in
from sqlalchemy import func, select

from pos.core.audit import AuditEntry
from pos.core.auth import Role
from pos.core.db import utcnow
from pos.demo import DEMO_TIMEZONE
from pos.staff import clock
from pos.staff.models import StaffMember, WorkBreak, WorkShift

VENUE = ZoneInfo(DEMO_TIMEZONE)


def cid() -> str:
    return str(uuid.uuid4())


def at_venue(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VENUE)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def counts(db) -> tuple[int, int]:
    """(shifts, breaks) on the clock."""
    with db.reading() as session:
        return (session.scalar(select(func.count()).select_from(WorkShift)),
                session.scalar(select(func.count()).select_from(WorkBreak)))


def audit(db, action: str) -> list[AuditEntry]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)))


@pytest.fixture
def waiter(db):
    return make_staff(db, Role.WAITER, name="Dana Waiter")


@pytest.fixture
def manager(app, db):
    return signed_in(app, make_staff(db, Role.MANAGER))


def last_week() -> date:
    return datetime.now(VENUE).date() - timedelta(days=7)


def add_shift(manager, person, start: datetime, end: datetime, breaks=(), **extra):
    return manager.post("/api/v1/time-clock/shifts", json={
        "client_id": cid(), "staff_id": person.id, "clocked_in_at": iso(start),
        "clocked_out_at": iso(end), "reason": "Forgot to clock", **extra,
        "breaks": [{"started_at": iso(a), "ended_at": iso(b)} for a, b in breaks]})


# --- punches on one's own screen -----------------------------------------------------------

def test_a_day_on_the_clock_in_break_out(app, db, waiter):
    me = signed_in(app, waiter)
    clocked_in = me.post("/api/v1/time-clock/me/clock-in", json={"client_id": cid()})
    assert clocked_in.status_code == 200, clocked_in.get_json()
    assert clocked_in.get_json()["kind"] == "clocked_in"
    assert clocked_in.get_json()["staff"]["name"] == "Dana Waiter"
    assert me.get("/api/v1/time-clock/me").get_json()["clocked_in_since"] is not None

    assert me.post("/api/v1/time-clock/me/break-start",
                   json={"client_id": cid()}).get_json()["kind"] == "break_started"
    assert me.get("/api/v1/time-clock/me").get_json()["on_break_since"] is not None
    assert me.post("/api/v1/time-clock/me/break-end",
                   json={"client_id": cid()}).get_json()["kind"] == "break_ended"
    out = me.post("/api/v1/time-clock/me/clock-out", json={"client_id": cid()}).get_json()
    assert out["kind"] == "clocked_out"
    assert out["shift"]["clocked_out_at"] is not None
    assert len(out["shift"]["breaks"]) == 1
    assert me.get("/api/v1/time-clock/me").get_json() == {"clocked_in_since": None,
                                                          "on_break_since": None}


def test_a_retried_punch_is_the_same_punch(app, db, waiter):
    me = signed_in(app, waiter)
    punch = {"client_id": cid()}
    first = me.post("/api/v1/time-clock/me/clock-in", json=punch)
    again = me.post("/api/v1/time-clock/me/clock-in", json=punch)
    assert again.status_code == 200
    assert again.get_json()["shift"]["id"] == first.get_json()["shift"]["id"]
    assert counts(db) == (1, 0)


@pytest.mark.parametrize(("path", "code"), [
    ("clock-out", "not_clocked_in"),
    ("break-start", "not_clocked_in"),
    ("break-end", "not_clocked_in"),
])
def test_a_punch_when_not_clocked_in_is_refused(app, db, waiter, path, code):
    answer = signed_in(app, waiter).post(f"/api/v1/time-clock/me/{path}",
                                         json={"client_id": cid()})
    assert answer.status_code == 409
    assert answer.get_json()["error"]["code"] == code
    assert counts(db) == (0, 0)


def test_clocking_in_twice_a_break_twice_or_ending_none_is_refused(app, db, waiter):
    me = signed_in(app, waiter)
    me.post("/api/v1/time-clock/me/clock-in", json={"client_id": cid()})
    twice = me.post("/api/v1/time-clock/me/clock-in", json={"client_id": cid()})
    assert (twice.status_code, twice.get_json()["error"]["code"]) == (409, "already_clocked_in")
    assert "Dana Waiter" in twice.get_json()["error"]["message"]
    no_break = me.post("/api/v1/time-clock/me/break-end", json={"client_id": cid()})
    assert no_break.get_json()["error"]["code"] == "not_on_break"
    me.post("/api/v1/time-clock/me/break-start", json={"client_id": cid()})
    again = me.post("/api/v1/time-clock/me/break-start", json={"client_id": cid()})
    assert again.get_json()["error"]["code"] == "already_on_break"
    assert counts(db) == (1, 1)


def test_clocking_out_on_a_break_ends_the_break(app, db, waiter):
    me = signed_in(app, waiter)
    for path in ("clock-in", "break-start", "clock-out"):
        answer = me.post(f"/api/v1/time-clock/me/{path}", json={"client_id": cid()})
        assert answer.status_code == 200
    with db.reading() as session:
        shift = session.scalar(select(WorkShift))
        [pause] = session.scalars(select(WorkBreak))
    assert pause.ended_at == shift.clocked_out_at


def test_a_client_id_used_for_another_punch_is_refused(app, db, waiter):
    me = signed_in(app, waiter)
    used = cid()
    me.post("/api/v1/time-clock/me/clock-in", json={"client_id": used})
    answer = me.post("/api/v1/time-clock/me/break-start", json={"client_id": used})
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (409, "client_id_reused")
    assert counts(db) == (1, 0)


def test_a_screen_on_the_wall_does_not_clock_in(app, db):
    screen = make_device(db, Role.WAITER)
    answer = app.test_client().post("/api/v1/time-clock/me/clock-in", json={"client_id": cid()},
                                    headers=screen.bearer)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (409, "not_a_person")
    assert counts(db) == (0, 0)


def test_a_punch_needs_a_client_id(app, db, waiter):
    answer = signed_in(app, waiter).post("/api/v1/time-clock/me/clock-in", json={})
    assert (answer.status_code, answer.get_json()["error"]["field"]) == (422, "client_id")


# --- the PIN pad's clock mode -------------------------------------------------------------------

def test_the_pin_pad_clocks_in_and_out_without_signing_in(app, db, waiter):
    pad = pin_pad(app)
    first = pad.post("/api/v1/time-clock/punch", json={"pin": waiter.pin, "client_id": cid()})
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["kind"] == "clocked_in"
    assert pad.get("/api/v1/session/state").get_json()["signed_in"] is False
    on_break = pad.post("/api/v1/time-clock/punch", json={"pin": waiter.pin, "action": "break",
                                                          "client_id": cid()})
    assert on_break.get_json()["kind"] == "break_started"
    back = pad.post("/api/v1/time-clock/punch", json={"pin": waiter.pin, "action": "break",
                                                      "client_id": cid()})
    assert back.get_json()["kind"] == "break_ended"
    out = pad.post("/api/v1/time-clock/punch", json={"pin": waiter.pin, "client_id": cid()})
    assert out.get_json()["kind"] == "clocked_out"
    assert counts(db) == (1, 1)


def test_the_pin_pad_replays_a_retried_punch_instead_of_clocking_out(app, db, waiter):
    pad = pin_pad(app)
    punch = {"pin": waiter.pin, "client_id": cid()}
    pad.post("/api/v1/time-clock/punch", json=punch)
    again = pad.post("/api/v1/time-clock/punch", json=punch)
    assert again.get_json()["kind"] == "clocked_in"
    with db.reading() as session:
        assert session.scalar(select(WorkShift.clocked_out_at)) is None


def test_a_wrong_pin_on_the_clock_is_counted_like_at_sign_in(app, db, waiter):
    pad = pin_pad(app)
    answer = pad.post("/api/v1/time-clock/punch", json={"pin": "0000", "client_id": cid()})
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (401, "wrong_pin")
    assert counts(db) == (0, 0)
    [failed] = audit(db, "signin.failed")
    assert failed.details == {"reason": "wrong_pin", "clock": True}
    for _ in range(4):
        pad.post("/api/v1/time-clock/punch", json={"pin": "0000", "client_id": cid()})
    locked = pad.post("/api/v1/time-clock/punch", json={"pin": waiter.pin, "client_id": cid()})
    assert locked.status_code == 429
    assert counts(db) == (0, 0)


def test_a_deactivated_persons_pin_clocks_nothing(app, db, waiter, manager):
    manager.patch(f"/api/v1/staff/{waiter.id}", json={"active": False})
    answer = pin_pad(app).post("/api/v1/time-clock/punch",
                               json={"pin": waiter.pin, "client_id": cid()})
    assert answer.status_code == 401
    assert counts(db) == (0, 0)


# --- who is in now ------------------------------------------------------------------------------

def test_the_office_sees_who_is_in_and_who_is_on_a_break(app, db, manager):
    dana, emil = make_staff(db, name="Dana"), make_staff(db, name="Emil")
    pad = pin_pad(app)
    for person in (dana, emil):
        pad.post("/api/v1/time-clock/punch", json={"pin": person.pin, "client_id": cid()})
    pad.post("/api/v1/time-clock/punch", json={"pin": emil.pin, "action": "break",
                                               "client_id": cid()})
    now = manager.get("/api/v1/time-clock/now").get_json()
    assert [(p["name"], p["on_break_since"] is not None) for p in now] == [("Dana", False),
                                                                           ("Emil", True)]


def test_a_waiter_cannot_see_or_correct_the_clock(app, db, waiter):
    me = signed_in(app, waiter)
    assert me.get("/api/v1/time-clock/now").status_code == 403
    assert me.get("/api/v1/time-clock/shifts?from=2026-01-01&to=2026-01-07").status_code == 403
    assert me.get("/api/v1/time-clock/hours?from=2026-01-01&to=2026-01-07").status_code == 403
    assert add_shift(me, waiter, at_venue(last_week(), 9),
                     at_venue(last_week(), 17)).status_code == 403
    assert counts(db) == (0, 0)


# --- a manager's corrections ---------------------------------------------------------------------

def test_a_manager_adds_a_missed_shift_once_audited(db, manager, waiter):
    day = last_week()
    body = {"client_id": cid(), "staff_id": waiter.id, "reason": "Clock was down",
            "clocked_in_at": iso(at_venue(day, 9)), "clocked_out_at": iso(at_venue(day, 17)),
            "breaks": [{"started_at": iso(at_venue(day, 12)),
                        "ended_at": iso(at_venue(day, 12, 30))}]}
    added = manager.post("/api/v1/time-clock/shifts", json=body)
    assert added.status_code == 201, added.get_json()
    shift = added.get_json()
    assert (shift["worked_minutes"], shift["break_minutes"], shift["paid_minutes"]) == (
        480, 30, 450)
    assert shift["added"] is True and shift["correction_reason"] == "Clock was down"
    assert manager.post("/api/v1/time-clock/shifts", json=body).get_json()["id"] == shift["id"]
    assert counts(db) == (1, 1)
    [entry] = audit(db, "clock.shift_added")
    assert entry.details["reason"] == "Clock was down"
    assert entry.details["before"] is None
    assert entry.details["after"]["breaks"] == [[at_venue(day, 12).astimezone(UTC).isoformat(),
                                                 at_venue(day, 12, 30).astimezone(UTC).isoformat()]]
    assert entry.subject == f"work_shift:{shift['id']}"


def test_a_correction_is_audited_with_before_after_and_reason(app, db, manager, waiter):
    pad = pin_pad(app)
    pad.post("/api/v1/time-clock/punch", json={"pin": waiter.pin, "client_id": cid()})
    with db.reading() as session:
        shift = session.scalar(select(WorkShift))
    started = shift.clocked_in_at - timedelta(hours=3)
    corrected = manager.patch(f"/api/v1/time-clock/shifts/{shift.id}", json={
        "clocked_in_at": iso(started), "clocked_out_at": iso(started + timedelta(hours=2)),
        "breaks": [], "reason": "Forgot to clock out"})
    assert corrected.status_code == 200, corrected.get_json()
    assert corrected.get_json()["paid_minutes"] == 120
    assert corrected.get_json()["corrected_by"] is not None
    [entry] = audit(db, "clock.corrected")
    assert entry.details["reason"] == "Forgot to clock out"
    assert entry.details["before"]["clocked_out_at"] is None
    assert entry.details["after"]["clocked_out_at"] is not None
    assert entry.details["staff"] == waiter.id
    assert manager.get("/api/v1/time-clock/now").get_json() == []


def test_a_running_shift_may_be_corrected_and_stay_open(app, db, manager, waiter):
    me = signed_in(app, waiter)
    me.post("/api/v1/time-clock/me/clock-in", json={"client_id": cid()})
    me.post("/api/v1/time-clock/me/break-start", json={"client_id": cid()})
    with db.reading() as session:
        shift = session.scalar(select(WorkShift))
    earlier = shift.clocked_in_at - timedelta(minutes=30)
    answer = manager.patch(f"/api/v1/time-clock/shifts/{shift.id}", json={
        "clocked_in_at": iso(earlier), "clocked_out_at": None, "reason": "Came in early",
        "breaks": [{"started_at": iso(earlier + timedelta(minutes=5)), "ended_at": None}]})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["clocked_out_at"] is None
    assert me.get("/api/v1/time-clock/me").get_json()["on_break_since"] is not None


def correction(day: date, **changes):
    body = {"clocked_in_at": iso(at_venue(day, 9)), "clocked_out_at": iso(at_venue(day, 17)),
            "breaks": [], "reason": "Wrong times"}
    return {**body, **changes}


@pytest.mark.parametrize(("changes", "field"), [
    ({"reason": ""}, "reason"),
    ({"reason": "   "}, "reason"),
    ({"clocked_out_at": "2026-01-01T08:00:00+02:00"}, "clocked_out_at"),
    ({"clocked_in_at": "2026-01-01T09:00:00"}, "clocked_in_at"),  # no zone: refused
    ({"clocked_out_at": None}, "clocked_out_at"),  # a finished shift stays finished
    ({"breaks": [{"started_at": "BEFORE", "ended_at": "AFTER"}]}, "breaks.0.ended_at"),
    ({"breaks": [{"started_at": "IN", "ended_at": None}]}, "breaks.0.ended_at"),
    ({"clocked_in_at": "FUTURE", "clocked_out_at": "FUTURE2"}, "clocked_in_at"),
    ({"clocked_out_at": "TOO_LONG"}, "clocked_out_at"),
])
def test_a_correction_that_makes_no_shift_is_refused_and_writes_nothing(
        db, manager, waiter, changes, field):
    day = last_week()
    shift = add_shift(manager, waiter, at_venue(day, 9), at_venue(day, 17)).get_json()
    symbols = {"BEFORE": iso(at_venue(day, 16)), "AFTER": iso(at_venue(day, 18)),
               "IN": iso(at_venue(day, 10)),
               "FUTURE": iso(utcnow() + timedelta(hours=1)),
               "FUTURE2": iso(utcnow() + timedelta(hours=2)),
               "TOO_LONG": iso(at_venue(day + timedelta(days=1), 10))}

    def resolve(value):
        if isinstance(value, list):
            return [{k: symbols.get(v, v) for k, v in b.items()} for b in value]
        return symbols.get(value, value)

    body = correction(day, **{k: resolve(v) for k, v in changes.items()})
    answer = manager.patch(f"/api/v1/time-clock/shifts/{shift['id']}", json=body)
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["field"] == field
    assert audit(db, "clock.corrected") == []
    with db.reading() as session:
        kept = session.get(WorkShift, shift["id"])
    assert kept.clocked_in_at == at_venue(day, 9) and kept.clocked_out_at == at_venue(day, 17)


def test_shifts_of_one_person_may_not_overlap(db, manager, waiter):
    day = last_week()
    add_shift(manager, waiter, at_venue(day, 9), at_venue(day, 17))
    overlapping = add_shift(manager, waiter, at_venue(day, 16), at_venue(day, 20))
    assert overlapping.status_code == 422
    assert overlapping.get_json()["error"]["code"] == "shifts_overlap"
    assert add_shift(manager, waiter, at_venue(day, 17), at_venue(day, 20)).status_code == 201
    assert counts(db) == (2, 0)


def test_breaks_must_not_overlap(db, manager, waiter):
    day = last_week()
    answer = add_shift(manager, waiter, at_venue(day, 9), at_venue(day, 17), breaks=[
        (at_venue(day, 12), at_venue(day, 13)), (at_venue(day, 12, 30), at_venue(day, 14))])
    assert answer.get_json()["error"]["field"] == "breaks.1.started_at"
    assert counts(db) == (0, 0)


def test_a_manager_corrects_neither_their_own_shifts_nor_an_admins(app, db):
    me = make_staff(db, Role.MANAGER)
    manager = signed_in(app, me)
    admin = make_staff(db, Role.ADMIN)
    day = last_week()
    own = add_shift(manager, me, at_venue(day, 9), at_venue(day, 17))
    assert (own.status_code, own.get_json()["error"]["code"]) == (403, "own_shift")
    assert add_shift(manager, admin, at_venue(day, 9), at_venue(day, 17)).status_code == 403
    by_admin = add_shift(signed_in(app, admin), me, at_venue(day, 9), at_venue(day, 17))
    assert by_admin.status_code == 201
    mine = manager.patch(f"/api/v1/time-clock/shifts/{by_admin.get_json()['id']}",
                         json=correction(day, reason="More hours for me"))
    assert mine.status_code == 403
    assert counts(db) == (1, 0)


def test_correcting_a_shift_that_does_not_exist_is_404(manager):
    answer = manager.patch("/api/v1/time-clock/shifts/999999", json=correction(last_week()))
    assert (answer.status_code, answer.get_json()["error"]["field"]) == (404, "shift_id")


# --- hours ---------------------------------------------------------------------------------------

def test_paid_time_is_worked_less_breaks_and_a_night_shift_counts_on_its_evening(
        db, manager, waiter):
    day = last_week()
    add_shift(manager, waiter, at_venue(day, 18), at_venue(day + timedelta(days=1), 2, 30),
              breaks=[(at_venue(day, 22), at_venue(day, 22, 20)),
                      (at_venue(day + timedelta(days=1), 0, 10),
                       at_venue(day + timedelta(days=1), 0, 20))])
    add_shift(manager, waiter, at_venue(day + timedelta(days=1), 17),
              at_venue(day + timedelta(days=1), 21, 15))
    hours = manager.get(f"/api/v1/time-clock/hours?from={day}&to={day + timedelta(days=1)}")
    assert hours.status_code == 200, hours.get_json()
    [dana] = hours.get_json()
    assert dana["name"] == "Dana Waiter"
    assert (dana["shifts"], dana["worked_minutes"], dana["break_minutes"],
            dana["paid_minutes"]) == (2, 510 + 255, 30, 735)
    assert dana["days"] == {str(day): 480, str(day + timedelta(days=1)): 255}
    only_the_evening = manager.get(f"/api/v1/time-clock/hours?from={day}&to={day}").get_json()
    assert only_the_evening[0]["paid_minutes"] == 480
    assert manager.get(f"/api/v1/time-clock/hours?from={day + timedelta(days=2)}"
                       f"&to={day + timedelta(days=3)}").get_json() == []


def test_hours_for_reports_count_a_running_shift_up_to_now(db):
    now = utcnow()
    person = make_staff(db, name="Night Cook", role=Role.KITCHEN)
    with db.transaction() as session:
        member = session.get(StaffMember, person.id)
        clock.clock_in(session, member, client_id=cid(), now=now - timedelta(hours=3))
        clock.start_break(session, member, client_id=cid(), now=now - timedelta(hours=1))
    with db.reading() as session:
        today = now.astimezone(VENUE).date()
        yesterday = today - timedelta(days=1)
        [hours] = clock.hours_worked(session, yesterday, today, now=now)
    assert (hours.worked_minutes, hours.break_minutes, hours.paid_minutes) == (180, 60, 120)
    assert hours.clocked_in is True


def test_minutes_round_to_the_nearest(db, manager, waiter):
    day = last_week()
    start = at_venue(day, 9)
    add_shift(manager, waiter, start, start + timedelta(minutes=59, seconds=31))
    [dana] = manager.get(f"/api/v1/time-clock/hours?from={day}&to={day}").get_json()
    assert dana["paid_minutes"] == 60


@pytest.mark.parametrize(("query", "field"), [
    ("from=2026-01-07&to=2026-01-01", "to"),
    ("from=2024-01-01&to=2026-01-01", "to"),
    ("from=someday&to=2026-01-01", "from"),
    ("to=2026-01-01", "from"),
])
def test_a_range_of_days_that_makes_no_sense_is_refused(manager, query, field):
    answer = manager.get(f"/api/v1/time-clock/hours?{query}")
    assert (answer.status_code, answer.get_json()["error"]["field"]) == (422, field)


def test_the_week_lists_each_shift_with_its_correction(db, manager, waiter):
    day = last_week()
    add_shift(manager, waiter, at_venue(day, 9), at_venue(day, 17), reason="Clock was down")
    shifts = manager.get(f"/api/v1/time-clock/shifts?from={day}&to={day + timedelta(days=6)}"
                         f"&staff_id={waiter.id}").get_json()
    [shift] = shifts
    assert shift["staff_id"] == waiter.id
    assert shift["correction_reason"] == "Clock was down"
    assert shift["corrected_by"] is not None
