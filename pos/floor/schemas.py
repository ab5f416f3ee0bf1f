from __future__ import annotations

from pydantic import Field

from pos.core.api import Id, Out, Schema
from pos.floor.models import TableShape


class TableOut(Out):
    id: int
    name: str
    seats: int
    shape: TableShape
    x: int
    y: int
    width: int
    height: int
    section_id: int | None
    state: str
    guests: int
    server_id: int | None
    server: str | None  # the first check's server
    servers: list[int]  # every server with an open check here
    seated_at: str | None
    checks: list[int]


class FloorPlanOut(Out):
    id: int
    names: dict[str, str]
    tables: list[TableOut]


class BusinessDayOut(Out):
    id: int
    open: bool


class FloorOut(Out):
    last_event: int
    business_day: BusinessDayOut | None = Field(description="The open business day; "
                                                            "none: ordering is locked")
    see_all_sections: bool
    my_sections: list[int]
    floors: list[FloorPlanOut]


class SectionServers(Schema):
    staff_ids: list[Id] = Field(max_length=50, description="Who covers the section now")


class SectionOut(Out):
    id: int
    name: str
    floor_id: int
    staff_ids: list[int]
