"""Sign-ins live on the server: ending one (sign-out, idle, another PIN, a PIN change,
a role change, deactivation) kills every copy of its cookie and cuts its live screens."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from factories import make_staff, make_station, signed_in
from sqlalchemy import select
from support import ScreenClient, connect_error, wait_until

from pos.core.auth import Role
from pos.core.db import utcnow
from pos.staff.models import StaffSession
from pos.staff.sessions import end_idle_sessions


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def copy_of(app, cookie: str):
    """Another browser holding a copy of the same session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_the_cookie_carries_only_a_random_key(app, db):
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    payload = cookie_of(waiter).split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(data) == {"sk"} and len(data["sk"]) >= 40


def test_signing_out_ends_every_copy_of_the_cookie(app, db):
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    copied = copy_of(app, cookie_of(waiter))
    assert copied.get("/api/v1/checks").status_code == 200
    assert waiter.delete("/api/v1/session", json={}).status_code == 200
    refused = copied.get("/api/v1/checks")
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "session_ended"
    with db.reading() as session:
        assert session.scalar(select(StaffSession.end_reason)) == "signed_out"


def test_another_pin_on_the_screen_ends_the_first_sign_in(app, db):
    ana, mihai = make_staff(db, Role.WAITER), make_staff(db, Role.WAITER)
    screen = signed_in(app, ana)
    anas_copy = copy_of(app, cookie_of(screen))
    screen.post("/api/v1/session", json={"pin": mihai.pin})
    assert screen.get("/api/v1/session").get_json()["staff"]["id"] == mihai.id
    assert anas_copy.get("/api/v1/checks").status_code == 401


def test_a_pin_change_signs_its_owner_out_everywhere(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    waiter = make_staff(db, Role.WAITER)
    tablet, phone = signed_in(app, waiter), signed_in(app, waiter)
    changed = manager.post(f"/api/v1/staff/{waiter.id}/pin", json={})
    assert changed.status_code == 200
    new_pin = changed.get_json()["pin"]
    assert tablet.get("/api/v1/checks").status_code == 401
    assert phone.get("/api/v1/checks").status_code == 401
    assert app.test_client().post("/api/v1/session", json={"pin": waiter.pin}).status_code == 401
    assert app.test_client().post("/api/v1/session", json={"pin": new_pin}).status_code == 200


def test_deactivating_or_a_new_role_signs_them_out(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    cook, waiter = make_staff(db, Role.KITCHEN), make_staff(db, Role.WAITER)
    cooks_screen, waiters_tablet = signed_in(app, cook), signed_in(app, waiter)
    assert manager.patch(f"/api/v1/staff/{cook.id}", json={"active": False}).status_code == 200
    assert manager.patch(f"/api/v1/staff/{waiter.id}", json={"role": "host"}).status_code == 200
    assert cooks_screen.get("/api/v1/venue").status_code == 401
    assert waiters_tablet.get("/api/v1/venue").status_code == 401
    assert app.test_client().post("/api/v1/session", json={"pin": cook.pin}).status_code == 401
    as_host = app.test_client().post("/api/v1/session", json={"pin": waiter.pin}).get_json()
    assert as_host["staff"]["role"] == "host"


def test_a_plain_request_does_not_re_sign_the_cookie(app, db):
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    response = waiter.get("/api/v1/checks")
    assert "Set-Cookie" not in response.headers


def test_signing_out_cuts_the_screens_live_connection(live_server, db):
    app = live_server.app
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    cookie = f"session={cookie_of(waiter)}"
    floor = ScreenClient(live_server.url, "/floor", cookie=cookie).connect(last_event=0)
    waiter.delete("/api/v1/session", json={})
    wait_until(lambda: "/floor" not in floor.sio.namespaces)
    # The copied cookie can neither come back nor be replayed what it missed.
    refused = connect_error(live_server.url, "/floor", cookie=cookie, last_event=0)
    assert refused["error"]["code"] == "session_ended"
    floor.close()


def test_an_idle_sign_in_is_ended_and_its_screen_cut(live_server, db):
    app = live_server.app
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    other = signed_in(app, make_staff(db, Role.WAITER))
    floor = ScreenClient(live_server.url, "/floor",
                         cookie=f"session={cookie_of(waiter)}").connect(last_event=0)
    busy = ScreenClient(live_server.url, "/floor",
                        cookie=f"session={cookie_of(other)}").connect(last_event=0)
    with db.transaction() as session:
        row = session.scalars(select(StaffSession).order_by(StaffSession.id)).first()
        row.last_seen_at = utcnow() - timedelta(hours=1)
    with db.transaction() as session:  # what the sweeper does every few seconds
        assert len(end_idle_sessions(session)) == 1
    wait_until(lambda: "/floor" not in floor.sio.namespaces)
    assert "/floor" in busy.sio.namespaces
    assert waiter.get("/api/v1/checks").status_code == 401
    assert other.get("/api/v1/checks").status_code == 200
    floor.close()
    busy.close()


def test_a_socket_cannot_rerun_its_connect_handshake(live_server, db):
    """A client may emit an event named "connect"; it must not join rooms or replay again."""
    app = live_server.app
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    floor = ScreenClient(live_server.url, "/floor",
                         cookie=f"session={cookie_of(waiter)}").connect(last_event=0)
    floor.sio.emit("connect", {"last_event": 0}, namespace="/floor")
    floor.sio.emit("disconnect", namespace="/floor")
    answer = floor.sio.call("sync", {"last_event": 0}, namespace="/floor")
    assert "floor" in answer
    assert len(floor.replays) == 2  # the handshake's, and the sync just asked for
    floor.close()


def test_pairing_a_screen_again_revokes_its_old_pairing(app, db):
    manager = make_staff(db, Role.MANAGER)
    grill, bar = make_station(db), make_station(db)
    screen = app.test_client()
    first = screen.post("/api/v1/devices/pair-here", json={
        "manager_pin": manager.pin, "label": "Grill", "role": "kitchen", "station": grill})
    assert first.status_code == 201
    old_token = screen.get_cookie("masa_device").value
    again = screen.post("/api/v1/devices/pair-here", json={
        "manager_pin": manager.pin, "label": "Bar", "role": "kitchen", "station": bar})
    assert again.status_code == 201
    assert screen.get(f"/api/v1/kitchen/{bar}").status_code == 200
    stale = app.test_client().get("/api/v1/venue",
                                  headers={"Authorization": f"Bearer {old_token}"})
    assert stale.status_code == 401


def test_pairing_here_needs_a_managers_pin(app, db):
    waiter = make_staff(db, Role.WAITER)
    screen = app.test_client()
    answer = screen.post("/api/v1/devices/pair-here", json={
        "manager_pin": waiter.pin, "label": "Grill", "role": "kitchen",
        "station": make_station(db)})
    assert answer.status_code == 403
    assert answer.get_json()["error"]["field"] == "manager_pin"
    assert screen.get_cookie("masa_device") is None


def test_a_sign_in_ended_by_another_process_holds_here_for_at_most_a_second(app, db,
                                                                             database_url):
    """A process may reuse what it read about a sign-in for a second; ended elsewhere
    (another process, which cannot empty this one's memory), it is refused after that."""
    import time

    from pos.core.db import Database
    from pos.staff.sessions import end_session

    waiter = signed_in(app, make_staff(db, Role.WAITER))
    assert waiter.get("/api/v1/checks").status_code == 200
    elsewhere = Database(database_url)  # another process's connection: no publisher here
    with elsewhere.transaction() as session:
        end_session(session, session.scalar(select(StaffSession.id)), "signed_out")
    elsewhere.dispose()
    time.sleep(1.1)
    assert waiter.get("/api/v1/checks").status_code == 401
