"""The web's doors: no redirect off-site, no write from another origin or as a form,
bounded bodies and ids, and the headers that stop framing, sniffing and injected scripts."""

from __future__ import annotations

import re
import socket
import uuid

import pytest
import socketio
from factories import make_check, make_staff, make_table, make_venue, signed_in
from support import wait_until

from pos.core.auth import Role

HOSTILE_NEXT = ["/\\127.0.0.1:5999/x", "/\t/127.0.0.1:5999/x", "//127.0.0.1:5999/x",
                "http://127.0.0.1:5999/x", "/\\/evil.example", "javascript:alert(1)",
                "/\n/evil"]


def next_url_on_the_pad(client, target: str) -> str:
    page = client.get("/signin", query_string={"next": target}).get_data(as_text=True)
    return re.search(r'data-next-url="([^"]*)"', page).group(1)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_pin_pad_sends_nobody_off_site(client, target):
    assert next_url_on_the_pad(client, target) == "/"


def test_the_pin_pad_returns_to_a_page_of_ours(client):
    assert next_url_on_the_pad(client, "/kitchen/grill?x=1") == "/kitchen/grill?x=1"


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded",
                                          "text/plain", "multipart/form-data; boundary=x", None])
def test_a_write_that_is_not_json_is_refused(app, db, content_type):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    headers = {"Content-Type": content_type} if content_type else {}
    for path in ("/api/v1/business-day/open", "/api/v1/tables/1/clear"):
        answer = manager.post(path, data="a=1" if content_type else None, headers=headers)
        assert answer.status_code == 415, path
        assert answer.get_json()["error"]["field"] == "Content-Type"
    assert manager.get("/api/v1/checks").status_code == 200


def test_a_write_from_another_origin_is_refused(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    other_port = manager.post("/api/v1/business-day/close", json={},
                              headers={"Origin": "http://localhost:5999"})
    assert other_port.status_code == 403
    assert other_port.get_json()["error"] == {
        "code": "cross_origin", "field": "Origin",
        "message": other_port.get_json()["error"]["message"]}
    sneaky = manager.post("/api/v1/business-day/close", json={},
                          headers={"Sec-Fetch-Site": "same-site"})
    assert sneaky.status_code == 403
    ours = manager.post("/api/v1/business-day/close", json={},
                        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert ours.status_code == 200


def test_a_custom_header_is_as_good_as_json_for_a_body_less_write(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    answer = manager.post("/api/v1/business-day/close", headers={"X-Masa-Request": "1"})
    assert answer.status_code == 200


@pytest.mark.parametrize("path", ["/", "/signin", "/tablet", "/api/v1/venue", "/healthz"])
def test_every_answer_carries_the_security_headers(app, db, path):
    answer = signed_in(app, make_staff(db, Role.WAITER)).get(path)
    assert answer.status_code == 200
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"


def test_cookies_are_secure_behind_a_tls_proxy(database_url, tmp_path):
    from support import make_app

    app = make_app(database_url, tmp_path / "tls", MASA_SECURE_COOKIES=True, MASA_PROXIES=1)
    waiter = make_staff(app.extensions["masa_db"], Role.WAITER)
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.168.5.20",
             "X-Forwarded-Host": "pos.bistro.example"}
    client = app.test_client()
    signed = client.post("/api/v1/session", json={"pin": waiter.pin}, headers={
        **proxy, "Origin": "https://pos.bistro.example"})
    assert signed.status_code == 200
    cookie = signed.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert signed.headers["Strict-Transport-Security"].startswith("max-age=")
    # The origin check sees the proxy's https, so a plain-http origin is another site.
    plain = client.post("/api/v1/session", json={"pin": waiter.pin},
                        headers={**proxy, "Origin": "http://pos.bistro.example"})
    assert plain.status_code == 403
    app.extensions["masa_db"].dispose()


def test_a_huge_body_is_refused_before_it_is_read(client):
    answer = client.post("/api/v1/session", data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                         content_type="application/json")
    assert answer.status_code == 413
    assert answer.is_json


def test_the_real_server_refuses_a_huge_body_without_reading_it(live_server):
    """256 MB announced to the unauthenticated sign-in: answered 413 after the headers."""
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as connection:
        connection.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Content-Type: application/json\r\n"
                           b"Content-Length: 268435456\r\n\r\n{\"pin\": ")
        status_line = connection.recv(200).split(b"\r\n")[0]
    assert b" 413 " in status_line


@pytest.mark.parametrize("path", ["/api/v1/checks/9223372036854775808",
                                  "/api/v1/checks/99999999999999999999999",
                                  "/api/v1/kitchen/tickets/18446744073709551616/bump"])
def test_an_id_too_large_for_any_table_is_not_found(app, db, path):
    client = signed_in(app, make_staff(db, Role.MANAGER))
    answer = client.get(path) if "bump" not in path else client.post(path, json={})
    assert answer.status_code in (404, 405)
    assert answer.is_json


def test_an_integer_too_large_in_a_body_names_its_field(app, db):
    make_venue(db, day_open=True)
    tablet = signed_in(app, make_staff(db, Role.WAITER))
    check = make_check(tablet, table=make_table(db))
    answer = tablet.post(f"/api/v1/checks/{check['id']}/send", json={
        "client_id": str(uuid.uuid4()), "version": check["version"],
        "lines": [{"item_id": 2**63, "quantity": 1, "modifier_ids": []}]})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "lines.0.item_id"
    answer = tablet.post("/api/v1/checks", json={"table_id": 2**64, "guest_count": 2})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "table_id"


def test_every_integer_a_request_may_carry_is_bounded():
    """Request schemas, walked: an unbounded integer would reach the database as is."""
    from pos.core.api import ROUTES

    def unbounded(schema: dict, defs: dict, path: str) -> list[str]:
        if "$ref" in schema:
            return unbounded(defs[schema["$ref"].split("/")[-1]], defs, path)
        found = []
        if schema.get("type") == "integer" and "maximum" not in schema:
            found.append(path)
        for key in ("anyOf", "oneOf", "allOf"):
            for part in schema.get(key, []):
                found += unbounded(part, defs, path)
        for name, part in schema.get("properties", {}).items():
            found += unbounded(part, defs, f"{path}.{name}")
        if "items" in schema:
            found += unbounded(schema["items"], defs, f"{path}[]")
        if isinstance(schema.get("additionalProperties"), dict):
            found += unbounded(schema["additionalProperties"], defs, f"{path}{{}}")
        return found

    problems = []
    for route in ROUTES:
        for model in (route.body, route.query):
            if model is not None:
                schema = model.model_json_schema()
                problems += unbounded(schema, schema.get("$defs", {}), model.__name__)
    assert problems == []


def test_a_socket_from_another_origin_is_refused(live_server, db):
    waiter = signed_in(live_server.app, make_staff(db, Role.WAITER))
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server.url, namespaces=["/floor"], transports=["websocket"],
                       headers={"Cookie": f"session={waiter.get_cookie('session').value}",
                                "Origin": "http://127.0.0.1:5999"},
                       auth={"last_event": 0}, wait_timeout=3)
    wait_until(lambda: not client.connected)
