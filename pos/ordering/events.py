"""What taking orders tells the rest of Masa, inside the same transaction.

Ordering knows nothing of kitchens. It says what happened to a check (lines sent, a
course fired, held again or rushed, a line voided or split, lines moved, checks merged,
a check transferred) and whoever cares has registered a reaction with
``@reacting_to(...)``: the kitchen makes and updates its tickets, an inventory would
deplete stock. A reaction runs in the caller's transaction, so it commits or rolls back
with the change; a reaction that refuses (raises a ``MasaError``) refuses the change.

The socket payloads ordering writes to the outbox are typed here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar

from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.core.events import record_event
from pos.floor.events import FLOOR, FLOOR_ROOM
from pos.ordering.lines import WrittenLine
from pos.ordering.models import Check, OrderLine, Send


@dataclass(frozen=True)
class LinesSent:
    check: Check
    send: Send
    lines: list[OrderLine | WrittenLine]
    held_courses: frozenset[int | None]  # their lines wait to be fired
    rushed_courses: frozenset[int | None]


@dataclass(frozen=True)
class SendRepeated:
    """A send came again (its answer was lost): say again where its lines went."""

    check: Check
    send: Send


@dataclass(frozen=True)
class Delivery:
    """What a reaction to ``LinesSent`` (or ``SendRepeated``) did with the lines."""

    tickets: int = 0
    stations: list[dict[str, Any]] = field(default_factory=list)  # {code, names}


@dataclass(frozen=True)
class CourseFired:
    check: Check
    course_id: int


@dataclass(frozen=True)
class CourseHeld:
    """A fired course held again. Told before the change: a reaction may refuse it
    (the kitchen has started it)."""

    check: Check
    course_id: int


@dataclass(frozen=True)
class CourseRushed:
    check: Check
    course_id: int


@dataclass(frozen=True)
class LineSplit:
    """Part of a sent line became a line of its own (void one of three beers)."""

    line: OrderLine
    part: OrderLine


@dataclass(frozen=True)
class LineVoided:
    check: Check
    line: OrderLine  # the voided line (the split-off part when only some were voided)


@dataclass(frozen=True)
class LinesMoved:
    source: Check
    target: Check
    line_ids: list[int]


@dataclass(frozen=True)
class ChecksMerged:
    source: Check
    target: Check


@dataclass(frozen=True)
class CheckTransferred:
    """Another table or server: whatever shows the check's table or server follows."""

    check: Check


Happening = (LinesSent | SendRepeated | CourseFired | CourseHeld | CourseRushed | LineSplit
             | LineVoided | LinesMoved | ChecksMerged | CheckTransferred)
H = TypeVar("H")
_reactions: dict[type, list[Callable[[Session, Any], Any]]] = defaultdict(list)


def reacting_to(kind: type[H]) -> Callable[[Callable[[Session, H], Any]],
                                           Callable[[Session, H], Any]]:
    """Register ``reaction(session, happening)`` for one kind of happening."""

    def register(reaction: Callable[[Session, H], Any]) -> Callable[[Session, H], Any]:
        if reaction not in _reactions[kind]:
            _reactions[kind].append(reaction)
        return reaction

    return register


def tell(session: Session, happening: Happening) -> list[Any]:
    """Run every reaction to ``happening``; their results, in registration order."""
    return [reaction(session, happening) for reaction in _reactions[type(happening)]]


# --- what tablets hear ---------------------------------------------------------------


class ChangedBy(TypedDict):
    id: int | None
    name: str


class CheckChanged(TypedDict):
    id: int
    version: int
    table_id: int | None
    status: str
    changed_by: ChangedBy


class TableShown(TypedDict):
    """What every tablet's floor plan shows of a table."""

    table_id: int
    state: str  # free, seated, ordered, food_ready, needs_clearing
    checks: list[int]
    guests: int
    seated_at: str | None
    server_id: int | None
    server: str | None
    servers: list[int]


def announce_table(session: Session, shown: TableShown) -> None:
    record_event(session, FLOOR, FLOOR_ROOM, "table", dict(shown))


def announce_check(session: Session, check: Check, actor: Actor) -> None:
    """Tablets showing this check reload it, and can say who changed it."""
    payload: CheckChanged = {"id": check.id, "version": check.version,
                             "table_id": check.table_id, "status": check.status.value,
                             "changed_by": {"id": actor.staff_id, "name": actor.name}}
    record_event(session, FLOOR, FLOOR_ROOM, "check", dict(payload))


class CourseShown(TypedDict):
    """Where one course of a check is in the kitchen, for the tablets showing the check."""

    check_id: int
    course_id: int
    fired_at: str | None
    rushed: bool
    kitchen_state: str | None
    kitchen_state_at: str | None


def announce_course(session: Session, shown: CourseShown) -> None:
    record_event(session, FLOOR, FLOOR_ROOM, "course", dict(shown))
