"""Putting a document in the print queue: a ``PrintJob`` row in the caller's transaction.

The caller's unit of work commits it (or rolls it back with everything else: a receipt
for a payment that failed is never printed); the print worker is woken after the commit
and prints it with retries, backoff, failover to the backup printer and an alert on the
screens that show printer alerts. Nothing here talks to a printer.

    queue_print(session, printer_id, "document", {"lines": [...]}, subject="bill:17")
    queue_print(session, printer_id, "drawer_kick", {})

The document's shape is the layout's (``pos.devices.layouts``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from pos.core.alerts import OFFICE
from pos.core.db import utcnow
from pos.devices.layouts import layout_for
from pos.devices.models import PrintJob, PrintJobStatus

JOBS_QUEUED = "masa_print_jobs_queued"  # session.info: wake the worker after the commit

# Where a printer's alerts are announced (namespace, room): the back office always; a
# package whose screens show them adds its room (the kitchen's expo does).
_alert_rooms: list[tuple[str, str]] = [OFFICE]


def queue_print(session: Session, printer_id: int, kind: str, document: dict[str, Any], *,
                subject: str | None = None) -> PrintJob:
    """A job for ``printer_id``, added to the caller's session: the caller's unit of work
    commits it (this never does). Raises ``ValueError`` for a kind nothing can lay out."""
    if layout_for(kind) is None:
        raise ValueError(f"no layout for print jobs of kind {kind!r}")
    job = PrintJob(printer_id=printer_id, kind=kind, document=document, subject=subject,
                   status=PrintJobStatus.QUEUED, attempts=0, next_attempt_at=utcnow())
    session.add(job)
    session.info[JOBS_QUEUED] = True
    return job


def show_printer_alerts_in(namespace: str, room: str) -> None:
    """Announce printer alerts (down, back, a job given up) in this room too."""
    if (namespace, room) not in _alert_rooms:
        _alert_rooms.append((namespace, room))


def printer_alert_rooms() -> Iterable[tuple[str, str]]:
    return tuple(_alert_rooms)
