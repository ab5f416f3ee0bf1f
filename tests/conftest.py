"""Fixtures: a fresh database per test (SQLite, or PostgreSQL when MASA_TEST_DATABASE_URL
is set), the app, signed-in clients, and a live server for real Socket.IO clients."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import card_desk_on
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from support import (
    PG_URL,
    PINS,
    SECRET,
    LiveServer,
    ServerProcess,
    Tablet,
    make_app,
    sign_in,
    stop_every_screen,
)

from app import create_app
from pos.core.db import Database
from pos.core.migrate import upgrade
from pos.demo import create_demo, venue_today
from pos.devices.zvt_simulator import TerminalSimulator

_counter = itertools.count()


@pytest.fixture(autouse=True)
def no_screen_outlives_its_test() -> Iterator[None]:
    yield
    stop_every_screen()


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}"


def build_demo(url: str) -> None:
    """The demo venue in an empty database (its hotel stays are laid around today)."""
    db = Database(url)
    upgrade(db)
    app = create_app({"MASA_DATABASE_URL": url, "MASA_SECRET_KEY": SECRET,
                      "MASA_SKIP_SCHEMA_CHECK": True, "INSTANCE_PATH": "/nonexistent",
                      "MASA_PRINT_WORKER": False, "MASA_SESSION_SWEEPER": False})
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
        pg.built_on = venue_today()
        yield pg
        pg.close()
    else:
        sqlite = SqliteDatabases(tmp_path_factory.mktemp("template"))
        sqlite.built_on = venue_today()
        yield sqlite


@pytest.fixture
def simulator():
    """A card terminal: the ZVT simulator, listening on TCP."""
    with TerminalSimulator(status_interval=0.01) as terminal:
        terminal.serve_tcp(0)
        yield terminal


@pytest.fixture
def card_desk(app, db, simulator):
    """The venue's card terminal is the simulator: the app's card desk talks to it."""
    yield card_desk_on(app, simulator.port)
    app.extensions.pop("masa_cards", None)


@pytest.fixture
def a_screen_not_built_yet(monkeypatch):
    """A screen the start page announces before it is built (as the back office once was):
    ``/later``, titled as the back office."""
    from flask_babel import lazy_gettext as _l

    from pos import web

    later = web.Screen("/later", _l("Back office"), _l("managers, admins"), _l("office PC"),
                       ready=False)
    monkeypatch.setattr(web, "SCREENS", (*web.SCREENS, later))
    return later


@pytest.fixture
def demo_day(databases):
    """The venue's date when the demo was built: a run that crosses midnight keeps it."""
    return databases.built_on


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


@pytest.fixture
def as_role(app):
    """``as_role("manager")``: a new test client signed in with that role's demo PIN."""
    return lambda role: sign_in(app.test_client(), role)


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


@pytest.fixture
def tablet(app) -> Tablet:
    """Ana's tablet (waiter, 1111), speaking the API."""
    return Tablet(app.test_client(), PINS["waiter"])


@pytest.fixture
def other_tablet(app) -> Tablet:
    """Mihai's tablet (waiter, 2222): the second waiter on the same check."""
    return Tablet(app.test_client(), "2222")


@pytest.fixture
def manager_tablet(app) -> Tablet:
    return Tablet(app.test_client(), PINS["manager"])
