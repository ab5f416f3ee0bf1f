"""Floors, the tables placed on them, sections and who covers them: the back office's floor
editor. A table's live state follows its checks and is computed and announced by ordering
(``pos.ordering.tables``); the floor announces only its layout."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.core.events import latest_event_id
from pos.floor.events import (
    FloorLayout,
    SectionCovered,
    TableLayout,
    announce_floors,
    announce_section,
    announce_table_layout,
    announce_table_removed,
)
from pos.floor.models import GRID, DiningTable, Floor, Section, SectionAssignment
from pos.staff.models import StaffMember

LAYOUT_FIELDS = ("floor_id", "section_id", "name", "seats", "shape", "x", "y", "width",
                 "height", "rotation")

# Who may refuse a table's removal: ordering registers "not while a check is open on it"
# (the floor knows nothing of checks).
RemovalGuard = Callable[[Session, int], None]
_removal_guards: list[RemovalGuard] = []


def guarding_table_removal(guard: RemovalGuard) -> RemovalGuard:
    """Register ``guard(session, table_id)``, which raises a ``MasaError`` to refuse."""
    if guard not in _removal_guards:
        _removal_guards.append(guard)
    return guard


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
    covered = SectionCovered(id=section.id, name=section.name, floor_id=section.floor_id,
                             staff_ids=sorted(known))
    announce_section(session, covered)
    return dict(covered)


# --- the layout ------------------------------------------------------------------------


def floor_editor(session: Session) -> dict[str, Any]:
    """Every floor in order with the tables standing on it, and the sections."""
    last_event = latest_event_id(session)  # first: later changes arrive as events
    floors = session.scalars(select(Floor).order_by(Floor.position, Floor.id)).all()
    return {"last_event": last_event, "grid": GRID, "sections": list_sections(session),
            "floors": [{**floor_layout(floor), "tables": [table_layout(t) for t in floor.tables]}
                       for floor in floors]}


def table_layout(table: DiningTable) -> TableLayout:
    return TableLayout(**{name: getattr(table, name) for name in ("id", *LAYOUT_FIELDS)})


def floor_layout(floor: Floor) -> FloorLayout:
    return FloorLayout(id=floor.id, names=dict(floor.names), position=floor.position)


def get_floor(session: Session, floor_id: int, field: str = "floor_id") -> Floor:
    floor = session.get(Floor, floor_id)
    if floor is None:
        raise NotFound(_("There is no such floor."), field=field)
    return floor


def get_table(session: Session, table_id: int) -> DiningTable:
    table = session.get(DiningTable, table_id, with_for_update=True)
    if table is None or table.removed_at is not None:
        raise NotFound(_("There is no such table."), field="table_id")
    return table


def get_section(session: Session, section_id: int) -> Section:
    section = session.get(Section, section_id)
    if section is None:
        raise NotFound(_("There is no such section."), field="section_id")
    return section


def announce_all_floors(session: Session) -> None:
    session.flush()
    announce_floors(session, [floor_layout(floor) for floor in
                              session.scalars(select(Floor).order_by(Floor.position, Floor.id))])


def add_floor(session: Session, actor: Actor, names: dict[str, str]) -> dict[str, Any]:
    """A new room or terrace, after the others."""
    last = session.scalar(select(func.max(Floor.position))) or 0
    floor = Floor(names=names, position=last + 1)
    session.add(floor)
    session.flush()
    record_audit(session, "floor.changed", actor=actor, subject=f"floor:{floor.id}",
                 change="floor.added", after=floor_layout(floor))
    announce_all_floors(session)
    return {**floor_layout(floor), "tables": []}


def rename_floor(session: Session, actor: Actor, floor_id: int,
                 names: dict[str, str]) -> dict[str, Any]:
    floor = get_floor(session, floor_id)
    before = dict(floor.names)
    floor.names = dict(names)
    record_audit(session, "floor.changed", actor=actor, subject=f"floor:{floor.id}",
                 change="floor.renamed", before=before, after=dict(names))
    announce_all_floors(session)
    return {**floor_layout(floor), "tables": [table_layout(t) for t in floor.tables]}


def order_floors(session: Session, actor: Actor, floor_ids: list[int]) -> dict[str, Any]:
    """The floors in the order the tablets show their tabs; every floor, each once."""
    floors = {floor.id: floor for floor in session.scalars(select(Floor))}
    if sorted(floor_ids) != sorted(floors):
        raise InvalidInput(_("Name every floor once, in the new order."), field="ids")
    before = [f.id for f in sorted(floors.values(), key=lambda f: (f.position, f.id))]
    for position, floor_id in enumerate(floor_ids, start=1):
        floors[floor_id].position = position
    record_audit(session, "floor.changed", actor=actor, subject="floors",
                 change="floors.reordered", before=before, after=list(floor_ids))
    announce_all_floors(session)
    return floor_editor(session)


def remove_floor(session: Session, actor: Actor, floor_id: int) -> dict[str, Any]:
    """Only an empty floor goes (its sections with it); a venue keeps one floor at least."""
    floor = get_floor(session, floor_id)
    if floor.tables:
        raise Conflict(_("Move or remove the floor's tables first."), field="floor_id",
                       code="floor_not_empty")
    other = session.scalar(select(Floor.id).where(Floor.id != floor_id)
                           .order_by(Floor.position, Floor.id).limit(1))
    if other is None:
        raise Conflict(_("The venue keeps one floor at least."), field="floor_id",
                       code="last_floor")
    # Tables removed earlier but named by past checks stay, out of sight, on another floor.
    session.execute(update(DiningTable).where(DiningTable.floor_id == floor_id)
                    .values(floor_id=other, section_id=None))
    section_ids = select(Section.id).where(Section.floor_id == floor_id)
    session.execute(delete(SectionAssignment).where(SectionAssignment.section_id.in_(section_ids)))
    session.execute(delete(Section).where(Section.floor_id == floor_id))
    before = floor_layout(floor)
    session.delete(floor)
    record_audit(session, "floor.changed", actor=actor, subject=f"floor:{floor_id}",
                 change="floor.removed", before=before)
    announce_all_floors(session)
    return floor_editor(session)


def add_table(session: Session, actor: Actor, values: dict[str, Any],
              sent: set[str] | None = None) -> TableLayout:
    """A new table on a floor. A name that a removed table had brings that table back (past
    checks name it), placed anew."""
    name_taken(session, values["name"], None)
    check_layout(session, values, set(values) if sent is None else sent)
    table = session.scalar(select(DiningTable).where(DiningTable.name == values["name"],
                                                     DiningTable.removed_at.is_not(None)))
    if table is None:
        table = DiningTable()
        session.add(table)
    table.removed_at, table.needs_clearing, table.paid_at = None, False, None
    for name in LAYOUT_FIELDS:
        setattr(table, name, values[name])
    session.flush()
    layout = table_layout(table)
    record_audit(session, "floor.changed", actor=actor, subject=f"table:{table.id}",
                 change="table.added", after=dict(layout))
    announce_table_layout(session, layout)
    return layout


def change_table(session: Session, actor: Actor, table_id: int,
                 changes: dict[str, Any]) -> TableLayout:
    """Move, resize, turn, rename or reseat a table; only the fields given change."""
    table = get_table(session, table_id)
    before = table_layout(table)
    if "name" in changes:
        name_taken(session, changes["name"], table.id)
    check_layout(session, {**before, **changes}, set(changes))
    for name, value in changes.items():
        setattr(table, name, value)
    after = table_layout(table)
    if after == before:
        return after
    record_audit(session, "floor.changed", actor=actor, subject=f"table:{table.id}",
                 change="table.changed",
                 before={k: v for k, v in before.items() if after[k] != v},
                 after={k: v for k, v in after.items() if before[k] != v})
    announce_table_layout(session, after)
    return after


def name_taken(session: Session, name: str, table_id: int | None) -> None:
    """Table names are the venue's (a waiter says "table 5", whatever the floor)."""
    other = session.scalar(select(DiningTable.id).where(
        DiningTable.name == name, DiningTable.removed_at.is_(None),
        DiningTable.id != (table_id or 0)))
    if other is not None:
        raise Conflict(_("Another table is already called “%(name)s”.", name=name),
                       field="name", code="name_taken")


def check_layout(session: Session, table: dict[str, Any], sent: set[str]) -> None:
    """The table (its layout as it would be) stands inside its floor, turned as it is, in a
    section of that floor; ``sent`` names the fields the request changes, so a refusal
    names the one that put the table off the floor."""
    floor = get_floor(session, table["floor_id"])
    reach = turned_reach(table["width"], table["height"], table["rotation"])
    for start, size, half in (("x", "width", reach[0]), ("y", "height", reach[1])):
        middle = table[start] + table[size] / 2
        if middle - half < -EDGE or middle + half > GRID + EDGE:
            field = next((f for f in (start, "rotation", size) if f in sent), start)
            raise InvalidInput(_("The table would stand off the floor (the floor is %(grid)s "
                                 "units wide and deep).", grid=GRID), field=field,
                               code="off_the_floor")
    if table["section_id"] is not None:
        section = session.get(Section, table["section_id"])
        if section is None or section.floor_id != floor.id:
            raise InvalidInput(_("That section is not on the table's floor."),
                               field="section_id")


EDGE = 0.01  # plan units: rounding, not a table standing off the floor


def turned_reach(width: int, height: int, rotation: int) -> tuple[float, float]:
    """How far a turned table reaches from its middle, across and down."""
    angle = math.radians(rotation)
    cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
    return (width * cos + height * sin) / 2, (width * sin + height * cos) / 2


def remove_table(session: Session, actor: Actor, table_id: int) -> dict[str, Any]:
    """Take a table off the plan; not while a check is open on it. A table that past checks
    name is kept out of sight, under its name."""
    table = get_table(session, table_id)
    for guard in _removal_guards:
        guard(session, table_id)
    before = table_layout(table)
    try:
        with session.begin_nested():
            session.delete(table)
    except IntegrityError:  # past checks name it
        table = session.get(DiningTable, table_id, populate_existing=True)
        table.removed_at, table.section_id = utcnow(), None
    record_audit(session, "floor.changed", actor=actor, subject=f"table:{table_id}",
                 change="table.removed", before=dict(before))
    announce_table_removed(session, table_id, before["floor_id"])
    return {"id": table_id}


# --- sections --------------------------------------------------------------------------


def add_section(session: Session, actor: Actor, floor_id: int, name: str) -> dict[str, Any]:
    get_floor(session, floor_id)
    section = Section(floor_id=floor_id, name=name)
    session.add(section)
    session.flush()
    record_audit(session, "floor.changed", actor=actor, subject=f"section:{section.id}",
                 change="section.added", after={"name": name, "floor_id": floor_id})
    return announce_section_now(session, section)


def rename_section(session: Session, actor: Actor, section_id: int, name: str) -> dict[str, Any]:
    section = get_section(session, section_id)
    before, section.name = section.name, name
    record_audit(session, "floor.changed", actor=actor, subject=f"section:{section.id}",
                 change="section.renamed", before=before, after=name)
    return announce_section_now(session, section)


def remove_section(session: Session, actor: Actor, section_id: int) -> dict[str, Any]:
    """Its tables stay, in no section; its servers cover it no more."""
    section = get_section(session, section_id)
    tables = list(session.scalars(select(DiningTable).where(DiningTable.section_id == section_id)))
    for table in tables:
        table.section_id = None
    session.execute(delete(SectionAssignment).where(SectionAssignment.section_id == section_id))
    record_audit(session, "floor.changed", actor=actor, subject=f"section:{section_id}",
                 change="section.removed", before={"name": section.name,
                                                   "floor_id": section.floor_id})
    announce_section(session, SectionCovered(id=section.id, name="", floor_id=section.floor_id,
                                             staff_ids=[]))
    session.flush()
    session.delete(section)
    for table in tables:
        if table.removed_at is None:
            announce_table_layout(session, table_layout(table))
    return {"id": section_id}


def announce_section_now(session: Session, section: Section) -> dict[str, Any]:
    covered = SectionCovered(id=section.id, name=section.name, floor_id=section.floor_id,
                             staff_ids=sorted(session.scalars(
                                 select(SectionAssignment.staff_id)
                                 .where(SectionAssignment.section_id == section.id))))
    announce_section(session, covered)
    return dict(covered)
