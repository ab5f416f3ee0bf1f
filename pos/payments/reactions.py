"""Payments follow what ordering does: a line on a paid bill is money taken, so it can no
longer be voided or split (a refund is the way to give it back). And what follows a
payment: cash lands in the cashier's open drawer, which opens; each bill it paid gets its
customer receipt on the till's printer and its fiscal receipt; a card still held on a
check paid otherwise is let go at the terminal."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.errors import Conflict
from pos.ordering.events import LineSplit, LineVoided, reacting_to
from pos.payments import operations
from pos.payments.cards import release_after_commit
from pos.payments.drawers import current_shift, kick_drawer
from pos.payments.fiscal import record_fiscal_receipt
from pos.payments.models import Bill, BillPortion, BillStatus, Payment, Refund, Tender
from pos.payments.receipts import find_receipt_printer, public_receipt_url, queue_receipt


def on_a_paid_bill(session: Session, line_id: int) -> bool:
    return session.scalar(
        select(BillPortion.id).join(Bill, Bill.id == BillPortion.bill_id)
        .where(BillPortion.line_id == line_id, Bill.status == BillStatus.PAID).limit(1)
    ) is not None


def refuse_change_to_paid_line(session: Session, line_id: int) -> None:
    if on_a_paid_bill(session, line_id):
        raise Conflict(_("This line is on a paid bill: refund it instead."), field="line_id",
                       code="line_paid")


@reacting_to(LineVoided)
def keep_paid_lines_on_void(session: Session, happening: LineVoided) -> None:
    refuse_change_to_paid_line(session, happening.line.id)


@reacting_to(LineSplit)
def keep_paid_lines_on_split(session: Session, happening: LineSplit) -> None:
    refuse_change_to_paid_line(session, happening.line.id)


def through_the_drawer(session: Session, actor: Actor, money: Payment | Refund,
                       tender: Tender) -> None:
    """Money taken or given back belongs to the actor's open drawer; cash opens it."""
    shift = current_shift(session, actor)
    if shift is None:
        return
    money.shift_id = shift.id
    if tender is Tender.CASH:
        kick_drawer(session, shift)


def into_the_drawer(session: Session, actor: Actor, payment: Payment) -> None:
    through_the_drawer(session, actor, payment, payment.tender)


def out_of_the_drawer(session: Session, actor: Actor, refund: Refund, payment: Payment) -> None:
    through_the_drawer(session, actor, refund, payment.tender)


def receipts_for(session: Session, actor: Actor, bills: list[Bill]) -> None:
    printer = find_receipt_printer(session, actor) if bills else None
    for bill in bills:
        record_fiscal_receipt(session, bill)
        if printer is not None:
            queue_receipt(session, bill, printer,
                          receipt_url=public_receipt_url(bill.receipt_token))


def let_go_of_the_card_hold(session: Session, actor: Actor,
                            state: operations.CheckBills) -> None:
    """The tab was paid in cash (or on another card) while its card was held: the guest's
    card is freed now, not when the hold runs out days later."""
    hold = state.card_hold
    if hold is None:
        return
    record_audit(session, "payment.hold_released", actor=actor, subject=f"check:{hold.check_id}",
                 payment=hold.id, amount=hold.amount, paid_otherwise=True)
    release_after_commit(session, hold)


for hook, hooks in ((into_the_drawer, operations.AFTER_PAYMENT),
                    (out_of_the_drawer, operations.AFTER_REFUND),
                    (receipts_for, operations.AFTER_BILLS_PAID),
                    (let_go_of_the_card_hold, operations.AFTER_CHECK_PAID)):
    if hook not in hooks:
        hooks.append(hook)
