"""Serving Masa: ``python app.py`` and ``masa`` run gevent's WSGI server, which
Flask-SocketIO supports (WebSockets through simple-websocket), not a development server.

One process serves every screen: each connection is a greenlet, so thousands of idle
tablets and kitchen screens cost little, and connections are bounded (a pool) and closed
after a quiet spell. Work that would hold the one event loop (argon2's PIN check, a
blocking device call) runs on gevent's thread pool (``pos.core.concurrency``).

Monkey-patching must come before anything imports ``socket`` or ``threading``, so this
module imports only the standard library at the top; ``app.py`` calls ``patch()`` first.
``MASA_SERVER=development`` serves with Werkzeug's threaded server instead (the previous
server, kept to compare with in the benchmarks; never for service).
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

PRODUCTION = "production"
DEVELOPMENT = "development"


def server_kind() -> str:
    kind = os.environ.get("MASA_SERVER", PRODUCTION)
    if kind not in (PRODUCTION, DEVELOPMENT):
        sys.exit(f"MASA_SERVER is {kind!r}: it is 'production' (the default) or 'development'.")
    return kind


def patch() -> None:
    """Make the standard library cooperative, before anything else is imported."""
    if server_kind() == PRODUCTION:
        from gevent import monkey

        monkey.patch_all()


# Werkzeug warns that it is a development server, rightly: say why it runs, and keep it.
DEVELOPMENT_NOTICE = ("MASA_SERVER=development: Werkzeug's development server, which the "
                      "benchmarks compare with. Its warning below is right: never serve a "
                      "venue with it (unset MASA_SERVER for gevent's production server).")


def serve(app: Any, host: str, port: int) -> None:
    from pos.core.events import socketio

    if server_kind() == DEVELOPMENT:
        print(DEVELOPMENT_NOTICE, flush=True)
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)
        return
    from gevent import pywsgi, signal_handler
    from gevent.pool import Pool

    idle = float(app.config["MASA_IDLE_CONNECTION_SECONDS"])

    class Handler(pywsgi.WSGIHandler):
        """A connection quiet for ``idle`` seconds is closed (a screen's WebSocket is
        never that quiet: Socket.IO pings every 25 s). Small answers go out at once: with
        Nagle's algorithm the body would wait ~40 ms for the headers' delayed ACK."""

        def handle(self) -> None:
            self.socket.settimeout(idle)
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().handle()

    pool = Pool(int(app.config["MASA_MAX_CONNECTIONS"]))
    server = pywsgi.WSGIServer((host, port), app, spawn=pool, handler_class=Handler,
                               log=None, error_log="default")
    socketio.wsgi_server = server  # what socketio.stop() stops
    signal_handler(2, server.stop)  # Ctrl-C and SIGTERM: stop accepting, then exit
    signal_handler(15, server.stop)
    server.serve_forever()


def main() -> None:
    """The ``masa`` command: the same as ``python app.py``."""
    patch()
    from app import main as serve_app

    serve_app()
