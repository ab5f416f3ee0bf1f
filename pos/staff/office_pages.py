"""Two back-office pages: the venue's settings, and the audit log (filtered by who, what
and when, paged, exported as CSV).

The settings page is only the screen: what it changes goes through the API of the
package that owns it (the venue's PATCH /venue and tax rates, the kitchen's stations).
The audit log is read here, where the staff's names are known."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from pos.core.api import API_PREFIX, Id, Out, api_route, current_db
from pos.core.audit import AUDITED_ACTIONS, AuditEntry, audit_entries, count_of
from pos.core.auth import Permission, current_actor
from pos.core.errors import InvalidInput
from pos.staff.models import Device, StaffMember
from pos.staff.web import require_page
from pos.venue.models import Venue

venue_office = Blueprint("venue_office", __name__)
audit_office = Blueprint("audit_office", __name__)

CSV_LIMIT = 100_000  # rows in one export: years of a venue's entries


@venue_office.get("/office/settings")
def settings_page() -> Response | str:
    refused = require_page(Permission.SERVICE_SETTINGS)
    if refused is not None:
        return refused
    # A manager sees the service settings only; the venue, its tax and its rules are the
    # admin's (PATCH /venue refuses them to a manager all the same).
    return render_template("office/settings.html",
                           admin=current_actor().can(Permission.SETTINGS_EDIT))


@audit_office.get("/office/audit")
def audit_page() -> Response | str:
    refused = require_page(Permission.AUDIT_VIEW)
    if refused is not None:
        return refused
    with current_db().reading() as session:
        people = session.execute(select(StaffMember.id, StaffMember.name)
                                 .order_by(StaffMember.name)).all()
    return render_template("office/audit.html", people=[{"id": i, "name": n} for i, n in people],
                           families=sorted({a.partition(".")[0] for a in AUDITED_ACTIONS}),
                           actions=sorted(AUDITED_ACTIONS))


class AuditQuery(BaseModel):
    """The filters, as the page's address carries them (query strings are text)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    staff_id: Id | None = Field(None, description="Who acted or approved")
    action: str | None = Field(None, max_length=40, pattern=r"^[a-z_]+(\.[a-z_]+)?$",
                               description="An action (payment.refunded) or a family (payment)")
    since: date | None = Field(None, description="From this day (the venue's calendar)")
    until: date | None = Field(None, description="Up to and including this day")
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(50, ge=1, le=200)


class AuditEntryOut(Out):
    id: int
    at: datetime
    action: str
    staff: str | None
    approved_by: str | None
    device: str | None
    subject: str | None
    details: dict[str, Any]


class AuditPageOut(Out):
    entries: list[AuditEntryOut]
    total: int
    page: int
    per_page: int


def filtered(session, query: AuditQuery):
    if query.since and query.until and query.since > query.until:
        raise InvalidInput(_("The last day comes before the first."), field="until")
    zone = ZoneInfo(venue_zone(session))
    since = day_start(query.since, zone) if query.since else None
    before = day_start(query.until + timedelta(days=1), zone) if query.until else None
    return audit_entries(staff_id=query.staff_id, action=query.action, since=since,
                         before=before)


def venue_zone(session) -> str:
    return session.scalar(select(Venue.timezone).where(Venue.id == 1)) \
        or current_app.config["MASA_TIMEZONE"]


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def entries_out(session, entries: list[AuditEntry]) -> list[dict[str, Any]]:
    names = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())
    devices = dict(session.execute(select(Device.id, Device.label)).all())
    return [{"id": e.id, "at": e.at, "action": e.action, "staff": names.get(e.staff_id),
             "approved_by": names.get(e.approved_by_id),
             "device": devices.get(e.device_id) or e.device_label, "subject": e.subject,
             "details": e.details or {}} for e in entries]


@api_route(audit_office, API_PREFIX + "/audit", summary="The audit log, newest first, "
           "filtered by who, what and when, a page at a time", permission=Permission.AUDIT_VIEW,
           query=AuditQuery, response=AuditPageOut, tag="audit")
def audit_log(session, actor, query: AuditQuery):
    entries_query = filtered(session, query)
    entries = session.scalars(entries_query.offset((query.page - 1) * query.per_page)
                              .limit(query.per_page)).all()
    return {"entries": entries_out(session, entries), "total": count_of(entries_query, session),
            "page": query.page, "per_page": query.per_page}


@api_route(audit_office, API_PREFIX + "/audit.csv", summary="The audit log as CSV (the same "
           "filters, every page; at most 100,000 rows)", permission=Permission.AUDIT_VIEW,
           query=AuditQuery, tag="audit")
def audit_csv(session, actor, query: AuditQuery):
    entries = session.scalars(filtered(session, query).limit(CSV_LIMIT)).all()
    zone = ZoneInfo(venue_zone(session))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "action", "staff", "approved_by", "device", "subject",
                     "details"])
    for row in entries_out(session, entries):
        writer.writerow([safe_cell(value) for value in (
            row["id"], row["at"].astimezone(zone).isoformat(timespec="seconds"), row["action"],
            row["staff"], row["approved_by"], row["device"], row["subject"],
            details_text(row["details"]))])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="masa-audit.csv"'
    return response


def details_text(details: dict[str, Any]) -> str:
    """``changes: {"name": [old, new]}`` as ``name: old → new``; the rest as key=value."""
    parts = []
    for key, value in details.items():
        if key == "changes" and isinstance(value, dict):
            parts += [f"{name}: {pair[0]} → {pair[1]}" if isinstance(pair, list)
                      and len(pair) == 2 else f"{name}: {pair}" for name, pair in value.items()]
        else:
            parts.append(f"{key}={value}")
    return "; ".join(parts)


def safe_cell(value: Any) -> Any:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: a staff member's
    name or a note could carry one. Such text is quoted with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
