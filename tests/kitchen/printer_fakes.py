"""Stand-ins for ticket printers: a real TCP listener for a network printer and a
pseudo-terminal for a serial one. Both keep every byte they receive and answer the
ESC/POS real-time status query ``DLE EOT n`` as a printer does.

Status bytes, as python-escpos reads them (``is_online``: online when bit 3 is clear;
``paper_status``: 0x72 set = no paper, 0x1E set = near end, 0x12 set = paper OK):
0x12 is "online, paper OK", the fixed bits 1 and 4 a real printer sends.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
from datetime import timedelta
from typing import Any

from pos.core.db import Database, utcnow
from pos.devices.models import Printer, PrintJob, PrintJobStatus

DLE_EOT = b"\x10\x04"
STATUS_OK = 0x12
STATUS_OFFLINE = 0x1A  # bit 3: offline (cover open, error)
PAPER_OUT = 0x72
PAPER_NEAR_END = 0x1E
CUT = b"\x1dV"  # GS V: the cut python-escpos sends


class _StatusAnswerer:
    """Finds ``DLE EOT n`` in a byte stream (split anywhere) and says what to answer."""

    def __init__(self, owner: Any) -> None:
        self.owner = owner
        self.data = bytearray()
        self.scanned = 0

    def feed(self, chunk: bytes) -> bytes:
        self.data.extend(chunk)
        replies = bytearray()
        while True:
            at = self.data.find(DLE_EOT, self.scanned)
            if at < 0:  # a DLE at the very end may be the start of the next query
                self.scanned = max(self.scanned, len(self.data) - 1)
                return bytes(replies)
            if at + 2 >= len(self.data):
                self.scanned = at
                return bytes(replies)
            n = self.data[at + 2]
            self.scanned = at + 3
            if self.owner.answer_status:
                replies.append(self.owner.paper if n == 4 else self.owner.status)


def ticket_bytes(data: bytes) -> bytes:
    """What was printed: the bytes without the status queries."""
    return data.replace(DLE_EOT + b"\x01", b"").replace(DLE_EOT + b"\x04", b"")


class FakeNetworkPrinter:
    """A raw-TCP (port 9100 style) printer on 127.0.0.1. ``stop()`` refuses connections
    like a switched-off printer; ``start()`` brings it back on the same port."""

    def __init__(self, name: str = "printer") -> None:
        self.name = name
        self.port = 0
        self.status, self.paper, self.answer_status = STATUS_OK, STATUS_OK, True
        self.connections: list[bytearray] = []
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> FakeNetworkPrinter:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(8)
        self.port = server.getsockname()[1]
        self._server = server
        thread = threading.Thread(target=self._accept, args=(server,), daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            server.close()
        with self._lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self._open.clear()
        for thread in self._threads:
            thread.join(5)
        self._threads.clear()

    @property
    def tickets(self) -> list[bytes]:
        """One entry per connection that printed something (status probes left out)."""
        with self._lock:
            printed = [ticket_bytes(bytes(data)) for data in self.connections]
        return [data for data in printed if data]

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            data = bytearray()
            with self._lock:
                self.connections.append(data)
                self._open.append(connection)
            thread = threading.Thread(target=self._serve, args=(connection, data), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, connection: socket.socket, data: bytearray) -> None:
        answerer = _StatusAnswerer(self)
        with contextlib.suppress(OSError), connection:
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                with self._lock:
                    data.extend(chunk)
                reply = answerer.feed(chunk)
                if reply:
                    connection.sendall(reply)


class FakeSerialPrinter:
    """A serial printer on a pseudo-terminal: the worker opens ``device``, the fake
    reads the other (master) end. The fake keeps the device end open too, so a
    worker closing it does not end the terminal."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        self.device = os.ttyname(self._slave)
        self.status, self.paper, self.answer_status = STATUS_OK, STATUS_OK, True
        self.received = bytearray()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    @property
    def printed(self) -> bytes:
        return ticket_bytes(bytes(self.received))

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(5)
        os.close(self.master)
        os.close(self._slave)

    def _read(self) -> None:
        answerer = _StatusAnswerer(self)
        while not self._stopped.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            self.received.extend(chunk)
            reply = answerer.feed(chunk)
            if reply:
                os.write(self.master, reply)


def wait_for(condition: Any, timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"condition not met within {timeout} s")


# --- rows -------------------------------------------------------------------------------

def ticket_document(ticket_id: int = 1042, table: str | None = "12", **changes: Any
                    ) -> dict[str, Any]:
    """A print job's document as a send writes it (``ticket_payload()`` plus ``kind``)."""
    document: dict[str, Any] = {
        "id": ticket_id, "check_id": 7, "station": "grill", "status": "fired", "rush": False,
        "kind": "ticket",
        "course": {"id": 3, "code": "mains", "names": {"ro": "Fel principal", "en": "Mains"},
                   "position": 3},
        "table": table, "check_name": None, "guests": 4, "server": "Ana Popescu",
        "created_at": "2025-03-14T18:30:05+00:00", "fired_at": "2025-03-14T18:31:40+00:00",
        "bumped_at": None,
        "lines": [
            {"line_id": 11, "names": {"ro": "Antricot de vită (300 g)",
                                      "en": "Rib-eye steak (300 g)"},
             "quantity": 2, "seat": 1, "note": "fără sare", "allergens": [],
             "modifiers": [{"ro": "În sânge", "en": "Medium rare"},
                           {"ro": "Cartofi prăjiți", "en": "French fries"}],
             "status": "sent", "done": False},
            {"line_id": 12, "names": {"ro": "Ciorbă de perișoare",
                                      "en": "Sour soup with meatballs"},
             "quantity": 1, "seat": 2, "note": None, "allergens": ["gluten", "eggs", "celery"],
             "modifiers": [], "status": "sent", "done": False},
        ],
    }
    document.update(changes)
    return document


def add_printer(db: Database, name: str, kind: str, address: str, **fields: Any) -> int:
    with db.transaction() as session:
        printer = Printer(name=name, kind=kind, address=address, **fields)
        session.add(printer)
        session.flush()
        return printer.id


def queue_job(db: Database, printer_id: int, document: dict[str, Any] | None = None,
              kind: str = "ticket", **fields: Any) -> int:
    """A queued job, due a second ago (as if a send had just committed it)."""
    with db.transaction() as session:
        fields = {"status": PrintJobStatus.QUEUED,
                  "next_attempt_at": utcnow() - timedelta(seconds=1), **fields}
        job = PrintJob(printer_id=printer_id, kind=kind,
                       document=document or ticket_document(), **fields)
        session.add(job)
        session.flush()
        return job.id
