"""Signing in by PIN, the PIN pad's throttle, manager approval, and device pairing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor, Permission, Role, role_can
from pos.core.db import utcnow
from pos.core.errors import Conflict, Forbidden, InvalidInput, Locked, NotFound
from pos.staff.models import Device, PinLockout, StaffMember

# OWASP's argon2id minimum: ~20 ms a check, so a sign-in stays instant.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MAX_LOCK_SECONDS = 3600


@dataclass(frozen=True)
class PinPolicy:
    max_failures: int = 5  # per PIN pad (device cookie)
    lock_seconds: int = 30
    # Per network address, looser: tablets behind one proxy must not lock each other out,
    # but a script that drops its cookie between tries is still stopped.
    address_factor: int = 4


@dataclass(frozen=True)
class PinCheck:
    """What checking a PIN needs: the venue's secret and the throttle's policy."""

    secret: str
    policy: PinPolicy


def validate_pin(pin: str, field: str = "pin") -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 6):
        raise InvalidInput(_("A PIN is 4 to 6 digits."), field=field)
    return pin


def pin_lookup(pin: str, secret: str) -> str:
    return hmac.new(secret.encode(), pin.encode(), hashlib.sha256).hexdigest()


def add_staff(session: Session, *, name: str, role: Role, pin: str, secret: str,
              language: str | None = None, actor: Actor | None = None) -> StaffMember:
    validate_pin(pin)
    member = StaffMember(name=name, role=role, pin_hash=_hasher.hash(pin),
                         pin_lookup=pin_lookup(pin, secret), language=language)
    try:
        with session.begin_nested():
            session.add(member)
    except IntegrityError:
        raise Conflict(_("Another staff member already has this PIN."), field="pin") from None
    record_audit(session, "staff.created", actor=actor, subject=f"staff:{member.id}",
                 name=name, role=role.value)
    return member


def find_by_pin(session: Session, pin: str, secret: str) -> StaffMember | None:
    member = session.scalar(select(StaffMember).where(
        StaffMember.pin_lookup == pin_lookup(pin, secret), StaffMember.active.is_(True)))
    if member is None:
        return None
    try:
        _hasher.verify(member.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return None
    return member


class PinThrottle:
    """Wrong PINs counted per key (a pad, an address, a staff member asking approval);
    past the limit the key is locked for a delay that doubles each time it trips."""

    def __init__(self, session: Session, policy: PinPolicy, limits: dict[str, int],
                 now: datetime | None = None) -> None:
        self.session, self.policy, self.now = session, policy, now or utcnow()
        self.lockouts = [(self._lockout(key), limit) for key, limit in limits.items()]

    def _lockout(self, key: str) -> PinLockout:
        lockout = self.session.get(PinLockout, key)
        if lockout is None:
            lockout = PinLockout(key=key, failures=0, locks=0)
            self.session.add(lockout)
        return lockout

    def locked(self, field: str) -> Locked | None:
        until = max((lo.locked_until for lo, _limit in self.lockouts if lo.locked_until),
                    default=None)
        if until is None or until <= self.now:
            return None
        return locked_error(max(1, int((until - self.now).total_seconds() + 0.999)), field)

    def failed(self, field: str) -> Locked | None:
        """Count a wrong PIN; the lock error if this one tripped a limit."""
        lock_for = 0
        for lockout, limit in self.lockouts:
            lockout.failures += 1
            if lockout.failures >= limit:
                lockout.failures = 0
                lockout.locks += 1
                seconds = min(self.policy.lock_seconds * 2 ** (lockout.locks - 1),
                              MAX_LOCK_SECONDS)
                lockout.locked_until = self.now + timedelta(seconds=seconds)
                lock_for = max(lock_for, seconds)
        return locked_error(lock_for, field) if lock_for else None

    def passed(self) -> None:
        for lockout, _limit in self.lockouts:
            lockout.failures, lockout.locks, lockout.locked_until = 0, 0, None


def locked_error(seconds: int, field: str) -> Locked:
    error = Locked(_("Too many wrong PINs. Try again in %(seconds)s s.", seconds=seconds),
                   retry_after=seconds, field=field)
    error.keep_writes = True  # the count and the audit entry must stay
    return error


def sign_in_with_pin(session: Session, *, pin: str, pad: str, address: str, secret: str,
                     policy: PinPolicy, device_label: str,
                     now: datetime | None = None) -> StaffMember | Locked | InvalidInput:
    """The staff member whose PIN this is, or the error to show on the pad.

    Errors are returned, not raised, so the failure and any lock are committed and
    audited. The pad (its device cookie) and its network address are throttled each
    on its own, so clearing cookies does not reset the count.
    """
    throttle = PinThrottle(session, policy, {
        f"pad:{pad}": policy.max_failures,
        f"addr:{address}": policy.max_failures * policy.address_factor}, now)
    if refusal := throttle.locked("pin"):
        record_audit(session, "signin.failed", device_label=device_label, reason="locked")
        return refusal
    member = find_by_pin(session, pin, secret) if pin.isdigit() else None
    if member is None:
        record_audit(session, "signin.failed", device_label=device_label, reason="wrong_pin")
        if refusal := throttle.failed("pin"):
            record_audit(session, "signin.locked", device_label=device_label,
                         seconds=refusal.retry_after)
            return refusal
        return InvalidInput(_("Wrong PIN."), field="pin", code="wrong_pin", status=401)
    throttle.passed()
    record_audit(session, "signin", actor=actor_for_staff(member), device_label=device_label)
    return member


def approve_with_manager_pin(session: Session, *, pin: str | None, secret: str,
                             requester: Actor, policy: PinPolicy | None = None,
                             field: str = "manager_pin") -> StaffMember:
    """The manager whose PIN approves an action on someone else's screen.

    Wrong PINs are throttled per requesting staff member like the PIN pad, and each is
    audited; the refusal keeps those writes although the action itself is refused.
    """
    if not pin:
        raise Forbidden(_("A manager's PIN is needed."), field=field)
    validate_pin(pin, field)
    policy = policy or PinPolicy()
    throttle = PinThrottle(session, policy, {
        f"approval:staff:{requester.staff_id}:device:{requester.device_id}":
            policy.max_failures})
    if refusal := throttle.locked(field):
        raise refusal
    manager = find_by_pin(session, pin, secret)
    if manager is None or not role_can(manager.role, Permission.APPROVE):
        record_audit(session, "approval.failed", actor=requester)
        refusal = throttle.failed(field) or Forbidden(_("That is not a manager's PIN."),
                                                      field=field)
        refusal.keep_writes = True
        raise refusal
    throttle.passed()
    return manager


def actor_for_staff(member: StaffMember, device_id: int | None = None) -> Actor:
    return Actor(role=member.role, name=member.name, staff_id=member.id, device_id=device_id,
                 language=member.language)


def actor_for_device(device: Device) -> Actor:
    return Actor(role=device.role, name=device.label, device_id=device.id,
                 station=device.station)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pair_device(session: Session, *, label: str, role: Role, station: str | None,
                actor: Actor) -> tuple[Device, str]:
    """A new device and its token; the token is shown once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    device = Device(label=label, role=role, station=station, token_hash=token_hash(token),
                    paired_by_id=actor.staff_id)
    session.add(device)
    session.flush()
    record_audit(session, "device.paired", actor=actor, subject=f"device:{device.id}",
                 label=label, role=role.value, station=station)
    return device, token


def revoke_device(session: Session, *, device_id: int, actor: Actor) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound(_("No such device."), field="device_id")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.revoked_by_id = actor.staff_id
        record_audit(session, "device.revoked", actor=actor, subject=f"device:{device.id}")
    return device


def device_for_token(session: Session, token: str) -> Device | None:
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None or device.revoked_at is not None:
        return None
    return device
