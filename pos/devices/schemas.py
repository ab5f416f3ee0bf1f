"""Printers and alerts as the back office sends and reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from pos.core.api import Id, Out, Schema
from pos.devices.models import PrinterKind


class NewPrinter(Schema):
    name: str = Field(min_length=1, max_length=60)
    kind: PrinterKind = Field(description="network (host:port), serial (/dev/ttyUSB0[:baud]), "
                              "usb (vendor:product in hex) or file (a path)")
    address: str = Field(min_length=1, max_length=200)
    backup_id: Id | None = Field(None, description="The printer that takes over its jobs "
                                 "when it is down")
    stations: list[Id] = Field(default_factory=list, max_length=50,
                               description="The kitchen stations whose tickets it prints")


class PrinterChange(Schema):
    """Only what is sent changes; ``backup_id: null`` takes the backup away."""

    name: str | None = Field(None, min_length=1, max_length=60)
    kind: PrinterKind | None = None
    address: str | None = Field(None, min_length=1, max_length=200)
    backup_id: Id | None = None
    stations: list[Id] | None = Field(None, max_length=50)


class PrinterOut(Out):
    id: int
    name: str
    kind: PrinterKind
    address: str
    backup_id: int | None
    online: bool
    alerted: bool = Field(description="An offline alert is up: its jobs go to the backup")
    stations: list[int] = Field(description="Ids of the stations that print to it")


class TestPageOut(Out):
    job_id: int
    printer_id: int


class AlertOut(Out):
    id: int
    kind: str
    subject: str
    message: dict[str, Any]
    raised_at: datetime
    cleared_at: datetime | None


class AlertsOut(Out):
    alerts: list[AlertOut]
    last_event: int = Field(description="Where the /office socket picks up")


class TerminalReportOut(Out):
    """What the card terminal answered to a request that moves no money."""

    ok: bool
    result_code: int | None = Field(None, description="The terminal's own code (ZVT), 0 = "
                                    "no error")
    terminal_id: str | None = None
    status: int | None = Field(None, description="The terminal's status byte, 0 = ready")
    software: str | None = None
    total: int | None = Field(None, description="End of day: the day's card turnover, minor "
                              "units")
    error: str | None = None


class EndOfDayOut(Out):
    at: datetime
    by: str | None
    ok: bool
    total: int | None
    error: str | None


class CardTerminalOut(Out):
    set_up: bool = Field(description="A terminal is set up (MASA_CARD_TERMINAL) and running")
    kind: str | None = Field(None, description="tcp, serial or simulator")
    address: str | None = None
    busy: bool = Field(description="A card payment is at the terminal right now")
    awaiting_answer: int = Field(description="Card payments whose answer was lost: the "
                                 "terminal (or a manager) still has to say")
    last_end_of_day: EndOfDayOut | None = None
