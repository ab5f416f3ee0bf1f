"""Sections of the floor and who covers them. A table's live state follows its checks and
is computed and announced by ordering (``pos.ordering.tables``)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pos.core.errors import InvalidInput, NotFound
from pos.floor.events import SectionCovered, announce_section
from pos.floor.models import Section, SectionAssignment
from pos.staff.models import StaffMember


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
