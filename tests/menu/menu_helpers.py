"""The menu tests' helpers: a manager at the back office, and counts of what is written (a
refused edit writes nothing: no row, no audit entry, no event)."""

from __future__ import annotations

import pytest
from factories import make_staff, signed_in
from sqlalchemy import func, select

from kitchen.models import StationRoute
from pos.core.audit import AuditEntry
from pos.core.auth import Role
from pos.core.events import Event
from pos.menu.models import Category, ItemModifierGroup, MenuItem, Modifier, ModifierGroup

WRITTEN = (Category, MenuItem, ModifierGroup, Modifier, ItemModifierGroup, StationRoute,
           AuditEntry, Event)


@pytest.fixture
def office(app, db):
    """A manager's office PC, signed in."""
    return signed_in(app, make_staff(db, Role.MANAGER))


def rows(db) -> dict[str, int]:
    """How many rows each table the menu's editors write holds (and the menu's contents)."""
    with db.reading() as session:
        counts = {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                  for model in WRITTEN}
        counts["menu"] = hash(str(session.execute(select(
            MenuItem.number, MenuItem.names, MenuItem.price, MenuItem.active,
            MenuItem.category_id).order_by(MenuItem.id)).all()))
        counts["groups"] = hash(str(session.execute(select(
            ModifierGroup.names, ModifierGroup.min_choices, ModifierGroup.max_choices)
            .order_by(ModifierGroup.id)).all()))
        counts["categories"] = hash(str(session.execute(select(
            Category.names, Category.position, Category.active).order_by(Category.id)).all()))
    return counts


@pytest.fixture
def nothing_written(db):
    """``with nothing_written(): …``: the block's request changes no row."""
    from contextlib import contextmanager

    @contextmanager
    def watch():
        before = rows(db)
        yield
        assert rows(db) == before

    return watch
