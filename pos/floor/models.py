"""Floors (rooms, terraces), the sections servers cover, and tables placed on a plan."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import Base, text_enum
from pos.menu.models import Named

GRID = 100  # a floor is a 100 × 100 grid of plan units; tables stand inside it


class TableShape(StrEnum):
    ROUND = "round"
    SQUARE = "square"
    RECTANGLE = "rectangle"


class Floor(Named, Base):
    __tablename__ = "floors"

    id: Mapped[int] = mapped_column(primary_key=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)

    # The tables standing on it now; a removed table that keeps past checks stays out of it.
    tables: Mapped[list[DiningTable]] = relationship(
        back_populates="floor", order_by="DiningTable.id",
        primaryjoin="and_(Floor.id == DiningTable.floor_id, DiningTable.removed_at.is_(None))")


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id"))


class DiningTable(Base):
    """A table; its position and size are in plan units (a 100 × 100 grid per floor)."""

    __tablename__ = "tables"
    __table_args__ = (
        UniqueConstraint("name", name="table_name"),
        CheckConstraint("seats >= 1", name="seats_positive"),
        CheckConstraint("rotation >= 0 AND rotation < 360", name="rotation_within_a_turn"),
        CheckConstraint("width >= 1 AND height >= 1", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    name: Mapped[str] = mapped_column(String(12))  # "5", "T3", "Bar 2"
    seats: Mapped[int]
    shape: Mapped[TableShape] = mapped_column(text_enum(TableShape),
                                              default=TableShape.SQUARE)
    x: Mapped[int] = mapped_column(default=0)
    y: Mapped[int] = mapped_column(default=0)
    width: Mapped[int] = mapped_column(default=10)
    height: Mapped[int] = mapped_column(default=10)
    rotation: Mapped[int] = mapped_column(default=0)  # degrees clockwise, 0–359
    # Its last check is paid but the table is not yet cleared and reset for new guests.
    needs_clearing: Mapped[bool] = mapped_column(default=False)
    # Its last check was paid at this time and the guests are still at it.
    paid_at: Mapped[datetime | None]
    # Taken off the floor plan; kept (its name with it) because past checks name it.
    removed_at: Mapped[datetime | None]

    floor: Mapped[Floor] = relationship(back_populates="tables")


class SectionAssignment(Base):
    """Which server covers which section (for today; the host changes it as needed)."""

    __tablename__ = "section_assignments"

    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"),
                                            primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"),
                                          primary_key=True)
