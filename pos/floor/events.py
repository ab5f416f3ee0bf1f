"""What tablets hear from the floor: who covers a section."""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy.orm import Session

from pos.core.events import record_event

FLOOR = "/floor"
FLOOR_ROOM = "floor"


class SectionCovered(TypedDict):
    id: int
    name: str
    floor_id: int
    staff_ids: list[int]


def announce_section(session: Session, section: SectionCovered) -> None:
    """Every tablet hears it; a waiter's "my section" view follows."""
    record_event(session, FLOOR, FLOOR_ROOM, "section", dict(section))


# --- the layout: where tables stand, what they are called (not their live state) -------


class TableLayout(TypedDict):
    id: int
    floor_id: int
    section_id: int | None
    name: str
    seats: int
    shape: str
    x: int
    y: int
    width: int
    height: int
    rotation: int


class FloorLayout(TypedDict):
    id: int
    names: dict[str, str]
    position: int


def announce_table_layout(session: Session, table: TableLayout) -> None:
    """A table was added, moved, resized, turned or renamed: a tablet's plan follows it (its
    live state, which ordering announces, is untouched)."""
    record_event(session, FLOOR, FLOOR_ROOM, "layout", {"what": "table", "table": dict(table)})


def announce_table_removed(session: Session, table_id: int, floor_id: int) -> None:
    record_event(session, FLOOR, FLOOR_ROOM, "layout",
                 {"what": "table_removed", "id": table_id, "floor_id": floor_id})


def announce_floors(session: Session, floors: list[FloorLayout]) -> None:
    """The floors as they are now (added, renamed, reordered or removed): few, so all of them."""
    record_event(session, FLOOR, FLOOR_ROOM, "layout",
                 {"what": "floors", "floors": [dict(floor) for floor in floors]})
