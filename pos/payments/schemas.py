from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pos.core.api import Amount, Id, Out, Schema
from pos.ordering.models import CheckKind
from pos.ordering.schemas import CheckSummary, ClientId, Reason
from pos.payments.models import BillKind, PaymentStatus, Tender
from pos.staff.schemas import Pin

BillNumber = Annotated[int, Field(ge=1, le=999)]
MAX_SIGNATURE = 200_000  # characters of a data: URL; a signature PNG is a few kB


class SplitHow(StrEnum):
    SEAT = "seat"
    EVEN = "even"
    AMOUNT = "amount"


class SplitCheck(Schema):
    how: SplitHow
    parts: int | None = Field(None, ge=0, le=1000, description="even: how many parts (2–50)")
    amounts: list[Amount] | None = Field(None, max_length=50,
                                         description="amount: a bill of each, one for the rest")


class MoveLine(Schema):
    line_id: Id
    from_bill: BillNumber
    to_bill: BillNumber | None = Field(None, description="None: a new bill")


class ShareLine(Schema):
    line_id: Id
    bills: list[BillNumber] = Field(min_length=2, max_length=50)


class TakePayment(Schema):
    client_id: ClientId = Field(description="Made when Pay is tapped; a retry pays nothing twice")
    bill: BillNumber
    tender: Tender
    amount: Amount = Field(description="What it pays of the bill, tip not included")
    tip: Amount = 0
    tendered: Amount | None = Field(None, description="Cash handed over; change is given back")
    reference: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = Field(
        None, description="A voucher's code, a room number")
    guest_name: Annotated[str, StringConstraints(min_length=1, max_length=120)] | None = Field(
        None, description="room: the guest's name as the cashier confirmed it")
    stay_id: Id | None = Field(None, description="room: the stay chosen from the room's guests")
    signature: Annotated[str, StringConstraints(max_length=MAX_SIGNATURE)] | None = Field(
        None, description="room: the guest's signature, a PNG as a data: URL")
    manager_pin: Pin | None = Field(None, description="room: passes the stay's credit limit")


class HoldCard(Schema):
    client_id: ClientId = Field(description="Made when Hold is tapped; a retry holds once")
    amount: Amount = Field(description="What the terminal holds on the card for the tab")


class RefundPayment(Schema):
    client_id: ClientId
    amount: Amount
    reason: Reason
    manager_pin: Pin | None = None


class ResolveCardPayment(Schema):
    charged: bool = Field(description="What the terminal's slip or end-of-day list shows")
    manager_pin: Pin | None = None


class TaxOut(Out):
    rate_bp: int
    net: int
    tax: int


class BillLineOut(Out):
    line_id: int
    name: str
    quantity: int
    seat: int | None
    fraction: str  # "1", "1/3"
    amount: int


class PaymentOut(Out):
    id: int
    client_id: str
    bill: int | None
    tender: Tender
    status: PaymentStatus
    is_hold: bool  # a bar tab's card hold: no money until the tab's total is booked
    amount: int
    tip: int
    tendered: int | None
    change: int
    refunded: int
    card_brand: str | None
    card_last4: str | None
    auth_code: str | None
    reference: str | None
    declined_reason: str | None = Field(None, description="Why it was refused, in the "
                                        "refuser's words (a hotel's PMS)")
    created_at: datetime


class TipSuggestion(Out):
    percent_bp: int
    amount: int


class BillOut(Out):
    number: int
    kind: BillKind
    seat: int | None
    paid: bool
    total: int
    due: int
    tip: int
    printed: bool
    receipt_url: str | None
    tax: list[TaxOut]
    lines: list[BillLineOut]
    tips: list[TipSuggestion]


class TillQuery(Schema):
    status: Literal["open", "paid"] = Field("open", description="open: every open check; "
                                            "paid: the last ones paid, newest first")
    limit: int = Field(50, ge=1, le=200, description="paid: how many")


class TillRowOut(CheckSummary):
    status: str
    due: int
    printed: bool = Field(description="A bill printed and not yet paid")
    closed_at: datetime | None


class BillsOut(Out):
    check_id: int
    check_version: int
    check_status: str
    kind: CheckKind
    card_terminal: bool = Field(description="A card terminal is set up (cards, card holds)")
    table_id: int | None
    name: str | None
    total: int
    due: int
    currency: str
    bills: list[BillOut]
    payments: list[PaymentOut]
    cash_quick_notes: list[int]


class RefundOut(Out):
    id: int
    payment_id: int
    amount: int
    reason: str
    status: str  # done; a card refund: pending until the terminal answers
    approved_by_id: int | None
