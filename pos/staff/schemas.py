from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from pos.core.api import Id, Out, Schema
from pos.core.auth import Role

Pin = Annotated[str, StringConstraints(pattern=r"^\d{4,6}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Language = Annotated[str, StringConstraints(pattern=r"^(ro|en)$")]
StationCode = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class SignIn(Schema):
    pin: Pin


class StaffOut(Out):
    id: int
    name: str
    role: Role
    language: str | None
    active: bool


class StaffCreated(StaffOut):
    pin: str | None = Field(description="The PIN Masa made, shown this once; null when the "
                                        "manager chose it")


class ServerOut(Out):
    id: int
    name: str
    role: Role


class SessionOut(Out):
    staff: StaffOut
    language: str
    idle_signout_seconds: int
    permissions: list[str]


class SessionState(Out):
    """Whether anyone is signed in on this screen; nothing else when nobody is."""

    signed_in: bool
    session: SessionOut | None = None


class NewStaff(Schema):
    name: Name
    role: Role
    pin: Pin | None = Field(None, description="Leave it out and Masa makes one (shown once). "
                                              "A PIN someone holds is refused and counted "
                                              "as a wrong guess.")
    language: Language | None = None


class ChangeStaff(Schema):
    name: Name | None = None
    role: Role | None = None
    language: Language | None = Field(None, description="null: the venue's language")
    active: bool | None = None


class SetPin(Schema):
    pin: Pin | None = Field(None, description="Leave it out and Masa makes one (shown once)")


class NewPinOut(Out):
    staff: StaffOut
    pin: str | None = Field(description="The PIN Masa made, shown this once")


class NewDevice(Schema):
    label: Name
    role: Role = Role.KITCHEN
    station: StationCode | None = None
    server_id: Id | None = Field(None, description="Checks this device opens belong to this "
                                                   "server; else the floor assigns them")
    this_device: bool = Field(False, description="Pair the screen making the request: "
                                                 "it keeps the token in a cookie.")


class PairHere(Schema):
    manager_pin: Pin
    label: Name
    role: Role = Role.KITCHEN
    station: StationCode | None = None
    server_id: Id | None = None


class DeviceOut(Out):
    id: int
    label: str
    role: Role
    station: str | None
    server_id: int | None = None
    paired_by: str | None = None
    paired_at: datetime | None = None
    last_seen_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def of(cls, device, names: dict[int, str] | None = None) -> DeviceOut:
        return cls(id=device.id, label=device.label, role=device.role, station=device.station,
                   server_id=device.server_id,
                   paired_by=(names or {}).get(device.paired_by_id),
                   paired_at=device.paired_at, last_seen_at=device.last_seen_at,
                   revoked_at=device.revoked_at)


class PairedDevice(DeviceOut):
    token: str = Field(description="Shown once; the screen sends it as a Bearer token.")
