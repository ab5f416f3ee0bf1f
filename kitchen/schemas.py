from __future__ import annotations

from typing import Any

from pydantic import Field

from pos.core.api import Id, Out, Schema
from pos.ordering.schemas import ClientId


class Tap(Schema):
    client_id: ClientId | None = Field(None, description="The screen's id for this tap; "
                                                         "a repeated tap changes nothing")


class LineDone(Tap):
    done: bool = True


class CourseCall(Schema):
    check_id: Id
    course_id: Id | None = None
    client_id: ClientId | None = None


class StationOut(Out):
    code: str
    names: dict[str, str]
    is_expo: bool
    warn_after_seconds: int
    late_after_seconds: int


class KitchenOut(Out):
    last_event: int
    station: StationOut
    tickets: list[dict[str, Any]]
    alerts: list[dict[str, Any]] = []


class TicketOut(Out):
    id: int
    status: str
    bumped_at: str | None = None


class ReadyOut(Out):
    check_id: int
    table_id: int | None
    table: str | None
    check_name: str | None
    course: dict[str, Any] | None
    ready_at: str
