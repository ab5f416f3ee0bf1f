"""Turning what the waiter tapped (an item, its modifiers, seat, course, note) into an
order line, checked against the menu: forced groups answered, choices within limits,
nothing 86'd."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, InvalidInput
from pos.core.i18n import current_language
from pos.menu.models import MenuItem, Modifier
from pos.menu.schedules import MenuTimes
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
    # The moment the lines are taken: the menu schedules running then price them.
    at: datetime = field(default_factory=utcnow)
    running: frozenset[int] | None = None

    def schedules_running(self, times: MenuTimes) -> frozenset[int]:
        if self.running is None:
            self.running = times.running(self.at)
        return self.running

    def of_item(self, item_id: int) -> tuple[bool, int | None]:
        return self.items.get(item_id, (True, None))

    def of_modifier(self, modifier_id: int) -> tuple[bool, int | None]:
        return self.modifiers.get(modifier_id, (True, None))


def limited_statement(model: type[MenuItem] | type[Modifier]):
    table = model.__table__  # a plain Core query: cheaper to run than an ORM one
    return select(table.c.id, table.c.available, table.c.count_left).where(
        table.c.id.in_(bindparam("ids", expanding=True)),
        or_(table.c.available.is_(False), table.c.count_left.is_not(None)))


LIMITED = {MenuItem: limited_statement(MenuItem), Modifier: limited_statement(Modifier)}


def read_availability(session: Session, requests: list[LineRequest]) -> Availability:
    def limited(model: type[MenuItem] | type[Modifier], ids: set[int]):
        if not ids:
            return {}
        rows = session.connection().execute(LIMITED[model], {"ids": sorted(ids)})
        return {thing_id: (available, left) for thing_id, available, left in rows}

    return Availability(limited(MenuItem, {r.item_id for r in requests}),
                        limited(Modifier, {m for r in requests for m in r.modifier_ids}))


@dataclass(slots=True)
class WrittenLine:
    """A line as a send wrote it (a row, not a tracked object: building hundreds of
    attribute events for a line nobody changes again in this request costs more than
    writing it). Reads like an ``OrderLine`` for totals, answers and tickets."""

    id: int
    check_id: int
    client_id: str | None
    item_id: int
    names: dict[str, str]
    quantity: int
    seat: int | None
    course_id: int | None
    note: str | None
    allergens: list[str]
    unit_price: int
    modifiers_price: int
    tax_rate_bp: int
    added_by_id: int | None
    added_by_device_id: int | None
    status: LineStatus
    held: bool
    comped: bool
    modifiers: list[dict[str, Any]]
    send_id: int | None = None
    fired_at: datetime | None = None
    comp_reason: str | None = None
    discount_bp: int | None = None
    discount_amount: int | None = None
    void_reason: str | None = None

    @property
    def gross(self) -> int:
        return (self.unit_price + self.modifiers_price) * self.quantity


def build_line(ref: Reference, live: Availability, request: LineRequest, *, check_id: int,
               actor: Actor, field_prefix: str) -> OrderLine:
    return OrderLine(**line_values(ref, live, request, check_id=check_id, actor=actor,
                                   field_prefix=field_prefix))


def line_values(ref: Reference, live: Availability, request: LineRequest, *, check_id: int,
                actor: Actor, field_prefix: str) -> dict[str, Any]:
    """The columns of a new line, checked against the menu (refused naming
    ``field_prefix``'s field)."""
    item = ref.items.get(request.item_id)
    if item is None or not item.active:
        raise InvalidInput(_("There is no such item on the menu."),
                           field=f"{field_prefix}.item_id")
    price = price_now(ref, live, item, f"{field_prefix}.item_id")
    refuse_if_86(item, live.of_item(item.id), request.quantity, f"{field_prefix}.item_id")
    chosen = choose_modifiers(ref, live, item, request, f"{field_prefix}.modifier_ids")
    return dict(
        check_id=check_id,
        client_id=request.client_id,
        item_id=item.id,
        names=item.names,
        quantity=request.quantity,
        seat=request.seat,
        course_id=request.course_id or item.course_id,
        note=request.note or None,
        allergens=sorted(set(item.allergens).union(*(m.allergens for m in chosen))),
        unit_price=price,
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


def price_now(ref: Reference, live: Availability, item: ItemShape, field: str) -> int:
    """The item's price at the moment the line is taken (a running schedule's, say happy
    hour's, or its own); an item limited to schedules none of which runs is refused."""
    times = ref.menu_times
    if not times.schedules:
        return item.price
    offered, override = times.offer(item.id, item.category_id, live.schedules_running(times))
    if not offered:
        raise Conflict(_("%(name)s is not offered at this hour.", name=name_of(item.names)),
                       field=field, code="not_offered")
    return item.price if override is None else override


def refuse_if_86(thing: ItemShape | ModifierShape, live: tuple[bool, int | None], quantity: int,
                 field: str) -> None:
    available, left = live
    if not available or left == 0:
        raise Conflict(_("%(name)s is 86'd (out).", name=name_of(thing.names)), field=field,
                       code="86")
    if left is not None and left < quantity:
        raise only_left(thing.names, left, field, thing_id=thing.id,
                        kind="modifier" if field.endswith("modifier_ids") else "item")


def name_of(names: dict[str, str]) -> str:
    return names.get(current_language()) or next(iter(names.values()))


class NotEnoughLeft(Conflict):
    """Fewer portions are left than the line asks for: the answer says how many are, and of
    what, so the tablet can offer to take those."""

    code = "86"

    def __init__(self, message: str, *, field: str, available: int, kind: str,
                 thing_id: int | None) -> None:
        super().__init__(message, field=field)
        self.available = available
        self.kind = kind
        self.thing_id = thing_id

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["available"] = self.available
        if self.thing_id is not None:
            body["error"][f"{self.kind}_id"] = self.thing_id
        return body


def only_left(names: dict[str, str], left: int, field: str, *, thing_id: int | None = None,
              kind: str = "item") -> NotEnoughLeft:
    """``kind``: "item" or "modifier" (the error carries ``item_id`` or ``modifier_id``)."""
    if left <= 0:
        message = _("%(name)s is 86'd (out).", name=name_of(names))
    else:
        message = ngettext("Only %(num)s left of %(name)s.", "Only %(num)s left of %(name)s.",
                           left, name=name_of(names))
    return NotEnoughLeft(message, field=field, available=max(0, left), kind=kind,
                         thing_id=thing_id)


@dataclass
class Portions:
    """How many of each item and choice a batch of lines takes, and where the first line
    asking for each stood (a refusal names it: ``lines.N.item_id``)."""

    items: Counter[int]
    modifiers: Counter[int]
    first: dict[tuple[str, int], int]

    @classmethod
    def of(cls, lines: Iterable[tuple[int, int, int, Iterable[int]]]) -> Portions:
        """``lines``: each line's place, item, quantity and choices."""
        portions = cls(Counter(), Counter(), {})
        for index, item_id, quantity, modifier_ids in lines:
            portions.items[item_id] += quantity
            portions.first.setdefault(("item_id", item_id), index)
            for modifier_id in modifier_ids:
                portions.modifiers[modifier_id] += quantity
                portions.first.setdefault(("modifier_ids", modifier_id), index)
        return portions

    def field(self, kind: str, thing_id: int) -> str:
        return f"lines.{self.first[kind, thing_id]}.{kind}"

    def counted(self, live: Availability) -> Portions:
        """Only the items and choices that have an 86 count."""
        return Portions(
            Counter({i: n for i, n in self.items.items() if live.of_item(i)[1] is not None}),
            Counter({m: n for m, n in self.modifiers.items()
                     if live.of_modifier(m)[1] is not None}), self.first)


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
