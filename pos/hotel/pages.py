"""The hotel front desk (/desk): one page shell whose script reads the day's stays and a
stay's folio through the API and follows the /desk socket, so a room charge from the
restaurant shows on an open folio as it is posted. And the folio as an A4 invoice (PDF)
for the guest, in the language asked for or the reader's."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal, get_currency_precision
from flask import Blueprint, Response, render_template
from flask_babel import force_locale
from pydantic import Field

from pos.core.api import API_PREFIX, Schema, api_route, current_db
from pos.core.auth import Permission, current_actor
from pos.core.db import utcnow
from pos.core.events import latest_event_id
from pos.core.i18n import LANGUAGES, current_language
from pos.hotel import operations as ops
from pos.staff.schemas import Language
from pos.staff.web import require_page
from pos.venue.operations import get_venue

desk_pages = Blueprint("desk_pages", __name__)

# The invoice's money and dates are written the way its reader writes them.
MONEY_LOCALES = {"ro": "ro_RO", "en": "en_GB"}
DATE_FORMATS = {"ro": "%d.%m.%Y", "en": "%d/%m/%Y"}


class InvoiceQuery(Schema):
    lang: Language | None = Field(None, description="ro or en; none: the reader's")


@desk_pages.get("/desk")
def desk_page() -> Response | str:
    refused = require_page(Permission.FOLIO)
    if refused is not None:
        return refused
    actor = current_actor()
    with current_db().reading() as session:
        # Read first: anything posted after it reaches the screen over /desk.
        last_event = latest_event_id(session)
        today = ops.venue_date(session).isoformat()
    config = {
        "me": {"id": actor.staff_id, "name": actor.name, "role": str(actor.role)},
        "last_event": last_event,
        "today": today,
        "languages": list(LANGUAGES),
    }
    return render_template("desk/index.html", config=config)


@api_route(desk_pages, API_PREFIX + "/stays/<int:stay_id>/folio.pdf",
           summary="A stay's folio as an A4 invoice (PDF) for the guest, in ?lang= or the "
           "reader's language", permission=Permission.FOLIO, query=InvoiceQuery, tag="hotel")
def folio_pdf(session, actor, query: InvoiceQuery, stay_id: int) -> Response:
    language = query.lang or current_language()
    language = language if language in LANGUAGES else "ro"
    folio = ops.folio(session, stay_id)
    venue = get_venue(session)
    pdf = invoice_pdf(invoice_html(folio, venue, language))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="folio-{folio["room"]}-{stay_id}.pdf"',
        "Cache-Control": "private, no-store"})


def invoice_html(folio: dict[str, Any], venue: Any, language: str) -> str:
    """``templates/desk/invoice.html`` in ``language``: its words, money and dates. Only
    what is on the folio is on the invoice (not a card the terminal declined or has not
    answered for)."""
    zone = ZoneInfo(venue.timezone)
    folio = {**folio, "entries": [e for e in folio["entries"] if e["status"] == "done"]}

    digits = get_currency_precision(venue.currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")

    def money(amount: int) -> str:
        """The amount alone: the currency is said once, at the top."""
        return format_decimal(Decimal(amount).scaleb(-digits), format=pattern,
                              locale=MONEY_LOCALES[language])

    def day(value: str) -> str:
        return datetime.fromisoformat(value).strftime(DATE_FORMATS[language])

    def moment(value: datetime) -> str:
        aware = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
        return aware.astimezone(zone).strftime(DATE_FORMATS[language] + " %H:%M")

    def rate(rate_bp: int) -> str:
        return format_decimal(Decimal(rate_bp).scaleb(-2), locale=MONEY_LOCALES[language])

    with force_locale(language):
        return render_template("desk/invoice.html", folio=folio, venue=venue,
                               language=language, money=money, day=day, moment=moment,
                               rate=rate,
                               totals=invoice_totals(folio), printed_at=moment(utcnow()))


def invoice_totals(folio: dict[str, Any]) -> dict[str, Any]:
    """What the invoice sums up: charges, what came off them, and the VAT per rate that the
    restaurant charges included."""
    charges = sum(e["amount"] for e in folio["entries"] if e["kind"] == "charge")
    credits = sum(e["amount"] for e in folio["entries"] if e["kind"] != "charge")
    rates: dict[int, dict[str, int]] = {}
    for entry in folio["entries"]:
        if entry["kind"] != "charge":
            continue
        for row in entry["tax"]:
            rate = rates.setdefault(row["rate_bp"], {"net": 0, "tax": 0})
            rate["net"] += row["net"]
            rate["tax"] += row["tax"]
    tax = [{"rate_bp": bp, "net": r["net"], "tax": r["tax"], "gross": r["net"] + r["tax"]}
           for bp, r in sorted(rates.items())]
    return {"charges": charges, "credits": credits, "tax": tax}


def invoice_pdf(html: str) -> bytes:
    """One A4 document (WeasyPrint is imported here: only a PDF needs it)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
