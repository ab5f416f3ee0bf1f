"""The inventory's screens: the back office's page (/office/inventory: stock, ingredients,
locations, recipes, receiving, waste, transfers) and the count, made for a tablet in a
store room (/office/inventory/count). Both are shells; their scripts work through the
inventory API, which checks every permission again.

Who handles the goods (STOCK: the kitchen too) opens both; what dishes are made of
(ingredients, locations, recipes) is shown to whoever keeps the menu (MENU_EDIT)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template
from sqlalchemy import select

from kitchen.models import Station
from pos.core.api import current_db
from pos.core.auth import Permission, current_actor
from pos.inventory.units import UNITS
from pos.staff.web import require_page
from pos.venue.operations import get_venue

inventory_office = Blueprint("inventory_office", __name__)


def page_config() -> dict[str, Any]:
    actor = current_actor()
    with current_db().reading() as session:
        venue = get_venue(session)
        stations = [{"id": i, "code": c, "names": n} for i, c, n in session.execute(
            select(Station.id, Station.code, Station.names).order_by(Station.position,
                                                                     Station.id))]
    return {"currency": venue.currency, "venue_language": venue.locale.split("_")[0],
            "units": {unit: {"measure": measure, "thousandths": size}
                      for unit, (measure, size) in UNITS.items()},
            "stations": stations, "can_edit": actor.can(Permission.MENU_EDIT),
            "live": actor.can(Permission.OFFICE_VIEW)}


@inventory_office.get("/office/inventory")
def inventory_page() -> Response | str:
    refused = require_page(Permission.STOCK)
    if refused is not None:
        return refused
    return render_template("office/inventory.html", config=page_config())


@inventory_office.get("/office/inventory/count")
def count_page() -> Response | str:
    refused = require_page(Permission.STOCK)
    if refused is not None:
        return refused
    return render_template("office/inventory_count.html", config=page_config())
