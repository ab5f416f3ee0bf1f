"""Inventory: ingredients, where they are kept, what each dish is made of, and the stock
ledger.

Quantities are whole numbers of thousandths of an ingredient's base unit: milligrams for
what is weighed (g, kg), microlitres for what is poured (ml, l), thousandths of a piece
for what is counted. A recipe's "30 g" is 30,000 and a sauce's share of a portion
("150 ml of a 2 l batch made from 800 g of tomatoes": 60 g) stays exact to the gram, with
no float anywhere. Values are integer minor units, as all money in Masa.

The ledger (``StockMovement``) is the truth: on-hand at a location is the sum of its
movements. ``StockLevel`` keeps that sum (and the stock's value, for the moving-average
cost) per ingredient and location, written in the same transaction as each movement,
so a send reads one row per ingredient instead of summing history.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import kitchen.models  # noqa: F401  (a location may serve one kitchen station)
import pos.ordering.models  # noqa: F401  (a sale's movement names its check line)
from pos.core.db import Base, BigId, text_enum, utcnow
from pos.menu.models import Named

Quantity = BigInteger()


class StockLocation(Named, Base):
    """Where stock is kept: the kitchen, the bar, the cellar. Sales deplete the location of
    the station that makes the dish, else the venue's default one."""

    __tablename__ = "stock_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    is_default: Mapped[bool] = mapped_column(default=False)
    station_id: Mapped[int | None] = mapped_column(
        ForeignKey("stations.id", ondelete="SET NULL"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class Ingredient(Named, Base):
    __tablename__ = "ingredients"
    __table_args__ = (
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        CheckConstraint("par_level >= 0", name="par_not_negative"),
        CheckConstraint("reorder_point >= 0", name="reorder_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    unit: Mapped[str] = mapped_column(String(8))  # g, kg, ml, l, piece: as it is bought
    # Minor units per one ``unit`` (a kilo of beef: 9500): values stock that arrives with
    # no cost of its own (a count finding more than the books said, with none on hand).
    cost: Mapped[int] = mapped_column(Quantity, default=0)
    par_level: Mapped[int | None] = mapped_column(Quantity)  # thousandths of the base unit
    reorder_point: Mapped[int | None] = mapped_column(Quantity)
    active: Mapped[bool] = mapped_column(default=True)


class RecipeKind(StrEnum):
    ITEM = "item"  # what one portion of a menu item takes
    MODIFIER = "modifier"  # what a choice adds (extra cheese) or takes away (no onion)
    PREP = "prep"  # made in-house in batches (a sauce): a sub-recipe, with its yield


class Recipe(Base):
    __tablename__ = "recipes"
    __table_args__ = (
        CheckConstraint("(kind = 'item') = (item_id IS NOT NULL)", name="item_has_item"),
        CheckConstraint("(kind = 'modifier') = (modifier_id IS NOT NULL)",
                        name="modifier_has_modifier"),
        CheckConstraint("kind <> 'prep' OR yield_quantity > 0", name="prep_has_yield"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RecipeKind] = mapped_column(text_enum(RecipeKind))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("menu_items.id", ondelete="CASCADE"), unique=True)
    modifier_id: Mapped[int | None] = mapped_column(
        ForeignKey("modifiers.id", ondelete="CASCADE"), unique=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # a prep's name
    yield_quantity: Mapped[int | None] = mapped_column(Quantity)  # a prep's batch
    yield_unit: Mapped[str | None] = mapped_column(String(8))

    lines: Mapped[list[RecipeLine]] = relationship(order_by="RecipeLine.position",
                                                   cascade="all, delete-orphan",
                                                   foreign_keys="RecipeLine.recipe_id")


class RecipeLine(Base):
    """So much of an ingredient, or of a prep (a sub-recipe). Negative only in a
    modifier's recipe: "no onion" takes the item's onion away."""

    __tablename__ = "recipe_lines"
    __table_args__ = (
        CheckConstraint("(ingredient_id IS NULL) <> (sub_recipe_id IS NULL)",
                        name="ingredient_or_prep"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipes.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(default=0)
    ingredient_id: Mapped[int | None] = mapped_column(ForeignKey("ingredients.id"), index=True)
    sub_recipe_id: Mapped[int | None] = mapped_column(ForeignKey("recipes.id"), index=True)
    quantity: Mapped[int] = mapped_column(Quantity)  # thousandths of the base unit, signed
    unit: Mapped[str] = mapped_column(String(8))  # as the recipe was written (30 g, 0.2 l)


class StockLevel(Base):
    """What the ledger says is at a location, and what it is worth (for the average)."""

    __tablename__ = "stock_levels"
    __table_args__ = (CheckConstraint("value >= 0", name="value_not_negative"),)

    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredients.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"),
                                             primary_key=True)
    quantity: Mapped[int] = mapped_column(Quantity, default=0)
    value: Mapped[int] = mapped_column(Quantity, default=0)  # minor units


class MovementKind(StrEnum):
    SALE = "sale"
    VOID_RETURN = "void_return"
    WASTE = "waste"
    RECEIPT = "receipt"
    COUNT_ADJUSTMENT = "count_adjustment"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"


class DocumentKind(StrEnum):
    RECEIPT = "receipt"
    WASTE = "waste"
    COUNT = "count"
    TRANSFER = "transfer"


class StockDocument(Base):
    """One delivery received, one waste entry, one count of a location, one transfer: the
    movements it wrote refer to it."""

    __tablename__ = "stock_documents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[DocumentKind] = mapped_column(text_enum(DocumentKind))
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    to_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id"))
    supplier: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))


class StockMovement(Base):
    """One change to the stock of one ingredient at one location (the ledger's row)."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_ingredient_location", "ingredient_id",
                            "location_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[MovementKind] = mapped_column(text_enum(MovementKind))
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredients.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    quantity: Mapped[int] = mapped_column(Quantity)  # signed, thousandths of the base unit
    value: Mapped[int] = mapped_column(Quantity)  # signed minor units
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("stock_documents.id"),
                                                    index=True)
    reason: Mapped[str | None] = mapped_column(String(120))


class StockOut(Base):
    """An item or choice that inventory 86'd (its stock could not cover one more portion):
    receiving brings back only these, never one a manager 86'd by hand."""

    __tablename__ = "stock_outs"
    __table_args__ = (
        CheckConstraint("(item_id IS NULL) <> (modifier_id IS NULL)", name="item_or_modifier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("menu_items.id", ondelete="CASCADE"),
                                                unique=True)
    modifier_id: Mapped[int | None] = mapped_column(
        ForeignKey("modifiers.id", ondelete="CASCADE"), unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
