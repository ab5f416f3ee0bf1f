"""Every document through one print queue: a receipt and a drawer kick reach a real TCP
printer with the kitchen's guarantees, and what a drawer needs that a ticket does not
(no paper, no backup printer, never opened twice when unsure)."""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pos.core.alerts import Alert
from pos.core.db import utcnow
from pos.devices.layouts import (
    DRAWER_KICK_STALE_SECONDS,
    PrintContext,
    PrinterInfo,
    print_document,
)
from pos.devices.models import Printer, PrintJob, PrintJobStatus, PrintWorkerRow
from pos.devices.print_queue import queue_print
from pos.devices.print_worker import drain


def _printer_fakes():
    """tests/kitchen/printer_fakes.py (that folder is not a package: loaded by its path)."""
    module = sys.modules.get("printer_fakes")
    if module is None:
        path = Path(__file__).resolve().parents[1] / "kitchen" / "printer_fakes.py"
        spec = importlib.util.spec_from_file_location("printer_fakes", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["printer_fakes"] = module
        spec.loader.exec_module(module)
    return module


fakes = _printer_fakes()
KICK = bytes.fromhex("1b 70 00 19 fa")


@pytest.fixture(autouse=True)
def no_background_print_worker(app):
    worker = app.extensions.get("masa_print_worker")
    if worker is not None:
        worker.stop()


@pytest.fixture
def till():
    printer = fakes.FakeNetworkPrinter("Till").start()
    yield printer
    printer.stop()


@pytest.fixture
def bar():
    printer = fakes.FakeNetworkPrinter("Bar").start()
    yield printer
    printer.stop()


def queue(db, printer_id: int, kind: str, document: dict, subject: str | None = None) -> int:
    with db.transaction() as session:
        job = queue_print(session, printer_id, kind, document, subject=subject)
        session.flush()
        return job.id


def job(db, job_id: int) -> PrintJob:
    with db.reading() as session:
        return session.get(PrintJob, job_id)


def test_a_receipt_reaches_the_printer_whole_as_laid_out(db, till):
    till_id = fakes.add_printer(db, "Till", "network", till.address, width=32)
    receipt = {"lines": [{"text": "Nota 7", "size": "double", "align": "center"},
                         {"text": "Ciorbă", "right": "18,00"}], "qr": "https://masa/r/7"}
    job_id = queue(db, till_id, "document", receipt, subject="bill:7")
    assert drain(db) == 1
    [printed] = till.tickets
    with db.reading() as session:
        info = PrinterInfo.of(session.get(Printer, till_id), False)
    assert printed == print_document(receipt, PrintContext(
        kind="document", printer=info, language="ro", timezone="Europe/Bucharest",
        now=utcnow()))
    assert job(db, job_id).status is PrintJobStatus.DONE


def test_the_drawer_opens_with_esc_p_alone_even_out_of_paper(db, till):
    till_id = fakes.add_printer(db, "Till", "network", till.address)
    till.paper = fakes.PAPER_OUT  # a receipt would wait; the cash drawer must not
    job_id = queue(db, till_id, "drawer_kick", {})
    assert drain(db) == 1
    [connection] = till.connections
    assert bytes(connection) == fakes.DLE_EOT + b"\x01" + fakes.DLE_EOT + b"\x04" + KICK
    assert job(db, job_id).status is PrintJobStatus.DONE


def test_a_drawer_kick_never_goes_to_the_backup_printer(db, till, bar):
    bar_id = fakes.add_printer(db, "Bar", "network", bar.address)
    till_id = fakes.add_printer(db, "Till", "network", till.address, backup_id=bar_id,
                                failures_before_backup=1, drawer_pin=5)
    till.stop()
    job_id = queue(db, till_id, "drawer_kick", {})
    now = utcnow()
    drain(db, now=now)
    waiting = job(db, job_id)
    assert (waiting.status, waiting.attempts) == (PrintJobStatus.QUEUED, 1)
    assert bar.connections == []  # the drawer is wired to the till printer, not the bar's
    with db.reading() as session:
        [alert] = session.scalars(select(Alert)).all()
    assert alert.message["backup"] == "Bar"  # the till's receipts would go there
    till.start()
    drain(db, now=now + timedelta(seconds=5))
    assert fakes.ticket_bytes(bytes(till.connections[-1])) == bytes.fromhex("1b 70 01 19 fa")
    assert job(db, job_id).status is PrintJobStatus.DONE and bar.connections == []


def test_a_drawer_kick_a_minute_late_is_dropped_when_its_printer_comes_back(db, till):
    till_id = fakes.add_printer(db, "Till", "network", till.address)
    till.stop()
    job_id = queue(db, till_id, "drawer_kick", {})
    now = utcnow()
    drain(db, now=now)
    till.start()
    drain(db, now=now + timedelta(seconds=DRAWER_KICK_STALE_SECONDS + 5))
    assert all(KICK not in bytes(c) for c in till.connections)  # the sale is long gone
    late = job(db, job_id)
    assert late.status is PrintJobStatus.FAILED and "too late" in late.last_error


def test_a_drawer_kick_caught_by_a_dead_worker_is_not_repeated(db, till):
    till_id = fakes.add_printer(db, "Till", "network", till.address)
    now = utcnow()
    with db.transaction() as session:
        session.add(PrintWorkerRow(id="dead", machine="another host", pid=1,
                                   started_at=now, seen_at=now - timedelta(minutes=1)))
    job_id = fakes.queue_job(db, till_id, {}, kind="drawer_kick", claimed_by="dead",
                             status=PrintJobStatus.PRINTING,
                             claimed_until=now + timedelta(seconds=60))
    drain(db, now=now)
    assert till.connections == []  # the drawer may be open already: nobody opens it again
    closed = job(db, job_id)
    assert closed.status is PrintJobStatus.FAILED and "not repeated" in closed.last_error
