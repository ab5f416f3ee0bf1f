"""The menu: courses, categories, items, modifier groups and modifiers.

Names are kept per language (``{"ro": "Ciorbă", "en": "Sour soup"}``); ``label()``
picks the screen's language and falls back to the venue's.
"""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import Base
from pos.core.images import StoredImage

# The EU's 14 allergens (Regulation 1169/2011, Annex II), by the codes Masa stores.
ALLERGENS = ("gluten", "crustaceans", "eggs", "fish", "peanuts", "soy", "milk", "nuts",
             "celery", "mustard", "sesame", "sulphites", "lupin", "molluscs")


class Named:
    names: Mapped[dict[str, str]]

    def label(self, language: str, fallback: str = "ro") -> str:
        return self.names.get(language) or self.names.get(fallback) or next(
            iter(self.names.values()), "")


class Course(Named, Base):
    """When a line comes out: drinks, starters, mains, desserts (the venue may add more)."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    # Sent at once (drinks, starters); later courses wait, held, until the server fires them.
    fires_immediately: Mapped[bool] = mapped_column(default=False)


class Category(Named, Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    color: Mapped[str] = mapped_column(String(7), default="#6b7280")
    default_course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    tax_rate_id: Mapped[int] = mapped_column(ForeignKey("tax_rates.id"))
    # A deactivated category leaves the tablets with its items; its history stays.
    active: Mapped[bool] = mapped_column(default=True)

    items: Mapped[list[MenuItem]] = relationship(back_populates="category",
                                                 order_by="MenuItem.position")


class ItemModifierGroup(Base):
    __tablename__ = "item_modifier_groups"

    item_id: Mapped[int] = mapped_column(ForeignKey("menu_items.id", ondelete="CASCADE"),
                                         primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("modifier_groups.id", ondelete="CASCADE"),
                                          primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class MenuItem(Named, Base):
    __tablename__ = "menu_items"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("count_left >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    number: Mapped[int] = mapped_column(unique=True)  # the PLU a waiter may type
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    price: Mapped[int]  # minor units, tax included or not per the venue's tax mode
    tax_rate_id: Mapped[int | None] = mapped_column(ForeignKey("tax_rates.id"))  # else category's
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))  # else category's
    allergens: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # 86: unavailable, or only count_left portions left (None: no limit).
    available: Mapped[bool] = mapped_column(default=True)
    count_left: Mapped[int | None]
    # Its photo on the tablet's tile (pos.core.images); none: the tile shows its name only.
    image_id: Mapped[int | None] = mapped_column(ForeignKey("images.id"))

    category: Mapped[Category] = relationship(back_populates="items")
    image: Mapped[StoredImage | None] = relationship()
    modifier_groups: Mapped[list[ModifierGroup]] = relationship(
        secondary="item_modifier_groups", order_by="ItemModifierGroup.position", viewonly=True)


class ModifierGroup(Named, Base):
    """A question about a line: "Cooking degree?" (exactly one), "Extras?" (up to three)."""

    __tablename__ = "modifier_groups"
    __table_args__ = (
        CheckConstraint("min_choices >= 0", name="min_not_negative"),
        CheckConstraint("max_choices >= min_choices AND max_choices >= 1", name="max_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    min_choices: Mapped[int] = mapped_column(default=0)  # > 0: a forced (required) group
    max_choices: Mapped[int] = mapped_column(default=1)

    modifiers: Mapped[list[Modifier]] = relationship(back_populates="group",
                                                     order_by="Modifier.position")

    @property
    def required(self) -> bool:
        return self.min_choices > 0


class Modifier(Named, Base):
    __tablename__ = "modifiers"
    __table_args__ = (
        UniqueConstraint("group_id", "position", name="position_in_group"),
        CheckConstraint("count_left >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("modifier_groups.id", ondelete="CASCADE"),
                                          index=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    price_delta: Mapped[int] = mapped_column(default=0)  # minor units; "no onion" is 0
    allergens: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    available: Mapped[bool] = mapped_column(default=True)
    count_left: Mapped[int | None]

    group: Mapped[ModifierGroup] = relationship(back_populates="modifiers")


class MenuSchedule(Named, Base):
    """A service period (breakfast, lunch, happy hour): the days it runs and its local
    start and end in the venue's time zone (an end before the start runs past midnight).
    It may limit items and categories to itself and set its own price for items."""

    __tablename__ = "menu_schedules"
    __table_args__ = (
        CheckConstraint("starts_minute >= 0 AND starts_minute < 1440", name="starts_in_day"),
        CheckConstraint("ends_minute >= 0 AND ends_minute < 1440", name="ends_in_day"),
        CheckConstraint("starts_minute <> ends_minute", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    days: Mapped[list[str]] = mapped_column(JSON)  # "mon" … "sun": the days it starts on
    starts_minute: Mapped[int]  # minutes after local midnight
    ends_minute: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)


class ScheduleCategory(Base):
    """This category's items are offered only while one of their schedules runs."""

    __tablename__ = "menu_schedule_categories"

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("menu_schedules.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)


class ScheduleItem(Base):
    """This item is offered only while one of its schedules runs."""

    __tablename__ = "menu_schedule_items"

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("menu_schedules.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("menu_items.id", ondelete="CASCADE"), primary_key=True)


class SchedulePrice(Base):
    """The item's price while the schedule runs (a happy-hour beer)."""

    __tablename__ = "menu_schedule_prices"
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("menu_schedules.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("menu_items.id", ondelete="CASCADE"), primary_key=True)
    price: Mapped[int]  # minor units, as the item's own price
