"""Order sending over the HTTP API, as tablets do it (a benchmark: it prints figures).

Serves ``python app.py`` on a fresh SQLite instance with the demo venue, then drives it
with 1 and then 8 concurrent clients, each its own process with one keep-alive
connection, in a closed loop for 20 s each: open a check, send it with 4 lines with
modifiers (a steak and a burger for the grill, two drinks for the bar). Prints sends/s
and the send's p50/p99 latency. Then loads 5,000 open checks, each with a sent round,
and runs the same again. Only 127.0.0.1 is contacted.

    python bench/ordering.py [--seconds 20] [--clients 1 8] [--backlog 5000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import HOST, ROOT, Server, free_port

sys.path.insert(0, str(ROOT))

WAITER_PIN = "1111"


class Tablet:
    """One keep-alive HTTP connection, signed in as a waiter."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookie = ""
        status, _body, headers = self.request("POST", "/api/v1/session", {"pin": WAITER_PIN})
        assert status == 200, status
        self.cookie = headers["set-cookie"].split(";")[0]

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.connection.request(method, path, json.dumps(body) if body else None, headers)
        response = self.connection.getresponse()
        data = response.read()
        return response.status, json.loads(data), {k.lower(): v for k, v in
                                                   response.getheaders()}


def order_lines(menu: dict) -> list[dict]:
    items = {item["number"]: item["id"] for item in menu["items"]}
    choice = {m["names"]["en"]: m["id"] for g in menu["modifier_groups"] for m in g["modifiers"]}
    return [
        {"item_id": items[401], "seat": 1,
         "modifier_ids": [choice["Medium rare"], choice["French fries"]]},
        {"item_id": items[403], "seat": 2,
         "modifier_ids": [choice["Medium"], choice["Polenta"], choice["Bacon"]]},
        {"item_id": items[801], "seat": 1, "modifier_ids": []},
        {"item_id": items[706], "seat": 2, "modifier_ids": [choice["With ice"]]},
    ]


def client_loop(port: int, seconds: float, start_at: float, results) -> None:
    tablet = Tablet(port)
    _status, menu, _h = tablet.request("GET", "/api/v1/menu")
    lines = order_lines(menu)
    latencies = []
    while time.time() < start_at:
        time.sleep(0.001)
    deadline = start_at + seconds
    while time.time() < deadline:
        status, check, _h = tablet.request("POST", "/api/v1/checks", {
            "kind": "bar_tab", "name": "Bench", "client_id": str(uuid.uuid4())})
        assert status == 201, check
        began = time.perf_counter()
        status, sent, _h = tablet.request("POST", f"/api/v1/checks/{check['id']}/send", {
            "client_id": str(uuid.uuid4()), "version": check["version"], "lines": lines})
        latencies.append(time.perf_counter() - began)
        assert status == 200 and sent["tickets"] == 2, sent
    results.put(latencies)


def run(port: int, clients: int, seconds: float) -> dict:
    results = multiprocessing.Queue()
    start_at = time.time() + 2.0  # every client signed in and ready first
    workers = [multiprocessing.Process(target=client_loop,
                                       args=(port, seconds, start_at, results))
               for _ in range(clients)]
    for worker in workers:
        worker.start()
    latencies = [latency for _ in workers for latency in results.get()]
    for worker in workers:
        worker.join()
    latencies.sort()
    return {"sends": len(latencies), "per_second": len(latencies) / seconds,
            "p50": statistics.median(latencies) * 1000,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000}


def load_backlog(instance: Path, count: int) -> None:
    """``count`` open checks, each with a sent round, written in-process through the API."""
    from app import create_app

    app = create_app({"INSTANCE_PATH": str(instance)})
    app.extensions["masa_db"].after_commit.clear()  # nobody is listening yet
    client = app.test_client()
    client.post("/api/v1/session", json={"pin": WAITER_PIN})
    lines = order_lines(client.get("/api/v1/menu").get_json())
    for number in range(count):
        check = client.post("/api/v1/checks", json={"kind": "bar_tab", "name": f"Tab {number}",
                                                    "guest_count": 2}).get_json()
        sent = client.post(f"/api/v1/checks/{check['id']}/send", json={
            "client_id": str(uuid.uuid4()), "version": check["version"], "lines": lines})
        assert sent.status_code == 200, sent.get_json()
    app.extensions["masa_db"].dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--backlog", type=int, default=5000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="masa-bench-"))
    os.environ.pop("MASA_DATABASE_URL", None)
    print(f"Masa ordering benchmark — SQLite, {os.cpu_count()} cores, python app.py")
    print(f"each send: a new check with 4 lines with modifiers → 2 stations; "
          f"{args.seconds:.0f} s per run, closed loop, one process per client\n")
    try:
        for backlog in (0, args.backlog):
            instance = workdir / f"instance-{backlog}"
            server = Server(instance, free_port(), workdir / f"server-{backlog}.log")
            server.start()  # first start: schema and demo venue
            if backlog:
                server.stop()
                began = time.perf_counter()
                load_backlog(instance, backlog)
                print(f"loaded {backlog} open checks with their sends in "
                      f"{time.perf_counter() - began:.0f} s")
                server.start()
            for clients in args.clients:
                figures = run(server.port, clients, args.seconds)
                print(f"  backlog {backlog:>5} open checks, {clients} client(s): "
                      f"{figures['per_second']:6.0f} sends/s   p50 {figures['p50']:5.1f} ms   "
                      f"p99 {figures['p99']:5.1f} ms   ({figures['sends']} sends)")
            server.stop()
        print("\ntargets: ≥ 400 sends/s with 8 clients, p99 < 50 ms, no slowdown with the "
              "backlog")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
