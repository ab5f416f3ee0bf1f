"""Sales reports over business days: a generated month of checks, each day closed with its
Z, and every breakdown's totals equal the sum of those Zs to the last ban; the checks
behind any figure add up to it; the previous period sits beside; bad ranges are refused
naming the field."""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from factories import make_check, make_item, make_staff, make_table, signed_in
from sqlalchemy import select

import pos.core.db
from pos.payments.models import ZReport
from pos.reports.models import ReportCheck
from pos.venue.models import Venue

SHOTS = Path("/tmp/shots/reports")
FIRST = date(2026, 3, 2)  # a Monday
DAYS = 28


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def moment(monkeypatch):
    """The server's clock, moved by the test."""
    now = [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(pos.core.db, "clock", lambda: now[0])
    return now


def pay_in_full(client, check_id, **fields):
    state = client.get(f"/api/v1/checks/{check_id}/bills").get_json()
    for bill in state["bills"]:
        if bill["due"]:
            answer = client.post(f"/api/v1/checks/{check_id}/payments", json={
                "client_id": new_id(), "bill": bill["number"],
                "tender": fields.get("tender", "cash"), "amount": bill["due"],
                **{k: v for k, v in fields.items() if k != "tender"}})
            assert answer.status_code == 201, answer.get_json()
            state = answer.get_json()
    assert state["check_status"] == "paid"
    return state


def day_of_service(db, day: int, waiters, cashier, manager, menu, tables):
    """Three to five checks: plain, comped, voided and discounted, refunded, on a tab."""
    waiter = waiters[day % len(waiters)]
    other = waiters[(day + 1) % len(waiters)]
    first = make_check(waiter, table=tables[day % 3], guests=2 + day % 3,
                       lines=[menu["steak"], menu["water"], menu["water"]])
    pay_in_full(cashier, first["id"], tip=(day % 4) * 1_00)

    second = make_check(other, table=tables[(day + 1) % 3], guests=4,
                        lines=[menu["steak"], menu["bread"], menu["wine"], menu["bread"]])
    version = second["version"]
    if day % 2 == 0:
        comped = manager.post(f"/api/v1/checks/{second['id']}/lines/"
                              f"{second['lines'][1]['id']}/comp",
                              json={"version": version, "reason": "birthday"})
        assert comped.status_code == 200, comped.get_json()
        version = comped.get_json()["version"]
    if day % 3 == 0:
        voided = manager.post(f"/api/v1/checks/{second['id']}/lines/"
                              f"{second['lines'][2]['id']}/void",
                              json={"version": version, "reason": "corked"})
        assert voided.status_code == 200, voided.get_json()
        version = voided.get_json()["version"]
    if day % 5 == 1:
        discounted = manager.post(f"/api/v1/checks/{second['id']}/discount",
                                  json={"version": version, "percent_bp": 1250,
                                        "reason": "regulars"})
        assert discounted.status_code == 200, discounted.get_json()
    paid = pay_in_full(cashier, second["id"], tender="voucher", reference="GIFT-2",
                       tip=3_33)
    if day % 7 == 3:
        refund = manager.post(f"/api/v1/payments/{paid['payments'][0]['id']}/refund",
                              json={"client_id": new_id(), "amount": 4_17,
                                    "reason": "slow service"})
        assert refund.status_code == 201, refund.get_json()
    if day % 4 == 2:
        tab = make_check(waiter, lines=[menu["wine"], menu["water"]], name="Bar")
        pay_in_full(cashier, tab["id"], tip=1_00)


@pytest.fixture
def month(app, db, moment):
    """28 business days (2 to 29 March 2026), each closed with its Z."""
    with db.transaction() as session:  # the clock jumps by hours: nobody is signed out
        session.get(Venue, 1).idle_signout_seconds = 10**8
    menu = {"steak": make_item(db, price=89_00, rate_bp=2100, name="Steak"),
            "wine": make_item(db, price=120_00, rate_bp=2100, name="Wine"),
            "water": make_item(db, price=9_50, rate_bp=1100, name="Water"),
            "bread": make_item(db, price=7_25, rate_bp=1100, name="Bread")}
    waiters = [signed_in(app, make_staff(db, "waiter")) for _ in range(2)]
    cashier = signed_in(app, make_staff(db, "cashier"))
    manager = signed_in(app, make_staff(db, "manager"))
    tables = [make_table(db, f"S{n}") for n in range(1, 4)]
    # the day the app opened (today, out of the month) is closed, empty
    assert manager.post("/api/v1/reports/z", json={"client_id": new_id()}).status_code == 201
    for day in range(DAYS):
        moment[0] = datetime.combine(FIRST + timedelta(days=day), datetime.min.time(),
                                     UTC) + timedelta(hours=9)
        if True:
            opened = manager.post("/api/v1/business-day/open", json={})
            assert opened.status_code == 201, opened.get_json()
        moment[0] += timedelta(hours=3)
        day_of_service(db, day, waiters, cashier, manager, menu, tables)
        moment[0] += timedelta(hours=10)
        z = manager.post("/api/v1/reports/z", json={"client_id": new_id()})
        assert z.status_code == 201, z.get_json()
    with db.reading() as session:
        zs = [z.totals for z in session.scalars(select(ZReport).order_by(ZReport.number))]
    assert len(zs) == DAYS + 1
    return {"zs": zs[1:], "manager": manager, "menu": menu}


def sales(client, first=FIRST, last=FIRST + timedelta(days=DAYS - 1), **query):
    answer = client.get("/api/v1/reports/sales", query_string={
        "first": first.isoformat(), "last": last.isoformat(), **query})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_a_month_of_zs_reconciles_with_every_report_its_drill_downs_and_the_live_reading(
        db, month):
    """One generated month (it takes a while to build) for all the month's checks."""
    every_breakdown_reconciles_with_the_zs_and_the_drill_downs(month)
    adjustments_name_who_gave_and_who_approved_them(month)
    exports_menu_engineering_and_labour_add_up_to_the_same(month)
    the_previous_period_and_live_days_read_as_their_zs_would(db, month)


def every_breakdown_reconciles_with_the_zs_and_the_drill_downs(month):
    zs, manager = month["zs"], month["manager"]
    gross = sum(z["sales"]["gross"] for z in zs)
    assert gross > 0
    by_day = sales(manager, by="day")
    totals = by_day["totals"]
    assert totals["gross"] == gross
    assert totals["net"] + totals["tax"] == gross
    assert totals["checks"] == sum(z["checks"]["count"] for z in zs)
    assert totals["covers"] == sum(z["checks"]["covers"] for z in zs)
    for part in ("discounts", "comps", "voids"):
        for figure in totals[part]:
            assert totals[part][figure] == sum(z[part][figure] for z in zs), (part, figure)
    assert totals["comps"]["count"] and totals["voids"]["count"] and totals["discounts"]["count"]
    assert totals["tips"] == sum(z["tips"]["total"] for z in zs)
    assert totals["refunds"] == {"count": sum(z["refunds"]["count"] for z in zs),
                                 "amount": sum(z["refunds"]["amount"] for z in zs)}
    # each day's row is that day's Z
    assert [(row["key"], row["gross"], row["checks"]) for row in by_day["rows"]] == [
        ((FIRST + timedelta(days=n)).isoformat(), z["sales"]["gross"], z["checks"]["count"])
        for n, z in enumerate(zs)]

    # every check breakdown adds up to the Zs' sales; items and categories to their lines
    for by in ("hour", "weekday", "server", "table", "floor"):
        report = sales(manager, by=by)
        assert sum(row["gross"] for row in report["rows"]) == gross, by
        assert sum(row["checks"] for row in report["rows"]) == totals["checks"], by
    z_categories = Counter()
    z_quantities = Counter()
    for z in zs:
        for category in z["categories"]:
            z_categories[category["category_id"]] += category["amount"]
            z_quantities[category["category_id"]] += category["quantity"]
    categories = sales(manager, by="category")["rows"]
    assert {int(r["key"]): r["amount"] for r in categories} == dict(z_categories)
    assert {int(r["key"]): r["quantity"] for r in categories} == dict(z_quantities)
    items = sales(manager, by="item", lang="en")["rows"]
    assert sum(r["amount"] for r in items) == sum(z_categories.values())
    assert {r["label"] for r in items} == {"Steak", "Wine", "Water", "Bread"}

    # servers: sales and tips as the Zs give them
    z_servers = defaultdict(lambda: [0, 0, 0])
    for z in zs:
        for server in z["servers"]:
            z_servers[server["staff_id"]][0] += server["sales"]
            z_servers[server["staff_id"]][1] += server["tips"]
            z_servers[server["staff_id"]][2] += server["checks"]
    servers = sales(manager, by="server")["rows"]
    assert {int(r["key"]): [r["gross"], r["tips"], r["checks"]] for r in servers} == {
        k: v for k, v in z_servers.items()}

    # tenders: count, amount, tips, refunds and net per tender
    z_tenders = defaultdict(Counter)
    for z in zs:
        for tender in z["tenders"]:
            z_tenders[tender["tender"]].update({k: tender[k] for k in (
                "count", "amount", "tips", "refunds", "total")})
    tenders = sales(manager, by="tender")["rows"]
    assert {r["key"]: {k: r[k] for k in ("count", "amount", "tips", "refunds", "total")}
            for r in tenders} == {k: dict(v) for k, v in z_tenders.items()}

    # the checks behind each cell add up to it
    for by, rows in (("server", servers), ("item", items), ("tender", tenders),
                     ("category", categories), ("day", by_day["rows"][:3])):
        value = "gross" if by in ("server", "day") else "amount"
        for row in rows:
            drill = manager.get("/api/v1/reports/sales/checks", query_string={
                "first": FIRST.isoformat(), "last": (FIRST + timedelta(days=DAYS - 1))
                .isoformat(), "by": by, "key": row["key"], "limit": 5000})
            assert drill.status_code == 200, drill.get_json()
            body = drill.get_json()
            assert body["total"] == row[value], (by, row["key"])
            assert sum(c["value"] for c in body["checks"]) == row[value]
            assert len(body["checks"]) == body["count"]


def the_previous_period_and_live_days_read_as_their_zs_would(db, month):
    manager = month["manager"]
    week = sales(manager, first=FIRST + timedelta(days=21), last=FIRST + timedelta(days=27),
                 by="weekday", compare=True)
    previous = week["previous"]
    assert (previous["first"], previous["last"]) == ("2026-03-16", "2026-03-22")
    assert previous["totals"]["gross"] == sum(z["sales"]["gross"] for z in month["zs"][14:21])
    assert week["totals"]["gross"] == sum(z["sales"]["gross"] for z in month["zs"][21:28])
    assert set(previous["rows"]) == {row["key"] for row in week["rows"]}

    # the summaries gone, the same days read live give the same report
    before = sales(manager, by="server")
    with db.transaction() as session:
        from pos.reports.models import ReportDay, ReportLine, ReportTender, ReportTip
        for model in (ReportLine, ReportCheck, ReportTender, ReportTip, ReportDay):
            session.query(model).delete()
    after = sales(manager, by="server")
    assert len(after["live_days"]) == DAYS
    del before["live_days"], after["live_days"]
    assert after == before


def adjustments_name_who_gave_and_who_approved_them(month):
    manager = month["manager"]
    answer = manager.get("/api/v1/reports/adjustments", query_string={
        "first": FIRST.isoformat(), "last": (FIRST + timedelta(days=6)).isoformat()})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    kinds = Counter(entry["kind"] for entry in body["entries"])
    assert kinds == {"comp": 4, "void": 3, "discount": 2, "refund": 1}
    assert all(entry["by"] and entry["check_id"] for entry in body["entries"])
    assert body["totals"]["comps"]["count"] == 4


@pytest.mark.parametrize(("query", "field"), [
    ({"first": "2026-03-10", "last": "2026-03-01"}, "last"),
    ({"first": "2020-01-01", "last": "2026-03-01"}, "last"),
    ({"first": "2026-13-01", "last": "2026-03-01"}, "first"),
    ({"last": "2026-03-01"}, "first"),
    ({"first": "2026-03-01", "last": "2026-03-02", "by": "colour"}, "by"),
])
def test_bad_ranges_are_refused_naming_the_field(app, db, query, field):
    manager = signed_in(app, make_staff(db, "manager"))
    answer = manager.get("/api/v1/reports/sales", query_string=query)
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["field"] == field


def test_a_drill_down_refuses_a_key_that_is_not_one_and_waiters_see_no_reports(app, db):
    manager = signed_in(app, make_staff(db, "manager"))
    answer = manager.get("/api/v1/reports/sales/checks", query_string={
        "first": "2026-03-01", "last": "2026-03-02", "by": "server", "key": "abc"})
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "key"
    waiter = signed_in(app, make_staff(db, "waiter"))
    assert waiter.get("/api/v1/reports/sales", query_string={
        "first": "2026-03-01", "last": "2026-03-02"}).status_code == 403


def exports_menu_engineering_and_labour_add_up_to_the_same(month):
    manager, zs = month["manager"], month["zs"]
    gross = sum(z["sales"]["gross"] for z in zs)
    month_range = {"first": FIRST.isoformat(),
                   "last": (FIRST + timedelta(days=DAYS - 1)).isoformat()}
    answer = manager.get("/api/v1/reports/export.csv", query_string={
        **month_range, "report": "sales", "by": "server", "lang": "en"})
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    sales_column = rows[0].index("Sales (RON)")
    assert sum(Decimal(row[sales_column]) for row in rows[1:]) == Decimal(gross).scaleb(-2)

    pdf = manager.get("/api/v1/reports/export.pdf", query_string={
        **month_range, "report": "sales", "by": "day", "compare": "true", "lang": "ro"})
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "sales-by-day.pdf").write_bytes(pdf.data)
    for report in ("adjustments", "kitchen", "labour", "menu"):
        answer = manager.get("/api/v1/reports/export.pdf", query_string={
            **month_range, "report": report, "lang": "en"})
        assert answer.status_code == 200 and answer.data.startswith(b"%PDF"), report
        (SHOTS / f"{report}.pdf").write_bytes(answer.data)
        answer = manager.get("/api/v1/reports/export.csv", query_string={
            **month_range, "report": report, "lang": "ro"})
        assert answer.status_code == 200, report

    menu = manager.get("/api/v1/reports/menu-engineering", query_string=month_range).get_json()
    assert menu["cost_data"] is False  # no recipe costs: the report says so
    assert {item["class"] for item in menu["items"]} <= {"star", "plowhorse", "puzzle", "dog"}
    assert sum(item["margin"] for item in menu["items"]) == menu["totals"]["margin"]
    steak = next(item for item in menu["items"] if item["label"] == "Steak")
    assert steak["class"] == "star"  # sold on every check, and dear
    labour = manager.get("/api/v1/reports/labour", query_string=month_range).get_json()
    assert labour["totals"]["gross"] == gross


def test_kitchen_times_give_the_average_and_p90_per_station_and_item_and_the_slowest(app, db):
    from kitchen.models import Ticket
    from pos.venue.models import BusinessDay

    waiter = signed_in(app, make_staff(db, "waiter"))
    manager = signed_in(app, make_staff(db, "manager"))
    soup = make_item(db, price=20_00, name="Soup")
    checks = [make_check(waiter, table=make_table(db), lines=[soup]) for _ in range(3)]
    made, waited = (100, 200, 1000), (30, 60, 90)
    with db.transaction() as session:
        day = session.scalar(select(BusinessDay).where(BusinessDay.is_open.is_(True)))
        fired = day.opened_at + timedelta(seconds=1)
        for check, seconds, wait in zip(checks, made, waited, strict=True):
            ticket = session.scalar(select(Ticket).where(Ticket.check_id == check["id"]))
            ticket.fired_at = fired
            ticket.bumped_at = fired + timedelta(seconds=seconds)
            ticket.served_at = ticket.bumped_at + timedelta(seconds=wait)
            for line in ticket.lines:
                line.done_at = ticket.bumped_at
        when = day.opened_at.astimezone(ZoneInfo(session.get(Venue, 1).timezone)).date()
    answer = manager.get("/api/v1/reports/kitchen", query_string={
        "first": when.isoformat(), "last": when.isoformat(), "lang": "en"})
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    station = next(s for s in report["stations"] if s["made"]["count"] == 3)
    assert station["made"] == {"count": 3, "average": 433, "p90": 1000}
    assert station["waited"] == {"count": 3, "average": 60, "p90": 90}
    item = next(i for i in report["items"] if i["label"] == "Soup")
    assert item["made"] == {"count": 3, "average": 433, "p90": 1000}
    assert report["slowest"][0]["check_id"] == checks[2]["id"]
    assert report["slowest"][0]["seconds"] == 1000


def test_labour_puts_each_paid_minute_in_its_hour_beside_that_hours_sales(app, db):
    from pos.staff.models import WorkBreak, WorkShift

    manager = signed_in(app, make_staff(db, "manager"))
    cook = make_staff(db, "kitchen")
    with db.transaction() as session:
        zone = ZoneInfo(session.get(Venue, 1).timezone)
        today = datetime.now(zone).date()
        at = lambda h, m: datetime.combine(today, datetime.min.time(), zone).replace(  # noqa: E731
            hour=h, minute=m)
        shift = WorkShift(staff_id=cook.id, clocked_in_at=at(10, 30), clocked_out_at=at(12, 15),
                          in_client_id=new_id(), out_client_id=new_id())
        session.add(shift)
        session.flush()
        session.add(WorkBreak(shift_id=shift.id, started_at=at(11, 0), ended_at=at(11, 15)))
    answer = manager.get("/api/v1/reports/labour", query_string={
        "first": today.isoformat(), "last": today.isoformat()})
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    minutes = {row["label"]: row["labour_minutes"] for row in report["rows"]}
    assert (minutes["10:00"], minutes["11:00"], minutes["12:00"]) == (30, 45, 15)
    assert {p["staff_id"]: p["paid_minutes"] for p in report["staff"]} == {cook.id: 90}
