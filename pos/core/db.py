"""The database: engine, sessions and the write transaction.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy
timeout, and every write transaction starts with ``BEGIN IMMEDIATE`` so two writers
queue instead of failing half-way with "database is locked". PostgreSQL is used as is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.compiler import InsertmanyvaluesSentinelOpts
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A 64-bit id on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the auto-incrementing rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; SQLite keeps no zone, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def system_clock() -> datetime:
    return datetime.now(UTC)


clock: Callable[[], datetime] = system_clock  # a test may run a service in accelerated time


def utcnow() -> datetime:
    """Now, for every record Masa writes: read through ``clock``, so a test can fake it."""
    return clock()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime}


class Database:
    """One engine and its session factories; created once per app (and per test)."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # A read sees one snapshot (PostgreSQL's default would let each statement see what
        # committed meanwhile: a payment approved beside its check still open). SQLite's
        # transactions are snapshots already.
        reads = self.engine if self.is_sqlite else self.engine.execution_options(
            isolation_level="REPEATABLE READ")
        self._reading = sessionmaker(reads, expire_on_commit=False)
        self._writing = sessionmaker(
            self.engine.execution_options(masa_write=True), expire_on_commit=False
        )
        # Called with the session after each successful write commit (the outbox publisher).
        self.after_commit: list[Callable[[Session], None]] = []
        # SQLite takes one writer at a time; queueing this process's writers on a lock
        # (in arrival order) beats SQLite's busy handler, which sleeps up to 100 ms a try.
        self._write_lock = threading.Lock() if self.is_sqlite else nullcontext()
        event.listen(self._writing, "after_commit", self._run_after_commit)
        event.listen(self._reading, "before_flush", _refuse_writes_while_reading)

    def _run_after_commit(self, session: Session) -> None:
        if session.in_nested_transaction():  # a savepoint released: nothing is committed yet
            return
        for callback in self.after_commit:
            callback(session)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: commits on success, rolls back on any exception."""
        with self._write_lock, self._writing() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work: closing it rolls back, so nothing it changes is kept.

        Objects read stay usable afterwards (closing does not expire them)."""
        with self._reading() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _refuse_writes_while_reading(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only unit of work tried to write: use Database.transaction()")


def serialize_on(session: Session, key: str) -> None:
    """Transactions that call this with the same ``key`` run one after the other: the
    second waits here until the first commits. On PostgreSQL an advisory lock held to the
    end of the transaction; SQLite runs one writer at a time already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
    memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": 30},
        **({"poolclass": StaticPool} if memory else {}),
    )
    _configure_sqlite(engine, wal=not memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    # Many rows in one INSERT … RETURNING id (a send's lines, tickets and events), not one
    # statement a row. SQLite gives an INTEGER PRIMARY KEY the next rowid for each row in
    # the order the VALUES list holds them, and a write holds the database, so the ids
    # rise in parameter order and SQLAlchemy can match them to the rows by sorting.
    engine.dialect.insertmanyvalues_implicit_sentinel = InsertmanyvaluesSentinelOpts.AUTOINCREMENT

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-16000")  # 16 MB of pages: a full day stays hot
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("masa_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def text_enum(enum_class: type, length: int = 16) -> Any:
    """An enum stored as its values in a VARCHAR (portable, and migrations stay simple)."""
    from sqlalchemy import Enum

    return Enum(enum_class, native_enum=False, length=length,
                values_callable=lambda members: [m.value for m in members])
