"""Signing in on a shared tablet: PINs, the throttle, switching staff, idle sign-out, devices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from factories import Person, make_staff, make_station, pin_pad, signed_in
from sqlalchemy import select

from pos.core.audit import AuditEntry
from pos.core.auth import Role
from pos.core.db import utcnow
from pos.staff.models import StaffMember, StaffSession
from pos.staff.operations import sign_in_with_pin
from pos.staff.pins import PinCheck, PinPolicy
from pos.staff.web import ActorCache
from pos.venue.models import Venue

WRONG = "0000"  # nobody's: Masa makes 6-digit PINs


def audit_actions(db) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def waiter(db) -> Person:
    return make_staff(db, Role.WAITER)


@pytest.fixture
def manager(app, db):
    """A manager's screen, signed in."""
    return signed_in(app, make_staff(db, Role.MANAGER))


def test_a_pin_signs_in_its_owner(client, waiter):
    response = client.post("/api/v1/session", json={"pin": waiter.pin})
    assert response.status_code == 200
    body = response.get_json()
    assert body["staff"]["name"] == waiter.name
    assert body["staff"]["role"] == "waiter"
    assert "order.take" in body["permissions"]
    assert client.get("/api/v1/session").get_json()["staff"]["name"] == waiter.name


def test_pins_are_stored_as_argon2_hashes_only(db, waiter):
    with db.reading() as session:
        members = session.scalars(select(StaffMember)).all()
    for member in members:
        assert member.pin_hash.startswith("$argon2id$")
        if member.id == waiter.id:
            assert waiter.pin not in member.pin_hash and waiter.pin not in member.pin_lookup
    assert waiter.id in {member.id for member in members}


def test_a_wrong_pin_is_refused_and_logged(client, db):
    response = client.post("/api/v1/session", json={"pin": WRONG})
    assert response.status_code == 401
    assert response.get_json()["error"] == {"code": "wrong_pin", "field": "pin",
                                            "message": response.get_json()["error"]["message"]}
    assert audit_actions(db)[-1] == "signin.failed"


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", ""])
def test_a_malformed_pin_names_the_field(client, pin):
    response = client.post("/api/v1/session", json={"pin": pin})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "pin"


def test_five_wrong_pins_lock_the_pad_for_a_growing_delay(client, db, waiter):
    for _ in range(4):
        assert client.post("/api/v1/session", json={"pin": WRONG}).status_code == 401
    locked = client.post("/api/v1/session", json={"pin": WRONG})
    assert locked.status_code == 429
    assert locked.get_json()["error"]["code"] == "locked"
    first_delay = locked.get_json()["error"]["retry_after"]
    assert int(locked.headers["Retry-After"]) == first_delay == 30
    # Even the right PIN is refused while the pad is locked.
    assert client.post("/api/v1/session", json={"pin": waiter.pin}).status_code == 429
    assert audit_actions(db).count("signin.failed") == 6
    assert "signin.locked" in audit_actions(db)


def test_the_lock_doubles_each_time_it_trips(app, db):
    policy = PinPolicy(max_failures=5, lock_seconds=30)
    delays = []
    moment = datetime.now(UTC)
    with app.app_context():
        for _round in range(3):
            result = None
            for _ in range(5):
                with db.transaction() as session:
                    result = sign_in_with_pin(session, pin=WRONG, pad="p1", check=PinCheck(
                        app.config["SECRET_KEY"], policy, address="10.0.0.9"),
                        device_label="test", now=moment)
            delays.append(result.retry_after)
            moment += timedelta(seconds=result.retry_after + 1)
    assert delays == [30, 60, 120]


def test_a_client_without_a_pad_cookie_gets_five_tries(app):
    statuses = [app.test_client().post("/api/v1/session", json={"pin": WRONG}).status_code
                for _ in range(5)]
    assert statuses == [401] * 4 + [429]


def test_a_made_up_pad_cookie_counts_as_no_pad(app):
    """Only pad ids this server signed count as pads; invented ones share one streak."""
    statuses = []
    for attempt in range(6):
        fresh = app.test_client()
        fresh.set_cookie("masa_pad", f"forged-{attempt}")
        statuses.append(fresh.post("/api/v1/session", json={"pin": WRONG}).status_code)
    assert statuses == [401] * 4 + [429, 429]


def test_one_pad_locking_does_not_lock_another(app, waiter):
    first, second = pin_pad(app), pin_pad(app)
    for _ in range(5):
        first.post("/api/v1/session", json={"pin": WRONG})
    assert first.post("/api/v1/session", json={"pin": waiter.pin}).status_code == 429
    assert second.post("/api/v1/session", json={"pin": waiter.pin}).status_code == 200


def test_a_good_pin_ends_the_pads_streak(app, waiter):
    client = pin_pad(app)
    for _ in range(4):
        client.post("/api/v1/session", json={"pin": WRONG})
    assert client.post("/api/v1/session", json={"pin": waiter.pin}).status_code == 200
    for _ in range(4):
        assert client.post("/api/v1/session", json={"pin": WRONG}).status_code == 401


def test_another_pin_on_the_same_screen_switches_staff(client, db, waiter):
    other = make_staff(db, Role.WAITER)
    client.post("/api/v1/session", json={"pin": waiter.pin})
    response = client.post("/api/v1/session", json={"pin": other.pin})
    assert response.get_json()["staff"]["name"] == other.name
    assert client.get("/api/v1/session").get_json()["staff"]["name"] == other.name


def test_signing_out(client, waiter):
    client.post("/api/v1/session", json={"pin": waiter.pin})
    assert client.delete("/api/v1/session", json={}).status_code == 200
    assert client.get("/api/v1/session").status_code == 401


def last_seen_ago(app, db, seconds: int) -> None:
    """As if every open sign-in was last seen ``seconds`` ago (and the second for which a
    request may reuse what it read about a sign-in is long past)."""
    with db.transaction() as session:
        for row in session.scalars(select(StaffSession).where(StaffSession.ended_at.is_(None))):
            row.last_seen_at = utcnow() - timedelta(seconds=seconds)
    app.extensions["masa_actor_cache"] = ActorCache()


def test_an_idle_screen_is_signed_out(app, client, db, waiter):
    with db.transaction() as session:
        session.get(Venue, 1).idle_signout_seconds = 60
    client.post("/api/v1/session", json={"pin": waiter.pin})
    last_seen_ago(app, db, 59)
    assert client.get("/api/v1/session").status_code == 200  # a request is activity…
    last_seen_ago(app, db, 59)
    assert client.get("/api/v1/session").status_code == 200  # …so it holds on
    last_seen_ago(app, db, 60 + 7)  # the limit, and the 6 s a request may be late to say so
    ended = client.get("/api/v1/session")
    assert ended.status_code == 401
    assert ended.get_json()["error"]["code"] == "session_ended"
    assert ended.get_json()["error"]["reason"] == "idle"


def test_a_deactivated_staff_member_is_out_at_once(client, waiter, manager):
    client.post("/api/v1/session", json={"pin": waiter.pin})
    assert client.get("/api/v1/session").status_code == 200
    manager.patch(f"/api/v1/staff/{waiter.id}", json={"active": False})
    assert client.get("/api/v1/session").status_code == 401


def test_a_manager_adds_staff_and_pins_stay_unique(manager, client, waiter):
    added = manager.post("/api/v1/staff", json={"name": "Dan", "role": "waiter", "pin": "246810"})
    assert added.status_code == 201
    assert added.get_json()["pin"] is None  # chosen by the manager: never echoed
    signed_in = client.post("/api/v1/session", json={"pin": "246810"}).get_json()
    assert signed_in["staff"]["name"] == "Dan"
    clash = manager.post("/api/v1/staff", json={"name": "Eve", "role": "waiter",
                                                "pin": waiter.pin})
    assert clash.status_code == 409
    assert clash.get_json()["error"]["field"] == "pin"
    assert "already" not in clash.get_json()["error"]["message"]


def test_without_a_pin_masa_makes_one_and_shows_it_once(manager, app):
    added = manager.post("/api/v1/staff", json={"name": "Ioana", "role": "bartender"})
    assert added.status_code == 201
    pin = added.get_json()["pin"]
    assert pin.isdigit() and len(pin) == 6
    signed_in = app.test_client().post("/api/v1/session", json={"pin": pin})
    assert signed_in.get_json()["staff"]["name"] == "Ioana"
    listed = manager.get("/api/v1/staff").get_json()
    assert all("pin" not in member for member in listed)


def test_a_paired_device_acts_in_its_role_until_revoked(manager, app, db):
    paired = manager.post("/api/v1/devices", json={"label": "Grill KDS", "role": "kitchen",
                                                   "station": make_station(db)})
    assert paired.status_code == 201
    token = paired.get_json()["token"]
    screen = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert screen.get("/api/v1/venue", headers=bearer).status_code == 200
    assert screen.get("/api/v1/staff", headers=bearer).status_code == 403
    manager.post(f"/api/v1/devices/{paired.get_json()['id']}/revoke", json={})
    assert screen.get("/api/v1/venue", headers=bearer).status_code == 401
    assert {"device.paired", "device.revoked"} <= set(audit_actions(db))


def test_pairing_this_screen_keeps_the_token_in_a_cookie_and_signs_the_manager_out(manager,
                                                                                     db):
    screen = manager
    response = screen.post("/api/v1/devices", json={"label": "Bar KDS", "role": "kitchen",
                                                    "station": make_station(db),
                                                    "this_device": True})
    assert response.status_code == 201
    assert screen.get_cookie("masa_device").value == response.get_json()["token"]
    assert screen.get("/api/v1/session").status_code == 401  # the manager is signed out
    assert screen.get("/api/v1/venue").status_code == 200  # the screen acts as the device


def test_only_the_token_hash_is_stored(manager, db):
    from pos.staff.models import Device

    token = manager.post("/api/v1/devices", json={"label": "KDS"}).get_json()["token"]
    with db.reading() as session:
        device = session.scalar(select(Device))
    assert token not in device.token_hash and len(device.token_hash) == 64
