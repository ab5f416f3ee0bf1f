"""The cashier's HTTP API: a check's bills, splits, payments and refunds."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, current_app
from flask_babel import gettext as _

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import Conflict, InvalidInput
from pos.ordering.adjustments import approval
from pos.ordering.models import Check
from pos.payments import operations as ops
from pos.payments.bills import BillFigures
from pos.payments.cards import (
    charge_after_commit,
    refund_after_commit,
    release_after_commit,
    resolve_card_payment,
)
from pos.payments.models import Payment, PaymentStatus, Tender
from pos.payments.receipts import name_in
from pos.payments.schemas import (
    BillsOut,
    HoldCard,
    MoveLine,
    PaymentOut,
    RefundOut,
    RefundPayment,
    ResolveCardPayment,
    ShareLine,
    SplitCheck,
    SplitHow,
    TakePayment,
    TillQuery,
    TillRowOut,
)
from pos.staff.web import pin_check
from pos.venue.models import Venue
from pos.venue.operations import get_venue

api = Blueprint("payments_api", __name__, url_prefix=API_PREFIX)


def fraction_text(fraction) -> str:
    return str(fraction.numerator) if fraction.denominator == 1 else str(fraction)


def bill_out(state: ops.CheckBills, figure: BillFigures, venue: Venue,
             lines: dict[int, Any]) -> dict[str, Any]:
    bill = figure.bill
    language = venue.locale.split("_")[0]
    return {
        "number": figure.number, "kind": figure.kind, "seat": figure.seat,
        "paid": figure.paid, "total": figure.total, "due": state.due_on(figure),
        "tip": bill.tip if bill else 0, "printed": bool(bill and bill.printed_at),
        "receipt_url": (f"/r/{bill.receipt_token}"
                        if bill is not None and bill.receipt_token else None),
        "tax": [{"rate_bp": t.rate_bp, "net": t.net, "tax": t.tax} for t in figure.tax],
        "lines": [{"line_id": bl.line_id, "name": name_in(lines[bl.line_id].names, language),
                   "quantity": lines[bl.line_id].quantity, "seat": lines[bl.line_id].seat,
                   "fraction": fraction_text(bl.fraction), "amount": bl.amount}
                  for bl in figure.lines if bl.line_id in lines],
        "tips": ops.tip_suggestions(venue, figure) if not figure.paid else [],
    }


def payment_out(state: ops.CheckBills, payment: Payment) -> dict[str, Any]:
    return {**{name: getattr(payment, name) for name in PaymentOut.model_fields
               if name != "bill"}, "bill": state.bill_number(payment)}


def bills_out(session, state: ops.CheckBills) -> dict[str, Any]:
    venue = get_venue(session)
    check = state.check
    lines = {line.id: line for line in check.lines}
    return {
        "check_id": check.id, "check_version": check.version, "check_status": check.status,
        "kind": check.kind, "card_terminal": "masa_cards" in current_app.extensions,
        "table_id": check.table_id, "name": check.name,
        "total": sum(f.total for f in state.bills), "due": state.due,
        "currency": venue.currency,
        "bills": [bill_out(state, f, venue, lines) for f in state.bills],
        "payments": [payment_out(state, p) for p in state.payments],
        "cash_quick_notes": venue.cash_quick_notes or [],
    }


@api_route(api, "/till", summary="The cashier's list: every open check, or the last paid, "
           "each with its total and what is due", permission=Permission.FLOOR_VIEW,
           query=TillQuery, response=TillRowOut, many=True, tag="payments")
def read_till(session, actor, query: TillQuery):
    columns = ("id", "kind", "status", "table_id", "name", "guest_count", "server_id",
               "version", "closed_at")
    return [{**{name: getattr(row.check, name) for name in columns},
             "total": sum(f.total for f in row.state.bills), "due": row.state.due,
             "printed": row.printed}
            for row in ops.till(session, paid=query.status == "paid", limit=query.limit)]


@api_route(api, "/checks/<int:check_id>/bills", summary="A check's bills, what each is due, "
           "its payments", permission=Permission.FLOOR_VIEW, response=BillsOut, tag="payments")
def read_bills(session, actor, check_id: int):
    return bills_out(session, ops.bills_of(session, ops.read_check(session, check_id)))


@api_route(api, "/checks/<int:check_id>/split", method="POST", idempotent=False,
           summary="Split the unpaid part of a check by seat, evenly or by amounts",
           permission=Permission.TAKE_PAYMENT, body=SplitCheck, response=BillsOut,
           tag="payments")
def split_check(session, actor, body: SplitCheck, check_id: int):
    if body.how is SplitHow.SEAT:
        state = ops.split_by_seat(session, actor, check_id)
    elif body.how is SplitHow.EVEN:
        if body.parts is None:
            raise InvalidInput(_("Say into how many parts."), field="parts", code="missing")
        state = ops.split_evenly(session, actor, check_id, body.parts)
    else:
        if not body.amounts:
            raise InvalidInput(_("Enter at least one amount."), field="amounts", code="missing")
        state = ops.split_by_amount(session, actor, check_id, body.amounts)
    return bills_out(session, state)


@api_route(api, "/checks/<int:check_id>/split/undo", method="POST", idempotent=False,
           summary="Back to one bill for what is unpaid", permission=Permission.TAKE_PAYMENT,
           response=BillsOut, tag="payments")
def undo_split(session, actor, check_id: int):
    return bills_out(session, ops.undo_split(session, actor, check_id))


@api_route(api, "/checks/<int:check_id>/bills/move", method="POST", idempotent=False,
           summary="Move a line (or a bill's part of it) to another or a new bill",
           permission=Permission.TAKE_PAYMENT, body=MoveLine, response=BillsOut,
           tag="payments")
def move_line(session, actor, body: MoveLine, check_id: int):
    return bills_out(session, ops.move_line(session, actor, check_id, body.line_id,
                                            body.from_bill, body.to_bill))


@api_route(api, "/checks/<int:check_id>/bills/share", method="POST", idempotent=False,
           summary="Share a line equally among bills (a bottle for three)",
           permission=Permission.TAKE_PAYMENT, body=ShareLine, response=BillsOut,
           tag="payments")
def share_line(session, actor, body: ShareLine, check_id: int):
    return bills_out(session, ops.share_line(session, actor, check_id, body.line_id,
                                             body.bills))


def room_request(body: TakePayment) -> ops.RoomRequest | None:
    if not body.reference:
        return None
    return ops.RoomRequest(room=body.reference, guest_name=body.guest_name,
                           stay_id=body.stay_id, signature=signature_png(body.signature),
                           manager_pin=body.manager_pin, pins=pin_check())


def signature_png(data_url: str | None) -> bytes | None:
    """The guest's signature from the tablet: a PNG, as a data: URL."""
    if data_url is None:
        return None
    prefix = "data:image/png;base64,"
    try:
        png = base64.b64decode(data_url.removeprefix(prefix), validate=True)
    except (binascii.Error, ValueError):
        png = b""
    if not data_url.startswith(prefix) or not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise InvalidInput(_("The signature is not a PNG image."), field="signature")
    return png


@api_route(api, "/checks/<int:check_id>/payments", method="POST", status=201,
           summary="Pay a bill, or part of it: cash, card, voucher or room",
           permission=Permission.TAKE_PAYMENT, body=TakePayment, response=BillsOut,
           operation_idempotent=True, tag="payments")
def take_payment(session, actor, body: TakePayment, check_id: int):
    if body.tender is Tender.CARD and "masa_cards" not in current_app.extensions:
        raise Conflict(_("No card terminal is set up."), field="tender", code="no_terminal")
    payment = ops.take_payment(session, actor, check_id, ops.PaymentRequest(
        client_id=body.client_id, bill=body.bill, tender=body.tender, amount=body.amount,
        tip=body.tip, tendered=body.tendered, reference=body.reference,
        room=room_request(body) if body.tender is Tender.ROOM else None))
    if payment.status is PaymentStatus.PENDING:
        charge_after_commit(session, payment)
    session.flush()
    return bills_out(session, ops.bills_of(session, session.get(Check, check_id)))


@api_route(api, "/payments/<int:payment_id>/refund", method="POST", status=201,
           summary="Refund (part of) a payment to its tender; a manager approves",
           permission=Permission.TAKE_PAYMENT, body=RefundPayment, response=RefundOut,
           operation_idempotent=True, tag="payments")
def refund_payment(session, actor, body: RefundPayment, payment_id: int):
    payment = session.get(Payment, payment_id)
    by_terminal = (payment is not None and payment.tender is Tender.CARD
                   and "masa_cards" in current_app.extensions)
    refund = ops.refund_payment(session, actor, payment_id, client_id=body.client_id,
                                amount=body.amount, reason=body.reason,
                                manager_pin=body.manager_pin, pins=pin_check(),
                                by_terminal=by_terminal)
    if refund.status == "pending":
        refund_after_commit(session, refund)
    return refund


@api_route(api, "/payments/<int:payment_id>/resolve", method="POST", idempotent=False,
           summary="Settle a card payment the terminal cannot answer for; a manager approves",
           permission=Permission.TAKE_PAYMENT, body=ResolveCardPayment, response=BillsOut,
           tag="payments")
def resolve_payment(session, actor, body: ResolveCardPayment, payment_id: int):
    approved_by = approval(session, actor, Permission.APPROVE, body.manager_pin, pin_check())
    payment = resolve_card_payment(session, actor, payment_id, charged=body.charged,
                                   approved_by=approved_by)
    return bills_out(session, ops.bills_of(session, session.get(Check, payment.check_id)))


@api_route(api, "/checks/<int:check_id>/card-hold", method="POST", status=201,
           summary="Hold an amount on a card for a bar tab (pre-authorisation); paying the "
           "tab by card books its total on the hold", permission=Permission.TAKE_PAYMENT,
           body=HoldCard, response=BillsOut, operation_idempotent=True, tag="payments")
def hold_card(session, actor, body: HoldCard, check_id: int):
    if "masa_cards" not in current_app.extensions:
        raise Conflict(_("No card terminal is set up."), field="tender", code="no_terminal")
    hold = ops.hold_card(session, actor, check_id, client_id=body.client_id,
                         amount=body.amount)
    if hold.status is PaymentStatus.PENDING:
        charge_after_commit(session, hold)
    return bills_out(session, ops.bills_of(session, session.get(Check, check_id)))


@api_route(api, "/checks/<int:check_id>/card-hold/release", method="POST", idempotent=False,
           summary="Let go of a bar tab's card hold that will not be booked (the terminal "
           "releases it; the tab's card payment otherwise books on it)",
           permission=Permission.TAKE_PAYMENT, response=BillsOut, tag="payments")
def release_card_hold(session, actor, check_id: int):
    if "masa_cards" not in current_app.extensions:
        raise Conflict(_("No card terminal is set up."), field="tender", code="no_terminal")
    release_after_commit(session, ops.release_card_hold(session, actor, check_id))
    return bills_out(session, ops.bills_of(session, session.get(Check, check_id)))
