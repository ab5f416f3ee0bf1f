"""What the inventory API takes and answers. Amounts are given in a unit ("quantity": 2.5,
"unit": "kg") and kept in thousandths of the base unit; answers give both: ``quantity``
in the ingredient's own unit, and ``thousandths`` exactly."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pos.core.api import Amount, Id, Out, Schema
from pos.inventory.units import UNIT_NAMES
from pos.menu.schemas import Names

Unit = Annotated[str, Field(description=f"One of {', '.join(UNIT_NAMES)}", max_length=8)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-10**9, le=10**9,
                                description="In the unit given (2.5 kg, 30 g)")]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40,
                                        pattern=r"^[a-z0-9_\-]+$")]
Text = Annotated[str, StringConstraints(max_length=300)]
Reason = Annotated[str, StringConstraints(max_length=120)]
Supplier = Annotated[str, StringConstraints(max_length=120)]
ClientId = Annotated[str, StringConstraints(min_length=8, max_length=64)]


class NewIngredient(Schema):
    names: Names = Field(description='Per language: {"ro": "Ceapă", "en": "Onion"}')
    unit: Unit = Field(description="What it is bought and counted in")
    cost: Amount = Field(0, description="Minor units per one unit (a kilo: 9500)")
    par_level: Number | None = Field(None, description="What should be in stock, in its unit")
    reorder_point: Number | None = Field(None, description="Below this, an alert; in its unit")
    active: bool = True


class IngredientChange(Schema):
    """Only the fields sent change; the unit only to one of the same measure (g → kg)."""

    names: Names | None = None
    unit: Unit | None = None
    cost: Amount | None = None
    par_level: Number | None = None
    reorder_point: Number | None = None
    active: bool | None = None


class IngredientOut(Out):
    id: int
    names: dict[str, str]
    unit: str
    cost: int
    par_level: float | None
    reorder_point: float | None
    active: bool


class NewLocation(Schema):
    code: Code
    names: Names
    is_default: bool = Field(False, description="Sales deplete here unless the station "
                                                "that makes the dish has a location")
    station_id: Id | None = Field(None, description="Sales of what this station makes "
                                                    "deplete here")
    active: bool = True


class LocationChange(Schema):
    names: Names | None = None
    is_default: bool | None = None
    station_id: Id | None = None
    active: bool | None = None


class LocationOut(Out):
    id: int
    code: str
    names: dict[str, str]
    is_default: bool
    station_id: int | None
    active: bool


class RecipeLineIn(Schema):
    ingredient_id: Id | None = None
    sub_recipe_id: Id | None = Field(None, description="A prep (a sub-recipe), not an "
                                                       "ingredient")
    quantity: Number = Field(description="Negative only for a choice that takes away "
                                         "(\"no onion\")")
    unit: Unit


RecipeLines = Annotated[list[RecipeLineIn], Field(max_length=100)]


class RecipeIn(Schema):
    lines: RecipeLines = Field(description="No lines: the recipe is removed")


class NewPrep(Schema):
    names: Names = Field(description='{"en": "House tomato sauce"}')
    yield_quantity: Number = Field(description="What one batch makes (2 l)")
    yield_unit: Unit
    lines: RecipeLines


class PrepChange(Schema):
    names: Names | None = None
    yield_quantity: Number | None = None
    yield_unit: Unit | None = None
    lines: RecipeLines | None = None


class RecipeLineOut(Out):
    ingredient_id: int | None
    sub_recipe_id: int | None
    quantity: float
    unit: str


class RecipeOut(Out):
    id: int
    kind: str
    item_id: int | None
    modifier_id: int | None
    names: dict[str, str]
    yield_quantity: float | None
    yield_unit: str | None
    lines: list[RecipeLineOut]
    cost: int = Field(description="What one portion (a prep: one batch) costs at the "
                                  "ingredients' costs, minor units")


class RecipeList(Out):
    recipes: list[RecipeOut]


class StockLineIn(Schema):
    ingredient_id: Id
    quantity: Number
    unit: Unit


class ReceivedLineIn(StockLineIn):
    total_cost: Amount = Field(description="What this line cost in all, minor units")


class ReceiptIn(Schema):
    client_id: ClientId | None = None
    location_id: Id
    supplier: Supplier | None = None
    note: Text | None = None
    lines: list[ReceivedLineIn] = Field(min_length=1, max_length=500)


class WasteIn(Schema):
    client_id: ClientId | None = None
    location_id: Id
    reason: Reason = Field(description="Spoiled, dropped, expired, staff meal …")
    note: Text | None = None
    lines: list[StockLineIn] = Field(min_length=1, max_length=500)


class CountIn(Schema):
    """What was counted at a location; ingredients not listed are not changed."""

    client_id: ClientId | None = None
    location_id: Id
    note: Text | None = None
    lines: list[StockLineIn] = Field(min_length=1, max_length=2000)


class TransferIn(Schema):
    client_id: ClientId | None = None
    location_id: Id = Field(description="From")
    to_location_id: Id
    note: Text | None = None
    lines: list[StockLineIn] = Field(min_length=1, max_length=500)


class MovementOut(Out):
    id: int
    kind: str
    ingredient_id: int
    location_id: int
    quantity: float = Field(description="Signed, in the ingredient's unit")
    thousandths: int = Field(description="Signed, exact: thousandths of g, ml or piece")
    value: int
    at: datetime
    by_staff_id: int | None
    line_id: int | None
    document_id: int | None
    reason: str | None


class DocumentOut(Out):
    id: int
    kind: Literal["receipt", "waste", "count", "transfer"]
    location_id: int
    to_location_id: int | None
    supplier: str | None
    reason: str | None
    note: str | None
    at: datetime
    movements: list[MovementOut]


class LevelOut(Out):
    ingredient_id: int
    location_id: int
    unit: str
    quantity: float
    thousandths: int
    value: int = Field(description="What it is worth at the moving average, minor units")
    below_reorder_point: bool


class LevelQuery(Schema):
    location_id: Id | None = None
    ingredient_id: Id | None = None


class MovementQuery(Schema):
    location_id: Id | None = None
    ingredient_id: Id | None = None
    kind: str | None = Field(None, max_length=20)
    before_id: Id | None = Field(None, description="Older than this movement (paging)")
    limit: int = Field(100, ge=1, le=1000)
