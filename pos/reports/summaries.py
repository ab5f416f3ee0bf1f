"""A business day's figures for the reports, worked out as its Z works them out.

``day_facts`` reads the day's paid checks, their lines, bills, payments, refunds and tip
shares with the Z's own rules (``pos.reports.operations``: a check belongs to the day it
was paid in, a payment or refund to the day it was taken in, lines totalled by
``check_totals``). ``write_day_summary`` stores them when the Z is taken; a day without a
summary (the open day) is read live through the same function, so both agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from pos.floor.models import DiningTable
from pos.menu.models import MenuItem
from pos.ordering.models import Check, LineStatus, OrderLine
from pos.ordering.totals import check_totals
from pos.payments.models import (
    Bill,
    BillStatus,
    Payment,
    PaymentStatus,
    Refund,
    TipShare,
    ZReport,
)
from pos.reports.models import ReportCheck, ReportDay, ReportLine, ReportTender, ReportTip
from pos.reports.operations import SoldLine, paid_in_day
from pos.venue.models import BusinessDay
from pos.venue.operations import get_venue


def venue_zone(session: Session) -> ZoneInfo:
    try:
        return ZoneInfo(get_venue(session).timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def business_date(day: BusinessDay, zone: ZoneInfo) -> date:
    """The date a business day is known by: the venue's date when it opened."""
    return day.opened_at.astimezone(zone).date()


@dataclass
class DayFacts:
    """One day's summary rows, as plain dicts keyed like the tables' columns."""

    day: BusinessDay
    business_date: date
    checks: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    tenders: list[dict[str, Any]] = field(default_factory=list)
    tips: list[dict[str, Any]] = field(default_factory=list)


def day_facts(session: Session, day: BusinessDay, *, zone: ZoneInfo | None = None,
              until: datetime | None = None) -> DayFacts:
    zone = zone or venue_zone(session)
    tax_mode = get_venue(session).tax_mode
    when = business_date(day, zone)
    facts = DayFacts(day, when)
    where = paid_in_day(day, until)
    checks = session.execute(
        select(Check.id, Check.guest_count, Check.server_id, Check.discount_bp,
               Check.discount_amount, Check.table_id, DiningTable.floor_id, Check.opened_at,
               Check.closed_at)
        .outerjoin(DiningTable, DiningTable.id == Check.table_id)
        .where(*where).order_by(Check.id)).all()
    bills: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for check_id, total, tax in session.execute(
            select(Bill.check_id, Bill.total, Bill.tax).join(Check, Check.id == Bill.check_id)
            .where(*where, Bill.status == BillStatus.PAID)):
        figures = bills[check_id]
        figures[0] += total or 0
        for entry in tax or []:
            figures[1] += entry["net"]
            figures[2] += entry["tax"]
    lines_of: dict[int, list[tuple[SoldLine, int | None]]] = defaultdict(list)
    for row in session.execute(
            select(OrderLine.id, OrderLine.check_id, MenuItem.category_id, OrderLine.quantity,
                   OrderLine.unit_price, OrderLine.modifiers_price, OrderLine.tax_rate_bp,
                   OrderLine.status, OrderLine.comped, OrderLine.discount_bp,
                   OrderLine.discount_amount, OrderLine.item_id)
            .join(Check, Check.id == OrderLine.check_id)
            .outerjoin(MenuItem, MenuItem.id == OrderLine.item_id)
            .where(*where).order_by(OrderLine.id)):
        lines_of[row.check_id].append((SoldLine(*row[:11]), row.item_id))
    for check in checks:
        facts.checks.append(check_row(day, when, zone, check, bills.get(check.id, [0, 0, 0]),
                                      lines_of.get(check.id, []), tax_mode, facts.lines))
    facts.tenders = tender_rows(session, day, when)
    facts.tips = [{"business_day_id": day.id, "business_date": when, "staff_id": staff_id,
                   "amount": amount or 0}
                  for staff_id, amount in session.execute(
                      select(TipShare.staff_id, func.sum(TipShare.amount))
                      .join(Payment, Payment.id == TipShare.payment_id)
                      .where(Payment.business_day_id == day.id,
                             Payment.status == PaymentStatus.APPROVED)
                      .group_by(TipShare.staff_id)) if amount]
    return facts


def check_row(day: BusinessDay, when: date, zone: ZoneInfo, check: Any, bill: list[int],
              lines: list[tuple[SoldLine, int | None]], tax_mode: Any,
              out_lines: list[dict[str, Any]]) -> dict[str, Any]:
    sold = [line for line, _item in lines]
    totals = check_totals(check, tax_mode, sold)  # type: ignore[arg-type]
    items: dict[int | None, dict[str, Any]] = {}

    def item_row(item_id: int | None, category_id: int | None) -> dict[str, Any]:
        return items.setdefault(item_id, {
            "check_id": check.id, "business_day_id": day.id, "business_date": when,
            "item_id": item_id, "category_id": category_id, "quantity": 0, "gross": 0,
            "amount": 0, "comps": 0, "void_quantity": 0, "voids": 0})

    live = [(line, item) for line, item in lines if line.status is not LineStatus.VOID]
    comp_count = 0
    for (line, item_id), line_total in zip(live, totals.lines, strict=True):
        entry = item_row(item_id, line.category_id)
        entry["quantity"] += line.quantity
        entry["gross"] += line_total.gross
        entry["amount"] += line_total.total
        entry["comps"] += line_total.comp
        comp_count += 1 if line_total.comp else 0
    voids = void_count = void_quantity = 0
    for line, item_id in lines:
        if line.status is LineStatus.VOID:
            entry = item_row(item_id, line.category_id)
            entry["void_quantity"] += line.quantity
            entry["voids"] += line.gross
            voids += line.gross
            void_count += 1
            void_quantity += line.quantity
    out_lines.extend(items.values())
    closed = check.closed_at
    return {"check_id": check.id, "business_day_id": day.id, "business_date": when,
            "hour": closed.astimezone(zone).hour, "weekday": when.weekday(),
            "server_id": check.server_id, "table_id": check.table_id,
            "floor_id": check.floor_id, "covers": check.guest_count,
            "gross": bill[0], "net": bill[1], "tax": bill[2],
            "discounts": totals.discounts, "comps": totals.comps, "comp_count": comp_count,
            "voids": voids, "void_count": void_count, "void_quantity": void_quantity,
            "opened_at": check.opened_at, "closed_at": closed,
            "turn_seconds": max(0, int((closed - check.opened_at).total_seconds()))}


def tender_rows(session: Session, day: BusinessDay, when: date) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}

    def row(tender: Any) -> dict[str, Any]:
        key = getattr(tender, "value", tender)
        return rows.setdefault(key, {"business_day_id": day.id, "business_date": when,
                                     "tender": key, "count": 0, "amount": 0, "tips": 0,
                                     "refund_count": 0, "refunds": 0})

    for tender, count, amount, tip in session.execute(
            select(Payment.tender, func.count(), func.sum(Payment.amount), func.sum(Payment.tip))
            .where(Payment.business_day_id == day.id,
                   Payment.status == PaymentStatus.APPROVED).group_by(Payment.tender)):
        entry = row(tender)
        entry["count"] += count
        entry["amount"] += amount or 0
        entry["tips"] += tip or 0
    for tender, count, amount in session.execute(
            select(Payment.tender, func.count(), func.sum(Refund.amount))
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Refund.business_day_id == day.id).group_by(Payment.tender)):
        entry = row(tender)
        entry["refund_count"] += count
        entry["refunds"] += amount or 0
    return list(rows.values())


def write_day_summary(session: Session, day: BusinessDay) -> DayFacts:
    """Store the day's summary rows (once: a second call rewrites them the same)."""
    facts = day_facts(session, day)
    for model in (ReportLine, ReportCheck, ReportTender, ReportTip, ReportDay):
        session.execute(delete(model).where(model.business_day_id == day.id))
    session.execute(insert(ReportDay), [{"business_day_id": day.id,
                                         "business_date": facts.business_date}])
    for model, rows in ((ReportCheck, facts.checks), (ReportLine, facts.lines),
                        (ReportTender, facts.tenders), (ReportTip, facts.tips)):
        for start in range(0, len(rows), 5000):
            session.execute(insert(model), rows[start:start + 5000])
    return facts


def summarize_missing_days(session: Session) -> int:
    """Write the summaries of days that have their Z but no summary (days closed before
    the summaries existed; a bulk import). Returns how many were written."""
    days = list(session.scalars(
        select(BusinessDay).join(ZReport, ZReport.business_day_id == BusinessDay.id)
        .where(~select(ReportDay.business_day_id)
               .where(ReportDay.business_day_id == BusinessDay.id).exists())
        .order_by(BusinessDay.id)))
    for day in days:
        write_day_summary(session, day)
    return len(days)


def days_between(session: Session, first: date, last: date,
                 zone: ZoneInfo | None = None) -> list[BusinessDay]:
    """The business days known by a date from ``first`` to ``last`` (venue time)."""
    zone = zone or venue_zone(session)
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    return list(session.scalars(select(BusinessDay).where(
        BusinessDay.opened_at >= start, BusinessDay.opened_at < end,
    ).order_by(BusinessDay.id)))


def unsummarized_days(session: Session, first: date, last: date,
                      zone: ZoneInfo) -> list[BusinessDay]:
    """The days of the range whose figures are read live (no summary written yet)."""
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    return list(session.scalars(select(BusinessDay).where(
        BusinessDay.opened_at >= start, BusinessDay.opened_at < end,
        ~select(ReportDay.business_day_id)
        .where(ReportDay.business_day_id == BusinessDay.id).exists(),
    ).order_by(BusinessDay.id)))
