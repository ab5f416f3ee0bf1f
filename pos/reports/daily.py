"""The daily summary at the close of day: when a Z is taken, the day's sales (by hour, with
the day's figures and its chart) are saved as a PDF in the instance folder and, if SMTP is
set, e-mailed to the venue's managers.

It never holds up or fails the Z: the Z's transaction only notes the day; once it has
committed, a background thread (``daily-summary``) makes the PDF, saves it and sends it,
trying the mail again after a while when the mail server does not answer (``RETRY_AFTER``),
and logs what it could not do. A summary not sent before the server stops is not sent
later (its PDF can be made again from the Z's day at any time).

Settings (the app's config, else the environment):

- ``MASA_DAILY_SUMMARY``: on (the default; off under tests unless set);
- ``MASA_DAILY_SUMMARY_TO``: who gets it, comma-separated; nobody: saved only;
- ``MASA_SMTP_HOST`` (none: no mail), ``MASA_SMTP_PORT`` (25), ``MASA_SMTP_FROM``,
  ``MASA_SMTP_USER`` and ``MASA_SMTP_PASSWORD`` (optional), ``MASA_SMTP_STARTTLS`` (off).
"""

from __future__ import annotations

import logging
import os
import smtplib
import threading
import time
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from pos.core.db import Database
from pos.payments.models import ZReport
from pos.reports import exports
from pos.reports.schemas import ExportQuery
from pos.reports.summaries import business_date, venue_zone
from pos.venue.models import BusinessDay
from pos.venue.operations import get_venue

log = logging.getLogger(__name__)

PENDING = "masa_daily_summaries"  # session.info: the Zs taken in this transaction
RETRY_AFTER = (5.0, 30.0, 120.0)  # seconds between tries of the mail; then given up
FOLDER = "daily-summaries"


def note_z_taken(session: Session, z_number: int) -> None:
    """Called in the Z's transaction: after it commits, the day's summary is made."""
    session.info.setdefault(PENDING, []).append(z_number)


def setting(app: Flask, name: str, default: Any = None) -> Any:
    value = app.config.get(name)
    if value in (None, ""):
        value = os.environ.get(name, default)
    return value


def after_commit(app: Flask) -> Any:
    def start_summaries(session: Session) -> None:
        numbers = session.info.pop(PENDING, None)
        for number in numbers or []:
            threading.Thread(target=make_and_send, args=(app, number), daemon=True,
                             name="daily-summary").start()

    return start_summaries


def register(app: Flask, db: Database) -> None:
    """Summaries on (``MASA_DAILY_SUMMARY``, on by default; off under tests unless set)."""
    wanted = app.config.get("MASA_DAILY_SUMMARY")
    if wanted is None:
        wanted = os.environ.get("MASA_DAILY_SUMMARY", "1").lower() not in ("0", "false", "no",
                                                                         "off")
        wanted = wanted and not app.testing
    if wanted:
        db.after_commit.append(after_commit(app))


def summary_pdf(app: Flask, session: Session, report: ZReport) -> tuple[bytes, date, str]:
    """The day's sales by hour as a PDF, in the venue's language."""
    day = session.get(BusinessDay, report.business_day_id)
    when = business_date(day, venue_zone(session))
    language = get_venue(session).locale.split("_")[0]
    language = language if language in ("ro", "en") else "ro"
    query = ExportQuery(first=when, last=when, by="hour", report="sales")
    with app.test_request_context():
        pdf = exports.export(session, "sales", query, language, "pdf")
    return pdf, when, get_venue(session).name


def make_and_send(app: Flask, z_number: int) -> Path | None:
    """Make, save and (if SMTP is set) mail the summary of Z ``z_number``. Never raises."""
    try:
        db: Database = app.extensions["masa_db"]
        with db.reading() as session:
            report = session.query(ZReport).filter_by(number=z_number).one()
            pdf, when, venue = summary_pdf(app, session, report)
        folder = Path(app.instance_path) / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{when.isoformat()}-z{z_number}.pdf"
        path.write_bytes(pdf)
    except Exception:  # a summary must never take anything down with it
        log.exception("the daily summary of Z %s could not be made", z_number)
        return None
    recipients = [a.strip() for a in str(setting(app, "MASA_DAILY_SUMMARY_TO", "")).split(",")
                  if a.strip()]
    host = setting(app, "MASA_SMTP_HOST")
    if not host or not recipients:
        return path
    message = EmailMessage()
    message["Subject"] = f"{venue} · Z {z_number} · {when.isoformat()}"
    message["From"] = setting(app, "MASA_SMTP_FROM") or f"masa@{host}"
    message["To"] = ", ".join(recipients)
    message.set_content(f"{venue}: Z {z_number}, {when.isoformat()}. The day's summary is "
                        "attached (PDF).")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=path.name)
    for attempt, pause in enumerate((0.0, *RETRY_AFTER)):
        time.sleep(pause)
        try:
            send(app, host, message)
            return path
        except (OSError, smtplib.SMTPException) as error:
            log.warning("the daily summary of Z %s was not sent (try %s): %s", z_number,
                        attempt + 1, error)
    log.error("the daily summary of Z %s was not sent; it is saved at %s", z_number, path)
    return path


def send(app: Flask, host: str, message: EmailMessage) -> None:
    port = int(setting(app, "MASA_SMTP_PORT", 25))
    with smtplib.SMTP(host, port, timeout=20) as smtp:
        if str(setting(app, "MASA_SMTP_STARTTLS", "")).lower() in ("1", "true", "yes", "on"):
            smtp.starttls()
        user = setting(app, "MASA_SMTP_USER")
        if user:
            smtp.login(user, setting(app, "MASA_SMTP_PASSWORD", ""))
        smtp.send_message(message)
