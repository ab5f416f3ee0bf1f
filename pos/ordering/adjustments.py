"""Voids, comps and discounts: each needs the right, or a manager's PIN on the same
screen, and each is written to the audit log with who approved it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor, Permission
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.ordering.events import LineSplit, LineVoided, tell
from pos.ordering.models import LineStatus, OrderLine
from pos.ordering.operations import changed, check_for_change, remove_line
from pos.staff.operations import approve_with_manager_pin
from pos.staff.pins import PinCheck


def approval(session: Session, actor: Actor, permission: Permission, manager_pin: str | None,
             pins: PinCheck) -> int | None:
    """None if the actor may do it alone; else the id of the manager whose PIN approves.

    Called before the operation changes anything: a refused PIN commits only its count.
    """
    if actor.can(permission):
        return None
    return approve_with_manager_pin(session, pin=manager_pin, check=pins, requester=actor).id


def sent_line_of(check, line_id: int) -> OrderLine:
    line = next((line for line in check.lines if line.id == line_id), None)
    if line is None:
        raise NotFound(_("There is no such line on this check."), field="line_id")
    if line.status is LineStatus.VOID:
        raise Conflict(_("This line is already void."), field="line_id", code="line_void")
    return line


def void_line(session: Session, actor: Actor, check_id: int, version: int, line_id: int, *,
              reason: str | None, quantity: int | None, manager_pin: str | None,
              pins: PinCheck):
    """Before sending, the line is just removed. After, the kitchen sees it struck through."""
    check = check_for_change(session, check_id, version)
    line = sent_line_of(check, line_id)
    if line.status is LineStatus.NEW:
        return remove_line(session, actor, check_id, version, line_id)
    if not reason:
        raise InvalidInput(_("Say why the line is voided."), field="reason")
    if quantity is not None and quantity > line.quantity:
        raise InvalidInput(_("The line has only %(count)s.", count=line.quantity),
                           field="quantity")
    approved_by = approval(session, actor, Permission.VOID, manager_pin, pins)
    voided = line if quantity in (None, line.quantity) else split_off(session, line, quantity)
    voided.status = LineStatus.VOID
    voided.void_reason = reason
    voided.voided_by_id = actor.staff_id
    session.flush()
    record_audit(session, "line.voided", actor=actor, approved_by=approved_by,
                 subject=f"check:{check.id}/line:{voided.id}", reason=reason,
                 quantity=voided.quantity, amount=voided.gross, item=voided.names)
    tell(session, LineVoided(check, voided))
    changed(session, check, actor)
    return check


def split_off(session: Session, line: OrderLine, quantity: int) -> OrderLine:
    """Part of a sent line as a line of its own (void one of three beers)."""
    part = OrderLine(**{column: getattr(line, column) for column in (
        "check_id", "item_id", "names", "seat", "course_id", "note", "allergens", "unit_price",
        "modifiers_price", "tax_rate_bp", "status", "added_by_id", "added_by_device_id",
        "added_at", "send_id", "held", "fired_at", "comped", "comp_reason", "discount_bp",
        "discount_amount", "modifiers")},
        quantity=quantity)
    line.quantity -= quantity
    line.check.lines.append(part)
    session.flush()
    tell(session, LineSplit(line, part))
    return part


def comp_line(session: Session, actor: Actor, check_id: int, version: int, line_id: int, *,
              reason: str | None, manager_pin: str | None, pins: PinCheck):
    """On the house: the line stays at full value for control and is taken off the total."""
    check = check_for_change(session, check_id, version)
    line = sent_line_of(check, line_id)
    if not reason:
        raise InvalidInput(_("Say why the line is on the house."), field="reason")
    approved_by = approval(session, actor, Permission.COMP, manager_pin, pins)
    line.comped, line.comp_reason = True, reason
    record_audit(session, "line.comped", actor=actor, approved_by=approved_by,
                 subject=f"check:{check.id}/line:{line.id}", reason=reason, amount=line.gross)
    changed(session, check, actor)
    return check


def apply_discount(session: Session, actor: Actor, check_id: int, version: int, *,
                   line_id: int | None, percent_bp: int | None, amount: int | None,
                   reason: str | None, manager_pin: str | None, pins: PinCheck):
    """A percentage or an amount off one line or the whole check (0 removes it)."""
    check = check_for_change(session, check_id, version)
    if (percent_bp is None) == (amount is None):
        raise InvalidInput(_("Give a percentage or an amount, not both."), field="percent_bp")
    if not reason:
        raise InvalidInput(_("Say why the discount is given."), field="reason")
    approved_by = approval(session, actor, Permission.DISCOUNT, manager_pin, pins)
    target = sent_line_of(check, line_id) if line_id is not None else check
    target.discount_bp = percent_bp or None
    target.discount_amount = amount or None
    if target is check:
        check.discount_reason = reason
    record_audit(session, "discount.applied", actor=actor, approved_by=approved_by,
                 subject=f"check:{check.id}" + (f"/line:{line_id}" if line_id else ""),
                 reason=reason, percent_bp=percent_bp, amount=amount)
    changed(session, check, actor)
    return check
