"""Cash drawers and shifts: a cashier's drawer from its opening float to its count.

A shift is one cashier's drawer: it opens with a float, takes in the cash payments that
cashier takes (the payment flow stamps them with ``current_shift``), gives back cash
refunds, takes paid-ins and paid-outs with a reason and the cash tips handed to the
servers, and closes with a count by denomination. What the drawer should hold then is
worked out from those rows alone, so the count's over/short is never a matter of opinion:

    expected = float + cash taken (amount + tip: the change went back to the guest)
               + paid-ins − paid-outs − tips paid out − cash refunds

The drawer itself opens by its printer's kick (``ESC p``), queued like any print job in
the caller's transaction: on a cash payment, and on "no sale" (a right of its own, or a
manager's PIN, and audited).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor, Permission
from pos.core.db import utcnow
from pos.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from pos.devices.models import Printer, PrintJob
from pos.devices.print_queue import queue_print
from pos.ordering.adjustments import approval
from pos.payments.models import (
    CashMovement,
    CashMovementKind,
    CashShift,
    Payment,
    PaymentStatus,
    Refund,
    Tender,
    TipShare,
)
from pos.staff.models import StaffMember
from pos.staff.pins import PinCheck
from pos.venue.operations import current_business_day, get_venue

# --- denominations ----------------------------------------------------------------------

# The notes and coins a drawer holds, in minor units, largest first: (notes, coins).
DENOMINATIONS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    # Romania: the BNR's notes (the 20 lei note is back since 2021) and the bani coins.
    "RON": ((500_00, 200_00, 100_00, 50_00, 20_00, 10_00, 5_00, 1_00), (50, 10, 5, 1)),
    "EUR": ((500_00, 200_00, 100_00, 50_00, 20_00, 10_00, 5_00),
            (2_00, 1_00, 50, 20, 10, 5, 2, 1)),
    "USD": ((100_00, 50_00, 20_00, 10_00, 5_00, 2_00, 1_00), (1_00, 50, 25, 10, 5, 1)),
    "GBP": ((50_00, 20_00, 10_00, 5_00), (2_00, 1_00, 50, 20, 10, 5, 2, 1)),
    "HUF": ((20_000_00, 10_000_00, 5_000_00, 2_000_00, 1_000_00, 500_00),
            (200_00, 100_00, 50_00, 20_00, 10_00, 5_00)),
    "BGN": ((100_00, 50_00, 20_00, 10_00, 5_00), (2_00, 1_00, 50, 20, 10, 5, 2, 1)),
    "MDL": ((1000_00, 500_00, 200_00, 100_00, 50_00, 20_00, 10_00, 5_00),
            (10_00, 5_00, 1_00, 50, 25, 10, 5)),
    "CHF": ((1000_00, 200_00, 100_00, 50_00, 20_00, 10_00),
            (5_00, 2_00, 1_00, 50, 20, 10, 5)),
}


@dataclass(frozen=True)
class Denomination:
    value: int  # minor units
    kind: str  # "note" or "coin"


def denominations(currency: str) -> list[Denomination]:
    """What a drawer in ``currency`` is counted in, largest first; [] for a currency Masa
    has no list for (its drawer is counted in any amounts the cashier names)."""
    notes, coins = DENOMINATIONS.get(currency.upper(), ((), ()))
    return ([Denomination(value, "note") for value in notes]
            + [Denomination(value, "coin") for value in coins])


def counted_total(currency: str, counted: dict[str, int], field: str = "counted") -> int:
    """The sum of a count ``{"5000": 3, "50": 4}`` (denomination in minor units → pieces),
    refusing a denomination the currency does not have or a negative number of pieces."""
    known = {d.value for d in denominations(currency)}
    total = 0
    for key, pieces in counted.items():
        try:
            value = int(key)
        except (TypeError, ValueError):
            raise InvalidInput(_("%(key)s is not an amount in minor units.", key=key),
                               field=f"{field}.{key}") from None
        if value <= 0 or (known and value not in known):
            raise InvalidInput(_("There is no %(value)s note or coin in %(currency)s.",
                                 value=value, currency=currency), field=f"{field}.{key}",
                               code="unknown_denomination")
        if not isinstance(pieces, int) or pieces < 0:
            raise InvalidInput(_("Count whole pieces, none below zero."),
                               field=f"{field}.{key}")
        total += value * pieces
    return total


# --- reading a shift ----------------------------------------------------------------------


@dataclass
class ServerTips:
    """What one server's tips came to on a shift, and what the drawer has paid them."""

    server_id: int | None
    name: str
    cash: int = 0
    card: int = 0
    other: int = 0  # voucher, room
    paid_out: int = 0

    @property
    def total(self) -> int:
        return self.cash + self.card + self.other

    @property
    def owed(self) -> int:
        return self.total - self.paid_out


@dataclass
class DrawerFigures:
    """A shift's drawer as its rows say it should be."""

    shift: CashShift
    cashier_name: str
    cash_taken: int = 0  # cash payments, amount + tip
    cash_tips: int = 0  # part of cash_taken
    cash_payments: int = 0  # how many
    paid_in: int = 0
    paid_out: int = 0
    tips_out: int = 0
    cash_refunds: int = 0
    no_sales: int = 0
    tenders: dict[str, dict[str, int]] = field(default_factory=dict)  # every tender taken
    tips: list[ServerTips] = field(default_factory=list)
    movements: list[CashMovement] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return (self.shift.opening_float + self.cash_taken + self.paid_in - self.paid_out
                - self.tips_out - self.cash_refunds)


def staff_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(StaffMember.id, StaffMember.name)
                                .where(StaffMember.id.in_(wanted))).all())


def drawer_figures(session: Session, shift: CashShift) -> DrawerFigures:
    """What went in and out of the drawer, from the shift's payments, refunds and
    movements (a handful of queries, whatever the shift's length)."""
    payments = session.execute(
        select(Payment.tender, func.count(), func.sum(Payment.amount), func.sum(Payment.tip))
        .where(Payment.shift_id == shift.id, Payment.status == PaymentStatus.APPROVED)
        .group_by(Payment.tender)).all()
    refunds = session.execute(
        select(Payment.tender, func.count(), func.sum(Refund.amount))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Refund.shift_id == shift.id).group_by(Payment.tender)).all()
    movements = list(session.scalars(select(CashMovement).where(
        CashMovement.shift_id == shift.id).order_by(CashMovement.id)))
    shares = session.execute(
        select(Payment.tender, TipShare.staff_id, func.sum(TipShare.amount))
        .join(Payment, Payment.id == TipShare.payment_id)
        .where(Payment.shift_id == shift.id, Payment.status == PaymentStatus.APPROVED)
        .group_by(Payment.tender, TipShare.staff_id)).all()
    names = staff_names(session, {shift.cashier_id} | {row[1] for row in shares}
                        | {m.staff_id for m in movements})
    figures = DrawerFigures(shift, names.get(shift.cashier_id, ""), movements=movements)
    tips: dict[int | None, ServerTips] = {}
    for tender, count, amount, tip in payments:
        tender = Tender(tender)
        amount, tip = amount or 0, tip or 0
        entry = figures.tenders.setdefault(tender.value, {"count": 0, "amount": 0, "tips": 0,
                                                          "refunds": 0})
        entry["count"] += count
        entry["amount"] += amount
        entry["tips"] += tip
        if tender is Tender.CASH:
            figures.cash_payments += count
            figures.cash_taken += amount + tip
            figures.cash_tips += tip
    for tender, server_id, tip in shares:
        server = tips.setdefault(server_id, ServerTips(server_id, names.get(server_id, "")))
        if Tender(tender) is Tender.CASH:
            server.cash += tip or 0
        elif Tender(tender) is Tender.CARD:
            server.card += tip or 0
        else:
            server.other += tip or 0
    for tender, _count, amount in refunds:
        entry = figures.tenders.setdefault(Tender(tender).value, {
            "count": 0, "amount": 0, "tips": 0, "refunds": 0})
        entry["refunds"] += amount or 0
        if Tender(tender) is Tender.CASH:
            figures.cash_refunds += amount or 0
    for movement in movements:
        if movement.kind is CashMovementKind.PAID_IN:
            figures.paid_in += movement.amount
        elif movement.kind is CashMovementKind.PAID_OUT:
            figures.paid_out += movement.amount
        elif movement.kind is CashMovementKind.TIPS_OUT:
            figures.tips_out += movement.amount
            server = tips.setdefault(movement.staff_id, ServerTips(
                movement.staff_id, names.get(movement.staff_id, "")))
            server.paid_out += movement.amount
        elif movement.kind is CashMovementKind.NO_SALE:
            figures.no_sales += 1
    figures.tips = sorted(tips.values(), key=lambda t: (t.name, t.server_id or 0))
    return figures


def current_shift(session: Session, actor: Actor | None) -> CashShift | None:
    """The actor's open shift: the payment flow stamps ``Payment.shift_id`` (and
    ``Refund.shift_id``) with it, so the cash lands in the drawer that took it."""
    if actor is None or actor.staff_id is None:
        return None
    return session.scalar(select(CashShift).where(CashShift.cashier_id == actor.staff_id,
                                                  CashShift.is_open.is_(True)))


def read_shift(session: Session, shift_id: int, *, lock: bool = False) -> CashShift:
    shift = session.get(CashShift, shift_id, with_for_update=lock)
    if shift is None:
        raise NotFound(_("There is no such shift."), field="shift_id")
    return shift


def shift_in_hand(session: Session, actor: Actor, shift_id: int | None, *,
                  lock: bool = False) -> CashShift:
    """The shift named (the actor's own, or anyone's for a manager), else the actor's
    open one."""
    if shift_id is None:
        shift = current_shift(session, actor)
        if shift is None:
            raise Conflict(_("You have no open drawer: open a shift first."),
                           field="shift_id", code="no_open_shift")
        if lock:
            session.refresh(shift, with_for_update=True)
        return shift
    shift = read_shift(session, shift_id, lock=lock)
    if shift.cashier_id != actor.staff_id and not actor.can(Permission.BUSINESS_DAY):
        raise Forbidden(_("This is another cashier's drawer."), field="shift_id")
    return shift


def open_for_change(session: Session, actor: Actor, shift_id: int | None) -> CashShift:
    shift = shift_in_hand(session, actor, shift_id, lock=True)
    if not shift.is_open:
        raise Conflict(_("This shift is closed."), field="shift_id", code="shift_closed")
    return shift


# --- opening and closing ------------------------------------------------------------------


def open_shift(session: Session, actor: Actor, *, opening_float: int,
               printer_id: int | None) -> CashShift:
    """A cashier's drawer opens with a float; one open drawer per cashier."""
    if actor.staff_id is None:
        raise Forbidden(_("A drawer is a person's: sign in with your PIN."), field="actor")
    if opening_float < 0:
        raise InvalidInput(_("The float cannot be below zero."), field="opening_float")
    day = current_business_day(session)
    if day is None:
        raise Conflict(_("Open the business day first."), field="business_day",
                       code="day_closed")
    if printer_id is not None:
        printer = session.get(Printer, printer_id)
        if printer is None or not printer.active:
            raise NotFound(_("There is no such printer."), field="printer_id")
    if current_shift(session, actor) is not None:
        raise Conflict(_("You already have an open drawer: close it first."),
                       field="shift_id", code="shift_open")
    shift = CashShift(cashier_id=actor.staff_id, printer_id=printer_id,
                      business_day_id=day.id, opening_float=opening_float, is_open=True,
                      opened_at=utcnow())
    try:
        with session.begin_nested():  # a twin request that raced this one opened it first
            session.add(shift)
    except IntegrityError:
        raise Conflict(_("You already have an open drawer: close it first."),
                       field="shift_id", code="shift_open") from None
    record_audit(session, "shift.opened", actor=actor, subject=f"shift:{shift.id}",
                 opening_float=opening_float, printer=printer_id)
    return shift


def close_shift(session: Session, actor: Actor, shift_id: int | None,
                counted: dict[str, int]) -> DrawerFigures:
    """The count by denomination against what the drawer should hold; over/short is
    counted − expected (negative: money missing). The same count sent again (a retry)
    answers with the closed shift; a different one is refused."""
    shift = shift_in_hand(session, actor, shift_id, lock=True)
    currency = get_venue(session).currency
    total = counted_total(currency, counted)
    normal = {str(int(k)): v for k, v in counted.items() if v}
    if not shift.is_open:
        if shift.counted == normal:
            return drawer_figures(session, shift)
        raise Conflict(_("This shift is closed."), field="shift_id", code="shift_closed")
    figures = drawer_figures(session, shift)
    shift.counted, shift.counted_total = normal, total
    shift.expected = figures.expected
    shift.over_short = total - figures.expected
    shift.closed_at, shift.is_open = utcnow(), None
    record_audit(session, "shift.closed", actor=actor, subject=f"shift:{shift.id}",
                 expected=shift.expected, counted=total, over_short=shift.over_short)
    return figures


# --- money in and out ---------------------------------------------------------------------

MOVEMENT_AUDIT = {
    CashMovementKind.PAID_IN: "drawer.paid_in",
    CashMovementKind.PAID_OUT: "drawer.paid_out",
    CashMovementKind.TIPS_OUT: "drawer.tips_out",
}


def earlier_movement(session: Session, client_id: str, shift_id: int | None,
                     kind: CashMovementKind) -> CashMovement | None:
    earlier = session.scalar(select(CashMovement).where(CashMovement.client_id == client_id))
    if earlier is not None and (earlier.kind is not kind or (
            shift_id is not None and earlier.shift_id != shift_id)):
        raise Conflict(_("This request id was used for something else."), field="client_id",
                       code="client_id_reused")
    return earlier


def move_cash(session: Session, actor: Actor, shift_id: int | None, *, client_id: str,
              kind: CashMovementKind, amount: int, reason: str,
              staff_id: int | None = None) -> CashMovement:
    """A paid-in or paid-out with its reason, or cash tips handed to a server (who is
    named); each audited. A retry with the same client id changes nothing."""
    earlier = earlier_movement(session, client_id, shift_id, kind)
    if earlier is not None:
        return earlier
    if kind not in MOVEMENT_AUDIT:
        raise InvalidInput(_("Choose paid in, paid out or tips out."), field="kind")
    if amount <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    reason = (reason or "").strip()
    if kind is CashMovementKind.TIPS_OUT:
        server = session.get(StaffMember, staff_id) if staff_id is not None else None
        if server is None:
            raise InvalidInput(_("Choose who the tips are paid to."), field="staff_id")
        reason = reason or _("Tips")
    elif not reason:
        raise InvalidInput(_("Say why the cash goes in or out."), field="reason")
    shift = open_for_change(session, actor, shift_id)
    earlier = earlier_movement(session, client_id, shift.id, kind)  # a twin, after the lock
    if earlier is not None:
        return earlier
    movement = CashMovement(client_id=client_id, shift_id=shift.id, kind=kind, amount=amount,
                            reason=reason[:120], staff_id=staff_id, by_id=actor.staff_id)
    session.add(movement)
    session.flush()
    record_audit(session, MOVEMENT_AUDIT[kind], actor=actor, subject=f"shift:{shift.id}",
                 movement=movement.id, amount=amount, reason=movement.reason,
                 staff=staff_id)
    return movement


def kick_drawer(session: Session, shift: CashShift) -> PrintJob | None:
    """Open the shift's drawer: a kick queued on its printer in the caller's transaction
    (it goes out when that commits). None when no printer holds the drawer."""
    if shift.printer_id is None:
        return None
    return queue_print(session, shift.printer_id, "drawer_kick", {},
                       subject=f"shift:{shift.id}")


def kick_for_cash(session: Session, actor: Actor) -> PrintJob | None:
    """After a cash payment (or a cash refund): the cashier's drawer opens, if they have
    one open."""
    shift = current_shift(session, actor)
    return kick_drawer(session, shift) if shift is not None else None


def no_sale(session: Session, actor: Actor, shift_id: int | None, *, client_id: str,
            reason: str | None, manager_pin: str | None, pins: PinCheck
            ) -> tuple[CashMovement, PrintJob | None]:
    """Open the drawer with no money moving: the right to, or a manager's PIN; audited."""
    earlier = earlier_movement(session, client_id, shift_id, CashMovementKind.NO_SALE)
    if earlier is not None:
        return earlier, None
    shift = open_for_change(session, actor, shift_id)
    if shift.printer_id is None:
        raise Conflict(_("No printer holds this drawer: it cannot be opened from here."),
                       field="shift_id", code="no_drawer")
    approved_by = approval(session, actor, Permission.NO_SALE, manager_pin, pins)
    movement = CashMovement(client_id=client_id, shift_id=shift.id,
                            kind=CashMovementKind.NO_SALE, amount=0,
                            reason=(reason or "").strip()[:120], by_id=actor.staff_id,
                            approved_by_id=approved_by)
    session.add(movement)
    session.flush()
    job = kick_drawer(session, shift)
    record_audit(session, "drawer.no_sale", actor=actor, approved_by=approved_by,
                 subject=f"shift:{shift.id}", movement=movement.id, reason=movement.reason)
    return movement, job


# --- what screens get -----------------------------------------------------------------------


def shift_out(figures: DrawerFigures) -> dict[str, Any]:
    shift = figures.shift
    return {
        "id": shift.id, "cashier_id": shift.cashier_id, "cashier": figures.cashier_name,
        "printer_id": shift.printer_id, "business_day_id": shift.business_day_id,
        "open": bool(shift.is_open), "opened_at": shift.opened_at, "closed_at": shift.closed_at,
        "opening_float": shift.opening_float, "cash_taken": figures.cash_taken,
        "cash_payments": figures.cash_payments, "cash_tips": figures.cash_tips,
        "paid_in": figures.paid_in, "paid_out": figures.paid_out,
        "tips_out": figures.tips_out, "cash_refunds": figures.cash_refunds,
        "no_sales": figures.no_sales,
        "expected": shift.expected if shift.expected is not None else figures.expected,
        "counted": shift.counted, "counted_total": shift.counted_total,
        "over_short": shift.over_short,
        "tenders": [{"tender": tender, **values}
                    for tender, values in sorted(figures.tenders.items())],
        "tips": [{"server_id": t.server_id, "name": t.name, "cash": t.cash, "card": t.card,
                  "other": t.other, "total": t.total, "paid_out": t.paid_out,
                  "owed": t.owed} for t in figures.tips],
        "movements": [{"id": m.id, "kind": m.kind, "amount": m.amount, "reason": m.reason,
                       "staff_id": m.staff_id, "by_id": m.by_id,
                       "approved_by_id": m.approved_by_id, "created_at": m.created_at}
                      for m in figures.movements],
    }
