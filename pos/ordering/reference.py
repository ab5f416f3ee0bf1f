"""Reference data that every send reads: the menu's shape, courses, stations and their
routes, tax rates, table and staff names.

It changes rarely, so each process keeps it cached and checks one number per use: the
venue's ``config_version``, which any flush touching this data bumps (a listener below
does it, so no operation can forget). Live data (86 flags and counts, checks) is never
cached.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from kitchen.models import Station, StationRoute
from pos.floor.models import DiningTable
from pos.menu.models import (
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    Modifier,
    ModifierGroup,
)
from pos.staff.models import StaffMember
from pos.venue.models import TaxRate, Venue

REFERENCE_MODELS = (Category, Course, MenuItem, Modifier, ModifierGroup, ItemModifierGroup,
                    Station, StationRoute, TaxRate, DiningTable, StaffMember, Venue)
LIVE_ATTRIBUTES = {"available", "count_left", "needs_clearing", "config_version"}


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
    station_ids: tuple[int, ...]


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
    stations: dict[int, Station] = field(default_factory=dict)
    table_names: dict[int, str] = field(default_factory=dict)
    staff_names: dict[int, str] = field(default_factory=dict)


_cache: dict[str, Reference] = {}
_lock = threading.Lock()


def reference(session: Session) -> Reference:
    """The reference data as of this transaction (cached per database and process)."""
    if "masa_reference" in session.info:
        return session.info["masa_reference"]
    key = str(session.get_bind().url)
    version = session.scalar(select(Venue.config_version).where(Venue.id == 1))
    cached = _cache.get(key)
    if cached is None or cached.version != version:
        cached = build_reference(session, version)
        with _lock:
            _cache[key] = cached
    session.info["masa_reference"] = cached
    return cached


def build_reference(session: Session, version: int) -> Reference:
    venue = session.get(Venue, 1)
    tax_rates = dict(session.execute(select(TaxRate.id, TaxRate.rate_bp)).all())
    categories = {c.id: c for c in session.scalars(select(Category))}
    groups_of: dict[int, list[int]] = defaultdict(list)
    for item_id, group_id in session.execute(select(
            ItemModifierGroup.item_id, ItemModifierGroup.group_id)
            .order_by(ItemModifierGroup.position)):
        groups_of[item_id].append(group_id)
    stations = {s.id: s for s in session.scalars(select(Station).order_by(Station.position))}
    by_item: dict[int, list[int]] = defaultdict(list)
    by_category: dict[int, list[int]] = defaultdict(list)
    for route in session.scalars(select(StationRoute).order_by(StationRoute.id)):
        if stations[route.station_id].is_expo:
            continue  # expo sees every ticket; nothing is routed to it
        target = by_item[route.item_id] if route.item_id else by_category[route.category_id]
        target.append(route.station_id)
    items = {}
    for item in session.scalars(select(MenuItem)):
        category = categories[item.category_id]
        items[item.id] = ItemShape(
            id=item.id, category_id=item.category_id, names=item.names, price=item.price,
            tax_rate_bp=tax_rates[item.tax_rate_id or category.tax_rate_id],
            course_id=item.course_id or category.default_course_id,
            allergens=list(item.allergens), active=item.active,
            group_ids=tuple(groups_of.get(item.id, ())),
            station_ids=tuple(by_item.get(item.id) or by_category.get(item.category_id, ())))
    courses = {c.id: c for c in session.scalars(select(Course))}
    for thing in chain(stations.values(), courses.values()):
        session.expunge(thing)
    return Reference(
        version=version,
        tax_mode=venue.tax_mode,
        items=items,
        modifiers={m.id: ModifierShape(m.id, m.group_id, m.names, m.price_delta,
                                       list(m.allergens), m.active)
                   for m in session.scalars(select(Modifier))},
        groups={g.id: GroupShape(g.id, g.names, g.min_choices, g.max_choices)
                for g in session.scalars(select(ModifierGroup))},
        courses=courses,
        immediate_courses=frozenset(c.id for c in courses.values() if c.fires_immediately),
        stations=stations,
        table_names=dict(session.execute(select(DiningTable.id, DiningTable.name)).all()),
        staff_names=dict(session.execute(select(StaffMember.id, StaffMember.name)).all()),
    )


def touches_reference(thing: Any) -> bool:
    if not isinstance(thing, REFERENCE_MODELS):
        return False
    state = inspect(thing)
    if state.pending or state.deleted or not state.persistent:
        return True
    return any(attribute.history.has_changes() for attribute in state.attrs
               if attribute.key not in LIVE_ATTRIBUTES)


@event.listens_for(Session, "before_flush")
def bump_config_version(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get("masa_config_bumped"):
        return
    changed = chain(session.new, session.dirty, session.deleted)
    if any(touches_reference(thing) for thing in changed):
        session.info["masa_config_bumped"] = True
        session.info.pop("masa_reference", None)
        session.execute(update(Venue).values(config_version=Venue.config_version + 1))


@event.listens_for(Session, "after_transaction_end")
def forget_bump(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("masa_config_bumped", None)
        session.info.pop("masa_reference", None)
