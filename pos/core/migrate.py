"""Schema migrations (Alembic) and the check that refuses to serve a database that is behind.

A normal start only reads ``alembic_version`` and compares it with ``SCHEMA_HEAD``;
Alembic itself (and Mako, which it loads) is imported only to create or upgrade a
schema, which keeps a restart fast and the server small. A test keeps ``SCHEMA_HEAD``
equal to the newest migration.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from pos.core.db import Base, Database

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"
UPGRADE_COMMAND = "flask --app app db upgrade"
SCHEMA_HEAD = "0019"  # the newest revision in migrations/versions


class SchemaBehind(RuntimeError):
    pass


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def is_empty(db: Database) -> bool:
    return not inspect(db.engine).get_table_names()


def upgrade(db: Database, revision: str = "head") -> None:
    from alembic import command

    with db.engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def create_schema(db: Database) -> None:
    """An empty database gets today's schema in one step, stamped with the newest revision
    (Alembic's recipe for a fresh install; the tests prove the migrations build the same)."""
    import pos.models  # noqa: F401  (every table)

    with db.engine.begin() as connection:
        Base.metadata.create_all(connection)
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,"
                                " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
        connection.execute(text("INSERT INTO alembic_version VALUES (:head)"),
                           {"head": SCHEMA_HEAD})


def check_schema(db: Database) -> bool:
    """Creates the schema on an empty database (returns True then); refuses one that is behind."""
    if is_empty(db):
        create_schema(db)
        return True
    current = current_revision(db)
    if current != SCHEMA_HEAD:
        raise SchemaBehind(
            f"The database is at schema revision {current or 'none'}, this Masa needs "
            f"{SCHEMA_HEAD}. Back it up, then run: {UPGRADE_COMMAND}")
    return False
