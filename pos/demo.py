"""The demo venue "Bistro Masa", created on a first start: a newcomer sees a working restaurant.

The data lives in ``pos.demo_data``; the functions here only turn it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen.models import Station, StationRoute
from pos import demo_data as data
from pos.core.audit import record_audit
from pos.core.auth import Role
from pos.core.db import Base, Database, utcnow
from pos.core.money import TaxMode
from pos.floor.models import DiningTable, Floor, Section, SectionAssignment, TableShape
from pos.hotel.models import Guest, Room, Stay, StayStatus
from pos.inventory.demo import create_inventory
from pos.menu.models import (
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    MenuSchedule,
    Modifier,
    ModifierGroup,
    SchedulePrice,
)
from pos.menu.schedules import minute_of
from pos.staff.models import StaffMember
from pos.staff.operations import add_staff
from pos.staff.pins import PinCheck, PinPolicy, hash_pins
from pos.venue.models import BusinessDay, TaxRate, Venue
from pos.venue.operations import create_venue

DEMO_TIMEZONE = "Europe/Bucharest"

# (name, role, PIN, language): printed in the console at start.
DEMO_STAFF = (
    ("Ana Popescu", Role.WAITER, "1111", "ro"),
    ("Mihai Ionescu", Role.WAITER, "2222", "ro"),
    ("John Miller", Role.WAITER, "3333", "en"),
    ("Ioana Dumitru", Role.BARTENDER, "4444", "ro"),
    ("Elena Stan", Role.HOST, "5555", "ro"),
    ("Radu Georgescu", Role.CASHIER, "6666", "ro"),
    ("Cristi Marin", Role.KITCHEN, "7777", "ro"),
    ("Maria Vasile", Role.FRONT_DESK, "8888", "ro"),
    ("Andrei Matei", Role.MANAGER, "9999", "ro"),
    ("Admin", Role.ADMIN, "123456", "en"),
)


def create_demo(db: Database, secret: str) -> None:
    with db.transaction() as session:
        create_demo_venue(session)
        hashes = hash_pins([pin for _name, _role, pin, _language in DEMO_STAFF])
        for (name, role, pin, language), pin_hash in zip(DEMO_STAFF, hashes, strict=True):
            add_staff(session, name=name, role=role, pin=pin, language=language,
                      check=PinCheck(secret=secret, policy=PinPolicy()), pin_hash=pin_hash)
        menu = create_menu(session)
        create_floors(session)
        create_stations(session, menu)
        create_inventory(session)
        create_hotel(session, venue_today())
        # The demo is ready to take orders. No screen is there to hear it, so the day is
        # opened without an event: the outbox starts empty.
        session.add(BusinessDay(opened_at=utcnow()))


def venue_today() -> date:
    """Today at the venue: the hotel's stays are laid around it."""
    return datetime.now(ZoneInfo(DEMO_TIMEZONE)).date()


def create_demo_venue(session: Session) -> Venue:
    venue = create_venue(session, name="Bistro Masa", currency="RON", locale="ro_RO",
                         timezone=DEMO_TIMEZONE, tax_mode=TaxMode.INCLUSIVE,
                         tax_rates=list(data.TAX_RATES))
    venue.address, venue.fiscal_code = "Strada Franceză 2, București", "RO12345678"
    return venue


@dataclass
class DemoMenu:
    categories: dict[str, Category]  # by the code in demo_data
    items: dict[int, MenuItem]  # by PLU


def create_menu(session: Session) -> DemoMenu:
    """Courses, categories, items and the modifier groups each item asks."""
    tax_rates = {rate.code: rate for rate in session.scalars(select(TaxRate))}
    courses = create_courses(session)
    groups = create_modifier_groups(session)
    categories: dict[str, Category] = {}
    items: dict[int, MenuItem] = {}
    for position, (code, names, course, tax, color) in enumerate(data.CATEGORIES, 1):
        category = Category(names=names, position=position, color=color,
                            default_course_id=courses[course].id, tax_rate_id=tax_rates[tax].id)
        session.add(category)
        session.flush()
        categories[code] = category
        for item_position, (number, ro, en, price, allergens) in enumerate(data.ITEMS[code], 1):
            descriptions = data.DESCRIPTIONS.get(number)
            item = MenuItem(category_id=category.id, number=number, names={"ro": ro, "en": en},
                            descriptions=dict(zip(("ro", "en"), descriptions, strict=True))
                            if descriptions else {},
                            price=price, allergens=list(allergens), position=item_position)
            if number in data.ITEM_TAX:
                item.tax_rate_id = tax_rates[data.ITEM_TAX[number]].id
            session.add(item)
            items[number] = item
    session.flush()
    for number, group_codes in data.ITEM_MODIFIER_GROUPS.items():
        session.add_all([ItemModifierGroup(item_id=items[number].id, group_id=groups[code].id,
                                           position=position)
                         for position, code in enumerate(group_codes, 1)])
    session.flush()
    create_schedules(session, items)
    return DemoMenu(categories, items)


def create_schedules(session: Session, items: dict[int, MenuItem]) -> None:
    """Happy hour on weekday evenings."""
    for names, days, starts, ends, prices in data.SCHEDULES:
        schedule = MenuSchedule(names=names, days=list(days), starts_minute=minute_of(starts),
                                ends_minute=minute_of(ends), active=True)
        session.add(schedule)
        session.flush()
        session.add_all([SchedulePrice(schedule_id=schedule.id, item_id=items[number].id,
                                       price=price) for number, price in prices.items()])
    session.flush()


def create_courses(session: Session) -> dict[str, Course]:
    courses = {code: Course(code=code, names=names, position=position,
                            fires_immediately=fires_immediately)
               for code, names, position, fires_immediately in data.COURSES}
    session.add_all(courses.values())
    session.flush()
    return courses


def create_modifier_groups(session: Session) -> dict[str, ModifierGroup]:
    groups = {}
    for code, (names, min_choices, max_choices, modifiers) in data.MODIFIER_GROUPS.items():
        group = ModifierGroup(names=names, min_choices=min_choices, max_choices=max_choices)
        group.modifiers = [Modifier(names={"ro": ro, "en": en}, price_delta=price_delta,
                                    allergens=list(allergens), position=position)
                           for position, (ro, en, price_delta, allergens)
                           in enumerate(modifiers, 1)]
        session.add(group)
        groups[code] = group
    session.flush()
    return groups


def create_floors(session: Session) -> dict[str, Floor]:
    floors = {code: Floor(names=names, position=position)
              for code, names, position in data.FLOORS}
    session.add_all(floors.values())
    session.flush()
    sections = {name: Section(name=name, floor_id=floors[floor].id)
                for name, floor, _server in data.SECTIONS}
    session.add_all(sections.values())
    session.flush()
    staff = {member.name: member.id for member in session.scalars(select(StaffMember))}
    session.add_all([SectionAssignment(section_id=sections[name].id, staff_id=staff[server])
                     for name, _floor, server in data.SECTIONS])
    session.add_all([
        DiningTable(name=name, floor_id=floors[floor].id, section_id=sections[section].id,
                    seats=seats, shape=TableShape(shape), x=x, y=y, width=width, height=height)
        for name, floor, section, seats, shape, x, y, width, height in data.TABLES])
    session.flush()
    return floors


def create_stations(session: Session, menu: DemoMenu) -> dict[str, Station]:
    """The stations, and which of them makes what: by category, or by item where it differs."""
    stations = {code: Station(code=code, names=names, position=position, is_expo=is_expo,
                              warn_after_seconds=warn, late_after_seconds=late)
                for code, names, position, is_expo, warn, late in data.STATIONS}
    session.add_all(stations.values())
    session.flush()
    for code, station_codes in data.CATEGORY_STATIONS.items():
        session.add_all([StationRoute(station_id=stations[station].id,
                                      category_id=menu.categories[code].id)
                         for station in station_codes])
    for number, station_codes in data.ITEM_STATIONS.items():
        session.add_all([StationRoute(station_id=stations[station].id,
                                      item_id=menu.items[number].id)
                         for station in station_codes])
    session.flush()
    return stations


def create_hotel(session: Session, today: date) -> list[Stay]:
    """The rooms upstairs and their guests, with stays laid around ``today``."""
    rooms = {number: Room(number=number, kind=kind, floor=number[0])
             for number, kind in data.ROOMS}
    session.add_all(rooms.values())
    stays = []
    for (room, name, email, phone, language, arrival, departure, status, no_post,
         credit_limit) in data.STAYS:
        guest = Guest(name=name, email=email, phone=phone, language=language)
        stays.append(Stay(room=rooms[room], guest=guest,
                          arrival=today + timedelta(days=arrival),
                          departure=today + timedelta(days=departure),
                          status=StayStatus(status), no_post=no_post,
                          credit_limit=credit_limit))
    session.add_all(stays)
    session.flush()
    return stays


def reset_database(db: Database) -> None:
    """Drop every table (the demo's data with it) and build the schema again."""
    import pos.models  # noqa: F401
    from pos.core.migrate import create_schema

    with db.engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        if connection.dialect.name == "postgresql":
            # The audit log's guard outlives its table; creating the schema adds it again.
            connection.exec_driver_sql("DROP FUNCTION IF EXISTS audit_log_append_only()")
    create_schema(db)
    with db.transaction() as session:
        record_audit(session, "demo.reset")
