"""Start-up time and idle memory of the real server (a benchmark: it prints figures).

Starts ``python app.py`` on a fresh, empty instance folder (the first start creates the
schema and the demo venue), then again on the now-populated instance (a restart, the
common case), timing each from process spawn until ``GET /healthz`` answers 200. Then
connects idle, signed-in Socket.IO clients to ``/floor`` and reads the server's
resident memory. Only 127.0.0.1 is contacted.

    python bench/startup.py [--clients 50] [--restarts 1] [--keep]

Needs the test extras (``pip install -e ".[test]"``: requests, python-socketio[client]).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import socketio
from common import Server, free_port

COLD_START_TARGET_S = 1.5
RSS_TARGET_MB = 100.0
DEMO_WAITER_PIN = "1111"


def signed_in_cookie(server: Server) -> str:
    response = requests.post(server.url + "/api/v1/session", json={"pin": DEMO_WAITER_PIN},
                             timeout=10)
    response.raise_for_status()
    return "; ".join(f"{name}={value}" for name, value in response.cookies.items())


def connect_clients(server: Server, count: int, cookie: str) -> list[socketio.Client]:
    """``count`` signed-in clients on /floor, each having received its ``replay_done``."""
    clients: list[socketio.Client] = []
    replayed = threading.Semaphore(0)
    for _ in range(count):
        client = socketio.Client(reconnection=False)
        client.on("replay_done", lambda _data=None: replayed.release(), namespace="/floor")
        client.connect(server.url, headers={"Cookie": cookie}, auth={"last_event": 0},
                       namespaces=["/floor"], transports=["websocket"], wait_timeout=10)
        clients.append(client)
    for _ in range(count):
        if not replayed.acquire(timeout=10):
            raise RuntimeError("a client connected but got no replay_done from /floor")
    missing = [c for c in clients if not c.connected or "/floor" not in c.namespaces]
    if missing:
        raise RuntimeError(f"{len(missing)} of {count} clients are not connected to /floor")
    return clients


def installed_extras(python: str) -> str:
    """python-socketio imports requests and redis whenever they are installed (the test
    extras bring them): ~15 MB of the server's memory that a venue's install does not have."""
    import subprocess

    found = subprocess.run([python, "-c", "import importlib.util as u; print(' '.join(m for m in "
                            "('requests', 'redis') if u.find_spec(m)))"],
                           capture_output=True, text=True, check=False).stdout.split()
    return ("requests and redis installed (test extras): python-socketio loads them"
            if found else "no test extras (as `pip install -e .` installs it)")


def row(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"  {label:<44} {value:>9}   {target:<17} {mark}".rstrip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--restarts", type=int, default=1,
                        help="cold restarts on the populated instance (the first is used for "
                             "the memory figures; more give a median)")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder and log")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter that serves, e.g. a venv with only "
                             "`pip install -e .`, as a venue installs Masa")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="masa-bench-"))
    instance, log = workdir / "instance", workdir / "server.log"
    server = Server(instance, free_port(), log, python=args.python)
    clients: list[socketio.Client] = []
    print(f"Masa start-up benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"instance {instance}\nserved by {args.python}: {installed_extras(args.python)}")
    try:
        first = server.start()
        if not (instance / "masa.sqlite").exists():
            raise RuntimeError("the first start created no instance/masa.sqlite")
        first_rss = server.rss_mb()
        server.stop()

        restarts = []
        for index in range(args.restarts):
            restarts.append(server.start())
            if index < args.restarts - 1:
                server.stop()
        restart = restarts[0]

        time.sleep(1.0)  # let start-up settle (the first /healthz has answered)
        idle_rss = server.rss_mb()
        cookie = signed_in_cookie(server)
        connecting = time.perf_counter()
        clients = connect_clients(server, args.clients, cookie)
        connect_seconds = time.perf_counter() - connecting
        time.sleep(2.0)
        busy_rss = server.rss_mb()
        threads = len(list(Path(f"/proc/{server.process.pid}/task").glob("*")))
    except Exception as error:  # noqa: BLE001 - a benchmark reports what went wrong
        print(f"\nBENCHMARK FAILED: {error}\nserver log: {log}")
        args.keep = True
        return 1
    finally:
        for client in clients:
            with contextlib.suppress(Exception):
                client.disconnect()
        stop_seconds = server.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    worst_start = max(first, restart)
    worst_rss = max(idle_rss, busy_rss)
    start_target = f"target < {COLD_START_TARGET_S * 1000:.0f} ms"
    rss_target = f"target < {RSS_TARGET_MB:.0f} MB"
    print()
    row("first start (empty instance: schema + demo)", f"{first * 1000:.0f} ms", start_target,
        first < COLD_START_TARGET_S)
    row("restart (populated instance)", f"{restart * 1000:.0f} ms", start_target,
        restart < COLD_START_TARGET_S)
    if len(restarts) > 1:
        print(f"    restarts: median {statistics.median(restarts) * 1000:.0f} ms, "
              f"min {min(restarts) * 1000:.0f} ms, max {max(restarts) * 1000:.0f} ms "
              f"over {len(restarts)}")
    row("RSS after the first start", f"{first_rss:.1f} MB")
    row("RSS idle after restart, no clients", f"{idle_rss:.1f} MB", rss_target,
        idle_rss < RSS_TARGET_MB)
    row(f"RSS with {args.clients} idle /floor clients", f"{busy_rss:.1f} MB", rss_target,
        busy_rss < RSS_TARGET_MB)
    print(f"    ({args.clients} clients connected and replayed in {connect_seconds * 1000:.0f} ms; "
          f"server threads then: {threads}; stopped in {stop_seconds * 1000:.0f} ms)")
    met = worst_start < COLD_START_TARGET_S and worst_rss < RSS_TARGET_MB
    print(f"\n  targets {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
