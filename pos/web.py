"""Wires the packages into the app: blueprints, error pages, namespaces, CLI, first start."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, NamedTuple

import click
from flask import Blueprint, Flask, current_app, g, jsonify, render_template, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from pos.core.api import API_PREFIX, current_db, error_response
from pos.core.auth import Actor, Permission
from pos.core.errors import InvalidInput, MasaError
from pos.core.i18n import LANGUAGES, TRANSLATIONS, init_i18n
from pos.core.migrate import SchemaBehind, check_schema, upgrade
from pos.core.sockets import register_namespace

core = Blueprint("core", __name__)


class Screen(NamedTuple):
    path: str
    title: LazyString
    who: LazyString  # who opens it
    device: LazyString  # on which device
    ready: bool  # built yet: the start page and the console show only what works


# Titles are lazy: translated on the start page, English in the console.
SCREENS = (
    Screen("/tablet", _l("Waiter tablet"), _l("waiters, bartenders, hosts"),
           _l("tablet or phone"), ready=True),
    Screen("/kitchen/grill", _l("Kitchen display"), _l("cooks (one per station)"),
           _l("screen on the wall"), ready=False),
    Screen("/cashier", _l("Cashier station"), _l("cashiers"), _l("counter PC or tablet"),
           ready=False),
    Screen("/office", _l("Back office"), _l("managers, admins"), _l("office PC"), ready=False),
    Screen("/desk", _l("Hotel front desk"), _l("receptionists"), _l("reception PC"), ready=False),
)


def register(app: Flask) -> None:
    from pos.floor.views import api as floor_api
    from pos.menu.views import api as menu_api
    from pos.ordering.pages import bp as tablet_bp
    from pos.ordering.views import api as checks_api
    from pos.staff.views import api as staff_api
    from pos.staff.views import bp as staff_bp
    from pos.staff.views import load_actor
    from pos.venue.views import api as venue_api

    init_i18n(app)
    app.register_blueprint(core)
    app.register_blueprint(staff_bp)
    app.register_blueprint(staff_api)
    app.register_blueprint(venue_api)
    app.register_blueprint(menu_api)
    app.register_blueprint(floor_api)
    app.register_blueprint(checks_api)
    app.register_blueprint(tablet_bp)
    app.extensions["masa_actor_loader"] = load_actor
    app.register_error_handler(MasaError, on_masa_error)
    app.register_error_handler(HTTPException, on_http_error)
    register_cli(app)


def on_masa_error(error: MasaError):
    return error_response(error)


def on_http_error(error: HTTPException):
    if request.path.startswith(API_PREFIX) or request.is_json:
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify({"error": {"code": code, "message": error.description,
                                  "field": None}}), error.code
    return error


@core.get("/")
def start_page() -> str:
    return render_template("start.html", screens=SCREENS)


@core.app_context_processor
def venue_context() -> dict[str, Any]:
    return {"venue_name": venue_name, "screens": SCREENS}


def venue_name() -> str | None:
    """The venue's name for a page header; None before the venue is set up."""
    from pos.venue.models import Venue

    if "venue_name" not in g:
        with current_db().reading() as session:
            venue = session.get(Venue, 1)
            g.venue_name = venue.name if venue else None
    return g.venue_name


@core.get("/healthz")
def health():
    """Database and message queue status, for the venue's monitoring."""
    checks: dict[str, Any] = {}
    try:
        with current_db().reading() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = {"ok": True, "dialect": current_db().engine.dialect.name}
    except Exception as error:  # noqa: BLE001 - the health page reports, it does not fail
        checks["database"] = {"ok": False, "error": str(error)}
    checks["message_queue"] = message_queue_status()
    ok = all(check["ok"] for check in checks.values())
    return jsonify({"ok": ok, **checks}), 200 if ok else 503


def message_queue_status() -> dict[str, Any]:
    url = current_app.config.get("MASA_MESSAGE_QUEUE")
    if not url:
        return {"ok": True, "kind": "none (one process)"}
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=1).ping()
        return {"ok": True, "kind": "redis"}
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "kind": "redis", "error": str(error)}


@core.get(API_PREFIX + "/openapi.json")
def openapi_document():
    from app import __version__
    from pos.core.openapi import build_openapi

    return jsonify(build_openapi(__version__))


def floor_rooms(actor: Actor, auth: dict) -> list[str]:
    rooms = ["floor"]
    if actor.staff_id is not None:
        rooms.append(f"staff:{actor.staff_id}")
    return rooms


def kitchen_rooms(actor: Actor, auth: dict) -> list[str]:
    station = actor.station or auth.get("station")
    if not isinstance(station, str) or not station or len(station) > 40:
        raise InvalidInput(_("Say which station this screen shows."), field="station")
    return [f"station:{station}"]


def office_rooms(actor: Actor, auth: dict) -> list[str]:
    return ["office"]


register_namespace("/floor", Permission.FLOOR_VIEW, floor_rooms)
register_namespace("/kitchen", Permission.KITCHEN_VIEW, kitchen_rooms)
register_namespace("/office", Permission.OFFICE_VIEW, office_rooms)


def prepare_database(app: Flask) -> None:
    """First start on an empty database: create the schema, and the demo venue if asked.

    A database that is behind stops the server; under the ``flask`` command line the
    app still loads (so ``flask --app app db upgrade`` can run) but serves only 503s.
    """
    try:
        created = check_schema(app.extensions["masa_db"])
    except SchemaBehind as behind:
        if click.get_current_context(silent=True) is None:
            raise
        message = str(behind)
        click.echo(message, err=True)
        app.before_request(lambda: (jsonify({"error": {
            "code": "schema_behind", "message": message, "field": None}}), 503))
        return
    if created and app.config.get("MASA_DEMO"):
        from pos.demo import create_demo

        with app.app_context():
            create_demo(app.extensions["masa_db"], app.config["SECRET_KEY"])
            app.config["MASA_DEMO_CREATED"] = True


def print_welcome(app: Flask, host: str, port: int) -> None:
    from pos.demo import DEMO_STAFF

    base = f"http://{'localhost' if host in ('0.0.0.0', '::') else host}:{port}"
    print(f"\nMasa is serving on {host}:{port} (database: {current_db_url(app)})\n")
    print("Open these on the venue's devices:")
    for screen in SCREENS:
        if screen.ready:
            print(f"  {base + screen.path:<36} {screen.title} — {screen.who}, "
                  f"on a {screen.device}")
    print(f"  {base + '/signin':<36} PIN pad (every screen sends you here first)")
    if app.config.get("MASA_DEMO_CREATED") or app.config.get("MASA_DEMO"):
        print("\nDemo staff PINs (change them before real service):")
        for name, role, pin, _lang in DEMO_STAFF:
            print(f"  {pin:>6}  {name} ({role})")
    print()


def current_db_url(app: Flask) -> str:
    return app.extensions["masa_db"].engine.url.render_as_string(hide_password=True)


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

    @app.cli.group("staff")
    def staff_group() -> None:
        """Staff commands."""

    @staff_group.command("add")
    @click.argument("name")
    @click.argument("role")
    @click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--language", default=None)
    def staff_add(name: str, role: str, pin: str, language: str | None) -> None:
        """Add a staff member with a role and a 4–6 digit PIN."""
        from pos.core.auth import Role
        from pos.staff.operations import add_staff

        with app.extensions["masa_db"].transaction() as session:
            member = add_staff(session, name=name, role=Role(role), pin=pin, language=language,
                               secret=app.config["SECRET_KEY"])
        click.echo(f"Added {member.name} ({member.role}).")

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
