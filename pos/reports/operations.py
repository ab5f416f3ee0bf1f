"""X and Z reports: the day's (or a shift's) takings, and the Z that closes the day.

An X changes nothing and may be read at any time. A Z closes the business day: it is
numbered in sequence, taken once per day, refused while a check or a drawer is still
open (they are listed), and never changed afterwards (the ORM refuses it below).

Every figure comes from the rows that hold the money, so the report reconciles:

- sales by tax rate are the paid bills' frozen totals and tax (``Bill.total``,
  ``Bill.tax``), so they sum to what the guests were charged;
- per tender, payments (amount + tip) less refunds give the tender's total, and the
  payments' amounts (tips apart) come to the sales;
- categories, discounts, comps and voids come from the lines of the checks paid, worked
  out as the checks' totals are (``pos.ordering.totals``);
- cash over/short is what the drawers' counts said (``pos.payments.drawers``).

A check belongs to the day in which it was paid (closed); a payment or refund to the
day it was taken in (``business_day_id``); a drawer to the day it was opened in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, NotFound
from pos.core.money import TaxMode, divide_rounded
from pos.devices.models import Printer, PrintJob
from pos.devices.print_queue import queue_print
from pos.floor.models import DiningTable
from pos.menu.models import Category, MenuItem
from pos.ordering.models import Check, CheckStatus, LineStatus, OrderLine
from pos.ordering.totals import check_totals
from pos.payments.drawers import drawer_figures, shift_out, staff_names
from pos.payments.models import (
    Bill,
    BillStatus,
    CashShift,
    Payment,
    PaymentStatus,
    Refund,
    Tender,
    TipShare,
    ZReport,
)
from pos.reports.rendering import paper_document
from pos.venue.models import BusinessDay, TaxRate
from pos.venue.operations import close_business_day, current_business_day, get_venue

TENDERS = tuple(t.value for t in Tender)


# --- a Z is final -------------------------------------------------------------------------


@event.listens_for(ZReport, "before_update")
@event.listens_for(ZReport, "before_delete")
def _refuse_change(_mapper: Any, _connection: Any, report: ZReport) -> None:
    raise PermissionError("a Z report is final: it is never changed or deleted")


class DayNotFinished(Conflict):
    """A Z asked for while checks or drawers are still open: it names them."""

    def __init__(self, message: str, *, code: str, open_checks: list[dict[str, Any]],
                 open_shifts: list[dict[str, Any]]) -> None:
        super().__init__(message, field="business_day", code=code)
        self.open_checks, self.open_shifts = open_checks, open_shifts

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["open_checks"] = self.open_checks
        body["error"]["open_shifts"] = self.open_shifts
        return body


# --- what is still open -------------------------------------------------------------------


def open_checks(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Check.id, Check.table_id, DiningTable.name, Check.name, Check.server_id,
               Check.guest_count, Check.opened_at)
        .outerjoin(DiningTable, DiningTable.id == Check.table_id)
        .where(Check.status == CheckStatus.OPEN).order_by(Check.id)).all()
    names = staff_names(session, {row.server_id for row in rows})
    return [{"check_id": row.id, "table_id": row.table_id, "table": row[2],
             "name": row[3], "server_id": row.server_id,
             "server": names.get(row.server_id, ""), "guests": row.guest_count,
             "opened_at": row.opened_at.isoformat()} for row in rows]


def open_shifts(session: Session) -> list[dict[str, Any]]:
    shifts = list(session.scalars(select(CashShift).where(CashShift.is_open.is_(True))
                                  .order_by(CashShift.id)))
    names = staff_names(session, {s.cashier_id for s in shifts})
    return [{"shift_id": s.id, "cashier_id": s.cashier_id,
             "cashier": names.get(s.cashier_id, ""), "opened_at": s.opened_at.isoformat()}
            for s in shifts]


# --- the day's figures --------------------------------------------------------------------


def paid_in_day(day: BusinessDay, until: datetime | None) -> list[Any]:
    """Checks paid (closed) while the day was open."""
    end = day.closed_at or until
    where = [Check.status == CheckStatus.PAID, Check.closed_at >= day.opened_at]
    if end is not None:
        where.append(Check.closed_at <= end)
    return where


def day_totals(session: Session, day: BusinessDay, *, until: datetime | None = None,
               kind: str = "X") -> dict[str, Any]:
    """Everything a Z prints for ``day`` (as far as it has gone, for an X)."""
    venue = get_venue(session)
    where = paid_in_day(day, until)
    checks = session.execute(select(Check.id, Check.guest_count, Check.server_id,
                                    Check.discount_bp, Check.discount_amount)
                             .where(*where).order_by(Check.id)).all()
    bills = session.execute(select(Bill.check_id, Bill.total, Bill.tax)
                            .join(Check, Check.id == Bill.check_id)
                            .where(*where, Bill.status == BillStatus.PAID)).all()
    payments = session.execute(
        select(Payment.tender, Payment.server_id, func.count(), func.sum(Payment.amount),
               func.sum(Payment.tip))
        .where(Payment.business_day_id == day.id, Payment.status == PaymentStatus.APPROVED)
        .group_by(Payment.tender, Payment.server_id)).all()
    refunds = session.execute(
        select(Payment.tender, func.count(), func.sum(Refund.amount))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Refund.business_day_id == day.id).group_by(Payment.tender)).all()
    waiting = session.scalar(select(func.count()).select_from(Payment).where(
        Payment.business_day_id == day.id,
        Payment.status.in_((PaymentStatus.PENDING, PaymentStatus.UNKNOWN))))
    shifts = list(session.scalars(select(CashShift).where(CashShift.business_day_id == day.id)
                                  .order_by(CashShift.id)))

    sales = sales_by_rate(session, bills)
    check_gross: dict[int, int] = defaultdict(int)
    for check_id, total, _tax in bills:
        check_gross[check_id] += total or 0
    lines = line_figures(session, checks, where, venue.tax_mode)
    tenders, tips = tender_figures(payments, refunds)
    tip_shares = session.execute(
        select(TipShare.staff_id, func.sum(TipShare.amount))
        .join(Payment, Payment.id == TipShare.payment_id)
        .where(Payment.business_day_id == day.id, Payment.status == PaymentStatus.APPROVED)
        .group_by(TipShare.staff_id)).all()
    servers = server_figures(session, checks, check_gross, tip_shares)
    gross = sales["gross"]
    covers = sum(check.guest_count for check in checks)
    cash = cash_figures(session, shifts)
    paid = sum(t["amount"] for t in tenders)
    return {
        "kind": kind, "scope": "day", "currency": venue.currency,
        "venue": {"name": venue.name, "address": venue.address,
                  "fiscal_code": venue.fiscal_code, "timezone": venue.timezone},
        "tax_mode": venue.tax_mode.value,
        "business_day": {"id": day.id, "opened_at": day.opened_at.isoformat(),
                         "closed_at": day.closed_at.isoformat() if day.closed_at else None},
        "printed_at": (until or utcnow()).isoformat(),
        "sales": sales, "tenders": tenders,
        "payments": {"count": sum(t["count"] for t in tenders), "amount": paid,
                     "tips": tips["total"], "waiting": waiting or 0,
                     # what was paid on the day's checks but not yet on a paid bill (an X
                     # during service: part-paid bills); 0 in a Z
                     "not_on_paid_bills": paid - gross},
        "refunds": {"count": sum(t["refund_count"] for t in tenders),
                    "amount": sum(t["refunds"] for t in tenders),
                    "by_tender": [{"tender": t["tender"], "count": t["refund_count"],
                                   "amount": t["refunds"]} for t in tenders if t["refunds"]]},
        "tips": tips, "categories": lines["categories"], "servers": servers,
        "discounts": lines["discounts"], "comps": lines["comps"], "voids": lines["voids"],
        "cash": cash,
        "checks": {"count": len(checks), "covers": covers,
                   "average_check": divide_rounded(gross, len(checks)) if checks else 0,
                   "average_cover": divide_rounded(gross, covers) if covers else 0},
    }


def sales_by_rate(session: Session, bills: list[Any]) -> dict[str, Any]:
    codes = dict(session.execute(select(TaxRate.rate_bp, TaxRate.code)).all())
    by_rate: dict[int, dict[str, int]] = {}
    for _check_id, _total, tax in bills:
        for entry in tax or []:
            rate = by_rate.setdefault(entry["rate_bp"], {"net": 0, "tax": 0})
            rate["net"] += entry["net"]
            rate["tax"] += entry["tax"]
    rates = [{"rate_bp": rate_bp, "code": codes.get(rate_bp) or "", "net": v["net"],
              "tax": v["tax"], "gross": v["net"] + v["tax"]}
             for rate_bp, v in sorted(by_rate.items(), reverse=True) if v["net"] or v["tax"]]
    return {"net": sum(r["net"] for r in rates), "tax": sum(r["tax"] for r in rates),
            "gross": sum(r["gross"] for r in rates),
            "bills": len(bills), "by_rate": rates}


@dataclass(slots=True)
class SoldLine:
    """A line of a paid check, read as plain columns (a day's lines are thousands): reads
    like an ``OrderLine`` for ``check_totals``."""

    id: int
    check_id: int
    category_id: int | None
    quantity: int
    unit_price: int
    modifiers_price: int
    tax_rate_bp: int
    status: LineStatus
    comped: bool
    discount_bp: int | None
    discount_amount: int | None

    @property
    def gross(self) -> int:
        return (self.unit_price + self.modifiers_price) * self.quantity


def line_figures(session: Session, checks: list[Any], where: list[Any],
                 tax_mode: TaxMode) -> dict[str, Any]:
    """Categories (what the lines came to after discounts and comps), discounts, comps and
    voids of the day's paid checks, each check's lines totalled as the check was."""
    rows = session.execute(
        select(OrderLine.id, OrderLine.check_id, MenuItem.category_id, OrderLine.quantity,
               OrderLine.unit_price, OrderLine.modifiers_price, OrderLine.tax_rate_bp,
               OrderLine.status, OrderLine.comped, OrderLine.discount_bp,
               OrderLine.discount_amount)
        .join(Check, Check.id == OrderLine.check_id)
        .outerjoin(MenuItem, MenuItem.id == OrderLine.item_id)
        .where(*where).order_by(OrderLine.id)).all()
    lines_of: dict[int, list[SoldLine]] = defaultdict(list)
    for row in rows:
        lines_of[row.check_id].append(SoldLine(*row))
    category_ids = {line.category_id for lines in lines_of.values() for line in lines}
    categories = {c.id: c for c in session.scalars(select(Category).where(
        Category.id.in_(category_ids)))} if category_ids else {}
    by_category: dict[int | None, dict[str, Any]] = {}
    discounts = {"count": 0, "amount": 0}
    comps = {"count": 0, "amount": 0}
    voids = {"count": 0, "quantity": 0, "amount": 0}
    for check in checks:
        lines = lines_of.get(check.id, [])
        totals = check_totals(check, tax_mode, lines)  # type: ignore[arg-type]
        if totals.discounts:
            discounts["count"] += 1
            discounts["amount"] += totals.discounts
        live = [line for line in lines if line.status is not LineStatus.VOID]
        for line, line_total in zip(live, totals.lines, strict=True):
            entry = by_category.get(line.category_id)
            if entry is None:
                category = categories.get(line.category_id)
                entry = by_category[line.category_id] = {
                    "category_id": line.category_id,
                    "names": dict(category.names) if category else {},
                    "position": category.position if category else 10**6,
                    "quantity": 0, "gross": 0, "amount": 0}
            entry["quantity"] += line.quantity
            entry["gross"] += line_total.gross
            entry["amount"] += line_total.total
            if line_total.comp:
                comps["count"] += 1
                comps["amount"] += line_total.comp
        for line in lines:
            if line.status is LineStatus.VOID:
                voids["count"] += 1
                voids["quantity"] += line.quantity
                voids["amount"] += line.gross
    ordered = sorted(by_category.values(), key=lambda c: (c["position"], c["category_id"] or 0))
    for entry in ordered:
        del entry["position"]
    return {"categories": ordered, "discounts": discounts, "comps": comps, "voids": voids}


def tender_figures(payments: list[Any], refunds: list[Any]
                   ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    by_tender = {tender: {"tender": tender, "count": 0, "amount": 0, "tips": 0,
                          "refund_count": 0, "refunds": 0} for tender in TENDERS}
    tips = {"total": 0, "cash": 0, "card": 0, "other": 0}
    for tender, _server_id, count, amount, tip in payments:
        entry = by_tender[Tender(tender).value]
        entry["count"] += count
        entry["amount"] += amount or 0
        entry["tips"] += tip or 0
        tips["total"] += tip or 0
        tips[Tender(tender).value if Tender(tender) in (Tender.CASH, Tender.CARD)
             else "other"] += tip or 0
    for tender, count, amount in refunds:
        entry = by_tender[Tender(tender).value]
        entry["refund_count"] += count
        entry["refunds"] += amount or 0
    tenders = []
    for entry in by_tender.values():
        if entry["count"] or entry["refund_count"]:
            entry["total"] = entry["amount"] + entry["tips"] - entry["refunds"]
            tenders.append(entry)
    return tenders, tips


def server_figures(session: Session, checks: list[Any], check_gross: dict[int, int],
                   tip_shares: list[Any]) -> list[dict[str, Any]]:
    servers: dict[int | None, dict[str, Any]] = {}

    def server(staff_id: int | None) -> dict[str, Any]:
        return servers.setdefault(staff_id, {"staff_id": staff_id, "name": "", "checks": 0,
                                             "covers": 0, "sales": 0, "tips": 0})

    for check in checks:
        entry = server(check.server_id)
        entry["checks"] += 1
        entry["covers"] += check.guest_count
        entry["sales"] += check_gross.get(check.id, 0)
    for staff_id, tip in tip_shares:
        if tip:
            server(staff_id)["tips"] += tip
    names = staff_names(session, set(servers))
    for staff_id, entry in servers.items():
        entry["name"] = names.get(staff_id, "")
    return sorted(servers.values(), key=lambda s: (s["name"], s["staff_id"] or 0))


def cash_figures(session: Session, shifts: list[CashShift]) -> dict[str, Any]:
    rows = []
    for shift in shifts:
        figures = drawer_figures(session, shift)
        rows.append({"shift_id": shift.id, "cashier": figures.cashier_name,
                     "open": bool(shift.is_open), "opening_float": shift.opening_float,
                     "cash_taken": figures.cash_taken, "paid_in": figures.paid_in,
                     "paid_out": figures.paid_out, "tips_out": figures.tips_out,
                     "cash_refunds": figures.cash_refunds, "no_sales": figures.no_sales,
                     "expected": shift.expected if shift.expected is not None
                     else figures.expected,
                     "counted": shift.counted_total, "over_short": shift.over_short})
    closed = [row for row in rows if not row["open"]]
    return {"shifts": rows,
            "expected": sum(row["expected"] for row in closed),
            "counted": sum(row["counted"] or 0 for row in closed),
            "over_short": sum(row["over_short"] or 0 for row in closed),
            "paid_in": sum(row["paid_in"] for row in rows),
            "paid_out": sum(row["paid_out"] for row in rows),
            "tips_out": sum(row["tips_out"] for row in rows),
            "no_sales": sum(row["no_sales"] for row in rows)}


def shift_totals(session: Session, shift: CashShift) -> dict[str, Any]:
    """An X of one drawer: what its cashier took by tender, the tips per server and what
    the drawer should hold."""
    venue = get_venue(session)
    drawer = shift_out(drawer_figures(session, shift))
    tenders = [{**t, "total": t["amount"] + t["tips"] - t["refunds"]}
               for t in drawer["tenders"]]
    tips_total = sum(t["tips"] for t in tenders)
    return {
        "kind": "X", "scope": "shift", "currency": venue.currency,
        "venue": {"name": venue.name, "address": venue.address,
                  "fiscal_code": venue.fiscal_code, "timezone": venue.timezone},
        "tax_mode": venue.tax_mode.value, "printed_at": utcnow().isoformat(),
        "shift": {key: (value.isoformat() if isinstance(value, datetime) else value)
                  for key, value in drawer.items() if key not in ("movements", "tenders")},
        "tenders": tenders,
        "payments": {"count": sum(t["count"] for t in tenders),
                     "amount": sum(t["amount"] for t in tenders), "tips": tips_total},
        "refunds": {"amount": sum(t["refunds"] for t in tenders),
                    "by_tender": [{"tender": t["tender"], "amount": t["refunds"]}
                                  for t in tenders if t["refunds"]]},
    }


# --- X and Z ------------------------------------------------------------------------------


def x_report(session: Session, actor: Actor, *, shift_id: int | None = None
             ) -> dict[str, Any]:
    """Totals so far, changing nothing: one drawer's, or the open day's."""
    if shift_id is not None:
        shift = session.get(CashShift, shift_id)
        if shift is None:
            raise NotFound(_("There is no such shift."), field="shift_id")
        return shift_totals(session, shift)
    day = current_business_day(session)
    if day is None:
        raise Conflict(_("No business day is open."), field="business_day", code="day_closed")
    totals = day_totals(session, day, until=utcnow(), kind="X")
    totals["open_checks"] = open_checks(session)
    return totals


def days_without_z(session: Session) -> list[BusinessDay]:
    """Days closed (to stop ordering) whose Z is still owed, oldest first."""
    return list(session.scalars(
        select(BusinessDay).where(BusinessDay.is_open.is_(None), ~select(ZReport.id).where(
            ZReport.business_day_id == BusinessDay.id).exists())
        .order_by(BusinessDay.id)))


def next_z_day(session: Session, business_day_id: int | None = None, *,
               lock: bool = False) -> BusinessDay:
    """The day the next Z closes: the oldest day whose Z is owed, else the open day. Zs go
    in the order of their days, so a day's Z waits for every earlier day's. The open day
    is locked with ``lock`` (two managers taking a Z at once: one waits, then is refused)."""
    owed = days_without_z(session)
    if business_day_id is None:
        if owed:
            return owed[0]
        statement = select(BusinessDay).where(BusinessDay.is_open.is_(True))
        day = session.scalar(statement.with_for_update() if lock else statement)
        if day is not None:
            return day
        last = session.scalar(select(ZReport.number).order_by(ZReport.number.desc()).limit(1))
        if last is not None:
            raise Conflict(_("The Z for this day was taken already (Z %(number)s). Open the "
                             "next business day first.", number=last),
                           field="business_day", code="z_taken")
        raise Conflict(_("No business day is open."), field="business_day", code="day_closed")
    day = session.get(BusinessDay, business_day_id, with_for_update=lock)
    if day is None:
        raise NotFound(_("There is no such business day."), field="business_day_id")
    taken = session.scalar(select(ZReport.number).where(ZReport.business_day_id == day.id))
    if taken is not None:
        raise Conflict(_("The Z for this day was taken already (Z %(number)s). Open the "
                         "next business day first.", number=taken),
                       field="business_day_id", code="z_taken")
    if owed and owed[0].id < day.id:
        raise Conflict(_("The Z of an earlier day (opened %(opened)s) is still owed: take "
                         "it first.", opened=owed[0].opened_at.isoformat(timespec="minutes")),
                       field="business_day_id", code="earlier_z_owed")
    return day


def take_z(session: Session, actor: Actor, *, printer_id: int | None = None,
           language: str | None = None, business_day_id: int | None = None
           ) -> tuple[ZReport, PrintJob | None]:
    """Close the business day with its Z: refused while a check or a drawer is open
    (both listed), numbered in sequence, final. A day closed earlier only to stop
    ordering gets its Z this way too, before any later day's."""
    day = next_z_day(session, business_day_id, lock=True)
    still_open, drawers = open_checks(session), open_shifts(session)
    if still_open:
        raise DayNotFinished(_("%(count)s checks are still open: pay or close them first.",
                               count=len(still_open)), code="checks_open",
                             open_checks=still_open, open_shifts=drawers)
    if drawers:
        raise DayNotFinished(_("%(count)s drawers are still open: count and close them "
                               "first.", count=len(drawers)), code="drawers_open",
                             open_checks=still_open, open_shifts=drawers)
    printer = printer_for(session, printer_id)
    if day.is_open:
        close_business_day(session, actor)
        session.flush()
    number = (session.scalar(select(func.max(ZReport.number))) or 0) + 1
    totals = day_totals(session, day, kind="Z")
    totals["number"] = number
    report = ZReport(number=number, business_day_id=day.id, taken_by_id=actor.staff_id,
                     totals=totals, taken_at=utcnow())
    session.add(report)
    session.flush()
    from pos.reports.summaries import write_day_summary  # the reports' rows of the day

    write_day_summary(session, day)
    from pos.reports.daily import note_z_taken  # its PDF and e-mail, after the commit

    note_z_taken(session, number)
    record_audit(session, "report.z_taken", actor=actor, subject=f"z:{number}",
                 business_day=day.id, gross=totals["sales"]["gross"])
    job = print_report(session, printer, totals, language) if printer else None
    session.flush()
    return report, job


def read_z(session: Session, number: int) -> ZReport:
    report = session.scalar(select(ZReport).where(ZReport.number == number))
    if report is None:
        raise NotFound(_("There is no Z report %(number)s.", number=number), field="number")
    return report


def printer_for(session: Session, printer_id: int | None) -> Printer | None:
    if printer_id is None:
        return None
    printer = session.get(Printer, printer_id)
    if printer is None or not printer.active:
        raise NotFound(_("There is no such printer."), field="printer_id")
    return printer


def print_report(session: Session, printer: Printer, totals: dict[str, Any],
                 language: str | None = None) -> PrintJob:
    """The report on paper, through the print queue, in the printer's language."""
    language = language or printer.language or get_venue(session).locale.split("_")[0]
    subject = (f"z:{totals['number']}" if totals.get("kind") == "Z"
               else f"x:{totals.get('scope')}")
    return queue_print(session, printer.id, "document", paper_document(totals, language),
                       subject=subject)
