"""Tickets reaching the kitchen screens (a benchmark: it prints figures).

Serves ``python app.py`` (SQLite, demo venue). Eight KDS clients listen on /kitchen
(four on the grill, four at the bar, each its own process with a real python-socketio
client); a tablet process sends at a steady 20 sends/s for 60 s, each send a check of
4 lines for the grill and the bar. Prints the send-to-KDS event latency (from the
moment the send request starts to the moment a KDS has the ticket) p50/p99, and
tickets/s delivered. Then loads 5,000 tickets of history with 500 still open on the
screens and runs again. With --browser it also times a KDS page in Chromium: loading
its open tickets, and showing a new ticket after a send. Only 127.0.0.1 is contacted.

    python bench/kitchen.py [--seconds 60] [--rate 20] [--screens 8] [--browser]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import ROOT, Server, free_port
from ordering import Tablet, order_lines

sys.path.insert(0, str(ROOT))

COOK_PIN = "7777"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * fraction) - 1)]


def kds_listener(port: int, station: str, ready, stop, results) -> None:
    """One KDS: records when each ticket (by check id) first reached it."""
    import requests
    import socketio

    session = requests.Session()
    session.post(f"http://127.0.0.1:{port}/api/v1/session", json={"pin": COOK_PIN}, timeout=10)
    cookie = f"session={session.cookies['session']}"
    arrivals: dict[int, float] = {}
    client = socketio.Client(reconnection=True)

    @client.on("ticket", namespace="/kitchen")
    def on_ticket(message):
        arrivals.setdefault(message["data"]["check_id"], time.time())

    client.connect(f"http://127.0.0.1:{port}", namespaces=["/kitchen"],
                   transports=["websocket"], headers={"Cookie": cookie},
                   auth={"station": station, "last_event": None}, wait_timeout=10)
    ready.release()
    stop.wait()
    time.sleep(1.0)  # the last tickets in flight
    client.disconnect()
    results.put((station, arrivals))


def tablet_sender(port: int, rate: float, seconds: float, start_at: float, results) -> None:
    """Sends at a steady rate (open loop): records when each send started, by check id."""
    tablet = Tablet(port)
    _status, menu, _h = tablet.request("GET", "/api/v1/menu")
    lines = order_lines(menu)
    started: dict[int, float] = {}
    interval = 1.0 / rate
    next_at = start_at
    while time.time() < start_at + seconds:
        time.sleep(max(0.0, next_at - time.time()))
        next_at += interval
        status, check, _h = tablet.request("POST", "/api/v1/checks", {
            "kind": "bar_tab", "name": "Bench", "client_id": str(uuid.uuid4())})
        began = time.time()
        status, sent, _h = tablet.request("POST", f"/api/v1/checks/{check['id']}/send", {
            "client_id": str(uuid.uuid4()), "version": check["version"], "lines": lines})
        assert status == 200, sent
        started[check["id"]] = (began, time.time())
    results.put(started)


def run(port: int, screens: int, rate: float, seconds: float) -> dict:
    ctx = multiprocessing.get_context("fork")
    ready, stop, results = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    stations = ["grill" if n % 2 == 0 else "bar" for n in range(screens)]
    listeners = [ctx.Process(target=kds_listener, args=(port, s, ready, stop, results))
                 for s in stations]
    for listener in listeners:
        listener.start()
    for _ in listeners:
        ready.acquire()
    sender_results = ctx.Queue()
    sender = ctx.Process(target=tablet_sender,
                         args=(port, rate, seconds, time.time() + 1.0, sender_results))
    sender.start()
    started = sender_results.get()
    sender.join()
    stop.set()
    latencies, after_answer, delivered = [], [], 0
    for _ in listeners:
        _station, arrivals = results.get()
        delivered += len(arrivals)
        latencies += [(arrivals[c] - started[c][0]) * 1000 for c in arrivals if c in started]
        after_answer += [(arrivals[c] - started[c][1]) * 1000 for c in arrivals if c in started]
    for listener in listeners:
        listener.join()
    expected = len(started) * screens
    return {"sends": len(started), "delivered": delivered, "expected": expected,
            "tickets_per_s": delivered / seconds, "p50": statistics.median(latencies),
            "p99": percentile(latencies, 0.99), "event_p50": statistics.median(after_answer),
            "event_p99": percentile(after_answer, 0.99)}


def load_history(instance: Path, tickets: int, open_tickets: int) -> None:
    """``tickets`` tickets in all (2 a send), all bumped but ``open_tickets``."""
    from app import create_app

    app = create_app({"INSTANCE_PATH": str(instance)})
    app.extensions["masa_db"].after_commit.clear()
    waiter, cook = app.test_client(), app.test_client()
    waiter.post("/api/v1/session", json={"pin": "1111"})
    cook.post("/api/v1/session", json={"pin": COOK_PIN})
    soup, wine = order_lines(waiter.get("/api/v1/menu").get_json())[::2]  # grill, bar
    soup = {"item_id": next(i["id"] for i in waiter.get("/api/v1/menu").get_json()["items"]
                            if i["number"] == 102)}  # a starter: fired at once, not held
    lines = [soup, wine]
    ticket_ids = []
    for number in range(tickets // 2):
        check = waiter.post("/api/v1/checks", json={"kind": "bar_tab", "name": f"H{number}"})
        check = check.get_json()
        waiter.post(f"/api/v1/checks/{check['id']}/send", json={
            "client_id": str(uuid.uuid4()), "version": check["version"], "lines": lines})
    for station in ("grill", "bar"):
        ticket_ids += [t["id"] for t in cook.get(f"/api/v1/kitchen/{station}").get_json()[
            "tickets"] if t["status"] == "fired"]
    for ticket_id in sorted(ticket_ids)[:len(ticket_ids) - open_tickets]:
        cook.post(f"/api/v1/kitchen/tickets/{ticket_id}/bump", json={})
    app.extensions["masa_db"].dispose()


def browser_figures(port: int, sends: int = 30) -> dict:
    """A KDS page in Chromium: time to show its open tickets, and a new ticket after a send."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    tablet = Tablet(port)
    _s, menu, _h = tablet.request("GET", "/api/v1/menu")
    lines = order_lines(menu)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(base + "/signin")
        page.evaluate("""() => fetch("/api/v1/session", {method: "POST",
            headers: {"Content-Type": "application/json"}, body: '{"pin": "7777"}'})""")
        expected = page.evaluate("""async () => (await (await fetch("/api/v1/kitchen/expo"))
            .json()).tickets.filter((t) => t.status !== "bumped").length""")
        began = time.perf_counter()  # expo: every station's open tickets on one screen
        page.goto(base + "/kitchen/expo")
        if expected:
            page.wait_for_function(
                f"document.querySelectorAll('[data-ticket-id]').length >= {expected}")
        else:
            page.wait_for_load_state("networkidle")
        load_ms = (time.perf_counter() - began) * 1000
        shown = page.evaluate("document.querySelectorAll('[data-ticket-id]').length")
        page.goto(base + "/kitchen/grill")
        page.wait_for_function("document.readyState === 'complete'")
        time.sleep(1.0)  # connected
        page.evaluate("""() => { window.benchSeen = {};
            new MutationObserver(() => document.querySelectorAll('[data-check-id]').forEach(
              (card) => { window.benchSeen[card.dataset.checkId] ??= Date.now(); }))
            .observe(document.body, {childList: true, subtree: true}); }""")
        latencies = []
        for _ in range(sends):
            _s, check, _h = tablet.request("POST", "/api/v1/checks", {
                "kind": "bar_tab", "name": "Browser", "client_id": str(uuid.uuid4())})
            sent_at = time.time() * 1000
            tablet.request("POST", f"/api/v1/checks/{check['id']}/send", {
                "client_id": str(uuid.uuid4()), "version": check["version"], "lines": lines})
            page.wait_for_function(f"window.benchSeen['{check['id']}'] !== undefined")
            latencies.append(page.evaluate(f"window.benchSeen['{check['id']}']") - sent_at)
            time.sleep(0.05)
        browser.close()
    return {"load_ms": load_ms, "shown": shown, "p50": statistics.median(latencies),
            "p99": percentile(latencies, 0.99)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--screens", type=int, default=8)
    parser.add_argument("--history", type=int, default=5000)
    parser.add_argument("--open", type=int, default=500)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="masa-bench-"))
    os.environ.pop("MASA_DATABASE_URL", None)
    print(f"Masa kitchen benchmark — SQLite, {os.cpu_count()} cores, python app.py; "
          f"{args.rate:.0f} sends/s for {args.seconds:.0f} s, {args.screens} KDS clients\n")
    try:
        for history in (0, args.history):
            instance = workdir / f"instance-{history}"
            server = Server(instance, free_port(), workdir / f"server-{history}.log")
            server.start()
            if history:
                server.stop()
                began = time.perf_counter()
                load_history(instance, history, args.open)
                print(f"loaded {history} tickets ({args.open} open) in "
                      f"{time.perf_counter() - began:.0f} s")
                server.start()
            if args.browser:  # first, while the screens hold just the history's open tickets
                page = browser_figures(server.port)
                print(f"  KDS page in Chromium: expo shows its {page['shown']} open tickets in "
                      f"{page['load_ms']:.0f} ms; send → on the grill screen p50 "
                      f"{page['p50']:.0f} ms  p99 {page['p99']:.0f} ms")
            figures = run(server.port, args.screens, args.rate, args.seconds)
            print(f"  history {history:>5} tickets: {figures['sends']} sends, "
                  f"{figures['delivered']}/{figures['expected']} tickets delivered, "
                  f"{figures['tickets_per_s']:.0f} tickets/s to screens\n"
                  f"    tap Send → on every KDS   p50 {figures['p50']:5.1f} ms  "
                  f"p99 {figures['p99']:5.1f} ms\n"
                  f"    send answered → on KDS    p50 {figures['event_p50']:5.1f} ms  "
                  f"p99 {figures['event_p99']:5.1f} ms  (the event's own delay)")
            server.stop()
        print("\ntargets: event p99 < 10 ms; KDS page shows a new ticket < 100 ms (p99); "
              "loads 500 open tickets < 200 ms")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
