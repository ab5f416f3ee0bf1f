"""Requests and answers of the drawer and shift API (``pos.payments.drawer_views``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from pos.core.api import Amount, Id, Out, Schema
from pos.ordering.schemas import ClientId
from pos.payments.models import CashMovementKind
from pos.staff.schemas import Pin

Count = Annotated[dict[Annotated[str, StringConstraints(pattern=r"^\d{1,9}$")],
                       Annotated[int, Field(ge=0, le=100_000)]],
                  Field(max_length=40, description="Denomination in minor units → pieces: "
                                                   '{"10000": 3, "50": 4}')]
DrawerReason = Annotated[str, StringConstraints(max_length=120)]


class OpenShift(Schema):
    client_id: ClientId | None = Field(None, description="A retry opens nothing twice")
    opening_float: Amount
    printer_id: Id | None = Field(None, description="The printer the drawer is wired to")


class CloseShift(Schema):
    client_id: ClientId | None = None
    counted: Count


class MovementKind(StrEnum):
    PAID_IN = CashMovementKind.PAID_IN.value
    PAID_OUT = CashMovementKind.PAID_OUT.value
    TIPS_OUT = CashMovementKind.TIPS_OUT.value


class MoveCash(Schema):
    client_id: ClientId
    kind: MovementKind
    amount: Amount
    reason: DrawerReason = ""
    staff_id: Id | None = Field(None, description="tips_out: the server paid")


class NoSale(Schema):
    client_id: ClientId
    shift_id: Id | None = Field(None, description="Another cashier's drawer (managers)")
    reason: DrawerReason | None = None
    manager_pin: Pin | None = None


class ShiftQuery(Schema):
    shift_id: Id | None = None


class DenominationOut(Out):
    value: int
    kind: str


class DenominationsOut(Out):
    currency: str
    denominations: list[DenominationOut]


class MovementOut(Out):
    id: int
    kind: CashMovementKind
    amount: int
    reason: str
    staff_id: int | None
    by_id: int | None
    approved_by_id: int | None
    created_at: datetime


class TenderTakenOut(Out):
    tender: str
    count: int
    amount: int
    tips: int
    refunds: int


class ServerTipsOut(Out):
    server_id: int | None
    name: str
    cash: int
    card: int
    other: int
    total: int
    paid_out: int
    owed: int


class ShiftOut(Out):
    id: int
    cashier_id: int
    cashier: str
    printer_id: int | None
    business_day_id: int | None
    open: bool
    opened_at: datetime
    closed_at: datetime | None
    opening_float: int
    cash_taken: int
    cash_payments: int
    cash_tips: int
    paid_in: int
    paid_out: int
    tips_out: int
    cash_refunds: int
    no_sales: int
    expected: int
    counted: dict[str, int] | None
    counted_total: int | None
    over_short: int | None
    tenders: list[TenderTakenOut]
    tips: list[ServerTipsOut]
    movements: list[MovementOut]


class NoSaleOut(Out):
    movement: MovementOut
    shift_id: int
    print_job_id: int | None
    approved_by_id: int | None
