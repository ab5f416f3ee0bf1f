"""The back office's list of paired screens: who paired what, when it was last seen, and
revoking it (its live connection closes at once)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from pos.core.auth import Permission
from pos.staff.web import require_page

bp = Blueprint("staff_pages", __name__)


@bp.get("/office/devices")
def paired_screens() -> Response | str:
    refused = require_page(Permission.DEVICES_MANAGE)
    if refused is not None:
        return refused
    return render_template("office/devices.html")
