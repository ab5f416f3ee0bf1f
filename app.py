"""Masa's entry point: ``create_app()`` and ``socketio``; ``python app.py`` serves."""

from __future__ import annotations

if __name__ == "__main__":  # serving: make the standard library cooperative first
    from pos.server import patch

    patch()

import contextlib
import ctypes
import os
import sys
from pathlib import Path

from flask import Flask

from pos.core.config import load_config
from pos.core.db import Database
from pos.core.events import make_publisher, socketio
from pos.core.sockets import close_room, make_client_manager

ROOT = Path(__file__).resolve().parent
__version__ = "0.1.0"


def create_app(test_config: dict | None = None, *, async_mode: str = "threading") -> Flask:
    """The app. ``async_mode`` is "gevent" under the production server (pos/server.py)."""
    return_large_blocks_to_the_system()
    instance_path = os.environ.get("MASA_INSTANCE_PATH") or str(ROOT / "instance")
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = test_config["INSTANCE_PATH"]
    app = Flask(__name__, instance_path=instance_path, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    load_config(app.config, instance_path, test_config)

    db = Database(app.config["MASA_DATABASE_URL"])
    app.extensions["masa_db"] = db
    from pos import web

    web.register(app)
    actors = app.extensions["masa_actor_cache"]

    def end_room(room: str) -> None:  # an ended sign-in or a revoked device
        actors.forget_room(room)
        close_room(room)

    db.after_commit.append(make_publisher(socketio.emit, end_room))
    socketio.init_app(app, async_mode=async_mode, client_manager=make_client_manager(
        app.config.get("MASA_MESSAGE_QUEUE") or None, app.config["MASA_MESSAGE_QUEUE_CHANNEL"]))
    if not app.config.get("MASA_SKIP_SCHEMA_CHECK"):
        web.prepare_database(app)
    if app.config.get("MASA_PRINT_WORKER", True) and not running_a_command():
        from pos.devices.print_worker import start_print_worker

        start_print_worker(app)
    if app.config.get("MASA_CARD_TERMINAL") and not running_a_command():
        from pos.payments.cards import start_card_desk

        start_card_desk(app)
    if app.config.get("MASA_PMS") and not running_a_command():
        from pos.hotel.pms import start_pms_link

        start_pms_link(app)
    if app.config.get("MASA_SESSION_SWEEPER", True) and not running_a_command():
        from pos.staff.sessions import start_session_sweeper

        app.extensions["masa_session_sweeper"] = start_session_sweeper(db)
    # Off with the session sweeper unless asked for on its own (tests turn both off).
    if app.config.get("MASA_RETENTION_SWEEPER", app.config.get("MASA_SESSION_SWEEPER", True)) \
            and not running_a_command():
        from pos.core.events import Retention, start_retention_sweeper

        app.extensions["masa_retention_sweeper"] = start_retention_sweeper(
            db, Retention.from_config(app.config))
    return app


def running_a_command() -> bool:
    """Under ``flask --app app <command>`` no printer should start printing."""
    import click

    return click.get_current_context(silent=True) is not None


def return_large_blocks_to_the_system() -> None:
    """Each PIN check (argon2) takes a ~19 MiB block; after the first, glibc would keep it
    in the heap for good. A fixed mmap threshold hands such blocks back when freed."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, 128 * 1024)


M_MMAP_THRESHOLD = -3


def main() -> None:
    from pos.core.migrate import SchemaBehind
    from pos.server import PRODUCTION, serve, server_kind

    try:
        app = create_app(async_mode="gevent" if server_kind() == PRODUCTION else "threading")
    except SchemaBehind as error:
        sys.exit(str(error))
    host = os.environ.get("MASA_HOST", "0.0.0.0")
    port = int(os.environ.get("MASA_PORT", "5000"))
    from pos.web import print_welcome

    print_welcome(app, host, port)
    serve(app, host, port)


if __name__ == "__main__":
    main()
