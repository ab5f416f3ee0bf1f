"""Reference data that taking an order reads: the menu's shape, courses, tax rates, table
and staff names, cached per process (``pos.venue.reference``: valid while the venue's
``config_version`` stands). Live data (86 flags and counts, checks) is never cached.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.floor.models import DiningTable
from pos.menu.models import (
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    Modifier,
    ModifierGroup,
)
from pos.menu.schedules import MenuTimes, menu_times
from pos.staff.models import StaffMember
from pos.venue.models import TaxRate, Venue
from pos.venue.reference import ReferenceCache, config_version, register_reference_models

register_reference_models(Category, Course, MenuItem, Modifier, ModifierGroup,
                          ItemModifierGroup, DiningTable, StaffMember,
                          live=("available", "count_left", "needs_clearing"))


@dataclass(frozen=True)
class ItemShape:
    id: int
    category_id: int
    names: dict[str, str]
    price: int
    tax_rate_bp: int
    course_id: int | None
    allergens: list[str]
    active: bool
    group_ids: tuple[int, ...]


@dataclass(frozen=True)
class ModifierShape:
    id: int
    group_id: int
    names: dict[str, str]
    price_delta: int
    allergens: list[str]
    active: bool


@dataclass(frozen=True)
class GroupShape:
    id: int
    names: dict[str, str]
    min_choices: int
    max_choices: int


@dataclass
class Reference:
    version: int
    tax_mode: Any
    items: dict[int, ItemShape] = field(default_factory=dict)
    modifiers: dict[int, ModifierShape] = field(default_factory=dict)
    groups: dict[int, GroupShape] = field(default_factory=dict)
    courses: dict[int, Course] = field(default_factory=dict)
    immediate_courses: frozenset[int] = frozenset()
    table_names: dict[int, str] = field(default_factory=dict)
    staff_names: dict[int, str] = field(default_factory=dict)
    menu_times: MenuTimes = field(default_factory=MenuTimes)  # breakfast, happy hour …


def reference(session: Session) -> Reference:
    """The reference data as of this transaction (cached per database and process)."""
    return _cache.get(session)


def build_reference(session: Session) -> Reference:
    venue = session.get(Venue, 1)
    tax_rates = dict(session.execute(select(TaxRate.id, TaxRate.rate_bp)).all())
    categories = {c.id: c for c in session.scalars(select(Category))}
    groups_of: dict[int, list[int]] = defaultdict(list)
    for item_id, group_id in session.execute(select(
            ItemModifierGroup.item_id, ItemModifierGroup.group_id)
            .order_by(ItemModifierGroup.position)):
        groups_of[item_id].append(group_id)
    items = {}
    for item in session.scalars(select(MenuItem)):
        category = categories[item.category_id]
        items[item.id] = ItemShape(
            id=item.id, category_id=item.category_id, names=item.names, price=item.price,
            tax_rate_bp=tax_rates[item.tax_rate_id or category.tax_rate_id],
            course_id=item.course_id or category.default_course_id,
            allergens=list(item.allergens), active=item.active,
            group_ids=tuple(groups_of.get(item.id, ())))
    courses = {c.id: c for c in session.scalars(select(Course))}
    for course in courses.values():
        session.expunge(course)
    return Reference(
        version=config_version(session),
        tax_mode=venue.tax_mode,
        items=items,
        modifiers={m.id: ModifierShape(m.id, m.group_id, m.names, m.price_delta,
                                       list(m.allergens), m.active)
                   for m in session.scalars(select(Modifier))},
        groups={g.id: GroupShape(g.id, g.names, g.min_choices, g.max_choices)
                for g in session.scalars(select(ModifierGroup))},
        courses=courses,
        immediate_courses=frozenset(c.id for c in courses.values() if c.fires_immediately),
        table_names=dict(session.execute(select(DiningTable.id, DiningTable.name)).all()),
        staff_names=dict(session.execute(select(StaffMember.id, StaffMember.name)).all()),
        menu_times=menu_times(session, venue.timezone),
    )


_cache = ReferenceCache("ordering", build_reference)
