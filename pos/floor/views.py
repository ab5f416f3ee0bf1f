"""Sections and who covers them. (The floor plan with each table's live state, which
follows its checks, is served by ordering: ``pos.ordering.views``.)"""

from __future__ import annotations

from flask import Blueprint

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.floor.operations import assign_section, list_sections
from pos.floor.schemas import SectionOut, SectionServers

api = Blueprint("sections_api", __name__, url_prefix=API_PREFIX)


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
