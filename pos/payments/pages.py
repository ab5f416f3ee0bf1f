"""The cashier station: one page shell; its script reads the open checks and their bills
through the API and follows the /floor socket, so the page carries only what the API
cannot: who may serve (the servers' names on bar tabs), what the cashier may do alone
(else the screen asks for a manager's PIN up front), and the printers a till can be
wired to (the API lists printers only to those who manage devices)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from sqlalchemy import select

from pos.core.api import current_db
from pos.core.auth import Permission, current_actor
from pos.devices.models import Printer
from pos.ordering.pages import servers_on_the_floor
from pos.staff.web import require_page
from pos.venue.operations import get_venue

cashier_pages = Blueprint("cashier", __name__)


@cashier_pages.get("/cashier")
def cashier_page() -> Response | str:
    refused = require_page(Permission.TAKE_PAYMENT)
    if refused is not None:
        return refused
    actor = current_actor()
    with current_db().reading() as session:
        venue = get_venue(session)
        # A bar tab's server is named by id only in GET /checks; GET /staff is for managers.
        servers = {member.id: member.name for member in servers_on_the_floor(session)}
        venue_language = venue.locale.split("_")[0]
        printers = [{"id": p.id, "name": p.name} for p in session.scalars(
            select(Printer).where(Printer.active.is_(True)).order_by(Printer.name, Printer.id))]
        receipt_printer_id = venue.receipt_printer_id
    config = {
        "me": {"id": actor.staff_id, "name": actor.name, "role": str(actor.role)},
        "servers": servers,
        "venue_language": venue_language,
        "can": sorted(str(p) for p in Permission if actor.can(p)),
        "printers": printers,
        "receipt_printer_id": receipt_printer_id,
    }
    return render_template("cashier/index.html", config=config)
