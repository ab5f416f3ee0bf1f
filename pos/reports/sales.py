"""Sales over a range of business days: by day, hour, weekday, server, table, floor, item,
category and tender; the range's totals; the checks behind any figure; the previous
period of the same length beside it; and the discounts, comps, voids and refunds with who
gave and who approved them.

Figures come from the days' summary rows (``pos.reports.summaries``, written with the Z)
and, for a day without them yet (the open day), from the same figures worked out live. So
a range's totals are the sum of its days' Zs, and a drill-down's checks add up to the cell.
Money is integer minor units (bani) throughout.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from pos.core.audit import AuditEntry
from pos.core.db import utcnow
from pos.core.money import divide_rounded
from pos.floor.models import DiningTable, Floor
from pos.menu.models import Category, MenuItem
from pos.ordering.models import Check
from pos.payments.drawers import staff_names
from pos.payments.models import Payment, PaymentStatus, Refund
from pos.reports.models import ReportCheck, ReportLine, ReportTender, ReportTip
from pos.reports.summaries import DayFacts, day_facts, days_between, unsummarized_days, venue_zone
from pos.venue.operations import get_venue

CHECK_MEASURES = ("covers", "gross", "net", "tax", "discounts", "comps", "comp_count",
                  "voids", "void_count", "void_quantity")
LINE_MEASURES = ("quantity", "gross", "amount", "comps", "void_quantity", "voids")
TENDER_MEASURES = ("count", "amount", "tips", "refund_count", "refunds")


@dataclass(frozen=True)
class Dimension:
    """What a sales report is broken down by: where its key lives and which figure a cell
    (and its drill-down) adds up."""

    name: str
    source: str  # "checks", "lines" or "tenders"
    column: str
    value: str  # the cell's figure the drill-down sums to


DIMENSIONS = {d.name: d for d in (
    Dimension("day", "checks", "business_date", "gross"),
    Dimension("hour", "checks", "hour", "gross"),
    Dimension("weekday", "checks", "weekday", "gross"),
    Dimension("server", "checks", "server_id", "gross"),
    Dimension("table", "checks", "table_id", "gross"),
    Dimension("floor", "checks", "floor_id", "gross"),
    Dimension("item", "lines", "item_id", "amount"),
    Dimension("category", "lines", "category_id", "amount"),
    Dimension("tender", "tenders", "tender", "amount"),
)}
MODELS = {"checks": ReportCheck, "lines": ReportLine, "tenders": ReportTender}
MEASURES = {"checks": CHECK_MEASURES, "lines": LINE_MEASURES, "tenders": TENDER_MEASURES}


@dataclass
class Range:
    first: date
    last: date
    zone: ZoneInfo
    live: list[DayFacts]  # the days of the range without a summary, worked out now

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def read_range(session: Session, first: date, last: date) -> Range:
    zone = venue_zone(session)
    now = utcnow()
    live = [day_facts(session, day, zone=zone, until=now)
            for day in unsummarized_days(session, first, last, zone)]
    return Range(first, last, zone, live)


def previous_range(first: date, last: date) -> tuple[date, date]:
    """The period of the same length just before."""
    length = (last - first).days + 1
    return first - timedelta(days=length), first - timedelta(days=1)


# --- adding up ----------------------------------------------------------------------------


def live_rows(span: Range, source: str) -> Iterable[dict[str, Any]]:
    for facts in span.live:
        yield from getattr(facts, source)


def grouped(session: Session, span: Range, source: str, column: str | None
            ) -> dict[Any, dict[str, int]]:
    """Sums of the source's figures over the range, per value of ``column`` (or one group
    under ``None``): stored summaries in SQL, live days in Python, added together."""
    model = MODELS[source]
    measures = MEASURES[source]
    key = getattr(model, column) if column else None
    columns = [func.count()] + [func.coalesce(func.sum(getattr(model, m)), 0) for m in measures]
    extra = []
    if source == "checks":
        extra = [func.coalesce(func.sum(case((ReportCheck.discounts > 0, 1), else_=0)), 0),
                 func.coalesce(func.sum(case((ReportCheck.table_id.is_not(None),
                                              ReportCheck.turn_seconds), else_=0)), 0),
                 func.coalesce(func.sum(case((ReportCheck.table_id.is_not(None), 1),
                                             else_=0)), 0)]
    statement = select(*([key] if key is not None else []), *columns, *extra).where(
        model.business_date >= span.first, model.business_date <= span.last)
    if key is not None:
        statement = statement.group_by(key)
    out: dict[Any, dict[str, int]] = {}
    names = ["rows", *measures] + (["discount_count", "turn_seconds", "turned"] if extra else [])
    for row in session.execute(statement):
        values = row[1:] if key is not None else row
        group = row[0] if key is not None else None
        if hasattr(group, "value"):
            group = group.value
        if key is None and not values[0]:
            continue
        out[group] = {name: int(value or 0) for name, value in zip(names, values, strict=True)}
    for fact in live_rows(span, source):
        group = fact[column] if column else None
        entry = out.setdefault(group, dict.fromkeys(names, 0))
        entry["rows"] += 1
        for measure in measures:
            entry[measure] += fact[measure]
        if extra:
            entry["discount_count"] += 1 if fact["discounts"] > 0 else 0
            if fact["table_id"] is not None:
                entry["turn_seconds"] += fact["turn_seconds"]
                entry["turned"] += 1
    return out


def tips_by_staff(session: Session, span: Range) -> dict[int | None, int]:
    tips: dict[int | None, int] = defaultdict(int)
    for staff_id, amount in session.execute(
            select(ReportTip.staff_id, func.sum(ReportTip.amount))
            .where(ReportTip.business_date >= span.first, ReportTip.business_date <= span.last)
            .group_by(ReportTip.staff_id)):
        tips[staff_id] += int(amount or 0)
    for fact in live_rows(span, "tips"):
        tips[fact["staff_id"]] += fact["amount"]
    return dict(tips)


def totals_of(session: Session, span: Range) -> dict[str, Any]:
    """The range's figures, as a Z gives them for a day."""
    checks = grouped(session, span, "checks", None).get(None) or dict.fromkeys(
        ("rows", *CHECK_MEASURES, "discount_count", "turn_seconds", "turned"), 0)
    tenders = grouped(session, span, "tenders", None).get(None) or dict.fromkeys(
        ("rows", *TENDER_MEASURES), 0)
    count, covers, gross = checks["rows"], checks["covers"], checks["gross"]
    return {
        "checks": count, "covers": covers, "gross": gross, "net": checks["net"],
        "tax": checks["tax"],
        "average_check": divide_rounded(gross, count) if count else 0,
        "average_cover": divide_rounded(gross, covers) if covers else 0,
        "discounts": {"count": checks["discount_count"], "amount": checks["discounts"]},
        "comps": {"count": checks["comp_count"], "amount": checks["comps"]},
        "voids": {"count": checks["void_count"], "quantity": checks["void_quantity"],
                  "amount": checks["voids"]},
        "payments": {"count": tenders["count"], "amount": tenders["amount"]},
        "tips": tenders["tips"],
        "refunds": {"count": tenders["refund_count"], "amount": tenders["refunds"]},
        "turn_minutes": (divide_rounded(checks["turn_seconds"], checks["turned"] * 60)
                         if checks["turned"] else None),
    }


# --- labels -------------------------------------------------------------------------------


def weekday_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]


def tender_names() -> dict[str, str]:
    return {"cash": _("Cash"), "card": _("Card"), "voucher": _("Voucher"),
            "room": _("Room charge")}


def labeller(session: Session, dimension: str, keys: set[Any], language: str
             ) -> Callable[[Any], str]:
    """How a key reads: a server's name, a table's, an item's in ``language``, a weekday."""
    wanted = {k for k in keys if k is not None}
    none = {"server": _("No server"), "table": _("No table"), "floor": _("No floor"),
            "item": _("No item"), "category": _("No category")}.get(dimension, "")
    names: dict[Any, str] = {}
    if dimension == "server":
        names = staff_names(session, wanted)
    elif dimension == "table" and wanted:
        names = dict(session.execute(select(DiningTable.id, DiningTable.name)
                                     .where(DiningTable.id.in_(wanted))).all())
    elif dimension in ("floor", "item", "category") and wanted:
        model = {"floor": Floor, "item": MenuItem, "category": Category}[dimension]
        names = {row.id: row.label(language)
                 for row in session.scalars(select(model).where(model.id.in_(wanted)))}
    elif dimension == "weekday":
        names = dict(enumerate(weekday_names()))
    elif dimension == "tender":
        names = tender_names()

    def label(key: Any) -> str:
        if key is None:
            return none
        if dimension == "day":
            return key.isoformat()
        if dimension == "hour":
            return f"{key:02d}:00"
        return names.get(key) or f"#{key}"

    return label


def key_text(key: Any) -> str:
    """A key as the API gives it and takes it back for a drill-down."""
    if key is None:
        return "none"
    return key.isoformat() if isinstance(key, date) else str(key)


def order_of(dimension: Dimension, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if dimension.name in ("day", "hour", "weekday"):
        return sorted(rows, key=lambda r: (r["_key"] is None, r["_key"] or 0))
    return sorted(rows, key=lambda r: (-r[dimension.value], r["label"]))


# --- the report ---------------------------------------------------------------------------


def breakdown(session: Session, span: Range, dimension: Dimension, language: str
              ) -> list[dict[str, Any]]:
    groups = grouped(session, span, dimension.source, dimension.column)
    tips = tips_by_staff(session, span) if dimension.name == "server" else {}
    for staff_id in tips:
        groups.setdefault(staff_id, {m: 0 for m in ("rows", *CHECK_MEASURES, "discount_count",
                                                    "turn_seconds", "turned")})
    label = labeller(session, dimension.name, set(groups), language)
    rows = []
    for key, figures in groups.items():
        row: dict[str, Any] = {"key": key_text(key), "_key": key, "label": label(key)}
        if dimension.source == "checks":
            count, gross = figures["rows"], figures["gross"]
            row.update(checks=count, covers=figures["covers"], gross=gross,
                       net=figures["net"], tax=figures["tax"],
                       average_check=divide_rounded(gross, count) if count else 0,
                       discounts=figures["discounts"], comps=figures["comps"],
                       voids=figures["voids"],
                       turn_minutes=(divide_rounded(figures["turn_seconds"],
                                                    figures["turned"] * 60)
                                     if figures["turned"] else None))
            if dimension.name == "server":
                row["tips"] = tips.get(key, 0)
        elif dimension.source == "lines":
            row.update({m: figures[m] for m in LINE_MEASURES})
        else:
            row.update({m: figures[m] for m in TENDER_MEASURES})
            row["total"] = figures["amount"] + figures["tips"] - figures["refunds"]
        rows.append(row)
    if dimension.name == "day":  # every day of the range, a day without sales at 0
        seen = {row["_key"] for row in rows}
        for offset in range(span.days):
            when = span.first + timedelta(days=offset)
            if when not in seen:
                rows.append({"key": key_text(when), "_key": when, "label": label(when),
                             **dict.fromkeys(("checks", "covers", "gross", "net", "tax",
                                              "average_check", "discounts", "comps",
                                              "voids"), 0), "turn_minutes": None})
    ordered = order_of(dimension, rows)
    for row in ordered:
        del row["_key"]
    return ordered


def sales_report(session: Session, first: date, last: date, by: str, *,
                 compare: bool = False, language: str = "ro") -> dict[str, Any]:
    dimension = DIMENSIONS[by]
    span = read_range(session, first, last)
    report = {"report": "sales", "by": by, "first": first.isoformat(),
              "last": last.isoformat(), "days": span.days,
              "currency": get_venue(session).currency, "value": dimension.value,
              "totals": totals_of(session, span),
              "rows": breakdown(session, span, dimension, language),
              "live_days": [facts.day.id for facts in span.live]}
    if compare:
        before = read_range(session, *previous_range(first, last))
        rows = breakdown(session, before, dimension, language)
        if by == "day":  # day n of the period beside day n of the previous one
            for row in rows:
                row["key"] = (date.fromisoformat(row["key"])
                              + timedelta(days=span.days)).isoformat()
        report["previous"] = {"first": before.first.isoformat(),
                              "last": before.last.isoformat(),
                              "totals": totals_of(session, before),
                              "rows": {row["key"]: row for row in rows}}
    return report


# --- the checks behind a figure -----------------------------------------------------------


def parse_key(dimension: Dimension, text: str) -> Any:
    """A key given back by the client; ``ValueError`` when it cannot be one."""
    if text == "none":
        if dimension.name in ("day", "hour", "weekday", "tender"):
            raise ValueError(text)
        return None
    if dimension.name == "day":
        return date.fromisoformat(text)
    if dimension.name == "tender":
        if text not in tender_names():
            raise ValueError(text)
        return text
    return int(text)


def drill_down(session: Session, first: date, last: date, by: str, key_string: str, *,
               limit: int = 200, language: str = "ro") -> dict[str, Any]:
    """The checks behind one cell: each with its share of the cell's figure (a check's
    total, an item's amount on it, what was paid on it by a tender). They add up to the
    cell; ``checks`` lists the first ``limit`` of them, latest first."""
    dimension = DIMENSIONS[by]
    key = parse_key(dimension, key_string)
    span = read_range(session, first, last)
    per_check: dict[int, int] = defaultdict(int)
    if dimension.source == "tenders":
        for check_id, amount in tender_payments(session, span, key):
            per_check[check_id] += amount
    else:
        model = MODELS[dimension.source]
        column = getattr(model, dimension.column)
        statement = select(model.check_id, getattr(model, dimension.value)).where(
            model.business_date >= first, model.business_date <= last,
            column.is_(None) if key is None else column == key)
        for check_id, value in session.execute(statement):
            per_check[check_id] += value
        for fact in live_rows(span, dimension.source):
            if fact[dimension.column] == key:
                per_check[fact["check_id"]] += fact[dimension.value]
    checks = check_details(session, sorted(per_check, reverse=True)[:limit], span.zone)
    for entry in checks:
        entry["value"] = per_check[entry["check_id"]]
    label = labeller(session, by, {key}, language)(key)
    return {"by": by, "key": key_string, "label": label, "first": first.isoformat(),
            "last": last.isoformat(), "value": dimension.value, "count": len(per_check),
            "total": sum(per_check.values()), "checks": checks,
            "truncated": len(per_check) > limit}


def tender_payments(session: Session, span: Range, tender: str) -> Iterable[tuple[int, int]]:
    day_ids = [day.id for day in days_between(session, span.first, span.last, span.zone)]
    if not day_ids:
        return []
    return session.execute(
        select(Payment.check_id, func.sum(Payment.amount))
        .where(Payment.business_day_id.in_(day_ids), Payment.tender == tender,
               Payment.status == PaymentStatus.APPROVED).group_by(Payment.check_id)).all()


def check_details(session: Session, check_ids: list[int], zone: ZoneInfo
                  ) -> list[dict[str, Any]]:
    if not check_ids:
        return []
    rows = session.execute(
        select(Check.id, Check.opened_at, Check.closed_at, Check.guest_count, Check.server_id,
               Check.name, DiningTable.name.label("table"))
        .outerjoin(DiningTable, DiningTable.id == Check.table_id)
        .where(Check.id.in_(check_ids)).order_by(Check.id.desc())).all()
    names = staff_names(session, {row.server_id for row in rows})
    return [{"check_id": row.id, "table": row.table or row.name or "",
             "server": names.get(row.server_id, ""), "covers": row.guest_count,
             "opened_at": local(row.opened_at, zone), "closed_at": local(row.closed_at, zone)}
            for row in rows]


def local(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else None


# --- discounts, comps, voids and refunds, with who approved them --------------------------

ADJUSTMENTS = ("line.voided", "line.comped", "discount.applied", "payment.refunded")


def adjustments(session: Session, first: date, last: date, *, limit: int = 500
                ) -> dict[str, Any]:
    """Every void, comp, discount and refund of the range's days, newest first, with who
    did it and who approved it (from the audit log), and the range's totals of each."""
    span = read_range(session, first, last)
    days = days_between(session, first, last, span.zone)
    totals = totals_of(session, span)
    summary = {"discounts": totals["discounts"], "comps": totals["comps"],
               "voids": totals["voids"], "refunds": totals["refunds"]}
    if not days:
        return {"first": first.isoformat(), "last": last.isoformat(), "totals": summary,
                "entries": [], "truncated": False}
    start = days[0].opened_at
    end = max((day.closed_at or utcnow()) for day in days)
    entries = list(session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(ADJUSTMENTS), AuditEntry.at >= start,
                                 AuditEntry.at <= end)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit + 1)))
    refunds = {r.id: r for r in session.scalars(select(Refund).where(Refund.id.in_(
        [e.details.get("refund") for e in entries if e.details.get("refund")])))}
    names = staff_names(session, {e.staff_id for e in entries}
                        | {e.approved_by_id for e in entries})
    kinds = {"line.voided": "void", "line.comped": "comp", "discount.applied": "discount",
             "payment.refunded": "refund"}
    out = []
    for entry in entries[:limit]:
        details = entry.details or {}
        check_id = (entry.subject or "").split("/")[0].removeprefix("check:")
        refund = refunds.get(details.get("refund"))
        out.append({"at": local(entry.at, span.zone), "kind": kinds[entry.action],
                    "check_id": int(check_id) if check_id.isdigit() else None,
                    "by": names.get(entry.staff_id, ""),
                    # no one else approved it: its author held the right to do it
                    "approved_by": names.get(entry.approved_by_id, "")
                    or (names.get(refund.approved_by_id, "") if refund else "")
                    or names.get(entry.staff_id, ""),
                    "reason": details.get("reason") or "",
                    "amount": details.get("amount"),
                    "percent_bp": details.get("percent_bp")})
    return {"first": first.isoformat(), "last": last.isoformat(), "totals": summary,
            "entries": out, "truncated": len(entries) > limit}
