"""Schema migrations (Alembic) and the check that refuses to serve a database that is behind."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from pos.core.db import Database

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"
UPGRADE_COMMAND = "flask --app app db upgrade"


class SchemaBehind(RuntimeError):
    pass


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_empty(db: Database) -> bool:
    return not inspect(db.engine).get_table_names()


def upgrade(db: Database, revision: str = "head") -> None:
    with db.engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def check_schema(db: Database) -> bool:
    """Creates the schema on an empty database (returns True then); refuses one that is behind."""
    if is_empty(db):
        upgrade(db)
        return True
    current, head = current_revision(db), head_revision()
    if current != head:
        raise SchemaBehind(
            f"The database is at schema revision {current or 'none'}, this Masa needs {head}. "
            f"Back it up, then run: {UPGRADE_COMMAND}")
    return False
