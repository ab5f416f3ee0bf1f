"""Stations, the routing rules that say which station makes which item, and tickets.

A station prints on a ``pos.devices.models.Printer``; its tickets print through the
devices' queue like every other document."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

import pos.devices.models  # noqa: F401  (stations.printer_id refers to printers)
from pos.core.db import Base, BigId, text_enum, utcnow
from pos.menu.models import Named


class Station(Named, Base):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # "grill": used in URLs and rooms
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    is_expo: Mapped[bool] = mapped_column(default=False)
    warn_after_seconds: Mapped[int] = mapped_column(default=8 * 60)  # ticket turns yellow
    late_after_seconds: Mapped[int] = mapped_column(default=12 * 60)  # ticket turns red
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))


class StationRoute(Base):
    """Item (or, failing an item rule, its category) → station. An item may go to several."""

    __tablename__ = "station_routes"
    __table_args__ = (
        CheckConstraint("(item_id IS NULL) <> (category_id IS NULL)", name="item_or_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("menu_items.id", ondelete="CASCADE"),
                                                index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True)


class TicketStatus(StrEnum):
    HELD = "held"  # its course waits to be fired: the kitchen sees it greyed
    FIRED = "fired"  # to make now
    BUMPED = "bumped"  # done at this station
    VOID = "void"  # every line on it was voided


class Ticket(Base):
    """What one station must make for one send of one check (one course of it)."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_station_status", "station_id", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), index=True)
    send_id: Mapped[int] = mapped_column(ForeignKey("sends.id"))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    status: Mapped[TicketStatus] = mapped_column(text_enum(TicketStatus))
    rush: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    fired_at: Mapped[datetime | None]
    first_line_done_at: Mapped[datetime | None]
    bumped_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]  # expo called the check's course ready
    ready_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    ready_by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    served_at: Mapped[datetime | None]  # the server picked it up from the pass
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    served_by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))

    lines: Mapped[list[TicketLine]] = relationship(order_by="TicketLine.id")


class TicketLine(Base):
    __tablename__ = "ticket_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    done_at: Mapped[datetime | None]
