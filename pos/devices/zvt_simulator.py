"""A ZVT card terminal that lives in this process: on a pseudo-terminal (the driver opens
the device path with pyserial) or on TCP 127.0.0.1. The demo and the tests use it.

It keeps its own framing, CRC and BCD code and imports nothing from the driver: a
mistake shared by both would otherwise pass every test. Both are checked against the
specification's example telegrams instead.

Each money command takes the next scripted step (``next``), or is approved:

- ``approve``: approved (``tip`` adds what a guest keyed in on the terminal);
- ``decline``: declined with result code ``code``;
- ``partial``: approves ``amount``, less than asked;
- ``timeout``: never answers the command;
- ``hang``: sends intermediate status for ever, until the cash register aborts;
- ``drop``: charges, then drops the line (TCP: closes it; serial: falls silent) before
  the result goes out; a later Repeat Receipt (06 20) returns that charge. With
  ``stay_offline`` it then answers nothing until ``back_online()``.

``silent`` makes it read every command and answer none (a terminal stuck on a screen).

``charges`` records what the terminal booked, so a test can say "charged exactly once".

    python -m pos.devices.zvt_simulator --tcp 20007
    python -m pos.devices.zvt_simulator --pty
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import signal
import socket
import threading
import time
import tty
from collections import deque
from dataclasses import dataclass
from datetime import datetime

_DLE, _STX, _ETX, _ACK, _NAK = 0x10, 0x02, 0x03, 0x06, 0x15
OUTCOMES = ("approve", "decline", "partial", "timeout", "hang", "drop")
TEST_PAN = "EEEEEEEEEEEE4111"  # what a terminal sends: a masked card number, 'E' per hidden digit
NO_RECEIPT = 0x83  # "function not possible": no stored transaction to repeat


def _crc_table() -> list[int]:
    table = []
    for index in range(256):
        value = index
        for _ in range(8):
            value = (value >> 1) ^ 0x8408 if value & 1 else value >> 1
        table.append(value)
    return table


_TABLE = _crc_table()


def checksum(data: bytes) -> int:
    """CRC-CCITT of ZVT (reflected polynomial 0x8408, start 0), table-driven."""
    value = 0
    for byte in data:
        value = (value >> 8) ^ _TABLE[(value ^ byte) & 0xFF]
    return value


def wrap(message: bytes) -> bytes:
    """A message as the terminal sends it on a serial line."""
    stuffed = bytearray()
    for byte in message:
        stuffed.append(byte)
        if byte == _DLE:
            stuffed.append(_DLE)
    value = checksum(message + b"\x03")
    return b"\x10\x02" + bytes(stuffed) + b"\x10\x03" + value.to_bytes(2, "little")


def message(cls: int, instr: int, data: bytes = b"") -> bytes:
    size = len(data)
    header = bytes([cls, instr, size]) if size < 255 else bytes([cls, instr, 255]) + \
        size.to_bytes(2, "little")
    return header + data


def packed(value: int, width: int) -> bytes:
    text = str(value).rjust(width * 2, "0")
    return bytes(int(text[i:i + 2], 16) for i in range(0, len(text), 2))


def unpacked(raw: bytes) -> int:
    return int("".join(f"{b:02x}" for b in raw) or "0")


_FIELD_SIZES = {0x04: 6, 0x0B: 3, 0x19: 1, 0x49: 2, 0x87: 2, 0x03: 1, 0x01: 1, 0x02: 1}


def fields(data: bytes) -> dict[int, bytes]:
    """The fixed-length fields a cash register sends in its commands."""
    found, at = {}, 0
    while at < len(data) and data[at] in _FIELD_SIZES:
        size = _FIELD_SIZES[data[at]]
        found[data[at]] = data[at + 1:at + 1 + size]
        at += 1 + size
    return found


@dataclass
class Step:
    outcome: str = "approve"
    amount: int | None = None  # partial: what is approved
    tip: int = 0  # approve: a tip keyed in on the terminal
    code: int = 0x05  # decline: the result code
    pan: str = TEST_PAN  # what the terminal sends as the card number
    stay_offline: bool = False  # drop: answer nothing until back_online()


@dataclass
class Charge:
    kind: str  # authorisation, pre_authorisation, book_total, release, refund, reversal
    amount: int
    trace_no: int
    receipt_no: int
    reversed: bool = False
    ended: bool = False  # a pre-authorisation booked or released: it holds nothing more


class _Gone(Exception):
    """The cash register left (connection closed) or the simulator stops."""


class _TcpSide:
    def __init__(self, connection: socket.socket, stopped: threading.Event) -> None:
        self.connection, self.stopped = connection, stopped

    def _read(self, size: int, deadline: float | None) -> bytes:
        data = b""
        while len(data) < size:
            if self.stopped.is_set() or (deadline is not None and time.monotonic() > deadline):
                raise _Gone("time-out")
            self.connection.settimeout(0.1)
            try:
                chunk = self.connection.recv(size - len(data))
            except TimeoutError:
                continue
            except OSError as error:
                raise _Gone(str(error)) from error
            if not chunk:
                raise _Gone("closed")
            data += chunk
        return data

    def receive(self, deadline: float | None = None) -> bytes:
        head = self._read(3, deadline)
        size = head[2]
        extra = b""
        if size == 255:
            extra = self._read(2, deadline)
            size = int.from_bytes(extra, "little")
        return head + extra + self._read(size, deadline)

    def send(self, data: bytes) -> None:
        try:
            self.connection.sendall(data)
        except OSError as error:
            raise _Gone(str(error)) from error

    def drop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        self.connection.close()


class _SerialSide:
    def __init__(self, master: int, stopped: threading.Event, owner: TerminalSimulator) -> None:
        self.master, self.stopped, self.owner = master, stopped, owner
        self.pending = bytearray()

    def _byte(self, deadline: float | None) -> int:
        while not self.pending:
            if self.stopped.is_set() or (deadline is not None and time.monotonic() > deadline):
                raise _Gone("time-out")
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.pending.extend(os.read(self.master, 4096))
                except OSError as error:
                    raise _Gone(str(error)) from error
        return self.pending.pop(0)

    def receive(self, deadline: float | None = None) -> bytes:
        while True:
            last = None
            while True:  # find DLE STX
                byte = self._byte(deadline)
                if last == _DLE and byte == _STX:
                    break
                last = byte
            body = bytearray()
            broken = False
            while True:
                byte = self._byte(deadline)
                if byte == _DLE:
                    byte = self._byte(deadline)
                    if byte == _ETX:
                        break
                    if byte != _DLE:
                        broken = True
                        break
                body.append(byte)
            if broken:
                os.write(self.master, bytes([_NAK]))
                continue
            received = self._byte(deadline) | self._byte(deadline) << 8
            if self.owner.offline:
                continue  # an offline terminal does not even acknowledge
            if received != checksum(bytes(body) + b"\x03"):
                os.write(self.master, bytes([_NAK]))
                continue
            os.write(self.master, bytes([_ACK]))
            return bytes(body)

    def send(self, data: bytes) -> None:
        for _ in range(3):
            os.write(self.master, wrap(data))
            deadline = time.monotonic() + 2.0
            while True:
                byte = self._byte(deadline)
                if byte in (_ACK, _NAK):
                    break
            if byte == _ACK:
                return
        raise _Gone("NAK three times")

    def drop(self) -> None:
        """A serial line cannot be unplugged from here: the terminal just falls silent."""


class TerminalSimulator:
    def __init__(self, terminal_id: str = "52000123", *, currency: int = 946,
                 status_interval: float = 0.05, answer_timeout: float = 5.0) -> None:
        self.terminal_id = terminal_id
        self.currency = currency
        self.status_interval = status_interval
        self.answer_timeout = answer_timeout
        self.charges: list[Charge] = []
        self.commands: list[bytes] = []  # every APDU received, in order
        self.offline = False
        self.silent = False
        self._script: deque[Step] = deque()
        self._trace = 1000
        self._receipt = 0
        self._last: Charge | None = None
        self._lock = threading.RLock()
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: socket.socket | None = None
        self._fds: list[int] = []
        self.port = 0
        self.device = ""

    # --- scripting -------------------------------------------------------------------------

    def next(self, outcome: str, **options: object) -> TerminalSimulator:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}: one of {', '.join(OUTCOMES)}")
        self._script.append(Step(outcome, **options))  # type: ignore[arg-type]
        return self

    def back_online(self) -> None:
        self.offline = False

    def charged(self, kind: str = "authorisation") -> list[Charge]:
        return [c for c in self.charges if c.kind == kind and not c.reversed]

    # --- serving -----------------------------------------------------------------------------

    def serve_tcp(self, port: int = 0, host: str = "127.0.0.1") -> int:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen(4)
        server.settimeout(0.1)
        self._server, self.port = server, server.getsockname()[1]
        self._start(self._accept, server)
        return self.port

    def serve_pty(self) -> str:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no line editing, whoever opens it
        self._fds += [master, slave]
        self.device = os.ttyname(slave)
        self._start(self._serve_serial, master)
        return self.device

    def stop(self) -> None:
        self._stopped.set()
        for thread in self._threads:
            thread.join(5)
        if self._server is not None:
            self._server.close()
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> TerminalSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _start(self, target, *args) -> None:  # type: ignore[no-untyped-def]
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _accept(self, server: socket.socket) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.offline:
                connection.close()
                continue
            self._start(self._serve, _TcpSide(connection, self._stopped))

    def _serve_serial(self, master: int) -> None:
        self._serve(_SerialSide(master, self._stopped, self))

    def _serve(self, side: _TcpSide | _SerialSide) -> None:
        """One TCP connection, or the serial line for as long as the simulator runs (a
        serial line outlives every exchange that went wrong on it)."""
        while not self._stopped.is_set():
            try:
                received = side.receive()
                self.commands.append(received)
                with self._lock:
                    self._command(side, received)
            except _Gone:
                if isinstance(side, _TcpSide):
                    side.drop()
                    return

    # --- the protocol ------------------------------------------------------------------------

    def _answered(self, side: _TcpSide | _SerialSide) -> bytes:
        """The cash register's answer to a message the terminal sent as master."""
        return side.receive(time.monotonic() + self.answer_timeout)

    def _tell(self, side: _TcpSide | _SerialSide, data: bytes) -> bytes:
        side.send(data)
        return self._answered(side)

    def _command(self, side: _TcpSide | _SerialSide, received: bytes) -> None:
        cls, instr = received[0], received[1]
        data = received[5:] if received[2] == 255 else received[3:]
        if self.offline:
            side.drop()
            raise _Gone("offline")
        if self.silent:
            return
        ok = message(0x80, 0x00)
        if (cls, instr) == (0x06, 0x00):  # registration
            side.send(ok)
            self._tell(side, message(0x06, 0x0F, b"\x19\x00\x29" + packed(int(self.terminal_id), 4)
                                     + b"\x49" + packed(self.currency, 2)))
        elif (cls, instr) == (0x05, 0x01):  # status enquiry
            side.send(ok)
            version = b"MASA-SIM"
            self._tell(side, message(0x06, 0x0F, bytes([0xF0, 0xF0, 0xF0 | len(version)])
                                     + version + b"\x00"))
        elif (cls, instr) == (0x06, 0xB0):  # abort, nothing running
            side.send(ok)
        elif (cls, instr) == (0x06, 0x20):  # repeat receipt
            side.send(ok)
            if self._last is None:
                self._tell(side, message(0x06, 0x1E, bytes([NO_RECEIPT])))
                return
            self._tell(side, self._status(self._last, TEST_PAN))
            self._tell(side, message(0x06, 0x0F))
        elif (cls, instr) == (0x06, 0x50):  # end of day
            side.send(ok)
            total = sum(c.amount if c.kind != "refund" else -c.amount for c in self.charges
                        if c.kind in ("authorisation", "book_total", "refund") and not c.reversed)
            self._tell(side, message(0x04, 0x0F, b"\x27\x00\x04" + packed(max(total, 0), 6)
                                     + b"\x29" + packed(int(self.terminal_id), 4)))
            self._tell(side, message(0x06, 0x0F))
        elif (cls, instr) in ((0x06, 0x01), (0x06, 0x22), (0x06, 0x24), (0x06, 0x25),
                              (0x06, 0x30), (0x06, 0x31)):
            self._money(side, instr, data)
        else:
            side.send(message(0x84, 0x83, b""))  # function not possible

    def _money(self, side: _TcpSide | _SerialSide, instr: int, data: bytes) -> None:
        step = self._script.popleft() if self._script else Step()
        if step.outcome == "timeout":
            return
        side.send(message(0x80, 0x00))
        if step.outcome == "hang":
            while True:
                answer = self._tell(side, message(0x04, 0xFF, b"\x0A"))  # "insert card"
                if answer[:2] == b"\x06\xB0":
                    self._tell(side, message(0x06, 0x1E, b"\x6C"))
                    return
                time.sleep(self.status_interval)
        if step.outcome == "decline":
            self._decline(side, step.code)
            return
        kind, amount, original = self._what(instr, data)
        if kind in ("reversal", "book_total", "release") and original is None:
            self._decline(side, 0xB5 if kind == "reversal" else 0xB8)
            return
        if step.outcome == "partial":
            amount = step.amount if step.amount is not None else amount // 2
        elif kind == "authorisation":
            amount += step.tip
        if kind == "reversal":
            original.reversed = True
            amount = original.amount
        elif kind in ("book_total", "release"):
            original.ended = True
            amount = original.amount if kind == "release" else amount
        self._trace += 1
        self._receipt = self._receipt % 9999 + 1
        charge = Charge(kind, amount, self._trace, self._receipt)
        self.charges.append(charge)
        self._last = charge
        if step.outcome == "drop":
            self.offline = step.stay_offline
            side.drop()
            raise _Gone("dropped after charging")
        self._tell(side, message(0x04, 0xFF, b"\x17"))  # "please wait"
        self._tell(side, self._status(charge, step.pan))
        self._tell(side, message(0x06, 0x0F))

    def _what(self, instr: int, data: bytes) -> tuple[str, int, Charge | None]:
        if instr in (0x30, 0x31):
            data = data[3:]  # the password
        given = fields(data)
        amount = unpacked(given[0x04]) if 0x04 in given else 0
        kind = {0x01: "authorisation", 0x22: "pre_authorisation", 0x24: "book_total",
                0x25: "release", 0x30: "reversal", 0x31: "refund"}[instr]
        original = None
        if 0x87 in given:
            receipt = unpacked(given[0x87])
            wanted = "pre_authorisation" if kind in ("book_total", "release") else None
            for charge in reversed(self.charges):
                if charge.receipt_no == receipt and not charge.reversed and (
                        wanted is None or (charge.kind == wanted and not charge.ended)):
                    original = charge
                    break
        return kind, amount, original

    def _decline(self, side: _TcpSide | _SerialSide, code: int) -> None:
        text = b"ABGELEHNT"
        self._tell(side, message(0x04, 0x0F, bytes([0x27, code]) + b"\x29"
                                 + packed(int(self.terminal_id), 4) + b"\x3C\xF0"
                                 + bytes([0xF0 | len(text) // 10, 0xF0 | len(text) % 10])
                                 + text))
        self._tell(side, message(0x06, 0x1E, bytes([code])))

    def _status(self, charge: Charge, pan: str) -> bytes:
        now = datetime.now()
        digits = pan if len(pan) % 2 == 0 else pan + "F"
        card = bytes.fromhex(digits)
        size = str(len(card)).rjust(2, "0")
        name = b"MASTERCARD"
        return message(0x04, 0x0F, b"".join([
            b"\x27\x00",
            b"\x04" + packed(charge.amount, 6),
            b"\x0B" + packed(charge.trace_no, 3),
            b"\x0C" + packed(int(now.strftime("%H%M%S")), 3),
            b"\x0D" + packed(int(now.strftime("%m%d")), 2),
            b"\x22" + bytes([0xF0 | int(size[0]), 0xF0 | int(size[1])]) + card,
            b"\x29" + packed(int(self.terminal_id), 4),
            b"\x3B" + f"{charge.trace_no:06d}".encode() + b"\x00\x00",
            b"\x49" + packed(self.currency, 2),
            b"\x87" + packed(charge.receipt_no, 2),
            b"\x8A\x06",
            b"\x8B" + bytes([0xF0 | len(name) // 10, 0xF0 | len(name) % 10]) + name,
        ]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A ZVT card terminal simulator.")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--tcp", type=int, metavar="PORT", help="serve TCP on 127.0.0.1:PORT")
    where.add_argument("--pty", action="store_true", help="serve on a new pseudo-terminal")
    parser.add_argument("--script", default="",
                        help=f"comma-separated outcomes for the next transactions "
                             f"({', '.join(OUTCOMES)}); then everything is approved")
    args = parser.parse_args(argv)
    simulator = TerminalSimulator()
    for outcome in filter(None, args.script.split(",")):
        simulator.next(outcome.strip())
    if args.pty:
        print(f"ZVT terminal simulator on {simulator.serve_pty()}", flush=True)
    else:
        print(f"ZVT terminal simulator on 127.0.0.1:{simulator.serve_tcp(args.tcp)}", flush=True)
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
