"""The outbox: every event a screen must not miss is a row written in the same
transaction as the change, published over Socket.IO only after that commit.

Socket.IO delivers at most once, so the rows are the truth. A screen connects with
``auth={"last_event": N}`` and is sent, in order, every event of its rooms after N,
then ``replay_done`` with a *floor*: the id up to which it now holds everything.
On a slow heartbeat (``sync``) it reports its floor and the ids it has seen above
it, and gets whatever is missing, which heals a gap left by a process that died
between commit and publish.

Event ids must grow in commit order for a floor to mean anything. SQLite gives that
(one writer at a time); on PostgreSQL a transaction takes an advisory lock just
before it writes its first event and holds it to commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_socketio import SocketIO
from sqlalchemy import JSON, Index, String, delete, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from pos.core.db import Base, BigId, utcnow

socketio = SocketIO()

OUTBOX_LOCK_KEY = 0x6D617361  # "masa"
PENDING_KEY = "masa_pending_events"
CLOSING_KEY = "masa_closing_rooms"
REPLAY_LIMIT = 5000  # more missed than this: the screen reloads from a snapshot


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_namespace_room_id", "namespace", "room", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    namespace: Mapped[str] = mapped_column(String(32))
    room: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def message(self) -> dict[str, Any]:
        return {"id": self.id, "room": self.room, "data": self.data}


class OutboxState(Base):
    """Single row: the highest event id that retention has pruned."""

    __tablename__ = "outbox_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    pruned_through: Mapped[int] = mapped_column(BigId, default=0)


def record_event(session: Session, namespace: str, room: str, name: str,
                 data: dict[str, Any]) -> Event:
    """Write an event into the current transaction; it is published after commit."""
    if not session.info.get(PENDING_KEY):
        _serialize_event_writers(session)
        session.info[PENDING_KEY] = []
    event = Event(namespace=namespace, room=room, name=name, data=data)
    session.add(event)
    session.info[PENDING_KEY].append(event)
    return event


def _serialize_event_writers(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": OUTBOX_LOCK_KEY})


def take_pending_events(session: Session) -> list[Event]:
    return session.info.pop(PENDING_KEY, None) or []


def close_rooms_after_commit(session: Session, rooms: Iterable[str]) -> None:
    """Once this transaction commits, every connection in these rooms is disconnected
    (an ended sign-in, a revoked device), in every namespace and every process."""
    session.info.setdefault(CLOSING_KEY, set()).update(rooms)


def make_publisher(emit: Callable[..., Any],
                   close_room: Callable[[str], None] | None = None) -> Callable[[Session], None]:
    """The after-commit step: emit each event the transaction wrote, in id order, then
    close the rooms it ended."""

    def publish(session: Session) -> None:
        for event in sorted(take_pending_events(session), key=lambda e: e.id):
            emit(event.name, event.message(), namespace=event.namespace, to=event.room)
        closing = session.info.pop(CLOSING_KEY, None) or ()
        if close_room is not None:
            for room in sorted(closing):
                close_room(room)

    return publish


@dataclass(frozen=True)
class Replay:
    events: list[Event]
    floor: int  # the client now holds every event of its rooms up to here
    snapshot_required: bool = False


def latest_event_id(session: Session) -> int:
    return session.scalar(select(func.max(Event.id))) or 0


def pruned_through(session: Session) -> int:
    state = session.get(OutboxState, 1)
    return state.pruned_through if state else 0


def replay_events(session: Session, namespace: str, rooms: Iterable[str], after: int,
                  seen: Iterable[int] = ()) -> Replay:
    """Every event of ``rooms`` with an id above ``after`` that is not in ``seen``, in order.

    The floor is read before the events, so an event committed in between is newer
    than the floor and reaches the client live.
    """
    floor = latest_event_id(session)
    if after < pruned_through(session):
        return Replay([], floor, snapshot_required=True)
    seen_ids = set(seen)
    events = session.scalars(
        select(Event)
        .where(Event.namespace == namespace, Event.room.in_(list(rooms)), Event.id > after,
               Event.id <= floor)
        .order_by(Event.id)
        .limit(REPLAY_LIMIT + 1)
    ).all()
    if len(events) > REPLAY_LIMIT:
        return Replay([], floor, snapshot_required=True)
    return Replay([e for e in events if e.id not in seen_ids], floor)


def prune_events(session: Session, older_than: timedelta) -> int:
    """Drop events past the retention window; a screen that far behind reloads a snapshot."""
    cutoff = utcnow() - older_than
    last = session.scalar(select(func.max(Event.id)).where(Event.created_at < cutoff))
    if not last:
        return 0
    state = session.get(OutboxState, 1) or OutboxState(id=1, pruned_through=0)
    state.pruned_through = max(state.pruned_through, last)
    session.add(state)
    return session.execute(delete(Event).where(Event.id <= last)).rowcount
