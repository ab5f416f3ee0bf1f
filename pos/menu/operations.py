"""Changing the menu."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos.core.errors import Conflict, InvalidInput
from pos.core.events import latest_event_id, record_event
from pos.menu.models import (
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    Modifier,
    ModifierGroup,
)
from pos.venue.models import TaxRate


def add_menu_item(session: Session, *, category_id: int, number: int, names: dict[str, str],
                  price: int, tax_rate_id: int | None = None, course_id: int | None = None,
                  allergens: list[str] | None = None) -> MenuItem:
    for model, key, field in ((Category, category_id, "category_id"),
                              (TaxRate, tax_rate_id, "tax_rate_id"),
                              (Course, course_id, "course_id")):
        if key is not None and session.get(model, key) is None:
            raise InvalidInput(_("There is no such %(field)s.", field=field), field=field)
    if session.scalar(select(MenuItem.id).where(MenuItem.number == number)) is not None:
        raise Conflict(_("Another item already has number %(number)s.", number=number),
                       field="number")
    item = MenuItem(category_id=category_id, number=number, names=names, price=price,
                    tax_rate_id=tax_rate_id, course_id=course_id, allergens=allergens or [])
    session.add(item)
    session.flush()
    return item


def set_availability(session: Session, thing: MenuItem | Modifier, *, available: bool,
                     count_left: int | None) -> MenuItem | Modifier:
    """86 it (unavailable), bring it back, or say how many portions are left."""
    thing.available, thing.count_left = available, count_left
    announce_availability(session, type(thing), thing.id, available, count_left)
    return thing


def announce_availability(session: Session, model: type[MenuItem] | type[Modifier],
                          thing_id: int, available: bool, count_left: int | None) -> None:
    """Every tablet greys the item out, or shows "3 left"."""
    record_event(session, "/floor", "floor", "availability",
                 {"kind": "item" if model is MenuItem else "modifier", "id": thing_id,
                  "available": available, "count_left": count_left})


def read_menu(session: Session) -> dict:
    """The whole menu, as a tablet loads it once (60 items, a few hundred choices)."""
    last_event = latest_event_id(session)
    items = session.scalars(select(MenuItem).where(MenuItem.active.is_(True))
                            .order_by(MenuItem.category_id, MenuItem.position)).all()
    groups_of: dict[int, list[int]] = {}
    for item_id, group_id in session.execute(select(
            ItemModifierGroup.item_id, ItemModifierGroup.group_id)
            .order_by(ItemModifierGroup.position)):
        groups_of.setdefault(item_id, []).append(group_id)
    groups = session.scalars(select(ModifierGroup).options(
        selectinload(ModifierGroup.modifiers))).all()
    return {
        "last_event": last_event,
        "courses": session.scalars(select(Course).order_by(Course.position)).all(),
        "categories": session.scalars(select(Category).order_by(Category.position)).all(),
        "items": [{**{c: getattr(item, c) for c in (
            "id", "category_id", "number", "names", "descriptions", "price", "tax_rate_id",
            "course_id", "allergens", "active", "available", "count_left")},
            "modifier_group_ids": groups_of.get(item.id, [])} for item in items],
        "modifier_groups": [{"id": g.id, "names": g.names, "min_choices": g.min_choices,
                             "max_choices": g.max_choices,
                             "modifiers": [m for m in g.modifiers if m.active]}
                            for g in groups],
    }
