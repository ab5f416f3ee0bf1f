"""The front desk settles a folio by card through the venue's terminal (the simulator on
TCP): the payment waits for the terminal, counts once approved, counts for nothing when
declined, is never asked for twice, and a line dropped mid-payment ends as the terminal
(or a manager, from its slip) says."""

from __future__ import annotations

import time
import uuid

import pytest
from factories import make_staff, make_stay, signed_in
from sqlalchemy import select

from pos.core.audit import AuditEntry

MINIBAR = 120_00


@pytest.fixture
def desk(app, db):
    return signed_in(app, make_staff(db, "front_desk"))


@pytest.fixture
def stay(db, desk):
    """An in-house stay owing a minibar charge of 120,00."""
    stay = make_stay(db, "Maria Popescu")
    added = desk.post(f"/api/v1/stays/{stay['id']}/entries", json={
        "client_id": str(uuid.uuid4()), "kind": "charge", "amount": MINIBAR,
        "description": "Minibar"})
    assert added.status_code == 201, added.get_json()
    return stay


def settle_by_card(desk, stay, amount, client_id=None):
    answer = desk.post(f"/api/v1/stays/{stay['id']}/settle", json={
        "client_id": client_id or str(uuid.uuid4()), "amount": amount, "how": "card"})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def card_payments(folio):
    return [e for e in folio["entries"] if e["kind"] == "payment"]


def once_the_terminal_said(desk, stay, waiting=("pending",), timeout=10.0):
    """The folio once no card payment is ``waiting`` any more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        folio = desk.get(f"/api/v1/stays/{stay['id']}/folio").get_json()
        if not any(p["status"] in waiting for p in card_payments(folio)):
            return folio
        time.sleep(0.05)
    raise AssertionError(f"no answer from the terminal: {card_payments(folio)}")


def test_a_card_at_the_desk_waits_for_the_terminal_then_settles_the_folio(
        card_desk, simulator, desk, stay):
    answer = settle_by_card(desk, stay, MINIBAR)
    [payment] = card_payments(answer)
    assert payment["status"] == "pending"
    assert answer["balance"] == MINIBAR and answer["awaiting"] == MINIBAR
    folio = once_the_terminal_said(desk, stay)
    [payment] = card_payments(folio)
    assert (payment["status"], payment["amount"]) == ("done", MINIBAR)
    assert "4111" in payment["description"]
    assert (folio["balance"], folio["awaiting"]) == (0, 0)
    assert [c.amount for c in simulator.charged()] == [MINIBAR]
    checked_out = desk.post(f"/api/v1/stays/{stay['id']}/check-out", json={})
    assert checked_out.status_code == 200, checked_out.get_json()


def test_a_declined_card_pays_nothing_and_the_desk_can_try_again(card_desk, simulator, desk,
                                                                 stay):
    simulator.next("decline")
    settle_by_card(desk, stay, MINIBAR)
    folio = once_the_terminal_said(desk, stay)
    assert [p["status"] for p in card_payments(folio)] == ["declined"]
    assert folio["balance"] == MINIBAR
    refused = desk.post(f"/api/v1/stays/{stay['id']}/check-out", json={})
    assert refused.get_json()["error"]["code"] == "folio_open"
    settle_by_card(desk, stay, MINIBAR)
    folio = once_the_terminal_said(desk, stay)
    assert [p["status"] for p in card_payments(folio)] == ["declined", "done"]
    assert folio["balance"] == 0


def test_money_at_the_terminal_is_not_asked_for_twice(card_desk, simulator, desk, stay):
    key = str(uuid.uuid4())
    settle_by_card(desk, stay, 100_00, client_id=key)
    settle_by_card(desk, stay, 100_00, client_id=key)  # a double tap, a retry
    too_much = desk.post(f"/api/v1/stays/{stay['id']}/settle", json={
        "client_id": str(uuid.uuid4()), "amount": 20_01, "how": "cash"})
    assert too_much.status_code == 422
    assert too_much.get_json()["error"]["code"] == "more_than_owed"
    rest = desk.post(f"/api/v1/stays/{stay['id']}/settle", json={
        "client_id": str(uuid.uuid4()), "amount": 20_00, "how": "cash"})
    assert rest.status_code == 201, rest.get_json()
    folio = once_the_terminal_said(desk, stay)
    assert sorted((p["status"], p["amount"]) for p in card_payments(folio)) == [
        ("done", 20_00), ("done", 100_00)]
    assert folio["balance"] == 0
    time.sleep(0.3)
    assert [c.amount for c in simulator.charged()] == [100_00]


def test_a_line_dropped_after_the_charge_ends_as_one_payment_when_the_terminal_is_back(
        card_desk, simulator, desk, stay):
    simulator.next("drop", stay_offline=True)
    settle_by_card(desk, stay, MINIBAR)
    folio = once_the_terminal_said(desk, stay)
    assert [p["status"] for p in card_payments(folio)] == ["unknown"]
    assert (folio["balance"], folio["awaiting"]) == (MINIBAR, MINIBAR)
    simulator.back_online()
    card_desk.recover()
    folio = once_the_terminal_said(desk, stay, waiting=("pending", "unknown"))
    assert [(p["status"], p["amount"]) for p in card_payments(folio)] == [("done", MINIBAR)]
    assert folio["balance"] == 0
    assert len(simulator.charged()) == 1


def test_a_manager_settles_a_desk_card_the_terminal_cannot_answer_for(db, card_desk, simulator,
                                                                       desk, stay):
    simulator.next("drop", stay_offline=True)
    settle_by_card(desk, stay, MINIBAR)
    [payment] = card_payments(once_the_terminal_said(desk, stay))
    url = f"/api/v1/stays/{stay['id']}/entries/{payment['id']}/resolve"
    needs_manager = desk.post(url, json={"charged": False})
    assert needs_manager.status_code == 403
    assert needs_manager.get_json()["error"]["field"] == "manager_pin"
    manager = make_staff(db, "manager")
    answer = desk.post(url, json={"charged": False, "manager_pin": manager.pin})
    assert answer.status_code == 200, answer.get_json()
    folio = answer.get_json()
    assert [p["status"] for p in card_payments(folio)] == ["declined"]
    assert (folio["balance"], folio["awaiting"]) == (MINIBAR, 0)
    again = desk.post(url, json={"charged": True, "manager_pin": manager.pin})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_unknown"
    elsewhere = make_stay(db, "Ion Pop")
    assert desk.post(f"/api/v1/stays/{elsewhere['id']}/entries/{payment['id']}/resolve",
                     json={"charged": True, "manager_pin": manager.pin}).status_code == 404
    with db.reading() as session:
        [audit] = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "folio.card_resolved")).all()
        assert audit.details["charged"] is False and audit.approved_by_id is not None


def test_without_a_terminal_a_card_slip_is_recorded_at_once(desk, stay):
    answer = settle_by_card(desk, stay, MINIBAR)
    assert [p["status"] for p in card_payments(answer)] == ["done"]
    assert answer["balance"] == 0
