"""The menu as a tablet loads it (GET /api/v1/menu), fast for a menu of 20,000 items.

Its shape (names, prices, choice groups: what the back office changes) is cached per
process as ready JSON text, one piece per item, rebuilt when the venue's config version
moves (``pos.venue.reference``); the names are copied as the database holds their JSON,
never decoded. What changes during service (86 and counts, the last event id) is read
on every load and laid over it, so no tablet is ever served a stale "out"."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

from flask import Response, request
from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session, selectinload

from pos.core.events import latest_event_id
from pos.core.images import StoredImage, media_url
from pos.menu.models import Category, Course, ItemModifierGroup, MenuItem, ModifierGroup
from pos.menu.operations import group_view
from pos.menu.schedules import all_schedules
from pos.venue.reference import ReferenceCache, register_reference_models

register_reference_models(Category, Course, MenuItem, ModifierGroup, ItemModifierGroup,
                          live=("available", "count_left"))

AVAILABLE = '"available":true,"count_left":null}'


@dataclass(frozen=True)
class MenuShape:
    head: str  # '"courses":[…],"categories":[…],'
    items: list[tuple[int, str]]  # (item id, its JSON up to its live fields)


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def null(value: int | None) -> str:
    return "null" if value is None else str(value)


def build_menu_shape(session: Session) -> MenuShape:
    item = MenuItem.__table__.c
    category = Category.__table__.c
    groups_of: dict[int, list[str]] = {}
    for item_id, group_id in session.execute(select(
            ItemModifierGroup.item_id, ItemModifierGroup.group_id)
            .order_by(ItemModifierGroup.position, ItemModifierGroup.group_id)):
        groups_of.setdefault(item_id, []).append(str(group_id))
    images_of = item_images(session)
    rows = session.execute(
        select(item.id, item.category_id, item.number, cast(item.names, Text),
               cast(item.descriptions, Text), item.price, item.tax_rate_id, item.course_id,
               cast(item.allergens, Text))
        .join(Category.__table__, category.id == item.category_id)
        .where(item.active.is_(True), category.active.is_(True))
        .order_by(item.category_id, item.position, item.id)).all()
    # An f-string a row: str.format and json.dumps per item cost twice as much.
    items = [(item_id,
              f'{{"id":{item_id},"category_id":{category_id},"number":{number},'
              f'"names":{names},"descriptions":{descriptions or "{}"},"price":{price},'
              f'"tax_rate_id":{"null" if tax_rate_id is None else tax_rate_id},'
              f'"course_id":{"null" if course_id is None else course_id},'
              f'"allergens":{allergens or "[]"},"active":true,'
              f'"modifier_group_ids":[{",".join(groups_of.get(item_id, ()))}],'
              f'"image_url":{images_of.get(item_id, "null")},')
             for (item_id, category_id, number, names, descriptions, price, tax_rate_id,
                  course_id, allergens) in rows]
    courses = [{"id": c.id, "code": c.code, "names": c.names, "position": c.position,
                "fires_immediately": c.fires_immediately}
               for c in session.scalars(select(Course).order_by(Course.position))]
    categories = [{"id": c.id, "names": c.names, "position": c.position, "color": c.color,
                   "default_course_id": c.default_course_id, "tax_rate_id": c.tax_rate_id,
                   "active": c.active}
                  for c in session.scalars(select(Category).where(Category.active.is_(True))
                                           .order_by(Category.position, Category.id))]
    return MenuShape(f'"courses":{dumps(courses)},"categories":{dumps(categories)},'
                     f'"schedules":{dumps(all_schedules(session))},', items)


def item_images(session: Session) -> dict[int, str]:
    """Each pictured item's photo address, as JSON text."""
    image = StoredImage.__table__.c
    return {item_id: dumps(media_url(sha256, content_type))
            for item_id, sha256, content_type in session.execute(
                select(MenuItem.__table__.c.id, image.sha256, image.content_type)
                .join(StoredImage.__table__, image.id == MenuItem.__table__.c.image_id))}


_shape = ReferenceCache("tablet_menu", build_menu_shape)


def tablet_menu(session: Session) -> bytes:
    """The menu API's answer as JSON bytes (the shape of ``MenuOut``)."""
    last_event = latest_event_id(session)
    shape = _shape.get(session)
    item = MenuItem.__table__.c
    live = {item_id: f'"available":{"true" if available else "false"},'
                     f'"count_left":{null(count_left)}}}'
            for item_id, available, count_left in session.execute(
                select(item.id, item.available, item.count_left)
                .where(or_(item.available.is_(False), item.count_left.is_not(None))))}
    groups = session.scalars(select(ModifierGroup).options(
        selectinload(ModifierGroup.modifiers)).order_by(ModifierGroup.id))
    items = ",".join(text + live.get(item_id, AVAILABLE) for item_id, text in shape.items)
    return (f'{{"last_event":{last_event},{shape.head}"items":[{items}],'
            f'"modifier_groups":{dumps([group_view(g) for g in groups])}}}').encode()


COMPRESS_FROM = 128 * 1024  # a bistro's menu (30 KB) goes as it is; a big one is gzipped


def json_answer(body: bytes) -> Response:
    """Compressed for a screen that takes gzip when it is big: a 20,000-item menu is 5 MB
    of JSON, a third of a megabyte gzipped, over a restaurant's Wi-Fi."""
    answer = Response(body, mimetype="application/json")
    answer.vary.add("Accept-Encoding")
    if len(body) >= COMPRESS_FROM and "gzip" in request.accept_encodings:
        answer.set_data(gzip.compress(body, 6))
        answer.headers["Content-Encoding"] = "gzip"
    return answer
