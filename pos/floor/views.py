"""The floor plan with every table's live state, and clearing a table."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import Conflict, NotFound
from pos.core.events import latest_event_id
from pos.floor.models import DiningTable, Floor
from pos.floor.operations import (
    TableState,
    announce_tables,
    assign_section,
    list_sections,
    sections_of,
    table_states,
)
from pos.floor.schemas import FloorOut, SectionOut, SectionServers, TableOut
from pos.venue.operations import get_venue

api = Blueprint("floor_api", __name__, url_prefix=API_PREFIX)


@api_route(api, "/floor", summary="Floors and tables with each table's live state; "
           "last_event is where the /floor socket picks up", permission=Permission.FLOOR_VIEW,
           response=FloorOut, tag="floor")
def show_floor(session, actor):
    last_event = latest_event_id(session)  # first: later changes arrive as events
    states = table_states(session)
    floors = session.scalars(select(Floor).order_by(Floor.position)
                             .options(selectinload(Floor.tables))).all()
    return {
        "last_event": last_event,
        "see_all_sections": get_venue(session).waiters_see_all_sections,
        "my_sections": sections_of(session, actor.staff_id) if actor.staff_id else [],
        "floors": [{"id": floor.id, "names": floor.names,
                    "tables": [table_out(table, states[table.id]) for table in floor.tables]}
                   for floor in floors],
    }


def table_out(table: DiningTable, state: dict) -> dict:
    return {**{c: getattr(table, c) for c in TableOut.model_fields if c not in state}, **state}


@api_route(api, "/tables/<int:table_id>/clear", method="POST",
           summary="The table is cleared and reset for new guests",
           permission=Permission.FLOOR_VIEW, response=TableOut, idempotent=False, tag="floor")
def clear_table(session, actor, table_id: int):
    table = session.get(DiningTable, table_id)
    if table is None:
        raise NotFound(_("There is no such table."), field="table_id")
    state = table_states(session, [table_id])[table_id]
    if state["checks"]:
        raise Conflict(_("The table still has an open check."), field="table_id",
                       code="table_in_use")
    table.needs_clearing = False
    announce_tables(session, {table_id})
    return table_out(table, {**state, "state": TableState.FREE.value})


@api_route(api, "/sections", summary="Sections and who covers each",
           permission=Permission.FLOOR_VIEW, response=SectionOut, many=True, tag="floor")
def show_sections(session, actor):
    return list_sections(session)


@api_route(api, "/sections/<int:section_id>/servers", method="PUT",
           summary="Say who covers a section (the host or a manager)",
           permission=Permission.SEAT_GUESTS, body=SectionServers, response=SectionOut,
           tag="floor")
def change_section_servers(session, actor, body: SectionServers, section_id: int):
    return assign_section(session, section_id, body.staff_ids)
