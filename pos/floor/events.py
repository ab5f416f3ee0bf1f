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
