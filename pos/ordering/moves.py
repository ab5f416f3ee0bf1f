"""Moving checks and lines: to another table or server, between checks, and merging.

Every move is recorded and pushed to every screen; the kitchen's tickets follow their
lines, so a moved ticket shows its new table at once. Totals never change by a move.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.floor.models import DiningTable
from pos.ordering.events import ChecksMerged, CheckTransferred, LinesMoved, tell
from pos.ordering.models import Check, CheckKind, CheckMove, CheckStatus
from pos.ordering.operations import changed, check_for_change
from pos.staff.models import StaffMember


def transfer_check(session: Session, actor: Actor, check_id: int, version: int, *,
                   table_id: int | None, server_id: int | None) -> Check:
    check = check_for_change(session, check_id, version)
    if table_id is None and server_id is None:
        raise InvalidInput(_("Choose a table or a server."), field="table_id")
    old_table, old_server = check.table_id, check.server_id
    if table_id is not None and table_id != check.table_id:
        if session.get(DiningTable, table_id) is None:
            raise NotFound(_("There is no such table."), field="table_id")
        check.table_id, check.kind, check.name = table_id, CheckKind.TABLE, None
        record_move(session, actor, "transfer_table", check, from_table_id=old_table,
                    to_table_id=table_id)
    if server_id is not None and server_id != check.server_id:
        server = session.get(StaffMember, server_id)
        if server is None or not server.active:
            raise NotFound(_("There is no such server."), field="server_id")
        check.server_id = server_id
        record_move(session, actor, "transfer_server", check, from_server_id=old_server,
                    to_server_id=server_id)
    tell(session, CheckTransferred(check))
    changed(session, check, actor, tables={old_table})
    return check


def move_lines(session: Session, actor: Actor, check_id: int, version: int, *,
               line_ids: list[int], to_check_id: int, to_version: int) -> tuple[Check, Check]:
    source, target = lock_pair(session, check_id, version, to_check_id, to_version)
    lines = [line for line in source.lines if line.id in set(line_ids)]
    if len(lines) != len(set(line_ids)):
        raise NotFound(_("Some of these lines are not on this check."), field="line_ids")
    for line in lines:
        target.lines.append(line)  # the backref takes it off the source
    session.flush()
    tell(session, LinesMoved(source, target, [line.id for line in lines]))
    record_move(session, actor, "lines", source, to_check_id=target.id, line_ids=line_ids)
    changed(session, source, actor)
    changed(session, target, actor)
    return source, target


def merge_checks(session: Session, actor: Actor, check_id: int, version: int, *,
                 from_check_id: int, from_version: int) -> Check:
    """Everything on ``from_check_id`` (another table's check) onto this one."""
    target, source = lock_pair(session, check_id, version, from_check_id, from_version)
    if source.discount_bp or source.discount_amount:
        raise Conflict(_("Take the discount off the other check before merging."),
                       field="from_check_id", code="discount_on_check")
    line_ids = [line.id for line in source.lines]
    for line in list(source.lines):
        target.lines.append(line)
    target.guest_count += source.guest_count
    source.status, source.merged_into_id = CheckStatus.MERGED, target.id
    session.flush()
    tell(session, ChecksMerged(source, target))
    record_move(session, actor, "merge", source, to_check_id=target.id, line_ids=line_ids,
                from_table_id=source.table_id, to_table_id=target.table_id)
    changed(session, source, actor)
    changed(session, target, actor)
    return target


def lock_pair(session: Session, first_id: int, first_version: int, second_id: int,
              second_version: int) -> tuple[Check, Check]:
    """Both checks, locked in id order (two tablets moving both ways never deadlock)."""
    if first_id == second_id:
        raise InvalidInput(_("Choose another check."), field="to_check_id")
    ordered = sorted([(first_id, first_version, "check_id"),
                      (second_id, second_version, "to_check_id")])
    locked = {check_id: check_for_change(session, check_id, version, field)
              for check_id, version, field in ordered}
    return locked[first_id], locked[second_id]


def record_move(session: Session, actor: Actor, kind: str, check: Check, **details) -> None:
    session.add(CheckMove(kind=kind, check_id=check.id, by_id=actor.staff_id,
                          by_device_id=actor.device_id if actor.is_device else None, **details))
