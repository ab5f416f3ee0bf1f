"""The audit log is append-only: no path updates or deletes an entry, not even raw SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from pos.core.audit import AuditEntry, record_audit
from pos.core.auth import Actor, Role


def test_sensitive_actions_are_recorded_with_who_approved(db):
    waiter = Actor(role=Role.WAITER, name="Ana", staff_id=1)
    with db.transaction() as session:
        record_audit(session, "line.voided", actor=waiter, approved_by=9, subject="check:7/line:3",
                     reason="guest changed mind")
    with db.reading() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.staff_id, entry.approved_by_id) == ("line.voided", 1, 9)
    assert entry.details == {"reason": "guest changed mind"}
    assert entry.at is not None


def test_an_unknown_action_is_a_programming_error(db):
    with pytest.raises(ValueError), db.transaction() as session:
        record_audit(session, "made.up")


def test_the_orm_refuses_to_change_or_delete_an_entry(db):
    with db.transaction() as session:
        record_audit(session, "drawer.no_sale")
    for change in (lambda e: setattr(e, "action", "signin"), lambda e: session.delete(e)):
        with pytest.raises(PermissionError), db.transaction() as session:
            change(session.scalars(select(AuditEntry)).first())


@pytest.mark.parametrize("sql", ["UPDATE audit_log SET action = 'signin'",
                                 "DELETE FROM audit_log"])
def test_the_database_refuses_raw_updates_and_deletes(db, sql):
    with db.transaction() as session:
        record_audit(session, "drawer.no_sale")
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
        session.execute(text(sql))
