"""Station printers: every ticket printed once — retried while a printer is down, handed
to its backup after a few tries (with an alert), and never printed on both."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from printer_fakes import (
    CUT,
    DLE_EOT,
    PAPER_OUT,
    STATUS_OK,
    FakeNetworkPrinter,
    FakeSerialPrinter,
    add_printer,
    queue_job,
    ticket_document,
    wait_for,
)
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from support import PINS, Tablet

from kitchen.models import Station
from kitchen.printing import render_ticket
from pos.core.alerts import Alert
from pos.core.db import Database, utcnow
from pos.core.events import Event
from pos.devices import print_worker
from pos.devices.models import Printer, PrintJob, PrintJobStatus, PrintWorkerRow
from pos.devices.print_worker import (
    CLAIM_SECONDS,
    PrintWorker,
    backoff,
    drain,
    start_print_worker,
)
from pos.devices.printers import send
from pos.venue.models import Venue

TABLE_12 = b"MASA 12"
SOUP = "Ciorbă de perişoare".encode("cp852")  # ș printed as ş


@pytest.fixture(autouse=True)
def no_background_print_worker(app):
    """These tests drive the worker by hand: stop one the app may have started."""
    worker = app.extensions.get("masa_print_worker")
    if worker is not None:
        worker.stop()


@pytest.fixture
def grill():
    printer = FakeNetworkPrinter("Grill").start()
    yield printer
    printer.stop()


@pytest.fixture
def bar():
    printer = FakeNetworkPrinter("Bar").start()
    yield printer
    printer.stop()


def job(db, job_id: int) -> PrintJob:
    with db.reading() as session:
        return session.get(PrintJob, job_id)


def jobs(db) -> list[PrintJob]:
    with db.reading() as session:
        return list(session.scalars(select(PrintJob).order_by(PrintJob.id)))


def printer(db, printer_id: int) -> Printer:
    with db.reading() as session:
        return session.get(Printer, printer_id)


def alerts(db) -> list[Alert]:
    with db.reading() as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)))


def events(db, name: str) -> list[Event]:
    with db.reading() as session:
        return list(session.scalars(select(Event).where(Event.name == name).order_by(Event.id)))


def test_a_network_printer_is_asked_its_status_then_gets_the_whole_ticket(db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    job_id = queue_job(db, grill_id)

    assert drain(db) == 1

    [connection] = grill.connections
    assert connection.startswith(DLE_EOT + b"\x01" + DLE_EOT + b"\x04")  # online? paper?
    [ticket] = grill.tickets
    assert ticket == render_ticket(ticket_document())  # whole, as laid out
    assert TABLE_12 in ticket and SOUP in ticket and ticket.endswith(CUT + b"\x00")
    done = job(db, job_id)
    assert (done.status, done.attempts, done.claimed_until) == (PrintJobStatus.DONE, 0, None)
    assert done.printed_at is not None
    assert drain(db) == 0 and len(grill.tickets) == 1


def test_a_dead_printer_is_retried_with_backoff_then_its_tickets_go_to_the_backup_once(
        db, grill, bar):
    bar_id = add_printer(db, "Bar", "network", bar.address)
    grill_id = add_printer(db, "Grill", "network", grill.address, backup_id=bar_id,
                           failures_before_backup=3)
    job_id = queue_job(db, grill_id)
    grill.stop()  # switched off: connections refused
    t0 = utcnow()

    drain(db, now=t0)
    first = job(db, job_id)
    assert (first.status, first.attempts) == (PrintJobStatus.QUEUED, 1)
    assert first.next_attempt_at == t0 + timedelta(seconds=1)
    assert "127.0.0.1" in first.last_error
    assert printer(db, grill_id).online is False
    assert alerts(db) == []  # one failure is not yet an outage

    drain(db, now=t0 + timedelta(seconds=0.5))  # still backing off: not tried
    assert job(db, job_id).attempts == 1
    drain(db, now=t0 + timedelta(seconds=1))
    assert job(db, job_id).attempts == 2
    assert job(db, job_id).next_attempt_at == t0 + timedelta(seconds=1 + 2)
    drain(db, now=t0 + timedelta(seconds=2.9))
    assert job(db, job_id).attempts == 2
    assert bar.tickets == []

    drain(db, now=t0 + timedelta(seconds=3))  # third failure: over to the bar printer
    original, copy = jobs(db)
    assert (original.id, original.status, original.attempts) == (
        job_id, PrintJobStatus.REROUTED, 3)
    assert (copy.printer_id, copy.status, copy.rerouted_from_id) == (
        bar_id, PrintJobStatus.DONE, job_id)
    assert copy.document["rerouted_from"] == {"printer": "Grill", "printer_id": grill_id,
                                              "job_id": job_id}
    [ticket] = bar.tickets
    assert TABLE_12 in ticket and SOUP in ticket
    assert b"Preluat de la imprimanta Grill" in ticket

    [alert] = alerts(db)
    assert (alert.kind, alert.subject, alert.cleared_at) == (
        "printer_offline", f"printer:{grill_id}", None)
    assert alert.message == {"key": "printer_offline", "printer": "Grill",
                             "printer_id": grill_id, "backup": "Bar", "backup_id": bar_id}
    raised = events(db, "alert")
    assert {(e.namespace, e.room) for e in raised} == {("/kitchen", "alerts"),
                                                       ("/office", "office")}
    assert all(e.data["id"] == alert.id and e.data["message"]["backup"] == "Bar"
               for e in raised)

    # While the grill printer is down its new tickets go straight to the bar printer.
    second_id = queue_job(db, grill_id, ticket_document(ticket_id=1043, table="7"))
    drain(db, now=t0 + timedelta(seconds=4))
    second = job(db, second_id)
    assert (second.status, second.attempts) == (PrintJobStatus.REROUTED, 0)
    assert len(bar.tickets) == 2 and b"MASA 7" in bar.tickets[1]
    assert len(alerts(db)) == 1  # one alert per printer, not per ticket

    # The grill printer comes back: its alert clears; what went to the bar never reprints.
    grill.start()
    drain(db, now=t0 + timedelta(seconds=40))
    assert printer(db, grill_id).online is True
    [alert] = alerts(db)
    assert alert.cleared_at is not None
    cleared = events(db, "alert_cleared")
    assert {(e.namespace, e.room) for e in cleared} == {("/kitchen", "alerts"),
                                                        ("/office", "office")}
    drain(db, now=t0 + timedelta(seconds=100))
    assert grill.tickets == []  # probed, never printed to
    assert len(bar.tickets) == 2  # exactly one copy of each ticket
    assert [j.status for j in jobs(db)] == [PrintJobStatus.REROUTED, PrintJobStatus.DONE,
                                            PrintJobStatus.REROUTED, PrintJobStatus.DONE]

    # And new tickets are the grill printer's again.
    queue_job(db, grill_id, ticket_document(ticket_id=1044, table="9"))
    drain(db, now=utcnow() + timedelta(seconds=200))
    [ticket] = grill.tickets
    assert b"MASA 9" in ticket and len(bar.tickets) == 2


def test_without_a_backup_a_job_waits_with_capped_backoff_and_an_alert_never_dropped(
        db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address, failures_before_backup=2)
    job_id = queue_job(db, grill_id)
    grill.stop()
    now = utcnow()
    for attempt in range(1, 9):
        drain(db, now=now)
        waiting = job(db, job_id)
        assert (waiting.status, waiting.attempts) == (PrintJobStatus.QUEUED, attempt)
        assert waiting.next_attempt_at - now == backoff(attempt)
        now = waiting.next_attempt_at
    assert backoff(8) == timedelta(seconds=30)  # 1, 2, 4, 8, 16, 30, 30 …
    [alert] = alerts(db)
    assert alert.message["backup"] is None and alert.message["printer"] == "Grill"
    assert len(events(db, "alert")) == 2  # expo and office, once

    grill.start()  # back while the job still waits out its 30 s: it prints at once
    drain(db, now=now - timedelta(seconds=25))
    assert job(db, job_id).status is PrintJobStatus.DONE
    assert len(grill.tickets) == 1
    assert alerts(db)[0].cleared_at is not None
    assert printer(db, grill_id).online is True


def test_out_of_paper_is_a_failed_attempt_and_nothing_is_sent(db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    job_id = queue_job(db, grill_id)
    grill.paper = PAPER_OUT
    now = utcnow()
    drain(db, now=now)
    waiting = job(db, job_id)
    assert (waiting.status, waiting.attempts, waiting.last_error) == (
        PrintJobStatus.QUEUED, 1, "out of paper")
    assert grill.tickets == []  # only the status questions reached it

    grill.paper = STATUS_OK
    drain(db, now=now + timedelta(seconds=1))
    assert job(db, job_id).status is PrintJobStatus.DONE and len(grill.tickets) == 1


def test_two_workers_on_one_queue_print_each_ticket_once(db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    ticket_ids = range(2001, 2013)
    for ticket_id in ticket_ids:
        queue_job(db, grill_id, ticket_document(ticket_id=ticket_id))
    other_process = Database(db.url)  # its own engine and connections, as another process
    start = threading.Barrier(2)
    handled: dict[str, int] = {}

    def slow_send(target, data):  # printing takes a while: the workers overlap
        time.sleep(0.01)
        return send(target, data)

    def run(name: str, database: Database) -> None:
        start.wait()
        handled[name] = sum(drain(database, send=slow_send) for _ in range(3))

    threads = [threading.Thread(target=run, args=("a", db)),
               threading.Thread(target=run, args=("b", other_process))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    other_process.dispose()

    assert sum(handled.values()) == len(ticket_ids)
    assert all(j.status is PrintJobStatus.DONE for j in jobs(db))
    printed = b"".join(grill.tickets)
    assert len(grill.tickets) == len(ticket_ids)
    for ticket_id in ticket_ids:
        assert printed.count(b"Bon #%d\n" % ticket_id) == 1


def test_a_claim_is_respected_until_it_runs_out(db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    now = utcnow()
    job_id = queue_job(db, grill_id, status=PrintJobStatus.PRINTING,
                       claimed_until=now + timedelta(seconds=20))
    assert drain(db, now=now) == 0  # another worker is on it
    assert grill.tickets == []
    assert drain(db, now=now + timedelta(seconds=21)) == 1  # that worker died: take it over
    assert job(db, job_id).status is PrintJobStatus.DONE and len(grill.tickets) == 1


class FlakyDatabase:
    """The database, with write transactions that fail while ``broken`` is set."""

    def __init__(self, db: Database) -> None:
        self.db, self.broken = db, False

    def reading(self):
        return self.db.reading()

    def transaction(self):
        if self.broken:
            raise OperationalError("UPDATE print_jobs", {}, ConnectionError("database gone"))
        return self.db.transaction()


def test_a_sent_ticket_is_not_sent_again_when_marking_it_done_fails(db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    job_id = queue_job(db, grill_id)
    flaky = FlakyDatabase(db)

    def send_then_lose_the_database(target, data):
        status = send(target, data)
        flaky.broken = True
        return status

    worker = PrintWorker(flaky, send=send_then_lose_the_database)  # type: ignore[arg-type]
    now = utcnow()
    worker.drain(now)
    assert len(grill.tickets) == 1
    assert job(db, job_id).status is PrintJobStatus.PRINTING  # "done" could not be written

    later = now + timedelta(seconds=CLAIM_SECONDS + 1)
    worker.drain(later)  # its claim ran out: still not sent again
    assert len(grill.tickets) == 1
    flaky.broken = False
    worker.drain(later + timedelta(seconds=1))
    assert job(db, job_id).status is PrintJobStatus.DONE
    assert len(grill.tickets) == 1


def test_a_serial_printer_on_a_pseudo_terminal_receives_its_ticket(db):
    fake = FakeSerialPrinter()
    try:
        printer_id = add_printer(db, "Pastry", "serial", f"{fake.device}:19200")
        job_id = queue_job(db, printer_id, ticket_document(ticket_id=77))
        assert drain(db) == 1
        assert job(db, job_id).status is PrintJobStatus.DONE
        printed = wait_for(lambda: fake.printed.endswith(CUT + b"\x00") and fake.printed)
        assert fake.received.startswith(DLE_EOT + b"\x01" + DLE_EOT + b"\x04")
        assert printed == render_ticket(ticket_document(ticket_id=77))
        assert SOUP in printed and b"Bon #77" in printed
    finally:
        fake.stop()


def test_a_file_printer_writes_the_ticket_and_an_unwritable_one_fails(db, tmp_path):
    path = tmp_path / "lp0"
    good = add_printer(db, "Cold", "file", str(path))
    bad = add_printer(db, "Broken", "file", str(tmp_path / "no" / "such" / "lp0"))
    good_job, bad_job = queue_job(db, good), queue_job(db, bad)
    drain(db)
    assert job(db, good_job).status is PrintJobStatus.DONE
    assert path.read_bytes() == render_ticket(ticket_document())
    failed = job(db, bad_job)
    assert (failed.status, failed.attempts) == (PrintJobStatus.QUEUED, 1)
    assert "not writable" in failed.last_error


def test_an_image_printer_gets_the_drawn_ticket(db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address, diacritics="image")
    queue_job(db, grill_id)
    drain(db)
    [ticket] = grill.tickets
    assert b"\x1dv0" in ticket and TABLE_12 in ticket and ticket.endswith(CUT + b"\x00")


def test_the_app_s_worker_thread_prints_queued_jobs(app, db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    worker = start_print_worker(app)
    try:
        queue_job(db, grill_id)
        worker.wake()
        wait_for(lambda: grill.tickets)
        assert start_print_worker(app) is worker  # one per app
    finally:
        worker.stop()
    assert len(grill.tickets) == 1


def test_a_send_from_a_tablet_prints_at_the_station_s_printer(app, db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    with db.transaction() as session:
        session.scalar(select(Station).where(Station.code == "grill")).printer_id = grill_id
        session.get(Venue, 1).config_version += 1
    tablet = Tablet(app.test_client(), PINS["waiter"])
    tablet.sent(tablet.seat("5", guests=2), tablet.line(102, seat=2, note="fără smântână"))

    assert drain(db) == 1
    [ticket] = grill.tickets
    assert b"MASA 5" in ticket
    assert SOUP in ticket and b"Loc 2" in ticket
    assert "Notă: fără smântână".encode("cp852") in ticket
    assert "Ospătar: Ana Popescu".encode("cp852") in ticket
    assert ticket.endswith(CUT + b"\x00")


# --- a worker that dies mid-print -----------------------------------------------------------

COPY_MARK = "POSIBILĂ COPIE".encode("cp852")

DYING_WORKER = """
import sys, time
import pos.models  # noqa: F401
from kitchen import printing  # noqa: F401  (the ticket layouts)
from pos.core.db import Database
from pos.devices import printers
from pos.devices.print_worker import PrintWorker

def send_then_hang(printer, data):
    printers.send(printer, data)
    print("sent", flush=True)
    time.sleep(600)  # killed here: the ticket is out, "done" never written

worker = PrintWorker(Database(sys.argv[1]), send=send_then_hang)
worker.drain()
"""


def test_a_ticket_caught_mid_print_by_a_killed_server_prints_again_at_once_as_a_copy(
        db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    job_id = queue_job(db, grill_id)
    dying = subprocess.Popen([sys.executable, "-c", DYING_WORKER, db.url],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert dying.stdout.readline().strip() == "sent"
        [first] = grill.tickets
    finally:
        dying.kill()  # as a server is killed: no goodbye, its claim left behind
        dying.wait(10)
    held = job(db, job_id)
    assert held.status is PrintJobStatus.PRINTING and held.claimed_until > utcnow()

    assert drain(db) == 1  # the restarted server's worker: now, not in two minutes

    first, again = grill.tickets
    assert COPY_MARK not in first
    assert again.index(COPY_MARK) < again.index(TABLE_12)  # headed as a possible copy
    assert "Retipărit la ".encode("cp852") in again  # and when it printed again
    assert b"Bon #1042" in again and SOUP in again
    done = job(db, job_id)
    assert done.status is PrintJobStatus.DONE and done.reclaimed_at is not None


def test_the_jobs_of_a_worker_that_stopped_beating_are_printed_again_not_a_live_one_s(db, grill):
    grill_id = add_printer(db, "Grill", "network", grill.address)
    now = utcnow()
    with db.transaction() as session:
        session.add_all([
            PrintWorkerRow(id="dead", machine="another host", pid=4242, started_at=now,
                           seen_at=now - timedelta(seconds=30)),
            PrintWorkerRow(id="alive", machine="another host", pid=4243, started_at=now,
                           seen_at=now)])
    claim = {"status": PrintJobStatus.PRINTING,
             "claimed_until": now + timedelta(seconds=CLAIM_SECONDS - 10)}
    orphan = queue_job(db, grill_id, ticket_document(ticket_id=2001), claimed_by="dead", **claim)
    busy = queue_job(db, grill_id, ticket_document(ticket_id=2002), claimed_by="alive", **claim)

    assert drain(db, now=now) == 1

    [ticket] = grill.tickets
    assert b"Bon #2001" in ticket and COPY_MARK in ticket
    assert job(db, orphan).status is PrintJobStatus.DONE
    assert job(db, busy).status is PrintJobStatus.PRINTING  # its worker is printing it


def test_a_slow_print_keeps_its_worker_alive_so_nobody_prints_it_twice(db, grill, monkeypatch):
    monkeypatch.setattr(print_worker, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(print_worker, "GONE_AFTER_SECONDS", 0.4)
    grill_id = add_printer(db, "Grill", "network", grill.address)
    job_id = queue_job(db, grill_id)
    printing, finish = threading.Event(), threading.Event()

    def slow_send(target, data):  # a picture ticket on a 9600-baud line
        printing.set()
        finish.wait(10)
        return send(target, data)

    slow = threading.Thread(target=drain, args=(db,), kwargs={"send": slow_send})
    slow.start()
    try:
        assert printing.wait(10)
        other = PrintWorker(Database(db.url))
        for _ in range(8):  # twice as long as a silent worker is given
            assert other.drain() == 0
            time.sleep(0.1)
    finally:
        finish.set()
        slow.join(10)
        other.db.dispose()
    [ticket] = grill.tickets
    assert COPY_MARK not in ticket
    assert job(db, job_id).status is PrintJobStatus.DONE


def test_a_ticket_on_the_backup_printer_starts_with_its_station_in_large_type(db, grill, bar):
    bar_id = add_printer(db, "Bar", "network", bar.address)
    grill_id = add_printer(db, "Grill", "network", grill.address, backup_id=bar_id,
                           failures_before_backup=1)
    queue_job(db, grill_id, ticket_document(station_names={"ro": "Grătar", "en": "Grill"}))
    grill.stop()
    drain(db)
    [ticket] = bar.tickets
    station = "GRĂTAR".encode("cp852")
    assert ticket.index(station) < ticket.index(TABLE_12)
    assert ticket.rindex(b"\x1b!\x30", 0, ticket.index(station)) > 0  # double width+height
