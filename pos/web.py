"""Wires the packages into the app: blueprints, error pages, namespaces, CLI, first start."""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import click
from flask import Blueprint, Flask, current_app, g, jsonify, render_template, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from kitchen.events import kitchen_rooms
from pos.core.api import API_PREFIX, current_db, error_response
from pos.core.auth import Actor, Permission
from pos.core.errors import MasaError
from pos.core.events import Retention, sweep_retention
from pos.core.i18n import init_i18n
from pos.core.migrate import SchemaBehind, check_schema
from pos.core.security import init_security
from pos.core.sockets import register_namespace
from pos.menu.labels import allergen_strings

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
    Screen("/kitchen", _l("Kitchen display"), _l("cooks (one per station)"),
           _l("screen on the wall"), ready=True),
    Screen("/cashier", _l("Cashier station"), _l("cashiers"), _l("counter PC or tablet"),
           ready=False),
    Screen("/office", _l("Back office"), _l("managers, admins"), _l("office PC"), ready=False),
    Screen("/desk", _l("Hotel front desk"), _l("receptionists"), _l("reception PC"), ready=False),
)


def register(app: Flask) -> None:
    from kitchen import reactions  # noqa: F401  (the kitchen follows what ordering does)
    from kitchen.pages import bp as kitchen_bp
    from kitchen.views import api as kitchen_api
    from pos.floor.views import api as sections_api
    from pos.menu.views import api as menu_api
    from pos.ordering.pages import bp as tablet_bp
    from pos.ordering.views import api as checks_api
    from pos.ordering.views import tables_api
    from pos.staff.pages import bp as staff_pages_bp
    from pos.staff.views import api as staff_api
    from pos.staff.views import bp as staff_bp
    from pos.staff.web import ActorCache, load_actor
    from pos.venue.views import api as venue_api

    init_security(app)  # first: it sets the URL converters the blueprints' rules use
    init_i18n(app)
    app.register_blueprint(core)
    app.register_blueprint(staff_bp)
    app.register_blueprint(staff_api)
    app.register_blueprint(venue_api)
    app.register_blueprint(menu_api)
    app.register_blueprint(sections_api)
    app.register_blueprint(tables_api)
    app.register_blueprint(checks_api)
    app.register_blueprint(kitchen_api)
    app.register_blueprint(tablet_bp)
    app.register_blueprint(kitchen_bp)
    app.register_blueprint(staff_pages_bp)
    app.extensions["masa_actor_loader"] = load_actor
    app.extensions["masa_actor_cache"] = ActorCache()
    app.register_error_handler(MasaError, on_masa_error)
    app.register_error_handler(HTTPException, on_http_error)
    from pos.cli import register_cli

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
    return {"venue_name": venue_name, "screens": SCREENS, "allergen_strings": allergen_strings}


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
    return jsonify({"ok": ok, "process": os.getpid(), **checks}), 200 if ok else 503


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
    if actor.can(Permission.OFFICE_VIEW):
        rooms.append("managers")  # alerts reach a manager's tablet too
    return rooms


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
    db = app.extensions["masa_db"]
    try:
        created = check_schema(db)
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
    # Screens further behind than the retention window reload a snapshot; the sweep runs
    # in bounded batches, so a long-stopped server does not start with one huge delete.
    sweep_retention(db, Retention.from_config(app.config))


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
