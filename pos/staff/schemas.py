from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, Field, StringConstraints

from pos.core.api import Id, Out, Schema
from pos.core.auth import Role
from pos.staff.clock import PadAction, PunchKind

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


# --- the time clock ------------------------------------------------------------------------

ClientId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{8,64}$")]
Reason = Annotated[str, StringConstraints(max_length=200)]  # none: refused, in words


class PadPunch(Schema):
    """A PIN typed in the PIN pad's clock mode."""

    pin: Pin
    action: PadAction = Field(PadAction.IN_OUT, description="in_out: clock in if out, out "
                                                            "if in; break: begin a break, or "
                                                            "end the one running")
    client_id: ClientId = Field(description="A retry makes no second punch")


class OwnPunch(Schema):
    client_id: ClientId = Field(description="A retry makes no second punch")


class BreakIn(Schema):
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = Field(None, description="null: a break running now "
                                                             "(only the last, of a running "
                                                             "shift)")


Breaks = Annotated[list[BreakIn], Field(max_length=20)]


class CorrectShift(Schema):
    clocked_in_at: AwareDatetime
    clocked_out_at: AwareDatetime | None = Field(None, description="null: still clocked in "
                                                                   "(a running shift only)")
    breaks: Breaks = Field(default_factory=list, description="Every break of the shift, in "
                                                             "order: they replace the old")
    reason: Reason


class MissedShift(Schema):
    client_id: ClientId
    staff_id: Id
    clocked_in_at: AwareDatetime
    clocked_out_at: AwareDatetime
    breaks: Breaks = Field(default_factory=list)
    reason: Reason


class DayRange(Schema):
    from_: date = Field(alias="from", description="The venue's first day (YYYY-MM-DD)")
    to: date = Field(description="The venue's last day, included")
    staff_id: Id | None = None


class BreakOut(Out):
    id: int
    started_at: datetime
    ended_at: datetime | None


class ShiftOut(Out):
    id: int
    staff_id: int
    clocked_in_at: datetime
    clocked_out_at: datetime | None
    breaks: list[BreakOut]
    worked_minutes: int
    break_minutes: int
    paid_minutes: int
    added: bool = Field(description="Added by a manager: not clocked")
    corrected_at: datetime | None
    corrected_by: str | None
    correction_reason: str | None


class PunchOut(Out):
    kind: PunchKind
    at: datetime
    staff: ServerOut
    shift: ShiftOut


class ClockState(Out):
    """Where the signed-in person stands on the clock."""

    clocked_in_since: datetime | None
    on_break_since: datetime | None


class PresenceOut(Out):
    staff_id: int
    name: str
    role: Role
    shift_id: int
    since: datetime
    on_break_since: datetime | None


class HoursOut(Out):
    staff_id: int
    name: str
    role: Role
    shifts: int
    worked_minutes: int
    break_minutes: int
    paid_minutes: int = Field(description="Worked less breaks: what labour cost is paid on")
    clocked_in: bool = Field(description="A shift still runs: counted up to now")
    days: dict[date, int] = Field(description="Paid minutes by the day the shift began")
