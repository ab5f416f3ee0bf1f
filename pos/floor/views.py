"""Floors, tables, sections and who covers them: the floor editor's API. (The floor plan
with each table's live state, which follows its checks, is served by ordering:
``pos.ordering.views``.)"""

from __future__ import annotations

from flask import Blueprint

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import InvalidInput
from pos.floor import operations
from pos.floor.operations import assign_section, list_sections
from pos.floor.schemas import (
    FloorChange,
    FloorEditorOut,
    FloorLayoutOut,
    FloorOrder,
    NewFloor,
    NewSection,
    NewTable,
    SectionChange,
    SectionOut,
    SectionServers,
    TableChange,
    TableLayoutOut,
)

api = Blueprint("sections_api", __name__, url_prefix=API_PREFIX)
EDIT = Permission.FLOOR_EDIT


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


@api_route(api, "/sections", method="POST", summary="Add a section to a floor",
           permission=EDIT, body=NewSection, response=SectionOut, status=201, tag="floor")
def add_section(session, actor, body: NewSection):
    return operations.add_section(session, actor, body.floor_id, body.name)


@api_route(api, "/sections/<int:section_id>", method="PATCH", summary="Rename a section",
           permission=EDIT, body=SectionChange, response=SectionOut, tag="floor")
def rename_section(session, actor, body: SectionChange, section_id: int):
    return operations.rename_section(session, actor, section_id, body.name)


@api_route(api, "/sections/<int:section_id>", method="DELETE",
           summary="Remove a section; its tables stay, in no section",
           permission=EDIT, tag="floor")
def remove_section(session, actor, section_id: int):
    return operations.remove_section(session, actor, section_id)


# --- the floor editor ------------------------------------------------------------------


@api_route(api, "/floors", summary="Every floor with its tables as placed, and the sections "
           "(the layout only; live states are on /floor)", permission=EDIT,
           response=FloorEditorOut, tag="floor")
def show_floors(session, actor):
    return operations.floor_editor(session)


@api_route(api, "/floors", method="POST", summary="Add a floor (a room, a terrace)",
           permission=EDIT, body=NewFloor, response=FloorLayoutOut, status=201, tag="floor")
def add_floor(session, actor, body: NewFloor):
    return operations.add_floor(session, actor, body.names)


@api_route(api, "/floors/order", method="PUT", summary="Put the floors in a new order",
           permission=EDIT, body=FloorOrder, response=FloorEditorOut, tag="floor")
def order_floors(session, actor, body: FloorOrder):
    return operations.order_floors(session, actor, body.ids)


@api_route(api, "/floors/<int:floor_id>", method="PATCH", summary="Rename a floor",
           permission=EDIT, body=FloorChange, response=FloorLayoutOut, tag="floor")
def rename_floor(session, actor, body: FloorChange, floor_id: int):
    return operations.rename_floor(session, actor, floor_id, body.names)


@api_route(api, "/floors/<int:floor_id>", method="DELETE",
           summary="Remove an empty floor (its sections with it)", permission=EDIT,
           response=FloorEditorOut, tag="floor")
def remove_floor(session, actor, floor_id: int):
    return operations.remove_floor(session, actor, floor_id)


@api_route(api, "/tables", method="POST", summary="Add a table to a floor", permission=EDIT,
           body=NewTable, response=TableLayoutOut, status=201, tag="floor")
def add_table(session, actor, body: NewTable):
    return operations.add_table(session, actor, body.model_dump(), body.model_fields_set)


@api_route(api, "/tables/<int:table_id>", method="PATCH",
           summary="Move, resize, turn, rename or reseat a table (only the fields sent)",
           permission=EDIT, body=TableChange, response=TableLayoutOut, tag="floor")
def change_table(session, actor, body: TableChange, table_id: int):
    changes = body.model_dump(include=body.model_fields_set)
    for name, value in changes.items():
        if value is None and name != "section_id":
            raise InvalidInput(f"'{name}' may not be null.", field=name)
    return operations.change_table(session, actor, table_id, changes)


@api_route(api, "/tables/<int:table_id>", method="DELETE",
           summary="Remove a table (not while a check is open on it)", permission=EDIT,
           tag="floor")
def remove_table(session, actor, table_id: int):
    return operations.remove_table(session, actor, table_id)
