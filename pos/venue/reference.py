"""Reference data cached per process, checked against one number per transaction.

Menus, courses, stations, routes, tax rates, table and staff names change rarely and are
read on every send. Each package that reads them keeps its own cache (ordering its menu
shape, the kitchen its stations and routes) built by a function of its own and
registered here with the models it is built from. A cache is valid while the venue's
``config_version`` is the one it was built at; any flush that touches a registered
model bumps that number (a listener below does it, so no operation can forget), and
every process rebuilds on its next use. Live data (86 flags and counts, checks,
tickets) is never cached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import chain
from typing import Any, Generic, TypeVar

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from pos.venue.models import BusinessDay, TaxRate, Venue

T = TypeVar("T")

_reference_models: set[type] = {Venue, TaxRate}
_live_attributes: set[str] = {"config_version"}
VERSION_KEY = "masa_config_version"
DAY_OPEN_KEY = "masa_day_open"
BUMPED_KEY = "masa_config_bumped"


def register_reference_models(*models: type, live: tuple[str, ...] = ()) -> None:
    """Changes to these models invalidate every reference cache; ``live`` attributes
    (86 flags, counts) change without touching the cached shape."""
    _reference_models.update(models)
    _live_attributes.update(live)


class ReferenceCache(Generic[T]):
    """``cache.get(session)``: what ``build(session)`` made at the current config version,
    shared by every request of this process on this database."""

    def __init__(self, name: str, build: Callable[[Session], T]) -> None:
        self.name, self.build = name, build
        self._built: dict[str, tuple[int, T]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session) -> T:
        key = f"masa_reference:{self.name}"
        if key in session.info:
            return session.info[key]
        version = config_version(session)
        database = str(session.get_bind().url)
        built = self._built.get(database)
        if built is None or built[0] != version:
            built = (version, self.build(session))
            if not session.info.get(BUMPED_KEY):  # not what this transaction may roll back
                with self._lock:
                    self._built[database] = built
        session.info[key] = built[1]
        return built[1]


OPEN_DAY = select(BusinessDay.__table__.c.id).where(BusinessDay.__table__.c.is_open.is_(True))
# Both asked on every order, so both in one statement, once per transaction.
VENUE_STATE = select(Venue.__table__.c.config_version, OPEN_DAY.scalar_subquery()) \
    .where(Venue.__table__.c.id == 1)


def read_venue_state(session: Session) -> None:
    row = session.connection().execute(VENUE_STATE).first()
    session.info[VERSION_KEY] = row[0] if row else 0
    session.info[DAY_OPEN_KEY] = row is not None and row[1] is not None


def config_version(session: Session) -> int:
    """Read once per transaction (a bump in this transaction forgets it)."""
    if VERSION_KEY not in session.info:
        read_venue_state(session)
    return session.info[VERSION_KEY]


def day_is_open(session: Session) -> bool:
    """Read with the config version, once per transaction (opening or closing the day
    forgets it)."""
    if DAY_OPEN_KEY not in session.info:
        read_venue_state(session)
    return session.info[DAY_OPEN_KEY]


def forget_day(session: Session) -> None:
    session.info.pop(DAY_OPEN_KEY, None)


def touches_reference(thing: Any) -> bool:
    if not isinstance(thing, tuple(_reference_models)):
        return False
    state = inspect(thing)
    if state.pending or state.deleted or not state.persistent:
        return True
    return any(attribute.history.has_changes() for attribute in state.attrs
               if attribute.key not in _live_attributes)


def forget_cached(session: Session) -> None:
    for key in [k for k in session.info if k.startswith("masa_reference:")]:
        del session.info[key]
    session.info.pop(VERSION_KEY, None)
    forget_day(session)


@event.listens_for(Session, "before_flush")
def bump_config_version(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(BUMPED_KEY):
        return
    if any(touches_reference(thing) for thing in chain(session.new, session.dirty,
                                                        session.deleted)):
        session.info[BUMPED_KEY] = True
        forget_cached(session)
        session.execute(update(Venue).values(config_version=Venue.config_version + 1))


@event.listens_for(Session, "after_transaction_end")
def forget_bump(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(BUMPED_KEY, None)
        forget_cached(session)
