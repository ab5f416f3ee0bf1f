"""The back office's reads: the editor's lists and a page of items found by a search.

A venue may hold 20,000 items; the list pages and searches them through a search index
cached per process (``pos.venue.reference``: rebuilt when the menu's shape changes),
and reads only the page's rows, with their live 86 state, from the database."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, NamedTuple

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session, selectinload

from pos.core.events import latest_event_id
from pos.menu.models import Category, Course, ItemModifierGroup, MenuItem, ModifierGroup
from pos.menu.operations import category_view, group_record, item_record
from pos.menu.stations import routes_of, station_codes
from pos.venue.models import TaxRate
from pos.venue.reference import ReferenceCache, register_reference_models

register_reference_models(Category, MenuItem, ModifierGroup, ItemModifierGroup,
                          live=("available", "count_left"))


COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower case without diacritics: "Ciorbă" is found by "ciorba"."""
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text.lower()))


class IndexedItem(NamedTuple):
    id: int
    category_id: int
    number: str
    words: str  # every name, folded


def build_item_index(session: Session) -> list[IndexedItem]:
    """Every item in the editor's order: by category, then as the tablet shows them. The
    names are read as the database holds their JSON and decoded in one go."""
    item = MenuItem.__table__.c
    category = Category.__table__.c
    rows = session.execute(select(item.id, item.category_id, item.number, cast(item.names, Text))
                           .join(Category.__table__, category.id == item.category_id)
                           .order_by(category.position, category.id, item.position, item.id)
                           ).all()
    names = json.loads("[" + ",".join(row[3] for row in rows) + "]")
    return [IndexedItem(item_id, category_id, str(number), fold(" ".join(these.values())))
            for (item_id, category_id, number, _raw), these in zip(rows, names, strict=True)]


_index = ReferenceCache("menu_office_items", build_item_index)


def find_items(session: Session, query: str, category_id: int | None) -> list[IndexedItem]:
    index = _index.get(session)
    if category_id is not None:
        index = [entry for entry in index if entry.category_id == category_id]
    words = fold(query).split()
    if not words:
        return index
    if len(words) == 1 and words[0].isdigit():
        return [entry for entry in index if entry.number.startswith(words[0])]
    return [entry for entry in index if all(word in entry.words for word in words)]


def item_page(session: Session, *, q: str = "", category_id: int | None = None,
              offset: int = 0, limit: int = 50) -> dict[str, Any]:
    found = find_items(session, q, category_id)
    ids = [entry.id for entry in found[offset:offset + limit]]
    rows = {row.id: row for row in session.execute(
        select(MenuItem.id, MenuItem.category_id, MenuItem.number, MenuItem.names,
               MenuItem.price, MenuItem.active, MenuItem.available, MenuItem.count_left)
        .where(MenuItem.id.in_(ids)))}
    groups = dict(session.execute(
        select(ItemModifierGroup.item_id, func.count()).where(ItemModifierGroup.item_id.in_(ids))
        .group_by(ItemModifierGroup.item_id)).all())
    return {"items": [{**rows[item_id]._asdict(), "group_count": groups.get(item_id, 0)}
                      for item_id in ids if item_id in rows],
            "total": len(found), "offset": offset, "limit": limit}


def item_for_editing(session: Session, item: MenuItem) -> dict[str, Any]:
    return item_record(session, item)


def menu_setup(session: Session) -> dict[str, Any]:
    """What the editor offers: categories (inactive too) with their routes and counts,
    every choice group with its choices, and the venue's courses, rates and stations."""
    counts = dict(session.execute(select(MenuItem.category_id, func.count())
                                  .group_by(MenuItem.category_id)).all())
    routes = routes_of(session, "category")
    uses = dict(session.execute(select(ItemModifierGroup.group_id, func.count())
                                .group_by(ItemModifierGroup.group_id)).all())
    categories = session.scalars(select(Category).order_by(Category.position, Category.id))
    groups = session.scalars(select(ModifierGroup).options(
        selectinload(ModifierGroup.modifiers)).order_by(ModifierGroup.id))
    return {
        "last_event": latest_event_id(session),
        "categories": [{**category_view(c), "stations": routes.get(c.id, []),
                        "item_count": counts.get(c.id, 0)} for c in categories],
        "modifier_groups": [{**group_record(g), "item_count": uses.get(g.id, 0),
                             "modifiers": [{**choice, "available": m.available,
                                            "count_left": m.count_left}
                                           for choice, m in zip(group_record(g)["modifiers"],
                                                                g.modifiers, strict=True)]}
                            for g in groups],
        "courses": session.scalars(select(Course).order_by(Course.position)).all(),
        "tax_rates": session.scalars(select(TaxRate).where(TaxRate.active.is_(True))
                                     .order_by(TaxRate.id)).all(),
        "stations": [{"code": code, "names": names}
                     for code, names in station_codes(session).items()],
    }
