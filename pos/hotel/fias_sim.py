"""A hotel PMS that speaks FIAS on TCP 127.0.0.1, for the tests and the demo: it keeps
guests and folios and answers a POS the way Opera's FIAS interface would.

It has its own framing and record code and imports nothing from the client
(``pos.hotel.fias``): a misreading of the specification shared by both would otherwise
pass every test. Both are checked against records written out as the specification
shows them instead.

What it does with what the POS sends:

- LS → LS; the POS's LA after its LD/LR → LA (the link is up); every later LA → LA;
- DR → DS, one GI per in-house guest, DE;
- PR with PI → PL of the guests in that room or whose name holds the text (several
  guests with ``^`` between the entries of each field), or PA NG when there is none;
- PR without PI, a posting → PA. The guest must be in house in that room (NG, CO),
  and may not be barred from charges (NP); an accepted posting is booked on the guest's
  folio. A P# it has already booked is answered OK again and not booked twice.

Scripting: ``next_answer(status, text)`` for the next postings, ``go_silent()`` (reads,
answers nothing) and ``speak_again()``, ``drop_after_request()`` (book the next posting,
then close the connection before the PA), ``send_raw(bytes)`` for any bytes at all.

    python -m pos.hotel.fias_sim --port 5010 --guest 101:4711:Popescu
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import signal
import socket
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

log = logging.getLogger(__name__)

_FRAME = re.compile(rb"\x02([^\x02\x03]*)\x03")
_FIELD_ID = re.compile(r"[A-Z0-9#]{2}")
CODEPAGE = "cp1252"


def record(kind: str, *pairs: tuple[str, object]) -> bytes:
    """A framed record: STX, type, ``|``, each field id with its value and ``|``, ETX."""
    body = kind + "|" + "".join(f"{key}{value}|" for key, value in pairs if value is not None)
    return b"\x02" + body.encode(CODEPAGE, errors="replace") + b"\x03"


def read_record(payload: bytes) -> tuple[str, dict[str, str]]:
    """The type and fields of a record (STX/ETX already gone); ``ValueError`` when the
    payload is not a record."""
    text = payload.decode(CODEPAGE, errors="replace")
    pieces = text.split("|")
    kind = pieces[0]
    if len(pieces) < 2 or not re.fullmatch(r"[A-Z]{2}", kind) or pieces[-1] != "":
        raise ValueError(f"not a FIAS record: {text[:40]!r}")
    fields: dict[str, str] = {}
    for piece in pieces[1:-1]:
        if not _FIELD_ID.fullmatch(piece[:2]):
            raise ValueError(f"bad field {piece!r}")
        fields.setdefault(piece[:2], piece[2:])
    return kind, fields


def take_frames(buffer: bytearray) -> list[bytes]:
    """Cut the whole frames out of ``buffer``; a partial one stays for the next read."""
    payloads = []
    consumed = 0
    for match in _FRAME.finditer(buffer):
        payloads.append(match.group(1))
        consumed = match.end()
    del buffer[:consumed]
    partial = buffer.rfind(b"\x02")
    del buffer[:partial if partial >= 0 else len(buffer)]
    return payloads


def _now_fields() -> tuple[tuple[str, str], tuple[str, str]]:
    now = datetime.now()
    return ("DA", now.strftime("%y%m%d")), ("TI", now.strftime("%H%M%S"))


def _yymmdd(day: date | None) -> str | None:
    return None if day is None else day.strftime("%y%m%d")


@dataclass
class Stay:
    room: str
    guest_number: str
    name: str
    first_name: str | None = None
    language: str | None = None
    arrival: date | None = None
    departure: date | None = None
    no_post: bool = False
    sharer: bool = False
    checked_out: bool = False


@dataclass(frozen=True)
class Charge:
    """A posting the PMS accepted onto a folio."""

    p_number: int
    room: str
    guest_number: str
    amount: int
    fields: dict[str, str] = field(default_factory=dict)


class PmsSimulator:
    def __init__(self) -> None:
        self.stays: dict[str, Stay] = {}
        self.charges: list[Charge] = []
        self.received: list[tuple[str, dict[str, str]]] = []
        self.connections = 0
        self._answers: deque[tuple[str, str | None]] = deque()
        self._silent = False
        self._drop_next = False
        self._linked = threading.Event()
        self._lock = threading.RLock()
        self._send_lock = threading.Lock()
        self._conn: socket.socket | None = None
        self._server: socket.socket | None = None
        self._stopped = threading.Event()
        self._changed = threading.Condition(self._lock)

    # --- running ---

    def serve(self, port: int = 0, host: str = "127.0.0.1") -> int:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen(4)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True,
                         name="fias-pms-accept").start()
        return server.getsockname()[1]

    def stop(self) -> None:
        self._stopped.set()
        for sock in (self._server, self._conn):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()

    def __enter__(self) -> PmsSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def linked(self) -> bool:
        return self._linked.is_set()

    def wait_linked(self, timeout: float) -> bool:
        return self._linked.wait(timeout)

    def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``condition()`` holds, looked at each time a record arrives."""
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    # --- the front desk ---

    def check_in(self, room: str, guest_number: str, name: str, *,
                 first_name: str | None = None, language: str | None = None,
                 arrival: date | None = None, departure: date | None = None,
                 no_post: bool = False, sharer: bool = False) -> None:
        stay = Stay(room, guest_number, name, first_name, language, arrival, departure,
                    no_post, sharer)
        with self._lock:
            self.stays[guest_number] = stay
        if self.linked:
            self._send(self._guest_record("GI", stay))

    def check_out(self, room: str, guest_number: str | None = None) -> None:
        with self._lock:
            leaving = [s for s in self.stays.values() if s.room == room and not s.checked_out
                       and guest_number in (None, s.guest_number)]
            for stay in leaving:
                stay.checked_out = True
        if self.linked:
            for stay in leaving:
                self._send(record("GO", ("RN", stay.room), ("G#", stay.guest_number),
                                  ("GS", "Y" if stay.sharer else "N"), *_now_fields()))

    def move(self, guest_number: str, new_room: str) -> None:
        """A room move: GC with the new room in RN and the old one in RO."""
        with self._lock:
            stay = self.stays[guest_number]
            old_room, stay.room = stay.room, new_room
        if self.linked:
            self._send(record("GC", ("RN", new_room), ("RO", old_room),
                              ("G#", guest_number), ("GN", stay.name), *_now_fields()))

    def folio(self, guest_number: str) -> list[Charge]:
        with self._lock:
            return [c for c in self.charges if c.guest_number == guest_number]

    def records_from_pos(self, kind: str) -> list[dict[str, str]]:
        with self._lock:
            return [fields for got, fields in self.received if got == kind]

    # --- scripting ---

    def next_answer(self, status: str, text: str | None = None) -> PmsSimulator:
        with self._lock:
            self._answers.append((status, text))
        return self

    def go_silent(self) -> None:
        self._silent = True

    def speak_again(self) -> None:
        self._silent = False

    def drop_after_request(self) -> None:
        self._drop_next = True

    def send_raw(self, data: bytes) -> None:
        self._send(data)

    def drop(self) -> None:
        conn = self._conn
        self._linked.clear()
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    # --- the line ---

    def _accept(self, server: socket.socket) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            self.drop()
            self.connections += 1
            self._conn = conn
            threading.Thread(target=self._serve, args=(conn,), daemon=True,
                             name="fias-pms-line").start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = bytearray()
        try:
            while not self._stopped.is_set():
                data = conn.recv(4096)
                if not data:
                    return
                buffer += data
                for payload in take_frames(buffer):
                    self._on_payload(conn, payload)
        except OSError:
            pass
        finally:
            if self._conn is conn:
                self._linked.clear()
                self._conn = None
            with contextlib.suppress(OSError):
                conn.close()

    def _send(self, data: bytes) -> None:
        conn = self._conn
        if conn is None:
            return
        with self._send_lock, contextlib.suppress(OSError):
            conn.sendall(data)

    def _on_payload(self, conn: socket.socket, payload: bytes) -> None:
        try:
            kind, fields = read_record(payload)
        except ValueError as error:
            log.warning("PMS simulator: %s", error)
            return
        with self._changed:
            self.received.append((kind, fields))
            self._changed.notify_all()
        if self._silent:
            return
        if kind == "LS":
            self._linked.clear()
            self._send(record("LS", *_now_fields()))
        elif kind == "LA":
            self._send(record("LA", *_now_fields()))
            self._linked.set()
        elif kind == "LE":
            self.drop()
        elif kind == "DR":
            self._resync()
        elif kind == "PR" and "PI" in fields:
            self._inquiry(fields)
        elif kind == "PR":
            self._posting(conn, fields)

    def _guest_record(self, kind: str, stay: Stay) -> bytes:
        return record(kind, ("RN", stay.room), ("G#", stay.guest_number), ("GN", stay.name),
                      ("GF", stay.first_name), ("GL", stay.language),
                      ("GA", _yymmdd(stay.arrival)), ("GD", _yymmdd(stay.departure)),
                      ("GS", "Y" if stay.sharer else "N"), ("NP", "Y" if stay.no_post else "N"),
                      *_now_fields())

    def _in_house(self) -> list[Stay]:
        with self._lock:
            return [s for s in self.stays.values() if not s.checked_out]

    def _resync(self) -> None:
        self._send(record("DS", *_now_fields()))
        for stay in self._in_house():
            self._send(self._guest_record("GI", stay))
        self._send(record("DE", *_now_fields()))

    def _inquiry(self, fields: dict[str, str]) -> None:
        wanted = fields["PI"].strip()
        found = [s for s in self._in_house()
                 if s.room == wanted or (wanted and wanted.lower() in s.name.lower())]
        echo = (("P#", fields.get("P#")), ("WS", fields.get("WS")))
        if not found:
            self._send(record("PA", ("AS", "NG"), *echo, ("CT", "No guest found"),
                              *_now_fields()))
            return
        self._send(record("PL", ("RN", "^".join(s.room for s in found)),
                          ("G#", "^".join(s.guest_number for s in found)),
                          ("GN", "^".join(s.name for s in found)), *echo, *_now_fields()))

    def _posting(self, conn: socket.socket, fields: dict[str, str]) -> None:
        try:
            p_number = int(fields["P#"])
            amount = int(fields["TA"])
        except (KeyError, ValueError):
            self._send(record("PA", ("AS", "UR"), ("P#", fields.get("P#")),
                              ("CT", "Posting without P# or TA"), *_now_fields()))
            return
        room, number = fields.get("RN", ""), fields.get("G#", "")
        with self._lock:
            if any(c.p_number == p_number for c in self.charges):
                status, text = "OK", "Posting already booked"
            else:
                status, text = self._answers.popleft() if self._answers else \
                    self._judge(room, number)
                if status == "OK":
                    self.charges.append(Charge(p_number, room, number, amount, dict(fields)))
            drop, self._drop_next = self._drop_next, False
        if drop:
            self.drop()
            return
        self._send(record("PA", ("AS", status), ("P#", fields["P#"]), ("RN", room),
                          ("G#", number or None), ("CT", text), ("WS", fields.get("WS")),
                          *_now_fields()))

    def _judge(self, room: str, guest_number: str) -> tuple[str, str]:
        stay = self.stays.get(guest_number)
        if stay is None or stay.room != room:
            return "NG", "Guest not found"
        if stay.checked_out:
            return "CO", "Guest checked out"
        if stay.no_post:
            return "NP", "No post flag set"
        return "OK", "Posting successful"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A hotel PMS speaking FIAS.")
    parser.add_argument("--port", type=int, default=0, help="serve TCP on 127.0.0.1:PORT")
    parser.add_argument("--guest", action="append", default=[], metavar="ROOM:G#:NAME",
                        help="an in-house guest (repeatable)")
    args = parser.parse_args(argv)
    simulator = PmsSimulator()
    for guest in args.guest:
        room, number, name = guest.split(":", 2)
        simulator.check_in(room, number, name)
    print(f"FIAS PMS simulator on 127.0.0.1:{simulator.serve(args.port)}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        while not done.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()


if __name__ == "__main__":
    main()
