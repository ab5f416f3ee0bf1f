"""The back office's reports page: choose a report and a range of days, compare with the
period before, drill into the checks behind a figure, download it as CSV or PDF."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from pos.core.auth import Permission
from pos.staff.web import require_page

reports_office = Blueprint("reports_office", __name__)


@reports_office.get("/office/reports")
def reports_page() -> Response | str:
    refused = require_page(Permission.REPORTS_VIEW)
    if refused is not None:
        return refused
    return render_template("office/reports.html")
