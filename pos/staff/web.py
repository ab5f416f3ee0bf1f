"""What every screen's HTTP layer needs from staff: the actor behind a request (a signed-in
staff member or a paired device), the page guard, the PIN pad's id and the PIN check of
this request. Views and socket handlers of every package use these."""

from __future__ import annotations

import secrets

from flask import (
    Response,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
)
from flask import session as cookie_session
from itsdangerous import BadSignature, URLSafeSerializer

from pos.core.api import current_db
from pos.core.auth import SESSION_ENDED, Actor, Permission, current_actor
from pos.core.db import utcnow
from pos.staff import operations as ops
from pos.staff import sessions
from pos.staff.pins import PinCheck, PinPolicy

PAD_COOKIE = "masa_pad"
DEVICE_COOKIE = "masa_device"
DEVICE_COOKIE_SECONDS = 5 * 365 * 24 * 3600
SESSION_KEY = "sk"  # the only thing the signed session cookie holds
DEVICE_TOUCH_SECONDS = 30


def load_actor(*, touch: bool, token: str | None = None) -> Actor | None:
    """The staff member signed in on this screen, else the paired device, else nobody.

    ``touch`` (HTTP requests) counts as activity for the idle sign-out; socket events only
    check that the sign-in or the device still holds. A sign-in found ended leaves its
    reason and language in ``g`` for the answer (the PIN prompt explains itself)."""
    key = cookie_session.get(SESSION_KEY)
    if isinstance(key, str) and key:
        actor = staff_actor(key, touch=touch)
        if actor is not None:
            return actor
        cookie_session.pop(SESSION_KEY, None)
    token = token or device_token()
    return device_actor(token, touch=touch) if token else None


def staff_actor(key: str, *, touch: bool) -> Actor | None:
    db = current_db()
    with db.reading() as session:
        state = sessions.read_session(session, key)
    if state.actor is None:
        g.setdefault(SESSION_ENDED, {"reason": state.ended, "language": state.language})
        if state.expired_now:
            with db.transaction() as session:
                sessions.end_session(session, state.session_id, "idle")
        return None
    if touch and state.needs_touch:
        with db.transaction() as session:
            sessions.touch_session(session, state.actor.session_id)
    return state.actor


def device_actor(token: str, *, touch: bool) -> Actor | None:
    db = current_db()
    with db.reading() as session:
        device = ops.device_for_token(session, token)
    if device is None:
        return None
    now = utcnow()
    if touch and (device.last_seen_at is None
                  or (now - device.last_seen_at).total_seconds() > DEVICE_TOUCH_SECONDS):
        with db.transaction() as session:
            sessions.touch_device(session, device.id, now)
    return ops.actor_for_device(device)


def device_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip() or None
    return request.cookies.get(DEVICE_COOKIE) or None


def require_page(permission: Permission) -> Response | None:
    """For page routes: send an unsigned screen to the PIN pad, refuse a wrong role."""
    actor = current_actor()
    if actor is None:
        return redirect(f"/signin?next={request.full_path.rstrip('?')}")
    if not actor.can(permission):
        return make_response(render_template("errors/forbidden.html", permission=permission), 403)
    return None


def pin_policy() -> PinPolicy:
    config = current_app.config
    return PinPolicy(max_failures=int(config["MASA_PIN_MAX_FAILURES"]),
                     lock_seconds=int(config["MASA_PIN_LOCK_SECONDS"]),
                     address_failures=int(config["MASA_PIN_ADDRESS_FAILURES"]),
                     window_seconds=int(config["MASA_PIN_ADDRESS_WINDOW_SECONDS"]))


def pin_check() -> PinCheck:
    """The secret, the policy and this request's address, for any PIN this request carries."""
    return PinCheck(secret=current_app.config["SECRET_KEY"], policy=pin_policy(),
                    address=request.remote_addr or "unknown")


def _pads() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="masa-pad")


def new_pad_cookie() -> str:
    return _pads().dumps(secrets.token_urlsafe(12))


def pad_id(actor: Actor | None) -> str:
    """Which PIN pad this is: a paired device, a pad id this server issued and signed, or
    (a made-up or missing cookie) only its address, held to the same limit."""
    if actor is not None and actor.device_id is not None:
        return f"device:{actor.device_id}"
    try:
        return "pad:" + str(_pads().loads(request.cookies.get(PAD_COOKIE) or ""))
    except BadSignature:
        return f"none@{request.remote_addr}"
