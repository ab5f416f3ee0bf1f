"""Masa's entry point: ``create_app()`` and ``socketio``; ``python app.py`` serves."""

from __future__ import annotations

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


def create_app(test_config: dict | None = None) -> Flask:
    return_large_blocks_to_the_system()
    instance_path = os.environ.get("MASA_INSTANCE_PATH") or str(ROOT / "instance")
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = test_config["INSTANCE_PATH"]
    app = Flask(__name__, instance_path=instance_path, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    load_config(app.config, instance_path, test_config)

    db = Database(app.config["MASA_DATABASE_URL"])
    app.extensions["masa_db"] = db
    db.after_commit.append(make_publisher(socketio.emit, close_room))

    from pos import web

    web.register(app)
    socketio.init_app(app, async_mode="threading", client_manager=make_client_manager(
        app.config.get("MASA_MESSAGE_QUEUE") or None, app.config["MASA_MESSAGE_QUEUE_CHANNEL"]))
    if not app.config.get("MASA_SKIP_SCHEMA_CHECK"):
        web.prepare_database(app)
    if app.config.get("MASA_PRINT_WORKER", True) and not running_a_command():
        from kitchen.print_worker import start_print_worker

        start_print_worker(app)
    if app.config.get("MASA_SESSION_SWEEPER", True) and not running_a_command():
        from pos.staff.sessions import start_session_sweeper

        app.extensions["masa_session_sweeper"] = start_session_sweeper(db)
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

    try:
        app = create_app()
    except SchemaBehind as error:
        sys.exit(str(error))
    host = os.environ.get("MASA_HOST", "0.0.0.0")
    port = int(os.environ.get("MASA_PORT", "5000"))
    from pos.web import print_welcome

    print_welcome(app, host, port)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)


if __name__ == "__main__":
    main()
