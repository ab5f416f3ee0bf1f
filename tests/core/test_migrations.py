"""The schema comes from Alembic migrations; a database that is behind is refused."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from support import SECRET, make_app

import pos.models  # noqa: F401
from app import ROOT
from pos.core import migrate
from pos.core.db import Base, Database
from pos.demo import DEMO_STAFF


def test_upgrading_an_empty_database_builds_every_table(empty_database_url):
    db = Database(empty_database_url)
    migrate.upgrade(db)
    assert set(inspect(db.engine).get_table_names()) >= set(Base.metadata.tables)
    assert migrate.current_revision(db) == migrate.head_revision()
    db.dispose()


def test_the_migrations_match_the_models(empty_database_url):
    db = Database(empty_database_url)
    migrate.upgrade(db)
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(
            connection, opts={"compare_type": True}), Base.metadata)
    db.dispose()
    assert differences == []


def schema_of(db: Database) -> dict[str, set[str]]:
    inspector = inspect(db.engine)
    return {table: {column["name"] for column in inspector.get_columns(table)}
            for table in inspector.get_table_names()}


def test_a_fresh_install_gets_the_same_schema_as_the_migrations_build(empty_database_url,
                                                                        databases, tmp_path):
    migrated = Database(empty_database_url)
    migrate.upgrade(migrated)
    other_url = databases.fresh(tmp_path, demo=False)
    created = Database(other_url)
    migrate.create_schema(created)
    try:
        assert schema_of(created) == schema_of(migrated)
        assert migrate.current_revision(created) == migrate.SCHEMA_HEAD
        for db in (created, migrated):  # both refuse to rewrite the audit log
            with db.engine.begin() as connection:
                connection.execute(text("INSERT INTO audit_log (at, action, details) "
                                        "VALUES (CURRENT_TIMESTAMP, 'demo.reset', '{}')"))
            with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
                connection.execute(text("DELETE FROM audit_log"))
    finally:
        migrated.dispose()
        created.dispose()
        databases.drop(other_url)


def test_a_first_start_on_an_empty_database_creates_the_schema_and_the_demo(
        empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path, MASA_DEMO=True)
    assert app.config["MASA_DEMO_CREATED"] is True
    _name, _role, pin, _language = DEMO_STAFF[0]  # the demo's own staff can sign in
    assert app.test_client().post("/api/v1/session", json={"pin": pin}).status_code == 200
    app.extensions["masa_db"].dispose()


def test_the_schema_head_the_app_expects_is_the_newest_migration():
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_a_start_on_a_database_that_is_behind_is_refused(database_url, tmp_path, monkeypatch):
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9999_newer_code")
    with pytest.raises(migrate.SchemaBehind, match="flask --app app db upgrade"):
        make_app(database_url, tmp_path)


def test_the_upgrade_command_brings_a_behind_database_up(empty_database_url, tmp_path):
    db = Database(empty_database_url)
    migrate.upgrade(db, "base")  # nothing yet: as an old install would be
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE legacy (id INTEGER PRIMARY KEY)"))
    with pytest.raises(migrate.SchemaBehind):
        make_app(empty_database_url, tmp_path)
    env = {**os.environ, "MASA_DATABASE_URL": empty_database_url, "MASA_SECRET_KEY": SECRET,
           "MASA_INSTANCE_PATH": str(tmp_path)}
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    status = subprocess.run([*flask, "staff", "--help"], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert "db upgrade" in status.stderr  # every command says what to do
    upgraded = subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    assert upgraded.returncode == 0, upgraded.stderr
    assert migrate.current_revision(db) == migrate.head_revision()
    make_app(empty_database_url, tmp_path)  # now it starts
    db.dispose()


def test_python_app_py_refuses_a_database_that_is_behind_and_names_the_command(
        empty_database_url, tmp_path):
    db = Database(empty_database_url)
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE legacy (id INTEGER PRIMARY KEY)"))
    db.dispose()
    env = {"MASA_DATABASE_URL": empty_database_url, "MASA_SECRET_KEY": SECRET,
           "MASA_INSTANCE_PATH": str(tmp_path), "MASA_PORT": "1", "PATH": "/usr/bin:/bin"}
    finished = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env,
                              capture_output=True, text=True, timeout=60)
    assert finished.returncode != 0
    assert "flask --app app db upgrade" in finished.stderr
