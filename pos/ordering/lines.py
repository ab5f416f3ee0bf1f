"""Turning what the waiter tapped (an item, its modifiers, seat, course, note) into an
order line, checked against the menu: forced groups answered, choices within limits,
nothing 86'd."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.core.errors import Conflict, InvalidInput
from pos.core.i18n import current_language
from pos.menu.models import MenuItem, Modifier
from pos.ordering.models import LineStatus, OrderLine
from pos.ordering.reference import ItemShape, ModifierShape, Reference


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
class Availability:
    """The live 86 state of the items and choices a batch of lines uses (only those
    that are out or counted: everything else is simply available)."""

    items: dict[int, tuple[bool, int | None]]
    modifiers: dict[int, tuple[bool, int | None]]

    def of_item(self, item_id: int) -> tuple[bool, int | None]:
        return self.items.get(item_id, (True, None))

    def of_modifier(self, modifier_id: int) -> tuple[bool, int | None]:
        return self.modifiers.get(modifier_id, (True, None))


def read_availability(session: Session, requests: list[LineRequest]) -> Availability:
    def limited(model: type[MenuItem] | type[Modifier], ids: set[int]):
        if not ids:
            return {}
        rows = session.execute(select(model.id, model.available, model.count_left).where(
            model.id.in_(ids), or_(model.available.is_(False), model.count_left.is_not(None))))
        return {thing_id: (available, left) for thing_id, available, left in rows}

    return Availability(limited(MenuItem, {r.item_id for r in requests}),
                        limited(Modifier, {m for r in requests for m in r.modifier_ids}))


def build_line(ref: Reference, live: Availability, request: LineRequest, *, check_id: int,
               actor: Actor, field_prefix: str) -> OrderLine:
    item = ref.items.get(request.item_id)
    if item is None or not item.active:
        raise InvalidInput(_("There is no such item on the menu."),
                           field=f"{field_prefix}.item_id")
    refuse_if_86(item, live.of_item(item.id), request.quantity, f"{field_prefix}.item_id")
    chosen = choose_modifiers(ref, live, item, request, f"{field_prefix}.modifier_ids")
    line = OrderLine(
        check_id=check_id,
        client_id=request.client_id,
        item_id=item.id,
        names=item.names,
        quantity=request.quantity,
        seat=request.seat,
        course_id=request.course_id or item.course_id,
        note=request.note or None,
        allergens=sorted(set(item.allergens).union(*(m.allergens for m in chosen))),
        unit_price=item.price,
        modifiers_price=sum(m.price_delta for m in chosen),
        tax_rate_bp=item.tax_rate_bp,
        added_by_id=actor.staff_id,
        added_by_device_id=actor.device_id if actor.is_device else None,
        status=LineStatus.NEW,
        held=False,
        comped=False,
        modifiers=[{"modifier_id": m.id, "group_id": m.group_id, "names": m.names,
                    "price_delta": m.price_delta} for m in chosen],
    )
    return line


def refuse_if_86(thing: ItemShape | ModifierShape, live: tuple[bool, int | None], quantity: int,
                 field: str) -> None:
    available, left = live
    name = thing.names.get(current_language()) or next(iter(thing.names.values()))
    if not available or left == 0:
        raise Conflict(_("%(name)s is 86'd (out).", name=name), field=field, code="86")
    if left is not None and left < quantity:
        raise Conflict(_("Only %(count)s × %(name)s left.", count=left, name=name),
                       field=field, code="86")


def choose_modifiers(ref: Reference, live: Availability, item: ItemShape, request: LineRequest,
                     field: str) -> list[ModifierShape]:
    chosen = []
    for modifier_id in request.modifier_ids:
        modifier = ref.modifiers.get(modifier_id)
        if modifier is None or not modifier.active or modifier.group_id not in item.group_ids:
            raise InvalidInput(_("That choice does not belong to this item."), field=field)
        refuse_if_86(modifier, live.of_modifier(modifier_id), request.quantity, field)
        chosen.append(modifier)
    if len(set(request.modifier_ids)) != len(request.modifier_ids):
        raise InvalidInput(_("A choice was picked twice."), field=field)
    per_group = Counter(m.group_id for m in chosen)
    language = current_language()
    for group_id in item.group_ids:
        group = ref.groups[group_id]
        name = group.names.get(language) or next(iter(group.names.values()))
        picked = per_group[group.id]
        if picked < group.min_choices:
            raise InvalidInput(_("Choose %(group)s.", group=name), field=field,
                               code="choice_required")
        if picked > group.max_choices:
            raise InvalidInput(_("At most %(count)s for %(group)s.", count=group.max_choices,
                                 group=name), field=field)
    return chosen
