"""The audit log viewer's API: filtered by who, what and when, paged, newest first, and
exported as CSV with the same filters."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from factories import make_staff

from pos.core import db as core_db
from pos.core.audit import record_audit
from pos.staff.models import StaffMember
from pos.staff.operations import actor_for_staff


@pytest.fixture
def log(db):
    """Six entries by two people over two days (venue time: Bucharest, UTC+2 in winter)."""
    ana, bob = make_staff(db, "cashier", name="Ana Log"), make_staff(db, "manager", name="Bob Log")
    moments = iter([datetime(2026, 1, 5, 21, 30, tzinfo=UTC),  # 23:30 on the 5th, venue time
                    datetime(2026, 1, 5, 22, 30, tzinfo=UTC),  # 00:30 on the 6th
                    datetime(2026, 1, 6, 9, 0, tzinfo=UTC),
                    datetime(2026, 1, 6, 10, 0, tzinfo=UTC),
                    datetime(2026, 1, 6, 11, 0, tzinfo=UTC),
                    datetime(2026, 1, 6, 12, 0, tzinfo=UTC)])
    clock, core_db.clock = core_db.clock, lambda: next(moments)
    try:
        with db.transaction() as session:
            def actor(person):
                return actor_for_staff(session.get(StaffMember, person.id))
            for person, action, subject, details in [
                (ana, "payment.taken", "bill:1", {"amount": 1250}),
                (ana, "payment.refunded", "=HYPERLINK(\"x\")", {"reason": "cold"}),
                (bob, "settings.changed", "venue", {"changes": {"name": ["Old", "New"]}}),
                (ana, "drawer.no_sale", None, {}),
                (bob, "payment.refunded", "payment:2", {}),
                (bob, "line.voided", "check:3/line:9", {}),
            ]:
                entry = record_audit(session, action, actor=actor(person), subject=subject,
                                     **details)
                entry.at = core_db.utcnow()
    finally:
        core_db.clock = clock
    return ana, bob


def test_the_log_is_filtered_by_who_what_and_when_newest_first(as_role, log):
    ana, bob = log
    auditor = as_role("manager")
    everything = auditor.get("/api/v1/audit?since=2026-01-05&until=2026-01-06").get_json()
    assert everything["total"] == 6
    assert [e["action"] for e in everything["entries"]][:2] == ["line.voided",
                                                              "payment.refunded"]
    by_ana = auditor.get(f"/api/v1/audit?staff_id={ana.id}").get_json()
    assert {e["staff"] for e in by_ana["entries"]} == {"Ana Log"}
    assert by_ana["total"] == 3
    refunds = auditor.get("/api/v1/audit?action=payment.refunded").get_json()
    assert [e["staff"] for e in refunds["entries"]] == ["Bob Log", "Ana Log"]
    payments = auditor.get(f"/api/v1/audit?action=payment&staff_id={ana.id}").get_json()
    assert payments["total"] == 2
    # The 5th in the venue's calendar ends at 22:00 UTC: 23:30 is in it, 00:30 is not.
    fifth = auditor.get("/api/v1/audit?since=2026-01-05&until=2026-01-05").get_json()
    assert [e["action"] for e in fifth["entries"]] == ["payment.taken"]


def test_the_log_comes_a_page_at_a_time(as_role, log):
    auditor = as_role("manager")
    days = "since=2026-01-05&until=2026-01-06"
    first = auditor.get(f"/api/v1/audit?{days}&per_page=4&page=1").get_json()
    second = auditor.get(f"/api/v1/audit?{days}&per_page=4&page=2").get_json()
    assert (first["total"], len(first["entries"]), len(second["entries"])) == (6, 4, 2)
    assert {e["id"] for e in first["entries"]}.isdisjoint(e["id"] for e in second["entries"])
    beyond = auditor.get(f"/api/v1/audit?{days}&per_page=4&page=3").get_json()
    assert beyond["entries"] == [] and beyond["total"] == 6


@pytest.mark.parametrize(("query", "field"), [
    ("since=yesterday", "since"), ("since=2026-01-07&until=2026-01-06", "until"),
    ("action=DROP TABLE", "action"), ("per_page=100000", "per_page"), ("page=0", "page"),
    ("who=1", "who"),
])
def test_a_filter_that_makes_no_sense_is_refused_naming_it(as_role, query, field):
    refused = as_role("manager").get(f"/api/v1/audit?{query}")
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["error"]["field"] == field


def test_the_export_is_csv_with_the_same_filters_and_no_formulas(as_role, log):
    ana, _bob = log
    answer = as_role("manager").get(f"/api/v1/audit.csv?staff_id={ana.id}&action=payment")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["id", "at", "action"]
    assert [row[2] for row in rows[1:]] == ["payment.refunded", "payment.taken"]
    assert rows[1][7] == "reason=cold"
    assert rows[1][1].startswith("2026-01-06T00:30:00+02:00")
    assert rows[1][6].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it


def test_only_who_may_read_the_log_reads_it(as_role):
    waiter = as_role("waiter")
    assert waiter.get("/api/v1/audit").status_code == 403
    assert waiter.get("/api/v1/audit.csv").status_code == 403
    assert waiter.get("/office/audit").status_code == 403
