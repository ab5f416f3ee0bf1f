"""Turning what the waiter tapped (an item, its modifiers, seat, course, note) into an
order line, checked against the menu: forced groups answered, choices within limits,
nothing 86'd."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos.core.auth import Actor
from pos.core.errors import Conflict, InvalidInput
from pos.core.i18n import current_language
from pos.menu.models import Category, ItemModifierGroup, MenuItem, Modifier, ModifierGroup
from pos.ordering.models import LineModifier, LineStatus, OrderLine
from pos.venue.models import TaxRate


@dataclass(frozen=True)
class LineRequest:
    item_id: int
    quantity: int = 1
    modifier_ids: tuple[int, ...] = ()
    seat: int | None = None
    course_id: int | None = None
    note: str | None = None
    client_id: str | None = None


@dataclass
class MenuView:
    """The part of the menu a batch of lines needs, read in a few queries."""

    items: dict[int, MenuItem]
    groups_of_item: dict[int, list[ModifierGroup]]
    modifiers: dict[int, Modifier]
    tax_rates: dict[int, int]
    categories: dict[int, Category] = field(default_factory=dict)


def read_menu_for(session: Session, requests: list[LineRequest]) -> MenuView:
    item_ids = {r.item_id for r in requests}
    items = {i.id: i for i in session.scalars(select(MenuItem).where(MenuItem.id.in_(item_ids))
                                              .options(selectinload(MenuItem.category)))}
    groups_of_item: dict[int, list[ModifierGroup]] = defaultdict(list)
    rows = session.execute(
        select(ItemModifierGroup.item_id, ModifierGroup)
        .join(ModifierGroup, ModifierGroup.id == ItemModifierGroup.group_id)
        .where(ItemModifierGroup.item_id.in_(item_ids))
        .order_by(ItemModifierGroup.position)).all()
    for item_id, group in rows:
        groups_of_item[item_id].append(group)
    modifier_ids = {m for r in requests for m in r.modifier_ids}
    modifiers = ({m.id: m for m in session.scalars(
        select(Modifier).where(Modifier.id.in_(modifier_ids)))} if modifier_ids else {})
    tax_rates = dict(session.execute(select(TaxRate.id, TaxRate.rate_bp)).all())
    return MenuView(items, groups_of_item, modifiers, tax_rates)


def build_line(menu: MenuView, request: LineRequest, *, check_id: int, actor: Actor,
               field_prefix: str) -> OrderLine:
    item = menu.items.get(request.item_id)
    if item is None or not item.active:
        raise InvalidInput(_("There is no such item on the menu."),
                           field=f"{field_prefix}.item_id")
    refuse_if_86(item, request.quantity, f"{field_prefix}.item_id")
    chosen = choose_modifiers(menu, item, request, f"{field_prefix}.modifier_ids")
    line = OrderLine(
        check_id=check_id,
        client_id=request.client_id,
        item_id=item.id,
        names=item.names,
        quantity=request.quantity,
        seat=request.seat,
        course_id=request.course_id or item.course_id or item.category.default_course_id,
        note=request.note or None,
        allergens=sorted(set(item.allergens).union(*(m.allergens for m in chosen))),
        unit_price=item.price,
        modifiers_price=sum(m.price_delta for m in chosen),
        tax_rate_bp=menu.tax_rates[item.tax_rate_id or item.category.tax_rate_id],
        added_by_id=actor.staff_id,
        status=LineStatus.NEW,
    )
    line.modifiers = [LineModifier(modifier_id=m.id, group_id=m.group_id, names=m.names,
                                   price_delta=m.price_delta) for m in chosen]
    return line


def refuse_if_86(thing: MenuItem | Modifier, quantity: int, field: str) -> None:
    name = thing.label(current_language())
    if not thing.available or thing.count_left == 0:
        raise Conflict(_("%(name)s is 86'd (out).", name=name), field=field, code="86")
    if thing.count_left is not None and thing.count_left < quantity:
        raise Conflict(_("Only %(count)s × %(name)s left.", count=thing.count_left, name=name),
                       field=field, code="86")


def choose_modifiers(menu: MenuView, item: MenuItem, request: LineRequest,
                     field: str) -> list[Modifier]:
    groups = {g.id: g for g in menu.groups_of_item.get(item.id, [])}
    chosen = []
    for modifier_id in request.modifier_ids:
        modifier = menu.modifiers.get(modifier_id)
        if modifier is None or not modifier.active or modifier.group_id not in groups:
            raise InvalidInput(_("That choice does not belong to this item."), field=field)
        refuse_if_86(modifier, request.quantity, field)
        chosen.append(modifier)
    if len(set(request.modifier_ids)) != len(request.modifier_ids):
        raise InvalidInput(_("A choice was picked twice."), field=field)
    per_group = Counter(m.group_id for m in chosen)
    language = current_language()
    for group in groups.values():
        picked = per_group[group.id]
        if picked < group.min_choices:
            raise InvalidInput(_("Choose %(group)s.", group=group.label(language)), field=field,
                               code="choice_required")
        if picked > group.max_choices:
            raise InvalidInput(_("At most %(count)s for %(group)s.", count=group.max_choices,
                                 group=group.label(language)), field=field)
    return chosen
