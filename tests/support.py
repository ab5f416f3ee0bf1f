"""Helpers shared by tests: a Socket.IO client that behaves like a Masa screen, and waiting."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import socketio
from socketio import base_client
from werkzeug.serving import make_server

from app import ROOT, create_app
from pos.demo import DEMO_STAFF

SECRET = "test-secret-key-not-for-production"
PG_URL = os.environ.get("MASA_TEST_DATABASE_URL")

PINS: dict[str, str] = {}  # each role's first demo PIN: "waiter" is Ana Popescu's 1111
for _name, _role, _pin, _language in DEMO_STAFF:
    PINS.setdefault(_role.value, _pin)


def wait_until(condition: Callable[[], Any], timeout: float = 5.0, interval: float = 0.01) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


class ScreenClient:
    """A real python-socketio client on one namespace that keeps what a screen keeps:
    the events it received, the last event id, and the floor from ``replay_done``.
    It reconnects by itself and then sends its last event id, as a screen does."""

    def __init__(self, url: str, namespace: str, *, cookie: str | None = None,
                 token: str | None = None, **auth: Any) -> None:
        self.url, self.namespace = url, namespace
        self.headers = {"Cookie": cookie} if cookie else {}
        self.auth = {**auth, **({"token": token} if token else {})}
        self.events: list[tuple[str, int, dict]] = []
        self.replays: list[dict] = []
        self.last_event: int | None = None
        self.floor = 0  # every event up to here is held, as the screens' live.js keeps it
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.05,
                                   reconnection_delay_max=0.2, randomization_factor=0)
        SCREENS.add(self.sio)
        self.sio.on("*", self._on_event, namespace=namespace)
        self.sio.on("replay_done", self._on_replay_done, namespace=namespace)

    def _auth(self) -> dict[str, Any]:
        return {**self.auth, "last_event": self.last_event}

    def _on_event(self, name: str, message: dict) -> None:
        with self.lock:
            self.events.append((name, message["id"], message["data"]))
            self.last_event = max(self.last_event or 0, message["id"])

    def _on_replay_done(self, done: dict) -> None:
        with self.lock:
            self.replays.append(done)
            self.floor = max(self.floor, done["floor"])
            if self.last_event is None or done["floor"] > self.last_event:
                self.last_event = done["floor"]

    def connect(self, last_event: int | None = None) -> ScreenClient:
        if last_event is not None:
            self.last_event = last_event
        replays = len(self.replays)
        self.sio.connect(self.url, namespaces=[self.namespace], transports=["websocket"],
                         headers=self.headers, auth=self._auth, wait_timeout=5)
        wait_until(lambda: len(self.replays) > replays)
        return self

    def ids(self, name: str | None = None) -> list[int]:
        with self.lock:
            return [i for n, i, _ in self.events if name is None or n == name]

    def drop_connection(self) -> None:
        """Cut the websocket as a Wi-Fi drop does: no goodbye, the client reconnects itself."""
        replays = len(self.replays)
        self.sio.eio.ws.sock.shutdown(socket.SHUT_RDWR)
        wait_until(lambda: len(self.replays) > replays)

    def heartbeat(self) -> None:
        """The sync a screen sends every few seconds: its floor and the ids it holds above
        it. The server sends what is missing (a publish lost with a killed process)."""
        with self.lock:
            seen = [i for _name, i, _data in self.events if i > self.floor]
        answer = self.sio.call("sync", {"last_event": self.floor, "seen": seen},
                               namespace=self.namespace, timeout=5)
        with self.lock:
            self.floor = max(self.floor, answer["floor"])

    def go_offline(self) -> None:
        """Cut the websocket and stay away (the Wi-Fi is off) until ``come_back``. The client
        does not retry meanwhile: python-socketio's retry can believe itself connected when
        the server dies between its namespace answer and its own bookkeeping."""
        self.sio.reconnection = False
        self.sio.eio.ws.sock.shutdown(socket.SHUT_RDWR)
        wait_until(lambda: not self.sio.connected and self.sio.eio.state == "disconnected")

    def come_back(self) -> None:
        """The Wi-Fi is back: connect again with the last event id the screen holds."""
        self.sio.reconnection = True
        self.connect()

    def close(self) -> None:
        close_quickly(self.sio)


SCREENS: weakref.WeakSet[socketio.Client] = weakref.WeakSet()


def stop_every_screen() -> None:
    """After each test: no screen outlives it, retrying forever (a thread each) a server
    that has gone, whether or not the test reached its own close."""
    for client in {*SCREENS, *base_client.reconnecting_clients}:
        client.reconnection = False
        if client.connected:
            close_quickly(client)
        else:
            client.shutdown()


def close_quickly(client: socketio.Client) -> None:
    """Disconnect without websocket-client's 3 s wait for the server's close frame, which
    the threaded Werkzeug server does not send; the server notices the closed socket."""
    if client.eio.ws is not None:
        close = client.eio.ws.close
        client.eio.ws.close = lambda *a, **kw: close(*a, **{**kw, "timeout": 0.05})
    client.disconnect()


def connect_error(url: str, namespace: str, *, cookie: str | None = None,
                  **auth: Any) -> dict | None:
    """The server's refusal to let this client join ``namespace`` (``{"error": {"code",
    "message", "field"}}``), or None if it was let in."""
    client = socketio.Client(reconnection=False)
    refused: list[Any] = []
    client.on("connect_error", lambda data: refused.append(data), namespace=namespace)
    client.connect(url, namespaces=[namespace], transports=["websocket"], wait=False,
                   headers={"Cookie": cookie} if cookie else {}, auth=auth)
    try:
        wait_until(lambda: refused or namespace in client.namespaces)
    finally:
        close_quickly(client)
    return {"error": refused[0]["data"]} if refused else None


# A steak as waiters order it: the forced questions answered.
STEAK = (401, "Medium rare", "French fries")


class Tablet:
    """A waiter's tablet speaking the API: signed in by ``pin``, or a paired device
    (a kiosk, an ordering integration) acting with its ``token``."""

    def __init__(self, client, pin: str | None = None, *, token: str | None = None) -> None:
        self.client = client
        if token is not None:
            client.set_cookie("masa_device", token)
        else:
            response = client.post("/api/v1/session", json={"pin": pin})
            assert response.status_code == 200, response.get_json()
        self.menu = client.get("/api/v1/menu").get_json()
        self.items = {item["number"]: item for item in self.menu["items"]}
        self.modifiers = {m["names"]["en"]: m["id"] for g in self.menu["modifier_groups"]
                          for m in g["modifiers"]}
        self.courses = {c["code"]: c["id"] for c in self.menu["courses"]}
        floor = client.get("/api/v1/floor").get_json()
        self.tables = {t["name"]: t["id"] for f in floor["floors"] for t in f["tables"]}

    def line(self, number: int, *modifiers: str, **fields) -> dict:
        """A line as the tablet sends it: ``line(401, "Medium", "French fries", seat=1)``."""
        return {"item_id": self.items[number]["id"],
                "modifier_ids": [self.modifiers[name] for name in modifiers], **fields}

    def seat(self, table: str = "5", guests: int = 3) -> dict:
        response = self.client.post("/api/v1/checks", json={
            "table_id": self.tables[table], "guest_count": guests,
            "client_id": str(uuid.uuid4())})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def check(self, check_id: int) -> dict:
        return self.client.get(f"/api/v1/checks/{check_id}").get_json()

    def send(self, check: dict, *lines: dict, client_id: str | None = None,
             version: int | None = None):
        return self.client.post(f"/api/v1/checks/{check['id']}/send", json={
            "client_id": client_id or str(uuid.uuid4()),
            "version": check["version"] if version is None else version,
            "lines": list(lines)})

    def sent(self, check: dict, *lines: dict) -> dict:
        """Send and return the check as it is afterwards."""
        response = self.send(check, *lines)
        assert response.status_code == 200, response.get_json()
        return self.check(response.get_json()["check_id"])

    def post(self, check: dict, action: str, **body) -> dict | tuple:
        response = self.client.post(f"/api/v1/checks/{check['id']}/{action}",
                                    json={"version": check["version"], **body})
        return response


def sign_in(client, role: str = "waiter"):
    response = client.post("/api/v1/session", json={"pin": PINS[role]})
    assert response.status_code == 200, response.get_json()
    return client


def make_app(url: str, instance: Path, **config):
    app = create_app({"TESTING": True, "MASA_DATABASE_URL": url, "MASA_SECRET_KEY": SECRET,
                      "MASA_DEMO": False, "INSTANCE_PATH": str(instance),
                      "MASA_PRINT_WORKER": False, "MASA_SESSION_SWEEPER": False, **config})
    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """The app served by Werkzeug (threaded, as ``python app.py`` does) on 127.0.0.1."""

    def __init__(self, app) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)

    def session_cookie(self, role: str) -> str:
        """The ``Cookie`` header of a browser signed in with ``role``'s PIN."""
        client = sign_in(self.app.test_client(), role)
        cookie = client.get_cookie("session")
        return f"session={cookie.value}"


class ServerProcess:
    """``python app.py`` in its own process, on a database the test owns: it can be killed
    and started again, as a venue's server is."""

    def __init__(self, database_url: str, instance: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "MASA_DATABASE_URL": database_url, "MASA_SECRET_KEY": SECRET,
                    "MASA_DEMO": "0", "MASA_HOST": "127.0.0.1", "MASA_PORT": str(self.port),
                    "MASA_INSTANCE_PATH": str(instance), **env}
        self.process: subprocess.Popen | None = None

    def start(self) -> ServerProcess:
        self.process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """As a power cut does: no shutdown, no goodbye to the screens."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def session_cookie(self, role: str) -> str:
        response = requests.post(self.url + "/api/v1/session", json={"pin": PINS[role]},
                                 timeout=5)
        assert response.status_code == 200, response.text
        return f"session={response.cookies['session']}"
