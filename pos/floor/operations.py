"""The floor as the tablets see it: each table's state, live."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from kitchen.models import Ticket
from pos.core.errors import InvalidInput, NotFound
from pos.core.events import record_event
from pos.floor.models import DiningTable, Section, SectionAssignment
from pos.ordering.models import Check, CheckStatus, LineStatus, OrderLine
from pos.staff.models import StaffMember

FLOOR = "/floor"
FLOOR_ROOM = "floor"


class TableState(StrEnum):
    FREE = "free"
    SEATED = "seated"  # a check is open, nothing sent yet
    ORDERED = "ordered"  # something has been sent to the kitchen or bar
    FOOD_READY = "food_ready"  # expo called a course ready; the server has not picked it up
    NEEDS_CLEARING = "needs_clearing"  # paid and gone; reset it for the next guests


def table_states(session: Session, table_ids: list[int] | None = None) -> dict[int, dict]:
    """Every table's state, guests, server and seating time (or just those asked for)."""
    tables_query = select(DiningTable.id, DiningTable.needs_clearing)
    checks_query = (
        select(Check.id, Check.table_id, Check.guest_count, Check.opened_at, Check.server_id,
               StaffMember.name,
               exists().where(OrderLine.check_id == Check.id,
                              OrderLine.status != LineStatus.NEW).label("ordered"),
               exists().where(Ticket.check_id == Check.id, Ticket.ready_at.is_not(None),
                              Ticket.served_at.is_(None)).label("food_ready"))
        .outerjoin(StaffMember, StaffMember.id == Check.server_id)
        .where(Check.status == CheckStatus.OPEN, Check.table_id.is_not(None))
        .order_by(Check.id))
    if table_ids is not None:
        tables_query = tables_query.where(DiningTable.id.in_(table_ids))
        checks_query = checks_query.where(Check.table_id.in_(table_ids))
    states = {table_id: empty_state(needs_clearing)
              for table_id, needs_clearing in session.execute(tables_query)}
    for check_id, table_id, guests, opened_at, server_id, server, ordered, ready in (
            session.execute(checks_query)):
        state = states[table_id]
        state["checks"].append(check_id)
        state["guests"] += guests
        state["seated_at"] = min_time(state["seated_at"], opened_at)
        state["server_id"] = state["server_id"] or server_id
        state["server"] = state["server"] or server
        if server_id is not None and server_id not in state["servers"]:
            state["servers"].append(server_id)
        state["state"] = max(state["state"], TableState.FOOD_READY if ready
                             else TableState.ORDERED if ordered else TableState.SEATED,
                             key=STATE_PRIORITY.index)
    return {table_id: {**state, "state": state["state"].value,
                       "seated_at": state["seated_at"].isoformat() if state["seated_at"] else None}
            for table_id, state in states.items()}


# When a table holds several checks, it shows the most urgent of their states.
STATE_PRIORITY = [TableState.NEEDS_CLEARING, TableState.FREE, TableState.SEATED,
                  TableState.ORDERED, TableState.FOOD_READY]


def empty_state(needs_clearing: bool) -> dict[str, Any]:
    return {"state": TableState.NEEDS_CLEARING if needs_clearing else TableState.FREE,
            "checks": [], "guests": 0, "seated_at": None, "server_id": None, "server": None,
            "servers": []}


def min_time(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b < a else a


def announce_tables(session: Session, table_ids: set[int | None]) -> None:
    """Push the state of these tables to every tablet."""
    ids = [t for t in table_ids if t is not None]
    if not ids:
        return
    session.flush()
    for table_id, state in table_states(session, ids).items():
        record_event(session, FLOOR, FLOOR_ROOM, "table", {"table_id": table_id, **state})


def sections_of(session: Session, staff_id: int) -> list[int]:
    return list(session.scalars(select(SectionAssignment.section_id)
                                .where(SectionAssignment.staff_id == staff_id)))


def list_sections(session: Session) -> list[dict]:
    servers: dict[int, list[int]] = {}
    for section_id, staff_id in session.execute(
            select(SectionAssignment.section_id, SectionAssignment.staff_id)
            .order_by(SectionAssignment.staff_id)):
        servers.setdefault(section_id, []).append(staff_id)
    return [{"id": s.id, "name": s.name, "floor_id": s.floor_id,
             "staff_ids": servers.get(s.id, [])}
            for s in session.scalars(select(Section).order_by(Section.id))]


def assign_section(session: Session, section_id: int, staff_ids: list[int]) -> dict:
    """Who covers a section from now on; every tablet hears it (a waiter's own view follows)."""
    section = session.get(Section, section_id)
    if section is None:
        raise NotFound(_("There is no such section."), field="section_id")
    known = set(session.scalars(select(StaffMember.id).where(
        StaffMember.id.in_(staff_ids), StaffMember.active.is_(True))))
    if known != set(staff_ids):
        raise InvalidInput(_("Some of these staff members do not exist."), field="staff_ids")
    session.execute(delete(SectionAssignment).where(SectionAssignment.section_id == section_id))
    session.add_all([SectionAssignment(section_id=section_id, staff_id=staff_id)
                     for staff_id in sorted(known)])
    data = {"id": section.id, "name": section.name, "floor_id": section.floor_id,
            "staff_ids": sorted(known)}
    record_event(session, FLOOR, FLOOR_ROOM, "section", data)
    return data
