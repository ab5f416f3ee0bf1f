"""What the purchasing and food-cost API takes and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pos.core.api import Amount, DayRange, Id, Out, Schema
from pos.inventory.schemas import ClientId, Number, Text, Unit
from pos.staff.schemas import Language

Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Short = Annotated[str, StringConstraints(max_length=120)]
Email = Annotated[str, StringConstraints(max_length=254,
                                         pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[str, StringConstraints(max_length=40)]
Notes = Annotated[str, StringConstraints(max_length=500)]


class SupplierItemIn(Schema):
    ingredient_id: Id
    pack_size: Number | None = Field(None, description="What one pack holds (5 for a 5 kg "
                                                       "sack); none: sold loose")
    pack_unit: Unit | None = Field(None, description="The pack's unit; none: the "
                                                     "ingredient's")
    pack_price: Amount | None = Field(None, description="Minor units per pack (loose: per "
                                                        "pack_unit)")


class NewSupplier(Schema):
    name: Name
    contact: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    notes: Notes | None = None
    active: bool = True
    items: list[SupplierItemIn] = Field(default_factory=list, max_length=1000)


class SupplierChange(Schema):
    """Only the fields sent change; ``items``, when sent, replaces the list."""

    name: Name | None = None
    contact: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    notes: Notes | None = None
    active: bool | None = None
    items: list[SupplierItemIn] | None = Field(None, max_length=1000)


class SupplierItemOut(Out):
    ingredient_id: int
    pack_size: float | None
    pack_unit: str
    pack_price: int | None


class SupplierOut(Out):
    id: int
    name: str
    contact: str | None
    email: str | None
    phone: str | None
    notes: str | None
    active: bool
    items: list[SupplierItemOut]


class SuggestionLine(Out):
    ingredient_id: int
    names: dict[str, str]
    unit: str
    on_hand: float = Field(description="Everywhere, in the ingredient's unit")
    on_order: float = Field(description="On open purchase orders, not yet received")
    par_level: float
    quantity: float = Field(description="To order (in ``order_unit``), in whole packs where "
                                        "the pack is known")
    order_unit: str = Field(description="The supplier's pack unit, else the ingredient's")
    thousandths: int
    packs: int | None
    pack_size: float | None
    pack_unit: str | None
    unit_cost: int = Field(description="Expected, minor units per ``order_unit``")
    total: int


class SuggestionGroup(Out):
    supplier_id: int | None = Field(description="None: no supplier sells it yet")
    supplier: str | None
    lines: list[SuggestionLine]
    total: int


class Suggestions(Out):
    groups: list[SuggestionGroup]


class OrdersFromSuggestions(Schema):
    location_id: Id | None = Field(None, description="Delivered to; none: the default")
    ingredient_ids: list[Id] | None = Field(None, max_length=2000,
                                            description="Only these; none: all suggested")


class OrderLineIn(Schema):
    ingredient_id: Id
    quantity: Number
    unit: Unit
    unit_cost: Amount = Field(0, description="Expected, minor units per ``unit``")


class NewOrder(Schema):
    client_id: ClientId | None = None
    supplier_id: Id
    location_id: Id = Field(description="Where it is delivered")
    note: Text | None = None
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)


class ReceiveLineIn(Schema):
    line_id: Id
    quantity: Number = Field(description="What came, in the line's unit")
    total_cost: Amount | None = Field(None, description="What it cost in all; none: the "
                                                        "expected unit cost × quantity")


class ReceiveOrder(Schema):
    client_id: ClientId | None = None
    note: Text | None = None
    lines: list[ReceiveLineIn] = Field(min_length=1, max_length=500)


class OrderLineOut(Out):
    id: int
    ingredient_id: int
    names: dict[str, str]
    unit: str
    quantity: float
    received: float
    due: float
    unit_cost: int
    total: int


class OrderOut(Out):
    id: int
    supplier_id: int
    supplier: str
    location_id: int
    status: Literal["draft", "sent", "partly_received", "received", "cancelled"]
    note: str | None
    created_at: datetime
    sent_at: datetime | None
    closed_at: datetime | None
    lines: list[OrderLineOut]
    total: int = Field(description="Expected, minor units")
    receipts: list[int] = Field(description="The stock receipts made against it")


class OrderList(Out):
    orders: list[OrderOut]


class OrderQuery(Schema):
    status: Literal["draft", "sent", "partly_received", "received", "cancelled"] | None = None
    limit: int = Field(200, ge=1, le=1000)


class PrintOrder(Schema):
    printer_id: Id
    language: Language | None = Field(None, description="Of the paper; none: the printer's")


class PrintedOut(Out):
    print_job_id: int


class PdfQuery(Schema):
    lang: Language | None = Field(None, description="ro or en; none: the reader's")


class FoodCostQuery(DayRange):
    location_id: Id | None = Field(None, description="One location; none: all")


class IngredientCost(Out):
    ingredient_id: int
    names: dict[str, str]
    unit: str
    opening: float
    receipts: float
    transfers: float
    closing: float
    theoretical: float
    waste: float
    counts: float
    actual: float
    variance: float
    opening_value: int
    receipts_value: int
    transfers_value: int
    closing_value: int
    theoretical_value: int
    waste_value: int
    counts_value: int
    actual_value: int
    variance_value: int
    theoretical_thousandths: int
    actual_thousandths: int
    variance_thousandths: int
    counts_thousandths: int


class ItemCost(Out):
    item_id: int | None = Field(description="None: variance of what no sale used")
    names: dict[str, str]
    quantity: int
    sales: int
    theoretical: int
    variance: int
    actual: int
    theoretical_percent_bp: int | None
    actual_percent_bp: int | None


class FoodCostOut(Out):
    first: date
    last: date
    start: datetime
    end: datetime
    location_id: int | None
    sales: int = Field(description="Net of tax, minor units")
    theoretical: int
    actual: int
    variance: int
    waste: int
    theoretical_percent_bp: int | None
    actual_percent_bp: int | None
    ingredients: list[IngredientCost]
    items: list[ItemCost]


class ValuedIngredient(Out):
    ingredient_id: int
    names: dict[str, str]
    unit: str
    quantity: float
    thousandths: int
    value: int


class ValuedLocation(Out):
    location_id: int
    names: dict[str, str]
    value: int
    ingredients: list[ValuedIngredient]


class ValuationOut(Out):
    value: int
    locations: list[ValuedLocation]
