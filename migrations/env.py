"""Alembic's environment: runs on the connection Masa hands it (see pos/core/migrate.py)."""

from alembic import context

import pos.models  # noqa: F401  (every table, for autogenerate)
from pos.core.db import Base, UTCDateTime


def render_item(kind, obj, autogen_context):
    """Migrations name plain SQLAlchemy types, never Masa's own, so old revisions keep working."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
