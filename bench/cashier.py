"""The cashier's speed (a benchmark: it prints figures).

Serves ``python app.py`` on a fresh SQLite instance with the demo venue. A waiter seats
a table and sends a round; the cashier pays the whole check in cash. Timed, for each of
``--checks`` checks in turn:

1. Pay → the answer: by then the payment, its bill, the check closed and the customer
   receipt queued for the till printer (a file printer here) are committed;
2. Pay → another tablet on /floor hears the table turn "paid".

Then, in-process on another instance, a business day of ``--day`` paid checks, and the
time the Z for that day takes (its totals built and stored). Only 127.0.0.1 is contacted.

    python bench/cashier.py [--checks 300] [--day 2000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import socketio
from common import HOST, ROOT, Server, free_port

sys.path.insert(0, str(ROOT))

WAITER_PIN, CASHIER_PIN, MANAGER_PIN = "1111", "6666", "9999"


def signed_in(url: str, pin: str) -> requests.Session:
    session = requests.Session()
    session.headers["Origin"] = url
    answer = session.post(url + "/api/v1/session", json={"pin": pin}, timeout=10)
    assert answer.status_code == 200, answer.text
    return session


def plain_items(session: requests.Session, url: str) -> list[dict]:
    """Four items needing no choice, as lines to send."""
    menu = session.get(url + "/api/v1/menu", timeout=10).json()
    plain = [i for i in menu["items"] if not i.get("modifier_groups")]
    return [{"item_id": item["id"]} for item in plain[:4]]


def table_ids(session: requests.Session, url: str) -> list[int]:
    floors = session.get(url + "/api/v1/floor", timeout=10).json()["floors"]
    return [table["id"] for floor in floors for table in floor["tables"]]


class FloorTablet:
    """Another tablet on /floor: when each table was last heard turning paid."""

    def __init__(self, url: str, cookie: str) -> None:
        self.paid_at: dict[int, float] = {}
        self.heard = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("table", self.on_table, namespace="/floor")
        self.client.connect(url, headers={"Cookie": cookie}, auth={"last_event": None},
                            namespaces=["/floor"], transports=["websocket"], wait_timeout=10)

    def on_table(self, message) -> None:
        data = message.get("data", message)
        if data.get("state") == "paid":
            with self.heard:
                self.paid_at[data["table_id"]] = time.perf_counter()
                self.heard.notify_all()

    def wait_paid(self, table_id: int, timeout: float = 5.0) -> float:
        with self.heard:
            self.heard.wait_for(lambda: table_id in self.paid_at, timeout)
            return self.paid_at.pop(table_id)


def a_round_to_pay(waiter, cashier, url: str, table_id: int, lines: list[dict]) -> tuple[dict, int]:
    """A table seated and its round sent: the check, and what is due on it."""
    check = waiter.post(url + "/api/v1/checks", json={
        "table_id": table_id, "guest_count": 2, "client_id": str(uuid.uuid4())}).json()
    waiter.post(url + f"/api/v1/checks/{check['id']}/send", json={
        "client_id": str(uuid.uuid4()), "version": check["version"],
        "lines": lines}).raise_for_status()
    return check, cashier.get(url + f"/api/v1/checks/{check['id']}/bills").json()["due"]


def pay_to_paid(url: str, count: int) -> tuple[list[float], list[float]]:
    waiter, cashier = signed_in(url, WAITER_PIN), signed_in(url, CASHIER_PIN)
    tablet = FloorTablet(url, "session=" + signed_in(url, WAITER_PIN).cookies["session"])
    tables, lines = table_ids(waiter, url), plain_items(waiter, url)
    answered, heard = [], []
    for number in range(count):
        table_id = tables[number % len(tables)]
        check, due = a_round_to_pay(waiter, cashier, url, table_id, lines)
        tablet.paid_at.pop(table_id, None)
        began = time.perf_counter()
        paid = cashier.post(url + f"/api/v1/checks/{check['id']}/payments", json={
            "client_id": str(uuid.uuid4()), "bill": 1, "tender": "cash", "amount": due})
        answered.append(time.perf_counter() - began)
        assert paid.status_code == 201 and paid.json()["check_status"] == "paid", paid.text
        heard.append(tablet.wait_paid(table_id) - began)
        waiter.post(url + f"/api/v1/tables/{table_id}/clear", json={}).raise_for_status()
    tablet.client.disconnect()
    return answered, heard


def give_the_till_a_printer(instance: Path, paper: Path) -> None:
    """The venue's receipt printer: a file printer (the receipts' bytes land in ``paper``)."""
    from app import create_app
    from pos.devices.models import Printer, PrinterKind
    from pos.venue.operations import get_venue

    app = create_app({"INSTANCE_PATH": str(instance), "MASA_PRINT_WORKER": False,
                      "MASA_SESSION_SWEEPER": False})
    db = app.extensions["masa_db"]
    with db.transaction() as session:
        till = Printer(name="Till", kind=PrinterKind.FILE, address=str(paper))
        session.add(till)
        session.flush()
        get_venue(session).receipt_printer_id = till.id
    db.dispose()


def receipts_queued(instance: Path) -> int:
    from app import create_app
    from pos.devices.models import PrintJob

    app = create_app({"INSTANCE_PATH": str(instance), "MASA_PRINT_WORKER": False,
                      "MASA_SESSION_SWEEPER": False})
    db = app.extensions["masa_db"]
    with db.reading() as session:
        count = session.query(PrintJob).filter(PrintJob.subject.like("bill:%")).count()
    db.dispose()
    return count


def z_for_a_day(instance: Path, checks: int) -> tuple[float, dict]:
    """``checks`` paid bar tabs in one business day, then the Z, in-process."""
    from app import create_app

    app = create_app({"INSTANCE_PATH": str(instance), "MASA_PRINT_WORKER": False,
                      "MASA_SESSION_SWEEPER": False})
    app.extensions["masa_db"].after_commit.clear()  # nobody is listening
    waiter, cashier, manager = (app.test_client() for _ in range(3))
    for client, pin in ((waiter, WAITER_PIN), (cashier, CASHIER_PIN), (manager, MANAGER_PIN)):
        client.post("/api/v1/session", json={"pin": pin})
    menu = waiter.get("/api/v1/menu").get_json()
    items = [i for i in menu["items"] if not i.get("modifier_groups")][:3]
    started = time.perf_counter()
    for number in range(checks):
        check = waiter.post("/api/v1/checks", json={"kind": "bar_tab", "name": f"T{number}",
                                                    "guest_count": 2}).get_json()
        waiter.post(f"/api/v1/checks/{check['id']}/send", json={
            "client_id": str(uuid.uuid4()), "version": check["version"],
            "lines": [{"item_id": i["id"]} for i in items]})
        due = cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json()["due"]
        tender = ("cash", "card", "voucher")[number % 3]
        tender = "cash" if tender == "card" else tender  # no terminal: cards are the suite's
        cashier.post(f"/api/v1/checks/{check['id']}/payments", json={
            "client_id": str(uuid.uuid4()), "bill": 1, "tender": tender, "amount": due,
            "tip": number % 7 * 100, "reference": f"V{number}"})
    print(f"  ({checks:,} checks paid in {time.perf_counter() - started:.0f} s)")
    began = time.perf_counter()
    answer = manager.post("/api/v1/reports/z", json={"client_id": str(uuid.uuid4())})
    seconds = time.perf_counter() - began
    assert answer.status_code in (200, 201), answer.get_json()
    app.extensions["masa_db"].dispose()
    return seconds, answer.get_json()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * fraction) - 1)]


def figures(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"  {label:<40} p50 {statistics.median(ms):6.1f} ms   p99 {percentile(ms, 0.99):6.1f} "
            f"ms   max {max(ms):6.1f} ms   ({len(ms)} checks)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--day", type=int, default=2000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="masa-bench-"))
    print("Masa cashier benchmark — SQLite, python app.py; cash payments of whole checks, "
          "a receipt each")
    try:
        server = Server(workdir / "service", free_port(), workdir / "service.log")
        server.start()  # the first start makes the demo venue
        server.stop()
        give_the_till_a_printer(workdir / "service", workdir / "till.bin")
        server.start()
        try:
            answered, heard = pay_to_paid(f"http://{HOST}:{server.port}", args.checks)
        finally:
            server.stop()
        print(f"  ({receipts_queued(workdir / 'service')} receipts queued for "
              f"{len(answered)} checks)")
        print(figures("Pay → receipt queued (the answer):", answered))
        print(figures("Pay → 'paid' heard on another tablet:", heard))
        print("  target: p99 < 100 ms")
        seconds, z = z_for_a_day(workdir / "day", args.day)
        print(f"  Z for a day of {args.day:,} checks: {seconds * 1000:.0f} ms   (target < 1 s)"
              f"   Z number {z.get('number')}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
