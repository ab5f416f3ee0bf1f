"""A ZVT card terminal driver (the open ECR–terminal protocol of the German terminal
makers' association: PA00P015 commands and bitmaps, PA00P016 transport), over a serial
line with pyserial or over TCP (port 20007).

Transport. On a serial line every APDU travels as ``DLE STX <apdu> DLE ETX <crc-lo>
<crc-hi>``; a DLE inside the APDU is sent twice; the CRC is CRC-CCITT (x^16 + x^12 +
x^5 + 1, bit-reflected, initial value 0) over the APDU and the ETX, low byte first; the
receiver answers each frame with ACK (06) or NAK (15) and a frame is repeated on NAK, at
most three sends. Over TCP an APDU goes as it is.

Application. The cash register (ECR) sends a command; the terminal (PT) confirms it with
``80 00 00`` and then, as master, sends intermediate status (04 FF), status information
(04 0F, the transaction's result), print lines, and ends with completion (06 0F) or abort
(06 1E); the ECR answers each with ``80 00 00``. A command the terminal refuses is
answered ``84 xx 00``.

Every wait has a deadline (``ZvtTimeouts``). A money request is written to the journal
before its first byte goes out; an answer that never came makes the attempt *unknown*,
and the driver then asks the terminal for its last transaction (Repeat Receipt, 06 20)
before it sends anything else: a card is never charged twice, nor charged unrecorded.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from pos.devices.terminals import (
    Attempt,
    AttemptJournal,
    AttemptState,
    Operation,
    Outcome,
    RecoveryPending,
    TerminalError,
    TerminalReport,
    TerminalResult,
    last_four,
    without_card_numbers,
)

DLE, STX, ETX, ACK, NAK = 0x10, 0x02, 0x03, 0x06, 0x15
DEFAULT_PORT = 20007
DEFAULT_BAUDRATE = 9600  # 8 data bits, no parity, 2 stop bits (PA00P016)
SEND_TRIES = 3  # a frame answered NAK is repeated, at most three sends in all

# Config byte of Registration: 0x08 the PT sends intermediate status, 0x10 no amount input
# on the PT, 0x20 no administration on the PT, 0x80 the ECR controls payment (PT prints
# its own receipts: no 0x02/0x04).
DEFAULT_CONFIG_BYTE = 0xB8

CURRENCY_CODES = {"RON": 946, "EUR": 978, "USD": 840, "GBP": 826, "CHF": 756, "HUF": 348,
                  "BGN": 975, "MDL": 498, "PLN": 985, "CZK": 203, "SEK": 752, "DKK": 208}

# ZVT card-type IDs (BMP 8A) as a name when the terminal sends no card name (BMP 8B).
CARD_TYPES = {0x05: "girocard", 0x06: "Mastercard", 0x0A: "Visa", 0x2E: "Maestro"}

RESULT_TEXTS = {
    0x05: "declined by the card issuer",
    0x64: "card not readable",
    0x6C: "aborted (time-out or abort key)",
    0x6F: "wrong currency",
    0x78: "card expired",
    0x9C: "please wait",
    0xB4: "already reversed",
    0xB5: "reversal not possible",
    0xC3: "maximum amount exceeded",
    0xFF: "system error",
}


# --- CRC and framing (PA00P016) ----------------------------------------------------------

def crc16(data: bytes) -> int:
    """CRC-CCITT as the ZVT transport protocol defines it: polynomial 0x1021 shifted LSB
    first (0x8408), initial value 0."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc


def frame(apdu: bytes) -> bytes:
    """One APDU as it goes over a serial line."""
    crc = crc16(apdu + bytes([ETX]))
    return (bytes([DLE, STX]) + apdu.replace(b"\x10", b"\x10\x10")
            + bytes([DLE, ETX, crc & 0xFF, crc >> 8]))


class FrameError(ValueError):
    """Bytes that are not a well-formed ZVT frame (or whose CRC does not match)."""


def read_frame(next_byte: Callable[[], int]) -> tuple[bytes, bool]:
    """Read one frame: skip to ``DLE STX``, undo the DLE doubling, read the CRC.

    Returns the APDU and whether its CRC matched. ``next_byte`` raises when the bytes
    run out (a time-out); a DLE followed by anything but DLE or ETX is a ``FrameError``.
    """
    previous = None
    while True:
        byte = next_byte()
        if previous == DLE and byte == STX:
            break
        previous = byte
    apdu = bytearray()
    while True:
        byte = next_byte()
        if byte != DLE:
            apdu.append(byte)
            continue
        following = next_byte()
        if following == DLE:
            apdu.append(DLE)
        elif following == ETX:
            break
        else:
            raise FrameError(f"DLE followed by {following:02X} inside a frame")
    low, high = next_byte(), next_byte()
    return bytes(apdu), crc16(bytes(apdu) + bytes([ETX])) == (low | high << 8)


def unframe(data: bytes) -> bytes:
    """The APDU in one whole frame; ``FrameError`` if it is cut short or its CRC is wrong."""
    stream = iter(data)

    def next_byte() -> int:
        try:
            return next(stream)
        except StopIteration:
            raise FrameError("frame cut short") from None

    apdu, crc_ok = read_frame(next_byte)
    if not crc_ok:
        raise FrameError("CRC mismatch")
    return apdu


# --- APDUs, BCD and bitmaps (PA00P015) ----------------------------------------------------

def apdu(cls: int, instr: int, data: bytes = b"") -> bytes:
    """Control field, length (one byte, or FF and two bytes low first), data."""
    if len(data) < 0xFF:
        return bytes([cls, instr, len(data)]) + data
    return bytes([cls, instr, 0xFF, len(data) & 0xFF, len(data) >> 8]) + data


def split_apdu(raw: bytes) -> tuple[int, int, bytes]:
    if len(raw) < 3:
        raise FrameError(f"APDU too short: {raw.hex(' ')}")
    length, start = raw[2], 3
    if length == 0xFF:
        if len(raw) < 5:
            raise FrameError("extended length cut short")
        length, start = raw[3] | raw[4] << 8, 5
    data = raw[start:start + length]
    if len(data) != length:
        raise FrameError(f"APDU says {length} bytes of data, has {len(data)}")
    return raw[0], raw[1], data


def bcd(number: int, size: int) -> bytes:
    digits = f"{number:0{size * 2}d}"
    if number < 0 or len(digits) != size * 2:
        raise ValueError(f"{number} does not fit {size} BCD bytes")
    return bytes.fromhex(digits)


def from_bcd(raw: bytes) -> int:
    return int(raw.hex() or "0")


def currency_number(currency: str | int) -> int:
    if isinstance(currency, int):
        return currency
    code = currency.strip().upper()
    if code.isdigit():
        return int(code)
    try:
        return CURRENCY_CODES[code]
    except KeyError:
        raise ValueError(f"no ISO 4217 number known for {currency!r}") from None


FIXED = {0x01: 1, 0x02: 1, 0x03: 1, 0x04: 6, 0x05: 1, 0x0B: 3, 0x0C: 3, 0x0D: 2, 0x0E: 2,
         0x17: 2, 0x19: 1, 0x27: 1, 0x29: 4, 0x2A: 15, 0x37: 3, 0x3A: 2, 0x3B: 8, 0x3D: 3,
         0x49: 2, 0x87: 2, 0x88: 3, 0x8A: 1, 0x8C: 1, 0xA0: 1, 0xAA: 3, 0xBA: 5, 0xD0: 1,
         0xD2: 1, 0xD3: 1, 0xE0: 1, 0xE9: 1, 0xEA: 1, 0xEB: 8, 0xF0: 1, 0xF9: 1, 0xFA: 1,
         0xFB: 1, 0xFC: 1}
LLVAR = {0x22, 0x23, 0x2D, 0x8B, 0xA7, 0xD1, *range(0xE1, 0xE9), *range(0xF1, 0xF9)}
LLLVAR = {0x24, 0x2E, 0x3C, 0x60, 0x92, 0x9A, 0xAF}
TLV = 0x06


def _var_length(data: bytes, at: int, digits: int) -> int:
    prefix = data[at:at + digits]
    if len(prefix) != digits or any(b >> 4 != 0xF or b & 0x0F > 9 for b in prefix):
        raise FrameError(f"bad length prefix {prefix.hex(' ')}")
    return int("".join(str(b & 0x0F) for b in prefix))


def parse_bitmaps(data: bytes) -> dict[int, bytes]:
    """BMP number → value (without its length prefix). An unknown BMP ends the parse:
    its length cannot be known, and what came before is still good."""
    fields: dict[int, bytes] = {}
    at = 0
    while at < len(data):
        tag = data[at]
        at += 1
        if tag in FIXED:
            size = FIXED[tag]
        elif tag in LLVAR or tag in LLLVAR:
            digits = 2 if tag in LLVAR else 3
            size = _var_length(data, at, digits)
            at += digits
        elif tag == TLV:
            first = data[at] if at < len(data) else 0
            if first < 0x80:
                size, at = first, at + 1
            else:
                count = first & 0x7F
                size, at = int.from_bytes(data[at + 1:at + 1 + count], "big"), at + 1 + count
        else:
            break
        value = data[at:at + size]
        if len(value) != size:
            raise FrameError(f"BMP {tag:02X} cut short")
        fields[tag] = value
        at += size
    return fields


def _text(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    text = raw.replace(b"\x00", b"").decode("cp437", errors="replace").strip()
    return text or None


@dataclass(frozen=True)
class StatusInformation:
    """The fields of a status information (04 0F) that Masa keeps. A card number is
    reduced to its last four digits here, as it is read."""

    result_code: int | None = None
    amount: int | None = None
    trace_no: int | None = None
    receipt_no: int | None = None
    turnover_no: int | None = None
    terminal_id: str | None = None
    currency: int | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    auth_code: str | None = None
    time: str | None = None  # HHMMSS
    date: str | None = None  # MMDD
    text: str | None = None


def parse_status_information(data: bytes) -> StatusInformation:
    bmp = parse_bitmaps(data)

    def number(tag: int) -> int | None:
        return from_bcd(bmp[tag]) if tag in bmp else None

    # 'E' marks a hidden digit, 'F' pads; some terminals send track-2 style data here,
    # where 'D' ends the card number.
    pan = bmp[0x22].hex().upper().rstrip("F").partition("D")[0] if 0x22 in bmp else None
    brand = _text(bmp.get(0x8B))
    if brand is None and 0x8A in bmp:
        brand = CARD_TYPES.get(bmp[0x8A][0])
    return StatusInformation(
        result_code=bmp[0x27][0] if 0x27 in bmp else None,
        amount=number(0x04), trace_no=number(0x0B), receipt_no=number(0x87),
        turnover_no=number(0x88),
        terminal_id=bmp[0x29].hex() if 0x29 in bmp else None,
        currency=number(0x49), card_brand=brand, card_last4=last_four(pan),
        auth_code=_text(bmp.get(0x3B)),
        time=bmp[0x0C].hex() if 0x0C in bmp else None,
        date=bmp[0x0D].hex() if 0x0D in bmp else None,
        text=without_card_numbers(_text(bmp.get(0x3C))),
    )


def parse_status_completion(data: bytes) -> tuple[str | None, int | None]:
    """Completion of a Status Enquiry: ``[<software version, LLLVAR>] <terminal status>``."""
    software = None
    if len(data) >= 3 and all(b >> 4 == 0xF for b in data[:3]):
        size = _var_length(data, 0, 3)
        software, data = _text(data[3:3 + size]), data[3 + size:]
    return software, (data[0] if data else None)


# --- commands (ECR → PT) -------------------------------------------------------------------

def registration(password: int, config_byte: int, currency: int) -> bytes:
    return apdu(0x06, 0x00, bcd(password, 3) + bytes([config_byte]) + bcd(currency, 2))


def authorisation(amount: int, currency: int) -> bytes:
    return apdu(0x06, 0x01, b"\x04" + bcd(amount, 6) + b"\x49" + bcd(currency, 2))


def pre_authorisation(amount: int, currency: int) -> bytes:
    return apdu(0x06, 0x22, b"\x04" + bcd(amount, 6) + b"\x49" + bcd(currency, 2))


def book_total(receipt_no: int, amount: int, trace_no: int | None = None) -> bytes:
    """Book Total (06 24): the final amount of a pre-authorisation, found by its receipt
    number (and trace number where the terminal wants it)."""
    data = b"\x87" + bcd(receipt_no, 2) + b"\x04" + bcd(amount, 6)
    if trace_no is not None:
        data += b"\x0B" + bcd(trace_no, 3)
    return apdu(0x06, 0x24, data)


def pre_authorisation_reversal(receipt_no: int, amount: int, trace_no: int | None = None
                               ) -> bytes:
    """Pre-Authorisation Reversal (06 25): release what a pre-authorisation holds, found
    as Book Total finds it (receipt number, trace number), the amount being what is held."""
    data = b"\x87" + bcd(receipt_no, 2) + b"\x04" + bcd(amount, 6)
    if trace_no is not None:
        data += b"\x0B" + bcd(trace_no, 3)
    return apdu(0x06, 0x25, data)


def reversal(password: int, receipt_no: int) -> bytes:
    return apdu(0x06, 0x30, bcd(password, 3) + b"\x87" + bcd(receipt_no, 2))


def refund(password: int, amount: int, currency: int) -> bytes:
    return apdu(0x06, 0x31, bcd(password, 3) + b"\x04" + bcd(amount, 6)
                + b"\x49" + bcd(currency, 2))


def end_of_day(password: int) -> bytes:
    return apdu(0x06, 0x50, bcd(password, 3))


def status_enquiry(password: int) -> bytes:
    return apdu(0x05, 0x01, bcd(password, 3))


def repeat_receipt(password: int) -> bytes:
    return apdu(0x06, 0x20, bcd(password, 3))


ABORT = apdu(0x06, 0xB0)
RECEIVED = apdu(0x80, 0x00)  # "80 00 00": the positive answer to every APDU


# --- links ---------------------------------------------------------------------------------

class _Silence(Exception):
    """The other side said nothing before the deadline."""


class _LineDropped(Exception):
    """The connection closed, or the line became unusable."""


class _Link(Protocol):
    def send(self, apdu: bytes, deadline: float) -> None: ...

    def receive(self, deadline: float) -> bytes: ...

    def close(self) -> None: ...


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Silence("time-out")
    return left


class TcpLink:
    """APDUs over TCP, as they are: no framing, no CRC, no ACK bytes."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as error:
            raise TerminalError(f"cannot reach the terminal at {host}:{port}: {error}") from error
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, apdu: bytes, deadline: float) -> None:
        try:
            self.sock.settimeout(_left(deadline))
            self.sock.sendall(apdu)
        except TimeoutError as error:
            raise _Silence("write time-out") from error
        except OSError as error:
            raise _LineDropped(str(error)) from error

    def _read(self, size: int, deadline: float) -> bytes:
        data = bytearray()
        while len(data) < size:
            try:
                self.sock.settimeout(_left(deadline))
                chunk = self.sock.recv(size - len(data))
            except TimeoutError as error:
                raise _Silence("no answer") from error
            except OSError as error:
                raise _LineDropped(str(error)) from error
            if not chunk:
                raise _LineDropped("the terminal closed the connection")
            data.extend(chunk)
        return bytes(data)

    def receive(self, deadline: float) -> bytes:
        head = self._read(3, deadline)
        length, extension = head[2], b""
        if length == 0xFF:
            extension = self._read(2, deadline)
            length = extension[0] | extension[1] << 8
        return head + extension + self._read(length, deadline)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class SerialLink:
    """Framed APDUs over a serial line (pyserial), each answered ACK or NAK."""

    def __init__(self, device: str, baudrate: int, timeouts: ZvtTimeouts) -> None:
        import serial

        self.timeouts = timeouts
        port = serial.Serial()
        port.port, port.baudrate = device, baudrate
        port.bytesize, port.parity, port.stopbits = (serial.EIGHTBITS, serial.PARITY_NONE,
                                                     serial.STOPBITS_TWO)
        port.xonxoff = port.rtscts = port.dsrdtr = False
        port.timeout, port.write_timeout = 0.05, timeouts.answer
        try:
            port.open()
        except (OSError, ValueError) as error:  # SerialException is an OSError
            raise TerminalError(f"cannot open {device}: {error}") from error
        # Terminals want DTR and RTS raised; a port without modem lines (a USB adapter
        # without them, a pseudo-terminal) refuses to set them, which costs nothing.
        for line in ("dtr", "rts"):
            with contextlib.suppress(OSError, ValueError):
                setattr(port, line, True)
        with contextlib.suppress(OSError):
            port.reset_input_buffer()
        self.port = port
        self.pending: deque[int] = deque()

    def _byte(self, deadline: float) -> int:
        while not self.pending:
            _left(deadline)  # the port's own time-out is short: this one bounds the wait
            try:
                self.pending.extend(self.port.read(max(1, self.port.in_waiting)))
            except (OSError, ValueError) as error:
                raise _LineDropped(str(error)) from error
        return self.pending.popleft()

    def _write(self, data: bytes) -> None:
        try:
            self.port.write(data)
            self.port.flush()
        except (OSError, ValueError) as error:  # SerialTimeoutException included
            raise _LineDropped(str(error)) from error

    def send(self, apdu: bytes, deadline: float) -> None:
        data = frame(apdu)
        for _ in range(SEND_TRIES):
            self._write(data)
            ack_deadline = min(deadline, time.monotonic() + self.timeouts.ack)
            while True:
                reply = self._byte(ack_deadline)
                if reply in (ACK, NAK):
                    break
            if reply == ACK:
                return
        raise _LineDropped(f"frame refused (NAK) {SEND_TRIES} times")

    def receive(self, deadline: float) -> bytes:
        for _ in range(SEND_TRIES):
            try:
                apdu, crc_ok = read_frame(lambda: self._byte(deadline))
            except FrameError:
                crc_ok, apdu = False, b""
            self._write(bytes([ACK if crc_ok else NAK]))
            if crc_ok:
                return apdu
        raise _LineDropped(f"{SEND_TRIES} damaged frames in a row")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.port.close()


# --- the driver ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ZvtTimeouts:
    """Seconds. The defaults suit a real terminal; tests pass short ones."""

    connect: float = 5.0  # open the TCP connection
    ack: float = 2.0  # serial: the ACK/NAK byte after a frame
    answer: float = 5.0  # the terminal's "80 00 00" to a command
    silence: float = 180.0  # the longest quiet spell while the terminal runs a transaction
    transaction: float = 300.0  # a whole transaction: card, PIN, the host's answer
    abort: float = 10.0  # the terminal's abort (06 1E) after we asked it to stop


@dataclass
class _Exchange:
    """Everything one command brought back."""

    acknowledged: bool = False
    refused: int | None = None  # 84 xx: the terminal refused the command
    statuses: list[StatusInformation] = field(default_factory=list)
    completion: bytes | None = None
    abort_code: int | None = None
    aborted_by_us: bool = False
    lost: str | None = None  # why the end of the exchange was never seen
    lines: list[str] = field(default_factory=list)

    @property
    def status(self) -> StatusInformation | None:
        """The status information carrying the transaction's result (the last one)."""
        for status in reversed(self.statuses):
            if status.result_code is not None or status.amount is not None:
                return status
        return None


def parse_address(address: str) -> tuple[str, str, int]:
    """``host[:port]`` (TCP, port 20007 by default), ``tcp:host:port``, or a serial device
    ``/dev/ttyUSB0[:baud]`` / ``serial:/dev/ttyS0:9600`` → (kind, where, port or baud)."""
    address = address.strip()
    if address.startswith("serial:") or address.startswith("/") or address.upper().startswith(
            "COM"):
        device, _, baud = address.removeprefix("serial:").partition(":")
        return "serial", device, int(baud or DEFAULT_BAUDRATE)
    address = address.removeprefix("tcp:")
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        return "tcp", host, int(rest.lstrip(":") or DEFAULT_PORT)
    host, _, port = address.partition(":")
    return "tcp", host, int(port or DEFAULT_PORT)


class ZvtTerminal:
    """One ZVT terminal. Calls on one instance are serialised; every call is bounded.

    ``address`` as ``parse_address`` reads it. ``journal`` receives every money attempt.
    ``on_status`` hears each intermediate status byte (a screen may show "insert card").
    """

    def __init__(self, address: str, journal: AttemptJournal, *, name: str | None = None,
                 password: int = 0, config_byte: int = DEFAULT_CONFIG_BYTE,
                 currency: str = "RON", timeouts: ZvtTimeouts | None = None,
                 on_status: Callable[[int], None] | None = None) -> None:
        self.kind, self.where, self.port = parse_address(address)
        self.name = name or address
        self.journal = journal
        self.password = password
        self.config_byte = config_byte
        self.currency = currency
        self.timeouts = timeouts or ZvtTimeouts()
        self.on_status = on_status
        self._lock = threading.Lock()
        self._abort_requested = threading.Event()
        self._last_result: TerminalResult | None = None

    # --- requests that move no money ---------------------------------------------------

    def register(self) -> TerminalReport:
        command = registration(self.password, self.config_byte, currency_number(self.currency))
        with self._lock:
            exchange = self._run(command)
        fields = parse_bitmaps(exchange.completion or b"")
        return self._report(exchange, terminal_id=fields[0x29].hex() if 0x29 in fields else None,
                            status=fields[0x19][0] if 0x19 in fields else None)

    def status_enquiry(self) -> TerminalReport:
        with self._lock:
            exchange = self._run(status_enquiry(self.password))
        software, status = parse_status_completion(exchange.completion or b"")
        report = self._report(exchange, status=status, software=software)
        if report.ok and status not in (None, 0):
            return TerminalReport(ok=False, status=status, software=software,
                                  error=f"terminal status {status:02X}")
        return report

    def end_of_day(self) -> TerminalReport:
        with self._lock:
            exchange = self._run(end_of_day(self.password))
        status = exchange.status
        return self._report(exchange, total=status.amount if status else None,
                            terminal_id=status.terminal_id if status else None,
                            result_code=status.result_code if status else None)

    def abort(self) -> TerminalReport:
        """Stop what the terminal is doing. During a transaction on this instance the
        running call sends the abort in its next answer; otherwise an abort command goes
        out on its own."""
        if not self._lock.acquire(blocking=False):
            self._abort_requested.set()
            return TerminalReport(ok=True, error="abort requested from the running transaction")
        try:
            exchange = self._run(ABORT, follow=False)
        finally:
            self._lock.release()
        return self._report(exchange)

    def last_result(self) -> TerminalResult | None:
        return self._last_result

    # --- money --------------------------------------------------------------------------

    def authorise(self, amount: int, currency: str, reference: str, tip: int = 0
                  ) -> TerminalResult:
        _check_amount(amount, tip)
        total = amount + tip
        return self._money(Operation.AUTHORISE, total, currency, reference, tip,
                           authorisation(total, currency_number(currency)))

    def pre_authorise(self, amount: int, *, currency: str | None = None,
                      reference: str | None = None) -> TerminalResult:
        _check_amount(amount)
        currency = currency or self.currency
        return self._money(Operation.PRE_AUTHORISE, amount, currency, reference, 0,
                           pre_authorisation(amount, currency_number(currency)))

    def book_total(self, receipt_no: int, amount: int, *, trace_no: int | None = None,
                   currency: str | None = None, reference: str | None = None
                   ) -> TerminalResult:
        _check_amount(amount)
        return self._money(Operation.BOOK_TOTAL, amount, currency or self.currency, reference,
                           0, book_total(receipt_no, amount, trace_no))

    def release_hold(self, receipt_no: int, amount: int, *, trace_no: int | None = None,
                     currency: str | None = None, reference: str | None = None
                     ) -> TerminalResult:
        _check_amount(amount)
        return self._money(Operation.RELEASE_HOLD, amount, currency or self.currency,
                           reference, 0, pre_authorisation_reversal(receipt_no, amount,
                                                                    trace_no))

    def reverse(self, receipt_no: int, *, amount: int = 0, currency: str | None = None,
                reference: str | None = None) -> TerminalResult:
        return self._money(Operation.REVERSE, amount, currency or self.currency, reference, 0,
                           reversal(self.password, receipt_no))

    def refund(self, amount: int, *, currency: str | None = None,
               reference: str | None = None) -> TerminalResult:
        _check_amount(amount)
        currency = currency or self.currency
        return self._money(Operation.REFUND, amount, currency, reference, 0,
                           refund(self.password, amount, currency_number(currency)))

    def recover(self) -> TerminalResult | None:
        with self._lock:
            return self._recover()

    # --- inside --------------------------------------------------------------------------

    def _money(self, operation: Operation, amount: int, currency: str, reference: str | None,
               tip: int, command: bytes) -> TerminalResult:
        reference = reference or uuid.uuid4().hex
        with self._lock:
            if self.journal.unresolved(self.name):
                self._recover()  # raises RecoveryPending when the terminal cannot say
            done = self._already_done(operation, reference)
            if done is not None:
                return done
            attempt = Attempt(terminal=self.name, operation=operation, amount=amount,
                              currency=currency, reference=reference, tip=tip,
                              previous_trace=self.journal.last_trace(self.name))
            self.journal.record(attempt)

            def sending() -> None:
                attempt.state = AttemptState.SENT
                self.journal.record(attempt)

            try:
                exchange = self._run(command, before_send=sending)
            except TerminalError as error:  # unreachable: not a byte went out
                self._finish(attempt, TerminalResult(Outcome.DECLINED, amount, currency=currency,
                                                     error=str(error)))
                raise
            result = self._result(attempt, exchange)
            self._finish(attempt, result)
            if result.outcome is not Outcome.UNKNOWN:
                return result
            try:
                self._recover()
            except TerminalError:
                return result  # still unknown: the next request recovers first
            settled = self.journal.latest(self.name, reference)
            return settled.result if settled and settled.result else result

    def _already_done(self, operation: Operation, reference: str) -> TerminalResult | None:
        """A retry of an approved request (double tap, replay) gets the first answer."""
        earlier = self.journal.latest(self.name, reference)
        if (earlier is not None and earlier.operation == operation
                and earlier.state in (AttemptState.APPROVED, AttemptState.PARTIAL)):
            return earlier.result
        return None

    def _finish(self, attempt: Attempt, result: TerminalResult) -> None:
        attempt.state = AttemptState(result.outcome.value)
        attempt.result = result
        self.journal.record(attempt)
        self._last_result = result

    def _recover(self) -> TerminalResult | None:
        """Ask the terminal for its last transaction (Repeat Receipt) and settle the newest
        unresolved attempt with it: charged if the terminal's last trace number is new
        since the attempt was created, not charged if it is the one seen before (or the
        last transaction failed). When the terminal shows nothing, the attempt stays
        unresolved (``RecoveryPending``) until someone settles it in the journal."""
        unresolved = self.journal.unresolved(self.name)
        try:
            exchange = self._run(repeat_receipt(self.password))
        except TerminalError as error:
            raise RecoveryPending(f"cannot ask the terminal for its last result: {error}") \
                from error
        if exchange.lost or exchange.refused is not None:
            why = exchange.lost or f"refused (84 {exchange.refused:02X})"
            raise RecoveryPending(f"the terminal did not give its last result: {why}")
        status = exchange.status
        stored = status is not None and status.result_code in (None, 0)
        last = self._from_status(status, status.amount or 0, 0, recovered=True) if stored \
            else None
        if unresolved:
            attempt = unresolved[-1]
            if status is None:
                # No transaction shown: the terminal may have none, or may not be able to
                # print one now (paper, busy); the two cannot be told apart, so a person
                # must look at the terminal's journal.
                code = exchange.abort_code
                raise RecoveryPending("the terminal shows no last transaction"
                                      + (f" ({_error_text(code)})" if code is not None else "")
                                      + ": check its journal by hand")
            if not stored:  # the last transaction failed: ours failed, or never ran
                charged = False
            elif status.trace_no is None:
                raise RecoveryPending("the terminal's last result has no trace number: "
                                      "check the terminal's journal by hand")
            else:
                charged = status.trace_no != attempt.previous_trace
            if charged:
                result = self._from_status(status, attempt.amount, attempt.tip,
                                           operation=attempt.operation, recovered=True)
            else:
                result = TerminalResult(Outcome.DECLINED, attempt.amount,
                                        currency=attempt.currency, recovered=True,
                                        error="not charged: the terminal's last transaction "
                                              "is an earlier one")
            self._finish(attempt, result)
        self._last_result = last
        return last

    def _from_status(self, status: StatusInformation, requested: int, tip: int, *,
                     operation: Operation = Operation.AUTHORISE, recovered: bool = False
                     ) -> TerminalResult:
        approved = status.amount if status.amount is not None else requested
        outcome = Outcome.APPROVED
        if operation in (Operation.AUTHORISE, Operation.PRE_AUTHORISE, Operation.BOOK_TOTAL) \
                and approved < requested:
            outcome = Outcome.PARTIAL
        # What the card covered goes to the bill first; anything above it is tip, including
        # a tip the guest keyed in on the terminal.
        tip_taken = max(0, approved - (requested - tip)) if operation is Operation.AUTHORISE \
            else 0
        return TerminalResult(
            outcome, requested, approved, currency=_currency_name(status.currency),
            card_brand=status.card_brand, card_last4=status.card_last4,
            auth_code=status.auth_code, receipt_no=status.receipt_no, trace_no=status.trace_no,
            terminal_id=status.terminal_id, tip_amount=tip_taken,
            result_code=status.result_code or 0, recovered=recovered)

    def _result(self, attempt: Attempt, exchange: _Exchange) -> TerminalResult:
        requested, currency = attempt.amount, attempt.currency
        if exchange.refused is not None:
            return TerminalResult(Outcome.DECLINED, requested, currency=currency,
                                  result_code=exchange.refused,
                                  error=_error_text(exchange.refused, "refused the command"))
        status = exchange.status
        if status is not None and status.result_code in (None, 0) and status.amount is not None:
            return self._from_status(status, requested, attempt.tip,
                                     operation=attempt.operation)
        if status is not None and status.result_code not in (None, 0):
            return TerminalResult(Outcome.DECLINED, requested, currency=currency,
                                  card_brand=status.card_brand, card_last4=status.card_last4,
                                  terminal_id=status.terminal_id, result_code=status.result_code,
                                  error=status.text or _error_text(status.result_code))
        if exchange.abort_code is not None:
            return TerminalResult(Outcome.DECLINED, requested, currency=currency,
                                  result_code=exchange.abort_code,
                                  error=_error_text(exchange.abort_code))
        why = exchange.lost or "the terminal ended without a result"
        return TerminalResult(Outcome.UNKNOWN, requested, currency=currency, error=why)

    def _report(self, exchange: _Exchange, **found: object) -> TerminalReport:
        if exchange.refused is not None:
            return TerminalReport(ok=False, result_code=exchange.refused,
                                  error=_error_text(exchange.refused, "refused the command"))
        if exchange.lost:
            return TerminalReport(ok=False, error=exchange.lost)
        if exchange.abort_code is not None:
            return TerminalReport(ok=False, result_code=exchange.abort_code,
                                  error=_error_text(exchange.abort_code))
        return TerminalReport(ok=True, **found)  # type: ignore[arg-type]

    @contextlib.contextmanager
    def _link(self) -> Iterator[_Link]:
        link: _Link
        if self.kind == "serial":
            link = SerialLink(self.where, self.port, self.timeouts)
        else:
            link = TcpLink(self.where, self.port, self.timeouts.connect)
        try:
            yield link
        finally:
            link.close()

    def _run(self, command: bytes, *, before_send: Callable[[], None] | None = None,
             follow: bool = True) -> _Exchange:
        """Send ``command`` and follow the terminal to its completion or abort.

        Raises ``TerminalError`` only when the terminal could not be reached (nothing
        sent). Anything lost after that is in ``_Exchange.lost``.
        """
        exchange = _Exchange()
        self._abort_requested.clear()
        with self._link() as link:
            if before_send is not None:
                before_send()
            timeouts = self.timeouts
            end = time.monotonic() + timeouts.transaction
            try:
                link.send(command, time.monotonic() + timeouts.answer)
                first = split_apdu(link.receive(time.monotonic() + timeouts.answer))
            except (_Silence, _LineDropped, FrameError) as error:
                exchange.lost = f"no answer to the command: {error}"
                return exchange
            if first[0] == 0x84 and first[1] != 0x00:
                exchange.refused = first[1]
                return exchange
            exchange.acknowledged = True
            if not follow:
                return exchange
            message = None if first[0] in (0x80, 0x84) else first
            # While the terminal is master the cash register only answers (on a serial line
            # an unasked frame would collide with the terminal's): past ``end`` it answers
            # the next intermediate status with an abort. A terminal quiet for ``silence``,
            # or still talking long after ``end``, has lost the exchange.
            abort_by: float | None = None
            give_up = end + timeouts.abort + timeouts.silence
            while True:
                try:
                    if message is None:
                        wait = time.monotonic() + timeouts.silence
                        message = split_apdu(link.receive(
                            min(wait, abort_by if abort_by is not None else wait, give_up)))
                    asked_to_stop = exchange.aborted_by_us
                    if self._handle(link, message, exchange, end):
                        return exchange
                    if exchange.aborted_by_us and not asked_to_stop:
                        abort_by = time.monotonic() + timeouts.abort  # for its 06 1E
                except _Silence as error:
                    exchange.lost = f"the terminal went quiet: {error}"
                    return exchange
                except (_LineDropped, FrameError) as error:
                    exchange.lost = f"the line dropped: {error}"
                    return exchange
                message = None

    def _handle(self, link: _Link, message: tuple[int, int, bytes], exchange: _Exchange,
                end: float) -> bool:
        """Answer one message of the terminal; True when it ended the exchange."""
        cls, instr, data = message
        answer = time.monotonic() + self.timeouts.answer
        if (cls, instr) == (0x04, 0xFF):  # intermediate status: the terminal is alive
            stop = time.monotonic() >= end or self._abort_requested.is_set()
            if stop and not exchange.aborted_by_us:
                # An abort instead of the acknowledgement asks the terminal to stop.
                exchange.aborted_by_us = True
                link.send(ABORT, answer)
                return False
            link.send(RECEIVED, answer)
            if self.on_status is not None and data:
                with contextlib.suppress(Exception):
                    self.on_status(data[0])
            return False
        if (cls, instr) == (0x04, 0x0F):
            status = parse_status_information(data)
            exchange.statuses.append(status)  # kept before the answer: it may be lost
            link.send(RECEIVED, answer)
            return False
        if (cls, instr) in ((0x06, 0xD1), (0x06, 0xD3)):  # a line to print: the PT prints
            exchange.lines.append(data.hex())
            link.send(RECEIVED, answer)
            return False
        if (cls, instr) == (0x06, 0x0F):
            exchange.completion = data
            with contextlib.suppress(_Silence, _LineDropped):
                link.send(RECEIVED, answer)
            return True
        if (cls, instr) == (0x06, 0x1E):
            exchange.abort_code = data[0] if data else 0x6C
            with contextlib.suppress(_Silence, _LineDropped):
                link.send(RECEIVED, answer)
            return True
        if cls in (0x80, 0x84):  # a late acknowledgement (of our abort): nothing to answer
            return False
        link.send(RECEIVED, answer)  # anything else: acknowledged, ignored
        return False


def _check_amount(amount: int, tip: int = 0) -> None:
    if not isinstance(amount, int) or amount <= 0 or not isinstance(tip, int) or tip < 0:
        raise ValueError("amounts are positive integers in minor units, the tip not negative")


def _currency_name(number: int | None) -> str | None:
    if number is None:
        return None
    for name, value in CURRENCY_CODES.items():
        if value == number:
            return name
    return str(number)


def _error_text(code: int | None, default: str = "declined") -> str:
    if code is None:
        return default
    return f"{RESULT_TEXTS.get(code, default)} (code {code:02X})"
