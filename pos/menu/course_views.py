"""Courses from the back office's settings: their names, their order, and whether they go
to the kitchen at once (drinks, starters) or wait to be fired (mains, desserts).

A course is never deleted: lines sent in it keep it. Every change is audited with its
value before and after, as the venue's other settings are."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import gettext as _
from pydantic import Field, field_validator
from sqlalchemy import select

from pos.core.api import API_PREFIX, Out, Schema, api_route
from pos.core.audit import record_audit
from pos.core.auth import Permission
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.menu.models import Course

api = Blueprint("course_api", __name__, url_prefix=API_PREFIX)


def bilingual(value: dict[str, str] | None) -> dict[str, str] | None:
    if value is None:
        return None
    if set(value) != {"ro", "en"} or not all(1 <= len(v.strip()) <= 40 for v in value.values()):
        raise ValueError("a name in each language: {\"ro\": …, \"en\": …}, 1 to 40 letters")
    return {language: name.strip() for language, name in value.items()}


class CourseOut(Out):
    id: int
    code: str
    names: dict[str, str]
    position: int
    fires_immediately: bool


class NewCourse(Schema):
    code: str = Field(min_length=1, max_length=24, pattern=r"^[a-z0-9_-]+$")
    names: dict[str, str]
    position: int = Field(0, ge=0, le=99)
    fires_immediately: bool = False

    @field_validator("names")
    @classmethod
    def _in_each_language(cls, value: dict[str, str]) -> dict[str, str] | None:
        return bilingual(value)


class CourseChange(Schema):
    names: dict[str, str] | None = None
    position: int | None = Field(None, ge=0, le=99)
    fires_immediately: bool | None = Field(None, description="Sent at once; else held until "
                                           "the server fires it")

    @field_validator("names")
    @classmethod
    def _in_each_language(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        return bilingual(value)


@api_route(api, "/courses", summary="The courses, in the order they come out",
           permission=Permission.VENUE_VIEW, response=CourseOut, many=True, tag="menu")
def list_courses(session, actor):
    return session.scalars(select(Course).order_by(Course.position, Course.id)).all()


@api_route(api, "/courses", method="POST", summary="Add a course (audited)",
           permission=Permission.SETTINGS_EDIT, body=NewCourse, response=CourseOut, status=201,
           idempotent=False, tag="menu")
def add_course(session, actor, body: NewCourse):
    if session.scalar(select(Course.id).where(Course.code == body.code)) is not None:
        raise Conflict(_("Another course has the code “%(code)s”.", code=body.code),
                       field="code")
    course = Course(**body.model_dump())
    session.add(course)
    session.flush()
    record_audit(session, "settings.changed", actor=actor, subject=f"course:{course.code}",
                 changes={name: [None, value] for name, value in body.model_dump().items()})
    return course


@api_route(api, "/courses/<int:course_id>", method="PATCH", summary="Rename, reorder, or "
           "change when a course goes to the kitchen (audited with before and after)",
           permission=Permission.SETTINGS_EDIT, body=CourseChange, response=CourseOut,
           tag="menu")
def change_course(session, actor, body: CourseChange, course_id: int):
    changes: dict[str, Any] = body.model_dump(exclude_none=True)
    if not changes:
        raise InvalidInput(_("Nothing to change."), field="body")
    course = session.get(Course, course_id, with_for_update=True)
    if course is None:
        raise NotFound(_("No such course."), field="course_id")
    changed = {name: [getattr(course, name), value] for name, value in changes.items()
               if getattr(course, name) != value}
    for name, (_before, value) in changed.items():
        setattr(course, name, value)
    if changed:
        record_audit(session, "settings.changed", actor=actor, subject=f"course:{course.code}",
                     changes=changed)
    return course
