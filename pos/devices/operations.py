"""Setting up printers from the back office: add, change, retire, print a test page; and
asking the card terminal how it is, or for its end of day.

A printer is never deleted: its print jobs keep pointing at it. Retiring one takes it
out of every list and out of the backup chain; the packages above it (the kitchen's
stations) let go of it in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos.core.alerts import Alert
from pos.core.audit import AuditEntry, record_audit
from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.core.events import record_event
from pos.devices.models import Printer, PrinterKind, PrintJob
from pos.devices.print_queue import printer_alert_rooms, queue_print
from pos.devices.print_worker import ALERT_KIND
from pos.devices.terminals import (
    AttemptState,
    Terminal,
    TerminalBusy,
    TerminalError,
    TerminalReport,
)
from pos.devices.zvt import ZvtTerminal, ZvtTimeouts
from pos.venue.models import Venue

HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?$")
SERIAL_BAUDS = frozenset({1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200})
USB_ID = re.compile(r"^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$")
EDITABLE = ("name", "kind", "address", "backup_id")


def address_problem(kind: PrinterKind, address: str) -> str | None:
    """Why ``address`` cannot reach a printer of ``kind``, in the manager's words; None
    when it can be tried."""
    if kind is PrinterKind.NETWORK:
        host, port = split_host_port(address)
        if host is None or not HOST.match(host) and not is_ipv6(host):
            return _("A network printer's address is host:port, e.g. 192.168.1.50:9100.")
        if port is None or not 1 <= port <= 65535:
            return _("The port is a number from 1 to 65535 (printers use 9100).")
        return None
    if kind is PrinterKind.SERIAL:
        device, _sep, baud = address.partition(":")
        if not device.startswith("/dev/") or len(device) < 6 or " " in device:
            return _("A serial printer's address is its device, e.g. /dev/ttyUSB0[:9600].")
        if baud and (not baud.isdigit() or int(baud) not in SERIAL_BAUDS):
            return _("The speed is one of %(bauds)s.",
                     bauds=", ".join(str(b) for b in sorted(SERIAL_BAUDS)))
        return None
    if kind is PrinterKind.USB:
        return None if USB_ID.match(address) else _(
            "A USB printer's address is vendor:product in hex, e.g. 04b8:0202.")
    return None if address.startswith("/") else _("A file printer's address is a full path.")


def split_host_port(address: str) -> tuple[str | None, int | None]:
    """``host:port`` (``[v6]:port`` too); the port defaults to 9100 as printers use."""
    if address.startswith("["):
        host, closed, rest = address[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            return None, None
        port = rest[1:]
    elif address.count(":") == 1:
        host, port = address.split(":")
    elif ":" in address:
        return None, None
    else:
        host, port = address, "9100"
    return host or None, int(port) if port.isdigit() and len(port) <= 5 else None


def is_ipv6(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


def active_printers(session: Session) -> list[Printer]:
    return list(session.scalars(select(Printer).where(Printer.active.is_(True))
                                .order_by(Printer.name, Printer.id)))


def alerted_printers(session: Session) -> set[int]:
    """Printers with an offline alert up: their jobs go to their backup."""
    subjects = session.scalars(select(Alert.subject).where(
        Alert.kind == ALERT_KIND, Alert.cleared_at.is_(None)))
    return {int(s.partition(":")[2]) for s in subjects if s.partition(":")[2].isdigit()}


def get_printer(session: Session, printer_id: int, *, lock: bool = False) -> Printer:
    printer = session.get(Printer, printer_id, with_for_update=lock)
    if printer is None or not printer.active:
        raise NotFound(_("No such printer."), field="printer_id")
    return printer


def add_printer(session: Session, actor: Actor, *, name: str, kind: PrinterKind,
                address: str, backup_id: int | None) -> Printer:
    refuse_bad_address(kind, address)
    refuse_taken_name(session, name, None)
    printer = Printer(name=name, kind=kind, address=address, active=True, online=True)
    session.add(printer)
    session.flush()
    if backup_id is not None:
        printer.backup_id = usable_backup(session, printer, backup_id).id
    record_audit(session, "printer.added", actor=actor, subject=f"printer:{printer.id}",
                 changes={field: [None, value] for field, value in described(printer).items()})
    return printer


def change_printer(session: Session, actor: Actor, printer_id: int,
                   changes: dict[str, Any]) -> Printer:
    """Name, kind, address and backup, checked together; audited with before and after."""
    printer = get_printer(session, printer_id, lock=True)
    for field in ("name", "kind", "address"):
        if field in changes and changes[field] is None:
            raise InvalidInput(_("'%(field)s' cannot be empty.", field=field), field=field)
    kind = PrinterKind(changes.get("kind", printer.kind))
    refuse_bad_address(kind, changes.get("address", printer.address))
    if "name" in changes:
        refuse_taken_name(session, changes["name"], printer.id)
    if changes.get("backup_id") is not None:
        usable_backup(session, printer, changes["backup_id"])
    before = described(printer)
    for field in EDITABLE:
        if field in changes:
            setattr(printer, field, changes[field])
    after = described(printer)
    changed = {f: [before[f], after[f]] for f in after if before[f] != after[f]}
    if changed:
        record_audit(session, "printer.changed", actor=actor, subject=f"printer:{printer.id}",
                     changes=changed)
    return printer


def retire_printer(session: Session, actor: Actor, printer_id: int) -> Printer:
    """Out of every list and every backup chain; the venue's receipts fall back to the
    till's shift printer. Jobs still queued for it go to its backup (the worker skips a
    retired printer)."""
    printer = get_printer(session, printer_id, lock=True)
    printer.active = False
    session.execute(update(Printer).where(Printer.backup_id == printer.id)
                    .values(backup_id=printer.backup_id)
                    .execution_options(synchronize_session="fetch"))
    session.execute(update(Venue).where(Venue.receipt_printer_id == printer.id)
                    .values(receipt_printer_id=None)
                    .execution_options(synchronize_session="fetch"))
    record_audit(session, "printer.removed", actor=actor, subject=f"printer:{printer.id}",
                 name=printer.name, address=printer.address)
    return printer


def queue_test_page(session: Session, printer_id: int, note: str | None = None) -> PrintJob:
    """The test page goes through the print queue like any document: it shows that the
    printer, its address and the worker all work (or raises the same alert a ticket would)."""
    printer = get_printer(session, printer_id)
    document = {"note": note} if note else {}
    job = queue_print(session, printer.id, "test_page", document,
                      subject=f"test_page:{printer.id}")
    session.flush()
    return job


def acknowledge_alert(session: Session, alert_id: int) -> Alert:
    """A manager has seen it: it leaves every screen. A printer's offline alert is not
    taken down by hand: it clears itself when the printer answers again."""
    alert = session.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        raise NotFound(_("No such alert."), field="alert_id")
    if alert.kind == ALERT_KIND:
        raise Conflict(_("This alert clears itself when the printer answers again."),
                       field="alert_id")
    if alert.cleared_at is None:
        alert.cleared_at = utcnow()
        announce_cleared(session, alert)
    return alert


def announce_cleared(session: Session, alert: Alert) -> None:
    rooms = dict.fromkeys([("/office", "office"), *printer_alert_rooms()])
    for namespace, room in rooms:
        record_event(session, namespace, room, "alert_cleared", alert.event_data())


def open_alerts(session: Session) -> list[Alert]:
    return list(session.scalars(select(Alert).where(Alert.cleared_at.is_(None))
                                .order_by(Alert.raised_at.desc(), Alert.id.desc()).limit(200)))


def refuse_bad_address(kind: PrinterKind, address: str) -> None:
    problem = address_problem(kind, address)
    if problem is not None:
        raise InvalidInput(problem, field="address")


def refuse_taken_name(session: Session, name: str, own_id: int | None) -> None:
    taken = session.scalar(select(Printer.id).where(Printer.name == name,
                                                    Printer.active.is_(True)))
    if taken is not None and taken != own_id:
        raise Conflict(_("Another printer is called “%(name)s”.", name=name), field="name")


def usable_backup(session: Session, printer: Printer, backup_id: int) -> Printer:
    """Another active printer whose own backups never lead back to this one."""
    backup = session.get(Printer, backup_id)
    if backup is None or not backup.active:
        raise InvalidInput(_("No such printer to take over."), field="backup_id")
    seen, step = {printer.id}, backup
    while step is not None:
        if step.id in seen:
            raise InvalidInput(_("A printer cannot back itself up, even through another."),
                               field="backup_id")
        seen.add(step.id)
        step = session.get(Printer, step.backup_id) if step.backup_id else None
    return backup


def described(printer: Printer) -> dict[str, Any]:
    return {"name": printer.name, "kind": str(printer.kind), "address": printer.address,
            "backup_id": printer.backup_id}



# --- the card terminal, from the back office -------------------------------------------------
# A status check and the end of day move no money: they go to the terminal only while no
# payment holds it (``TerminalBusy``), with waits short enough for someone at a screen,
# and a terminal that does not answer is said so (409), never waited on for minutes.

CHECK_WAITS = ZvtTimeouts(connect=3.0, ack=1.0, answer=5.0, silence=15.0, transaction=30.0,
                          abort=5.0)
END_OF_DAY_WAITS = ZvtTimeouts(connect=3.0, ack=1.0, answer=5.0, silence=60.0,
                               transaction=120.0, abort=10.0)


def with_waits(terminal: Terminal, waits: ZvtTimeouts) -> Terminal:
    """The same ZVT terminal, waiting no longer than ``waits`` (nor than it does itself)."""
    if not isinstance(terminal, ZvtTerminal):
        return terminal
    own = terminal.timeouts
    shorter = ZvtTimeouts(**{name: min(getattr(own, name), getattr(waits, name))
                             for name in ZvtTimeouts.__dataclass_fields__})
    where = f"[{terminal.where}]" if ":" in terminal.where else terminal.where
    address = (f"serial:{terminal.where}:{terminal.port}" if terminal.kind == "serial"
               else f"{where}:{terminal.port}")
    return ZvtTerminal(address, terminal.journal, name=terminal.name,
                       password=terminal.password, config_byte=terminal.config_byte,
                       currency=terminal.currency, timeouts=shorter)


def refuse_while_paying(terminal: Terminal, *, unknown_too: bool = False) -> None:
    """A payment sent to the terminal and not yet answered (by this process or another)
    holds it; for the end of day, so does one whose answer was lost: the end of day
    clears the terminal's memory of its last transaction, which recovery asks for."""
    journal = getattr(terminal, "journal", None)
    attempts = journal.unresolved(terminal.name) if journal is not None else []
    if any(a.state is AttemptState.SENT for a in attempts):
        raise Conflict(_("A card payment is in progress at the terminal."), code="busy")
    if unknown_too and attempts:
        raise Conflict(_("The terminal has not yet answered for a card payment: settle it "
                         "first (the cashier resolves it from the terminal's slip)."),
                       code="unresolved")


def no_answer(report: TerminalReport) -> bool:
    """The terminal said nothing we could read (as against a refusal or a bad status)."""
    return not report.ok and report.result_code is None and report.status is None


def ask_terminal(desk: Any, what: str) -> TerminalReport:
    """``what`` ("status_enquiry" or "end_of_day") at the card desk's terminal, now or
    never: refused when no terminal is set up, a payment holds it, or it cannot be
    reached. Whatever the terminal answered is returned, even a refusal."""
    if desk is None:
        raise Conflict(_("No card terminal is set up."), code="no_terminal")
    end_of_day = what == "end_of_day"
    try:
        with desk.idle_terminal() as terminal:
            refuse_while_paying(terminal, unknown_too=end_of_day)
            quick = with_waits(terminal, END_OF_DAY_WAITS if end_of_day else CHECK_WAITS)
            return getattr(quick, what)()
    except TerminalBusy as busy:
        raise Conflict(str(busy), code="busy") from None
    except TerminalError:
        raise Conflict(_("The card terminal does not answer: is it on and connected?"),
                       code="no_answer") from None


def refuse_no_answer(report: TerminalReport) -> None:
    if no_answer(report):
        raise Conflict(_("The card terminal does not answer: is it on and connected?"),
                       code="no_answer")


def record_end_of_day(session: Session, actor: Actor, terminal: str,
                      report: TerminalReport) -> None:
    """Every end of day that went out is audited, answered or not (the terminal may have
    closed its day and lost the line before saying so)."""
    details = {key: value for key, value in asdict(report).items() if value is not None}
    record_audit(session, "terminal.end_of_day", actor=actor, subject=f"terminal:{terminal}",
                 by=actor.name, **details)


def last_end_of_day(session: Session) -> AuditEntry | None:
    return session.scalar(select(AuditEntry).where(AuditEntry.action == "terminal.end_of_day")
                          .order_by(AuditEntry.id.desc()).limit(1))
