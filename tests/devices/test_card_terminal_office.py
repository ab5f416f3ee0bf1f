"""The card terminal from the back office, against the ZVT simulator over TCP: its state, a
status check and the end of day (audited); refused with a reason (409), never a server
error, when no terminal is set up, when it does not answer, and while a payment holds it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pos.core.audit import AuditEntry
from pos.devices.terminals import Attempt, AttemptState, Operation


@pytest.fixture
def manager(as_role):
    return as_role("manager")


@pytest.fixture
def terminal(app, card_desk, simulator):
    app.config["MASA_CARD_TERMINAL"] = f"127.0.0.1:{simulator.port}"
    return card_desk


def end_of_day_entries(db) -> list[AuditEntry]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "terminal.end_of_day").order_by(AuditEntry.id)))


def refusal(response) -> tuple[int, str]:
    return response.status_code, response.get_json()["error"]["code"]


def test_a_manager_checks_the_terminal_and_ends_its_day_audited(manager, as_role, db,
                                                                terminal, simulator):
    state = manager.get("/api/v1/card-terminal").get_json()
    assert (state["set_up"], state["kind"], state["busy"]) == (True, "tcp", False)
    assert state["last_end_of_day"] is None
    checked = manager.post("/api/v1/card-terminal/check", json={})
    assert checked.status_code == 200, checked.get_json()
    assert (checked.get_json()["ok"], checked.get_json()["software"]) == (True, "MASA-SIM")
    assert terminal.terminal.authorise(12_34, "RON", "a-coffee").charged

    ended = manager.post("/api/v1/card-terminal/end-of-day", json={})
    assert ended.status_code == 200, ended.get_json()
    assert (ended.get_json()["ok"], ended.get_json()["total"]) == (True, 12_34)
    [entry] = end_of_day_entries(db)
    assert (entry.details["ok"], entry.details["total"]) == (True, 12_34)
    assert entry.staff_id is not None
    last = manager.get("/api/v1/card-terminal").get_json()["last_end_of_day"]
    assert (last["ok"], last["total"]) == (True, 12_34)
    waiter = as_role("waiter")
    assert waiter.post("/api/v1/card-terminal/end-of-day", json={}).status_code == 403
    assert waiter.get("/api/v1/card-terminal").status_code == 403


def test_without_a_terminal_both_are_refused_naming_why(manager, db):
    assert manager.get("/api/v1/card-terminal").get_json()["set_up"] is False
    assert refusal(manager.post("/api/v1/card-terminal/check", json={})) == (409, "no_terminal")
    assert refusal(manager.post("/api/v1/card-terminal/end-of-day", json={})) == (
        409, "no_terminal")
    assert end_of_day_entries(db) == []


def test_a_terminal_that_does_not_answer_is_refused_as_a_time_out(manager, db, terminal,
                                                                  simulator):
    simulator.silent = True
    assert refusal(manager.post("/api/v1/card-terminal/check", json={})) == (409, "no_answer")
    assert refusal(manager.post("/api/v1/card-terminal/end-of-day", json={})) == (
        409, "no_answer")
    [entry] = end_of_day_entries(db)  # it went out: the terminal may have done it
    assert entry.details["ok"] is False


def test_nothing_goes_to_the_terminal_while_a_payment_holds_it(manager, db, terminal,
                                                               simulator):
    with terminal.idle_terminal():  # a payment of this process is at the terminal
        assert manager.get("/api/v1/card-terminal").get_json()["busy"] is True
        assert refusal(manager.post("/api/v1/card-terminal/check", json={})) == (409, "busy")
    journal = terminal.terminal.journal
    attempt = Attempt(terminal="counter", operation=Operation.AUTHORISE, amount=5_00,
                      currency="RON", reference="another-till", state=AttemptState.SENT)
    journal.record(attempt)  # another process's payment, sent and not yet answered
    assert refusal(manager.post("/api/v1/card-terminal/end-of-day", json={})) == (409, "busy")
    attempt.state = AttemptState.UNKNOWN
    journal.record(attempt)  # its answer lost: a check may go, the end of day may not
    assert manager.post("/api/v1/card-terminal/check", json={}).status_code == 200
    assert refusal(manager.post("/api/v1/card-terminal/end-of-day", json={})) == (
        409, "unresolved")
    assert manager.get("/api/v1/card-terminal").get_json()["awaiting_answer"] == 1
    assert end_of_day_entries(db) == []
    assert [c for c in simulator.commands if c.startswith(b"\x06\x50")] == []
