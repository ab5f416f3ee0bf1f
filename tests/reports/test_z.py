"""X and Z reports: an X at any time; a Z that refuses while checks or drawers are open
(naming them), closes the day once, is numbered and final, and whose totals reconcile with
the payments, refunds and paid bills behind them, on paper and as a PDF."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from factories import make_check, make_item, make_staff, make_table, signed_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "kitchen"))
from printer_fakes import FakeNetworkPrinter, add_printer  # noqa: E402

from pos.devices.models import PrintJob  # noqa: E402
from pos.devices.print_worker import drain  # noqa: E402
from pos.payments.models import ZReport  # noqa: E402
from pos.venue.models import BusinessDay  # noqa: E402

SHOTS = Path("/tmp/shots/reports")


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def menu(db):
    return {"steak": make_item(db, price=89_00, rate_bp=2100, name="Steak"),
            "wine": make_item(db, price=120_00, rate_bp=2100, name="Wine"),
            "water": make_item(db, price=9_50, rate_bp=1100, name="Water"),
            "bread": make_item(db, price=7_25, rate_bp=1100, name="Bread")}


@pytest.fixture
def waiter_person(db):
    return make_staff(db, "waiter")


@pytest.fixture
def waiter(app, waiter_person):
    return signed_in(app, waiter_person)


@pytest.fixture
def cashier(app, db):
    return signed_in(app, make_staff(db, "cashier"))


@pytest.fixture
def manager(app, db):
    return signed_in(app, make_staff(db, "manager"))


def pay(client, check_id, bill, amount, **fields):
    answer = client.post(f"/api/v1/checks/{check_id}/payments", json={
        "client_id": new_id(), "bill": bill, "tender": fields.pop("tender", "cash"),
        "amount": amount, **fields})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def pay_in_full(client, check_id, **fields):
    state = client.get(f"/api/v1/checks/{check_id}/bills").get_json()
    for bill in state["bills"]:
        if bill["due"]:
            state = pay(client, check_id, bill["number"], bill["due"], **fields)
    assert state["check_status"] == "paid"
    return state


def take_z(client, **body):
    return client.post("/api/v1/reports/z", json={"client_id": new_id(), **body})


def open_day(client):
    answer = client.post("/api/v1/business-day/open", json={})
    assert answer.status_code == 201, answer.get_json()


def test_a_z_is_refused_while_a_check_is_open_names_it_then_closes_the_day_once(
        db, waiter, cashier, manager, menu):
    table = make_table(db, "Z1")
    check = make_check(waiter, table=table, lines=[menu["steak"]], guests=2)

    refused = take_z(manager)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "checks_open" and error["field"] == "business_day"
    assert [(c["check_id"], c["table"]) for c in error["open_checks"]] == [(check["id"], "Z1")]
    with db.reading() as session:
        assert session.scalars(select(ZReport)).all() == []
        assert session.scalar(select(BusinessDay).where(BusinessDay.is_open.is_(True)))

    pay_in_full(cashier, check["id"])
    taken = take_z(manager)
    assert taken.status_code == 201, taken.get_json()
    z = taken.get_json()
    with db.reading() as session:
        assert session.scalar(select(BusinessDay).where(BusinessDay.is_open.is_(True))) is None
        assert session.get(BusinessDay, z["business_day_id"]).closed_at is not None
    assert z["totals"]["sales"]["gross"] == 89_00
    assert z["totals"]["checks"] == {"count": 1, "covers": 2, "average_check": 89_00,
                                     "average_cover": 44_50}

    twice = take_z(manager)
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "z_taken"
    assert manager.get(f"/api/v1/reports/z/{z['number']}").get_json()["totals"] == z["totals"]

    open_day(manager)  # the next day gets the next number
    next_z = take_z(manager)
    assert next_z.status_code == 201 and next_z.get_json()["number"] == z["number"] + 1
    assert next_z.get_json()["totals"]["sales"]["gross"] == 0


def test_a_retried_z_answers_with_the_same_z(manager):
    body = {"client_id": new_id()}
    first = manager.post("/api/v1/reports/z", json=body)
    again = manager.post("/api/v1/reports/z", json=body)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()


def test_a_day_closed_without_a_z_gets_its_z_afterwards(db, waiter, cashier, manager, menu):
    check = make_check(waiter, table=make_table(db), lines=[menu["water"]])
    pay_in_full(cashier, check["id"])
    assert manager.post("/api/v1/business-day/close", json={}).status_code == 200
    late = take_z(manager)
    assert late.status_code == 201, late.get_json()
    assert late.get_json()["totals"]["sales"]["gross"] == 9_50
    assert take_z(manager).get_json()["error"]["code"] == "z_taken"


def test_zs_go_in_the_order_of_their_days_so_no_closed_day_goes_without_its_z(
        db, waiter, cashier, manager, menu):
    """Monday is closed only to stop ordering and Tuesday opens: Monday's Z is still owed
    and comes first, whatever is asked; then Tuesday's."""
    monday = make_check(waiter, table=make_table(db), lines=[menu["water"]])
    pay_in_full(cashier, monday["id"])
    assert manager.post("/api/v1/business-day/close", json={}).status_code == 200
    assert manager.post("/api/v1/business-day/open", json={}).status_code == 201
    tuesday = make_check(waiter, table=make_table(db), lines=[menu["bread"]])
    pay_in_full(cashier, tuesday["id"])
    with db.reading() as session:
        monday_id, tuesday_id = session.scalars(select(BusinessDay.id).order_by(
            BusinessDay.id)).all()[-2:]

    owed = manager.get("/api/v1/reports/z/next").get_json()
    assert (owed["business_day_id"], owed["days_owed"]) == (monday_id, 1)
    assert owed["closed_at"] is not None
    early = take_z(manager, business_day_id=tuesday_id)
    assert early.status_code == 409
    assert (early.get_json()["error"]["code"], early.get_json()["error"]["field"]) == (
        "earlier_z_owed", "business_day_id")
    missing = take_z(manager, business_day_id=999_999)
    assert missing.status_code == 404
    assert missing.get_json()["error"]["field"] == "business_day_id"

    first = take_z(manager)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["business_day_id"] == monday_id
    assert first.get_json()["totals"]["sales"]["gross"] == 9_50
    following = manager.get("/api/v1/reports/z/next").get_json()
    assert (following["business_day_id"], following["days_owed"], following["closed_at"]) == (
        tuesday_id, 0, None)
    again = take_z(manager, business_day_id=monday_id)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "z_taken"
    second = take_z(manager, business_day_id=tuesday_id)
    assert second.status_code == 201, second.get_json()
    assert second.get_json()["number"] == first.get_json()["number"] + 1
    assert second.get_json()["totals"]["sales"]["gross"] == 7_25
    assert manager.get("/api/v1/reports/z/next").get_json()["error"]["code"] == "z_taken"
    assert cashier.get("/api/v1/reports/z/next").status_code == 403


def test_a_z_is_refused_while_a_drawer_is_open(cashier, manager):
    shift = cashier.post("/api/v1/shifts", json={"opening_float": 100_00}).get_json()
    refused = take_z(manager)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "drawers_open"
    assert [s["shift_id"] for s in error["open_shifts"]] == [shift["id"]]
    cashier.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted": {"10000": 1}})
    assert take_z(manager).status_code == 201


def test_only_a_manager_takes_the_z(cashier, waiter):
    assert take_z(cashier).status_code == 403
    assert take_z(waiter).status_code == 403


def test_a_taken_z_cannot_be_changed(db, manager):
    assert take_z(manager).status_code == 201
    with pytest.raises(PermissionError), db.transaction() as session:
        report = session.scalars(select(ZReport)).one()
        report.totals = {"sales": {"gross": 1}}
    with pytest.raises(PermissionError), db.transaction() as session:
        session.delete(session.scalars(select(ZReport)).one())


def test_z_totals_reconcile_with_the_payments_refunds_and_bills_behind_them(
        app, db, waiter, waiter_person, cashier, manager, menu):
    four_top = make_check(waiter, table=make_table(db), guests=4, lines=[
        {"item_id": menu["steak"].id, "seat": s} for s in (1, 2, 3, 4)] + [
        {"item_id": menu["water"].id, "seat": s} for s in (1, 2)] + [
        {"item_id": menu["wine"].id, "seat": 0}])
    split = cashier.post(f"/api/v1/checks/{four_top['id']}/split", json={"how": "seat"})
    assert split.status_code == 200, split.get_json()
    shift = cashier.post("/api/v1/shifts", json={"opening_float": 200_00}).get_json()
    for bill in split.get_json()["bills"]:
        if bill["number"] % 2:
            pay(cashier, four_top["id"], bill["number"], bill["due"], tip=5_00,
                tendered=bill["due"] + 5_00 + 3_33)  # change given
        else:
            pay(cashier, four_top["id"], bill["number"], bill["due"], tender="voucher",
                reference="GIFT-9", tip=2_00)

    two_top = make_check(waiter, table=make_table(db), guests=2,
                         lines=[menu["steak"], menu["bread"], menu["bread"], menu["wine"]])
    lines = two_top["lines"]
    version = two_top["version"]
    comped = manager.post(f"/api/v1/checks/{two_top['id']}/lines/{lines[1]['id']}/comp",
                          json={"version": version, "reason": "birthday"})
    assert comped.status_code == 200, comped.get_json()
    version = comped.get_json()["version"]
    voided = manager.post(f"/api/v1/checks/{two_top['id']}/lines/{lines[3]['id']}/void",
                          json={"version": version, "reason": "corked"})
    assert voided.status_code == 200, voided.get_json()
    version = voided.get_json()["version"]
    discounted = manager.post(f"/api/v1/checks/{two_top['id']}/discount",
                              json={"version": version, "percent_bp": 1000,
                                    "reason": "regulars"})
    assert discounted.status_code == 200, discounted.get_json()
    paid = pay_in_full(cashier, two_top["id"], tip=4_00)
    refund = manager.post(f"/api/v1/payments/{paid['payments'][0]['id']}/refund", json={
        "client_id": new_id(), "amount": 6_00, "reason": "slow service"})
    assert refund.status_code == 201, refund.get_json()

    count = {"10000": 2, "5000": 1}
    closed = cashier.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted": count})
    assert closed.status_code == 200, closed.get_json()

    x = manager.get("/api/v1/reports/x").get_json()
    z = take_z(manager).get_json()["totals"]
    assert {k: v for k, v in x.items() if k not in ("kind", "printed_at", "open_checks",
                                                    "business_day")} == {
        k: v for k, v in z.items() if k not in ("kind", "printed_at", "number",
                                                "business_day")}

    bills = [b for c in (four_top, two_top) for b in
             cashier.get(f"/api/v1/checks/{c['id']}/bills").get_json()["bills"]]
    payments = [p for c in (four_top, two_top) for p in
                cashier.get(f"/api/v1/checks/{c['id']}/bills").get_json()["payments"]]
    by_rate: dict[int, list[int]] = {}
    for bill in bills:
        for tax in bill["tax"]:
            by_rate.setdefault(tax["rate_bp"], [0, 0])
            by_rate[tax["rate_bp"]][0] += tax["net"]
            by_rate[tax["rate_bp"]][1] += tax["tax"]
    assert {r["rate_bp"]: [r["net"], r["tax"]] for r in z["sales"]["by_rate"]} == by_rate
    assert z["sales"]["gross"] == sum(b["total"] for b in bills) == sum(
        p["amount"] for p in payments)
    tenders = {t["tender"]: t for t in z["tenders"]}
    for tender in ("cash", "voucher"):
        mine = [p for p in payments if p["tender"] == tender]
        assert tenders[tender]["amount"] == sum(p["amount"] for p in mine)
        assert tenders[tender]["tips"] == sum(p["tip"] for p in mine)
        assert tenders[tender]["total"] == sum(p["amount"] + p["tip"] - p["refunded"]
                                               for p in mine)
    assert z["refunds"]["amount"] == 6_00
    assert z["tips"]["total"] == sum(p["tip"] for p in payments) == 2 * 5_00 + 2 * 2_00 + 4_00
    assert sum(c["amount"] for c in z["categories"]) == z["sales"]["gross"]  # tax inclusive
    # each dish is in a category of its own: steak, wine (the voided bottle left out),
    # water, bread (the comped one counted, at nothing)
    assert [c["quantity"] for c in z["categories"]] == [5, 1, 2, 2]
    assert z["comps"] == {"count": 1, "amount": 7_25}
    assert z["voids"] == {"count": 1, "quantity": 1, "amount": 120_00}
    assert z["discounts"] == {"count": 1, "amount": 9_63}  # 10 % of 89.00 + 7.25
    [server] = z["servers"]
    assert (server["staff_id"], server["checks"], server["covers"], server["sales"],
            server["tips"]) == (waiter_person.id, 2, 6, z["sales"]["gross"], z["tips"]["total"])
    assert z["checks"]["count"] == 2 and z["checks"]["covers"] == 6
    assert z["checks"]["average_check"] == (z["sales"]["gross"] + 1) // 2
    assert z["cash"]["over_short"] == closed.get_json()["over_short"]
    assert z["payments"]["not_on_paid_bills"] == 0


def test_an_x_during_service_lists_open_checks_and_one_drawers_takings(
        db, waiter, cashier, manager, menu):
    shift = cashier.post("/api/v1/shifts", json={"opening_float": 50_00}).get_json()
    paid = make_check(waiter, table=make_table(db), lines=[menu["steak"]])
    pay_in_full(cashier, paid["id"], tip=1_00)
    still = make_check(waiter, table=make_table(db, "X9"), lines=[menu["water"]])

    x = manager.get("/api/v1/reports/x").get_json()
    assert x["kind"] == "X" and x["sales"]["gross"] == 89_00
    assert [(c["check_id"], c["table"]) for c in x["open_checks"]] == [(still["id"], "X9")]
    drawer = manager.get(f"/api/v1/reports/x?shift_id={shift['id']}").get_json()
    assert drawer["scope"] == "shift" and drawer["shift"]["id"] == shift["id"]
    assert cashier.get("/api/v1/reports/x").status_code == 403  # cashiers read their drawer
    with db.reading() as session:
        assert session.scalars(select(ZReport)).all() == []
        assert session.scalar(select(BusinessDay).where(BusinessDay.is_open.is_(True)))


def test_a_z_prints_through_the_print_queue_and_as_a_pdf_page(
        app, db, waiter, cashier, manager, menu):
    till = FakeNetworkPrinter("Office").start()
    try:
        printer_id = add_printer(db, "Office", "network", till.address)
        shift = cashier.post("/api/v1/shifts", json={"opening_float": 100_00}).get_json()
        check = make_check(waiter, table=make_table(db), lines=[menu["steak"], menu["water"]],
                           guests=2)
        pay_in_full(cashier, check["id"], tip=10_00, tendered=120_00)
        other = signed_in(app, make_staff(db, "waiter", name="Ioana Munteanu"))
        tab = make_check(other, lines=[menu["wine"], menu["bread"]], guests=3, name="Bar")
        pay_in_full(cashier, tab["id"], tender="voucher", reference="GIFT-3", tip=5_00)
        cashier.post(f"/api/v1/shifts/{shift['id']}/close",
                     json={"counted": {"10000": 2, "100": 8, "50": 1}})  # 208.50: exact
        taken = take_z(manager, printer_id=printer_id, language="ro")
        assert taken.status_code == 201, taken.get_json()
        z = taken.get_json()
        with db.reading() as session:
            job = session.get(PrintJob, z["print_job_id"])
            assert (job.kind, job.subject) == ("document", f"z:{z['number']}")
        assert drain(db) == 1
        [paper] = till.tickets
        assert b"RAPORT Z" in paper and b"DOCUMENT NEFISCAL" in paper
        assert b"98,50" in paper  # 89.00 + 9.50, in the printer's language
    finally:
        till.stop()

    for language in ("ro", "en"):
        pdf = manager.get(f"{z['pdf_url']}?lang={language}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf.data.startswith(b"%PDF")
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"z-{language}.pdf"
        path.write_bytes(pdf.data)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(path),
                        str(SHOTS / f"z-{language}")], check=True)
    assert cashier.get(z["pdf_url"]).status_code == 403


def test_an_x_of_a_drawer_prints_on_the_till(app, db, waiter, cashier, manager, menu):
    till = FakeNetworkPrinter("Till").start()
    try:
        printer_id = add_printer(db, "Till", "network", till.address, language="en")
        shift = cashier.post("/api/v1/shifts", json={"opening_float": 100_00}).get_json()
        check = make_check(waiter, table=make_table(db), lines=[menu["steak"]])
        pay_in_full(cashier, check["id"], tendered=100_00)
        printed = manager.post("/api/v1/reports/x/print", json={"printer_id": printer_id,
                                                                "shift_id": shift["id"]})
        assert printed.status_code == 201, printed.get_json()
        assert drain(db) == 1
        [paper] = till.tickets
        assert b"X REPORT - SHIFT" in paper and b"Opening float" in paper
    finally:
        till.stop()


# --- the property: whatever was split and paid, the Z reconciles ----------------------------

TENDERS = ("cash", "voucher")
line_strategy = st.tuples(st.sampled_from(("steak", "wine", "water", "bread")),
                          st.integers(0, 3))  # (item, seat; 0 = the table's)
check_strategy = st.fixed_dictionaries({
    "lines": st.lists(line_strategy, min_size=1, max_size=5),
    "split": st.one_of(st.just(("none", 0)), st.tuples(st.just("even"), st.integers(2, 4)),
                       st.just(("seat", 0)), st.tuples(st.just("amount"),
                                                        st.integers(1, 10_000))),
    "tenders": st.lists(st.sampled_from(TENDERS), min_size=1, max_size=2),
    "part": st.integers(1, 99),  # percent of a bill paid by the first tender
    "tip": st.integers(0, 20_00),
    "extra": st.integers(0, 50_00),  # cash handed over beyond amount + tip
    "refund": st.one_of(st.none(), st.integers(1, 100)),  # percent of one payment
})


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(checks=st.lists(check_strategy, min_size=1, max_size=3))
def test_payments_plus_refunds_reconcile_with_the_z_per_tender_and_per_tax_rate(
        db, waiter, cashier, manager, menu, checks):
    if manager.post("/api/v1/business-day/open", json={}).status_code not in (201, 409):
        raise AssertionError("the day did not open")
    made = []
    for plan in checks:
        check = make_check(waiter, table=make_table(db), guests=len(plan["lines"]), lines=[
            {"item_id": menu[item].id, "seat": seat} for item, seat in plan["lines"]])
        how, parts = plan["split"]
        url = f"/api/v1/checks/{check['id']}/split"
        if how == "even":
            cashier.post(url, json={"how": "even", "parts": parts})
        elif how == "seat":
            cashier.post(url, json={"how": "seat"})  # refused when no line has a seat
        elif how == "amount" and parts < check["totals"]["total"]:
            assert cashier.post(url, json={"how": "amount", "amounts": [parts]}
                                ).status_code == 200
        state = cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json()
        while state["due"]:
            bill = next(b for b in state["bills"] if b["due"])
            first = plan["tenders"][0]
            split_at = bill["due"] * plan["part"] // 100 if len(plan["tenders"]) > 1 else 0
            for tender, amount in ((first, split_at), (plan["tenders"][-1],
                                                       bill["due"] - split_at)):
                if amount <= 0:
                    continue
                extra = {"reference": "V-1"} if tender == "voucher" else {
                    "tendered": amount + plan["tip"] + plan["extra"]}
                state = pay(cashier, check["id"], bill["number"], amount, tender=tender,
                            tip=plan["tip"], **extra)
        assert state["check_status"] == "paid"
        if plan["refund"]:
            payment = state["payments"][0]
            amount = max(1, (payment["amount"] + payment["tip"]) * plan["refund"] // 100)
            refund = manager.post(f"/api/v1/payments/{payment['id']}/refund", json={
                "client_id": new_id(), "amount": amount, "reason": "test"})
            assert refund.status_code == 201, refund.get_json()
        made.append(cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json())

    taken = take_z(manager)
    assert taken.status_code == 201, taken.get_json()
    z = taken.get_json()["totals"]

    payments = [p for state in made for p in state["payments"]]
    for tender in TENDERS:
        mine = [p for p in payments if p["tender"] == tender]
        row = next((t for t in z["tenders"] if t["tender"] == tender), None)
        if not mine:
            assert row is None
            continue
        assert (row["count"], row["amount"], row["tips"]) == (
            len(mine), sum(p["amount"] for p in mine), sum(p["tip"] for p in mine))
        assert row["refunds"] == sum(p["refunded"] for p in mine)
        assert row["total"] == sum(p["amount"] + p["tip"] - p["refunded"] for p in mine)
    by_rate: dict[int, dict[str, int]] = {}
    for state in made:
        for bill in state["bills"]:
            for tax in bill["tax"]:
                rate = by_rate.setdefault(tax["rate_bp"], {"net": 0, "tax": 0})
                rate["net"] += tax["net"]
                rate["tax"] += tax["tax"]
    assert {r["rate_bp"]: {"net": r["net"], "tax": r["tax"]}
            for r in z["sales"]["by_rate"]} == {k: v for k, v in by_rate.items()
                                                if v["net"] or v["tax"]}
    assert z["sales"]["gross"] == sum(s["total"] for s in made) == sum(
        p["amount"] for p in payments)
    assert sum(t["total"] for t in z["tenders"]) == sum(
        p["amount"] + p["tip"] - p["refunded"] for p in payments)
    assert z["checks"]["count"] == len(made)
