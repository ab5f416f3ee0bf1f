"""Reports beside the sales: the kitchen's ticket times, labour against sales by hour, and
menu engineering (each item's popularity and its margin after the food its sales took
from stock). Food cost itself (theoretical against actual, variance, valuation) is the
inventory package's screen, /office/food-cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from kitchen.models import Station, Ticket, TicketLine
from pos.core.db import utcnow
from pos.core.money import divide_rounded
from pos.floor.models import DiningTable
from pos.inventory.food_cost import item_costs as sold_item_costs
from pos.inventory.food_cost import period_of
from pos.ordering.models import Check, OrderLine
from pos.reports import sales
from pos.reports.summaries import days_between, venue_zone
from pos.staff.clock import shifts_between

# --- kitchen ------------------------------------------------------------------------------


def seconds_between(session: Session, start: Any, end: Any) -> Any:
    """Whole seconds from ``start`` to ``end``, in the database (SQLite keeps text)."""
    if session.get_bind().dialect.name == "sqlite":
        return cast((func.julianday(end) - func.julianday(start)) * 86400 + 0.5, Integer)
    return cast(func.round(func.extract("epoch", end - start)), Integer)


def service_span(session: Session, first: date, last: date
                 ) -> tuple[datetime, datetime | None] | None:
    """From the first day's opening to the last day's close (None while a day is open):
    the range's service."""
    days = days_between(session, first, last)
    if not days:
        return None
    if any(day.closed_at is None for day in days):
        return days[0].opened_at, None
    return days[0].opened_at, max(day.closed_at for day in days)


def spread(histogram: dict[int, int]) -> dict[str, int | None]:
    """Count, average and 90th percentile (nearest rank) of durations given as
    {seconds: how many}."""
    count = sum(histogram.values())
    if not count:
        return {"count": 0, "average": None, "p90": None}
    total = sum(seconds * n for seconds, n in histogram.items())
    rank, seen, p90 = -(-count * 9 // 10), 0, 0
    for seconds in sorted(histogram):
        seen += histogram[seconds]
        if seen >= rank:
            p90 = seconds
            break
    return {"count": count, "average": divide_rounded(total, count), "p90": p90}


def histograms(session: Session, key: Any, start: Any, end: Any, where: list[Any],
               joins: Callable[[Any], Any]) -> dict[Any, dict[int, int]]:
    seconds = seconds_between(session, start, end)
    statement = joins(select(key, seconds, func.count()).select_from(Ticket)).where(
        *where, start.is_not(None), end.is_not(None)).group_by(key, seconds)
    out: dict[Any, dict[int, int]] = defaultdict(dict)
    for group, duration, count in session.execute(statement):
        out[group][max(0, duration or 0)] = count
    return out


def kitchen_report(session: Session, first: date, last: date, *, language: str = "ro",
                   slowest: int = 10) -> dict[str, Any]:
    """Ticket times by station and by item: fired to bumped (the station's work) and bumped
    to picked up (waiting at the pass), average and 90th percentile in seconds; and the
    slowest tickets."""
    out: dict[str, Any] = {"report": "kitchen", "first": first.isoformat(),
                           "last": last.isoformat(), "stations": [], "items": [],
                           "slowest": []}
    span = service_span(session, first, last)
    if span is None:
        return out
    where = [Ticket.fired_at >= span[0]]
    if span[1] is not None:
        where.append(Ticket.fired_at <= span[1])

    def plain(statement: Any) -> Any:
        return statement

    def through_lines(statement: Any) -> Any:
        return statement.join(TicketLine, TicketLine.ticket_id == Ticket.id).join(
            OrderLine, OrderLine.id == TicketLine.line_id)

    stations = {s.id: s for s in session.scalars(select(Station))}
    made = histograms(session, Ticket.station_id, Ticket.fired_at, Ticket.bumped_at, where,
                      plain)
    waited = histograms(session, Ticket.station_id, Ticket.bumped_at, Ticket.served_at, where,
                        plain)
    for station_id in sorted(set(made) | set(waited),
                             key=lambda s: (stations[s].position, s) if s in stations else (0, s)):
        station = stations.get(station_id)
        out["stations"].append({"key": str(station_id),
                                "label": station.label(language) if station else f"#{station_id}",
                                "made": spread(made.get(station_id, {})),
                                "waited": spread(waited.get(station_id, {}))})
    made = histograms(session, OrderLine.item_id, Ticket.fired_at,
                      func.coalesce(TicketLine.done_at, Ticket.bumped_at), where, through_lines)
    waited = histograms(session, OrderLine.item_id, Ticket.bumped_at, Ticket.served_at, where,
                        through_lines)
    label = sales.labeller(session, "item", set(made) | set(waited), language)
    items = [{"key": str(item_id), "label": label(item_id), "made": spread(made.get(item_id, {})),
              "waited": spread(waited.get(item_id, {}))} for item_id in set(made) | set(waited)]
    out["items"] = sorted(items, key=lambda i: (-(i["made"]["p90"] or 0), i["label"]))
    seconds = seconds_between(session, Ticket.fired_at, Ticket.bumped_at)
    for row in session.execute(
            select(Ticket.id, Ticket.check_id, Ticket.station_id, Ticket.fired_at,
                   seconds.label("seconds"), DiningTable.name)
            .join(Check, Check.id == Ticket.check_id)
            .outerjoin(DiningTable, DiningTable.id == Check.table_id)
            .where(*where, Ticket.bumped_at.is_not(None))
            .order_by(seconds.desc(), Ticket.id).limit(slowest)):
        station = stations.get(row.station_id)
        out["slowest"].append({"ticket_id": row.id, "check_id": row.check_id,
                               "station": station.label(language) if station else "",
                               "table": row.name or "",
                               "fired_at": sales.local(row.fired_at, venue_zone(session)),
                               "seconds": row.seconds})
    return out


# --- labour against sales -----------------------------------------------------------------


def labour_report(session: Session, first: date, last: date, *, language: str = "ro"
                  ) -> dict[str, Any]:
    """Per hour of the day (venue time): sales, paid labour minutes (the time clock, less
    breaks) and sales per labour hour, over the range; and per person their paid minutes."""
    zone = venue_zone(session)
    by_hour = {int(row["key"]): row for row in sales.sales_report(
        session, first, last, "hour", language=language)["rows"]}
    seconds: dict[int, int] = defaultdict(int)
    people: dict[int, int] = defaultdict(int)
    now = utcnow()
    for times in shifts_between(session, first, last, now=now):
        shift = times.shift
        pieces = [(shift.clocked_in_at, shift.clocked_out_at or now)]
        for pause in times.breaks:
            pieces = cut(pieces, pause.started_at, pause.ended_at or now)
        for begin, end in pieces:
            for hour, part in hours_of(begin.astimezone(zone), end.astimezone(zone)):
                seconds[hour] += part
        people[shift.staff_id] += times.paid_seconds
    rows = []
    for hour in range(24):
        sold = by_hour.get(hour, {}).get("gross", 0)
        minutes = seconds.get(hour, 0) // 60
        if not sold and not minutes:
            continue
        rows.append({"key": str(hour), "label": f"{hour:02d}:00", "gross": sold,
                     "checks": by_hour.get(hour, {}).get("checks", 0),
                     "labour_minutes": minutes,
                     "sales_per_labour_hour": divide_rounded(sold * 60, minutes)
                     if minutes else None})
    names = sales.staff_names(session, set(people))
    staff = sorted(({"staff_id": staff_id, "name": names.get(staff_id, ""),
                     "paid_minutes": paid // 60} for staff_id, paid in people.items()),
                   key=lambda p: (p["name"].lower(), p["staff_id"]))
    total_minutes = sum(p["paid_minutes"] for p in staff)
    gross = sum(row["gross"] for row in rows)
    return {"report": "labour", "first": first.isoformat(), "last": last.isoformat(),
            "rows": rows, "staff": staff,
            "totals": {"gross": gross, "labour_minutes": total_minutes,
                       "sales_per_labour_hour": divide_rounded(gross * 60, total_minutes)
                       if total_minutes else None}}


def cut(pieces: list[tuple[datetime, datetime]], start: datetime, end: datetime
        ) -> list[tuple[datetime, datetime]]:
    """The pieces of time less [start, end)."""
    out = []
    for begin, finish in pieces:
        if end <= begin or start >= finish:
            out.append((begin, finish))
            continue
        if begin < start:
            out.append((begin, start))
        if end < finish:
            out.append((end, finish))
    return out


def hours_of(begin: datetime, end: datetime) -> list[tuple[int, int]]:
    """Seconds of [begin, end) in each hour of the day it touches."""
    out = []
    while begin < end:
        following = (begin.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
        stop = min(end, following)
        out.append((begin.hour, int((stop - begin).total_seconds())))
        begin = stop
    return out


# --- menu engineering ---------------------------------------------------------------------


def food_costs(session: Session, first: date, last: date) -> dict[int, int]:
    """What each item's sales took from stock over the days: its recipe's ingredients at
    their moving-average cost, voids given back (``pos.inventory.food_cost``). An item with
    no recipe takes nothing."""
    start, end = period_of(session, first, last)
    costs: dict[int, int] = defaultdict(int)
    for (item_id, _ingredient), value in sold_item_costs(session, start, end, None).items():
        costs[item_id] += value
    return costs


def menu_engineering(session: Session, first: date, last: date, *, language: str = "ro"
                     ) -> dict[str, Any]:
    """Each item's popularity (quantity sold) and contribution margin (what it sold for
    less its food cost), classed as the Kasavana-Smith matrix does: popular when its share
    of the quantity is at least 70 % of an equal share; profitable when its margin per
    portion is at least the menu's average. Star: both; plowhorse: popular only; puzzle:
    profitable only; dog: neither. An item with no recipe costs nothing; with no recipe at
    all the margin is the price and the report says so."""
    rows = sales.sales_report(session, first, last, "item", language=language)["rows"]
    sold = [row for row in rows if row["quantity"] > 0 and row["key"] != "none"]
    costs = food_costs(session, first, last)
    for row in sold:
        row["food_cost"] = costs.get(int(row["key"]), 0)
        row["margin"] = row["amount"] - row["food_cost"]
    count = len(sold)
    quantity = sum(row["quantity"] for row in sold)
    margin = sum(row["margin"] for row in sold)
    items = []
    for row in sold:
        popular = count and row["quantity"] * count * 100 >= 70 * quantity
        profitable = quantity and row["margin"] * quantity >= margin * row["quantity"]
        kind = ("star" if popular and profitable else "plowhorse" if popular
                else "puzzle" if profitable else "dog")
        items.append({"key": row["key"], "label": row["label"], "quantity": row["quantity"],
                      "amount": row["amount"], "food_cost": row["food_cost"],
                      "margin": row["margin"],
                      "margin_each": divide_rounded(row["margin"], row["quantity"]),
                      "mix_bp": divide_rounded(row["quantity"] * 10_000, quantity),
                      "class": kind})
    order = {"star": 0, "plowhorse": 1, "puzzle": 2, "dog": 3}
    items.sort(key=lambda i: (order[i["class"]], -i["margin"], i["label"]))
    return {"report": "menu", "first": first.isoformat(), "last": last.isoformat(),
            "cost_data": any(costs.values()), "items": items,
            "totals": {"items": count, "quantity": quantity, "margin": margin,
                       "average_margin": divide_rounded(margin, quantity) if quantity else 0}}

