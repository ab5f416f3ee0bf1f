"""The outbox: every event a screen must not miss is a row written in the same
transaction as the change, published over Socket.IO only after that commit.

Socket.IO delivers at most once, so the rows are the truth. A screen connects with
``auth={"last_event": N}`` and is sent, in order, every event of its rooms after N,
then ``replay_done`` with a *floor*: the id up to which it now holds everything.
On a slow heartbeat (``sync``) it reports its floor and the ids it has seen above
it, and gets whatever is missing, which heals a gap left by a process that died
between commit and publish.

Retention keeps the tables from growing all day: while the server serves, a sweeper
deletes events past the retention window (a screen that far behind reloads a snapshot)
and idempotency keys past theirs, a bounded batch per transaction, so the delete never
holds the write lock for long.

Event ids must grow in commit order for a floor to mean anything. SQLite gives that
(one writer at a time); on PostgreSQL a transaction takes an advisory lock just
before it writes its first event and holds it to commit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_socketio import SocketIO
from sqlalchemy import JSON, Index, String, case, delete, func, insert, select, update
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from pos.core.api import prune_idempotency_keys
from pos.core.db import Base, BigId, Database, serialize_on, utcnow

socketio = SocketIO()

PENDING_KEY = "masa_pending_events"
CLOSING_KEY = "masa_closing_rooms"
REPLAY_LIMIT = 5000  # more missed than this: the screen reloads from a snapshot
RETENTION_BATCH = 2000  # rows one retention statement deletes, in its own transaction
BATCH_PAUSE = 0.01  # seconds between two batches, for the writers queued behind one

log = logging.getLogger(__name__)


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


@dataclass
class OutgoingEvent:
    """An event recorded in this transaction: its row is written just before the commit
    (all of the transaction's events in one statement), and it is published after."""

    namespace: str
    room: str
    name: str
    data: dict[str, Any]
    id: int | None = None  # known once written

    def message(self) -> dict[str, Any]:
        return {"id": self.id, "room": self.room, "data": self.data}


INSERT_EVENTS = insert(Event.__table__).returning(Event.__table__.c.id,
                                                  sort_by_parameter_order=True)


def record_event(session: Session, namespace: str, room: str, name: str,
                 data: dict[str, Any]) -> OutgoingEvent:
    """Write an event into the current transaction; it is published after commit."""
    if not session.info.get(PENDING_KEY):
        serialize_on(session, "masa:outbox")  # event ids grow in commit order
        session.info[PENDING_KEY] = []
    event = OutgoingEvent(namespace=namespace, room=room, name=name, data=data)
    session.info[PENDING_KEY].append(event)
    return event


@sqlalchemy_event.listens_for(Session, "before_commit")
def write_pending_events(session: Session) -> None:
    """The rows of the events recorded since the last write, in the order recorded."""
    unwritten = [e for e in session.info.get(PENDING_KEY, ()) if e.id is None]
    if not unwritten:
        return
    now = utcnow()
    ids = session.scalars(INSERT_EVENTS, [
        {"namespace": e.namespace, "room": e.room, "name": e.name, "data": e.data,
         "created_at": now} for e in unwritten]).all()
    for event, event_id in zip(unwritten, ids, strict=True):
        event.id = event_id


def take_pending_events(session: Session) -> list[OutgoingEvent]:
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
    # Asked again: on PostgreSQL each statement sees the latest commit, so a sweep that
    # pruned in between would otherwise leave a silent hole in what is replayed.
    if len(events) > REPLAY_LIMIT or after < pruned_through(session):
        return Replay([], floor, snapshot_required=True)
    return Replay([e for e in events if e.id not in seen_ids], floor)


def prune_events(session: Session, older_than: timedelta, *, limit: int | None = None) -> int:
    """Drop events past the retention window (at most ``limit`` of them, oldest first); a
    screen that far behind reloads a snapshot."""
    cutoff = utcnow() - older_than
    last = session.scalar(select(Event.id).where(Event.created_at < cutoff)
                          .order_by(Event.created_at.desc(), Event.id.desc()).limit(1))
    if not last:
        return 0
    raise_pruned_through(session, last)
    doomed = Event.id <= last
    if limit is not None:
        doomed = Event.id.in_(select(Event.id).where(doomed).order_by(Event.id).limit(limit))
    return session.execute(delete(Event).where(doomed)
                           .execution_options(synchronize_session=False)).rowcount


def raise_pruned_through(session: Session, last: int) -> None:
    """Never lowered, even when two processes prune at once: the new value is computed
    by the UPDATE itself, from the row as it is once the other's lock is released."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # The first row without a savepoint (its release would run the after-commit publisher).
    session.execute(insert(OutboxState).values(id=1, pruned_through=0).on_conflict_do_nothing())
    session.execute(update(OutboxState).where(OutboxState.id == 1)
                    .values(pruned_through=case((OutboxState.pruned_through < last, last),
                                                else_=OutboxState.pruned_through))
                    .execution_options(synchronize_session=False))


@dataclass(frozen=True)
class Retention:
    events: timedelta
    idempotency_keys: timedelta
    every_seconds: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Retention:
        return cls(events=timedelta(hours=float(config["MASA_EVENT_RETENTION_HOURS"])),
                   idempotency_keys=timedelta(hours=float(config["MASA_IDEMPOTENCY_KEEP_HOURS"])),
                   every_seconds=float(config["MASA_RETENTION_SWEEP_SECONDS"]))


@dataclass(frozen=True)
class Swept:
    events: int
    idempotency_keys: int


def sweep_retention(db: Database, retention: Retention, *, batch: int = RETENTION_BATCH,
                    pause: Callable[[float], Any] | None = None) -> Swept:
    """Everything past its retention deleted, ``batch`` rows per transaction: between two
    batches the write lock is free, so a send waits for one batch at most."""
    pause = pause or time.sleep  # cooperative under the production server (gevent)
    counts = {"events": 0, "keys": 0}
    jobs: tuple[tuple[str, Callable[[Session], int]], ...] = (
        ("events", lambda session: prune_events(session, retention.events, limit=batch)),
        ("keys", lambda session: prune_idempotency_keys(session, retention.idempotency_keys,
                                                        limit=batch)),
    )
    for name, prune in jobs:
        while True:
            with db.transaction() as session:
                deleted = prune(session)
            counts[name] += deleted
            if deleted < batch:
                break
            pause(BATCH_PAUSE)
    return Swept(counts["events"], counts["keys"])


def start_retention_sweeper(db: Database, retention: Retention,
                            stop: threading.Event | None = None) -> threading.Event:
    """A background task (a greenlet under the production server) that sweeps every
    ``retention.every_seconds`` while the process serves; set the returned event to stop
    it. Every process may run one: two sweeps at once delete each row once. A period of
    0 turns it off."""
    stop = stop or threading.Event()
    if retention.every_seconds <= 0:
        return stop

    def sweep() -> None:
        while not stop.wait(retention.every_seconds):
            try:
                swept = sweep_retention(db, retention)
            except Exception:  # noqa: BLE001 - a failed sweep is retried on the next tick
                log.exception("the retention sweep failed")
                continue
            if swept.events or swept.idempotency_keys:
                log.info("retention: %d events and %d idempotency keys deleted",
                         swept.events, swept.idempotency_keys)

    socketio.start_background_task(sweep)
    return stop
