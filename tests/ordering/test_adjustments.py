"""Voids, comps and discounts: the right permission or a manager's PIN, always audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support import STEAK

from pos.core.audit import AuditEntry


def last_audit(db) -> AuditEntry:
    with db.reading() as session:
        return session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


@pytest.fixture
def sent_check(tablet):
    return tablet.sent(tablet.seat(), tablet.line(*STEAK), tablet.line(801, quantity=3))


def test_a_waiter_cannot_void_a_sent_line_without_a_manager_pin(tablet, sent_check, db):
    steak = sent_check["lines"][0]
    refused = tablet.post(sent_check, f"lines/{steak['id']}/void", reason="guest left")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["field"] == "manager_pin"
    wrong = tablet.post(sent_check, f"lines/{steak['id']}/void", reason="guest left",
                        manager_pin="2222")  # another waiter's PIN is no approval
    assert wrong.status_code == 403
    assert tablet.check(sent_check["id"])["lines"][0]["status"] == "sent"


def test_a_manager_pin_on_the_waiters_screen_approves_the_void(tablet, sent_check, db):
    steak = sent_check["lines"][0]
    voided = tablet.post(sent_check, f"lines/{steak['id']}/void", reason="guest left",
                         manager_pin="9999")
    assert voided.status_code == 200
    check = voided.get_json()
    assert check["lines"][0]["status"] == "void"
    assert check["lines"][0]["total"] == 0
    assert check["totals"]["total"] == check["lines"][1]["total"]
    entry = last_audit(db)
    assert (entry.action, entry.details["reason"]) == ("line.voided", "guest left")
    assert entry.staff_id is not None and entry.approved_by_id is not None
    assert entry.approved_by_id != entry.staff_id


def test_a_sent_line_needs_a_reason_to_be_voided(manager_tablet, tablet, sent_check):
    steak = sent_check["lines"][0]
    response = manager_tablet.post(sent_check, f"lines/{steak['id']}/void")
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "reason"


def test_voiding_part_of_a_line(manager_tablet, sent_check):
    wine = sent_check["lines"][1]
    check = manager_tablet.post(sent_check, f"lines/{wine['id']}/void", reason="spilled",
                                quantity=1).get_json()
    wines = [line for line in check["lines"] if line["item_id"] == wine["item_id"]]
    assert sorted((w["quantity"], w["status"]) for w in wines) == [(1, "void"), (2, "sent")]
    assert check["totals"]["total"] == sum(line["total"] for line in check["lines"])


def test_a_comp_keeps_the_value_on_record_and_takes_it_off(tablet, sent_check, db):
    steak = sent_check["lines"][0]
    check = tablet.post(sent_check, f"lines/{steak['id']}/comp", reason="birthday",
                        manager_pin="9999").get_json()
    assert check["lines"][0]["comped"] is True
    assert check["totals"]["comps"] == check["lines"][0]["unit_price"] + \
        check["lines"][0]["modifiers_price"]
    assert check["totals"]["total"] == check["totals"]["subtotal"] - check["totals"]["comps"]
    assert last_audit(db).action == "line.comped"


def test_discounts_on_a_line_and_on_the_check_sum_exactly(manager_tablet, sent_check, db):
    wine = sent_check["lines"][1]
    check = manager_tablet.post(sent_check, "discount", line_id=wine["id"], percent_bp=1000,
                                reason="regular guest").get_json()
    check = manager_tablet.post(check, "discount", amount=333, reason="late food").get_json()
    totals = check["totals"]
    assert totals["discounts"] == (wine["total"] // 10) + 333
    assert totals["total"] == totals["subtotal"] - totals["discounts"]
    assert totals["total"] == sum(line["total"] for line in check["lines"])
    assert sum(t["net"] + t["tax"] for t in totals["tax"]) == totals["total"]
    assert last_audit(db).action == "discount.applied"


def test_a_waiter_needs_approval_for_a_discount(tablet, sent_check):
    response = tablet.post(sent_check, "discount", percent_bp=5000, reason="friend")
    assert response.status_code == 403
    both = tablet.post(sent_check, "discount", percent_bp=500, amount=100, reason="x",
                       manager_pin="9999")
    assert both.status_code == 422


def test_guessing_manager_pins_is_throttled_and_audited(tablet, sent_check, db):
    steak = sent_check["lines"][0]
    statuses = [tablet.post(sent_check, f"lines/{steak['id']}/void", reason="guest left",
                            manager_pin=pin).status_code
                for pin in ("1234", "2345", "3456", "4567", "5678")]
    assert statuses == [403, 403, 403, 403, 429]
    locked = tablet.post(sent_check, f"lines/{steak['id']}/void", reason="guest left",
                         manager_pin="9999")  # even the right PIN waits out the lock
    assert locked.status_code == 429
    assert locked.get_json()["error"]["field"] == "manager_pin"
    with db.reading() as session:
        failures = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "approval.failed")).all()
    assert len(failures) == 5
    assert all(entry.staff_id == 1 for entry in failures)
    assert tablet.check(sent_check["id"])["lines"][0]["status"] == "sent"
