"""Factories: tests say what they need (a manager with a PIN, a paired kitchen screen)
instead of leaning on the demo's PINs and numbers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from support import SECRET

from pos.core.auth import Role
from pos.staff.models import StaffMember
from pos.staff.operations import actor_for_staff, add_staff, pair_device
from pos.staff.pins import PinCheck, PinPolicy

_names = itertools.count(1)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: Role
    pin: str


@dataclass(frozen=True)
class PairedScreen:
    id: int
    token: str
    role: Role

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_staff(db, role: Role | str = Role.WAITER, *, name: str | None = None,
               pin: str | None = None, language: str | None = None) -> Person:
    """A new staff member; without ``pin`` Masa makes one (returned in ``.pin``)."""
    role = Role(role)
    with db.transaction() as session:
        member, chosen = add_staff(session, name=name or f"{role.value.title()} {next(_names)}",
                                   role=role, pin=pin, language=language,
                                   check=PinCheck(SECRET, PinPolicy()))
        return Person(member.id, member.name, member.role, chosen.pin)


def make_device(db, role: Role | str = Role.KITCHEN, *, station: str | None = None,
                server_id: int | None = None, label: str | None = None) -> PairedScreen:
    """A device paired by a new admin (who outranks every device role)."""
    role = Role(role)
    admin = make_staff(db, Role.ADMIN)
    with db.transaction() as session:
        device, token = pair_device(session, label=label or f"{role.value} screen", role=role,
                                    station=station, server_id=server_id,
                                    actor=actor_for_staff(session.get(StaffMember, admin.id)))
        return PairedScreen(device.id, token, role)


def signed_in(app, person: Person):
    """A test client (a screen) signed in with ``person``'s PIN."""
    client = app.test_client()
    response = client.post("/api/v1/session", json={"pin": person.pin})
    assert response.status_code == 200, response.get_json()
    return client


def pin_pad(app):
    """A test client that opened the PIN pad page, so it holds a pad id this server signed."""
    client = app.test_client()
    assert client.get("/signin").status_code == 200
    assert client.get_cookie("masa_pad") is not None
    return client
