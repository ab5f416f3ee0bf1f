"""Printers, the durable print queue, and the workers that drain it.

Every document a venue prints (a kitchen ticket, a pre-bill, a receipt, an X or Z report,
a drawer kick, a test page) is a ``PrintJob`` row written in the transaction that made
it, so a printer that is down never slows a request and nothing is lost when the server
dies. What the job is *about* is a plain ``subject`` ("ticket:1042", "bill:17"): the
devices know no ticket or bill, so any package above them may print.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import Base, BigId, text_enum, utcnow


class PrinterKind(StrEnum):
    NETWORK = "network"  # host:port (raw TCP, usually 9100)
    SERIAL = "serial"  # /dev/ttyUSB0[:baudrate]
    USB = "usb"  # vendor:product in hex, e.g. 04b8:0202
    FILE = "file"  # a path (a character device such as /dev/usb/lp0, or a file)


class Printer(Base):
    """A receipt or ticket printer: at a station or a till, or a backup that takes over
    another's jobs. A cash drawer hangs off a printer's drawer port."""

    __tablename__ = "printers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[PrinterKind] = mapped_column(text_enum(PrinterKind))
    address: Mapped[str] = mapped_column(String(200))
    profile: Mapped[str] = mapped_column(String(40), default="default")  # python-escpos profile
    # How ș ț (comma below, in no code page) print: mapped to ş ţ in CP852, or as an image.
    diacritics: Mapped[str] = mapped_column(String(12), default="cp852")
    width: Mapped[int] = mapped_column(default=42)  # characters a line (80 mm paper, font A)
    # The language of what it prints ("ro", "en"); None: the venue's.
    language: Mapped[str | None] = mapped_column(String(8))
    drawer_pin: Mapped[int] = mapped_column(default=2)  # 2 or 5: where its cash drawer is wired
    backup_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    failures_before_backup: Mapped[int] = mapped_column(default=3)
    active: Mapped[bool] = mapped_column(default=True)
    online: Mapped[bool] = mapped_column(default=True)  # as the worker last found it


class PrintJobStatus(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"  # claimed by a worker (claimed_by) until claimed_until
    DONE = "done"
    FAILED = "failed"  # gave up (an alert stays up)
    REROUTED = "rerouted"  # handed to the backup printer as a new job


class PrintJob(Base):
    """One document to print: written with the change it shows, printed by a worker.

    ``kind`` names its layout (``pos.devices.layouts``): "ticket", "void", "reprint" (the
    kitchen's), "document", "drawer_kick", "test_page"."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    printer_id: Mapped[int] = mapped_column(ForeignKey("printers.id"))
    subject: Mapped[str | None] = mapped_column(String(60), index=True)  # "ticket:1042"
    kind: Mapped[str] = mapped_column(String(20), default="ticket")
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # what to print, laid out later
    status: Mapped[PrintJobStatus] = mapped_column(text_enum(PrintJobStatus),
                                                   default=PrintJobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(32))  # a PrintWorkerRow id
    # Taken up again after the worker that had it died: it may have printed already, so
    # what prints now is headed as a possible copy.
    reclaimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    rerouted_from_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]


class PrintWorkerRow(Base):
    """A running print worker, as the others see it: alive while ``seen_at`` is fresh.

    A job claimed by a worker that stopped beating is taken up again within seconds
    instead of when its (long) claim runs out."""

    __tablename__ = "print_workers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Where its pid means something (host, boot, pid namespace); None where unknown.
    machine: Mapped[str | None] = mapped_column(String(200))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
