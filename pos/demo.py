"""The demo venue "Bistro Masa", created on a first start: a newcomer sees a working restaurant."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pos.core.auth import Role
from pos.core.db import Base, Database
from pos.core.money import TaxMode
from pos.staff.operations import add_staff
from pos.venue.models import TaxRate, Venue

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
        create_venue(session)
        for name, role, pin, language in DEMO_STAFF:
            add_staff(session, name=name, role=role, pin=pin, language=language, secret=secret)


def create_venue(session: Session) -> Venue:
    venue = Venue(id=1, name="Bistro Masa", address="Strada Franceză 2, București",
                  fiscal_code="RO12345678", currency="RON", locale="ro_RO",
                  timezone="Europe/Bucharest", tax_mode=TaxMode.INCLUSIVE)
    session.add(venue)
    session.add_all([TaxRate(name="TVA 21%", rate_bp=2100, code="A"),
                     TaxRate(name="TVA 11%", rate_bp=1100, code="B")])
    return venue


def reset_database(db: Database) -> None:
    """Drop every table (the demo's data with it) and build the schema again."""
    import pos.models  # noqa: F401
    from pos.core.migrate import upgrade

    with db.engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(db)
