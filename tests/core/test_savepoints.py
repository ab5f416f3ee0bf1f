"""A savepoint released inside a write transaction commits nothing: events recorded
before it are published only when the whole transaction commits, and never when it
rolls back."""

from __future__ import annotations

import pytest

from pos.core.events import record_event


def test_events_wait_for_the_real_commit_not_a_savepoint(db):
    published = []
    db.after_commit.append(lambda session: published.append("commit"))
    with db.transaction() as session:
        record_event(session, "/office", "office", "note", {"n": 1})
        with session.begin_nested():
            record_event(session, "/office", "office", "note", {"n": 2})
        assert published == []
    assert published == ["commit"]


def test_a_rolled_back_transaction_publishes_nothing_after_a_savepoint(db):
    published = []
    db.after_commit.append(lambda session: published.append("commit"))
    with pytest.raises(RuntimeError), db.transaction() as session:
        record_event(session, "/office", "office", "note", {"n": 1})
        with session.begin_nested():
            session.flush()
        raise RuntimeError("the operation refused")
    assert published == []
