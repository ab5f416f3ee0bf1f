"""What every screen's HTTP layer needs from staff: the actor behind a request (a signed-in
staff member or a paired device), the page guard, the PIN pad's id and the PIN check of
this request. Views and socket handlers of every package use these."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime

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
    db, cache = current_db(), actor_cache()
    record = cache.session(key)
    if record is None:
        with db.reading() as session:
            record = sessions.fetch_session(session, key)
        cache.keep_session(key, record)
    now = utcnow()
    state = sessions.session_state(record, now)
    if state.actor is None:
        g.setdefault(SESSION_ENDED, {"reason": state.ended, "language": state.language})
        if state.expired_now:
            with db.transaction() as session:
                sessions.end_session(session, state.session_id, "idle")
        return None
    if touch and state.needs_touch:
        with db.transaction() as session:
            sessions.touch_session(session, state.actor.session_id, now)
        record.last_seen_at = now
    return state.actor


@dataclass
class DeviceRecord:
    actor: Actor
    last_seen_at: datetime | None


def device_actor(token: str, *, touch: bool) -> Actor | None:
    db, cache = current_db(), actor_cache()
    record = cache.device(token)
    if record is None:
        with db.reading() as session:
            device = ops.device_for_token(session, token)
            record = DeviceRecord(ops.actor_for_device(device), device.last_seen_at) \
                if device is not None else None
        cache.keep_device(token, record)
    if record is None:
        return None
    now = utcnow()
    if touch and (record.last_seen_at is None
                  or (now - record.last_seen_at).total_seconds() > DEVICE_TOUCH_SECONDS):
        with db.transaction() as session:
            sessions.touch_device(session, record.actor.device_id, now)
        record.last_seen_at = now
    return record.actor


class ActorCache:
    """Who a session key or a device token stands for, remembered for a second.

    Every request needs its actor; reading it costs a query a request. A second's reuse
    saves almost all of them, and changes reach it at once where it matters: ending a
    sign-in or revoking a device closes its room after commit, and ``forget_room`` drops
    the entry in this process. Another process may answer from its copy for at most
    ``TTL`` seconds (its screens' sockets are closed at once through the message queue).
    """

    TTL = 1.0

    def __init__(self) -> None:
        self._sessions: dict[str, tuple[float, sessions.SessionRecord | None]] = {}
        self._devices: dict[str, tuple[float, DeviceRecord | None]] = {}
        self._keys_of_session: dict[int, str] = {}
        self._tokens_of_device: dict[int, str] = {}

    def session(self, key: str) -> sessions.SessionRecord | None:
        return self._fresh(self._sessions, key)

    def keep_session(self, key: str, record: sessions.SessionRecord | None) -> None:
        self._keep(self._sessions, key, record)
        if record is not None:
            self._keys_of_session[record.id] = key

    def device(self, token: str) -> DeviceRecord | None:
        return self._fresh(self._devices, token)

    def keep_device(self, token: str, record: DeviceRecord | None) -> None:
        self._keep(self._devices, token, record)
        if record is not None:
            self._tokens_of_device[record.actor.device_id] = token

    def forget_room(self, room: str) -> None:
        kind, _sep, number = room.partition(":")
        if not number.isdigit():
            return
        if kind == "session":
            self._sessions.pop(self._keys_of_session.pop(int(number), ""), None)
        elif kind == "device":
            self._devices.pop(self._tokens_of_device.pop(int(number), ""), None)

    def _fresh(self, entries: dict, name: str):
        entry = entries.get(name)
        if entry is None or time.monotonic() - entry[0] > self.TTL:
            return None
        return entry[1]

    def _keep(self, entries: dict, name: str, record) -> None:
        if record is None:
            return  # an unknown key or token is asked again: it may have just been made
        if len(entries) > 10_000:
            entries.clear()
        entries[name] = (time.monotonic(), record)


def actor_cache() -> ActorCache:
    return current_app.extensions["masa_actor_cache"]


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
