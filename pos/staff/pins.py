"""PINs: how they are kept (argon2id, found by an HMAC), made, and guarded.

Wrong PINs are counted in two places that a correct PIN cannot reset:
- each PIN pad's streak (a server-signed pad id, a paired device, or the address when the
  screen has neither): five wrong in a row lock that pad, for a delay that doubles;
- each network address, over a sliding window (20 an hour by default): every wrong PIN
  counts, at sign-in, for an approval or when a taken PIN is chosen, and nothing clears it.

So a waiter who knows their own PIN, or a script that rotates pads, gets at most the
address's window of guesses. The venue's total in the window raises an alert to managers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pos.core.alerts import Alert, open_alert, raise_alert
from pos.core.concurrency import off_the_loop, on_every_core
from pos.core.db import utcnow
from pos.core.errors import InvalidInput, Locked
from pos.staff.models import PinFailure, PinLockout, StaffMember
from pos.venue.models import Venue

# OWASP's argon2id minimum: ~20 ms a check, so a sign-in stays instant.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MAX_LOCK_SECONDS = 3600
GENERATED_PIN_DIGITS = 6
ALERT_KIND = "pin_guessing"


@dataclass(frozen=True)
class PinPolicy:
    max_failures: int = 5  # in a row on one pad before it locks
    lock_seconds: int = 30  # the first lock; each further one doubles, up to an hour
    address_failures: int = 20  # per network address in the window
    window_seconds: int = 3600


@dataclass(frozen=True)
class PinCheck:
    """What checking a PIN needs: the venue's secret, the policy and where it comes from."""

    secret: str
    policy: PinPolicy
    address: str = "unknown"


def validate_pin(pin: str, field: str = "pin") -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 6):
        raise InvalidInput(_("A PIN is 4 to 6 digits."), field=field)
    return pin


def pin_lookup(pin: str, secret: str) -> str:
    return hmac.new(secret.encode(), pin.encode(), hashlib.sha256).hexdigest()


def hash_pin(pin: str) -> str:
    return off_the_loop(_hasher.hash, pin)


def hash_pins(pins: list[str]) -> list[str]:
    """Many PINs at once (a new venue's staff), hashed side by side on every core."""
    return on_every_core(_hasher.hash, pins)


def pin_is_taken(session: Session, pin: str, secret: str, *,
                 except_staff_id: int | None = None) -> bool:
    query = select(StaffMember.id).where(StaffMember.pin_lookup == pin_lookup(pin, secret))
    if except_staff_id is not None:
        query = query.where(StaffMember.id != except_staff_id)
    return session.scalar(query.limit(1)) is not None


def generate_pin(session: Session, secret: str, digits: int = GENERATED_PIN_DIGITS) -> str:
    """A random PIN nobody holds (the server knows which are taken; a person must not)."""
    while True:
        pin = f"{secrets.randbelow(10 ** digits):0{digits}d}"
        if not pin_is_taken(session, pin, secret):
            return pin


def find_by_pin(session: Session, pin: str, secret: str) -> StaffMember | None:
    member = session.scalar(select(StaffMember).where(
        StaffMember.pin_lookup == pin_lookup(pin, secret), StaffMember.active.is_(True)))
    if member is None:
        return None
    try:
        off_the_loop(_hasher.verify, member.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return None
    return member


class PinGuard:
    """The throttle for one attempt: a streak (a pad, or a requester) and an address."""

    def __init__(self, session: Session, policy: PinPolicy, *, streak: str, address: str,
                 now: datetime | None = None) -> None:
        self.session, self.policy, self.address = session, policy, address
        self.now = now or utcnow()
        self.window_start = self.now - timedelta(seconds=policy.window_seconds)
        # Attempts from one address, and on one pad, take their turn: two guesses sent at
        # once cannot both slip under a limit (the address first, always: no deadlock).
        locked_row(session, f"addr:{address}")
        self.lockout = locked_row(session, streak)

    def refusal(self, field: str) -> Locked | None:
        """The lock to answer with before even looking at the PIN, if any."""
        seconds = max(self._streak_seconds_left(), self._address_seconds_left())
        return locked_error(seconds, field) if seconds > 0 else None

    def failed(self, kind: str, field: str) -> Locked | None:
        """Count a wrong PIN everywhere it counts; the lock error if it tripped one."""
        self.session.add(PinFailure(at=self.now, address=self.address, kind=kind))
        self.session.flush()
        self._forget_old_failures()
        lockout = self.lockout
        lockout.failures += 1
        if lockout.failures >= self.policy.max_failures:
            lockout.failures = 0
            lockout.locks += 1
            seconds = min(self.policy.lock_seconds * 2 ** (lockout.locks - 1), MAX_LOCK_SECONDS)
            lockout.locked_until = self.now + timedelta(seconds=seconds)
        self._alert_if_the_venue_is_being_guessed()
        return self.refusal(field)

    def passed(self) -> None:
        """A right PIN ends this pad's streak; the address's window keeps every failure."""
        self.lockout.failures, self.lockout.locks, self.lockout.locked_until = 0, 0, None

    def _streak_seconds_left(self) -> int:
        until = self.lockout.locked_until
        return seconds_until(until, self.now) if until else 0

    def _address_seconds_left(self) -> int:
        """Until the window holds fewer failures of this address than the limit."""
        limit = self.policy.address_failures
        oldest_that_counts = self.session.scalar(
            select(PinFailure.at)
            .where(PinFailure.address == self.address, PinFailure.at > self.window_start)
            .order_by(PinFailure.at.desc(), PinFailure.id.desc())
            .offset(limit - 1).limit(1))
        if oldest_that_counts is None:
            return 0
        leaves = oldest_that_counts + timedelta(seconds=self.policy.window_seconds)
        return seconds_until(leaves, self.now)

    def _forget_old_failures(self) -> None:
        keep_from = self.now - timedelta(seconds=2 * self.policy.window_seconds)
        self.session.execute(delete(PinFailure).where(PinFailure.at < keep_from))

    def _alert_if_the_venue_is_being_guessed(self) -> None:
        threshold = self.session.scalar(select(Venue.pin_alert_failures).where(Venue.id == 1))
        if not threshold:
            return
        failures = self.session.scalar(select(func.count()).select_from(PinFailure)
                                       .where(PinFailure.at > self.window_start))
        if failures < threshold:
            return
        current = open_alert(self.session, ALERT_KIND)
        if current is not None and current.raised_at > self.window_start:
            return
        if current is not None:
            current.cleared_at = self.now
        raise_pin_alert(self.session, failures, self.policy.window_seconds, self.now)


def locked_row(session: Session, key: str) -> PinLockout:
    """The throttle's row for ``key``, created if new, locked for this transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(PinLockout).values(key=key, failures=0, locks=0)
                    .on_conflict_do_nothing(index_elements=["key"]))
    return session.get(PinLockout, key, with_for_update=True, populate_existing=True)


def raise_pin_alert(session: Session, failures: int, window_seconds: int,
                    now: datetime) -> Alert | None:
    return raise_alert(session, kind=ALERT_KIND, subject=ALERT_KIND, now=now,
                       message={"key": ALERT_KIND, "failures": failures,
                                "minutes": window_seconds // 60},
                       rooms=(("/office", "office"), ("/floor", "managers")))


def seconds_until(moment: datetime, now: datetime) -> int:
    return max(0, int((moment - now).total_seconds() + 0.999))


def locked_error(seconds: int, field: str) -> Locked:
    error = Locked(_("Too many wrong PINs. Try again in %(seconds)s s.", seconds=seconds),
                   retry_after=seconds, field=field)
    error.keep_writes = True  # the count and the audit entry must stay
    return error
