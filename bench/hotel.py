"""Room charges (a benchmark: it prints figures).

Serves ``python app.py`` on a fresh SQLite instance with the demo venue and hotel. A waiter
sends a round; the cashier charges the whole check to room 101's guest (built-in folios).
Timed, for each of ``--checks`` checks in turn:

1. Pay → the answer: by then the bill is paid with the room tender and the stay's folio
   holds the itemised charge (one transaction);
2. Pay → the front desk's open folio hears the charge (the /desk "folio" event).

Then the same server linked to a PMS over FIAS (the simulator, in this process):
3. Pay → the PMS's answer (PA) has paid the check: another tablet hears the table turn
   "paid";
4. ``--queued`` postings written while the link is down, and the time from the PMS coming
   back until the last is answered, all in P# order.

Only 127.0.0.1 is contacted.

    python bench/hotel.py [--checks 300]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import socketio
from cashier import FloorTablet, a_round_to_pay, figures, plain_items, signed_in, table_ids
from common import HOST, ROOT, Server, free_port

sys.path.insert(0, str(ROOT))

WAITER_PIN, CASHIER_PIN, DESK_PIN = "1111", "6666", "8888"
ROOM, GUEST = "101", "Ion Popa"  # in house in the demo, no credit limit


class OpenFolio:
    """The front desk's screen on /desk: when each check's charge was heard."""

    def __init__(self, url: str, cookie: str) -> None:
        self.heard_at: list[float] = []
        self.heard = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("folio", self.on_folio, namespace="/desk")
        self.client.connect(url, headers={"Cookie": cookie}, auth={"last_event": None},
                            namespaces=["/desk"], transports=["websocket"], wait_timeout=10)

    def on_folio(self, message) -> None:
        with self.heard:
            self.heard_at.append(time.perf_counter())
            self.heard.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> float:
        with self.heard:
            self.heard.wait_for(lambda: len(self.heard_at) >= count, timeout)
            return self.heard_at[count - 1]


def charge_to_folio(url: str, count: int) -> tuple[list[float], list[float]]:
    waiter, cashier = signed_in(url, WAITER_PIN), signed_in(url, CASHIER_PIN)
    desk = OpenFolio(url, "session=" + signed_in(url, DESK_PIN).cookies["session"])
    tables, lines = table_ids(waiter, url), plain_items(waiter, url)
    answered, heard = [], []
    for number in range(count):
        table_id = tables[number % len(tables)]
        check, due = a_round_to_pay(waiter, cashier, url, table_id, lines)
        began = time.perf_counter()
        paid = cashier.post(url + f"/api/v1/checks/{check['id']}/payments", json={
            "client_id": str(uuid.uuid4()), "bill": 1, "tender": "room", "amount": due,
            "reference": ROOM, "guest_name": GUEST})
        answered.append(time.perf_counter() - began)
        assert paid.status_code == 201 and paid.json()["check_status"] == "paid", paid.text
        heard.append(desk.wait_for(number + 1) - began)
        waiter.post(url + f"/api/v1/tables/{table_id}/guests-left", json={})
        waiter.post(url + f"/api/v1/tables/{table_id}/clear", json={}).raise_for_status()
    desk.client.disconnect()
    return answered, heard


def charge_through_pms(url: str, count: int) -> list[float]:
    waiter, cashier = signed_in(url, WAITER_PIN), signed_in(url, CASHIER_PIN)
    tablet = FloorTablet(url, "session=" + signed_in(url, WAITER_PIN).cookies["session"])
    tables, lines = table_ids(waiter, url), plain_items(waiter, url)
    heard = []
    for number in range(count):
        table_id = tables[number % len(tables)]
        check, due = a_round_to_pay(waiter, cashier, url, table_id, lines)
        tablet.paid_at.pop(table_id, None)
        began = time.perf_counter()
        paid = cashier.post(url + f"/api/v1/checks/{check['id']}/payments", json={
            "client_id": str(uuid.uuid4()), "bill": 1, "tender": "room", "amount": due,
            "reference": ROOM, "guest_name": GUEST})
        assert paid.status_code == 201, paid.text
        heard.append(tablet.wait_paid(table_id) - began)
        waiter.post(url + f"/api/v1/tables/{table_id}/guests-left", json={})
        waiter.post(url + f"/api/v1/tables/{table_id}/clear", json={}).raise_for_status()
    tablet.client.disconnect()
    return heard


def queued_while_down(instance: Path, count: int) -> tuple[float, bool]:
    """In-process: ``count`` postings in the outbox while the PMS is away; the seconds from
    its return to the last answer, and whether they reached it in P# order."""
    from datetime import datetime

    from app import create_app
    from pos.hotel.fias import FiasClient, FiasPosting, FiasTimeouts
    from pos.hotel.fias_sim import PmsSimulator
    from pos.hotel.models import PmsPosting
    from pos.hotel.pms import DatabasePostingStore, new_posting_row

    app = create_app({"MASA_INSTANCE_PATH": str(instance), "INSTANCE_PATH": str(instance),
                      "MASA_PRINT_WORKER": False, "MASA_SESSION_SWEEPER": False})
    db = app.extensions["masa_db"]
    with db.transaction() as session:
        for n in range(count):
            session.add(new_posting_row(FiasPosting(
                room=ROOM, guest_number="G101", guest_name="Popa", total=1000 + n,
                at=datetime(2026, 12, 1, 20, 0)), payment_id=None))
    port = free_port()
    client = FiasClient("127.0.0.1", port, DatabasePostingStore(app), workstation="BENCH",
                        timeouts=FiasTimeouts(backoff_first=0.05, backoff_max=0.1))
    client.start()
    pms = PmsSimulator()
    pms.check_in(ROOM, "G101", "Popa", first_name="Ion")
    began = time.perf_counter()
    pms.serve(port)
    while True:
        with db.reading() as session:
            left = session.query(PmsPosting).filter(PmsPosting.status == "pending").count()
        if not left:
            break
        time.sleep(0.01)
    seconds = time.perf_counter() - began
    numbers = [c.p_number for c in pms.folio("G101")]
    client.stop()
    pms.stop()
    db.dispose()
    return seconds, numbers == sorted(numbers) and len(numbers) == count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--queued", type=int, default=1000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="masa-bench-"))
    print("Masa room-charge benchmark — SQLite, python app.py; whole checks charged to a room")
    try:
        server = Server(workdir / "service", free_port(), workdir / "service.log")
        server.start()
        try:
            answered, heard = charge_to_folio(f"http://{HOST}:{server.port}", args.checks)
        finally:
            server.stop()
        print(figures("Pay → on the folio (the answer):", answered))
        print(figures("Pay → the desk's open folio hears it:", heard))
        print("  target: p99 < 100 ms")
        from pos.hotel.fias_sim import PmsSimulator

        pms = PmsSimulator()
        pms.check_in(ROOM, "G101", "Popa", first_name="Ion")
        pms_port = pms.serve(0)
        linked = Server(workdir / "linked", free_port(), workdir / "linked.log",
                        MASA_PMS=f"127.0.0.1:{pms_port}")
        linked.start()
        try:
            through_pms = charge_through_pms(f"http://{HOST}:{linked.port}", args.checks)
        finally:
            linked.stop()
            pms.stop()
        print(figures("Pay → PMS answered, table paid (FIAS):", through_pms))
        print("  target: p99 < 100 ms")
        seconds, in_order = queued_while_down(workdir / "queued", args.queued)
        print(f"  {args.queued:,} postings queued while the link was down: all answered "
              f"{seconds:.2f} s after the PMS came back, {'in' if in_order else 'NOT in'} "
              f"P# order   (target < 10 s)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
