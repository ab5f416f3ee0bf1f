"""The back office's menu screen (/office/menu): categories and a paged, searchable list of
items, an item editor with its choice groups, 86 and counts, import and export. The page
is a shell; its script works through the menu API."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from pos.core.api import current_db
from pos.core.auth import Permission
from pos.menu.models import ALLERGENS
from pos.staff.web import require_page
from pos.venue.operations import get_venue

menu_office = Blueprint("menu_office", __name__)


@menu_office.get("/office/menu")
def menu_page() -> Response | str:
    refused = require_page(Permission.MENU_EDIT)
    if refused is not None:
        return refused
    with current_db().reading() as session:
        venue = get_venue(session)
        config = {"currency": venue.currency, "venue_language": venue.locale.split("_")[0],
                  "allergens": list(ALLERGENS)}
    return render_template("office/menu.html", config=config)
