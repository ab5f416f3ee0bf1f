from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from pos.core.api import Amount, Id, Out, Schema
from pos.menu.models import ALLERGENS

Label = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Names = Annotated[dict[Language, Label], Field(min_length=1, max_length=8)]
Description = Annotated[str, StringConstraints(max_length=400)]
Descriptions = Annotated[dict[Language, Description], Field(max_length=8)]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
StationCode = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Stations = Annotated[list[StationCode], Field(max_length=20, description=(
    "The codes of the stations that make it; an item routed nowhere follows its category"))]
GroupIds = Annotated[list[Id], Field(max_length=20, description="Its choice groups, in order")]
PriceDelta = Annotated[int, Field(ge=-10**9, le=10**9, description="Minor units; may be "
                                                                   "negative (\"no side\")")]
Choices = Annotated[int, Field(ge=0, le=50)]


def known_allergens(value: list[str]) -> list[str]:
    unknown = sorted(set(value) - set(ALLERGENS))
    if unknown:
        raise ValueError(f"unknown allergens {unknown}; known: {', '.join(ALLERGENS)}")
    return sorted(set(value))


Allergens = Annotated[list[str], Field(max_length=len(ALLERGENS)),
                      AfterValidator(known_allergens)]


class NewCategory(Schema):
    names: Names = Field(description='Per language: {"ro": "Ciorbe", "en": "Soups"}')
    tax_rate_id: Id
    default_course_id: Id | None = None
    color: Color = "#6b7280"
    stations: Stations = Field(default_factory=list)


class CategoryChange(Schema):
    """Only the fields sent change: rename, recolour, move to another tax rate, deactivate."""

    names: Names | None = None
    tax_rate_id: Id | None = None
    default_course_id: Id | None = None
    color: Color | None = None
    stations: Stations | None = None
    active: bool | None = None


class CategoryOrder(Schema):
    ids: list[Id] = Field(min_length=1, max_length=1000,
                          description="Every category, in the order the tablets show them")


class NewMenuItem(Schema):
    category_id: Id
    number: int = Field(ge=1, le=999_999, description="The PLU a waiter may type")
    names: Names = Field(description='Per language: {"ro": "Ciorbă", "en": "Sour soup"}')
    descriptions: Descriptions = Field(default_factory=dict)
    price: Amount
    tax_rate_id: Id | None = None
    course_id: Id | None = None
    allergens: Allergens = Field(default_factory=list)
    active: bool = True
    stations: Stations = Field(default_factory=list)
    modifier_group_ids: GroupIds = Field(default_factory=list)


class MenuItemChange(Schema):
    """Only the fields sent change; ``tax_rate_id`` or ``course_id`` null: the category's."""

    category_id: Id | None = None
    number: int | None = Field(None, ge=1, le=999_999)
    names: Names | None = None
    descriptions: Descriptions | None = None
    price: Amount | None = None
    tax_rate_id: Id | None = None
    course_id: Id | None = None
    allergens: Allergens | None = None
    active: bool | None = None
    stations: Stations | None = None
    modifier_group_ids: GroupIds | None = None


class ModifierIn(Schema):
    id: Id | None = Field(None, description="An existing choice of this group; none: a new one")
    names: Names
    price_delta: PriceDelta = 0
    allergens: Allergens = Field(default_factory=list)
    active: bool = True


class NewModifierGroup(Schema):
    names: Names = Field(description='The question: {"ro": "Garnitură", "en": "Side"}')
    min_choices: Choices = Field(0, description="More than 0: the waiter must choose (required)")
    max_choices: Choices = 1
    modifiers: list[ModifierIn] = Field(default_factory=list, max_length=60)


class ModifierGroupChange(Schema):
    """Only the fields sent change; ``modifiers`` is the whole list in order (a choice left
    out is deactivated: lines already sent still name it)."""

    names: Names | None = None
    min_choices: Choices | None = None
    max_choices: Choices | None = None
    modifiers: list[ModifierIn] | None = Field(None, max_length=60)


class ItemQuery(Schema):
    q: str = Field("", max_length=80, description="Words of a name (any language) or a "
                                                  "number's first digits")
    category_id: Id | None = None
    offset: int = Field(0, ge=0, le=10**6)
    limit: int = Field(50, ge=1, le=200)


class MenuFileIn(Schema):
    format: Literal["json", "csv"]
    content: str = Field(min_length=1, max_length=20_000_000)


class MenuItemOut(Out):
    id: int
    category_id: int
    number: int
    names: dict[str, str]
    price: int
    tax_rate_id: int | None
    course_id: int | None
    allergens: list[str]
    active: bool


class Availability(Schema):
    available: bool
    count_left: int | None = Field(None, ge=0, le=9999, description="Portions left; null: "
                                                                    "no limit")


class AvailabilityOut(Out):
    kind: str
    id: int
    available: bool
    count_left: int | None


class CourseOut(Out):
    id: int
    code: str
    names: dict[str, str]
    position: int
    fires_immediately: bool


class CategoryOut(Out):
    id: int
    names: dict[str, str]
    position: int
    color: str
    default_course_id: int | None


class MenuItemFull(MenuItemOut):
    category_id: int
    descriptions: dict[str, str]
    available: bool
    count_left: int | None
    modifier_group_ids: list[int]
    image_url: str | None = Field(None, description="Its photo (/media/<sha256>.<ext>); none: "
                                  "the tile shows its name only")


class ModifierChoiceOut(Out):
    id: int
    names: dict[str, str]
    price_delta: int
    allergens: list[str]
    available: bool
    count_left: int | None


class ModifierGroupOut(Out):
    id: int
    names: dict[str, str]
    min_choices: int
    max_choices: int
    modifiers: list[ModifierChoiceOut]


# Menus by time of day and day of week (pos.menu.schedules).

ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Days = Annotated[list[str], Field(max_length=7, description=(
    'The days it starts on: "mon", "tue", "wed", "thu", "fri", "sat", "sun"'))]
ScheduleIds = Annotated[list[Id], Field(max_length=5000)]


class SchedulePriceIn(Schema):
    item_id: Id
    price: Amount


class ScheduleOut(Out):
    id: int
    names: dict[str, str]
    days: list[str]
    starts: str
    ends: str
    active: bool
    item_ids: list[int]
    category_ids: list[int]
    prices: list[dict[str, int]]


class NewSchedule(Schema):
    names: Names = Field(description='{"ro": "Mic dejun", "en": "Breakfast"}')
    days: Days
    starts: ClockTime = Field(description='Local time in the venue\'s zone: "07:00"')
    ends: ClockTime = Field(description='Before the start: it runs past midnight')
    active: bool = True
    item_ids: ScheduleIds = Field(default_factory=list, description=(
        "Items offered only while it (or another of theirs) runs"))
    category_ids: ScheduleIds = Field(default_factory=list, description=(
        "Categories whose items are offered only while it runs"))
    prices: list[SchedulePriceIn] = Field(default_factory=list, max_length=5000,
                                          description="Its price for items, while it runs")


class ScheduleChange(Schema):
    """Only the fields sent change; the lists are given whole."""

    names: Names | None = None
    days: Days | None = None
    starts: ClockTime | None = None
    ends: ClockTime | None = None
    active: bool | None = None
    item_ids: ScheduleIds | None = None
    category_ids: ScheduleIds | None = None
    prices: list[SchedulePriceIn] | None = Field(None, max_length=5000)


class ScheduleItemOut(Out):
    id: int
    number: int
    names: dict[str, str]
    price: int


class ScheduleList(Out):
    schedules: list[ScheduleOut]
    items: list[ScheduleItemOut] = Field(description="The items the schedules name")


class MenuOut(Out):
    last_event: int
    courses: list[CourseOut]
    categories: list[CategoryOut]
    items: list[MenuItemFull]
    modifier_groups: list[ModifierGroupOut]
    schedules: list[ScheduleOut] = Field(default_factory=list, description=(
        "Service periods: while one runs, the items limited to it are offered and its "
        "prices are charged (the item's own price otherwise)"))


# The back office's view: everything, inactive things included, with their routes.

class CategoryEdit(CategoryOut):
    tax_rate_id: int
    active: bool
    stations: list[str]
    item_count: int


class ItemEdit(MenuItemFull):
    position: int
    stations: list[str]


class ItemRow(Out):
    id: int
    category_id: int
    number: int
    names: dict[str, str]
    price: int
    active: bool
    available: bool
    count_left: int | None
    group_count: int


class ItemPage(Out):
    items: list[ItemRow]
    total: int
    offset: int
    limit: int


class ModifierEdit(ModifierChoiceOut):
    active: bool


class ModifierGroupEdit(Out):
    id: int
    names: dict[str, str]
    min_choices: int
    max_choices: int
    modifiers: list[ModifierEdit]
    item_count: int


class TaxRateChoice(Out):
    id: int
    name: str
    rate_bp: int


class StationChoice(Out):
    code: str
    names: dict[str, str]


class MenuSetup(Out):
    """What the editor offers: the categories, the choice groups and the venue's lists."""

    last_event: int = Field(description="Where the /floor socket picks up")
    categories: list[CategoryEdit]
    modifier_groups: list[ModifierGroupEdit]
    courses: list[CourseOut]
    tax_rates: list[TaxRateChoice]
    stations: list[StationChoice]


class ImportOut(Out):
    categories: int
    modifier_groups: int
    items: int
    schedules: int = 0
