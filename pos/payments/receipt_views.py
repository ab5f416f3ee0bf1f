"""Pre-bills and receipts over HTTP: printing them, their PDFs, and the e-receipt page.

The e-receipt (``/r/<token>``) is public: whoever holds the receipt's QR code may read it,
and nobody else. Its token is 256 random bits made when the bill was paid; any other
address is a plain 404, and nothing here lists receipts.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint, Response, abort, request, url_for
from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy import select

from pos.core.api import API_PREFIX, Id, Out, Schema, api_route, current_db
from pos.core.audit import record_audit
from pos.core.auth import Permission
from pos.core.db import utcnow
from pos.core.errors import Conflict
from pos.payments import operations as ops
from pos.payments.fiscal import init_fiscal
from pos.payments.models import Bill, BillStatus
from pos.payments.receipts import (
    LANGUAGES,
    TOKEN_PATTERN,
    BillDocument,
    figure_numbered,
    prebill_document,
    public_receipt_url,
    queue_prebill,
    queue_receipt,
    receipt_document,
    receipt_printer,
    render_html,
    render_pdf,
)
from pos.venue.operations import get_venue

# One blueprint: the public page has no prefix, the API routes carry /api/v1 themselves.
receipts = Blueprint("receipts", __name__)

BillNumber = Annotated[int, Field(ge=1, le=999)]
BILL = API_PREFIX + "/checks/<int:check_id>/bills/<int:number>"
PRIVATE_PAGE = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",  # the token never leaves in a Referer
    "X-Robots-Tag": "noindex, nofollow",
}


@receipts.record_once
def _fiscal_device(state) -> None:
    if "masa_fiscal_device" not in state.app.extensions:
        init_fiscal(state.app)


class PrintBill(Schema):
    printer_id: Id | None = Field(None, description="None: the till's receipt printer (the "
                                  "cashier's shift printer, else the venue's)")


class BillPrinted(Out):
    check_id: int
    bill: int
    printed: bool
    reprint: bool  # a copy of a receipt printed before
    print_job_id: int
    printer: str


# --- the e-receipt ------------------------------------------------------------------------


def paid_bill_of(token: str) -> tuple[BillDocument, str]:
    if not TOKEN_PATTERN.match(token):
        abort(404)
    with current_db().reading() as session:
        bill = session.scalar(select(Bill).where(Bill.receipt_token == token))
        if bill is None or bill.status is not BillStatus.PAID:
            abort(404)
        asked = request.args.get("lang")
        document = receipt_document(session, bill, receipt_url=public_receipt_url(token),
                                    language=asked if asked in LANGUAGES else None)
    return document, token


def private(response: Response) -> Response:
    for name, value in PRIVATE_PAGE.items():
        response.headers[name] = value
    return response


@receipts.get("/r/<token>")
def receipt_page(token: str) -> Response:
    document, token = paid_bill_of(token)
    html = render_html(document, pdf_url=url_for("receipts.receipt_pdf", token=token,
                                                 lang=document.language))
    return private(Response(html, mimetype="text/html"))


@receipts.get("/r/<token>.pdf")
def receipt_pdf(token: str) -> Response:
    document, token = paid_bill_of(token)
    return private(pdf_response(render_pdf(document), f"receipt-{document.check_id}-"
                                                        f"{document.bill_number}.pdf"))


def pdf_response(pdf: bytes, filename: str) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- printing -----------------------------------------------------------------------------


@api_route(receipts, BILL + "/prebill", method="POST",
           summary="Print a bill's pre-bill (guest check) on the till's receipt printer; "
           "the table shows \"bill printed\"", permission=Permission.PRINT_BILL,
           body=PrintBill, response=BillPrinted, tag="payments")
def print_prebill(session, actor, body: PrintBill, check_id: int, number: int):
    state = ops.lock_for_bills(session, check_id)
    figure_numbered(state, number)  # a bill that does not exist: 404 before anything else
    bill = ops.open_bill(session, state, number, field="number")
    printer = receipt_printer(session, actor, body.printer_id)
    bill.printed_at = utcnow()
    session.flush()
    state = ops.bills_of(session, state.check)
    job = queue_prebill(session, state, number, printer)
    ops.announce_bills(session, state)
    return {"check_id": check_id, "bill": number, "printed": True, "reprint": False,
            "print_job_id": job.id, "printer": printer.name}


@api_route(receipts, BILL + "/prebill.pdf",
           summary="A bill's pre-bill (guest check) as a PDF",
           permission=Permission.FLOOR_VIEW, tag="payments")
def prebill_pdf(session, actor, check_id: int, number: int):
    state = ops.bills_of(session, ops.read_check(session, check_id))
    document = prebill_document(session, state, number, language=actor.language)
    return pdf_response(render_pdf(document), f"prebill-{check_id}-{number}.pdf")


@api_route(receipts, BILL + "/receipt", method="POST",
           summary="Print a paid bill's receipt again, headed as a copy",
           permission=Permission.TAKE_PAYMENT, body=PrintBill, response=BillPrinted,
           tag="payments")
def reprint_receipt(session, actor, body: PrintBill, check_id: int, number: int):
    check = ops.read_check(session, check_id)
    bill = session.scalar(select(Bill).where(Bill.check_id == check_id, Bill.number == number))
    if bill is None:  # no such bill (404), or the rest bill nobody has paid (409)
        figure_numbered(ops.bills_of(session, check), number)
        raise Conflict(_("Bill %(number)s is not paid yet.", number=number), field="number",
                       code="bill_not_paid")
    printer = receipt_printer(session, actor, body.printer_id)
    url = public_receipt_url(bill.receipt_token) if bill.receipt_token else None
    job = queue_receipt(session, bill, printer, receipt_url=url, copy=True,
                        venue=get_venue(session))
    record_audit(session, "receipt.reprinted", actor=actor, subject=f"check:{check_id}",
                 bill=number, printer=printer.name)
    return {"check_id": check_id, "bill": number, "printed": True, "reprint": True,
            "print_job_id": job.id, "printer": printer.name}
