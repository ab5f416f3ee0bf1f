from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from pos.core.api import Id, Out, Schema
from pos.floor.models import GRID, TableShape


class TableOut(Out):
    id: int
    name: str
    seats: int
    shape: TableShape
    x: int
    y: int
    width: int
    height: int
    rotation: int
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


# --- the floor editor (the back office) -------------------------------------------------

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
FloorName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
FloorNames = Annotated[dict[Language, FloorName], Field(
    min_length=1, max_length=8, description='Per language: {"ro": "Terasă", "en": "Terrace"}')]
TableName = Annotated[str, StringConstraints(min_length=1, max_length=12)]
Seats = Annotated[int, Field(ge=1, le=40)]
Place = Annotated[int, Field(ge=0, le=GRID, description=f"Plan units (0–{GRID}) from the "
                                                         "floor's top left corner")]
Size = Annotated[int, Field(ge=1, le=GRID, description="Plan units")]
Rotation = Annotated[int, Field(ge=0, le=359, description="Degrees clockwise")]
SectionName = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class NewFloor(Schema):
    names: FloorNames


class FloorChange(Schema):
    names: FloorNames


class FloorOrder(Schema):
    ids: list[Id] = Field(min_length=1, max_length=100,
                          description="Every floor, in the order the tablets show them")


class NewTable(Schema):
    floor_id: Id
    name: TableName
    seats: Seats = 4
    shape: TableShape = TableShape.SQUARE
    x: Place = 0
    y: Place = 0
    width: Size = 10
    height: Size = 10
    rotation: Rotation = 0
    section_id: Id | None = None


class TableChange(Schema):
    """Only the fields sent change: a drag sends x and y, a handle width and height."""

    floor_id: Id | None = None
    name: TableName | None = None
    seats: Seats | None = None
    shape: TableShape | None = None
    x: Place | None = None
    y: Place | None = None
    width: Size | None = None
    height: Size | None = None
    rotation: Rotation | None = None
    section_id: Id | None = Field(None, description="Its section; send null to take it out")


class TableLayoutOut(Out):
    id: int
    floor_id: int
    section_id: int | None
    name: str
    seats: int
    shape: TableShape
    x: int
    y: int
    width: int
    height: int
    rotation: int


class FloorLayoutOut(Out):
    id: int
    names: dict[str, str]
    position: int
    tables: list[TableLayoutOut]


class NewSection(Schema):
    floor_id: Id
    name: SectionName


class SectionChange(Schema):
    name: SectionName


class FloorEditorOut(Out):
    last_event: int = Field(description="Where the /floor socket picks up (layout events)")
    grid: int = Field(description="A floor is a grid this many plan units wide and deep")
    floors: list[FloorLayoutOut]
    sections: list[SectionOut]
