from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pos.core.api import Amount, Id, Out, Schema
from pos.ordering.schemas import ClientId
from pos.staff.schemas import Pin

Text = Annotated[str, StringConstraints(min_length=1, max_length=120)]


class InHouseQuery(Schema):
    room: Annotated[str, StringConstraints(min_length=1, max_length=12)] | None = None
    name: Annotated[str, StringConstraints(min_length=2, max_length=120)] | None = Field(
        None, description="A part of a guest's name (accents and case do not matter)")


class StayCardOut(Out):
    stay_id: int | None = Field(description="None for a guest of an external PMS")
    guest_number: str | None = Field(None, description="The external PMS's guest (G#)")
    room: str
    floor: str | None = None
    room_type: str | None = Field(None, description="single, double, suite…")
    status: str
    guests: list[str]
    departure: str
    no_post: bool
    credit_left: int | None = Field(description="What may still be charged; None: no limit")


class StaysQuery(Schema):
    view: Literal["arrivals", "in_house", "departures"] = "in_house"


class DeskStayOut(StayCardOut):
    arrival: str
    balance: int


class FolioEntryOut(Out):
    id: int
    kind: str
    status: str = Field(description="done; a card payment at the desk: pending, then done "
                        "or declined, or unknown until the terminal or a manager says")
    amount: int
    tip: int
    description: str
    outlet: str | None
    check_id: int | None
    payment_id: int | None
    signed_by: str | None
    signed: bool
    lines: list[dict]
    tax: list[dict]
    corrects_id: int | None
    posted_at: datetime


class FolioOut(StayCardOut):
    arrival: str
    balance: int
    awaiting: int = Field(description="Card payments still at the terminal")
    credit_limit: int | None
    entries: list[FolioEntryOut]


class NewFolioEntry(Schema):
    client_id: ClientId
    kind: Literal["charge", "correction"]
    amount: Amount
    description: Text
    corrects_id: Id | None = Field(None, description="correction: the charge it corrects")


class SettleFolio(Schema):
    client_id: ClientId
    amount: Amount
    how: Literal["cash", "card", "transfer"] = Field(
        description="transfer: to a company's account")
    reference: Text | None = Field(None, description="transfer: the company")


class ResolveFolioCard(Schema):
    charged: bool = Field(description="What the terminal's slip or end-of-day list shows")
    manager_pin: Pin | None = None
