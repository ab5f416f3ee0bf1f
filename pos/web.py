"""Wires the packages into the app: blueprints, error pages, namespaces, CLI, first start."""

from __future__ import annotations

import os
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import click
from flask import Blueprint, Flask, Response, current_app, g, jsonify, render_template, request
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
           ready=True),
    Screen("/office", _l("Back office"), _l("managers, admins"), _l("office PC"), ready=True),
    Screen("/desk", _l("Hotel front desk"), _l("receptionists"), _l("reception PC"), ready=True),
)


class OfficeSection(NamedTuple):
    key: str
    path: str
    title: LazyString
    what: LazyString  # what a manager does there, on the back office's home
    icon: str
    permission: Permission
    endpoint: str  # the page's view: a section shows once it is built


# The back office's sections, in the order of its menu.
OFFICE_SECTIONS = (
    OfficeSection("menu", "/office/menu", _l("Menu"),
                  _l("Categories, dishes, choices and prices; 86 and counts; import and export"),
                  "menu", Permission.MENU_EDIT, "menu_office.menu_page"),
    OfficeSection("floor", "/office/floor", _l("Floor"),
                  _l("Tables on each floor, sections and their servers"),
                  "floor", Permission.FLOOR_EDIT, "floor_office.floor_page"),
    OfficeSection("staff", "/office/staff", _l("Staff"),
                  _l("People, roles and PINs; the time clock"),
                  "staff", Permission.STAFF_MANAGE, "staff_office.staff_page"),
    OfficeSection("devices", "/office/devices", _l("Devices and printers"),
                  _l("Paired screens, printers per station, test pages, alerts"),
                  "devices", Permission.DEVICES_MANAGE, "staff_pages.paired_screens"),
    OfficeSection("inventory", "/office/inventory", _l("Inventory"),
                  _l("Stock per location, ingredients, recipes; receiving, waste and counts"),
                  "kitchen", Permission.STOCK, "inventory_office.inventory_page"),
    OfficeSection("purchasing", "/office/purchasing", _l("Purchasing"),
                  _l("Suppliers, suggestions from par levels, purchase orders and deliveries"),
                  "cashier", Permission.STOCK, "purchasing_office.purchasing_page"),
    OfficeSection("costing", "/office/food-cost", _l("Food cost"),
                  _l("Theoretical against actual usage, variance, stock valuation"),
                  "office", Permission.REPORTS_VIEW, "purchasing_office.food_cost_page"),
    OfficeSection("settings", "/office/settings", _l("Settings"),
                  _l("The venue, tax rates, tips, receipts, kitchen colours"),
                  "settings", Permission.SERVICE_SETTINGS, "venue_office.settings_page"),
    OfficeSection("reports", "/office/reports", _l("Reports"),
                  _l("Sales, kitchen times, labour and menu engineering; CSV and PDF"),
                  "audit", Permission.REPORTS_VIEW, "reports_office.reports_page"),
    OfficeSection("audit", "/office/audit", _l("Audit log"),
                  _l("Who changed what, and when; export"),
                  "audit", Permission.AUDIT_VIEW, "audit_office.audit_page"),
)


def office_sections() -> list[OfficeSection]:
    """The sections the signed-in person may open, of those built."""
    actor = g.get("actor")
    return [section for section in OFFICE_SECTIONS
            if section.endpoint in current_app.view_functions
            and actor is not None and actor.can(section.permission)]


@core.get("/office")
def office_home() -> Response | str:
    from pos.staff.web import require_page

    refused = require_page(Permission.OFFICE_VIEW)
    if refused is not None:
        return refused
    return render_template("office/home.html", sections=office_sections())


def register(app: Flask) -> None:
    from kitchen import (
        menu_routes,  # noqa: F401  (the menu editor routes items to stations)
        reactions,  # noqa: F401  (the kitchen follows what ordering does)
    )
    from kitchen.office_views import api as kitchen_office_api
    from kitchen.pages import bp as kitchen_bp
    from kitchen.views import api as kitchen_api
    from pos.core.images import media
    from pos.devices.views import api as devices_api
    from pos.floor.pages import floor_office
    from pos.floor.views import api as sections_api
    from pos.hotel import reactions as hotel_reactions  # noqa: F401
    from pos.hotel.pages import desk_pages
    from pos.hotel.views import api as hotel_api
    from pos.inventory import reactions as inventory_reactions  # noqa: F401
    from pos.inventory.pages import inventory_office
    from pos.inventory.purchasing_views import api as purchasing_api
    from pos.inventory.purchasing_views import pages as purchasing_office
    from pos.inventory.views import api as inventory_api
    from pos.menu.course_views import api as course_api
    from pos.menu.pages import menu_office
    from pos.menu.views import api as menu_api
    from pos.ordering.pages import bp as tablet_bp
    from pos.ordering.views import api as checks_api
    from pos.ordering.views import tables_api
    from pos.payments import reactions as payment_reactions  # noqa: F401
    from pos.payments.drawer_views import api as drawers_api
    from pos.payments.pages import cashier_pages
    from pos.payments.receipt_views import receipts as receipts_bp
    from pos.payments.views import api as payments_api
    from pos.reports.pages import reports_office
    from pos.reports.views import api as reports_api
    from pos.staff.office import bp as staff_office_bp
    from pos.staff.office_pages import audit_office, venue_office
    from pos.staff.pages import bp as staff_pages_bp
    from pos.staff.views import api as staff_api
    from pos.staff.views import bp as staff_bp
    from pos.staff.web import ActorCache, load_actor
    from pos.venue.views import api as venue_api

    init_security(app)  # first: it sets the URL converters the blueprints' rules use
    init_i18n(app)
    for blueprint in (
            core, media, staff_bp, staff_api, venue_api, menu_api, course_api, sections_api,
            tables_api, checks_api, kitchen_api, kitchen_office_api, devices_api,
            payments_api, cashier_pages, receipts_bp, drawers_api, reports_api, hotel_api,
            inventory_api, purchasing_api,
            desk_pages, tablet_bp, kitchen_bp, staff_pages_bp,
            # the back office's pages
            menu_office, floor_office, staff_office_bp, venue_office, audit_office,
            reports_office, inventory_office, purchasing_office):
        app.register_blueprint(blueprint)
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
        return jsonify({"error": {"code": code, "message": api_error_message(error),
                                  "field": None}}), error.code
    if error.response is not None or error.code is None or error.code < 400:
        return error
    return error_page(error.code)


def api_error_message(error: HTTPException) -> str:
    """Name what is wrong: the route that does not exist, the method it does not take."""
    asked = f"{request.method} {request.path}"
    if error.code == 404 and request.url_rule is None:
        return (f"Nothing answers {asked}: no such route, or an id no record can have "
                f"(the routes are in {API_PREFIX}/openapi.json).")
    if error.code == 405 and getattr(error, "valid_methods", None):
        allowed = ", ".join(m for m in error.valid_methods if m not in ("HEAD", "OPTIONS"))
        return f"{asked} is not allowed; {request.path} takes {allowed}."
    if error.code == 500:
        return "Masa failed to answer this request; the server's log says why."
    return error.description or str(error.name)


def error_page(status: int):
    """A page in the screen's language, with a way back, instead of Werkzeug's bare one."""
    screen = screen_of(request.path)
    try:
        return render_template("errors/http.html", status=status, screen=screen,
                               back=same_site_referrer()), status
    except Exception:  # noqa: BLE001 - the page itself failed (a database down): say little
        current_app.logger.exception("the error page failed")
        return (f"<!doctype html><title>Masa</title><h1>{status}</h1>"
                '<p><a href="/">Masa</a></p>'), status


def screen_of(path: str) -> Screen | None:
    """The screen whose address this path is, or lies under (``/kitchen/nosuch``)."""
    first = "/" + path.strip("/").split("/")[0]
    return next((screen for screen in SCREENS if screen.path == first), None)


def same_site_referrer() -> str | None:
    """The page this screen came from, if it is one of Masa's own and not this one."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.path in ("", request.path):
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


@core.get("/")
def start_page() -> str:
    return render_template("start.html", screens=SCREENS)


@core.app_context_processor
def venue_context() -> dict[str, Any]:
    return {"venue_name": venue_name, "venue_timezone": venue_timezone, "screens": SCREENS,
            "allergen_strings": allergen_strings, "office_sections": office_sections}


def venue_name() -> str | None:
    """The venue's name for a page header; None before the venue is set up."""
    return venue_facts()[0]


def venue_timezone() -> str:
    """The venue's time zone, which every screen's clock shows (static/js/clock.js)."""
    return venue_facts()[1] or current_app.config["MASA_TIMEZONE"]


def venue_facts() -> tuple[str | None, str | None]:
    from pos.venue.models import Venue

    if "venue_facts" not in g:
        with current_db().reading() as session:
            venue = session.get(Venue, 1)
            g.venue_facts = (venue.name, venue.timezone) if venue else (None, None)
    return g.venue_facts


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
register_namespace("/desk", Permission.FOLIO, lambda actor, auth: ["desk"])


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
    print("\n".join(welcome_lines(app, host, port, server_address(host))))


def welcome_lines(app: Flask, host: str, port: int, address: str) -> list[str]:
    """What ``python app.py`` prints: every screen's URL as the venue's devices open it."""
    from pos.demo import DEMO_STAFF

    base = f"http://{address}:{port}"
    lines = ["", f"Masa is serving on {host}:{port} (database: {current_db_url(app)})", ""]
    if address.startswith("127."):
        lines.append("Only this machine can open these: no network address was found "
                     "(or Masa listens on the loopback, behind a proxy).")
    lines.append("Open these on the venue's devices:")
    lines += [f"  {base + path:<{URL_WIDTH}} {what}" for path, what in screen_urls(app)]
    soon = [str(screen.title) for screen in SCREENS if not screen.ready]
    if soon:
        lines.append(f"Not built yet: {', '.join(soon)}.")
    if app.config.get("MASA_DEMO_CREATED") or app.config.get("MASA_DEMO"):
        lines += ["", "Demo staff PINs (change them before real service):"]
        lines += [f"  {pin:>6}  {name} ({role})" for name, role, pin, _lang in DEMO_STAFF]
    return [*lines, ""]


URL_WIDTH = 44


def screen_urls(app: Flask) -> list[tuple[str, str]]:
    """(path, what it is) for every screen that works, each kitchen station's included."""
    urls = [("/", "Start page: choose what this device is for"),
            ("/signin", "PIN pad (every screen sends you here first)")]
    for screen in SCREENS:
        if screen.ready:
            device = str(screen.device)
            article = "an" if device[:1] in "aeiou" else "a"
            urls.append((screen.path, f"{screen.title} — {screen.who}, on {article} {device}"))
        if screen.path == "/kitchen":
            urls += [(f"/kitchen/{code}", f"  {name} — " + ("the pass, sees every station"
                                                            if expo else "station screen"))
                     for code, name, expo in station_names(app)]
            urls.append(("/pair/kitchen", "Pair a kitchen screen (a manager's PIN, once)"))
    urls += [(f"{API_PREFIX}/openapi.json", "API description (OpenAPI 3)"),
             ("/healthz", "Health check, for monitoring")]
    return urls


def station_names(app: Flask) -> list[tuple[str, str, bool]]:
    """(code, English name, is expo) of each station; none before the venue has any."""
    from kitchen.pages import all_stations

    with app.extensions["masa_db"].reading() as session:
        return [(s.code, s.label("en"), s.is_expo) for s in all_stations(session)]


def server_address(host: str) -> str:
    """The address other devices use: the one Masa listens on, or, when it listens on
    every interface, this machine's address on the venue's network."""
    if host in ("", "0.0.0.0", "::"):
        return lan_address()
    return f"[{host}]" if ":" in host else host


def lan_address() -> str:
    """The address of the interface that holds the default route. Connecting a UDP socket
    only picks a route: no packet leaves the machine. 127.0.0.1 when there is no network."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.254.254.254", 9))
            address = probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    return address if address != "0.0.0.0" else "127.0.0.1"


def current_db_url(app: Flask) -> str:
    return app.extensions["masa_db"].engine.url.render_as_string(hide_password=True)
