"""Staff members, their sign-in sessions, the devices paired to run unattended, and the
PIN pad's throttle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.auth import Role
from pos.core.db import Base, BigId, text_enum, utcnow

RoleColumn = text_enum(Role)


class StaffMember(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(RoleColumn)
    pin_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    # HMAC of the PIN under the venue's secret: finds the one hash to verify, and keeps
    # PINs unique, without storing anything a PIN can be read back from.
    pin_lookup: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str | None] = mapped_column(String(8))  # None: the venue's
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Device(Base):
    """A screen that runs without anyone signed in (a KDS on the wall), paired by a manager."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(RoleColumn)
    station: Mapped[str | None] = mapped_column(String(40))
    # A kiosk's or integration's checks belong to this server; None leaves them to the floor.
    server_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token
    paired_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    paired_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]  # its last request: is the screen still up?
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class StaffSession(Base):
    """One sign-in on one screen. The signed cookie carries only its key; the row says
    whether it still holds, so signing out, idling, a PIN change or deactivation end it
    on the server, for the cookie and for the screen's live connections alike."""

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_open", "staff_id", "ended_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the cookie's key
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))  # a paired screen
    pad: Mapped[str | None] = mapped_column(String(40))  # the PIN pad it was opened on
    address: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(20))  # signed_out, idle, pin_changed…


class PinFailure(Base):
    """One wrong PIN (at sign-in, for an approval, or a taken PIN chosen): the window that
    throttles each network address, and the venue-wide count that alerts a manager."""

    __tablename__ = "pin_failures"
    __table_args__ = (Index("ix_pin_failures_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    address: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))  # signin, approval, pin_taken


class PinLockout(Base):
    """A PIN pad's streak of wrong PINs (or a requester's, for approvals): past the limit it
    locks for a delay that doubles each time."""

    __tablename__ = "pin_lockouts"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locks: Mapped[int] = mapped_column(default=0)  # how often it has locked: the delay grows
    locked_until: Mapped[datetime | None]


class WorkShift(Base):
    """One stretch of work of one staff member on the time clock: clocked in, clocked out
    (None while they are in), and the breaks inside it. Paid time is the shift less its
    breaks; the labour report reads it. A manager may correct it, with a reason."""

    __tablename__ = "work_shifts"
    __table_args__ = (Index("ix_work_shifts_staff_in", "staff_id", "clocked_in_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    clocked_in_at: Mapped[datetime] = mapped_column(index=True)
    clocked_out_at: Mapped[datetime | None]
    # The client ids of the clock-in and the clock-out: a retry finds its punch here.
    in_client_id: Mapped[str] = mapped_column(String(64), unique=True)
    out_client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # a missed shift
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    corrected_at: Mapped[datetime | None]
    correction_reason: Mapped[str | None] = mapped_column(String(200))  # the latest one


class WorkBreak(Base):
    """A break inside a shift: unpaid time, from its start to its end (None: on it now)."""

    __tablename__ = "work_breaks"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("work_shifts.id"), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    start_client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    end_client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
