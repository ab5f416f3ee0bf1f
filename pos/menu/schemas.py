from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from pos.core.api import Amount, Id, Out, Schema
from pos.menu.models import ALLERGENS

Label = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Names = Annotated[dict[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")], Label],
                  Field(min_length=1, max_length=8)]


class NewMenuItem(Schema):
    category_id: Id
    number: int = Field(ge=1, le=999_999, description="The PLU a waiter may type")
    names: Names = Field(description='Per language: {"ro": "Ciorbă", "en": "Sour soup"}')
    price: Amount
    tax_rate_id: Id | None = None
    course_id: Id | None = None
    allergens: list[str] = Field(default_factory=list, max_length=len(ALLERGENS))

    @field_validator("allergens")
    @classmethod
    def known_allergens(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(ALLERGENS))
        if unknown:
            raise ValueError(f"unknown allergens {unknown}; known: {', '.join(ALLERGENS)}")
        return sorted(set(value))


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


class MenuOut(Out):
    last_event: int
    courses: list[CourseOut]
    categories: list[CategoryOut]
    items: list[MenuItemFull]
    modifier_groups: list[ModifierGroupOut]
