"""Sign-in on a shared tablet, fast switching between staff, idle sign-out, devices."""

from __future__ import annotations

import secrets
import time

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
)
from flask import session as cookie_session
from flask_babel import gettext as _
from sqlalchemy import select

from pos.core.api import API_PREFIX, api_route, current_db
from pos.core.auth import PERMISSIONS, Actor, Permission, current_actor
from pos.core.errors import NotSignedIn
from pos.staff import operations as ops
from pos.staff.models import Device, StaffMember
from pos.staff.schemas import (
    DeviceOut,
    NewDevice,
    NewStaff,
    PairedDevice,
    ServerOut,
    SessionOut,
    SignIn,
    StaffOut,
)
from pos.venue.models import Venue
from pos.venue.operations import get_venue

bp = Blueprint("staff", __name__)
api = Blueprint("staff_api", __name__, url_prefix=API_PREFIX)

PAD_COOKIE = "masa_pad"
DEVICE_COOKIE = "masa_device"
DEVICE_COOKIE_SECONDS = 5 * 365 * 24 * 3600


def load_actor(*, touch: bool, token: str | None = None) -> Actor | None:
    """The staff member signed in on this screen, else the paired device, else nobody.

    ``touch`` (HTTP requests) enforces and extends the idle sign-out; socket events
    only check that the staff member or device is still allowed in.
    """
    staff_id = cookie_session.get("staff_id")
    with current_db().reading() as session:
        if staff_id is not None:
            member = session.connection().execute(select(
                StaffMember.id, StaffMember.name, StaffMember.role, StaffMember.language,
                StaffMember.active, Venue.idle_signout_seconds)
                .join(Venue, Venue.id == 1).where(StaffMember.id == staff_id)).first()
            idle = time.time() - cookie_session.get("seen", 0)
            too_long = touch and member is not None and idle > member.idle_signout_seconds
            if member is None or not member.active or too_long:
                cookie_session.pop("staff_id", None)
            else:
                if touch:
                    cookie_session["seen"] = int(time.time())
                return Actor(role=member.role, name=member.name, staff_id=member.id,
                             device_id=cookie_session.get("device_id"),
                             language=member.language)
        token = token or device_token()
        if token:
            device = ops.device_for_token(session, token)
            if device is not None:
                return ops.actor_for_device(device)
    return None


def device_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return request.cookies.get(DEVICE_COOKIE)


@bp.before_app_request
def identify_actor() -> None:
    if request.endpoint in ANONYMOUS_ENDPOINTS:
        return
    g.actor = load_actor(touch=True)


ANONYMOUS_ENDPOINTS = {"static", "core.health", "core.openapi_document"}


@bp.after_app_request
def give_pad_an_id(response: Response) -> Response:
    if PAD_COOKIE not in request.cookies and request.endpoint == "staff.signin_page":
        response.set_cookie(PAD_COOKIE, secrets.token_urlsafe(16), max_age=DEVICE_COOKIE_SECONDS,
                            httponly=True, samesite="Lax")
    return response


@bp.get("/signin")
def signin_page() -> str:
    return render_template("signin/pin_pad.html", next_url=safe_next(request.args.get("next")))


@bp.get("/signout")
def signout_page() -> Response:
    sign_out()
    return redirect("/signin")


def safe_next(url: str | None) -> str:
    return url if url and url.startswith("/") and not url.startswith("//") else "/"


def pin_policy() -> ops.PinPolicy:
    return ops.PinPolicy(max_failures=current_app.config["MASA_PIN_MAX_FAILURES"],
                         lock_seconds=current_app.config["MASA_PIN_LOCK_SECONDS"])


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
    # A real PIN pad has its cookie (the sign-in page sets it); without one, the pad is
    # its address, at the strict limit.
    pad = request.cookies.get(PAD_COOKIE) or f"none@{request.remote_addr}"
    result = ops.sign_in_with_pin(
        session, pin=body.pin, pad=pad, address=request.remote_addr or "unknown",
        secret=current_app.config["SECRET_KEY"], policy=pin_policy(),
        device_label=f"{request.remote_addr} pad:{pad[:8]}")
    if not isinstance(result, StaffMember):
        return result
    cookie_session.clear()
    cookie_session.update(staff_id=result.id, seen=int(time.time()))
    if actor and actor.device_id and not actor.staff_id:
        cookie_session["device_id"] = actor.device_id
    return session_out(session, result)


@api_route(api, "/session", method="GET", summary="Who is signed in on this screen",
           permission=None, response=SessionOut, tag="staff")
def who_is_signed_in(session, actor):
    if actor is None or actor.staff_id is None:
        raise NotSignedIn(_("Sign in first."))
    return session_out(session, session.get(StaffMember, actor.staff_id))


@api_route(api, "/session", method="DELETE", summary="Sign out", permission=None,
           tag="staff")
def sign_out_api(session, actor):
    sign_out()
    return {"signed_out": True}


def sign_out() -> None:
    cookie_session.pop("staff_id", None)
    cookie_session.pop("seen", None)


@api_route(api, "/staff", summary="Staff members", permission=Permission.STAFF_MANAGE,
           response=StaffOut, many=True)
def list_staff(session, actor):
    return session.scalars(select(StaffMember).order_by(StaffMember.name)).all()


@api_route(api, "/servers", summary="Staff who can own a check (to hand a check over)",
           permission=Permission.FLOOR_VIEW, response=ServerOut, many=True)
def list_servers(session, actor):
    roles = [role for role, allowed in PERMISSIONS.items() if Permission.TAKE_ORDERS in allowed]
    return session.scalars(select(StaffMember).where(
        StaffMember.active.is_(True), StaffMember.role.in_(roles)).order_by(StaffMember.name)).all()


@api_route(api, "/staff", method="POST", summary="Add a staff member",
           permission=Permission.STAFF_MANAGE, body=NewStaff, response=StaffOut, status=201)
def add_staff(session, actor, body: NewStaff):
    return ops.add_staff(session, name=body.name, role=body.role, pin=body.pin,
                         language=body.language, secret=current_app.config["SECRET_KEY"],
                         actor=actor)


@api_route(api, "/devices", summary="Paired devices", permission=Permission.DEVICES_MANAGE,
           response=DeviceOut, many=True)
def list_devices(session, actor):
    devices = session.scalars(select(Device).order_by(Device.id)).all()
    return [DeviceOut.of(d) for d in devices]


@api_route(api, "/devices", method="POST", summary="Pair a device to run unattended",
           permission=Permission.DEVICES_MANAGE, body=NewDevice, response=PairedDevice,
           status=201)
def pair_device(session, actor, body: NewDevice):
    device, token = ops.pair_device(session, label=body.label, role=body.role,
                                    station=body.station, actor=actor)
    if body.this_device:
        g.pair_this_device = token
        sign_out()
    return PairedDevice(token=token, **DeviceOut.of(device).model_dump())


@api.after_request
def keep_device_token(response: Response) -> Response:
    token = g.pop("pair_this_device", None)
    if token and response.status_code == 201:
        response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_SECONDS, httponly=True,
                            samesite="Lax")
    return response


@api_route(api, "/devices/<int:device_id>/revoke", method="POST", summary="Revoke a device",
           permission=Permission.DEVICES_MANAGE, response=DeviceOut, idempotent=False)
def revoke_device(session, actor, device_id: int):
    return DeviceOut.of(ops.revoke_device(session, device_id=device_id, actor=actor))


def require_page(permission: Permission) -> Response | None:
    """For page routes: send an unsigned screen to the PIN pad, refuse a wrong role."""
    actor = current_actor()
    if actor is None:
        return redirect(f"/signin?next={request.full_path.rstrip('?')}")
    if not actor.can(permission):
        return make_response(render_template("errors/forbidden.html", permission=permission), 403)
    return None
