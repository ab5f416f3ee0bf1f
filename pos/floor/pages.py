"""The back office's floor editor (/office/floor): tables placed by drag and drop, floors
and sections. The page is a shell; static/js/office/floor.js draws and edits through the API."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from pos.core.auth import Permission
from pos.staff.web import require_page

floor_office = Blueprint("floor_office", __name__)


@floor_office.get("/office/floor")
def floor_page() -> Response | str:
    refused = require_page(Permission.FLOOR_EDIT)
    if refused is not None:
        return refused
    return render_template("office/floor.html")
