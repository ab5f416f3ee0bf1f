"""The print worker: drains ``print_jobs`` to the station printers.

A send writes its print jobs in its own transaction and returns; this worker prints
them. Each job is claimed with a conditional UPDATE (so several processes may run a
worker on one database and each job is printed by one of them), printed with no
database transaction open, and marked done in a short transaction of its own.

A failed attempt puts the job back with a growing delay (1, 2, 4 … 30 s) and marks the
printer offline. After ``failures_before_backup`` failed attempts the job is *rerouted*:
it is closed and a new job for the backup printer takes its place, in one transaction,
and an alert goes up ("Grill printer offline — tickets going to Bar"). A rerouted job
is final: it is never printed, on the original printer or anywhere. While the alert is
up, the printer's new jobs go straight to the backup; the worker probes the printer
now and then, and when it answers the alert is cleared and its jobs come back to it.
Without a usable backup a job is retried for as long as it takes: never dropped.

The one window for a ticket to print twice: the process dies (or loses its database)
after the printer took the bytes and before the job is marked done; once the claim
runs out, another worker prints it again. A lost ticket would be worse.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from kitchen.events import ALERTS_ROOM, JOBS_QUEUED, KITCHEN
from kitchen.models import Printer, PrintJob, PrintJobStatus
from kitchen.printing import render_ticket
from pos.core.alerts import OFFICE, Alert, open_alert, raise_alert
from pos.core.db import Database, utcnow
from pos.core.events import record_event
from pos.devices import printers as devices
from pos.venue.models import Venue

log = logging.getLogger(__name__)

# Far longer than one job may take: each wait on a printer is ~3 s, but a picture ticket
# on a 9600-baud serial line takes a minute. Only the one job in hand is claimed, so
# after a crash only that ticket waits this long.
CLAIM_SECONDS = 120
BACKOFF_CAP_SECONDS = 30
PROBE_SECONDS = 10  # how often a printer with an alert up is asked whether it is back
POLL_SECONDS = 0.5
BATCH = 50
ALERT_KIND = "printer_offline"
ALERT_ROOMS = ((KITCHEN, ALERTS_ROOM), OFFICE)

Send = Callable[[Any, bytes], Any]
Probe = Callable[[Any], Any]


@dataclass(frozen=True)
class PrinterInfo:
    """A printer as read when its job was claimed: what printing needs, no session."""

    id: int
    name: str
    kind: str
    address: str
    profile: str
    diacritics: str
    width: int
    active: bool
    online: bool
    alerted: bool

    @classmethod
    def of(cls, printer: Printer, alerted: bool) -> PrinterInfo:
        return cls(printer.id, printer.name, str(printer.kind), printer.address,
                   printer.profile, printer.diacritics, printer.width, printer.active,
                   printer.online, alerted)


@dataclass(frozen=True)
class _Claimed:
    job_id: int
    claim: datetime  # our claimed_until: proves the job is still ours when we write
    kind: str
    document: dict[str, Any]
    printer: PrinterInfo


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
        self._probed: dict[int, datetime] = {}  # printer id → last probe (only a throttle)
        self._printed_unmarked: dict[int, tuple[datetime, datetime]] = {}  # id → claim, when
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

    def wake(self) -> None:
        """Print now rather than at the next poll (e.g. right after a send commits)."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            busy = False
            try:
                busy = self.drain() >= BATCH
            except Exception:  # the database went away, say: try again on the next poll
                log.exception("print worker pass failed")
            if not busy:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()

    # --- one pass ---------------------------------------------------------------------

    def drain(self, now: datetime | None = None) -> int:
        """Print every job that is due; returns how many jobs were handled."""
        now = now or utcnow()
        self._mark_printed(now)
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
                .values(status=PrintJobStatus.PRINTING, claimed_until=claim)
                .execution_options(synchronize_session=False))
            if taken.rowcount != 1:
                return None
            job = session.get(PrintJob, job_id, populate_existing=True)
            printer = session.get(Printer, job.printer_id)
            alerted = _open_alert(session, printer.id) is not None
            if alerted or not printer.active:
                backup = _backup_for(session, printer)
                if backup is not None:  # known to be down: straight to the backup
                    _reroute(session, job, job.attempts, printer, backup, claim, now,
                             "printer offline" if printer.active else "printer disabled")
                    return None
            return _Claimed(job.id, claim, job.kind, dict(job.document),
                            PrinterInfo.of(printer, alerted))

    def _print(self, claimed: _Claimed, now: datetime, language: str, timezone: str) -> bool:
        printer = claimed.printer
        try:
            data = render_ticket(claimed.document, kind=claimed.kind, profile=printer.profile,
                                 diacritics=printer.diacritics, width=printer.width,
                                 language=language, timezone=timezone)
        except Exception as error:  # a document we cannot lay out will never print
            log.exception("print job %s cannot be laid out", claimed.job_id)
            self._give_up(claimed, now, f"layout: {error}")
            return True
        if not printer.active:
            self._failed(claimed, now, "printer disabled")
            return False
        try:
            self.send(printer, data)
        except Exception as error:  # PrinterUnavailable, or anything a driver raises
            self._failed(claimed, now, devices.error_text(error))
            return False
        # Sent: from here on this job must never be sent again.
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

    def _failed(self, claimed: _Claimed, now: datetime, error: str) -> None:
        with self.db.transaction() as session:
            job = session.get(PrintJob, claimed.job_id, populate_existing=True,
                              with_for_update=True)
            if not _still_ours(job, claimed):
                return
            printer = session.get(Printer, claimed.printer.id, with_for_update=True)
            printer.online = False
            attempts = job.attempts + 1
            if attempts >= printer.failures_before_backup:
                backup = _backup_for(session, printer)
                _raise_alert(session, printer, backup, now)
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
            raise_alert(session, kind="print_job_failed", subject=f"print_job:{job.id}",
                        message={"key": "print_job_failed", "job": job.id,
                                 "ticket": job.ticket_id, "error": error[:200]},
                        rooms=ALERT_ROOMS, now=now)

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
                .join(Alert, Alert.subject == _subject_column())
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
    return PrintWorker(db, **worker_options).drain(now)


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


def _claimable(now: datetime) -> Any:
    """Queued and due, or claimed by a worker whose claim ran out (it died)."""
    return or_(
        and_(PrintJob.status == PrintJobStatus.QUEUED, PrintJob.next_attempt_at <= now),
        and_(PrintJob.status == PrintJobStatus.PRINTING, PrintJob.claimed_until < now))


def _still_ours(job: PrintJob | None, claimed: _Claimed) -> bool:
    return (job is not None and job.status == PrintJobStatus.PRINTING
            and job.claimed_until == claimed.claim)


def _subject_column() -> Any:
    from sqlalchemy import String, cast

    return "printer:" + cast(Printer.id, String)


def _open_alert(session: Session, printer_id: int) -> Alert | None:
    return open_alert(session, printer_subject(printer_id))


def _backup_for(session: Session, printer: Printer) -> Printer | None:
    """The first printer down the backup chain that is active and has no alert up."""
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
    copy = PrintJob(printer_id=backup.id, ticket_id=job.ticket_id, kind=job.kind,
                    document=document, status=PrintJobStatus.QUEUED, attempts=0,
                    next_attempt_at=now, rerouted_from_id=job.id, created_at=now)
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
                       rooms=ALERT_ROOMS)


def _announce(session: Session, name: str, data: dict[str, Any]) -> None:
    for namespace, room in ALERT_ROOMS:
        record_event(session, namespace, room, name, data)
