"""Every route and socket event checks the role: by HTTP and by Socket.IO."""

from __future__ import annotations

import pytest
from factories import make_staff, make_station, session_cookie, signed_in
from support import ScreenClient, connect_error, wait_until

from pos.core.api import ROUTES
from pos.core.auth import PERMISSIONS, Permission, Role


def cookie_of(live_server, role: Role) -> str:
    """The cookie of a browser signed in as a new staff member in ``role``."""
    return session_cookie(live_server.app, make_staff(live_server.app.extensions["masa_db"],
                                                      role))


def test_a_waiter_cannot_reach_a_manager_route(app, db):
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    response = waiter.post("/api/v1/staff", json={"name": "X", "role": "admin", "pin": "4747"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert waiter.get("/api/v1/devices").status_code == 403
    assert waiter.post("/api/v1/business-day/open", json={}).status_code == 403


def test_nobody_signed_in_gets_401(client):
    response = client.get("/api/v1/staff")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_signed_in"


def test_a_manager_reaches_manager_routes(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    assert manager.get("/api/v1/staff").status_code == 200
    assert manager.post("/api/v1/business-day/close", json={}).status_code == 200


def test_every_api_route_names_a_permission_unless_a_pin_is_its_key():
    public = {(r.method, r.rule) for r in ROUTES if r.permission is None}
    assert public == {("POST", "/api/v1/session"), ("GET", "/api/v1/session"),
                      ("GET", "/api/v1/session/state"), ("DELETE", "/api/v1/session"),
                      ("POST", "/api/v1/devices/pair-here"),
                      ("POST", "/api/v1/time-clock/punch")}  # a PIN clocks its owner


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_exactly_its_permissions(role, app, db):
    client = signed_in(app, make_staff(db, role))
    allowed = client.get("/api/v1/staff").status_code == 200
    assert allowed == (Permission.STAFF_MANAGE in PERMISSIONS[role])


def test_a_waiter_cannot_join_the_office_or_the_kitchen_socket(live_server, db):
    waiter = cookie_of(live_server, Role.WAITER)
    refused = connect_error(live_server.url, "/office", cookie=waiter, last_event=0)
    assert refused["error"]["code"] == "forbidden"
    refused = connect_error(live_server.url, "/kitchen", cookie=waiter, station=make_station(db))
    assert refused["error"]["code"] == "forbidden"


def test_an_unsigned_socket_is_refused(live_server):
    refused = connect_error(live_server.url, "/floor", last_event=0)
    assert refused["error"]["code"] == "not_signed_in"


def test_a_waiter_joins_the_floor_socket(live_server):
    screen = ScreenClient(live_server.url, "/floor",
                          cookie=cookie_of(live_server, Role.WAITER)).connect(last_event=0)
    assert screen.replays[0]["snapshot_required"] is False
    screen.close()


def test_a_kitchen_screen_must_say_its_station(live_server):
    cook = cookie_of(live_server, Role.KITCHEN)
    refused = connect_error(live_server.url, "/kitchen", cookie=cook)
    assert refused["error"]["field"] == "station"


def test_a_malformed_last_event_is_refused(live_server):
    refused = connect_error(live_server.url, "/floor", cookie=cookie_of(live_server, Role.WAITER),
                            last_event="yesterday")
    assert refused["error"]["field"] == "last_event"


def test_a_revoked_device_is_cut_off_at_once(live_server, db):
    """A device revoked while its screen is connected is disconnected and cannot come back."""
    manager = signed_in(live_server.app, make_staff(db, Role.MANAGER))
    paired = manager.post("/api/v1/devices", json={"label": "Grill KDS", "role": "kitchen",
                                                   "station": make_station(db)}).get_json()
    screen = ScreenClient(live_server.url, "/kitchen", token=paired["token"]).connect(last_event=0)
    assert "floor" in screen.sio.call("sync", {"last_event": 0}, namespace="/kitchen")
    manager.post(f"/api/v1/devices/{paired['id']}/revoke", json={})
    wait_until(lambda: "/kitchen" not in screen.sio.namespaces)  # the server cut it off
    refused = connect_error(live_server.url, "/kitchen", token=paired["token"], last_event=0)
    assert refused["error"]["code"] == "not_signed_in"
    screen.close()
