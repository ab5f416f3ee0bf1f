"""A year of history for the reports (a benchmark: it prints figures).

Builds a year of trading (at least 300,000 paid checks and 1.5 million lines, with bills,
payments, tips and their shares, refunds, voids, comps, discounts with their audit
entries, kitchen tickets with fired, bumped and picked-up times, and time-clock shifts)
by bulk inserts, not through the API; takes each day's Z the real way (``take_z``, which
also writes the day's report summaries); then times each report over the last month and
over the whole year, on SQLite and on PostgreSQL (a scratch database, dropped after).

Targets (SQLite): a month under 1 s, the year under 5 s. The reports are called in
process (``pos.reports``), as the API handlers call them, without HTTP around them.

    python bench/reports.py [--checks-per-day 850] [--days 365] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import pos.models  # noqa: E402, F401
from kitchen.models import Station, StationRoute, Ticket, TicketLine  # noqa: E402
from pos.core.audit import AuditEntry  # noqa: E402
from pos.core.auth import Actor, Role  # noqa: E402
from pos.core.db import Database  # noqa: E402
from pos.core.migrate import create_schema  # noqa: E402
from pos.demo import create_demo  # noqa: E402
from pos.floor.models import DiningTable  # noqa: E402
from pos.menu.models import MenuItem  # noqa: E402
from pos.ordering.models import Check, LineStatus, OrderLine, Send  # noqa: E402
from pos.ordering.totals import check_totals  # noqa: E402
from pos.payments.models import Bill, Payment, Refund, TipShare  # noqa: E402
from pos.reports.operations import SoldLine, take_z  # noqa: E402
from pos.staff.models import StaffMember, WorkShift  # noqa: E402
from pos.venue.models import BusinessDay, TaxRate, Venue  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "bench-reports-secret-0123456789abcdef"


class Ids:
    """The next id of each table (rows are inserted with their ids, in bulk)."""

    def __init__(self, session) -> None:
        self.next = {model: (session.scalar(select(func.max(model.id))) or 0) + 1
                     for model in (Check, OrderLine, Bill, Payment, Send, Ticket, TicketLine,
                                   Refund, WorkShift)}

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


def reference(session):
    venue = session.get(Venue, 1)
    rates = dict(session.execute(select(TaxRate.id, TaxRate.rate_bp)).all())
    items = [SimpleNamespace(id=i.id, names=i.names, price=i.price, category_id=i.category_id,
                             rate_bp=rates.get(i.tax_rate_id, 2100))
             for i in session.scalars(select(MenuItem)) if i.price]
    routes = session.execute(select(StationRoute.station_id, StationRoute.item_id,
                                    StationRoute.category_id)).all()
    by_item = {r.item_id: r.station_id for r in routes if r.item_id}
    by_category = {r.category_id: r.station_id for r in routes if r.category_id}
    stations = [s.id for s in session.scalars(select(Station).where(Station.is_expo.is_(False)))]
    for item in items:
        item.station_id = by_item.get(item.id) or by_category.get(item.category_id) or (
            stations[item.id % len(stations)] if item.id % 3 else None)
    staff = session.execute(select(StaffMember.id, StaffMember.role)).all()
    waiters = [s.id for s in staff if s.role.value in ("waiter", "bartender")] or \
        [s.id for s in staff]
    managers = [s.id for s in staff if s.role.value in ("manager", "admin")]
    tables = session.execute(select(DiningTable.id)).scalars().all()
    return SimpleNamespace(venue=venue, zone=ZoneInfo(venue.timezone), items=items,
                           weights=[1 + (n * 7919) % 13 for n in range(len(items))],
                           waiters=waiters, managers=managers, tables=tables,
                           staff=[s.id for s in staff], tax_mode=venue.tax_mode)


def generate_day(session, ids: Ids, ref, when: date, checks_per_day: int, rng: random.Random
                 ) -> None:
    """One business day's trading, closed (no Z yet): inserted in bulk."""
    zone = ref.zone
    opened = datetime.combine(when, clock_time(9), zone).astimezone(UTC)
    closed = datetime.combine(when + timedelta(days=1), clock_time(1), zone).astimezone(UTC)
    day_id = session.execute(insert(BusinessDay).values(
        opened_at=opened, closed_at=closed, is_open=None)).inserted_primary_key[0]
    weekend = when.weekday() >= 4
    count = int(checks_per_day * (1.25 if weekend else 0.9))
    rows = {model: [] for model in (Check, OrderLine, Bill, Payment, TipShare, Refund, Send,
                                    Ticket, TicketLine, AuditEntry)}
    for _ in range(count):
        check_id = ids.take(Check)
        start = opened + timedelta(hours=2, seconds=rng.randrange(0, 11 * 3600))
        end = start + timedelta(seconds=rng.randrange(20 * 60, 150 * 60))
        server = rng.choice(ref.waiters)
        on_table = rng.random() < 0.85
        discount = 1000 if rng.random() < 0.03 else None
        rows[Check].append({
            "id": check_id, "kind": "table" if on_table else "bar_tab",
            "table_id": rng.choice(ref.tables) if on_table else None,
            "name": None if on_table else "Bar", "guest_count": rng.randint(1, 6),
            "server_id": server, "status": "paid", "opened_at": start, "closed_at": end,
            "first_sent_at": start + timedelta(minutes=3), "discount_bp": discount,
            "discount_reason": "regulars" if discount else None})
        send_id = ids.take(Send)
        fired = start + timedelta(minutes=3)
        rows[Send].append({"id": send_id, "check_id": check_id, "client_id": f"s{send_id}",
                           "sent_at": fired, "sent_by_id": server})
        sold, tickets = [], {}
        for _line in range(rng.choice((2, 3, 4, 4, 5, 5, 6, 6, 7, 8))):
            item = rng.choices(ref.items, ref.weights)[0]
            line_id = ids.take(OrderLine)
            void = rng.random() < 0.02
            comped = not void and rng.random() < 0.01
            quantity = 1 if rng.random() < 0.85 else 2
            rows[OrderLine].append({
                "id": line_id, "check_id": check_id, "item_id": item.id, "names": item.names,
                "quantity": quantity, "unit_price": item.price, "tax_rate_bp": item.rate_bp,
                "status": "void" if void else "sent", "added_by_id": server, "added_at": start,
                "send_id": send_id, "fired_at": fired, "comped": comped,
                "comp_reason": "birthday" if comped else None,
                "void_reason": "changed mind" if void else None,
                "voided_by_id": server if void else None, "modifiers": [], "allergens": []})
            sold.append(SoldLine(line_id, check_id, item.category_id, quantity, item.price, 0,
                                 item.rate_bp, LineStatus.VOID if void else LineStatus.SENT,
                                 comped, None, None))
            if void or comped:
                rows[AuditEntry].append({
                    "at": end, "action": "line.voided" if void else "line.comped",
                    "staff_id": server, "approved_by_id": rng.choice(ref.managers),
                    "subject": f"check:{check_id}/line:{line_id}",
                    "details": {"reason": "changed mind" if void else "birthday",
                                "amount": item.price * quantity}})
            if item.station_id and not void:
                ticket = tickets.get(item.station_id)
                if ticket is None:
                    ticket_id = ids.take(Ticket)
                    bumped = fired + timedelta(seconds=rng.randrange(240, 1500))
                    ticket = tickets[item.station_id] = {
                        "id": ticket_id, "check_id": check_id, "send_id": send_id,
                        "station_id": item.station_id, "status": "bumped", "created_at": fired,
                        "fired_at": fired, "bumped_at": bumped,
                        "served_at": bumped + timedelta(seconds=rng.randrange(20, 420))}
                    rows[Ticket].append(ticket)
                rows[TicketLine].append({"id": ids.take(TicketLine), "ticket_id": ticket["id"],
                                         "line_id": line_id, "done_at": ticket["bumped_at"]})
        if discount:
            rows[AuditEntry].append({
                "at": end, "action": "discount.applied", "staff_id": server,
                "approved_by_id": rng.choice(ref.managers), "subject": f"check:{check_id}",
                "details": {"reason": "regulars", "percent_bp": discount}})
        totals = check_totals(SimpleNamespace(discount_bp=discount, discount_amount=None),
                              ref.tax_mode, sold)
        bill_id = ids.take(Bill)
        rows[Bill].append({"id": bill_id, "check_id": check_id, "number": 1, "kind": "whole",
                           "status": "paid", "total": totals.total,
                           "tax": [{"rate_bp": t.rate_bp, "net": t.net, "tax": t.tax}
                                   for t in totals.tax.lines],
                           "paid_at": end, "created_at": end})
        payment_id = ids.take(Payment)
        tender = rng.choices(("cash", "card", "voucher"), (40, 55, 5))[0]
        tip = rng.choice((0, 0, 0, 5_00, 10_00, totals.total // 10))
        rows[Payment].append({
            "id": payment_id, "client_id": f"p{payment_id}", "check_id": check_id,
            "bill_id": bill_id, "business_day_id": day_id, "tender": tender,
            "status": "approved", "amount": totals.total, "tip": tip, "server_id": server,
            "taken_by_id": server, "created_at": end, "decided_at": end})
        if tip:
            rows[TipShare].append({"payment_id": payment_id, "staff_id": server, "amount": tip})
        if rng.random() < 0.002 and totals.total:
            refund_id = ids.take(Refund)
            rows[Refund].append({
                "id": refund_id, "client_id": f"r{refund_id}", "payment_id": payment_id,
                "business_day_id": day_id, "amount": min(totals.total, 10_00),
                "reason": "slow service", "by_id": server,
                "approved_by_id": rng.choice(ref.managers), "created_at": end})
            rows[AuditEntry].append({
                "at": end, "action": "payment.refunded", "staff_id": server,
                "approved_by_id": rng.choice(ref.managers), "subject": f"check:{check_id}",
                "details": {"refund": refund_id, "amount": min(totals.total, 10_00),
                            "reason": "slow service", "tender": tender}})
    for model in (Check, Send, OrderLine, Bill, Payment, TipShare, Refund, Ticket, TicketLine,
                  AuditEntry):
        batch = rows[model]
        for begin in range(0, len(batch), 20_000):
            session.execute(insert(model), batch[begin:begin + 20_000])
    shifts = []
    for person in ref.staff:
        if rng.random() < 0.7:
            shift_id = ids.take(WorkShift)
            began = opened + timedelta(hours=rng.choice((1, 2, 3, 7)))
            shifts.append({"id": shift_id, "staff_id": person, "clocked_in_at": began,
                           "clocked_out_at": began + timedelta(hours=rng.choice((6, 8, 9))),
                           "in_client_id": f"w{shift_id}", "out_client_id": f"o{shift_id}"})
    if shifts:
        session.execute(insert(WorkShift), shifts)


def build_history(db: Database, days: int, checks_per_day: int) -> tuple[date, date, dict]:
    """The year before the demo's open day, each day closed with its Z."""
    rng = random.Random(20261201)
    figures = {}
    with db.transaction() as session:
        ref = reference(session)
        today = session.scalar(select(BusinessDay.opened_at).where(
            BusinessDay.is_open.is_(True))).astimezone(ref.zone).date()
        # the demo's open day moves after the history
        ids = Ids(session)
    first = today - timedelta(days=days)
    began = time.perf_counter()
    open_day = None
    with db.transaction() as session:
        open_day = session.scalar(select(BusinessDay).where(BusinessDay.is_open.is_(True)))
        open_day.is_open = None  # set aside while the history is written
        open_day.closed_at = open_day.opened_at
        session.flush()
    for n in range(days):
        with db.transaction() as session:
            generate_day(session, ids, ref, first + timedelta(days=n), checks_per_day, rng)
        if n % 60 == 59:
            print(f"    {n + 1} days generated ({time.perf_counter() - began:.0f} s)",
                  flush=True)
    figures["generate"] = time.perf_counter() - began
    manager = Actor(role=Role.MANAGER, name="bench", staff_id=ref.managers[0])
    began = time.perf_counter()
    with db.transaction() as session:  # the demo's day is old: its Z is taken first
        session.execute(text("UPDATE business_days SET opened_at = :at, closed_at = :at "
                             "WHERE id = :id"), {"at": datetime.combine(
                                 first - timedelta(days=1), clock_time(9), ref.zone
                             ).astimezone(UTC), "id": open_day.id})
        take_z(session, manager, business_day_id=open_day.id)
    z_times = []
    for _ in range(days):
        with db.transaction() as session:
            started = time.perf_counter()
            take_z(session, manager)
            z_times.append(time.perf_counter() - started)
    figures["zs"] = time.perf_counter() - began
    figures["z_each"] = sorted(z_times)[len(z_times) // 2]
    with db.reading() as session:
        figures["checks"] = session.scalar(select(func.count()).select_from(Check))
        figures["lines"] = session.scalar(select(func.count()).select_from(OrderLine))
        figures["tickets"] = session.scalar(select(func.count()).select_from(Ticket))
        figures["payments"] = session.scalar(select(func.count()).select_from(Payment))
    return first, today - timedelta(days=1), figures


def timed_reports(app, db: Database, first: date, last: date) -> list[tuple[str, float]]:
    from pos.reports import analysis, sales

    results = []
    with app.test_request_context(), db.reading() as session:
        server = session.scalar(select(Check.server_id).limit(1))
        for by in sales.DIMENSIONS:
            began = time.perf_counter()
            report = sales.sales_report(session, first, last, by, compare=True)
            results.append((f"sales by {by} (+ previous period)", time.perf_counter() - began))
            assert report["totals"]["checks"]
        began = time.perf_counter()
        sales.drill_down(session, first, last, "server", str(server))
        results.append(("drill-down: one server's checks", time.perf_counter() - began))
        began = time.perf_counter()
        sales.adjustments(session, first, last)
        results.append(("discounts, comps, voids, refunds", time.perf_counter() - began))
        for name, report in (("kitchen times", analysis.kitchen_report),
                             ("labour against sales", analysis.labour_report),
                             ("menu engineering", analysis.menu_engineering)):
            if report is None:
                continue
            began = time.perf_counter()
            report(session, first, last)
            results.append((name, time.perf_counter() - began))
    return results


def run(kind: str, url: str, args) -> None:
    from app import create_app

    print(f"\n== {kind} ==", flush=True)
    db = Database(url)
    create_schema(db)
    create_demo(db, SECRET)
    first, last, figures = build_history(db, args.days, args.checks_per_day)
    print(f"  history: {figures['checks']:,} checks, {figures['lines']:,} lines, "
          f"{figures['payments']:,} payments, {figures['tickets']:,} kitchen tickets; "
          f"generated in {figures['generate']:.0f} s; {args.days} Zs (with their summaries) "
          f"in {figures['zs']:.0f} s, {figures['z_each']:.2f} s each (median)")
    db.dispose()
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"MASA_DATABASE_URL": url, "MASA_SECRET_KEY": SECRET,
                          "MASA_DEMO": False, "INSTANCE_PATH": instance,
                          "MASA_PRINT_WORKER": False, "MASA_SESSION_SWEEPER": False})
        db = app.extensions["masa_db"] if "masa_db" in app.extensions else Database(url)
        month = timed_reports(app, db, last - timedelta(days=29), last)
        year = timed_reports(app, db, first, last)
    print(f"  {'report':44} {'month':>9} {'year':>9}")
    for (name, m), (_name, y) in zip(month, year, strict=True):
        print(f"  {name:44} {m * 1000:7.0f} ms {y * 1000:7.0f} ms")
    print(f"  {'slowest':44} {max(t for _n, t in month) * 1000:7.0f} ms "
          f"{max(t for _n, t in year) * 1000:7.0f} ms   (targets, SQLite: 1000 ms, 5000 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--checks-per-day", type=int, default=850)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a kill still drops the scratch
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            run("SQLite", f"sqlite:///{folder}/bench.sqlite", args)
    if args.only != "sqlite":
        base = make_url(os.environ.get("MASA_BENCH_PG_URL", PG_URL))
        name = f"masa_bench_reports_{os.getpid()}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run("PostgreSQL", base.set(database=name).render_as_string(hide_password=False),
                args)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
