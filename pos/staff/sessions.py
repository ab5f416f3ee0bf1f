"""Sign-in sessions kept on the server.

The cookie holds a random key and nothing else; the row it names says who is signed in
and whether that still holds. Signing out, idling past the venue's limit, another PIN on
the same screen, a PIN change, a role change and deactivation each end the row, and the
screen's live connections are closed when the ending commits.

``last_seen_at`` is written at most every few seconds, so a busy tablet does not turn
every read into a write; the idle limit allows for that slack.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.core.auth import Actor, Role
from pos.core.db import Database, utcnow
from pos.core.events import close_rooms_after_commit
from pos.staff.models import Device, StaffMember, StaffSession
from pos.venue.models import Venue

TOUCH_EVERY_SECONDS = 10  # how stale last_seen_at may get before a request refreshes it
SWEEP_SECONDS = 5
log = logging.getLogger(__name__)


def session_room(session_id: int) -> str:
    """The Socket.IO room of one sign-in's connections, closed when it ends."""
    return f"session:{session_id}"


def device_room(device_id: int) -> str:
    return f"device:{device_id}"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(session: Session, member: StaffMember, *, device_id: int | None,
                  pad: str | None, address: str) -> tuple[StaffSession, str]:
    """A new sign-in and the key its cookie carries (only its hash is kept)."""
    key = secrets.token_urlsafe(32)
    row = StaffSession(key_hash=key_hash(key), staff_id=member.id, device_id=device_id,
                       pad=(pad or "")[:40] or None, address=address[:64])
    session.add(row)
    session.flush()
    return row, key


def end_session(session: Session, session_id: int, reason: str,
                now: datetime | None = None) -> bool:
    """End one sign-in (once); its screen's connections close after commit."""
    ended = session.execute(
        update(StaffSession)
        .where(StaffSession.id == session_id, StaffSession.ended_at.is_(None))
        .values(ended_at=now or utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)).rowcount
    close_rooms_after_commit(session, [session_room(session_id)])
    return bool(ended)


def end_sessions_of(session: Session, staff_id: int, reason: str) -> list[int]:
    """End every open sign-in of one staff member (a PIN change, deactivation)."""
    ids = list(session.scalars(select(StaffSession.id).where(
        StaffSession.staff_id == staff_id, StaffSession.ended_at.is_(None))))
    for session_id in ids:
        end_session(session, session_id, reason)
    return ids


def touch_interval(idle_seconds: int) -> int:
    """How stale ``last_seen_at`` may be: a tenth of the idle limit, 1 to 10 s. The idle
    check allows this much, so nobody is signed out before the limit."""
    return min(TOUCH_EVERY_SECONDS, max(1, idle_seconds // 10))


def end_idle_sessions(session: Session, now: datetime | None = None) -> list[int]:
    """Every sign-in idle past the venue's limit, ended (the sweeper calls this)."""
    now = now or utcnow()
    idle = session.scalar(select(Venue.idle_signout_seconds).where(Venue.id == 1)) or 0
    if not idle:
        return []
    cutoff = now - timedelta(seconds=idle + touch_interval(idle))
    ids = list(session.scalars(select(StaffSession.id).where(
        StaffSession.ended_at.is_(None), StaffSession.last_seen_at < cutoff)))
    for session_id in ids:
        end_session(session, session_id, "idle", now)
    return ids


@dataclass(frozen=True)
class SessionState:
    """What a request needs to know about the sign-in its cookie names."""

    actor: Actor | None
    session_id: int | None = None
    ended: str | None = None  # why it no longer holds: signed_out, idle, pin_changed…
    language: str | None = None  # the language of the one who was signed in
    needs_touch: bool = False
    expired_now: bool = False


@dataclass
class SessionRecord:
    """A sign-in as read from the database (a request may reuse it for a moment)."""

    id: int
    ended_at: datetime | None
    end_reason: str | None
    last_seen_at: datetime
    device_id: int | None
    staff_id: int
    name: str
    role: str
    language: str | None
    active: bool
    idle_signout_seconds: int


def fetch_session(session: Session, key: str) -> SessionRecord | None:
    """The sign-in a cookie's key names, with its staff member and the idle limit; one
    Core query."""
    row = session.connection().execute(
        select(StaffSession.id, StaffSession.ended_at, StaffSession.end_reason,
               StaffSession.last_seen_at, StaffSession.device_id, StaffMember.id.label("staff_id"),
               StaffMember.name, StaffMember.role, StaffMember.language, StaffMember.active,
               Venue.idle_signout_seconds)
        .join(StaffMember, StaffMember.id == StaffSession.staff_id)
        .join(Venue, Venue.id == 1)
        .where(StaffSession.key_hash == key_hash(key))).first()
    return SessionRecord(**row._mapping) if row is not None else None


def read_session(session: Session, key: str, *, now: datetime | None = None) -> SessionState:
    """The actor behind a session key, or why there is none."""
    return session_state(fetch_session(session, key), now or utcnow())


def session_state(row: SessionRecord | None, now: datetime) -> SessionState:
    if row is None:
        return SessionState(None, ended="unknown")
    if row.ended_at is not None:
        return SessionState(None, ended=row.end_reason or "ended", language=row.language)
    if not row.active:
        return SessionState(None, ended="deactivated", language=row.language)
    quiet = (now - row.last_seen_at).total_seconds()
    slack = touch_interval(row.idle_signout_seconds)
    if row.idle_signout_seconds and quiet > row.idle_signout_seconds + slack:
        return SessionState(None, row.id, ended="idle", language=row.language,
                            expired_now=True)
    actor = Actor(role=Role(row.role), name=row.name, staff_id=row.staff_id,
                  device_id=row.device_id, language=row.language, session_id=row.id)
    return SessionState(actor, row.id, language=row.language, needs_touch=quiet >= slack)


def touch_session(session: Session, session_id: int, now: datetime | None = None) -> None:
    session.execute(update(StaffSession)
                    .where(StaffSession.id == session_id, StaffSession.ended_at.is_(None))
                    .values(last_seen_at=now or utcnow())
                    .execution_options(synchronize_session=False))


def touch_device(session: Session, device_id: int, now: datetime | None = None) -> None:
    session.execute(update(Device).where(Device.id == device_id)
                    .values(last_seen_at=now or utcnow())
                    .execution_options(synchronize_session=False))


def start_session_sweeper(db: Database, stop: threading.Event | None = None) -> threading.Event:
    """A thread that ends idle sign-ins every few seconds, so a screen left alone loses its
    live connection too, not only its next request. Every process may run one."""
    stop = stop or threading.Event()

    def sweep() -> None:
        while not stop.wait(SWEEP_SECONDS):
            try:
                with db.transaction() as session:
                    end_idle_sessions(session)
            except Exception:  # noqa: BLE001 - a failed sweep is retried on the next tick
                log.exception("ending idle sessions failed")

    threading.Thread(target=sweep, name="masa-session-sweeper", daemon=True).start()
    return stop
