"""The print worker: drains ``print_jobs`` to the printers, whatever the document.

A request writes its print jobs in its own transaction and returns; this worker prints
them. Each job is claimed with a conditional UPDATE (so several processes may run a
worker on one database and each job is printed by one of them), laid out by its kind's
layout (``pos.devices.layouts``), printed with no database transaction open, and marked
done in a short transaction of its own.

A failed attempt puts the job back with a growing delay (1, 2, 4 … 30 s) and marks the
printer offline. After ``failures_before_backup`` failed attempts the job is *rerouted*:
it is closed and a new job for the backup printer takes its place, in one transaction,
and an alert goes up ("Grill printer offline — tickets going to Bar"). A rerouted job
is final: it is never printed, on the original printer or anywhere. While the alert is
up, the printer's new jobs go straight to the backup; the worker probes the printer
now and then, and when it answers the alert is cleared and its jobs come back to it.
Without a usable backup a job is retried for as long as it takes: never dropped. A kind
whose layout says so (a drawer kick: the drawer is wired to one printer) is never
rerouted, and one that needs no paper is sent to a printer that is out of it.

Workers have an identity and a heartbeat: a ``print_workers`` row whose ``seen_at`` a
thread refreshes every ``HEARTBEAT_SECONDS``, also while a slow printer holds the worker.
A job claimed by a worker that stopped beating (``GONE_AFTER_SECONDS``), or whose process
is gone from this machine, is taken up again at once, not when its long claim runs out:
after a restart a ticket caught mid-print reaches the kitchen within seconds.

The one window for a document to print twice: the process dies (or loses its database)
after the printer took the bytes and before the job is marked done. A lost ticket would
be worse, so the job is printed again, headed as a POSSIBLE COPY with the time it was
printed again (``PrintJob.reclaimed_at``), so nobody makes the order twice. A kind that
must not be repeated when unsure (a drawer kick) is closed instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import String, and_, case, cast, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from pos.core.alerts import Alert, open_alert, raise_alert
from pos.core.db import Database, utcnow
from pos.core.events import record_event
from pos.devices import printers as devices
from pos.devices.layouts import Layout, PrintContext, PrinterInfo, layout_for
from pos.devices.models import Printer, PrintJob, PrintJobStatus, PrintWorkerRow
from pos.devices.print_queue import JOBS_QUEUED, printer_alert_rooms
from pos.venue.models import Venue

__all__ = ["PrintWorker", "PrinterInfo", "backoff", "drain", "start_print_worker"]

log = logging.getLogger(__name__)

# Far longer than one job may take: each wait on a printer is ~3 s, but a picture ticket
# on a 9600-baud serial line takes a minute. A worker that dies is found out by its
# heartbeat long before this runs out; the claim is the last resort (a hung worker).
CLAIM_SECONDS = 120
HEARTBEAT_SECONDS = 2.0
GONE_AFTER_SECONDS = 10  # a worker not seen for this long is dead: its jobs are free
FORGET_AFTER_SECONDS = 3600  # rows of workers gone this long are deleted
BACKOFF_CAP_SECONDS = 30
PROBE_SECONDS = 10  # how often a printer with an alert up is asked whether it is back
POLL_SECONDS = 0.5
BATCH = 50
ALERT_KIND = "printer_offline"

Send = Callable[..., Any]
Probe = Callable[[Any], Any]


@dataclass(frozen=True)
class _Claimed:
    job_id: int
    claim: datetime  # our claimed_until: proves the job is still ours when we write
    kind: str
    subject: str | None
    document: dict[str, Any]
    printer: PrinterInfo
    possible_copy_at: datetime | None


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4 … seconds, at most 30."""
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS))


def printer_subject(printer_id: int) -> str:
    return f"printer:{printer_id}"


class PrintWorker:
    """Drains the queue: ``drain()`` is one pass; ``start()`` runs passes in a thread."""

    def __init__(self, db: Database, *, send: Send = devices.send, probe: Probe = devices.probe,
                 poll_seconds: float = POLL_SECONDS) -> None:
        self.db = db
        self.send, self.probe = send, probe
        self.poll_seconds = poll_seconds
        self.id = uuid.uuid4().hex
        self._probed: dict[int, datetime] = {}  # printer id → last probe (only a throttle)
        self._printed_unmarked: dict[int, tuple[datetime, datetime]] = {}  # id → claim, when
        self._last_beat = float("-inf")  # time.monotonic() of the last heartbeat written
        self._beating = threading.Event()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the thread -------------------------------------------------------------------

    def start(self) -> PrintWorker:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="masa-print-worker",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return  # still printing: its heartbeat must go on saying so
        self.retire()

    def wake(self) -> None:
        """Print now rather than at the next poll (e.g. right after a send commits)."""
        self._wake.set()

    def _run(self) -> None:
        with self._keeping_alive():
            while not self._stop.is_set():
                busy = False
                try:
                    busy = self.drain() >= BATCH
                except Exception:  # the database went away, say: try again on the next poll
                    log.exception("print worker pass failed")
                if not busy:
                    self._wake.wait(self.poll_seconds)
                    self._wake.clear()

    # --- identity and heartbeat -------------------------------------------------------

    @contextlib.contextmanager
    def _keeping_alive(self) -> Iterator[None]:
        """This worker's row is fresh from here to the end of the block (a thread beats
        while a printer holds the worker); nested blocks share one thread."""
        if self._beating.is_set():
            yield
            return
        self._beat_safely()
        stop = threading.Event()
        beater = threading.Thread(target=self._beat_until, args=(stop,), daemon=True,
                                  name="masa-print-heartbeat")
        self._beating.set()
        beater.start()
        try:
            yield
        finally:
            stop.set()
            beater.join(HEARTBEAT_SECONDS + 5)
            self._beating.clear()

    def _beat_until(self, stop: threading.Event) -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            self._beat_safely()

    def _beat_safely(self) -> None:
        try:
            self.beat()
        except Exception:  # the next beat tries again; meanwhile nothing new is claimed
            log.exception("print worker %s cannot write its heartbeat", self.id)

    def beat(self) -> None:
        """Say this worker is alive (its row, created the first time), and free the jobs
        of workers on this machine whose process is gone."""
        now = utcnow()
        with self.db.transaction() as session:
            seen = session.execute(
                update(PrintWorkerRow).where(PrintWorkerRow.id == self.id)
                .values(seen_at=now).execution_options(synchronize_session=False))
            if seen.rowcount != 1:
                session.add(PrintWorkerRow(id=self.id, machine=this_machine(), pid=os.getpid(),
                                           started_at=now, seen_at=now))
            _bury_the_dead(session, self.id, now)
        self._last_beat = time.monotonic()

    def alive(self) -> bool:
        """Whether other workers see this one alive: only then may it claim a job."""
        return time.monotonic() - self._last_beat < GONE_AFTER_SECONDS / 2

    def retire(self) -> None:
        """Stopped for good: delete this worker's row (unless it holds a printed job whose
        "done" is still unwritten: that must not look free)."""
        if self._printed_unmarked or self._beating.is_set():
            return
        try:
            with self.db.transaction() as session:
                session.execute(delete(PrintWorkerRow).where(PrintWorkerRow.id == self.id))
        except Exception:
            log.exception("cannot retire print worker %s", self.id)

    # --- one pass ---------------------------------------------------------------------

    def drain(self, now: datetime | None = None) -> int:
        """Print every job that is due; returns how many jobs were handled."""
        with self._keeping_alive():
            return self._drain(now or utcnow())

    def _drain(self, now: datetime) -> int:
        self._mark_printed(now)
        if not self.alive():
            return 0  # others would take our claims for a dead worker's
        self._probe_alerted(now)  # first: a printer that is back gets its jobs in this pass
        language, timezone = self._venue_settings()
        failed_printers: set[int] = set()  # tried and failed in this pass: skip the rest
        looked_at: set[int] = set()
        handled = 0
        while handled < BATCH:
            due = self._due(now, skip_jobs=looked_at | set(self._printed_unmarked),
                            skip_printers=failed_printers)
            if not due:
                break
            for job_id, printer_id in due:
                looked_at.add(job_id)
                if printer_id in failed_printers:
                    continue
                claimed = self._claim(job_id, now)
                if claimed is None:
                    continue  # another worker has it, or it went straight to the backup
                handled += 1
                if not self._print(claimed, now, language, timezone):
                    failed_printers.add(claimed.printer.id)
        return handled

    def _due(self, now: datetime, skip_jobs: set[int], skip_printers: set[int]
             ) -> list[tuple[int, int]]:
        query = select(PrintJob.id, PrintJob.printer_id).where(_claimable(now))
        if skip_jobs:
            query = query.where(PrintJob.id.not_in(skip_jobs))
        if skip_printers:
            query = query.where(PrintJob.printer_id.not_in(skip_printers))
        with self.db.reading() as session:
            return [(job_id, printer_id) for job_id, printer_id in session.execute(
                query.order_by(PrintJob.id).limit(BATCH))]

    def _venue_settings(self) -> tuple[str, str]:
        with self.db.reading() as session:
            venue = session.get(Venue, 1)
        if venue is None:
            return "ro", "Europe/Bucharest"
        return venue.locale.split("_")[0], venue.timezone

    def _claim(self, job_id: int, now: datetime) -> _Claimed | None:
        claim = now + timedelta(seconds=CLAIM_SECONDS)
        with self.db.transaction() as session:
            taken = session.execute(
                update(PrintJob)
                .where(PrintJob.id == job_id, _claimable(now))
                .values(status=PrintJobStatus.PRINTING, claimed_until=claim,
                        claimed_by=self.id,
                        # Its worker died holding it: it may have printed already.
                        reclaimed_at=case((PrintJob.status == PrintJobStatus.PRINTING, now),
                                          else_=PrintJob.reclaimed_at))
                .execution_options(synchronize_session=False))
            if taken.rowcount != 1:
                return None
            job = session.get(PrintJob, job_id, populate_existing=True)
            printer = session.get(Printer, job.printer_id)
            layout = layout_for(job.kind)
            if job.reclaimed_at == now and layout is not None \
                    and not layout.repeat_when_unsure:
                _close(session, job, claim, PrintJobStatus.FAILED,
                       "not repeated: its worker died while it was being sent")
                log.warning("print job %s (%s) is not repeated after its worker died",
                            job.id, job.kind)
                return None
            if layout is not None and layout.stale_after is not None \
                    and (now - job.created_at).total_seconds() > layout.stale_after:
                _close(session, job, claim, PrintJobStatus.FAILED,
                       f"too late: more than {layout.stale_after} s after it was asked for")
                return None
            alerted = _open_alert(session, printer.id) is not None
            if alerted or not printer.active:
                backup = _backup_for(session, printer, layout)
                if backup is not None:  # known to be down: straight to the backup
                    _reroute(session, job, job.attempts, printer, backup, claim, now,
                             "printer offline" if printer.active else "printer disabled")
                    return None
            return _Claimed(job.id, claim, job.kind, job.subject, dict(job.document),
                            PrinterInfo.of(printer, alerted), job.reclaimed_at)

    def _print(self, claimed: _Claimed, now: datetime, language: str, timezone: str) -> bool:
        printer = claimed.printer
        layout = layout_for(claimed.kind)
        try:
            if layout is None:
                raise LookupError(f"no layout for print jobs of kind {claimed.kind!r}")
            data = layout.render(claimed.document, PrintContext(
                kind=claimed.kind, printer=printer, language=printer.language or language,
                timezone=timezone, now=now, possible_copy_at=claimed.possible_copy_at))
        except Exception as error:  # a document we cannot lay out will never print
            log.exception("print job %s cannot be laid out", claimed.job_id)
            self._give_up(claimed, now, f"layout: {error}")
            return True
        if not printer.active:
            self._failed(claimed, now, "printer disabled", layout)
            return False
        try:
            if layout.needs_paper:
                self.send(printer, data)
            else:
                self.send(printer, data, needs_paper=False)
        except Exception as error:  # PrinterUnavailable, or anything a driver raises
            self._failed(claimed, now, devices.error_text(error), layout)
            return False
        # Sent: from here on this job must never be sent again by this worker.
        self._printed_unmarked[claimed.job_id] = (claimed.claim, now)
        self._mark_printed(now)
        if not printer.online or printer.alerted:
            try:
                self._answered(printer.id, now)
            except Exception:  # only bookkeeping: the next job or probe does it again
                log.exception("cannot mark printer %s online", printer.name)
        return True

    def _mark_printed(self, now: datetime) -> None:
        """Write "done" for jobs already sent; kept in memory (and never resent by this
        worker) until the database takes it."""
        for job_id, (claim, printed_at) in list(self._printed_unmarked.items()):
            try:
                with self.db.transaction() as session:
                    done = session.execute(
                        update(PrintJob)
                        .where(PrintJob.id == job_id, PrintJob.status == PrintJobStatus.PRINTING,
                               PrintJob.claimed_until == claim)
                        .values(status=PrintJobStatus.DONE, printed_at=printed_at,
                                claimed_until=None, last_error=None)
                        .execution_options(synchronize_session=False))
                    if done.rowcount != 1:
                        log.warning("print job %s was printed after its claim ran out; "
                                    "another worker may have printed it too", job_id)
            except Exception:
                log.exception("cannot mark print job %s done; will try again", job_id)
                return
            del self._printed_unmarked[job_id]

    def _failed(self, claimed: _Claimed, now: datetime, error: str, layout: Layout) -> None:
        with self.db.transaction() as session:
            job = session.get(PrintJob, claimed.job_id, populate_existing=True,
                              with_for_update=True)
            if not _still_ours(job, claimed):
                return
            printer = session.get(Printer, claimed.printer.id, with_for_update=True)
            printer.online = False
            attempts = job.attempts + 1
            if attempts >= printer.failures_before_backup:
                # The alert names where the printer's jobs go (a drawer kick stays put).
                _raise_alert(session, printer, _backup_for(session, printer, None), now)
                backup = _backup_for(session, printer, layout)
                if backup is not None:
                    _reroute(session, job, attempts, printer, backup, claimed.claim, now, error)
                    return
            session.execute(
                update(PrintJob)
                .where(PrintJob.id == job.id, PrintJob.claimed_until == claimed.claim)
                .values(status=PrintJobStatus.QUEUED, attempts=attempts,
                        next_attempt_at=now + backoff(attempts), claimed_until=None,
                        last_error=error[:300])
                .execution_options(synchronize_session=False))
            log.warning("print job %s on %s failed (attempt %s): %s", job.id, printer.name,
                        attempts, error)

    def _give_up(self, claimed: _Claimed, now: datetime, error: str) -> None:
        with self.db.transaction() as session:
            job = session.get(PrintJob, claimed.job_id, populate_existing=True,
                              with_for_update=True)
            if not _still_ours(job, claimed):
                return
            job.status = PrintJobStatus.FAILED
            job.claimed_until = None
            job.last_error = error[:300]
            message = {"key": "print_job_failed", "job": job.id, "kind": job.kind,
                       "subject": job.subject, "printer": claimed.printer.name,
                       "error": error[:200]}
            what, _, number = (job.subject or "").partition(":")
            if what == "ticket" and number.isdigit():
                message["ticket"] = int(number)  # the kitchen's screens name its table
            raise_alert(session, kind="print_job_failed", subject=f"print_job:{job.id}",
                        message=message, rooms=printer_alert_rooms(), now=now)

    def _answered(self, printer_id: int, now: datetime) -> None:
        """The printer works: online again, its alert cleared, its jobs come back to it,
        and those waiting out a backoff are tried at once."""
        with self.db.transaction() as session:
            session.execute(
                update(PrintJob)
                .where(PrintJob.printer_id == printer_id,
                       PrintJob.status == PrintJobStatus.QUEUED, PrintJob.next_attempt_at > now)
                .values(next_attempt_at=now)
                .execution_options(synchronize_session=False))
            printer = session.get(Printer, printer_id, with_for_update=True)
            printer.online = True
            alert = _open_alert(session, printer_id)
            if alert is not None:
                alert.cleared_at = now
                _announce(session, "alert_cleared", alert.event_data())
                log.info("printer %s is back", printer.name)
        self._probed.pop(printer_id, None)

    def _probe_alerted(self, now: datetime) -> None:
        with self.db.reading() as session:
            alerted = session.scalars(
                select(Printer)
                .join(Alert, Alert.subject == "printer:" + cast(Printer.id, String))
                .where(Alert.cleared_at.is_(None), Printer.active.is_(True))).all()
        for printer in alerted:
            last = self._probed.get(printer.id)
            if last and now - last < timedelta(seconds=PROBE_SECONDS):
                continue
            self._probed[printer.id] = now
            try:
                self.probe(PrinterInfo.of(printer, True))
            except Exception:
                continue
            self._answered(printer.id, now)


def drain(db: Database, now: datetime | None = None, **worker_options: Any) -> int:
    """One pass of a fresh worker (tests; a CLI "print now"): returns jobs handled."""
    worker = PrintWorker(db, **worker_options)
    try:
        return worker.drain(now)
    finally:
        worker.retire()


def start_print_worker(app: Any) -> PrintWorker:
    """Start the app's print worker thread (once); ``app.extensions["masa_print_worker"]``."""
    worker = app.extensions.get("masa_print_worker")
    if worker is None:
        db = app.extensions["masa_db"]
        worker = PrintWorker(db, poll_seconds=app.config.get("MASA_PRINT_POLL_SECONDS",
                                                             POLL_SECONDS))
        app.extensions["masa_print_worker"] = worker
        db.after_commit.append(lambda session: session.info.pop(JOBS_QUEUED, False)
                               and worker.wake())
    return worker.start()


# --- which workers are alive ----------------------------------------------------------

@cache
def this_machine() -> str | None:
    """Where a pid names one process: this host, this boot, this pid namespace (so two
    containers on one host are two machines). None where that cannot be known."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return None
    return f"{socket.gethostname()}|{boot}|{namespace}"[:200]


def process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    try:  # a killed process not yet reaped by its parent is a zombie: gone
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _bury_the_dead(session: Session, own_id: str, now: datetime) -> None:
    """Delete the rows of workers whose process is gone from this machine (their jobs are
    free at once) and of workers not seen for an hour."""
    machine = this_machine()
    if machine is not None:
        gone = [worker_id for worker_id, pid in session.execute(
            select(PrintWorkerRow.id, PrintWorkerRow.pid).where(
                PrintWorkerRow.machine == machine, PrintWorkerRow.id != own_id))
            if not process_running(pid)]
        if gone:
            session.execute(delete(PrintWorkerRow).where(PrintWorkerRow.id.in_(gone)))
            log.warning("print workers %s died: their jobs are taken up again", gone)
    session.execute(delete(PrintWorkerRow).where(
        PrintWorkerRow.seen_at < now - timedelta(seconds=FORGET_AFTER_SECONDS)))


def _claimable(now: datetime) -> Any:
    """Queued and due; or claimed by a worker that died (no fresh heartbeat), or whose
    claim ran out (a hung worker)."""
    worker_alive = exists().where(
        PrintWorkerRow.id == PrintJob.claimed_by,
        PrintWorkerRow.seen_at >= now - timedelta(seconds=GONE_AFTER_SECONDS))
    return or_(
        and_(PrintJob.status == PrintJobStatus.QUEUED, PrintJob.next_attempt_at <= now),
        and_(PrintJob.status == PrintJobStatus.PRINTING,
             or_(PrintJob.claimed_until < now,
                 and_(PrintJob.claimed_by.is_not(None), ~worker_alive))))


def _still_ours(job: PrintJob | None, claimed: _Claimed) -> bool:
    return (job is not None and job.status == PrintJobStatus.PRINTING
            and job.claimed_until == claimed.claim)


def _open_alert(session: Session, printer_id: int) -> Alert | None:
    return open_alert(session, printer_subject(printer_id))


def _backup_for(session: Session, printer: Printer, layout: Layout | None) -> Printer | None:
    """The first printer down the backup chain that is active and has no alert up (none
    for a kind that is never rerouted)."""
    if layout is not None and not layout.reroutes:
        return None
    seen = {printer.id}
    candidate_id = printer.backup_id
    while candidate_id is not None and candidate_id not in seen:
        seen.add(candidate_id)
        candidate = session.get(Printer, candidate_id)
        if candidate is None:
            return None
        if candidate.active and _open_alert(session, candidate.id) is None:
            return candidate
        candidate_id = candidate.backup_id
    return None


def _close(session: Session, job: PrintJob, claim: datetime, status: PrintJobStatus,
           error: str) -> bool:
    closed = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job.id, PrintJob.status == PrintJobStatus.PRINTING,
               PrintJob.claimed_until == claim)
        .values(status=status, claimed_until=None, last_error=error[:300])
        .execution_options(synchronize_session=False))
    return closed.rowcount == 1


def _reroute(session: Session, job: PrintJob, attempts: int, printer: Printer,
             backup: Printer, claim: datetime, now: datetime, error: str) -> PrintJob | None:
    """Close ``job`` for good and queue its copy for ``backup``, in one transaction."""
    closed = session.execute(
        update(PrintJob)
        .where(PrintJob.id == job.id, PrintJob.status == PrintJobStatus.PRINTING,
               PrintJob.claimed_until == claim)
        .values(status=PrintJobStatus.REROUTED, attempts=attempts, claimed_until=None,
                last_error=error[:300])
        .execution_options(synchronize_session=False))
    if closed.rowcount != 1:
        return None
    document = {**job.document, "rerouted_from": {"printer": printer.name,
                                                  "printer_id": printer.id, "job_id": job.id}}
    copy = PrintJob(printer_id=backup.id, subject=job.subject, kind=job.kind,
                    document=document, status=PrintJobStatus.QUEUED, attempts=0,
                    next_attempt_at=now, rerouted_from_id=job.id, created_at=now,
                    reclaimed_at=job.reclaimed_at)  # a possible copy stays one
    session.add(copy)
    session.flush()
    log.warning("print job %s rerouted from %s to %s as job %s", job.id, printer.name,
                backup.name, copy.id)
    return copy


def _raise_alert(session: Session, printer: Printer, backup: Printer | None,
                 now: datetime) -> Alert | None:
    """One open alert per printer: "Grill printer offline — tickets going to Bar"."""
    return raise_alert(session, kind=ALERT_KIND, subject=printer_subject(printer.id), now=now,
                       message={"key": ALERT_KIND, "printer": printer.name,
                                "printer_id": printer.id,
                                "backup": backup.name if backup else None,
                                "backup_id": backup.id if backup else None},
                       rooms=printer_alert_rooms())


def _announce(session: Session, name: str, data: dict[str, Any]) -> None:
    for namespace, room in printer_alert_rooms():
        record_event(session, namespace, room, name, data)
