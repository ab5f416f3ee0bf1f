"""Stations and the routing rules that say which station makes which item."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class PrinterKind(StrEnum):
    NETWORK = "network"  # host:port (raw TCP, usually 9100)
    SERIAL = "serial"  # /dev/ttyUSB0[:baudrate]
    USB = "usb"  # vendor:product in hex, e.g. 04b8:0202
    FILE = "file"  # a path (a character device such as /dev/usb/lp0, or a file)


class Printer(Base):
    """A ticket printer: at a station, or a backup that takes over another's jobs."""

    __tablename__ = "printers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[PrinterKind] = mapped_column(text_enum(PrinterKind))
    address: Mapped[str] = mapped_column(String(200))
    profile: Mapped[str] = mapped_column(String(40), default="default")  # python-escpos profile
    # How ș ț (comma below, in no code page) print: mapped to ş ţ in CP852, or as an image.
    diacritics: Mapped[str] = mapped_column(String(12), default="cp852")
    width: Mapped[int] = mapped_column(default=42)  # characters a line (80 mm paper, font A)
    backup_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    failures_before_backup: Mapped[int] = mapped_column(default=3)
    active: Mapped[bool] = mapped_column(default=True)
    online: Mapped[bool] = mapped_column(default=True)  # as the worker last found it


class PrintJobStatus(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"  # claimed by a worker until claimed_until
    DONE = "done"
    FAILED = "failed"  # gave up: no backup either (an alert stays up)
    REROUTED = "rerouted"  # handed to the backup printer as a new job


class PrintJob(Base):
    """One ticket (or void, or reprint) to print: written with the send, printed by a worker."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    printer_id: Mapped[int] = mapped_column(ForeignKey("printers.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="ticket")  # ticket, void, reprint
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # what to print, laid out later
    status: Mapped[PrintJobStatus] = mapped_column(text_enum(PrintJobStatus),
                                                   default=PrintJobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    rerouted_from_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]

