"""Sign-in on a shared screen (fast switching, idle sign-out), staff, and paired devices."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, request
from flask import session as cookie_session
from flask_babel import gettext as _
from sqlalchemy import select

from pos.core.api import API_PREFIX, api_route
from pos.core.audit import record_audit
from pos.core.auth import PERMISSIONS, Permission, not_signed_in
from pos.core.db import utcnow
from pos.core.errors import Conflict
from pos.core.security import safe_next
from pos.staff import clock, sessions
from pos.staff import operations as ops
from pos.staff.models import Device, StaffMember
from pos.staff.schemas import (
    ChangeStaff,
    ClockState,
    CorrectShift,
    DayRange,
    DeviceOut,
    HoursOut,
    MissedShift,
    NewDevice,
    NewPinOut,
    NewStaff,
    OwnPunch,
    PadPunch,
    PairedDevice,
    PairHere,
    PresenceOut,
    PunchOut,
    ServerOut,
    SessionOut,
    SessionState,
    SetPin,
    ShiftOut,
    SignIn,
    StaffCreated,
    StaffOut,
)
from pos.staff.web import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_SECONDS,
    PAD_COOKIE,
    SESSION_KEY,
    load_actor,
    new_pad_cookie,
    pad_id,
    pin_check,
)
from pos.venue.operations import get_venue

bp = Blueprint("staff", __name__)
api = Blueprint("staff_api", __name__, url_prefix=API_PREFIX)

ANONYMOUS_ENDPOINTS = {"static", "core.health", "core.openapi_document"}


@bp.before_app_request
def identify_actor() -> None:
    if request.endpoint in ANONYMOUS_ENDPOINTS:
        return
    g.actor = load_actor(touch=True)


@bp.after_app_request
def give_pad_an_id(response: Response) -> Response:
    if request.endpoint == "staff.signin_page" and not request.cookies.get(PAD_COOKIE):
        response.set_cookie(PAD_COOKIE, new_pad_cookie(), max_age=DEVICE_COOKIE_SECONDS,
                            httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


@bp.get("/signin")
def signin_page() -> str:
    return render_template("signin/pin_pad.html", next_url=safe_next(request.args.get("next")))


def session_out(session, member: StaffMember) -> dict:
    venue = get_venue(session)
    return {
        "staff": member,
        "language": member.language or venue.locale.split("_")[0],
        "idle_signout_seconds": venue.idle_signout_seconds,
        "permissions": sorted(p.value for p in PERMISSIONS[member.role]),
    }


@api_route(api, "/session", method="POST", summary="Sign in by PIN (or switch to another "
           "staff member on this screen)", permission=None, body=SignIn, response=SessionOut,
           idempotent=False, tag="staff")
def sign_in(session, actor, body: SignIn):
    pad = pad_id(actor)
    result = ops.sign_in_with_pin(session, pin=body.pin, pad=pad, check=pin_check(),
                                  device_label=f"{request.remote_addr} {pad[:24]}")
    if not isinstance(result, StaffMember):
        return result
    if actor is not None and actor.session_id is not None:
        sessions.end_session(session, actor.session_id, "switched")
    device_id = actor.device_id if actor is not None else None
    row, key = sessions.start_session(session, result, device_id=device_id, pad=pad,
                                      address=request.remote_addr or "")
    cookie_session.clear()
    cookie_session[SESSION_KEY] = key
    g.actor = ops.actor_for_staff(result, device_id)
    return session_out(session, result)


@api_route(api, "/session", method="GET", summary="Who is signed in on this screen (a call "
           "counts as activity: a tablet in use stays signed in)", permission=None,
           response=SessionOut, tag="staff")
def who_is_signed_in(session, actor):
    if actor is None or actor.staff_id is None:
        raise not_signed_in()
    return session_out(session, session.get(StaffMember, actor.staff_id))


@api_route(api, "/session/state", summary="Is anyone signed in on this screen? Always 200, "
           "so a PIN pad asking on every load logs no error; nobody signed in reveals nothing "
           "more than that", permission=None, response=SessionState, tag="staff")
def session_state(session, actor):
    if actor is None or actor.staff_id is None:
        return {"signed_in": False, "session": None}
    return {"signed_in": True,
            "session": session_out(session, session.get(StaffMember, actor.staff_id))}


@api_route(api, "/session", method="DELETE", summary="Sign out: the sign-in ends on the "
           "server and the screen's live connections close", permission=None, tag="staff")
def sign_out(session, actor):
    if actor is not None and actor.session_id is not None:
        sessions.end_session(session, actor.session_id, "signed_out")
        record_audit(session, "signout", actor=actor)
    cookie_session.pop(SESSION_KEY, None)
    return {"signed_out": True}


@api_route(api, "/staff", summary="Staff members", permission=Permission.STAFF_MANAGE,
           response=StaffOut, many=True)
def list_staff(session, actor):
    return session.scalars(select(StaffMember).order_by(StaffMember.name)).all()


@api_route(api, "/servers", summary="Staff who can own a check (to hand a check over)",
           permission=Permission.FLOOR_VIEW, response=ServerOut, many=True)
def list_servers(session, actor):
    return ops.servers(session)


@api_route(api, "/staff", method="POST", summary="Add a staff member (a role at or below "
           "your own); leave the PIN out and Masa makes one, shown once",
           permission=Permission.STAFF_MANAGE, body=NewStaff, response=StaffCreated,
           status=201)
def add_staff(session, actor, body: NewStaff):
    member, chosen = ops.add_staff(session, name=body.name, role=body.role, pin=body.pin,
                                   language=body.language, check=pin_check(), actor=actor)
    return {**StaffOut.model_validate(member).model_dump(),
            "pin": chosen.pin if chosen.generated else None}


@api_route(api, "/staff/<int:staff_id>", method="PATCH", summary="Change a staff member's "
           "name, language, role or active flag; a role change or deactivation signs them "
           "out everywhere", permission=Permission.STAFF_MANAGE, body=ChangeStaff,
           response=StaffOut)
def change_staff(session, actor, body: ChangeStaff, staff_id: int):
    fields = body.model_dump(exclude_unset=True)
    clear_language = "language" in fields and fields["language"] is None
    return ops.change_staff(session, actor, staff_id, name=body.name, role=body.role,
                            language=body.language, active=body.active,
                            clear_language=clear_language)


@api_route(api, "/staff/<int:staff_id>/pin", method="POST", summary="Give a staff member a "
           "new PIN (leave it out and Masa makes one); their sign-ins end",
           permission=Permission.STAFF_MANAGE, body=SetPin, response=NewPinOut)
def set_pin(session, actor, body: SetPin, staff_id: int):
    member, chosen = ops.change_pin(session, actor, staff_id, body.pin, pin_check())
    return {"staff": member, "pin": chosen.pin if chosen.generated else None}


@api_route(api, "/devices", summary="Paired devices", permission=Permission.DEVICES_MANAGE,
           response=DeviceOut, many=True)
def list_devices(session, actor):
    devices = session.scalars(select(Device).order_by(Device.id)).all()
    names = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())
    return [DeviceOut.of(d, names) for d in devices]


@api_route(api, "/devices", method="POST", summary="Pair a device to run unattended (a role "
           "at or below your own; never admin)", permission=Permission.DEVICES_MANAGE,
           body=NewDevice, response=PairedDevice, status=201)
def pair_device(session, actor, body: NewDevice):
    device, token = ops.pair_device(session, label=body.label, role=body.role,
                                    station=body.station, server_id=body.server_id, actor=actor)
    if body.this_device:
        keep_device_cookie(token)
        if actor.session_id is not None:
            sessions.end_session(session, actor.session_id, "paired")
        cookie_session.pop(SESSION_KEY, None)
    return PairedDevice(token=token, **DeviceOut.of(device).model_dump())


@api_route(api, "/devices/pair-here", method="POST", summary="Pair the screen making the "
           "request, approved by a manager's PIN typed on it: it runs as the device from now "
           "on and is never signed out", permission=None, body=PairHere, response=DeviceOut,
           status=201)
def pair_this_screen(session, actor, body: PairHere):
    manager = ops.approve_with_manager_pin(session, pin=body.manager_pin, check=pin_check(),
                                           requester=actor, streak=f"pair:{pad_id(actor)}",
                                           permission=Permission.DEVICES_MANAGE)
    device, token = ops.pair_device(session, label=body.label, role=body.role,
                                    station=body.station, server_id=body.server_id,
                                    actor=ops.actor_for_staff(manager), paired_by=manager)
    if actor is not None and actor.is_device:  # paired anew: its old pairing ends
        ops.revoke_device(session, device_id=actor.device_id, actor=ops.actor_for_staff(manager))
    keep_device_cookie(token)
    if actor is not None and actor.session_id is not None:
        sessions.end_session(session, actor.session_id, "paired")
    cookie_session.pop(SESSION_KEY, None)
    return DeviceOut.of(device)


def keep_device_cookie(token: str) -> None:
    g.pair_this_device = token


@api.after_request
def set_device_cookie(response: Response) -> Response:
    token = g.pop("pair_this_device", None)
    if token and response.status_code == 201:
        response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_SECONDS, httponly=True,
                            samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


@api_route(api, "/devices/<int:device_id>/revoke", method="POST", summary="Revoke a device: "
           "its token stops working and its live connections close at once",
           permission=Permission.DEVICES_MANAGE, response=DeviceOut, idempotent=False)
def revoke_device(session, actor, device_id: int):
    return DeviceOut.of(ops.revoke_device(session, device_id=device_id, actor=actor))



# --- the time clock ------------------------------------------------------------------------

def shift_out(times: clock.ShiftTimes, names: dict[int, str] | None = None) -> dict:
    shift = times.shift
    worked, paused = clock.minutes(times.worked_seconds), clock.minutes(times.break_seconds)
    return {"id": shift.id, "staff_id": shift.staff_id, "clocked_in_at": shift.clocked_in_at,
            "clocked_out_at": shift.clocked_out_at, "breaks": times.breaks,
            "worked_minutes": worked, "break_minutes": paused, "paid_minutes": worked - paused,
            "added": shift.added_by_id is not None, "corrected_at": shift.corrected_at,
            "corrected_by": (names or {}).get(shift.corrected_by_id),
            "correction_reason": shift.correction_reason}


def one_shift_out(session, shift) -> dict:
    times = clock.times_of(shift, clock.breaks_of(session, shift.id), utcnow())
    names = {shift.corrected_by_id: session.get(StaffMember, shift.corrected_by_id).name} \
        if shift.corrected_by_id is not None else {}
    return shift_out(times, names)


def punch_out(session, punch: clock.Punch) -> dict:
    return {"kind": punch.kind, "at": punch.at, "staff": punch.staff,
            "shift": one_shift_out(session, punch.shift)}


def break_times(breaks) -> list[clock.BreakTimes]:
    return [clock.BreakTimes(b.started_at, b.ended_at) for b in breaks]


@api_route(api, "/time-clock/punch", method="POST", summary="The PIN pad's clock mode: the "
           "PIN's owner is clocked in or out (or on or off a break) without signing in; wrong "
           "PINs count as at sign-in", permission=None, body=PadPunch, response=PunchOut,
           operation_idempotent=True, tag="time clock")
def punch_on_pad(session, actor, body: PadPunch):
    pad = pad_id(actor)
    result = clock.punch_with_pin(session, pin=body.pin, pad=pad, check=pin_check(),
                                  device_label=f"{request.remote_addr} {pad[:24]}",
                                  action=body.action, client_id=body.client_id)
    if not isinstance(result, clock.Punch):
        return result
    return punch_out(session, result)


def signed_in_member(session, actor) -> StaffMember:
    """The person signed in on this screen: a screen on the wall clocks nobody in."""
    if actor.staff_id is None:
        raise Conflict(_("A paired screen has no time clock: clock in with your PIN on the "
                         "PIN pad."), field="actor", code="not_a_person")
    return session.get(StaffMember, actor.staff_id)


@api_route(api, "/time-clock/me", summary="Where the signed-in person stands on the clock "
           "(every role; a person, not a paired screen)", permission=Permission.VENUE_VIEW,
           response=ClockState, tag="time clock")
def my_clock(session, actor):
    member = signed_in_member(session, actor)
    shift = clock.open_shift(session, member.id)
    running = clock.open_break(session, shift) if shift is not None else None
    return {"clocked_in_since": shift.clocked_in_at if shift else None,
            "on_break_since": running.started_at if running else None}


OWN_PUNCHES = {
    "clock-in": (clock.clock_in, "Clock in"),
    "clock-out": (clock.clock_out, "Clock out (a running break ends with it)"),
    "break-start": (clock.start_break, "Begin a break"),
    "break-end": (clock.end_break, "End the break"),
}


def own_punch_route(path: str, operation, summary: str) -> None:
    def punch_myself(session, actor, body: OwnPunch):
        member = signed_in_member(session, actor)
        return punch_out(session, operation(session, member, client_id=body.client_id))

    api_route(api, f"/time-clock/me/{path}", method="POST", summary=f"{summary}: the "
              "signed-in person (every role)", permission=Permission.VENUE_VIEW, body=OwnPunch,
              response=PunchOut, operation_idempotent=True, tag="time clock",
              endpoint=f"own_{path.replace('-', '_')}")(punch_myself)


for _path, (_operation, _summary) in OWN_PUNCHES.items():
    own_punch_route(_path, _operation, _summary)


@api_route(api, "/time-clock/now", summary="Who is clocked in now, and who is on a break",
           permission=Permission.STAFF_MANAGE, response=PresenceOut, many=True,
           tag="time clock")
def who_is_in(session, actor):
    return clock.who_is_in(session)


@api_route(api, "/time-clock/shifts", summary="Shifts that began on the venue's days "
           "'from' to 'to', with breaks, minutes and corrections",
           permission=Permission.STAFF_MANAGE, query=DayRange, response=ShiftOut, many=True,
           tag="time clock")
def list_shifts(session, actor, query: DayRange):
    shifts = clock.shifts_between(session, query.from_, query.to, staff_id=query.staff_id)
    names = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())
    return [shift_out(times, names) for times in shifts]


@api_route(api, "/time-clock/shifts", method="POST", status=201, summary="Add a shift "
           "someone worked without clocking it, with the reason (audited)",
           permission=Permission.STAFF_MANAGE, body=MissedShift, response=ShiftOut,
           operation_idempotent=True, tag="time clock")
def add_missed_shift(session, actor, body: MissedShift):
    shift = clock.add_missed_shift(session, actor, body.staff_id, client_id=body.client_id,
                                   clocked_in_at=body.clocked_in_at,
                                   clocked_out_at=body.clocked_out_at,
                                   breaks=break_times(body.breaks), reason=body.reason)
    return one_shift_out(session, shift)


@api_route(api, "/time-clock/shifts/<int:shift_id>", method="PATCH", summary="Correct a "
           "shift's times and breaks, with the reason (audited with before and after)",
           permission=Permission.STAFF_MANAGE, body=CorrectShift, response=ShiftOut,
           tag="time clock")
def correct_shift(session, actor, body: CorrectShift, shift_id: int):
    shift = clock.correct_shift(session, actor, shift_id, clocked_in_at=body.clocked_in_at,
                                clocked_out_at=body.clocked_out_at,
                                breaks=break_times(body.breaks), reason=body.reason)
    return one_shift_out(session, shift)


@api_route(api, "/time-clock/hours", summary="Minutes worked, on breaks and paid (worked "
           "less breaks) per staff member over the venue's days 'from' to 'to'; a shift "
           "counts on the day it began", permission=Permission.REPORTS_VIEW, query=DayRange,
           response=HoursOut, many=True, tag="time clock")
def hours_worked(session, actor, query: DayRange):
    return clock.hours_worked(session, query.from_, query.to, staff_id=query.staff_id)
