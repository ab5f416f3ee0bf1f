from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from pos.core.api import Out, Schema
from pos.core.auth import Role

Pin = Annotated[str, StringConstraints(pattern=r"^\d{4,6}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Language = Annotated[str, StringConstraints(pattern=r"^(ro|en)$")]


class SignIn(Schema):
    pin: Pin


class StaffOut(Out):
    id: int
    name: str
    role: Role
    language: str | None


class ServerOut(Out):
    id: int
    name: str
    role: Role


class SessionOut(Out):
    staff: StaffOut
    language: str
    idle_signout_seconds: int
    permissions: list[str]


class NewStaff(Schema):
    name: Name
    role: Role
    pin: Pin
    language: Language | None = None


class NewDevice(Schema):
    label: Name
    role: Role = Role.KITCHEN
    station: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    this_device: bool = Field(False, description="Pair the screen making the request: "
                                                 "it keeps the token in a cookie.")


class DeviceOut(Out):
    id: int
    label: str
    role: Role
    station: str | None
    revoked_at: str | None = None

    @classmethod
    def of(cls, device) -> DeviceOut:
        return cls(id=device.id, label=device.label, role=device.role, station=device.station,
                   revoked_at=device.revoked_at.isoformat() if device.revoked_at else None)


class PairedDevice(DeviceOut):
    token: str = Field(description="Shown once; the screen sends it as a Bearer token.")
