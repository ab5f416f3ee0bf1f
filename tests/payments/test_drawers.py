"""A cashier's drawer: a shift opened with a float, cash taken with change given, paid-ins
and paid-outs, tips handed to a server, a count by denomination against what the drawer
should hold; "no sale" opens the drawer on its printer with a right or a manager's PIN."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
from factories import make_check, make_item, make_staff, make_table, signed_in
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "kitchen"))
from printer_fakes import FakeNetworkPrinter, add_printer  # noqa: E402

from pos.core.audit import AuditEntry  # noqa: E402
from pos.devices.models import PrintJob  # noqa: E402
from pos.devices.print_worker import drain  # noqa: E402

DRAWER_KICK = b"\x1bp\x00\x19\xfa"  # ESC p, pin 2, 50 ms on, 500 ms off


@pytest.fixture
def till():
    printer = FakeNetworkPrinter("Till").start()
    yield printer
    printer.stop()


@pytest.fixture
def till_id(db, till):
    return add_printer(db, "Till", "network", till.address)


@pytest.fixture
def waiter_person(db):
    return make_staff(db, "waiter")


@pytest.fixture
def waiter(app, waiter_person):
    return signed_in(app, waiter_person)


@pytest.fixture
def cashier_person(db):
    return make_staff(db, "cashier")


@pytest.fixture
def cashier(app, cashier_person):
    return signed_in(app, cashier_person)


@pytest.fixture
def manager_person(db):
    return make_staff(db, "manager")


def new_id() -> str:
    return str(uuid.uuid4())


def open_shift(client, opening_float=200_00, printer_id=None, **fields):
    answer = client.post("/api/v1/shifts", json={"opening_float": opening_float,
                                                 "printer_id": printer_id, **fields})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def move(client, shift_id, kind, amount, **fields):
    return client.post(f"/api/v1/shifts/{shift_id}/movements", json={
        "client_id": fields.pop("client_id", new_id()), "kind": kind, "amount": amount,
        **fields})


def pay(client, check_id, amount, **fields):
    answer = client.post(f"/api/v1/checks/{check_id}/payments", json={
        "client_id": new_id(), "bill": 1, "tender": fields.pop("tender", "cash"),
        "amount": amount, **fields})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def audits(db, action):
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_no_sale_needs_a_managers_pin_then_kicks_the_drawer_on_its_printer(
        db, cashier, cashier_person, manager_person, till, till_id):
    shift = open_shift(cashier, printer_id=till_id)
    refused = cashier.post("/api/v1/drawer/no-sale", json={"client_id": new_id(),
                                                           "reason": "change for the bar"})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["field"] == "manager_pin"

    key = new_id()
    body = {"client_id": key, "reason": "change for the bar",
            "manager_pin": manager_person.pin}
    opened = cashier.post("/api/v1/drawer/no-sale", json=body)
    assert opened.status_code == 201, opened.get_json()
    again = cashier.post("/api/v1/drawer/no-sale", json=body)  # a double tap
    assert again.get_json()["movement"]["id"] == opened.get_json()["movement"]["id"]
    assert opened.get_json()["approved_by_id"] == manager_person.id

    assert drain(db) == 1
    assert till.tickets == [DRAWER_KICK]  # the drawer opens; no paper moves
    [entry] = audits(db, "drawer.no_sale")
    assert entry.staff_id == cashier_person.id and entry.approved_by_id == manager_person.id
    assert entry.subject == f"shift:{shift['id']}"
    after = cashier.get("/api/v1/shifts/current").get_json()
    assert after["no_sales"] == 1 and after["expected"] == shift["opening_float"]


def test_a_manager_may_open_their_own_drawer_without_anyones_pin(app, db, manager_person,
                                                                till, till_id):
    manager = signed_in(app, manager_person)
    open_shift(manager, printer_id=till_id)
    opened = manager.post("/api/v1/drawer/no-sale", json={"client_id": new_id()})
    assert opened.status_code == 201, opened.get_json()
    assert opened.get_json()["approved_by_id"] is None
    drain(db)
    assert till.tickets == [DRAWER_KICK]


def test_a_drawer_with_no_printer_cannot_be_opened_by_no_sale(app, db, manager_person):
    manager = signed_in(app, manager_person)
    open_shift(manager)
    refused = manager.post("/api/v1/drawer/no-sale", json={"client_id": new_id()})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "no_drawer"
    with db.reading() as session:
        assert session.scalars(select(PrintJob)).all() == []


def test_one_open_drawer_per_cashier(cashier):
    open_shift(cashier)
    twice = cashier.post("/api/v1/shifts", json={"opening_float": 100_00})
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "shift_open"


def test_a_shift_counted_against_float_cash_sales_movements_and_tips_out(
        db, waiter, waiter_person, cashier, till_id):
    steak = make_item(db, price=89_00)
    water = make_item(db, price=9_50, rate_bp=1100)
    shift = open_shift(cashier, opening_float=300_00, printer_id=till_id)

    first = make_check(waiter, table=make_table(db), lines=[steak, water])  # 98.50
    paid = pay(cashier, first["id"], 98_50, tip=11_50, tendered=200_00)
    assert paid["payments"][0]["change"] == 90_00  # 200 handed over, 110 stays
    second = make_check(waiter, table=make_table(db), lines=[steak])  # 89.00
    pay(cashier, second["id"], 89_00, tender="voucher", tip=9_00,  # not in the drawer
        reference="GIFT-7")
    third = make_check(waiter, table=make_table(db), lines=[water])  # 9.50, exact cash
    pay(cashier, third["id"], 9_50)

    assert move(cashier, shift["id"], "paid_in", 50_00, reason="coins from the bank"
                ).status_code == 201
    key = new_id()
    out = move(cashier, shift["id"], "paid_out", 30_00, reason="bread delivery",
               client_id=key)
    assert out.status_code == 201, out.get_json()
    assert move(cashier, shift["id"], "paid_out", 30_00, reason="bread delivery",
                client_id=key).get_json()["id"] == out.get_json()["id"]  # a retry
    tips = move(cashier, shift["id"], "tips_out", 15_00, staff_id=waiter_person.id)
    assert tips.status_code == 201, tips.get_json()

    now = cashier.get("/api/v1/shifts/current").get_json()
    expected = 300_00 + (98_50 + 11_50) + 9_50 + 50_00 - 30_00 - 15_00
    assert now["expected"] == expected == 424_50
    assert now["cash_taken"] == 119_50 and now["cash_tips"] == 11_50
    [ana] = now["tips"]
    assert (ana["server_id"], ana["cash"], ana["other"], ana["paid_out"], ana["owed"]) == (
        waiter_person.id, 11_50, 9_00, 15_00, 5_50)

    # 2 × 200, 1 × 20, 4 × 1 lei and 2 × 10 bani: 424.20, 30 bani short
    count = {"20000": 2, "2000": 1, "100": 4, "10": 2}
    closed = cashier.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted": count})
    assert closed.status_code == 200, closed.get_json()
    result = closed.get_json()
    assert (result["open"], result["expected"], result["counted_total"], result["over_short"]
            ) == (False, 424_50, 424_20, -30)
    retried = cashier.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted": count})
    assert retried.status_code == 200 and retried.get_json()["over_short"] == -30
    recount = cashier.post(f"/api/v1/shifts/{shift['id']}/close",
                           json={"counted": {"20000": 3}})
    assert recount.status_code == 409
    late = move(cashier, shift["id"], "paid_in", 1_00, reason="late")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "shift_closed"
    [closing] = audits(db, "shift.closed")
    assert closing.details["over_short"] == -30


def test_a_cash_refund_leaves_the_drawer(db, waiter, cashier, manager_person):
    steak = make_item(db, price=89_00)
    shift = open_shift(cashier, opening_float=100_00)
    check = make_check(waiter, table=make_table(db), lines=[steak])
    payment = pay(cashier, check["id"], 89_00, tendered=100_00)["payments"][0]
    refund = cashier.post(f"/api/v1/payments/{payment['id']}/refund", json={
        "client_id": new_id(), "amount": 20_00, "reason": "cold steak",
        "manager_pin": manager_person.pin})
    assert refund.status_code == 201, refund.get_json()
    drawer = cashier.get(f"/api/v1/shifts/{shift['id']}").get_json()
    assert drawer["cash_refunds"] == 20_00
    assert drawer["expected"] == 100_00 + 89_00 - 20_00


@pytest.mark.parametrize("body, field", [
    ({"kind": "paid_out", "amount": 10_00}, "reason"),
    ({"kind": "paid_out", "amount": 0, "reason": "x"}, "amount"),
    ({"kind": "tips_out", "amount": 10_00}, "staff_id"),
    ({"kind": "no_sale", "amount": 0, "reason": "x"}, "kind"),
    ({"kind": "paid_in", "amount": -5, "reason": "x"}, "amount"),
])
def test_a_movement_that_cannot_be_right_is_refused_naming_the_field(cashier, body, field):
    shift = open_shift(cashier)
    refused = cashier.post(f"/api/v1/shifts/{shift['id']}/movements",
                           json={"client_id": new_id(), **body})
    assert 400 <= refused.status_code < 500
    assert refused.get_json()["error"]["field"] == field
    assert cashier.get("/api/v1/shifts/current").get_json()["movements"] == []


def test_a_count_in_a_note_the_currency_does_not_have_is_refused(cashier):
    shift = open_shift(cashier)
    refused = cashier.post(f"/api/v1/shifts/{shift['id']}/close",
                           json={"counted": {"30000": 1}})  # no 300 lei note
    assert refused.status_code == 422
    assert refused.get_json()["error"]["field"] == "counted.30000"
    assert cashier.get("/api/v1/shifts/current").get_json()["open"] is True


def test_the_denominations_follow_the_venues_currency(cashier):
    answer = cashier.get("/api/v1/drawer/denominations").get_json()
    assert answer["currency"] == "RON"
    values = [d["value"] for d in answer["denominations"]]
    assert values[:3] == [500_00, 200_00, 100_00] and values[-1] == 1
    assert {d["kind"] for d in answer["denominations"] if d["value"] < 1_00} == {"coin"}


def test_another_cashiers_drawer_is_theirs(app, db, cashier):
    shift = open_shift(cashier)
    other = signed_in(app, make_staff(db, "cashier"))
    refused = move(other, shift["id"], "paid_out", 5_00, reason="taxi")
    assert refused.status_code == 403
    manager = signed_in(app, make_staff(db, "manager"))
    closed = manager.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted": {}})
    assert closed.status_code == 200 and closed.get_json()["over_short"] == -200_00


def test_a_waiter_has_no_drawer(waiter):
    refused = waiter.post("/api/v1/shifts", json={"opening_float": 100_00})
    assert refused.status_code == 403
