"""Food cost over a range of business days: what the recipes say was used (theoretical)
against what the stock says was used (actual), the variance by ingredient and by item,
food cost as a share of sales, and what the stock on hand is worth.

Everything is read from the ledger (``StockMovement``), in integer thousandths and minor
units; no figure is rounded except the percentages.

The period. The business days known by the dates ``first`` … ``last`` (venue time, as
the reports count them) run from the opening of the first of them to the opening of the
next business day after the range (or now, while there is none). So consecutive ranges
tile: a delivery taken in the morning before the day is opened belongs to the day before.
A range with no business day in it runs from midnight to midnight, venue time.

For each ingredient (at one location, or all of them):

- **opening** and **closing** stock are the ledger's balance at the period's start and end:
  the last count plus every movement since. After a count at the end of the period, the
  closing stock is what was counted.
- **theoretical usage** = what the sales depleted: −(sale + void return) movements; exactly
  the recipes × what was sent, with voids before preparation given back.
- **actual usage** = opening + receipts + transfers in − transfers out − closing; the
  same as theoretical + waste − count adjustments, which is how it is checked.
- **variance** = actual − theoretical = waste + what counts found missing (a count's
  adjustment is counted − books, so a shortfall adds to the variance).

By item: each item's theoretical cost is the value of its lines' sale movements; an
ingredient's variance is shared among the items that used it in proportion to that use
(largest remainder, so the items' variances add up to the ingredients'); variance of an
ingredient no item used in the period stays "not from a sale".

Sales are the net (tax taken out) of the lines sent in the period, before check-level
discounts; comped and voided lines sell nothing. Food cost % is cost ÷ sales, in basis
points.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos.core.db import utcnow
from pos.core.money import divide_rounded, split_by_weights, tax_of
from pos.inventory.models import Ingredient, MovementKind, StockLevel, StockLocation, StockMovement
from pos.inventory.units import in_unit
from pos.menu.models import MenuItem
from pos.ordering.models import LineStatus, OrderLine, Send
from pos.venue.models import BusinessDay
from pos.venue.operations import get_venue

SOLD = (MovementKind.SALE, MovementKind.VOID_RETURN)
TRANSFERS = (MovementKind.TRANSFER_IN, MovementKind.TRANSFER_OUT)
FIGURES = ("opening", "receipts", "transfers", "closing", "theoretical", "waste",
           "counts", "actual", "variance")


def venue_zone(session: Session) -> ZoneInfo:
    try:
        return ZoneInfo(get_venue(session).timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def period_of(session: Session, first: date, last: date) -> tuple[datetime, datetime]:
    zone = venue_zone(session)
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    opened = session.scalar(select(func.min(BusinessDay.opened_at)).where(
        BusinessDay.opened_at >= start, BusinessDay.opened_at < end))
    following = session.scalar(select(func.min(BusinessDay.opened_at)).where(
        BusinessDay.opened_at >= end))
    if opened is None:
        return start, end
    return opened, following if following is not None else max(utcnow(), end)


def sums(session: Session, location_id: int | None, *where: Any
         ) -> dict[tuple[int, Any], tuple[int, int]]:
    """(ingredient, kind) → (quantity, value) of the movements matching ``where``."""
    query = select(StockMovement.ingredient_id, StockMovement.kind,
                   func.sum(StockMovement.quantity), func.sum(StockMovement.value)).where(
        *where).group_by(StockMovement.ingredient_id, StockMovement.kind)
    if location_id is not None:
        query = query.where(StockMovement.location_id == location_id)
    return {(i, k): (int(q or 0), int(v or 0)) for i, k, q, v in session.execute(query)}


def ingredient_usage(session: Session, start: datetime, end: datetime,
                     location_id: int | None) -> dict[int, dict[str, list[int]]]:
    """Per ingredient, each figure as [thousandths, minor units]."""
    before = sums(session, location_id, StockMovement.at < start)
    during = sums(session, location_id, StockMovement.at >= start, StockMovement.at < end)
    usage: dict[int, dict[str, list[int]]] = defaultdict(
        lambda: {name: [0, 0] for name in FIGURES})
    for (ingredient_id, _kind), (q, v) in before.items():
        row = usage[ingredient_id]
        row["opening"][0] += q
        row["opening"][1] += v
    for (ingredient_id, kind), (q, v) in during.items():
        row = usage[ingredient_id]
        name = {MovementKind.RECEIPT: "receipts", MovementKind.WASTE: "waste",
                MovementKind.COUNT_ADJUSTMENT: "counts"}.get(kind)
        if kind in SOLD:
            name = "theoretical"
        elif kind in TRANSFERS:
            name = "transfers"
        sign = -1 if name in ("theoretical", "waste") else 1
        row[name][0] += sign * q
        row[name][1] += sign * v
    for row in usage.values():
        for index in (0, 1):
            row["closing"][index] = (row["opening"][index] + row["receipts"][index]
                                     + row["transfers"][index] - row["theoretical"][index]
                                     - row["waste"][index] + row["counts"][index])
            row["actual"][index] = (row["opening"][index] + row["receipts"][index]
                                    + row["transfers"][index] - row["closing"][index])
            row["variance"][index] = row["actual"][index] - row["theoretical"][index]
    return usage


def sold_lines(session: Session, start: datetime, end: datetime) -> list[Any]:
    return session.execute(select(
        OrderLine.id, OrderLine.item_id, OrderLine.names, OrderLine.quantity,
        OrderLine.unit_price, OrderLine.modifiers_price, OrderLine.tax_rate_bp,
        OrderLine.status, OrderLine.comped, OrderLine.discount_bp, OrderLine.discount_amount)
        .join(Send, Send.id == OrderLine.send_id)
        .where(Send.sent_at >= start, Send.sent_at < end)).all()


def line_net(line: Any, mode: Any) -> int:
    if line.status is LineStatus.VOID or line.comped:
        return 0
    gross = (line.unit_price + line.modifiers_price) * line.quantity
    if line.discount_amount:
        gross -= min(gross, line.discount_amount)
    elif line.discount_bp:
        gross -= divide_rounded(gross * line.discount_bp, 10_000)
    return gross - tax_of(gross, line.tax_rate_bp, mode) if mode.value == "inclusive" \
        else gross


def item_costs(session: Session, start: datetime, end: datetime, location_id: int | None
               ) -> dict[tuple[int, int], int]:
    """(item, ingredient) → the value its sales took (voids given back)."""
    query = select(OrderLine.item_id, StockMovement.ingredient_id,
                   func.sum(StockMovement.value)).join(
        OrderLine, OrderLine.id == StockMovement.line_id).where(
        StockMovement.kind.in_(SOLD), StockMovement.at >= start, StockMovement.at < end
    ).group_by(OrderLine.item_id, StockMovement.ingredient_id)
    if location_id is not None:
        query = query.where(StockMovement.location_id == location_id)
    return {(item, ingredient): -int(value or 0)
            for item, ingredient, value in session.execute(query)}


def percent_bp(cost: int, sales: int) -> int | None:
    return divide_rounded(cost * 10_000, sales) if sales > 0 else None


def food_cost(session: Session, first: date, last: date, *,
              location_id: int | None = None) -> dict[str, Any]:
    start, end = period_of(session, first, last)
    usage = ingredient_usage(session, start, end, location_id)
    ingredients = {i.id: i for i in session.scalars(select(Ingredient))}
    ingredient_rows = []
    for ingredient_id in sorted(usage, key=lambda i: (-usage[i]["variance"][1], i)):
        row, ingredient = usage[ingredient_id], ingredients[ingredient_id]
        if all(row[name] == [0, 0] for name in FIGURES if name not in ("opening", "closing")):
            continue  # it only sat on the shelf: the valuation shows it
        ingredient_rows.append({
            "ingredient_id": ingredient_id, "names": ingredient.names,
            "unit": ingredient.unit,
            **{name: in_unit(row[name][0], ingredient.unit) for name in FIGURES},
            **{f"{name}_thousandths": row[name][0] for name in FIGURES},
            **{f"{name}_value": row[name][1] for name in FIGURES}})
    items = item_rows(session, start, end, location_id, usage)
    sales = sum(item["sales"] for item in items)
    theoretical = sum(row["theoretical"][1] for row in usage.values())
    actual = sum(row["actual"][1] for row in usage.values())
    return {"first": first, "last": last, "start": start, "end": end,
            "location_id": location_id, "sales": sales, "theoretical": theoretical,
            "actual": actual, "variance": actual - theoretical,
            "waste": sum(row["waste"][1] for row in usage.values()),
            "theoretical_percent_bp": percent_bp(theoretical, sales),
            "actual_percent_bp": percent_bp(actual, sales),
            "ingredients": ingredient_rows, "items": items}


def item_rows(session: Session, start: datetime, end: datetime, location_id: int | None,
              usage: dict[int, dict[str, list[int]]]) -> list[dict[str, Any]]:
    mode = get_venue(session).tax_mode
    items: dict[int | None, dict[str, Any]] = {}

    def entry(item_id: int | None, names: dict[str, str]) -> dict[str, Any]:
        if item_id not in items:
            items[item_id] = {"item_id": item_id, "names": names, "quantity": 0, "sales": 0,
                              "theoretical": 0, "variance": 0}
        return items[item_id]

    for line in sold_lines(session, start, end):
        row = entry(line.item_id, line.names)
        if line.status is not LineStatus.VOID:
            row["quantity"] += line.quantity
        row["sales"] += line_net(line, mode)
    costs = item_costs(session, start, end, location_id)
    names = dict(session.execute(select(MenuItem.id, MenuItem.names).where(
        MenuItem.id.in_({item for item, _i in costs}))).all()) if costs else {}
    users: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (item_id, ingredient_id), value in sorted(costs.items()):
        entry(item_id, names.get(item_id, {}))["theoretical"] += value
        users[ingredient_id].append((item_id, max(value, 0)))
    for ingredient_id, row in usage.items():
        variance = row["variance"][1]
        if variance == 0:
            continue
        shared = users.get(ingredient_id, [])
        if not shared or sum(w for _i, w in shared) == 0:
            entry(None, {})["variance"] += variance
            continue
        for (item_id, _w), part in zip(shared, split_by_weights(
                variance, [w for _i, w in shared]), strict=True):
            items[item_id]["variance"] += part
    answer = []
    for row in items.values():
        row["actual"] = row["theoretical"] + row["variance"]
        row["theoretical_percent_bp"] = percent_bp(row["theoretical"], row["sales"])
        row["actual_percent_bp"] = percent_bp(row["actual"], row["sales"])
        answer.append(row)
    return sorted(answer, key=lambda r: (r["item_id"] is None, -r["variance"],
                                         r["item_id"] or 0))


def valuation(session: Session) -> dict[str, Any]:
    """What is on hand, per location and ingredient, at the ledger's balances."""
    locations = {loc.id: loc for loc in session.scalars(select(StockLocation))}
    rows: dict[int, dict[str, Any]] = {}
    for level, ingredient in session.execute(select(StockLevel, Ingredient).join(Ingredient)
                                             .order_by(StockLevel.location_id,
                                                       StockLevel.ingredient_id)):
        if level.quantity == 0 and level.value == 0:
            continue
        location = locations[level.location_id]
        place = rows.setdefault(location.id, {"location_id": location.id,
                                              "names": location.names, "value": 0,
                                              "ingredients": []})
        place["value"] += level.value
        place["ingredients"].append({
            "ingredient_id": ingredient.id, "names": ingredient.names,
            "unit": ingredient.unit, "quantity": in_unit(level.quantity, ingredient.unit),
            "thousandths": level.quantity, "value": level.value})
    places = [rows[k] for k in sorted(rows)]
    return {"value": sum(p["value"] for p in places), "locations": places}
