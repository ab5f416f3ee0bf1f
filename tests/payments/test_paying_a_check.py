"""A cashier takes money for a check: bills, splits, tips, change, refunds, and the
hostile cases (double taps, overpaying, closed checks, two cashiers at once)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from factories import (
    make_check,
    make_item,
    make_staff,
    make_table,
    session_cookie_at,
    signed_in,
)
from sqlalchemy import select

from pos.payments.models import TipShare
from pos.venue.operations import get_venue


@pytest.fixture
def menu(db):
    return {"steak": make_item(db, price=89_00, rate_bp=2100),
            "wine": make_item(db, price=120_00, rate_bp=2100),
            "water": make_item(db, price=9_50, rate_bp=1100)}


@pytest.fixture
def waiter(app, db):
    return signed_in(app, make_staff(db, "waiter"))


@pytest.fixture
def cashier(app, db):
    return signed_in(app, make_staff(db, "cashier"))


def seated_check(waiter, db, menu, seats=(1, 2, 3, 4)):
    """A four-top: a steak and a water for each seat, a bottle of wine for the table."""
    table = make_table(db)
    lines = []
    for seat in seats:
        lines += [{"item_id": menu["steak"].id, "seat": seat},
                  {"item_id": menu["water"].id, "seat": seat}]
    lines.append({"item_id": menu["wine"].id, "seat": 0})
    return make_check(waiter, table=table, lines=lines, guests=len(seats)), table


def bills(client, check_id):
    answer = client.get(f"/api/v1/checks/{check_id}/bills")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def table_state(client, table_id):
    floors = client.get("/api/v1/floor").get_json()
    return next(t["state"] for floor in floors["floors"] for t in floor["tables"]
                if t["id"] == table_id)


def pay(client, check_id, bill, amount, **fields):
    return client.post(f"/api/v1/checks/{check_id}/payments", json={
        "client_id": fields.pop("client_id", str(uuid.uuid4())), "bill": bill,
        "tender": fields.pop("tender", "cash"), "amount": amount, **fields})


def test_an_unsplit_check_is_one_bill_of_the_whole_check(waiter, cashier, db, menu):
    check, _table = seated_check(waiter, db, menu)
    state = bills(cashier, check["id"])
    assert [b["number"] for b in state["bills"]] == [1]
    assert state["bills"][0]["total"] == state["due"] == check["totals"]["total"]
    assert [t["rate_bp"] for t in state["bills"][0]["tax"]] == [2100, 1100]


def test_a_split_by_seat_shares_the_tables_wine_and_sums_to_the_check(waiter, cashier, db,
                                                                      menu):
    check, _table = seated_check(waiter, db, menu)
    split = cashier.post(f"/api/v1/checks/{check['id']}/split", json={"how": "seat"})
    assert split.status_code == 200, split.get_json()
    state = split.get_json()
    assert [b["seat"] for b in state["bills"]] == [1, 2, 3, 4]
    assert [b["total"] for b in state["bills"]] == [128_50] * 4  # 89 + 9.50 + 120 / 4
    assert sum(b["total"] for b in state["bills"]) == check["totals"]["total"]
    wine = [line for line in state["bills"][0]["lines"] if line["fraction"] == "1/4"]
    assert len(wine) == 1 and wine[0]["amount"] == 30_00


def test_paying_every_bill_closes_the_check_and_the_table_shows_paid(waiter, cashier, db,
                                                                     menu):
    check, table = seated_check(waiter, db, menu, seats=(1, 2))
    cashier.post(f"/api/v1/checks/{check['id']}/split", json={"how": "seat"})
    first = pay(cashier, check["id"], 1, 98_50 + 60_00, tip=10_00, tendered=200_00)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["payments"][0]["change"] == 200_00 - 158_50 - 10_00
    assert first.get_json()["check_status"] == "open"
    second = pay(cashier, check["id"], 2, 158_50, tender="voucher", reference="GIFT-1")
    assert second.get_json()["check_status"] == "paid"
    assert second.get_json()["due"] == 0
    assert table_state(waiter, table.id) == "paid"
    left = waiter.post(f"/api/v1/tables/{table.id}/guests-left", json={})
    assert left.get_json()["state"] == "needs_clearing"
    cleared = waiter.post(f"/api/v1/tables/{table.id}/clear", json={})
    assert cleared.get_json()["state"] == "free"


def test_a_double_tap_on_pay_takes_the_money_once(waiter, cashier, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1,))
    key = str(uuid.uuid4())
    first = pay(cashier, check["id"], 1, 50_00, client_id=key)
    again = pay(cashier, check["id"], 1, 50_00, client_id=key)
    assert first.status_code == again.status_code == 201
    assert len(again.get_json()["payments"]) == 1
    assert again.get_json()["due"] == check["totals"]["total"] - 50_00


@pytest.mark.parametrize("fields, field, code", [
    ({"amount": 10**9}, "amount", "more_than_due"),
    ({"amount": 10_00, "tip": -1}, "tip", None),
    ({"amount": 0}, "amount", None),
    ({"amount": 10_00, "tendered": 5_00}, "tendered", "not_enough_cash"),
    ({"amount": 10_00, "bill": 7}, "bill", None),
    ({"amount": 10_00, "tender": "voucher"}, "reference", None),
])
def test_a_payment_that_cannot_be_right_is_refused_naming_the_field(waiter, cashier, db, menu,
                                                                     fields, field, code):
    check, _table = seated_check(waiter, db, menu, seats=(1,))
    refused = pay(cashier, check["id"], fields.pop("bill", 1), fields.pop("amount"), **fields)
    assert 400 <= refused.status_code < 500
    error = refused.get_json()["error"]
    assert error["field"] == field
    if code:
        assert error["code"] == code
    assert bills(cashier, check["id"])["payments"] == []


def test_a_closed_check_takes_no_more_money(waiter, cashier, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1,))
    assert pay(cashier, check["id"], 1, check["totals"]["total"]).status_code == 201
    again = pay(cashier, check["id"], 1, 1_00)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "check_closed"


def test_split_into_zero_parts_is_refused(waiter, cashier, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1,))
    refused = cashier.post(f"/api/v1/checks/{check['id']}/split", json={"how": "even",
                                                                          "parts": 0})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["field"] == "parts"


def test_an_even_split_then_an_undo_gives_back_one_bill(waiter, cashier, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1, 2))
    split = cashier.post(f"/api/v1/checks/{check['id']}/split", json={"how": "even",
                                                                        "parts": 3}).get_json()
    assert len(split["bills"]) == 3
    assert sum(b["total"] for b in split["bills"]) == check["totals"]["total"]
    assert max(b["total"] for b in split["bills"]) - min(b["total"] for b in split["bills"]) <= 2
    undone = cashier.post(f"/api/v1/checks/{check['id']}/split/undo", json={}).get_json()
    assert [b["total"] for b in undone["bills"]] == [check["totals"]["total"]]


def test_a_bottle_moved_and_shared_by_three(waiter, cashier, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1, 2, 3))
    wine = next(line for line in check["lines"] if line["seat"] == 0)
    url = f"/api/v1/checks/{check['id']}"
    cashier.post(url + "/split", json={"how": "even", "parts": 3})
    shared = cashier.post(url + "/bills/share", json={"line_id": wine["id"],
                                                     "bills": [1, 2, 3]})
    assert shared.status_code == 200, shared.get_json()
    state = shared.get_json()
    assert sum(b["total"] for b in state["bills"]) == check["totals"]["total"]
    moved = cashier.post(url + "/bills/move", json={"line_id": wine["id"], "from_bill": 3,
                                                   "to_bill": 1})
    assert moved.status_code == 200, moved.get_json()
    after = moved.get_json()
    assert sum(b["total"] for b in after["bills"]) == check["totals"]["total"]
    wine_on_1 = [line for line in after["bills"][0]["lines"] if line["line_id"] == wine["id"]]
    assert wine_on_1[0]["fraction"] == "2/3"


def test_a_split_by_amount_leaves_the_rest_on_a_bill_of_its_own(waiter, cashier, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1, 2))
    url = f"/api/v1/checks/{check['id']}/split"
    too_much = cashier.post(url, json={"how": "amount", "amounts": [10**8]})
    assert too_much.get_json()["error"]["code"] == "more_than_due"
    state = cashier.post(url, json={"how": "amount", "amounts": [50_00]}).get_json()
    assert [b["total"] for b in state["bills"]] == [50_00, check["totals"]["total"] - 50_00]


def test_a_waiter_without_the_permission_cannot_take_money(waiter, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1,))
    refused = pay(waiter, check["id"], 1, 10_00)
    assert refused.status_code == 403


def test_a_refund_needs_a_manager_and_never_exceeds_what_was_paid(app, waiter, cashier, db,
                                                                  menu):
    check, _table = seated_check(waiter, db, menu, seats=(1,))
    paid = pay(cashier, check["id"], 1, check["totals"]["total"], tip=5_00).get_json()
    payment = paid["payments"][0]
    url = f"/api/v1/payments/{payment['id']}/refund"
    manager = make_staff(db, "manager")
    body = {"client_id": str(uuid.uuid4()), "amount": 10_00, "reason": "cold steak"}
    assert cashier.post(url, json=body).status_code == 403
    over = cashier.post(url, json={**body, "amount": payment["amount"] + 5_00 + 1,
                                   "manager_pin": manager.pin})
    assert over.status_code == 422 and over.get_json()["error"]["field"] == "amount"
    done = cashier.post(url, json={**body, "manager_pin": manager.pin})
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["approved_by_id"] == manager.id
    assert bills(cashier, check["id"])["payments"][0]["refunded"] == 10_00


def test_two_cashiers_paying_one_bill_at_once_take_it_once(app, live_server, waiter, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1,))
    due = check["totals"]["total"]
    people = [make_staff(db, "cashier") for _ in range(2)]
    cookies = [session_cookie_at(live_server.url, person) for person in people]
    barrier = threading.Barrier(2)

    def pay_all(cookie):
        barrier.wait()
        return requests.post(f"{live_server.url}/api/v1/checks/{check['id']}/payments",
                             json={"client_id": str(uuid.uuid4()), "bill": 1, "tender": "cash",
                                   "amount": due}, headers={"Cookie": cookie,
                                                            "Origin": live_server.url},
                             timeout=10)

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(pay_all, cookies))
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert [a.json()["error"]["code"] for a in answers if a.status_code == 409] == [
        "check_closed"]
    state = bills(signed_in(app, people[0]), check["id"])
    assert [p["amount"] for p in state["payments"]] == [due]


def test_a_line_on_a_paid_bill_cannot_be_voided(app, waiter, cashier, db, menu):
    check, _table = seated_check(waiter, db, menu, seats=(1, 2))
    cashier.post(f"/api/v1/checks/{check['id']}/split", json={"how": "seat"})
    pay(cashier, check["id"], 1, 158_50)
    steak_1 = next(line for line in check["lines"] if line["seat"] == 1)
    manager = signed_in(app, make_staff(db, "manager"))
    version = manager.get(f"/api/v1/checks/{check['id']}").get_json()["version"]
    refused = manager.post(f"/api/v1/checks/{check['id']}/lines/{steak_1['id']}/void",
                           json={"version": version, "reason": "cold"})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "line_paid"
    steak_2 = next(line for line in check["lines"] if line["seat"] == 2 and
                   line["item_id"] == menu["steak"].id)
    voided = manager.post(f"/api/v1/checks/{check['id']}/lines/{steak_2['id']}/void",
                          json={"version": version, "reason": "cold"})
    assert voided.status_code == 200, voided.get_json()
    assert bills(cashier, check["id"])["due"] == 158_50 - 89_00


def test_a_tip_is_the_servers_or_shared_by_what_each_ordered(app, db, cashier, menu):
    ana, mihai = make_staff(db, "waiter"), make_staff(db, "waiter")
    ana_tablet, mihai_tablet = signed_in(app, ana), signed_in(app, mihai)
    check = make_check(ana_tablet, table=make_table(db), lines=[menu["steak"]])  # 89,00
    sent = mihai_tablet.post(f"/api/v1/checks/{check['id']}/send", json={
        "client_id": str(uuid.uuid4()), "version": check["version"],
        "lines": [{"item_id": menu["wine"].id}, {"item_id": menu["water"].id}]})  # 129,50
    assert sent.status_code == 200, sent.get_json()
    with db.transaction() as session:
        get_venue(session).tips_shared = True
    pay(cashier, check["id"], 1, 218_50, tip=21_85)
    with db.reading() as session:
        shares = dict(session.execute(select(TipShare.staff_id, TipShare.amount)).all())
    assert shares == {ana.id: 8_90, mihai.id: 12_95}  # 89,00 : 129,50 of 21,85
    assert sum(shares.values()) == 21_85


def test_the_till_lists_open_checks_with_what_is_due_and_the_last_paid_after_a_reload(
        waiter, cashier, db, menu):
    first, _ = seated_check(waiter, db, menu, seats=(1, 2))
    second, _ = seated_check(waiter, db, menu, seats=(1,))
    cashier.post(f"/api/v1/checks/{first['id']}/split", json={"how": "even", "parts": 2})
    half = bills(cashier, first["id"])["bills"][0]
    assert pay(cashier, first["id"], 1, half["due"]).status_code == 201
    till = {row["id"]: row for row in cashier.get("/api/v1/till").get_json()}
    assert set(till) >= {first["id"], second["id"]}
    assert till[first["id"]]["total"] == first["totals"]["total"]
    assert till[first["id"]]["due"] == first["totals"]["total"] - half["total"]
    assert till[second["id"]]["due"] == second["totals"]["total"]
    assert till[first["id"]]["printed"] is False

    rest = bills(cashier, first["id"])["bills"][1]
    assert pay(cashier, first["id"], 2, rest["due"]).status_code == 201
    assert pay(cashier, second["id"], 1, second["totals"]["total"]).status_code == 201
    still_open = [row["id"] for row in cashier.get("/api/v1/till").get_json()]
    assert first["id"] not in still_open and second["id"] not in still_open
    paid = cashier.get("/api/v1/till?status=paid&limit=2").get_json()
    assert [row["id"] for row in paid] == [second["id"], first["id"]]  # newest first
    assert [(row["status"], row["due"]) for row in paid] == [("paid", 0), ("paid", 0)]
    assert paid[1]["total"] == first["totals"]["total"]
    for query, field in (("status=shut", "status"), ("status=paid&limit=0", "limit")):
        refused = cashier.get(f"/api/v1/till?{query}")
        assert refused.status_code == 422
        assert refused.get_json()["error"]["field"] == field
