"""Staff members, the devices paired to run unattended, and the PIN pad's lockouts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.auth import Role
from pos.core.db import Base, text_enum, utcnow

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
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token
    paired_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    paired_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class PinLockout(Base):
    """Wrong PINs per PIN pad (a device cookie, and separately its network address)."""

    __tablename__ = "pin_lockouts"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locks: Mapped[int] = mapped_column(default=0)  # how often it has locked: the delay grows
    locked_until: Mapped[datetime | None]
