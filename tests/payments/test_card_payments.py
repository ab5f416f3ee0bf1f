"""Card payments through a ZVT terminal (the simulator on TCP): approved, declined,
partly approved, and a line dropped after the card was charged, which still ends as
exactly one recorded payment."""

from __future__ import annotations

import time
import uuid

import pytest
from factories import make_check, make_item, make_staff, make_table, signed_in
from sqlalchemy import select

from pos.devices.models import Printer, PrinterKind, PrintJob
from pos.payments.models import TerminalAttempt
from pos.venue.operations import get_venue


@pytest.fixture
def check(app, db):
    waiter = signed_in(app, make_staff(db, "waiter"))
    steak = make_item(db, price=89_00)
    return make_check(waiter, table=make_table(db), lines=[steak, steak])


@pytest.fixture
def cashier(app, db):
    return signed_in(app, make_staff(db, "cashier"))


def pay_by_card(cashier, check, amount, tip=0, client_id=None):
    answer = cashier.post(f"/api/v1/checks/{check['id']}/payments", json={
        "client_id": client_id or str(uuid.uuid4()), "bill": 1, "tender": "card",
        "amount": amount, "tip": tip})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def settled(cashier, check, count=1, timeout=10.0):
    """The bills once ``count`` card payments have a final answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json()
        final = [p for p in state["payments"] if p["status"] in ("approved", "declined")]
        if len(final) >= count:
            return state
        time.sleep(0.05)
    raise AssertionError(f"no answer from the terminal: {state['payments']}")


def test_an_approved_card_with_a_tip_pays_the_bill_and_keeps_only_the_last_four(
        card_desk, simulator, cashier, check):
    answer = pay_by_card(cashier, check, 178_00, tip=20_00)
    assert answer["payments"][0]["status"] == "pending"
    state = settled(cashier, check)
    payment = state["payments"][0]
    assert (payment["status"], payment["amount"], payment["tip"]) == ("approved", 178_00, 20_00)
    assert payment["card_last4"] == "4111" and payment["auth_code"]
    assert state["check_status"] == "paid"
    assert [c.amount for c in simulator.charged()] == [198_00]


def test_a_declined_card_takes_nothing_and_the_bill_stays_due(card_desk, simulator, cashier, check):
    simulator.next("decline")
    pay_by_card(cashier, check, 178_00)
    state = settled(cashier, check)
    assert state["payments"][0]["status"] == "declined"
    assert state["due"] == 178_00 and state["check_status"] == "open"


def test_a_partly_approved_card_leaves_the_rest_for_another_tender(card_desk, simulator, cashier,
                                                                 check):
    simulator.next("partial", amount=100_00)
    pay_by_card(cashier, check, 178_00)
    state = settled(cashier, check)
    assert state["payments"][0]["amount"] == 100_00
    assert state["due"] == 78_00
    cash = cashier.post(f"/api/v1/checks/{check['id']}/payments", json={
        "client_id": str(uuid.uuid4()), "bill": 1, "tender": "cash", "amount": 78_00})
    assert cash.get_json()["check_status"] == "paid"


def test_a_line_dropped_after_the_charge_ends_as_one_payment(card_desk, simulator, cashier, check):
    simulator.next("drop", stay_offline=True)
    pay_by_card(cashier, check, 178_00)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json()
        if state["payments"][0]["status"] == "unknown":
            break
        time.sleep(0.05)
    assert state["payments"][0]["status"] == "unknown"
    assert state["due"] == 178_00
    # Nobody may take the money again while the terminal has not said.
    again = cashier.post(f"/api/v1/checks/{check['id']}/payments", json={
        "client_id": str(uuid.uuid4()), "bill": 1, "tender": "cash", "amount": 178_00})
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "more_than_due"
    simulator.back_online()
    card_desk.recover()
    state = settled(cashier, check)
    assert [(p["status"], p["amount"]) for p in state["payments"]] == [("approved", 178_00)]
    assert state["check_status"] == "paid"
    assert len(simulator.charged()) == 1


def test_a_double_tap_on_pay_by_card_charges_the_card_once(card_desk, simulator, cashier, check):
    key = str(uuid.uuid4())
    pay_by_card(cashier, check, 178_00, client_id=key)
    pay_by_card(cashier, check, 178_00, client_id=key)
    state = settled(cashier, check)
    assert len(state["payments"]) == 1
    time.sleep(0.3)
    assert len(simulator.charged()) == 1


def test_no_terminal_means_no_card_payment(cashier, check):
    refused = cashier.post(f"/api/v1/checks/{check['id']}/payments", json={
        "client_id": str(uuid.uuid4()), "bill": 1, "tender": "card", "amount": 178_00})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "no_terminal"


def test_a_manager_settles_a_payment_the_terminal_cannot_answer_for(app, db, card_desk, simulator,
                                                                    cashier, check):
    simulator.next("drop", stay_offline=True)
    paid = pay_by_card(cashier, check, 178_00)
    payment_id = paid["payments"][0]["id"]
    deadline = time.monotonic() + 10
    while cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json()[
            "payments"][0]["status"] != "unknown" and time.monotonic() < deadline:
        time.sleep(0.05)
    url = f"/api/v1/payments/{payment_id}/resolve"
    assert cashier.post(url, json={"charged": True}).status_code == 403
    manager = make_staff(db, "manager")
    settled_by_hand = cashier.post(url, json={"charged": True, "manager_pin": manager.pin})
    assert settled_by_hand.status_code == 200, settled_by_hand.get_json()
    state = settled_by_hand.get_json()
    assert [(p["status"], p["amount"]) for p in state["payments"]] == [("approved", 178_00)]
    assert state["check_status"] == "paid"
    again = cashier.post(url, json={"charged": False, "manager_pin": manager.pin})
    assert again.status_code == 409


def test_a_card_refund_goes_back_through_the_terminal(db, card_desk, simulator, cashier, check):
    pay_by_card(cashier, check, 178_00, tip=10_00)
    payment = settled(cashier, check)["payments"][0]
    manager = make_staff(db, "manager")
    refund = cashier.post(f"/api/v1/payments/{payment['id']}/refund", json={
        "client_id": str(uuid.uuid4()), "amount": 50_00, "reason": "cold steak",
        "manager_pin": manager.pin})
    assert refund.status_code == 201, refund.get_json()
    assert refund.get_json()["status"] == "pending"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        refunded = cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json()[
            "payments"][0]["refunded"]
        if refunded:
            break
        time.sleep(0.05)
    assert refunded == 50_00
    assert [c.amount for c in simulator.charged("refund")] == [50_00]


def test_a_tip_the_guest_keys_in_on_the_terminal_is_the_servers_tip(card_desk, simulator, cashier,
                                                                    check):
    simulator.next("approve", tip=7_00)
    pay_by_card(cashier, check, 178_00, tip=10_00)
    payment = settled(cashier, check)["payments"][0]
    assert (payment["amount"], payment["tip"]) == (178_00, 17_00)
    assert [c.amount for c in simulator.charged()] == [195_00]


def hold_status(cashier, tab, wanted: str | None = None, timeout=10.0) -> dict:
    """The tab's hold once it has left ``pending`` (or reached ``wanted``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hold = next(p for p in cashier.get(f"/api/v1/checks/{tab['id']}/bills").get_json()[
            "payments"] if p["is_hold"])
        if hold["status"] != "pending" and hold["status"] == (wanted or hold["status"]):
            return hold
        time.sleep(0.05)
    raise AssertionError(f"the hold stayed {hold['status']}")


def held_tab_of_two_beers(app, db, cashier):
    bartender = signed_in(app, make_staff(db, "bartender"))
    beer = make_item(db, price=18_00)
    tab = make_check(bartender, name="Radu")
    held = cashier.post(f"/api/v1/checks/{tab['id']}/card-hold", json={
        "client_id": str(uuid.uuid4()), "amount": 100_00})
    assert held.status_code == 201, held.get_json()
    hold = hold_status(cashier, tab)
    assert (hold["status"], hold["is_hold"], hold["card_last4"]) == ("held", True, "4111")
    check = cashier.get(f"/api/v1/checks/{tab['id']}").get_json()
    bartender.post(f"/api/v1/checks/{tab['id']}/send", json={
        "client_id": str(uuid.uuid4()), "version": check["version"],
        "lines": [{"item_id": beer.id}, {"item_id": beer.id}]})
    return tab


def test_a_bar_tab_held_on_a_card_is_paid_by_booking_its_total(app, db, card_desk, simulator,
                                                              cashier):
    tab = held_tab_of_two_beers(app, db, cashier)
    again = cashier.post(f"/api/v1/checks/{tab['id']}/card-hold", json={
        "client_id": str(uuid.uuid4()), "amount": 100_00})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "card_held"
    pay_by_card(cashier, tab, 36_00, tip=4_00)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = cashier.get(f"/api/v1/checks/{tab['id']}/bills").get_json()
        if state["check_status"] == "paid":
            break
        time.sleep(0.05)
    assert state["check_status"] == "paid"
    assert [(p["status"], p["is_hold"], p["amount"], p["tip"]) for p in state["payments"]] == [
        ("released", True, 100_00, 0), ("approved", False, 36_00, 4_00)]
    assert [c.amount for c in simulator.charged("book_total")] == [40_00]
    assert simulator.charged() == []  # no authorisation on top of the hold


def test_a_held_tab_paid_in_cash_lets_the_guests_card_go(app, db, card_desk, simulator, cashier):
    tab = held_tab_of_two_beers(app, db, cashier)
    paid = cashier.post(f"/api/v1/checks/{tab['id']}/payments", json={
        "client_id": str(uuid.uuid4()), "bill": 1, "tender": "cash", "amount": 36_00,
        "tendered": 50_00})
    assert paid.status_code == 201, paid.get_json()
    assert hold_status(cashier, tab, "released")["amount"] == 100_00
    assert [c.amount for c in simulator.charged("release")] == [100_00]
    assert simulator.charged("book_total") == [] and simulator.charged() == []


def test_the_cashier_lets_a_hold_go_and_a_refused_release_keeps_it_held(app, db, card_desk,
                                                                       simulator, cashier):
    tab = held_tab_of_two_beers(app, db, cashier)
    release = f"/api/v1/checks/{tab['id']}/card-hold/release"
    simulator.next("decline")
    assert cashier.post(release, json={}).status_code == 200
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(
            a.operation == "release_hold" and a.state == "declined" for a in attempts(db)):
        time.sleep(0.05)
    assert hold_status(cashier, tab)["status"] == "held"  # refused: still held, ask again
    assert cashier.post(release, json={}).status_code == 200
    assert hold_status(cashier, tab, "released")["status"] == "released"
    assert [c.amount for c in simulator.charged("release")] == [100_00]
    again = cashier.post(release, json={})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "no_card_held"
    # The tab is still open, and now it is paid by card as any check is: authorised.
    pay_by_card(cashier, tab, 36_00)
    assert settled(cashier, tab)["check_status"] == "paid"
    assert [c.amount for c in simulator.charged()] == [36_00]


def attempts(db):
    with db.reading() as session:
        return list(session.scalars(select(TerminalAttempt)))


def test_a_card_that_pays_the_bill_queues_its_receipt_on_the_till(app, db, card_desk, simulator,
                                                                 cashier, check):
    with db.transaction() as session:
        till = Printer(name="Till", kind=PrinterKind.NETWORK, address="127.0.0.1:9")
        session.add(till)
        session.flush()
        get_venue(session).receipt_printer_id = till.id
    pay_by_card(cashier, check, 178_00)
    assert settled(cashier, check)["check_status"] == "paid"
    with db.reading() as session:
        jobs = session.scalars(select(PrintJob).where(PrintJob.printer_id == till.id)).all()
    assert [(job.kind, job.subject.split(":")[0]) for job in jobs] == [("document", "bill")]
