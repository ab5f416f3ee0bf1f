"""Fixtures: a fresh database per test (SQLite, or PostgreSQL when MASA_TEST_DATABASE_URL
is set), the app, signed-in clients, and a live server for real Socket.IO clients."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from support import PINS
from werkzeug.serving import make_server

from app import ROOT, create_app
from pos.core.db import Database
from pos.core.migrate import upgrade
from pos.demo import create_demo

SECRET = "test-secret-key-not-for-production"
PG_URL = os.environ.get("MASA_TEST_DATABASE_URL")
_counter = itertools.count()


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}"


def build_demo(url: str) -> None:
    db = Database(url)
    upgrade(db)
    app = create_app({"MASA_DATABASE_URL": url, "MASA_SECRET_KEY": SECRET,
                      "MASA_SKIP_SCHEMA_CHECK": True, "INSTANCE_PATH": "/nonexistent"})
    with app.app_context():
        create_demo(db, SECRET)
    db.dispose()
    app.extensions["masa_db"].dispose()


class SqliteDatabases:
    def __init__(self, folder: Path) -> None:
        self.template = folder / "demo.sqlite"
        build_demo(f"sqlite:///{self.template}")

    def fresh(self, folder: Path, demo: bool = True) -> str:
        path = folder / f"masa-{next(_counter)}.sqlite"
        if demo:
            shutil.copy(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        pass


class PostgresDatabases:
    """A template database with the demo, copied for each test (CREATE DATABASE … TEMPLATE)."""

    def __init__(self) -> None:
        self.base = make_url(PG_URL).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.prefix = f"masa_t{os.getpid()}"
        self.template = f"{self.prefix}_demo"
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}"')
        self._execute(f'CREATE DATABASE "{self.template}"')
        build_demo(self._url(self.template))

    def _url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(sql))

    def fresh(self, folder: Path, demo: bool = True) -> str:
        name = f"{self.prefix}_{next(_counter)}"
        template = f' TEMPLATE "{self.template}"' if demo else ""
        self._execute(f'CREATE DATABASE "{name}"{template}')
        return self._url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    if PG_URL:
        pg = PostgresDatabases()
        yield pg
        pg.close()
    else:
        yield SqliteDatabases(tmp_path_factory.mktemp("template"))


@pytest.fixture
def database_url(databases, tmp_path) -> Iterator[str]:
    """A fresh database holding the demo venue."""
    url = databases.fresh(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def empty_database_url(databases, tmp_path) -> Iterator[str]:
    url = databases.fresh(tmp_path, demo=False)
    yield url
    databases.drop(url)


def make_app(url: str, instance: Path, **config):
    app = create_app({"TESTING": True, "MASA_DATABASE_URL": url, "MASA_SECRET_KEY": SECRET,
                      "MASA_DEMO": False, "INSTANCE_PATH": str(instance), **config})
    return app


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url, tmp_path / "instance")
    yield app
    app.extensions["masa_db"].dispose()


@pytest.fixture
def db(app) -> Database:
    return app.extensions["masa_db"]


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in(client, role: str = "waiter"):
    response = client.post("/api/v1/session", json={"pin": PINS[role]})
    assert response.status_code == 200, response.get_json()
    return client


@pytest.fixture
def as_role(app):
    """``as_role("manager")``: a new test client signed in with that role's demo PIN."""
    return lambda role: sign_in(app.test_client(), role)


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


@pytest.fixture
def server_process(database_url, tmp_path) -> Iterator[ServerProcess]:
    server = ServerProcess(database_url, tmp_path / "instance")
    yield server
    server.kill()


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    server = LiveServer(app).start()
    yield server
    server.stop()
