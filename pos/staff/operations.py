"""Staff and devices: signing in by PIN, manager approval, adding and changing staff,
pairing and revoking devices. Nobody grants a role above their own (``Actor.may_grant``)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import DEVICE_ROLES, Actor, Permission, Role, role_can
from pos.core.db import utcnow
from pos.core.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from pos.core.events import close_rooms_after_commit
from pos.staff.models import Device, StaffMember
from pos.staff.pins import (
    PinCheck,
    PinGuard,
    find_by_pin,
    generate_pin,
    hash_pin,
    pin_is_taken,
    pin_lookup,
    validate_pin,
)
from pos.staff.sessions import device_room, end_sessions_of

# --- signing in and approving ------------------------------------------------------------

def owner_of_pin(session: Session, *, pin: str, pad: str, check: PinCheck,
                 device_label: str, now: datetime | None = None,
                 **audited: object) -> StaffMember | Locked | InvalidInput:
    """The staff member whose PIN this is, or the error to show on the pad (``audited``:
    what the audit of a failure says besides, e.g. that the pad was clocking).

    Errors are returned, not raised, so the failure and any lock are committed and
    audited. Every use of a pad shares one streak and the address's window, so switching
    what the pad does buys no extra guesses; a right PIN clears only this pad's streak.
    """
    guard = PinGuard(session, check.policy, streak=f"pad:{pad}", address=check.address,
                     now=now)
    if refusal := guard.refusal("pin"):
        record_audit(session, "signin.failed", device_label=device_label, reason="locked",
                     **audited)
        return refusal
    member = find_by_pin(session, pin, check.secret) if pin.isdigit() else None
    if member is None:
        record_audit(session, "signin.failed", device_label=device_label, reason="wrong_pin",
                     **audited)
        if refusal := guard.failed("signin", "pin"):
            record_audit(session, "signin.locked", device_label=device_label,
                         seconds=refusal.retry_after)
            return refusal
        return InvalidInput(_("Wrong PIN."), field="pin", code="wrong_pin", status=401)
    guard.passed()
    return member


def sign_in_with_pin(session: Session, *, pin: str, pad: str, check: PinCheck,
                     device_label: str,
                     now: datetime | None = None) -> StaffMember | Locked | InvalidInput:
    """The staff member whose PIN this is, signed in, or the error to show on the pad."""
    member = owner_of_pin(session, pin=pin, pad=pad, check=check, device_label=device_label,
                          now=now)
    if isinstance(member, StaffMember):
        record_audit(session, "signin", actor=actor_for_staff(member),
                     device_label=device_label)
    return member


def approve_with_manager_pin(session: Session, *, pin: str | None, check: PinCheck,
                             requester: Actor | None, field: str = "manager_pin",
                             permission: Permission = Permission.APPROVE,
                             streak: str | None = None) -> StaffMember:
    """The manager whose PIN approves an action on someone else's screen.

    Wrong PINs count against the requester's streak (or ``streak``: the screen being
    paired) and the address's window, and each is audited; the refusal keeps those
    writes although the action itself is refused.
    """
    if not pin:
        raise Forbidden(_("A manager's PIN is needed."), field=field)
    validate_pin(pin, field)
    if streak is None:
        streak = f"approval:staff:{requester.staff_id}:device:{requester.device_id}"
    guard = PinGuard(session, check.policy, address=check.address, streak=streak)
    if refusal := guard.refusal(field):
        raise refusal
    manager = find_by_pin(session, pin, check.secret)
    if manager is None or not role_can(manager.role, permission):
        record_audit(session, "approval.failed", actor=requester)
        refusal = guard.failed("approval", field) or Forbidden(
            _("That is not a manager's PIN."), field=field)
        refusal.keep_writes = True
        raise refusal
    guard.passed()
    return manager


def actor_for_staff(member: StaffMember, device_id: int | None = None) -> Actor:
    return Actor(role=member.role, name=member.name, staff_id=member.id, device_id=device_id,
                 language=member.language)


def actor_for_device(device: Device) -> Actor:
    return Actor(role=device.role, name=device.label, device_id=device.id,
                 station=device.station, server_id=device.server_id)


# --- staff ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class NewPin:
    """A PIN chosen by the manager, or None to have Masa make one."""

    pin: str | None
    generated: bool = False


def choose_pin(session: Session, actor: Actor | None, pin: str | None, check: PinCheck, *,
               for_staff_id: int | None = None) -> NewPin:
    """The PIN a staff member will have: the one asked for if nobody else holds it, else a
    refusal counted like a wrong PIN (asking is a way to learn someone's PIN); none asked
    for, a generated one."""
    if pin is None:
        return NewPin(generate_pin(session, check.secret), generated=True)
    validate_pin(pin)
    who = actor.staff_id if actor else None
    guard = PinGuard(session, check.policy, streak=f"choose:staff:{who}", address=check.address)
    if refusal := guard.refusal("pin"):
        raise refusal
    if pin_is_taken(session, pin, check.secret, except_staff_id=for_staff_id):
        record_audit(session, "staff.pin_taken", actor=actor,
                     subject=f"staff:{for_staff_id}" if for_staff_id else None)
        refusal = guard.failed("pin_taken", "pin") or Conflict(
            _("This PIN cannot be used. Choose another, or leave it empty and Masa makes "
              "one."), field="pin", code="pin_unavailable")
        refusal.keep_writes = True
        raise refusal
    return NewPin(pin)


def require_rank(actor: Actor | None, role: Role, field: str = "role") -> None:
    if actor is not None and not actor.may_grant(role):
        raise Forbidden(_("You may not give or change the role %(role)s: it is above "
                          "your own.", role=role.value), field=field, code="role_above_yours")


def add_staff(session: Session, *, name: str, role: Role, pin: str | None, check: PinCheck,
              language: str | None = None, actor: Actor | None = None,
              pin_hash: str | None = None) -> tuple[StaffMember, NewPin]:
    """``pin_hash``: the PIN's hash made beforehand (``hash_pins``, for many at once)."""
    require_rank(actor, role)
    chosen = choose_pin(session, actor, pin, check)
    if pin_hash is None or chosen.pin != pin:
        pin_hash = hash_pin(chosen.pin)
    member = StaffMember(name=name, role=role, pin_hash=pin_hash,
                         pin_lookup=pin_lookup(chosen.pin, check.secret), language=language)
    session.add(member)
    session.flush()
    record_audit(session, "staff.created", actor=actor, subject=f"staff:{member.id}",
                 name=name, role=role.value, pin_generated=chosen.generated)
    return member, chosen


def staff_to_change(session: Session, actor: Actor, staff_id: int) -> StaffMember:
    member = session.get(StaffMember, staff_id, with_for_update=True)
    if member is None:
        raise NotFound(_("There is no such staff member."), field="staff_id")
    require_rank(actor, member.role, field="staff_id")
    return member


def change_staff(session: Session, actor: Actor, staff_id: int, *, name: str | None = None,
                 role: Role | None = None, language: str | None = None,
                 active: bool | None = None, clear_language: bool = False) -> StaffMember:
    """Name, language, role or active; a role change or deactivation signs them out."""
    member = staff_to_change(session, actor, staff_id)
    before = {"name": member.name, "role": member.role.value, "language": member.language,
              "active": member.active}
    if role is not None:
        require_rank(actor, role)
        if member.id == actor.staff_id and role != member.role:
            raise Forbidden(_("Ask another manager to change your own role."), field="role")
    if active is False and member.id == actor.staff_id:
        raise Forbidden(_("You cannot deactivate yourself."), field="active")
    if name is not None:
        member.name = name
    if language is not None or clear_language:
        member.language = language
    if role is not None:
        member.role = role
    if active is not None:
        member.active = active
    after = {"name": member.name, "role": member.role.value, "language": member.language,
             "active": member.active}
    if after == before:
        return member
    if after["role"] != before["role"] or (before["active"] and not member.active):
        end_sessions_of(session, member.id, "deactivated" if not member.active else
                        "role_changed")
    record_audit(session, "staff.changed", actor=actor, subject=f"staff:{member.id}",
                 before={k: v for k, v in before.items() if after[k] != v},
                 after={k: v for k, v in after.items() if before[k] != v})
    return member


def change_pin(session: Session, actor: Actor, staff_id: int, pin: str | None,
               check: PinCheck) -> tuple[StaffMember, NewPin]:
    """A new PIN (chosen, or made by Masa); every open sign-in of theirs ends."""
    member = staff_to_change(session, actor, staff_id)
    chosen = choose_pin(session, actor, pin, check, for_staff_id=member.id)
    member.pin_hash = hash_pin(chosen.pin)
    member.pin_lookup = pin_lookup(chosen.pin, check.secret)
    end_sessions_of(session, member.id, "pin_changed")
    record_audit(session, "staff.pin_changed", actor=actor, subject=f"staff:{member.id}",
                 pin_generated=chosen.generated)
    return member, chosen


# --- devices -------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pair_device(session: Session, *, label: str, role: Role, station: str | None,
                actor: Actor, server_id: int | None = None,
                paired_by: StaffMember | None = None) -> tuple[Device, str]:
    """A new device and its token; the token is shown once and only its hash is kept.

    ``paired_by`` is the manager who typed their PIN on the screen being paired."""
    by = actor_for_staff(paired_by) if paired_by is not None else actor
    if by.is_device:
        raise Forbidden(_("Only a person can pair a device."), field="role")
    if role not in DEVICE_ROLES:
        raise Forbidden(_("A device cannot hold the role %(role)s.", role=role.value),
                        field="role", code="role_not_for_devices")
    require_rank(by, role)
    if server_id is not None:
        server = session.get(StaffMember, server_id)
        if server is None or not server.active or not role_can(server.role,
                                                                Permission.TAKE_ORDERS):
            raise InvalidInput(_("There is no such server."), field="server_id")
    token = secrets.token_urlsafe(32)
    device = Device(label=label, role=role, station=station, token_hash=token_hash(token),
                    paired_by_id=by.staff_id, server_id=server_id, last_seen_at=utcnow())
    session.add(device)
    session.flush()
    record_audit(session, "device.paired", actor=by, subject=f"device:{device.id}",
                 label=label, role=role.value, station=station,
                 on_the_screen=paired_by is not None)
    return device, token


def revoke_device(session: Session, *, device_id: int, actor: Actor) -> Device:
    device = session.get(Device, device_id, with_for_update=True)
    if device is None:
        raise NotFound(_("No such device."), field="device_id")
    require_rank(actor, device.role, field="device_id")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.revoked_by_id = actor.staff_id
        record_audit(session, "device.revoked", actor=actor, subject=f"device:{device.id}")
    close_rooms_after_commit(session, [device_room(device.id)])
    return device


def device_for_token(session: Session, token: str) -> Device | None:
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None or device.revoked_at is not None:
        return None
    return device


# --- who a check can be handed to ----------------------------------------------------------

def serves_by_role(role: Role) -> bool:
    """Waiters and bartenders take orders as their job. A manager or admin may take orders
    too, but is not a server unless they are serving tonight (holding an open check)."""
    return role_can(role, Permission.TAKE_ORDERS) and not role_can(role, Permission.STAFF_MANAGE)


def servers(session: Session, serving: Collection[int] = ()) -> list[StaffMember]:
    """Active staff a waiter can hand a check to: those who serve by role, and ``serving``
    (staff holding an open check now) who may take orders. In name order."""
    active = session.scalars(select(StaffMember).where(StaffMember.active.is_(True))
                             .order_by(StaffMember.name))
    return [member for member in active
            if serves_by_role(member.role)
            or (member.id in serving and role_can(member.role, Permission.TAKE_ORDERS))]
