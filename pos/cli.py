"""Masa's command line: ``flask --app app <command>``."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click
from flask import Flask

from pos.core.i18n import LANGUAGES, TRANSLATIONS
from pos.core.migrate import upgrade


def register_cli(app: Flask) -> None:
    @app.cli.group("db")
    def db_group() -> None:
        """Database schema commands."""

    @db_group.command("upgrade")
    @click.argument("revision", default="head")
    def db_upgrade(revision: str) -> None:
        """Bring the database schema up to date (back it up first)."""
        upgrade(app.extensions["masa_db"], revision)
        click.echo(f"Database upgraded to {revision}.")

    @app.cli.command("demo")
    @click.option("--reset", is_flag=True, help="Wipe the database and create the demo again.")
    def demo(reset: bool) -> None:
        """Create the demo venue "Bistro Masa" (on an empty database, or with --reset)."""
        from pos.demo import create_demo, reset_database

        db = app.extensions["masa_db"]
        if reset:
            reset_database(db)
        create_demo(db, app.config["SECRET_KEY"])
        click.echo("Demo venue created.")

    @app.cli.group("venue")
    def venue_group() -> None:
        """The venue itself."""

    @venue_group.command("create")
    @click.argument("name")
    @click.option("--currency", default="RON", show_default=True)
    @click.option("--locale", default="ro_RO", show_default=True)
    @click.option("--timezone", default="Europe/Bucharest", show_default=True)
    @click.option("--tax-mode", type=click.Choice(["inclusive", "exclusive"]),
                  default="inclusive", show_default=True)
    @click.option("--tax-rate", "tax_rates", multiple=True, metavar="NAME:BASIS_POINTS:CODE",
                  help='Repeat for each rate, e.g. --tax-rate "TVA 21%:2100:A".')
    def venue_create(name: str, currency: str, locale: str, timezone: str, tax_mode: str,
                     tax_rates: tuple[str, ...]) -> None:
        """Set up a real venue on an empty database (instead of the demo)."""
        from pos.core.money import TaxMode
        from pos.venue.operations import create_venue

        rates = [parse_tax_rate(rate) for rate in tax_rates]
        with app.extensions["masa_db"].transaction() as session:
            create_venue(session, name=name, currency=currency, locale=locale,
                         timezone=timezone, tax_mode=TaxMode(tax_mode), tax_rates=rates)
        click.echo(f"Venue {name} created. Add an admin: flask --app app staff add NAME admin")

    @app.cli.group("printer")
    def printer_group() -> None:
        """Ticket printers at the stations."""

    @printer_group.command("add")
    @click.argument("name")
    @click.argument("kind", type=click.Choice(["network", "serial", "usb", "file"]))
    @click.argument("address")
    @click.option("--station", "stations", multiple=True, help="Station code it prints for.")
    @click.option("--backup", help="Name of the printer that takes over when this one fails.")
    @click.option("--profile", default="default", show_default=True,
                  help="python-escpos printer profile (for its code pages).")
    @click.option("--diacritics", type=click.Choice(["cp852", "image"]), default="cp852",
                  show_default=True, help="How ș ț print: as ş ţ in CP852, or as an image.")
    def printer_add(name: str, kind: str, address: str, stations: tuple[str, ...],
                    backup: str | None, profile: str, diacritics: str) -> None:
        """Add a printer, e.g. `printer add Grill network 192.168.1.50:9100 --station grill`."""
        from sqlalchemy import select

        from kitchen.models import Station
        from pos.devices.models import Printer, PrinterKind

        with app.extensions["masa_db"].transaction() as session:
            backup_id = None
            if backup:
                backup_id = session.scalar(select(Printer.id).where(Printer.name == backup))
                if backup_id is None:
                    raise click.BadParameter(f"no printer named {backup!r}",
                                             param_hint="--backup")
            printer = Printer(name=name, kind=PrinterKind(kind), address=address,
                              profile=profile, diacritics=diacritics, backup_id=backup_id)
            session.add(printer)
            session.flush()
            for code in stations:
                station = session.scalar(select(Station).where(Station.code == code))
                if station is None:
                    raise click.BadParameter(f"no station {code!r}", param_hint="--station")
                station.printer_id = printer.id
        click.echo(f"Printer {name} added.")

    @printer_group.command("list")
    def printer_list() -> None:
        """Printers, what they print for, and their backups."""
        from sqlalchemy import select

        from kitchen.models import Station
        from pos.devices.models import Printer

        with app.extensions["masa_db"].reading() as session:
            names = dict(session.execute(select(Printer.id, Printer.name)).all())
            for printer in session.scalars(select(Printer).order_by(Printer.id)):
                stations = session.scalars(select(Station.code).where(
                    Station.printer_id == printer.id)).all()
                click.echo(f"{printer.name}: {printer.kind} {printer.address} "
                           f"stations={','.join(stations) or '-'} "
                           f"backup={names.get(printer.backup_id, '-')} "
                           f"{'online' if printer.online else 'OFFLINE'}")

    @app.cli.group("staff")
    def staff_group() -> None:
        """Staff commands."""

    @staff_group.command("add")
    @click.argument("name")
    @click.argument("role")
    @click.option("--pin", default=None, help="4–6 digits; leave it out and Masa makes one")
    @click.option("--language", default=None)
    def staff_add(name: str, role: str, pin: str | None, language: str | None) -> None:
        """Add a staff member with a role; prints the PIN when Masa made it."""
        from pos.core.auth import Role
        from pos.staff.operations import add_staff
        from pos.staff.pins import PinCheck, PinPolicy

        with app.extensions["masa_db"].transaction() as session:
            member, chosen = add_staff(session, name=name, role=Role(role), pin=pin,
                                       language=language, check=PinCheck(
                                           secret=app.config["SECRET_KEY"], policy=PinPolicy()))
        click.echo(f"Added {member.name} ({member.role}).")
        if chosen.generated:
            click.echo(f"PIN: {chosen.pin} (shown once: give it to {member.name})")

    @app.cli.group("translations")
    def translations_group() -> None:
        """Romanian and English catalogues (see pos/translations/README.md)."""

    @translations_group.command("update")
    def translations_update() -> None:
        """Extract every marked string and merge it into each language's .po file."""
        update_translations(Path(app.root_path))
        click.echo("Updated messages.pot and the .po files: translate what is new, "
                   "then run `flask --app app translations compile`.")

    @translations_group.command("compile")
    def translations_compile() -> None:
        """Compile each .po into the .mo that the app reads (both are committed)."""
        run_pybabel("compile", "-d", str(TRANSLATIONS), "--statistics", quiet=False)


def run_pybabel(*args: str, quiet: bool = True) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", *(["-q"] if quiet else []), *args])


def update_translations(root: Path) -> None:
    """pybabel extract + update (or init); English, the source language, is filled as is."""
    from babel.messages.pofile import read_po, write_po

    from app import __version__

    pot = TRANSLATIONS / "messages.pot"
    with contextlib.chdir(root):  # locations in the catalogues stay relative to the repo
        run_pybabel("extract", "-F", "babel.cfg", "-o", str(pot), "--project", "Masa",
                    "--version", __version__, "-k", "_l", "-k", "lazy_gettext",
                    "--copyright-holder", "Masa contributors", "--add-comments", "TRANSLATORS:",
                    "--ignore-dirs", ".* _* instance node_modules static", "--sort-by-file", ".")
    for language in LANGUAGES:
        po = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        extra = ("--ignore-obsolete",) if command == "update" else ()
        if command == "update" and language == "en":
            extra += ("--no-fuzzy-matching",)  # English is the source: a new id is filled as is
        run_pybabel(command, "-i", str(pot), "-d", str(TRANSLATIONS), "-l", language, *extra)
        if language == "en":
            with po.open("rb") as handle:
                catalog = read_po(handle)
            for message in catalog:
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and (message.fuzzy or not any(forms)):
                    message.string = message.id
                    message.flags.discard("fuzzy")
            with po.open("wb") as handle:
                write_po(handle, catalog, sort_by_file=True)


def parse_tax_rate(text: str) -> tuple[str, int, str]:
    try:
        name, basis_points, code = text.rsplit(":", 2)
        return name, int(basis_points), code
    except ValueError:
        raise click.BadParameter(f"{text!r}: use NAME:BASIS_POINTS:CODE, e.g. 'TVA 21%:2100:A'",
                                 param_hint="--tax-rate") from None
