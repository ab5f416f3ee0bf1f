"""Retention while serving: events past their window and idempotency keys past theirs are
deleted by the running server, a bounded batch per transaction, without a restart."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
import requests
from factories import make_staff, session_cookie_at, signed_in, write_events
from sqlalchemy import event, select, update
from support import ScreenClient, ServerProcess, wait_until

from app import create_app
from pos.core.api import IdempotencyKey, prune_idempotency_keys
from pos.core.auth import Role
from pos.core.db import utcnow
from pos.core.events import (
    Event,
    OutboxState,
    Retention,
    prune_events,
    pruned_through,
    replay_events,
    sweep_retention,
)

WINDOW = timedelta(hours=48)
RETENTION = Retention(events=WINDOW, idempotency_keys=WINDOW, every_seconds=0.2)


def write_keys(db, count: int) -> list[str]:
    keys = [uuid.uuid4().hex for _ in range(count)]
    with db.transaction() as session:
        session.add_all([IdempotencyKey(key=key, request_hash="-", status=201, response={})
                         for key in keys])
    return keys


def age(db, *, events: list[int] = (), keys: list[str] = (), hours: float) -> None:
    """As if these rows were written ``hours`` ago."""
    then = utcnow() - timedelta(hours=hours)
    with db.transaction() as session:
        if events:
            session.execute(update(Event).where(Event.id.in_(events)).values(created_at=then))
        if keys:
            session.execute(update(IdempotencyKey).where(IdempotencyKey.key.in_(keys))
                            .values(created_at=then))


def events_left(db, ids: list[int]) -> list[int]:
    with db.reading() as session:
        return sorted(session.scalars(select(Event.id).where(Event.id.in_(ids))))


def keys_left(db, keys: list[str]) -> list[str]:
    with db.reading() as session:
        return sorted(session.scalars(select(IdempotencyKey.key)
                                      .where(IdempotencyKey.key.in_(keys))))


def test_the_serving_server_prunes_old_events_and_keys_without_a_restart(database_url,
                                                                         tmp_path, db):
    """``python app.py`` (the production server) with a sweep every 0.2 s: rows aged past
    48 h after it started disappear while it serves; younger ones stay."""
    manager = make_staff(db, Role.MANAGER)
    server = ServerProcess(database_url, tmp_path / "instance",
                           MASA_RETENTION_SWEEP_SECONDS="0.2").start()
    try:
        cookie = session_cookie_at(server.url, manager)

        def pair(key: str) -> requests.Response:
            return requests.post(server.url + "/api/v1/devices", timeout=5,
                                 json={"label": "Bar screen", "role": "kitchen"},
                                 headers={"Cookie": cookie, "Idempotency-Key": key})

        old_key, new_key = uuid.uuid4().hex, uuid.uuid4().hex
        first_old, first_new = pair(old_key), pair(new_key)
        assert first_old.status_code == first_new.status_code == 201
        old, recent = write_events(db, 3), write_events(db, 2)
        age(db, events=old, keys=[old_key], hours=49)
        age(db, events=recent, keys=[new_key], hours=47)

        wait_until(lambda: not events_left(db, old) and not keys_left(db, [old_key]),
                   timeout=15)
        time.sleep(1)  # several more sweeps
        assert events_left(db, recent) == recent
        assert keys_left(db, [new_key]) == [new_key]

        again_old = pair(old_key)  # a replay after the window: a new request
        assert again_old.status_code == 201
        assert "Idempotent-Replayed" not in again_old.headers
        assert again_old.json()["id"] != first_old.json()["id"]
        again_new = pair(new_key)  # within it: the first answer
        assert again_new.headers["Idempotent-Replayed"] == "true"
        assert again_new.json() == first_new.json()

        away = ScreenClient(server.url, "/office", cookie=cookie)
        away.connect(last_event=old[0])  # it last saw an event that is gone
        assert away.replays[-1]["snapshot_required"] is True
        assert away.ids() == []
        away.close()
        caught_up = ScreenClient(server.url, "/office", cookie=cookie)
        caught_up.connect(last_event=old[-1])  # it saw everything that was pruned
        assert caught_up.replays[-1]["snapshot_required"] is False
        assert caught_up.ids() == recent
        caught_up.close()
    finally:
        server.kill()


def test_a_sweep_deletes_in_bounded_batches_each_committed_on_its_own(db):
    """12 old events and 7 old keys with batches of 5: no statement deletes more than 5
    and each delete is committed before the next, so the write lock is free in between."""
    old_events, recent_events = write_events(db, 12), write_events(db, 2)
    old_keys, recent_keys = write_keys(db, 7), write_keys(db, 2)
    age(db, events=old_events, keys=old_keys, hours=48.5)
    age(db, events=recent_events, keys=recent_keys, hours=47.5)
    steps: list[tuple[str, int] | str] = []

    def on_execute(_conn, _cursor, statement, _params, _context, _many):
        if statement.lstrip().upper().startswith("DELETE"):
            steps.append((statement.split()[2].strip('"'), _cursor.rowcount))

    event.listen(db.engine, "after_cursor_execute", on_execute)
    db.after_commit.append(lambda _session: steps.append("commit"))
    try:
        swept = sweep_retention(db, RETENTION, batch=5, pause=lambda _seconds: None)
    finally:
        event.remove(db.engine, "after_cursor_execute", on_execute)
    assert (swept.events, swept.idempotency_keys) == (12, 7)
    assert steps == [("events", 5), "commit", ("events", 5), "commit", ("events", 2), "commit",
                     ("idempotency_keys", 5), "commit", ("idempotency_keys", 2), "commit"]
    assert events_left(db, old_events + recent_events) == recent_events
    assert keys_left(db, old_keys + recent_keys) == sorted(recent_keys)
    with db.reading() as session:
        assert pruned_through(session) == old_events[-1]
        assert replay_events(session, "/office", ["office"], after=old_events[0]).snapshot_required
        caught_up = replay_events(session, "/office", ["office"], after=old_events[-1])
    assert [e.id for e in caught_up.events] == recent_events


def test_a_replayed_request_after_its_key_is_pruned_is_a_new_request(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    key = uuid.uuid4().hex
    body = {"label": "Pass screen", "role": "kitchen"}
    first = manager.post("/api/v1/devices", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201
    age(db, keys=[key], hours=49)
    with db.transaction() as session:
        assert prune_idempotency_keys(session, WINDOW) == 1
    again = manager.post("/api/v1/devices", json=body, headers={"Idempotency-Key": key})
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert again.get_json()["id"] != first.get_json()["id"]


def test_pruning_never_lowers_how_far_events_were_pruned(db):
    [old] = write_events(db, 1)
    age(db, events=[old], hours=49)
    with db.transaction() as session:
        session.merge(OutboxState(id=1, pruned_through=old + 1000))
    with db.transaction() as session:
        assert prune_events(session, WINDOW) == 1
    with db.reading() as session:
        assert pruned_through(session) == old + 1000


def test_a_replay_racing_a_sweep_never_skips_events_silently(db):
    """The sweep commits between a replay's first look at how far events were pruned and
    its read of the events (on PostgreSQL each statement sees the latest commit): the
    screen gets every event it missed or is told to reload, never a hole."""
    seen, *missed = write_events(db, 4)
    age(db, events=[seen, *missed[:2]], hours=49)
    swept: list[int] = []

    with db.reading() as session:
        @event.listens_for(session, "do_orm_execute")
        def sweep_first(state):
            described = state.statement.column_descriptions
            if not swept and state.is_select and described[0]["type"] is Event:
                with db.transaction() as other:
                    swept.append(prune_events(other, WINDOW))

        replay = replay_events(session, "/office", ["office"], after=seen)
    assert swept and swept[0] >= 3
    assert replay.snapshot_required or [e.id for e in replay.events] == missed


@pytest.mark.parametrize(("hours", "seconds"), [("72", "30"), ("0.5", "0")])
def test_the_windows_and_the_period_come_from_the_environment(monkeypatch, tmp_path,
                                                              database_url, hours, seconds):
    monkeypatch.setenv("MASA_IDEMPOTENCY_KEEP_HOURS", hours)
    monkeypatch.setenv("MASA_RETENTION_SWEEP_SECONDS", seconds)
    app = create_app({"MASA_DATABASE_URL": database_url, "MASA_SECRET_KEY": "x",
                      "INSTANCE_PATH": str(tmp_path), "MASA_PRINT_WORKER": False,
                      "MASA_SESSION_SWEEPER": False})
    retention = Retention.from_config(app.config)
    app.extensions["masa_db"].dispose()
    assert retention.idempotency_keys == timedelta(hours=float(hours))
    assert retention.events == timedelta(hours=48)
    assert retention.every_seconds == float(seconds)


def test_by_default_a_retry_finds_its_answer_for_two_days_swept_every_five_minutes(app):
    retention = Retention.from_config(app.config)
    assert retention.idempotency_keys == timedelta(hours=48)
    assert retention.every_seconds == 300
