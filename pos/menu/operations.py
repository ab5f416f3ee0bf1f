"""Changing the menu: the back office's editors, 86 and counts, and the menu as a tablet
loads it. Every change is audited with its before and after, and announced to the
tablets (a ``menu`` event on the floor room) with the things as the menu API shows them,
so an open tablet patches its menu without a reload."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.core.events import record_event
from pos.core.images import ITEM_IMAGE_SIDE, store_image
from pos.menu.models import (
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    Modifier,
    ModifierGroup,
)
from pos.menu.stations import route_to_stations, routes_of, station_codes
from pos.venue.models import TaxRate

# Beyond this many items in one change, tablets re-read the whole menu instead.
PATCH_LIMIT = 500

ITEM_FIELDS = ("id", "category_id", "number", "names", "descriptions", "price", "tax_rate_id",
               "course_id", "allergens", "active", "available", "count_left")
CATEGORY_FIELDS = ("id", "names", "position", "color", "default_course_id", "tax_rate_id",
                   "active")
MODIFIER_FIELDS = ("id", "names", "price_delta", "allergens", "available", "count_left")


# --- checks that refuse bad input before anything is written -----------------------------

def refuse_unknown(session: Session, model: type, key: int | None, field: str) -> None:
    if key is not None and session.get(model, key) is None:
        raise InvalidInput(_("There is no such %(field)s.", field=field), field=field)


def refuse_unknown_stations(session: Session, codes: Iterable[str], field: str = "stations"
                            ) -> None:
    unknown = sorted(set(codes) - set(station_codes(session)))
    if unknown:
        raise InvalidInput(_("There is no station %(codes)s.", codes=", ".join(unknown)),
                           field=field)


def refuse_unknown_groups(session: Session, group_ids: list[int],
                          field: str = "modifier_group_ids") -> None:
    if len(set(group_ids)) != len(group_ids):
        raise InvalidInput(_("A choice group is listed twice."), field=field)
    known = set(session.scalars(select(ModifierGroup.id).where(ModifierGroup.id.in_(group_ids))))
    if missing := [group_id for group_id in group_ids if group_id not in known]:
        raise InvalidInput(_("There is no choice group %(id)s.", id=missing[0]), field=field)


def refuse_taken_number(session: Session, number: int, item_id: int | None = None) -> None:
    other = session.scalar(select(MenuItem.id).where(MenuItem.number == number))
    if other is not None and other != item_id:
        raise Conflict(_("Another item already has number %(number)s.", number=number),
                       field="number")


def refuse_bad_choices(min_choices: int, max_choices: int) -> None:
    """A group asks for at least ``min`` and at most ``max`` choices: min ≤ max, max ≥ 1."""
    if max_choices < 1:
        raise InvalidInput(_("A choice group lets the waiter pick at least one choice."),
                           field="max_choices")
    if min_choices > max_choices:
        raise InvalidInput(_("At least %(min)s choices cannot be more than at most %(max)s.",
                             min=min_choices, max=max_choices), field="min_choices")


def refuse_unknown_tax_rate(session: Session, tax_rate_id: int | None) -> None:
    if tax_rate_id is not None:
        rate = session.get(TaxRate, tax_rate_id)
        if rate is None or not rate.active:
            raise InvalidInput(_("There is no such tax rate."), field="tax_rate_id")


# --- what tablets and the audit log see ------------------------------------------------------

def group_ids_of(session: Session, item_ids: list[int]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for item_id, group_id in session.execute(
            select(ItemModifierGroup.item_id, ItemModifierGroup.group_id)
            .where(ItemModifierGroup.item_id.in_(item_ids))
            .order_by(ItemModifierGroup.position, ItemModifierGroup.group_id)):
        groups.setdefault(item_id, []).append(group_id)
    return groups


def item_view(item: MenuItem, group_ids: list[int]) -> dict[str, Any]:
    """An item as the menu API shows it to a tablet."""
    return {**{name: getattr(item, name) for name in ITEM_FIELDS},
            "modifier_group_ids": group_ids,
            "image_url": item.image.url if item.image_id is not None and item.image else None}


def category_view(category: Category) -> dict[str, Any]:
    return {name: getattr(category, name) for name in CATEGORY_FIELDS}


def group_view(group: ModifierGroup) -> dict[str, Any]:
    """A choice group as tablets hold it: its active choices only."""
    return {"id": group.id, "names": group.names, "min_choices": group.min_choices,
            "max_choices": group.max_choices,
            "modifiers": [{name: getattr(m, name) for name in MODIFIER_FIELDS}
                          for m in group.modifiers if m.active]}


def announce_menu_change(session: Session, *, items: Iterable[MenuItem] = (),
                         categories: Iterable[Category] = (),
                         groups: Iterable[ModifierGroup] = (), reload: bool = False) -> None:
    """Every tablet patches its menu with these (an inactive one leaves it); a change
    too big to carry (an import) asks them to re-read the menu."""
    items = list(items)
    if reload or len(items) > PATCH_LIMIT:
        record_event(session, "/floor", "floor", "menu", {"reload": True})
        return
    session.flush()
    groups_of = group_ids_of(session, [item.id for item in items])
    record_event(session, "/floor", "floor", "menu", {
        "categories": [category_view(category) for category in categories],
        "modifier_groups": [group_view(group) for group in groups],
        "items": [item_view(item, groups_of.get(item.id, [])) for item in items],
    })


def audit_change(session: Session, action: str, actor: Actor | None, subject: str,
                 before: dict[str, Any], after: dict[str, Any]) -> None:
    """Only what changed, before and after."""
    changed = sorted(key for key in after if before.get(key) != after[key])
    record_audit(session, action, actor=actor, subject=subject,
                 before={key: before.get(key) for key in changed},
                 after={key: after[key] for key in changed})


# --- categories --------------------------------------------------------------------------------

def category_record(session: Session, category: Category) -> dict[str, Any]:
    return {**category_view(category),
            "stations": routes_of(session, "category", [category.id]).get(category.id, [])}


def add_category(session: Session, actor: Actor | None, *, names: dict[str, str],
                 tax_rate_id: int, default_course_id: int | None = None,
                 color: str = "#6b7280", stations: list[str] = ()) -> Category:
    refuse_unknown_tax_rate(session, tax_rate_id)
    refuse_unknown(session, Course, default_course_id, "default_course_id")
    refuse_unknown_stations(session, stations)
    position = (session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(names=names, tax_rate_id=tax_rate_id, color=color.lower(),
                        default_course_id=default_course_id, position=position, active=True)
    session.add(category)
    session.flush()
    route_to_stations(session, "category", category.id, list(stations))
    record_audit(session, "menu.category_added", actor=actor, subject=f"category:{category.id}",
                 after=category_record(session, category))
    announce_menu_change(session, categories=[category])
    return category


def change_category(session: Session, actor: Actor | None, category: Category,
                    changes: dict[str, Any]) -> Category:
    """Rename, recolour, move to another tax rate or course, reroute, (de)activate."""
    if "tax_rate_id" in changes:
        if changes["tax_rate_id"] is None:
            raise InvalidInput(_("A category has a tax rate."), field="tax_rate_id")
        refuse_unknown_tax_rate(session, changes["tax_rate_id"])
    refuse_unknown(session, Course, changes.get("default_course_id"), "default_course_id")
    for field in ("names", "color", "active"):
        if field in changes and changes[field] is None:
            raise InvalidInput(_("'%(field)s' cannot be empty.", field=field), field=field)
    if changes.get("stations") is not None:
        refuse_unknown_stations(session, changes["stations"])
    before = category_record(session, category)
    reactivated = changes.get("active") is True and not category.active
    for field, value in changes.items():
        if field == "stations":
            if value is not None:
                route_to_stations(session, "category", category.id, value)
        else:
            setattr(category, field, value.lower() if field == "color" else value)
    session.flush()
    audit_change(session, "menu.category_changed", actor, f"category:{category.id}", before,
                 category_record(session, category))
    # Back on: the tablets, which dropped its items, are given them again.
    items = category.items if reactivated else []
    announce_menu_change(session, categories=[category],
                         items=[item for item in items if item.active])
    return category


def reorder_categories(session: Session, actor: Actor | None, ids: list[int]) -> list[Category]:
    categories = {c.id: c for c in session.scalars(select(Category))}
    if sorted(ids) != sorted(categories):
        raise InvalidInput(_("List every category once, in the new order."), field="ids")
    before = [c.id for c in sorted(categories.values(), key=lambda c: (c.position, c.id))]
    for position, category_id in enumerate(ids, 1):
        categories[category_id].position = position
    record_audit(session, "menu.categories_reordered", actor=actor, subject="categories",
                 before=before, after=ids)
    ordered = [categories[category_id] for category_id in ids]
    announce_menu_change(session, categories=ordered)
    return ordered


# --- items -------------------------------------------------------------------------------------

def item_record(session: Session, item: MenuItem) -> dict[str, Any]:
    """An item with its routes, as the editor and the audit log see it."""
    session.flush()
    return {**item_view(item, group_ids_of(session, [item.id]).get(item.id, [])),
            "position": item.position,
            "stations": routes_of(session, "item", [item.id]).get(item.id, [])}


def refuse_bad_item(session: Session, fields: dict[str, Any], item_id: int | None = None
                    ) -> None:
    if "category_id" in fields:
        category_id = fields["category_id"]
        if category_id is None or session.get(Category, category_id) is None:
            raise InvalidInput(_("There is no such category."), field="category_id")
    for field in ("number", "names", "price", "descriptions", "allergens", "active"):
        if field in fields and fields[field] is None:
            raise InvalidInput(_("'%(field)s' cannot be empty.", field=field), field=field)
    if "number" in fields:
        refuse_taken_number(session, fields["number"], item_id)
    refuse_unknown_tax_rate(session, fields.get("tax_rate_id"))
    refuse_unknown(session, Course, fields.get("course_id"), "course_id")
    if fields.get("stations") is not None:
        refuse_unknown_stations(session, fields["stations"])
    if fields.get("modifier_group_ids") is not None:
        refuse_unknown_groups(session, fields["modifier_group_ids"])


def attach_groups(session: Session, item_id: int, group_ids: list[int]) -> None:
    for link in session.scalars(select(ItemModifierGroup)
                                .where(ItemModifierGroup.item_id == item_id)):
        session.delete(link)
    session.flush()
    session.add_all([ItemModifierGroup(item_id=item_id, group_id=group_id, position=position)
                     for position, group_id in enumerate(group_ids, 1)])


def add_menu_item(session: Session, *, category_id: int, number: int, names: dict[str, str],
                  price: int, tax_rate_id: int | None = None, course_id: int | None = None,
                  allergens: list[str] | None = None, descriptions: dict[str, str] | None = None,
                  active: bool = True, stations: list[str] | None = None,
                  modifier_group_ids: list[int] | None = None,
                  actor: Actor | None = None) -> MenuItem:
    fields = {"category_id": category_id, "number": number, "tax_rate_id": tax_rate_id,
              "course_id": course_id, "stations": stations,
              "modifier_group_ids": modifier_group_ids}
    refuse_bad_item(session, fields)
    position = (session.scalar(select(func.max(MenuItem.position))
                               .where(MenuItem.category_id == category_id)) or 0) + 1
    item = MenuItem(category_id=category_id, number=number, names=names, price=price,
                    tax_rate_id=tax_rate_id, course_id=course_id, allergens=allergens or [],
                    descriptions=descriptions or {}, active=active, position=position,
                    available=True)
    session.add(item)
    session.flush()
    if modifier_group_ids:
        attach_groups(session, item.id, modifier_group_ids)
    if stations:
        route_to_stations(session, "item", item.id, stations)
    record_audit(session, "menu.item_added", actor=actor, subject=f"menu_item:{item.id}",
                 after=item_record(session, item))
    announce_menu_change(session, items=[item])
    return item


def change_menu_item(session: Session, actor: Actor | None, item: MenuItem,
                     changes: dict[str, Any]) -> MenuItem:
    """Any of its fields; a new category puts it last there."""
    refuse_bad_item(session, changes, item.id)
    before = item_record(session, item)
    for field, value in changes.items():
        if field == "stations":  # none: where its category goes
            route_to_stations(session, "item", item.id, value or [])
        elif field == "modifier_group_ids":
            attach_groups(session, item.id, value or [])
        elif field == "category_id" and value != item.category_id:
            item.position = (session.scalar(select(func.max(MenuItem.position))
                                            .where(MenuItem.category_id == value)) or 0) + 1
            item.category_id = value
        elif field != "category_id":
            setattr(item, field, value)
    audit_change(session, "menu.item_changed", actor, f"menu_item:{item.id}", before,
                 item_record(session, item))
    announce_menu_change(session, items=[item])
    return item


def set_item_image(session: Session, actor: Actor | None, item: MenuItem,
                   data: str | None) -> MenuItem:
    """Its photo on the tablets (base64 PNG, JPEG or WebP, drawn again at most 800 px), or
    none; audited with the picture's address before and after."""
    before = item_record(session, item)
    image = None if data is None else store_image(
        session, data, max_width=ITEM_IMAGE_SIDE, max_height=ITEM_IMAGE_SIDE)
    if (image.id if image else None) == item.image_id:
        return item  # the same picture again: nothing changes
    item.image_id = image.id if image else None
    item.image = image
    audit_change(session, "menu.item_changed", actor, f"menu_item:{item.id}", before,
                 item_record(session, item))
    announce_menu_change(session, items=[item])
    return item


def get_item(session: Session, item_id: int) -> MenuItem:
    item = session.get(MenuItem, item_id)
    if item is None:
        raise NotFound(_("There is no such item."), field="item_id")
    return item


def get_category(session: Session, category_id: int) -> Category:
    category = session.get(Category, category_id)
    if category is None:
        raise NotFound(_("There is no such category."), field="category_id")
    return category


def get_group(session: Session, group_id: int) -> ModifierGroup:
    group = session.get(ModifierGroup, group_id)
    if group is None:
        raise NotFound(_("There is no such choice group."), field="group_id")
    return group


# --- choice groups -------------------------------------------------------------------------

def group_record(group: ModifierGroup) -> dict[str, Any]:
    return {"id": group.id, "names": group.names, "min_choices": group.min_choices,
            "max_choices": group.max_choices,
            "modifiers": [{"id": m.id, "names": m.names, "price_delta": m.price_delta,
                           "allergens": m.allergens, "active": m.active}
                          for m in group.modifiers]}


def add_modifier_group(session: Session, actor: Actor | None, *, names: dict[str, str],
                       min_choices: int = 0, max_choices: int = 1,
                       modifiers: list[dict[str, Any]] = ()) -> ModifierGroup:
    refuse_bad_choices(min_choices, max_choices)
    if any(choice.get("id") is not None for choice in modifiers):
        raise InvalidInput(_("A new group's choices are new."), field="modifiers.0.id")
    group = ModifierGroup(names=names, min_choices=min_choices, max_choices=max_choices)
    group.modifiers = [Modifier(names=m["names"], price_delta=m.get("price_delta", 0),
                                allergens=m.get("allergens", []), active=m.get("active", True),
                                position=position, available=True)
                       for position, m in enumerate(modifiers, 1)]
    session.add(group)
    session.flush()
    record_audit(session, "menu.group_added", actor=actor, subject=f"modifier_group:{group.id}",
                 after=group_record(group))
    announce_menu_change(session, groups=[group])
    return group


def change_modifier_group(session: Session, actor: Actor | None, group: ModifierGroup,
                          changes: dict[str, Any]) -> ModifierGroup:
    """Names, min and max, and the whole list of choices in order: a choice left out is
    deactivated (lines already sent still name it), never deleted."""
    for field in ("names", "min_choices", "max_choices", "modifiers"):
        if field in changes and changes[field] is None:
            raise InvalidInput(_("'%(field)s' cannot be empty.", field=field), field=field)
    refuse_bad_choices(changes.get("min_choices", group.min_choices),
                       changes.get("max_choices", group.max_choices))
    own = {modifier.id: modifier for modifier in group.modifiers}
    wanted = changes.get("modifiers")
    if wanted is not None:
        seen: set[int] = set()
        for index, choice in enumerate(wanted):
            if choice.get("id") is not None and (choice["id"] not in own or choice["id"] in seen):
                raise InvalidInput(_("That choice is not one of this group's."),
                                   field=f"modifiers.{index}.id")
            seen.add(choice.get("id"))
    before = group_record(group)
    for field in ("names", "min_choices", "max_choices"):
        if field in changes:
            setattr(group, field, changes[field])
    if wanted is not None:
        replace_choices(session, group, own, wanted)
    session.flush()
    session.refresh(group, ["modifiers"])
    audit_change(session, "menu.group_changed", actor, f"modifier_group:{group.id}", before,
                 group_record(group))
    announce_menu_change(session, groups=[group])
    return group


def replace_choices(session: Session, group: ModifierGroup, own: dict[int, Modifier],
                    wanted: list[dict[str, Any]]) -> None:
    # Positions are unique in a group: park the old ones out of the way first.
    for modifier in own.values():
        modifier.position = -modifier.id
    session.flush()
    kept = set()
    for position, choice in enumerate(wanted, 1):
        modifier = own.get(choice.get("id")) if choice.get("id") is not None else None
        if modifier is None:
            modifier = Modifier(group_id=group.id, available=True)
            session.add(modifier)
        else:
            kept.add(modifier.id)
        modifier.names, modifier.price_delta = choice["names"], choice.get("price_delta", 0)
        modifier.allergens, modifier.active = choice.get("allergens", []), choice.get("active",
                                                                                      True)
        modifier.position = position
    for position, modifier in enumerate(
            sorted((m for m in own.values() if m.id not in kept), key=lambda m: m.id),
            len(wanted) + 1):
        modifier.active, modifier.position = False, position


# --- 86 and counts ---------------------------------------------------------------------------

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
