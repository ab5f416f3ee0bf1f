"""Bills, payments, refunds, cash drawers and Z reports.

A check is paid through its bills. A check nobody split has one bill, made when it is
first needed. A bill holds portions of the check's lines (a whole line, or a fraction of
one: a bottle shared by three), or a fixed amount (a guest paying 50 lei of it). What
each open bill comes to is worked out from the check each time (``pos.payments.bills``);
a paid bill keeps the amounts it was paid at, so a later change never moves money that
has been taken.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import Base, BigId, text_enum, utcnow


class BillKind(StrEnum):
    WHOLE = "whole"  # the check, or what is left of it after the other bills
    SEAT = "seat"
    ITEMS = "items"  # lines (or fractions of lines) picked for it
    EVEN = "even"  # one of n equal parts
    AMOUNT = "amount"  # a fixed amount of the check


class BillStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"


class Bill(Base):
    __tablename__ = "bills"
    __table_args__ = (UniqueConstraint("check_id", "number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), index=True)
    number: Mapped[int]  # 1, 2, … on the check: "bill 2 of 3"
    kind: Mapped[BillKind] = mapped_column(text_enum(BillKind))
    seat: Mapped[int | None]
    fixed_amount: Mapped[int | None]  # an AMOUNT bill's amount
    status: Mapped[BillStatus] = mapped_column(text_enum(BillStatus), default=BillStatus.OPEN)
    # Frozen when paid: what it came to, and its tax per rate [{rate_bp, net, tax}].
    total: Mapped[int | None]
    tax: Mapped[list[dict[str, int]] | None] = mapped_column(JSON)
    lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # {line_id, fraction, amount}
    tip: Mapped[int] = mapped_column(default=0)
    printed_at: Mapped[datetime | None]  # its pre-bill was last printed
    paid_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    receipt_token: Mapped[str | None] = mapped_column(String(43), unique=True)

    portions: Mapped[list[BillPortion]] = relationship(
        back_populates="bill", cascade="all, delete-orphan", order_by="BillPortion.id")


class BillPortion(Base):
    """``numerator / denominator`` of one line on one bill (1/1: the whole line)."""

    __tablename__ = "bill_portions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    numerator: Mapped[int] = mapped_column(default=1)
    denominator: Mapped[int] = mapped_column(default=1)

    bill: Mapped[Bill] = relationship(back_populates="portions")


class Tender(StrEnum):
    CASH = "cash"
    CARD = "card"
    VOUCHER = "voucher"
    ROOM = "room"  # charged to a hotel guest's folio


class PaymentStatus(StrEnum):
    PENDING = "pending"  # a card payment waiting for the terminal
    APPROVED = "approved"
    DECLINED = "declined"
    UNKNOWN = "unknown"  # the terminal did not say; recovered before anything else
    HELD = "held"  # a bar tab's card hold (pre-authorisation): no money taken yet
    RELEASED = "released"  # a hold that ended: booked as the tab's payment, or let go


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_day", "business_day_id", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True)
    business_day_id: Mapped[int | None] = mapped_column(ForeignKey("business_days.id"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("cash_shifts.id"))
    tender: Mapped[Tender] = mapped_column(text_enum(Tender))
    status: Mapped[PaymentStatus] = mapped_column(text_enum(PaymentStatus))
    is_hold: Mapped[bool] = mapped_column(default=False)  # a card hold, not a payment
    amount: Mapped[int]  # what it pays of the bill, tip not included
    tip: Mapped[int] = mapped_column(default=0)
    tendered: Mapped[int | None]  # cash handed over
    change: Mapped[int] = mapped_column(default=0)
    refunded: Mapped[int] = mapped_column(default=0)  # of amount + tip
    # A card: what the terminal said; never the card number.
    card_brand: Mapped[str | None] = mapped_column(String(30))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    auth_code: Mapped[str | None] = mapped_column(String(12))
    terminal_ref: Mapped[str | None] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(String(60))  # voucher code, room number
    server_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # the tip's owner
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    taken_by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    declined_reason: Mapped[str | None] = mapped_column(String(200))  # as the PMS gave it


class TipShare(Base):
    """Whose a payment's tip is: the check's server's, or shared by the venue's rule
    among the servers who ordered on it."""

    __tablename__ = "tip_shares"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    amount: Mapped[int]


class Refund(Base):
    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    business_day_id: Mapped[int | None] = mapped_column(ForeignKey("business_days.id"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("cash_shifts.id"))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(120))
    # A card refund waits for the terminal (pending → done | declined | unknown).
    status: Mapped[str] = mapped_column(String(10), default="done")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TerminalAttempt(Base):
    """One exchange with a card terminal, written before a byte goes out."""

    __tablename__ = "terminal_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)  # the driver's attempt id
    terminal: Mapped[str] = mapped_column(String(60), index=True)
    reference: Mapped[str] = mapped_column(String(64), index=True)  # the payment's client id
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), index=True)
    operation: Mapped[str] = mapped_column(String(20))  # authorise, refund, reverse, …
    state: Mapped[str] = mapped_column(String(10))  # created, sent, approved, declined, …
    amount: Mapped[int] = mapped_column(default=0)
    tip: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3), default="RON")
    previous_trace: Mapped[int | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CashShift(Base):
    """A cashier's drawer from its opening float to its count."""

    __tablename__ = "cash_shifts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))  # kicks the drawer
    business_day_id: Mapped[int | None] = mapped_column(ForeignKey("business_days.id"))
    opening_float: Mapped[int]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    counted: Mapped[dict[str, int] | None] = mapped_column(JSON)  # denomination → pieces
    counted_total: Mapped[int | None]
    expected: Mapped[int | None]
    over_short: Mapped[int | None]
    # One open shift per cashier: True while open, NULL after (NULLs never clash).
    is_open: Mapped[bool | None] = mapped_column(default=True)

    __table_args__ = (UniqueConstraint("cashier_id", "is_open"),)


class CashMovementKind(StrEnum):
    PAID_IN = "paid_in"
    PAID_OUT = "paid_out"
    TIPS_OUT = "tips_out"  # cash tips handed to a server
    NO_SALE = "no_sale"  # the drawer opened with no money moving


class CashMovement(Base):
    __tablename__ = "cash_movements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("cash_shifts.id"), index=True)
    kind: Mapped[CashMovementKind] = mapped_column(text_enum(CashMovementKind))
    amount: Mapped[int] = mapped_column(default=0)  # positive: in the drawer's direction
    reason: Mapped[str] = mapped_column(String(120), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # tips paid to
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ZReport(Base):
    """The close of a business day: numbered in sequence, never changed once taken."""

    __tablename__ = "z_reports"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    number: Mapped[int] = mapped_column(unique=True)
    business_day_id: Mapped[int] = mapped_column(ForeignKey("business_days.id"), unique=True)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    totals: Mapped[dict[str, Any]] = mapped_column(JSON)
