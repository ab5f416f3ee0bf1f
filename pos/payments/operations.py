"""Taking money for a check: its bills (splits), payments with tips, refunds.

Every operation locks the check's row first, so two cashiers paying one bill, or a
double tap on Pay, are served one after the other: the second sees what the first did
(a payment's client id answers a replay with the first payment).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos.core.audit import record_audit
from pos.core.auth import Actor, Permission
from pos.core.db import utcnow
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.core.events import record_event
from pos.core.money import percent_of, split_by_weights
from pos.ordering.adjustments import approval
from pos.ordering.models import Check, CheckStatus
from pos.ordering.operations import changed, check_for_change, close_paid_check
from pos.payments.bills import POOL_KINDS, BillFigures, figure_bills, live_lines
from pos.payments.models import (
    Bill,
    BillKind,
    BillPortion,
    BillStatus,
    Payment,
    PaymentStatus,
    Refund,
    Tender,
    TipShare,
)
from pos.staff.pins import PinCheck
from pos.venue.models import Venue
from pos.venue.operations import current_business_day, get_venue

MAX_PARTS = 50


# --- reading ------------------------------------------------------------------------


@dataclass
class CheckBills:
    check: Check
    bills: list[BillFigures]
    payments: list[Payment]

    def paid_on(self, number: int) -> int:
        return sum(p.amount for p in self.payments
                   if p.status is PaymentStatus.APPROVED and self.bill_number(p) == number)

    def due_on(self, figure: BillFigures) -> int:
        return 0 if figure.paid else figure.total - self.paid_on(figure.number)

    def awaited_on(self, number: int) -> int:
        """Card payments on a bill whose answer is not in yet: not to be taken twice."""
        return sum(p.amount for p in self.payments
                   if p.status in (PaymentStatus.PENDING, PaymentStatus.UNKNOWN)
                   and not p.is_hold and self.bill_number(p) == number)

    @property
    def card_hold(self) -> Payment | None:
        """The bar tab's card hold, if one is held: the tab's card payment books it."""
        return next((p for p in self.payments if p.status is PaymentStatus.HELD), None)

    def bill_number(self, payment: Payment) -> int | None:
        return next((f.number for f in self.bills if f.bill is not None
                     and f.bill.id == payment.bill_id), None)

    @property
    def due(self) -> int:
        return sum(self.due_on(f) for f in self.bills)


def bills_of(session: Session, check: Check, venue: Venue | None = None) -> CheckBills:
    venue = venue or get_venue(session)
    rows = list(session.scalars(select(Bill).where(Bill.check_id == check.id)
                                .order_by(Bill.number)))
    payments = list(session.scalars(select(Payment).where(Payment.check_id == check.id)
                                    .order_by(Payment.id)))
    figures = figure_bills(check, rows, venue.tax_mode)
    return CheckBills(check, figures, payments)


@dataclass
class TillRow:
    """A check as the cashier's list shows it: what it comes to and what is still due."""
    check: Check
    state: CheckBills
    printed: bool


def till(session: Session, *, paid: bool, limit: int) -> list[TillRow]:
    """The open checks (all of them), or the last ``limit`` checks paid: each with its
    bills figured, in three queries whatever their number."""
    statement = select(Check).options(selectinload(Check.lines))
    if paid:
        statement = (statement.where(Check.status == CheckStatus.PAID)
                     .order_by(Check.closed_at.desc(), Check.id.desc()).limit(limit))
    else:
        statement = statement.where(Check.status == CheckStatus.OPEN).order_by(Check.id)
    checks = list(session.scalars(statement))
    ids = [check.id for check in checks]
    bills: dict[int, list[Bill]] = {i: [] for i in ids}
    payments: dict[int, list[Payment]] = {i: [] for i in ids}
    if ids:
        for bill in session.scalars(select(Bill).where(Bill.check_id.in_(ids))
                                    .order_by(Bill.number)):
            bills[bill.check_id].append(bill)
        for payment in session.scalars(select(Payment).where(Payment.check_id.in_(ids))
                                       .order_by(Payment.id)):
            payments[payment.check_id].append(payment)
    tax_mode = get_venue(session).tax_mode
    rows = []
    for check in checks:
        state = CheckBills(check, figure_bills(check, bills[check.id], tax_mode),
                           payments[check.id])
        printed = any(b.printed_at is not None and b.status is not BillStatus.PAID
                      for b in bills[check.id])
        rows.append(TillRow(check, state, printed))
    return rows


def read_check(session: Session, check_id: int) -> Check:
    check = session.get(Check, check_id)
    if check is None:
        raise NotFound(_("There is no such check."), field="check_id")
    return check


def tip_suggestions(venue: Venue, figure: BillFigures) -> list[dict[str, int]]:
    base = sum(t.net for t in figure.tax) if venue.tip_on_net else figure.total
    return [{"percent_bp": bp, "amount": percent_of(base, bp)}
            for bp in venue.tip_suggestions_bp or []]


# --- splitting ----------------------------------------------------------------------


def lock_for_bills(session: Session, check_id: int) -> CheckBills:
    check = check_for_change(session, check_id, None)
    return bills_of(session, check)


def refuse_if_partly_paid(state: CheckBills, numbers: set[int | None] | None = None) -> None:
    """Money taken on an open bill pins what it holds (of these bills, or of any)."""
    for figure in state.bills:
        if numbers is not None and figure.number not in numbers:
            continue
        if not figure.paid and state.paid_on(figure.number):
            raise Conflict(_("Bill %(number)s is partly paid: finish paying it first.",
                             number=figure.number), field="bills", code="bill_partly_paid")


def held_by_paid_bills(state: CheckBills) -> dict[int, Fraction]:
    held: dict[int, Fraction] = {}
    for figure in state.bills:
        if figure.paid and figure.bill is not None:
            for portion in figure.bill.portions:
                held[portion.line_id] = held.get(portion.line_id, Fraction(0)) + Fraction(
                    portion.numerator, portion.denominator)
    return held


def drop_open_bills(session: Session, state: CheckBills) -> int:
    """Remove the open bills (none partly paid); the next free bill number."""
    refuse_if_partly_paid(state)
    for figure in state.bills:
        if not figure.paid and figure.bill is not None:
            session.delete(figure.bill)
    session.flush()
    return max((f.number for f in state.bills if f.paid), default=0) + 1


def new_bill(session: Session, check: Check, number: int, kind: BillKind, *,
             seat: int | None = None, fixed_amount: int | None = None,
             portions: Sequence[tuple[int, Fraction]] = ()) -> Bill:
    bill = Bill(check_id=check.id, number=number, kind=kind, seat=seat,
                fixed_amount=fixed_amount, portions=[
                    BillPortion(line_id=line_id, numerator=f.numerator, denominator=f.denominator)
                    for line_id, f in portions if f > 0])
    session.add(bill)
    return bill


def split_by_seat(session: Session, actor: Actor, check_id: int) -> CheckBills:
    """A bill for each seat; lines with no seat (a shared bottle) shared evenly among them."""
    state = lock_for_bills(session, check_id)
    held = held_by_paid_bills(state)
    lines = [line for line in live_lines(state.check)
             if held.get(line.id, Fraction(0)) < 1]
    seats = sorted({line.seat for line in lines if line.seat})
    if not seats:
        raise Conflict(_("No line on this check has a seat."), field="seat", code="no_seats")
    number = drop_open_bills(session, state)
    shared = [line for line in lines if not line.seat]  # seat 0: the table's
    for offset, seat in enumerate(seats):
        portions = [(line.id, 1 - held.get(line.id, Fraction(0)))
                    for line in lines if line.seat == seat]
        portions += [(line.id, (1 - held.get(line.id, Fraction(0))) / len(seats))
                     for line in shared]
        new_bill(session, state.check, number + offset, BillKind.SEAT, seat=seat,
                 portions=portions)
    return bills_changed(session, actor, state.check, "bills.split_by_seat")


def split_evenly(session: Session, actor: Actor, check_id: int, parts: int) -> CheckBills:
    if not 2 <= parts <= MAX_PARTS:
        raise InvalidInput(_("Split into 2 to %(most)s parts.", most=MAX_PARTS), field="parts")
    state = lock_for_bills(session, check_id)
    number = drop_open_bills(session, state)
    for offset in range(parts):
        new_bill(session, state.check, number + offset, BillKind.EVEN)
    return bills_changed(session, actor, state.check, "bills.split_evenly")


def split_by_amount(session: Session, actor: Actor, check_id: int,
                    amounts: Sequence[int]) -> CheckBills:
    """A bill of each amount, and one for the rest."""
    state = lock_for_bills(session, check_id)
    left = state.due
    if any(amount <= 0 for amount in amounts):
        raise InvalidInput(_("Each amount must be more than zero."), field="amounts")
    if sum(amounts) >= left:
        raise InvalidInput(_("The amounts come to %(sum)s but only %(left)s is left to pay.",
                             sum=sum(amounts), left=left), field="amounts",
                           code="more_than_due")
    number = drop_open_bills(session, state)
    for offset, amount in enumerate(amounts):
        new_bill(session, state.check, number + offset, BillKind.AMOUNT, fixed_amount=amount)
    new_bill(session, state.check, number + len(amounts), BillKind.WHOLE)
    return bills_changed(session, actor, state.check, "bills.split_by_amount")


def undo_split(session: Session, actor: Actor, check_id: int) -> CheckBills:
    """Back to one bill for what is not paid yet."""
    state = lock_for_bills(session, check_id)
    number = drop_open_bills(session, state)
    new_bill(session, state.check, number, BillKind.WHOLE)
    return bills_changed(session, actor, state.check, "bills.split_undone")


def open_bill(session: Session, state: CheckBills, number: int | None,
              field: str = "bill") -> Bill:
    """The open bill numbered ``number`` (made if it is the rest bill nobody used yet);
    None: a new bill of picked lines."""
    if number is None:
        bill = new_bill(session, state.check, max((f.number for f in state.bills),
                                                  default=0) + 1, BillKind.ITEMS)
        session.flush()
        return bill
    figure = next((f for f in state.bills if f.number == number), None)
    if figure is None:
        raise NotFound(_("There is no bill %(number)s on this check.", number=number),
                       field=field)
    if figure.paid:
        raise Conflict(_("Bill %(number)s is paid.", number=number), field=field,
                       code="bill_paid")
    if figure.bill is None:
        figure.bill = new_bill(session, state.check, number, figure.kind)
        session.flush()
    return figure.bill


def move_line(session: Session, actor: Actor, check_id: int, line_id: int,
              from_bill: int, to_bill: int | None) -> CheckBills:
    """Move what ``from_bill`` has of a line onto ``to_bill`` (None: a new bill)."""
    state = lock_for_bills(session, check_id)
    line_ids = {line.id for line in live_lines(state.check)}
    if line_id not in line_ids:
        raise NotFound(_("There is no such line on this check."), field="line_id")
    source = next((f for f in state.bills if f.number == from_bill), None)
    if source is None or source.paid:
        raise Conflict(_("Bill %(number)s cannot give lines.", number=from_bill),
                       field="from_bill", code="bill_paid" if source else "no_such_bill")
    fraction = sum((bl.fraction for bl in source.lines if bl.line_id == line_id), Fraction(0))
    if not fraction:
        raise Conflict(_("That line is not on bill %(number)s.", number=from_bill),
                       field="line_id", code="line_not_on_bill")
    if to_bill == from_bill:
        raise InvalidInput(_("Choose another bill."), field="to_bill")
    refuse_if_partly_paid(state, {from_bill, to_bill})
    pooled = {f.number: pooled_share(f, line_id) for f in state.bills
              if not f.paid and f.kind in POOL_KINDS}
    target = open_bill(session, state, to_bill, field="to_bill")
    if source.bill is not None:
        take_portions(source.bill, line_id)
    add_portion(target, line_id, fraction)
    if pooled.get(from_bill):
        # The rest bills shared this line: each other one keeps its share as its own.
        for figure in state.bills:
            share = pooled.get(figure.number)
            if share and figure.number != from_bill:
                add_portion(open_bill(session, state, figure.number), line_id, share)
    return bills_changed(session, actor, state.check, "bills.line_moved")


def pooled_share(figure: BillFigures, line_id: int) -> Fraction:
    """What a rest bill has of a line beyond the portions it holds itself."""
    on_bill = sum((bl.fraction for bl in figure.lines if bl.line_id == line_id), Fraction(0))
    own = sum((Fraction(p.numerator, p.denominator) for p in
               (figure.bill.portions if figure.bill else []) if p.line_id == line_id),
              Fraction(0))
    return on_bill - own


def take_portions(bill: Bill, line_id: int) -> Fraction:
    taken = Fraction(0)
    for portion in list(bill.portions):
        if portion.line_id == line_id:
            taken += Fraction(portion.numerator, portion.denominator)
            bill.portions.remove(portion)
    return taken


def add_portion(bill: Bill, line_id: int, fraction: Fraction) -> None:
    for portion in bill.portions:
        if portion.line_id == line_id:
            total = Fraction(portion.numerator, portion.denominator) + fraction
            portion.numerator, portion.denominator = total.numerator, total.denominator
            return
    bill.portions.append(BillPortion(line_id=line_id, numerator=fraction.numerator,
                                     denominator=fraction.denominator))


def share_line(session: Session, actor: Actor, check_id: int, line_id: int,
               numbers: Sequence[int]) -> CheckBills:
    """Share what the open bills have of a line equally among ``numbers`` (a bottle for
    three: a third on each)."""
    if len(set(numbers)) < 2:
        raise InvalidInput(_("Choose at least two bills to share it."), field="bills")
    state = lock_for_bills(session, check_id)
    if line_id not in {line.id for line in live_lines(state.check)}:
        raise NotFound(_("There is no such line on this check."), field="line_id")
    refuse_if_partly_paid(state)
    targets = [open_bill(session, state, number, field="bills") for number in set(numbers)]
    free = 1 - held_by_paid_bills(state).get(line_id, Fraction(0))
    for figure in state.bills:
        if not figure.paid and figure.bill is not None:
            take_portions(figure.bill, line_id)
    for target in targets:
        add_portion(target, line_id, free / len(targets))
    return bills_changed(session, actor, state.check, "bills.line_shared")


def bills_changed(session: Session, actor: Actor, check: Check, action: str) -> CheckBills:
    session.flush()
    session.expire(check, ["lines"])
    state = bills_of(session, check)
    record_audit(session, action, actor=actor, subject=f"check:{check.id}",
                 bills=[f.number for f in state.bills])
    announce_bills(session, state)
    return state


def announce_bills(session: Session, state: CheckBills) -> None:
    """Every cashier screen and tablet showing this check reloads its bills."""
    record_event(session, "/floor", "floor", "bills",
                 {"check_id": state.check.id, "due": state.due,
                  "bills": [{"number": f.number, "total": f.total, "paid": f.paid,
                             "printed": bool(f.bill and f.bill.printed_at)}
                            for f in state.bills],
                  "payments": [{"id": p.id, "status": p.status.value, "refunded": p.refunded}
                               for p in state.payments]})


# --- paying -------------------------------------------------------------------------


@dataclass
class RoomRequest:
    """Who a room charge is for, as the cashier confirmed them: the room, the guest's
    name as typed (checked against the stay), the stay when chosen from the list, the
    guest's signature (a PNG), and a manager's PIN to pass the stay's credit limit."""
    room: str
    guest_name: str | None = None
    stay_id: int | None = None
    signature: bytes | None = None
    manager_pin: str | None = None
    pins: PinCheck | None = None


class RoomCharges(Protocol):
    """Where a room charge goes: the hotel package plugs in here."""

    def charge(self, session: Session, actor: Actor, payment: Payment, check: Check,
               bill: BillFigures, room: RoomRequest) -> str:
        """Post the approved payment (amount and tip) to the guest's folio, itemised by
        ``bill``, or refuse (a MasaError) and write nothing. Returns the payment's
        reference (the room number)."""
        ...


ROOM_CHARGES: list[RoomCharges] = []

# What follows a payment, registered by the modules that do it (pos.payments.reactions):
# the cash drawer it went into and opens, the receipts of the bills it paid.
PaymentHook = Callable[[Session, Actor, Payment], None]
BillsHook = Callable[[Session, Actor, list[Bill]], None]
RefundHook = Callable[[Session, Actor, Refund, Payment], None]
AFTER_PAYMENT: list[PaymentHook] = []
AFTER_BILLS_PAID: list[BillsHook] = []
AFTER_REFUND: list[RefundHook] = []
AFTER_CHECK_PAID: list[Callable[[Session, Actor, CheckBills], None]] = []


@dataclass
class PaymentRequest:
    client_id: str
    bill: int
    tender: Tender
    amount: int
    tip: int = 0
    tendered: int | None = None
    reference: str | None = None
    room: RoomRequest | None = None


def earlier_payment(session: Session, client_id: str) -> Payment | None:
    return session.scalar(select(Payment).where(Payment.client_id == client_id))


def take_payment(session: Session, actor: Actor, check_id: int,
                 request: PaymentRequest) -> Payment:
    """Money for one bill (all or part of it): cash, voucher or room now; a card goes to
    the terminal first (``pos.payments.cards``)."""
    earlier = earlier_payment(session, request.client_id)
    if earlier is not None:
        return same_payment(earlier, check_id)
    check = session.get(Check, check_id, with_for_update=True)
    earlier = earlier_payment(session, request.client_id)  # a twin that waited for the lock
    if earlier is not None:
        return same_payment(earlier, check_id)
    if check is None:
        raise NotFound(_("There is no such check."), field="check_id")
    if check.status is not CheckStatus.OPEN:
        raise Conflict(_("This check is closed."), field="check_id", code="check_closed")
    state = bills_of(session, check)
    bill = open_bill(session, state, request.bill)
    figure = next(f for f in state.bills if f.number == request.bill)
    due = state.due_on(figure) - state.awaited_on(figure.number)
    if request.amount > due:
        raise InvalidInput(_("Only %(due)s is due on bill %(number)s.", due=due,
                             number=request.bill), field="amount", code="more_than_due")
    if request.amount <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    payment = Payment(
        client_id=request.client_id, check_id=check.id, bill_id=bill.id,
        business_day_id=day_id(session), tender=request.tender, amount=request.amount,
        tip=request.tip, server_id=check.server_id, taken_by_id=actor.staff_id,
        taken_by_device_id=actor.device_id if actor.is_device else None,
        reference=request.reference, status=PaymentStatus.APPROVED)
    if request.tender is Tender.CASH:
        tendered = request.tendered if request.tendered is not None else (
            request.amount + request.tip)
        if tendered < request.amount + request.tip:
            raise InvalidInput(_("The cash handed over is less than the amount and tip."),
                               field="tendered", code="not_enough_cash")
        payment.tendered, payment.change = tendered, tendered - request.amount - request.tip
    elif request.tender is Tender.VOUCHER:
        if not request.reference:
            raise InvalidInput(_("Enter the voucher's code."), field="reference")
    elif request.tender is Tender.ROOM:
        if not ROOM_CHARGES:
            raise Conflict(_("No hotel is linked to charge a room to."), field="tender",
                           code="no_hotel_link")
        if request.room is None:
            raise InvalidInput(_("Choose the room."), field="reference")
    elif request.tender is Tender.CARD:
        payment.status = PaymentStatus.PENDING
    payment.decided_at = None if payment.status is PaymentStatus.PENDING else utcnow()
    session.add(payment)
    session.flush()
    if request.tender is Tender.ROOM:
        payment.reference = ROOM_CHARGES[0].charge(session, actor, payment, check, figure,
                                                   request.room)
    for hook in AFTER_PAYMENT:
        hook(session, actor, payment)
    if payment.status is PaymentStatus.APPROVED:
        settle(session, actor, check, payment)
    return payment


def hold_card(session: Session, actor: Actor, check_id: int, *, client_id: str,
              amount: int) -> Payment:
    """A bar tab opened on a card: the terminal holds ``amount`` (a pre-authorisation)
    and the tab's card payment later books its total against the hold."""
    earlier = earlier_payment(session, client_id)
    if earlier is not None:
        return same_payment(earlier, check_id)
    state = lock_for_bills(session, check_id)
    if any(p.is_hold and p.status in (PaymentStatus.PENDING, PaymentStatus.UNKNOWN,
                                      PaymentStatus.HELD) for p in state.payments):
        raise Conflict(_("This tab already has a card held."), field="check_id",
                       code="card_held")
    if amount <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    first_open = next((f.number for f in state.bills if not f.paid), None)
    if first_open is not None:
        bill = open_bill(session, state, first_open)
    else:  # a tab opened a moment ago, nothing on it yet
        bill = new_bill(session, state.check, len(state.bills) + 1, BillKind.WHOLE)
        session.flush()
    hold = Payment(client_id=client_id, check_id=check_id, bill_id=bill.id,
                   business_day_id=day_id(session), tender=Tender.CARD, is_hold=True,
                   status=PaymentStatus.PENDING, amount=amount, server_id=state.check.server_id,
                   taken_by_id=actor.staff_id,
                   taken_by_device_id=actor.device_id if actor.is_device else None)
    session.add(hold)
    session.flush()
    announce_bills(session, bills_of(session, state.check))
    return hold


def release_card_hold(session: Session, actor: Actor, check_id: int) -> Payment:
    """The tab will not be paid on its held card (the guest pays cash, or leaves the card
    behind by mistake): the hold is to be let go at the terminal. It stays "held" until
    the terminal says it is released, so a refused release can be asked again."""
    state = lock_for_bills(session, check_id)
    hold = state.card_hold
    if hold is None:
        raise Conflict(_("No card is held on this check."), field="check_id",
                       code="no_card_held")
    if any(not p.is_hold and p.tender is Tender.CARD
           and p.status in (PaymentStatus.PENDING, PaymentStatus.UNKNOWN)
           for p in state.payments):
        raise Conflict(_("A card payment on this check is still at the terminal."),
                       field="check_id", code="card_payment_pending")
    record_audit(session, "payment.hold_released", actor=actor, subject=f"check:{check_id}",
                 payment=hold.id, amount=hold.amount)
    return hold


def same_payment(payment: Payment, check_id: int) -> Payment:
    if payment.check_id != check_id:
        raise Conflict(_("This payment was made on another check."), field="client_id",
                       code="client_id_reused")
    return payment


def day_id(session: Session) -> int | None:
    day = current_business_day(session)
    return day.id if day is not None else None


def share_tip(session: Session, check: Check, payment: Payment) -> None:
    """The tip goes to the check's server, or (the venue's rule) is shared among the
    servers who ordered on the check by the value of what each ordered."""
    if not payment.tip:
        return
    owners: dict[int | None, int] = {}
    if get_venue(session).tips_shared:
        for line in live_lines(check):
            owner = line.added_by_id or check.server_id
            owners[owner] = owners.get(owner, 0) + line.gross
    if not sum(owners.values()):
        owners = {check.server_id: 1}
    shares = split_by_weights(payment.tip, list(owners.values()))
    session.add_all(TipShare(payment_id=payment.id, staff_id=staff_id, amount=share)
                    for staff_id, share in zip(owners, shares, strict=True) if share)


def settle(session: Session, actor: Actor, check: Check, payment: Payment) -> CheckBills:
    """An approved payment counts: its bill is paid when nothing is due on it, the check
    closes when every bill is."""
    share_tip(session, check, payment)
    record_audit(session, "payment.taken", actor=actor, subject=f"check:{check.id}",
                 payment=payment.id, tender=payment.tender.value, amount=payment.amount,
                 tip=payment.tip)
    state = bills_of(session, check)
    paid_now = []
    for figure in state.bills:
        if figure.bill is not None and figure.bill.id == payment.bill_id:
            figure.bill.tip += payment.tip
            if state.due_on(figure) == 0:
                paid_now.append(freeze(figure))
    state = bills_of(session, check)
    if all(f.paid or f.total == 0 for f in state.bills):
        paid_now += [freeze(f) for f in state.bills if not f.paid and f.bill is not None]
        close_paid_check(session, actor, check)
    else:
        changed(session, check, actor)
    session.flush()
    for hook in AFTER_BILLS_PAID:
        hook(session, actor, paid_now)
    if check.status is CheckStatus.PAID:
        for check_hook in AFTER_CHECK_PAID:
            check_hook(session, actor, state)
    announce_bills(session, state)
    return state


def freeze(figure: BillFigures) -> Bill:
    """The bill is paid: what it came to, per rate and per line, is kept as it is now."""
    bill = figure.bill
    bill.status, bill.paid_at, bill.total = BillStatus.PAID, utcnow(), figure.total
    bill.tax = [{"rate_bp": t.rate_bp, "net": t.net, "tax": t.tax} for t in figure.tax]
    bill.lines = [{"line_id": bl.line_id, "fraction": str(bl.fraction), "amount": bl.amount}
                  for bl in figure.lines]
    bill.receipt_token = bill.receipt_token or secrets.token_urlsafe(32)
    return bill


# --- refunds ------------------------------------------------------------------------


def refund_payment(session: Session, actor: Actor, payment_id: int, *, client_id: str,
                   amount: int, reason: str, manager_pin: str | None,
                   pins: PinCheck, by_terminal: bool = False) -> Refund:
    """Money back to the tender it came by, with a manager's approval, audited. A card
    refund (``by_terminal``) is pending until the terminal has given the money back."""
    earlier = session.scalar(select(Refund).where(Refund.client_id == client_id))
    if earlier is not None:
        return earlier
    payment = session.get(Payment, payment_id, with_for_update=True)
    if payment is None or payment.status is not PaymentStatus.APPROVED:
        raise NotFound(_("There is no such payment."), field="payment_id")
    refundable = payment.amount + payment.tip - payment.refunded - sum(session.scalars(
        select(Refund.amount).where(Refund.payment_id == payment.id,
                                    Refund.status.in_(["pending", "unknown"]))))
    if amount <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    if amount > refundable:
        raise InvalidInput(_("At most %(left)s of this payment can be refunded.",
                             left=refundable), field="amount", code="more_than_paid")
    approved_by = approval(session, actor, Permission.REFUND, manager_pin, pins)
    refund = Refund(client_id=client_id, payment_id=payment.id, amount=amount, reason=reason,
                    business_day_id=day_id(session), by_id=actor.staff_id,
                    approved_by_id=approved_by or actor.staff_id,
                    status="pending" if by_terminal else "done")
    if not by_terminal:
        payment.refunded += amount
    session.add(refund)
    session.flush()
    for hook in AFTER_REFUND:
        hook(session, actor, refund, payment)
    record_audit(session, "payment.refunded", actor=actor, approved_by=approved_by,
                 subject=f"check:{payment.check_id}",
                 payment=payment.id, refund=refund.id, amount=amount, reason=reason,
                 tender=payment.tender.value)
    return refund
