"""Purchasing: suppliers and what they sell, suggestions from par levels, and purchase
orders (draft → sent → partly received → received, or cancelled).

Par levels are the ingredient's, not a location's, so suggestions are venue-wide: what is
on hand everywhere plus what is already on order, against par. An order is delivered to
one location; each delivery against it is an ordinary stock receipt (``receive_stock``),
so the moving-average cost follows exactly as for any delivery. Receiving more than was
ordered is refused (the line names the rest still due): an extra case is received as a
plain delivery, so an order's figures always say what it asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.devices.models import Printer, PrintJob
from pos.devices.print_queue import queue_print
from pos.inventory import operations as ops
from pos.inventory.models import Ingredient, StockLevel, StockLocation
from pos.inventory.purchasing_models import (
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    Supplier,
    SupplierItem,
)
from pos.inventory.units import UNITS, in_unit, refuse_unconvertible, round_half_up, to_thousandths
from pos.venue.operations import get_venue

OPEN = (OrderStatus.DRAFT, OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED)
SUPPLIER_FIELDS = ("name", "contact", "email", "phone", "notes", "active")

# --- suppliers -----------------------------------------------------------------------------


def get_supplier(session: Session, supplier_id: int, field: str = "supplier_id") -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(_("There is no such supplier."), field=field)
    return supplier


def supplier_view(supplier: Supplier) -> dict[str, Any]:
    return {**{name: getattr(supplier, name) for name in SUPPLIER_FIELDS}, "id": supplier.id,
            "items": [supplier_item_view(item) for item in supplier.items]}


def supplier_item_view(item: SupplierItem) -> dict[str, Any]:
    return {"ingredient_id": item.ingredient_id, "pack_unit": item.pack_unit,
            "pack_size": None if item.pack_size is None
            else in_unit(item.pack_size, item.pack_unit),
            "pack_price": item.pack_price}


def list_suppliers(session: Session) -> list[dict[str, Any]]:
    return [supplier_view(s) for s in session.scalars(select(Supplier).order_by(
        Supplier.name, Supplier.id))]


def supplier_items_of(session: Session, items: Sequence[Any]) -> list[SupplierItem]:
    rows, seen = [], set()
    for index, item in enumerate(items):
        field = f"items.{index}"
        ingredient = session.get(Ingredient, item.ingredient_id)
        if ingredient is None:
            raise InvalidInput(_("There is no such ingredient."),
                               field=f"{field}.ingredient_id", code="unknown_ingredient")
        if ingredient.id in seen:
            raise InvalidInput(_("This ingredient is listed twice."),
                               field=f"{field}.ingredient_id")
        seen.add(ingredient.id)
        unit = item.pack_unit or ingredient.unit
        refuse_unconvertible(unit, ingredient.unit, f"{field}.pack_unit")
        size = None
        if item.pack_size is not None:
            size = to_thousandths(item.pack_size, unit, f"{field}.pack_size")
            if size <= 0:
                raise InvalidInput(_("A pack holds more than nothing."),
                                   field=f"{field}.pack_size")
        rows.append(SupplierItem(ingredient_id=ingredient.id, pack_size=size, pack_unit=unit,
                                 pack_price=item.pack_price))
    return rows


def add_supplier(session: Session, actor: Actor | None, *, items: Sequence[Any] = (),
                 **fields: Any) -> Supplier:
    supplier = Supplier(**{k: v for k, v in fields.items() if k in SUPPLIER_FIELDS})
    supplier.items = supplier_items_of(session, items or ())
    session.add(supplier)
    session.flush()
    record_audit(session, "purchasing.supplier_added", actor=actor,
                 subject=f"supplier:{supplier.id}", after=supplier_view(supplier))
    return supplier


def change_supplier(session: Session, actor: Actor | None, supplier: Supplier,
                    changes: dict[str, Any], items: Sequence[Any] | None) -> Supplier:
    before = supplier_view(supplier)
    rows = supplier_items_of(session, items) if items is not None else None
    for name, value in changes.items():
        if name in SUPPLIER_FIELDS and (value is not None or name not in ("name", "active")):
            setattr(supplier, name, value)
    if rows is not None:
        supplier.items = []
        session.flush()  # the old rows go before the new (one row per ingredient)
        supplier.items = rows
    session.flush()
    after = supplier_view(supplier)
    changed = sorted(k for k in after if before.get(k) != after[k])
    record_audit(session, "purchasing.supplier_changed", actor=actor,
                 subject=f"supplier:{supplier.id}",
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return supplier


# --- suggestions ---------------------------------------------------------------------------


@dataclass
class Offer:
    supplier: Supplier
    item: SupplierItem

    def per_base(self) -> Fraction | None:
        """What a thousandth of the base unit costs from this supplier (to pick the
        cheapest)."""
        if self.item.pack_price is None:
            return None
        size = self.item.pack_size or UNITS[self.item.pack_unit][1]
        return Fraction(self.item.pack_price, size)


def on_order(session: Session) -> dict[int, int]:
    """What is ordered and not yet received, per ingredient, on orders still open."""
    rows = session.execute(select(PurchaseOrderLine.ingredient_id, func.sum(
        PurchaseOrderLine.quantity - PurchaseOrderLine.received)).join(PurchaseOrder).where(
        PurchaseOrder.status.in_(OPEN)).group_by(PurchaseOrderLine.ingredient_id)).all()
    return {i: int(q or 0) for i, q in rows}


def on_hand(session: Session) -> dict[int, int]:
    rows = session.execute(select(StockLevel.ingredient_id, func.sum(StockLevel.quantity))
                           .group_by(StockLevel.ingredient_id)).all()
    return {i: int(q or 0) for i, q in rows}


def best_offers(session: Session) -> dict[int, Offer]:
    """Each ingredient's supplier: the cheapest that gives a price, else the first."""
    offers: dict[int, Offer] = {}
    rows = session.execute(select(Supplier, SupplierItem).join(SupplierItem).where(
        Supplier.active.is_(True)).order_by(Supplier.id, SupplierItem.id)).all()
    for supplier, item in rows:
        offer, current = Offer(supplier, item), offers.get(item.ingredient_id)
        if current is None or (offer.per_base() is not None and (
                current.per_base() is None or offer.per_base() < current.per_base())):
            offers[item.ingredient_id] = offer
    return offers


def order_unit(ingredient: Ingredient, offer: Offer | None) -> str:
    """What the order counts in: the supplier's pack unit (kg for 1 kg packs of something
    kept in grams, so that a price per unit keeps its bani), else the ingredient's."""
    return offer.item.pack_unit if offer is not None else ingredient.unit


def expected_unit_cost(ingredient: Ingredient, offer: Offer | None, unit: str) -> int:
    """Minor units per one ``unit``: the supplier's pack price, else the ingredient's own
    cost."""
    if offer is None or offer.per_base() is None:
        return round_half_up(Fraction(ingredient.cost * UNITS[unit][1],
                                      UNITS[ingredient.unit][1]))
    return round_half_up(offer.per_base() * UNITS[unit][1])


def suggestions(session: Session) -> list[dict[str, Any]]:
    """What to order to bring each ingredient below par back up to it, grouped by
    supplier (none: no supplier sells it yet), in whole packs where the pack is known."""
    hand, ordered, offers = on_hand(session), on_order(session), best_offers(session)
    groups: dict[int | None, dict[str, Any]] = {}
    for ingredient in session.scalars(select(Ingredient).where(
            Ingredient.active.is_(True), Ingredient.par_level.is_not(None))
            .order_by(Ingredient.id)):
        have, coming = hand.get(ingredient.id, 0), ordered.get(ingredient.id, 0)
        need = ingredient.par_level - have - coming
        if have >= ingredient.par_level or need <= 0:
            continue
        offer = offers.get(ingredient.id)
        packs = None
        quantity = need
        if offer is not None and offer.item.pack_size:
            packs = -(-need // offer.item.pack_size)
            quantity = packs * offer.item.pack_size
        unit = order_unit(ingredient, offer)
        unit_cost = expected_unit_cost(ingredient, offer, unit)
        key = offer.supplier.id if offer else None
        group = groups.setdefault(key, {
            "supplier_id": key, "supplier": offer.supplier.name if offer else None,
            "lines": [], "total": 0})
        total = line_total(quantity, unit, unit_cost)
        group["lines"].append({
            "ingredient_id": ingredient.id, "names": ingredient.names,
            "unit": ingredient.unit, "on_hand": in_unit(have, ingredient.unit),
            "on_order": in_unit(coming, ingredient.unit),
            "par_level": in_unit(ingredient.par_level, ingredient.unit),
            "quantity": in_unit(quantity, unit), "order_unit": unit, "thousandths": quantity,
            "packs": packs, "pack_size": None if offer is None or not offer.item.pack_size
            else in_unit(offer.item.pack_size, offer.item.pack_unit),
            "pack_unit": offer.item.pack_unit if offer else None,
            "unit_cost": unit_cost, "total": total})
        group["total"] += total
    return sorted(groups.values(), key=lambda g: (g["supplier_id"] is None,
                                                   g["supplier"] or ""))


def line_total(thousandths: int, unit: str, unit_cost: int) -> int:
    return round_half_up(Fraction(thousandths * unit_cost, UNITS[unit][1]))


@dataclass
class LineIn:
    ingredient_id: int
    quantity: float
    unit: str
    unit_cost: int


def orders_from_suggestions(session: Session, actor: Actor | None, *,
                            location_id: int | None = None,
                            ingredient_ids: Sequence[int] | None = None) -> list[PurchaseOrder]:
    """A draft order per supplier from the suggestions (those with no supplier stay)."""
    location = ops.get_location(session, location_id) if location_id is not None else \
        default_location(session)
    wanted = set(ingredient_ids) if ingredient_ids else None
    orders = []
    for group in suggestions(session):
        if group["supplier_id"] is None:
            continue
        lines = [LineIn(line["ingredient_id"], line["quantity"], line["order_unit"],
                        line["unit_cost"]) for line in group["lines"]
                 if wanted is None or line["ingredient_id"] in wanted]
        if lines:
            orders.append(create_order(session, actor, supplier_id=group["supplier_id"],
                                       location_id=location.id, lines=lines))
    if not orders:
        raise Conflict(_("Nothing is below par with a supplier to order from."),
                       field="ingredient_ids", code="nothing_to_order")
    return orders


def default_location(session: Session) -> StockLocation:
    location = session.scalar(select(StockLocation).where(
        StockLocation.is_default.is_(True), StockLocation.active.is_(True)))
    if location is None:
        raise InvalidInput(_("There is no such stock location."), field="location_id")
    return location


# --- purchase orders -----------------------------------------------------------------------


def get_order(session: Session, order_id: int) -> PurchaseOrder:
    order = session.get(PurchaseOrder, order_id)
    if order is None:
        raise NotFound(_("There is no such purchase order."), field="order_id")
    return order


def order_view(session: Session, order: PurchaseOrder) -> dict[str, Any]:
    supplier = session.get(Supplier, order.supplier_id)
    ingredients = {i.id: i for i in session.scalars(select(Ingredient).where(
        Ingredient.id.in_([line.ingredient_id for line in order.lines])))}
    documents = list(session.scalars(select(PurchaseReceipt.document_id).where(
        PurchaseReceipt.order_id == order.id).order_by(PurchaseReceipt.document_id)))
    lines = []
    for line in order.lines:
        ingredient = ingredients[line.ingredient_id]
        lines.append({"id": line.id, "ingredient_id": line.ingredient_id,
                      "names": ingredient.names, "unit": line.unit,
                      "quantity": in_unit(line.quantity, line.unit),
                      "received": in_unit(line.received, line.unit),
                      "due": in_unit(line.quantity - line.received, line.unit),
                      "unit_cost": line.unit_cost,
                      "total": line_total(line.quantity, line.unit, line.unit_cost)})
    return {"id": order.id, "supplier_id": order.supplier_id,
            "supplier": supplier.name if supplier else "", "location_id": order.location_id,
            "status": order.status.value, "note": order.note, "created_at": order.created_at,
            "sent_at": order.sent_at, "closed_at": order.closed_at, "lines": lines,
            "total": sum(line["total"] for line in lines), "receipts": documents}


def list_orders(session: Session, *, status: str | None = None, limit: int = 200
                ) -> list[dict[str, Any]]:
    query = select(PurchaseOrder).order_by(PurchaseOrder.id.desc()).limit(limit)
    if status is not None:
        query = query.where(PurchaseOrder.status == OrderStatus(status))
    return [order_view(session, order) for order in session.scalars(query)]


def create_order(session: Session, actor: Actor | None, *, supplier_id: int,
                 location_id: int, lines: Sequence[Any], note: str | None = None,
                 client_id: str | None = None) -> PurchaseOrder:
    if client_id:
        earlier = session.scalar(select(PurchaseOrder).where(
            PurchaseOrder.client_id == client_id))
        if earlier is not None:
            return earlier
    supplier = get_supplier(session, supplier_id)
    if not supplier.active:
        raise InvalidInput(_("This supplier is no longer active."), field="supplier_id")
    ops.get_location(session, location_id)
    rows = []
    for index, (line, (ingredient, quantity)) in enumerate(
            zip(lines, ops.amounts(session, lines), strict=True)):
        if line.unit_cost < 0:
            raise InvalidInput(_("It cannot be negative."), field=f"lines.{index}.unit_cost")
        rows.append(PurchaseOrderLine(position=index, ingredient_id=ingredient.id,
                                      quantity=quantity, unit=line.unit,
                                      unit_cost=line.unit_cost))
    order = PurchaseOrder(supplier_id=supplier.id, location_id=location_id, note=note,
                          client_id=client_id, lines=rows,
                          by_staff_id=actor.staff_id if actor else None)
    session.add(order)
    session.flush()
    record_audit(session, "purchasing.order_created", actor=actor, subject=f"po:{order.id}",
                 after=order_record(order))
    return order


def order_record(order: PurchaseOrder) -> dict[str, Any]:
    return {"status": order.status.value, "supplier_id": order.supplier_id,
            "location_id": order.location_id,
            "lines": [{"ingredient_id": line.ingredient_id, "thousandths": line.quantity,
                       "unit": line.unit, "unit_cost": line.unit_cost,
                       "received": line.received} for line in order.lines]}


def refuse_closed(order: PurchaseOrder) -> None:
    if order.status is OrderStatus.CANCELLED:
        raise Conflict(_("This purchase order was cancelled."), field="status",
                       code="order_cancelled")
    if order.status is OrderStatus.RECEIVED:
        raise Conflict(_("This purchase order was received in full."), field="status",
                       code="order_received")


def send_order(session: Session, actor: Actor | None, order: PurchaseOrder) -> PurchaseOrder:
    """Sent: handed to the supplier (its PDF downloaded or attached). Sending again is
    harmless."""
    refuse_closed(order)
    if order.status is OrderStatus.DRAFT:
        order.status, order.sent_at = OrderStatus.SENT, utcnow()
        session.flush()
        record_audit(session, "purchasing.order_sent", actor=actor, subject=f"po:{order.id}",
                     before={"status": "draft"}, after={"status": "sent"})
    return order


def cancel_order(session: Session, actor: Actor | None, order: PurchaseOrder) -> PurchaseOrder:
    """What was received stays received; the rest is no longer expected."""
    refuse_closed(order)
    before = order.status.value
    order.status, order.closed_at = OrderStatus.CANCELLED, utcnow()
    session.flush()
    record_audit(session, "purchasing.order_cancelled", actor=actor, subject=f"po:{order.id}",
                 before={"status": before}, after={"status": "cancelled"})
    return order


@dataclass
class ReceivedLine:
    ingredient_id: int
    quantity: float
    unit: str
    total_cost: int


def receive_order(session: Session, actor: Actor | None, order: PurchaseOrder, *,
                  lines: Sequence[Any], note: str | None = None,
                  client_id: str | None = None) -> PurchaseOrder:
    """A delivery against the order, in full or in part: posted as a stock receipt at the
    order's location with each line's cost (given, else the expected unit cost × what
    came), so the moving average follows exactly. More than is still due is refused."""
    if ops.earlier_document(session, client_id) is not None:
        return order
    refuse_closed(order)
    if order.status is OrderStatus.DRAFT:
        raise Conflict(_("Send the purchase order before receiving against it."),
                       field="status", code="order_not_sent")
    by_id = {line.id: line for line in order.lines}
    received, seen = [], set()
    for index, given in enumerate(lines):
        field = f"lines.{index}"
        line = by_id.get(given.line_id)
        if line is None:
            raise InvalidInput(_("This line is not on the purchase order."),
                               field=f"{field}.line_id")
        if line.id in seen:
            raise InvalidInput(_("This line is received twice."), field=f"{field}.line_id")
        seen.add(line.id)
        quantity = to_thousandths(given.quantity, line.unit, f"{field}.quantity")
        if quantity <= 0:
            raise InvalidInput(_("The quantity must be more than zero."),
                               field=f"{field}.quantity", code="negative_quantity")
        due = line.quantity - line.received
        if quantity > due:
            raise Conflict(_("Only %(quantity)s %(unit)s is still due on this line.",
                             quantity=f"{in_unit(due, line.unit):g}", unit=line.unit),
                           field=f"{field}.quantity", code="more_than_ordered")
        cost = given.total_cost if given.total_cost is not None else line_total(
            quantity, line.unit, line.unit_cost)
        received.append((line, quantity, ReceivedLine(line.ingredient_id, given.quantity,
                                                       line.unit, cost)))
    supplier = session.get(Supplier, order.supplier_id)
    document = ops.receive_stock(session, actor, location_id=order.location_id,
                                 lines=[r for _l, _q, r in received],
                                 supplier=supplier.name if supplier else None,
                                 note=note, client_id=client_id)
    session.add(PurchaseReceipt(document_id=document.id, order_id=order.id))
    before = order_record(order)
    for line, quantity, _r in received:
        line.received += quantity
    done = all(line.received == line.quantity for line in order.lines)
    order.status = OrderStatus.RECEIVED if done else OrderStatus.PARTLY_RECEIVED
    if done:
        order.closed_at = utcnow()
    session.flush()
    record_audit(session, "purchasing.order_received", actor=actor, subject=f"po:{order.id}",
                 document_id=document.id, before=before, after=order_record(order))
    return order


# --- on paper ------------------------------------------------------------------------------


def print_order(session: Session, actor: Actor | None, order: PurchaseOrder, *,
                printer_id: int, language: str | None = None) -> PrintJob:
    """The order on the till's paper, through the print queue (the generic "document"
    kind), in the printer's language: for the one who phones it in or hands it over."""
    printer = session.get(Printer, printer_id)
    if printer is None or not printer.active:
        raise NotFound(_("There is no such printer."), field="printer_id")
    venue = get_venue(session)
    language = language or printer.language or venue.locale.split("_")[0]
    view = order_view(session, order)
    supplier = get_supplier(session, order.supplier_id)
    location = session.get(StockLocation, order.location_id)
    with force_locale(language):
        lines: list[dict[str, Any]] = [
            {"text": venue.name, "align": "center", "bold": True},
            {"text": _("Purchase order %(number)s", number=order.id), "align": "center",
             "size": "tall", "bold": True},
            {"rule": True},
            {"text": _("Supplier"), "right": supplier.name},
            *([{"text": supplier.phone, "align": "right"}] if supplier.phone else []),
            {"text": _("Deliver to"),
             "right": name_in(location.names, language) if location else ""},
            {"rule": True}]
        for line in view["lines"]:
            lines.append({"text": name_in(line["names"], language), "bold": True})
            lines.append({"text": f"  {line['quantity']:g} {line['unit']} × "
                                  f"{money_text(line['unit_cost'])}",
                          "right": money_text(line["total"])})
        lines += [{"rule": "="},
                  {"text": _("Expected total"),
                   "right": f"{money_text(view['total'])} {venue.currency}", "bold": True}]
        if order.note:
            lines += [{}, {"text": order.note}]
    job = queue_print(session, printer.id, "document", {"lines": lines, "cut": True},
                      subject=f"po:{order.id}")
    session.flush()
    return job


def name_in(names: dict[str, str], language: str) -> str:
    return names.get(language) or names.get("en") or next(iter(names.values()), "")


def money_text(minor: int) -> str:
    return f"{minor // 100},{minor % 100:02d}"
