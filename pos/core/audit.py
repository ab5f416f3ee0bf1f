"""The audit log: an append-only record of sensitive actions.

Nothing in Masa updates or deletes an entry: the ORM refuses it here, and the
database refuses it too (triggers in the first migration).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, Select, String, event, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from pos.core.auth import Actor
from pos.core.db import Base, BigId, utcnow

# The actions the audit log knows; a new sensitive action adds its name here.
AUDITED_ACTIONS = frozenset({
    "signin.failed",
    "signin.locked",
    "approval.failed",
    "signin",
    "signout",
    "device.paired",
    "device.revoked",
    "device.renamed",
    "printer.added",
    "printer.changed",
    "printer.removed",
    "staff.created",
    "staff.changed",
    "staff.pin_changed",
    "staff.pin_taken",
    "clock.corrected",
    "clock.shift_added",
    "settings.changed",
    "menu.category_added", "menu.category_changed", "menu.categories_reordered",
    "menu.item_added", "menu.item_changed", "menu.group_added", "menu.group_changed",
    "menu.imported", "menu.schedule_added", "menu.schedule_changed", "menu.schedule_removed",
    "floor.changed",
    "line.voided",
    "line.comped",
    "discount.applied",
    "price.overridden",
    "payment.taken",
    "payment.refunded",
    "payment.resolved",
    "payment.hold_released",
    "folio.charged",
    "folio.settled",
    "folio.card_resolved",
    "folio.manual_entry",
    "stay.checked_in",
    "stay.checked_out",
    "receipt.reprinted",
    "bills.split_by_seat",
    "bills.split_evenly",
    "bills.split_by_amount",
    "bills.split_undone",
    "bills.line_moved",
    "bills.line_shared",
    "drawer.no_sale",
    "drawer.paid_in",
    "drawer.paid_out",
    "drawer.tips_out",
    "shift.opened",
    "shift.closed",
    "report.z_taken",
    "terminal.end_of_day",
    "inventory.ingredient_added", "inventory.ingredient_changed",
    "inventory.location_added", "inventory.location_changed",
    "inventory.recipe_set", "inventory.prep_added", "inventory.prep_changed",
    "stock.received", "stock.wasted", "stock.counted", "stock.transferred",
    "purchasing.supplier_added", "purchasing.supplier_changed",
    "purchasing.order_created", "purchasing.order_sent", "purchasing.order_cancelled",
    "purchasing.order_received",
    "demo.reset",
})


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    device_label: Mapped[str | None] = mapped_column(String(120))  # IP or device cookie
    subject: Mapped[str | None] = mapped_column(String(120))  # e.g. "check:12/line:40"
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record_audit(session: Session, action: str, *, actor: Actor | None = None,
                 approved_by: int | None = None, device_label: str | None = None,
                 subject: str | None = None, **details: Any) -> AuditEntry:
    if action not in AUDITED_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(
        action=action,
        staff_id=actor.staff_id if actor else None,
        device_id=actor.device_id if actor else None,
        approved_by_id=approved_by,
        device_label=device_label,
        subject=subject,
        details=details,
    )
    session.add(entry)
    return entry


def audit_entries(*, staff_id: int | None = None, action: str | None = None,
                  since: datetime | None = None, before: datetime | None = None) -> Select:
    """The entries a manager asks for, newest first: by whom (the person who acted or
    approved), what (an action, or a family such as "payment"), and when (from
    ``since``, up to but not including ``before``)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if staff_id is not None:
        query = query.where(or_(AuditEntry.staff_id == staff_id,
                                AuditEntry.approved_by_id == staff_id))
    if action:
        query = query.where(AuditEntry.action == action if "." in action
                            else or_(AuditEntry.action == action,
                                     AuditEntry.action.startswith(action + ".", autoescape=True)))
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if before is not None:
        query = query.where(AuditEntry.at < before)
    return query


def count_of(query: Select, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0


# The database refuses updates and deletes too (the first migration installs the same).
for _verb in ("UPDATE", "DELETE"):
    event.listen(AuditEntry.__table__, "after_create", DDL(
        f"CREATE TRIGGER audit_log_no_{_verb.lower()} BEFORE {_verb} ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END").execute_if(
        dialect="sqlite"))
event.listen(AuditEntry.__table__, "after_create", DDL(
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql").execute_if(
    dialect="postgresql"))
event.listen(AuditEntry.__table__, "after_create", DDL(
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()").execute_if(dialect="postgresql"))


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper: Any, _connection: Any, entry: AuditEntry) -> None:
    raise PermissionError("the audit log is append-only")
