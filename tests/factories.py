"""Factories: tests say what they need (a manager with a PIN, a paired kitchen screen, a
dish at 24.50 taxed 9 % made at the grill, a check on a table) instead of leaning on the
demo's PINs and numbers."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests
from flask.testing import FlaskClient
from sqlalchemy import select
from support import SECRET

from kitchen.models import Station, StationRoute
from pos.core.auth import Role
from pos.core.db import utcnow
from pos.core.events import record_event
from pos.core.money import TaxMode
from pos.floor.models import DiningTable, Floor
from pos.hotel.models import Guest, Room, Stay, StayStatus
from pos.menu.models import Category
from pos.menu.operations import add_menu_item
from pos.staff.models import StaffMember
from pos.staff.operations import actor_for_staff, add_staff, pair_device
from pos.staff.pins import PinCheck, PinPolicy
from pos.venue.models import TaxRate, Venue
from pos.venue.operations import (
    close_business_day,
    create_venue,
    current_business_day,
    open_business_day,
)

_names = itertools.count(1)
_numbers = itertools.count(9100)  # menu numbers (PLUs) above the demo's
_rooms = itertools.count(901)  # room numbers above the demo's


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


@dataclass(frozen=True)
class Item:
    id: int
    number: int  # the PLU a waiter may type
    station: str  # the code of the station that makes it


@dataclass(frozen=True)
class Table:
    id: int
    name: str


def make_venue(db, *, tax_mode: TaxMode | None = None, currency: str | None = None,
               idle_signout_seconds: int | None = None, day_open: bool | None = None) -> int:
    """The venue (set up if the database has none) with these settings; ``day_open`` opens
    or closes the business day (orders are taken only in an open one)."""
    with db.transaction() as session:
        venue = session.get(Venue, 1)
        if venue is None:
            venue = create_venue(session, name="Test venue", currency=currency or "RON",
                                 locale="ro_RO", timezone="Europe/Bucharest",
                                 tax_mode=tax_mode or TaxMode.INCLUSIVE,
                                 tax_rates=[("Standard", 2100, "A")])
        changes = {"tax_mode": tax_mode, "currency": currency,
                   "idle_signout_seconds": idle_signout_seconds}
        for name, value in changes.items():
            if value is not None:
                setattr(venue, name, value)
        is_open = current_business_day(session) is not None
        if day_open is True and not is_open:
            open_business_day(session, None)
        elif day_open is False and is_open:
            close_business_day(session, None)
        return venue.id


def make_station(db, code: str | None = None) -> str:
    """A kitchen station (its code): the one named ``code`` if it exists, else a new one."""
    with db.transaction() as session:
        return _station(session, code).code


def _station(session, code: str | None) -> Station:
    code = code or f"station-{next(_names)}"
    station = session.scalar(select(Station).where(Station.code == code))
    if station is None:
        station = Station(code=code, names={"en": code.title(), "ro": code.title()})
        session.add(station)
        session.flush()
    return station


def make_item(db, price: int = 10_00, rate_bp: int = 2100, *, name: str | None = None,
              count_left: int | None = None, available: bool = True,
              station: str | None = None) -> Item:
    """A menu item at ``price`` (minor units) taxed at ``rate_bp`` (2100: 21 %), in a
    category of its own routed to ``station`` (made anew unless given)."""
    with db.transaction() as session:
        rate = session.scalar(select(TaxRate).where(TaxRate.rate_bp == rate_bp).limit(1))
        if rate is None:
            rate = TaxRate(name=f"{rate_bp / 100:g} %", rate_bp=rate_bp)
            session.add(rate)
            session.flush()
        category = Category(names={"en": "Tested", "ro": "Testate"}, tax_rate_id=rate.id)
        session.add(category)
        session.flush()
        made_at = _station(session, station)
        session.add(StationRoute(station_id=made_at.id, category_id=category.id))
        number = next(_numbers)
        names = {"en": name or f"Item {number}", "ro": name or f"Produs {number}"}
        item = add_menu_item(session, category_id=category.id, number=number, names=names,
                             price=price, tax_rate_id=rate.id)
        item.available, item.count_left = available, count_left
        return Item(item.id, number, made_at.code)


def make_table(db, name: str | None = None, *, seats: int = 4) -> Table:
    """A free table on the first floor (a floor of its own if there is none)."""
    [table] = make_tables(db, [name or f"T{next(_names)}"], seats=seats)
    return table


def make_tables(db, names: Sequence[str], *, seats: int = 4) -> list[Table]:
    """Free tables on the first floor, in one transaction (a busy night's worth at once)."""
    with db.transaction() as session:
        floor = session.scalar(select(Floor).order_by(Floor.id).limit(1))
        if floor is None:
            floor = Floor(names={"en": "Room", "ro": "Sala"})
            session.add(floor)
            session.flush()
        tables = [DiningTable(name=name, floor_id=floor.id, seats=seats) for name in names]
        session.add_all(tables)
        session.flush()
        return [Table(table.id, table.name) for table in tables]


def make_check(client: FlaskClient, *, table: Table | None = None,
               lines: Sequence[Item | dict[str, Any]] = (), guests: int = 2,
               name: str = "Tab") -> dict[str, Any]:
    """A check opened (and its ``lines`` sent) by ``client``, a signed-in tablet: on
    ``table``, else a bar tab called ``name``. Returns the check as the API shows it."""
    opening: dict[str, Any] = {"guest_count": guests, "client_id": str(uuid.uuid4())}
    opening |= {"table_id": table.id} if table else {"kind": "bar_tab", "name": name}
    opened = client.post("/api/v1/checks", json=opening)
    assert opened.status_code == 201, opened.get_json()
    check = opened.get_json()
    if lines:
        sent = client.post(f"/api/v1/checks/{check['id']}/send", json={
            "client_id": str(uuid.uuid4()), "version": check["version"],
            "lines": [order_line(line) for line in lines]})
        assert sent.status_code == 200, sent.get_json()
    return client.get(f"/api/v1/checks/{check['id']}").get_json()


def order_line(line: Item | dict[str, Any], quantity: int = 1) -> dict[str, Any]:
    """A line as a tablet sends it: one of ``line`` (an item), or the fields given."""
    if isinstance(line, Item):
        return {"item_id": line.id, "quantity": quantity, "client_id": str(uuid.uuid4())}
    return line


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


def session_cookie(app, person: Person) -> str:
    """The ``Cookie`` header of a browser signed in as ``person`` (for Socket.IO clients)."""
    return f"session={signed_in(app, person).get_cookie('session').value}"


def pin_pad(app):
    """A test client that opened the PIN pad page, so it holds a pad id this server signed."""
    client = app.test_client()
    assert client.get("/signin").status_code == 200
    assert client.get_cookie("masa_pad") is not None
    return client


def session_cookie_at(url: str, person: Person) -> str:
    """The ``Cookie`` header of a browser signed in as ``person`` on the server at ``url``
    (a real process)."""
    response = requests.post(url + "/api/v1/session", json={"pin": person.pin}, timeout=5)
    assert response.status_code == 200, response.text
    return f"session={response.cookies['session']}"


def write_events(db, count: int, room: str = "office", namespace: str = "/office") -> list[int]:
    """``count`` notes in one transaction; their ids (known once it commits)."""
    with db.transaction() as session:
        events = [record_event(session, namespace, room, "note", {"n": n}) for n in range(count)]
    return [event.id for event in events]


def card_desk_on(app, port: int):
    """The venue's card terminal: a ZVT driver (quick time-outs) to a simulator on ``port``,
    set up as the app's card desk."""
    from pos.devices.zvt import ZvtTerminal, ZvtTimeouts
    from pos.payments.cards import CardDesk

    quick = ZvtTimeouts(connect=1.0, ack=0.5, answer=1.0, silence=1.5, transaction=5.0,
                        abort=1.0)
    desk = CardDesk(app, lambda journal: ZvtTerminal(f"127.0.0.1:{port}", journal,
                                                     name="counter", timeouts=quick), "RON")
    app.extensions["masa_cards"] = desk
    return desk


def make_stay(db, *guests: str, status=StayStatus.IN_HOUSE, no_post=False,
              credit_limit=None, room: str | None = None) -> dict:
    """A stay in a room of its own (or ``room``), the first guest's folio."""
    with db.transaction() as session:
        number = room or str(next(_rooms))
        place = session.scalar(select(Room).where(Room.number == number)) or Room(
            number=number, kind="double")
        people = [Guest(name=name) for name in guests]
        today = utcnow().date()
        stay = Stay(room=place, guest=people[0], arrival=today - timedelta(days=1),
                    departure=today + timedelta(days=2), status=status,
                    no_post=no_post, credit_limit=credit_limit)
        stay.companions = people[1:]
        session.add(stay)
        session.flush()
        return {"id": stay.id, "room": number}
