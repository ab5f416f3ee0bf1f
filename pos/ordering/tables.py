"""A table's live state, which follows its checks: free, seated, ordered, food ready,
needs clearing; and clearing a table for the next guests.

A check remembers what its table shows of it (``first_sent_at``: something went to the
kitchen or bar; ``food_ready_at``: a course waits at the pass), so a table's state is
one plain query, and tablets hear about a table only when what it shows has changed:
a second round on a table that has ordered already announces no table.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.core.errors import Conflict, NotFound
from pos.floor.models import DiningTable
from pos.floor.operations import guarding_table_removal
from pos.ordering.events import TableShown, announce_table
from pos.ordering.models import Check, CheckStatus
from pos.ordering.reference import reference

FACES_KEY = "masa_table_faces"


class TableState(StrEnum):
    FREE = "free"
    SEATED = "seated"  # a check is open, nothing sent yet
    ORDERED = "ordered"  # something has been sent to the kitchen or bar
    FOOD_READY = "food_ready"  # expo called a course ready; the server has not picked it up
    PAID = "paid"  # the check is paid, the guests are still at the table
    NEEDS_CLEARING = "needs_clearing"  # paid and gone; reset it for the next guests


# When a table holds several checks, it shows the most urgent of their states.
STATE_PRIORITY = [TableState.NEEDS_CLEARING, TableState.PAID, TableState.FREE, TableState.SEATED,
                  TableState.ORDERED, TableState.FOOD_READY]


def table_states(session: Session, table_ids: list[int] | None = None) -> dict[int, dict]:
    """Every table's state, guests, server and seating time (or just those asked for)."""
    tables_query = select(DiningTable.id, DiningTable.needs_clearing, DiningTable.paid_at)
    checks_query = (
        select(Check.id, Check.table_id, Check.guest_count, Check.opened_at, Check.server_id,
               Check.first_sent_at, Check.food_ready_at)
        .where(Check.status == CheckStatus.OPEN, Check.table_id.is_not(None))
        .order_by(Check.id))
    if table_ids is not None:
        tables_query = tables_query.where(DiningTable.id.in_(table_ids))
        checks_query = checks_query.where(Check.table_id.in_(table_ids))
    staff_names = reference(session).staff_names
    states = {table_id: empty_state(needs_clearing, paid_at)
              for table_id, needs_clearing, paid_at in session.execute(tables_query)}
    for check_id, table_id, guests, opened_at, server_id, sent_at, ready_at in (
            session.execute(checks_query)):
        state = states[table_id]
        state["checks"].append(check_id)
        state["guests"] += guests
        state["seated_at"] = min_time(state["seated_at"], opened_at)
        state["server_id"] = state["server_id"] or server_id
        state["server"] = state["server"] or staff_names.get(server_id)
        if server_id is not None and server_id not in state["servers"]:
            state["servers"].append(server_id)
        state["state"] = max(state["state"], TableState.FOOD_READY if ready_at
                             else TableState.ORDERED if sent_at else TableState.SEATED,
                             key=STATE_PRIORITY.index)
    return {table_id: {**state, "state": state["state"].value,
                       "seated_at": state["seated_at"].isoformat() if state["seated_at"] else None}
            for table_id, state in states.items()}


def empty_state(needs_clearing: bool, paid_at: datetime | None = None) -> dict[str, Any]:
    state = (TableState.PAID if needs_clearing and paid_at else
             TableState.NEEDS_CLEARING if needs_clearing else TableState.FREE)
    return {"state": state,
            "checks": [], "guests": 0, "seated_at": None, "server_id": None, "server": None,
            "servers": []}


def min_time(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b < a else a


def announce_tables(session: Session, table_ids: set[int | None]) -> dict[int, dict]:
    """Push the state of these tables to every tablet; the states pushed."""
    ids = sorted(t for t in table_ids if t is not None)
    if not ids:
        return {}
    states = table_states(session, ids)
    for table_id, state in states.items():
        announce_table(session, TableShown(table_id=table_id, **state))
    return states


def table_face(check: Check) -> tuple:
    """What the floor plan shows of a check."""
    return (check.table_id, check.status, check.guest_count, check.server_id,
            check.first_sent_at is not None, check.food_ready_at is not None)


def remember_table_face(session: Session, check: Check) -> None:
    """Before changing a check: what its table showed (compared after the change)."""
    session.info.setdefault(FACES_KEY, {}).setdefault(check.id, table_face(check))


def announce_table_if_changed(session: Session, check: Check,
                              also: set[int | None] = frozenset()) -> None:
    """The check's table (and the one it left) to every tablet, if what it shows changed."""
    faces = session.info.setdefault(FACES_KEY, {})
    before, now = faces.get(check.id), table_face(check)
    tables = set(also)
    if before != now:
        tables |= {check.table_id, before[0] if before else None}
    faces[check.id] = now
    announce_tables(session, tables)


def set_food_waiting(session: Session, check: Check, since: datetime | None) -> None:
    """A course of the check is at the pass since ``since`` (None: nothing waits now)."""
    remember_table_face(session, check)
    check.food_ready_at = since
    announce_table_if_changed(session, check)


def clear_table(session: Session, actor: Actor, table_id: int) -> dict[str, Any]:
    """The guests have left and the table is reset: it shows free again."""
    table = session.get(DiningTable, table_id, with_for_update=True)
    if table is None:
        raise NotFound(_("There is no such table."), field="table_id")
    if session.scalar(select(Check.id).where(Check.table_id == table_id,
                                             Check.status == CheckStatus.OPEN).limit(1)):
        raise Conflict(_("The table still has an open check."), field="table_id",
                       code="table_in_use")
    table.needs_clearing, table.paid_at = False, None
    return announce_tables(session, {table_id})[table_id]


def see_guests_leave(session: Session, actor: Actor, table_id: int) -> dict[str, Any]:
    """The guests of a paid table have gone: it shows as needing clearing."""
    table = session.get(DiningTable, table_id, with_for_update=True)
    if table is None:
        raise NotFound(_("There is no such table."), field="table_id")
    table.paid_at = None
    return announce_tables(session, {table_id})[table_id]


def mark_table_paid(session: Session, table_id: int, at: datetime) -> None:
    """The table's last open check was paid: it shows paid until the guests leave."""
    if session.scalar(select(Check.id).where(Check.table_id == table_id,
                                             Check.status == CheckStatus.OPEN).limit(1)):
        return
    table = session.get(DiningTable, table_id, with_for_update=True)
    if table is not None:
        table.needs_clearing, table.paid_at = True, at


@guarding_table_removal
def refuse_removing_a_table_in_use(session: Session, table_id: int) -> None:
    """The floor editor may not take away a table that guests are sitting at."""
    if session.scalar(select(Check.id).where(Check.table_id == table_id,
                                             Check.status == CheckStatus.OPEN).limit(1)):
        raise Conflict(_("The table still has an open check."), field="table_id",
                       code="table_in_use")
