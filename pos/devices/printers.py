"""ESC/POS printers through python-escpos: open one for a ``Printer`` row, ask it whether
it can print, and hand it a whole job in one write.

A connection is opened for each job and always closed: a printer that was switched off
and on again, or a cable moved, costs nothing. Every wait is short (``TIMEOUT``), so a
dead printer holds the print worker for seconds, never minutes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # python-escpos (with Pillow) is loaded when a printer is first used
    from escpos.escpos import Escpos

TIMEOUT = 3.0  # seconds: connect, each write, each status reply
DEFAULT_PORT = 9100  # raw TCP ("JetDirect") port of network printers
DEFAULT_BAUDRATE = 9600
PAPER_OK, PAPER_NEAR_END, PAPER_OUT = 2, 1, 0  # as python-escpos's paper_status() answers


class PrinterSettings(Protocol):
    """What opening a printer needs: a ``pos.devices.models.Printer`` row has it."""

    kind: str
    address: str
    profile: str


class PrinterUnavailable(Exception):
    """The printer cannot take a job now (unreachable, offline, out of paper)."""


@dataclass(frozen=True)
class PrinterStatus:
    online: bool
    paper: int | None  # PAPER_OK, PAPER_NEAR_END; None where the connection cannot read


def open_printer(printer: PrinterSettings, timeout: float = TIMEOUT) -> Escpos:
    """A python-escpos printer for ``printer``, not yet connected (it connects on first use).

    Addresses: network ``host[:port]`` (``[v6]:port`` too), serial ``/dev/ttyUSB0[:baud]``,
    usb ``vendor:product`` in hex (``04b8:0202``), file a path.
    """
    kind, address, profile = str(printer.kind), printer.address.strip(), printer.profile or None
    if kind == "network":
        host, port = network_address(address)
        from escpos.printer import Network

        return Network(host, port, timeout=timeout, profile=profile)
    if kind == "serial":
        devfile, _, baud = address.partition(":")
        return _serial_class()(devfile, int(baud or DEFAULT_BAUDRATE), timeout=timeout,
                               profile=profile)
    if kind == "usb":
        vendor, _, product = address.partition(":")
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise PrinterUnavailable("USB printers need pyusb: pip install pyusb")
        # pyusb counts its time-outs in milliseconds.
        return Usb(int(vendor, 16), int(product, 16), timeout=int(timeout * 1000),
                   profile=profile)
    if kind == "file":
        from escpos.printer import File

        return File(address, profile=profile)
    raise ValueError(f"unknown printer kind {kind!r}")


@functools.cache
def _serial_class() -> type[Escpos]:
    from escpos.printer import Serial

    class SerialPrinter(Serial):
        def _read(self) -> bytes:
            """A status reply is one byte: take it as soon as it comes (python-escpos asks
            pyserial for 16, which waits out the whole time-out)."""
            first = self.device.read(1)
            return first + self.device.read(self.device.in_waiting) if first else first

    return SerialPrinter


def network_address(address: str) -> tuple[str, int]:
    if address.startswith("["):  # [2001:db8::7]:9100
        host, _, rest = address[1:].partition("]")
        return host, int(rest.lstrip(":") or DEFAULT_PORT)
    if address.count(":") == 1:
        host, port = address.split(":")
        return host, int(port)
    return address, DEFAULT_PORT


@contextlib.contextmanager
def connected(printer: PrinterSettings, timeout: float = TIMEOUT) -> Iterator[Escpos]:
    """An open connection to ``printer`` that is closed however the block ends."""
    try:
        device = open_printer(printer, timeout)
    except (OSError, ValueError) as error:  # a malformed address
        raise PrinterUnavailable(f"cannot use {printer.address}: {error}") from error
    try:
        if str(printer.kind) == "file":
            _check_writable(printer.address)  # before open(), which would create the file
        try:
            device.open()
        except Exception as error:  # DeviceNotFoundError and the like
            raise PrinterUnavailable(error_text(error)) from error
        yield device
    finally:
        with contextlib.suppress(Exception):
            device.close()


def check_status(device: Escpos, printer: PrinterSettings, *,
                 needs_paper: bool = True) -> PrinterStatus:
    """Whether the printer can print now; raises ``PrinterUnavailable`` if not.

    Network, serial and USB printers are asked (``DLE EOT``): a printer that does not
    answer in time counts as offline, so its tickets go to the backup instead of into
    a buffer nobody reads. A file printer only needs its path writable. Out of paper
    is no reason to refuse what needs none (``needs_paper=False``: a drawer kick).
    """
    kind = str(printer.kind)
    if kind == "file":
        _check_writable(printer.address)
        return PrinterStatus(online=True, paper=None)
    _prepare_reading(device, kind)
    try:
        online = device.is_online()
        paper = device.paper_status() if online else None
    except (OSError, ValueError) as error:  # socket time-out, serial/USB I/O error
        raise PrinterUnavailable(f"no status reply: {error_text(error)}") from error
    if not online:
        raise PrinterUnavailable("offline (no status reply, or cover open / error)")
    if paper == PAPER_OUT and needs_paper:
        raise PrinterUnavailable("out of paper")
    return PrinterStatus(online=True, paper=paper)


def send(printer: PrinterSettings, data: bytes, timeout: float = TIMEOUT, *,
         needs_paper: bool = True) -> PrinterStatus:
    """Check the printer, then write ``data`` in one go; raises ``PrinterUnavailable``.

    Returning means the bytes were handed to the printer (for a network printer: the
    connection was closed cleanly after them, so none were thrown away by a reset).
    """
    with connected(printer, timeout) as device:
        status = check_status(device, printer, needs_paper=needs_paper)
        try:
            if str(printer.kind) == "serial":  # flow control may hold a write: not forever
                device.device.write_timeout = timeout + len(data) * 20 / device.baudrate
            device._raw(data)  # python-escpos's raw write: one call, the whole job
            if str(printer.kind) == "network":
                _close_gracefully(device, timeout)
        except (OSError, ValueError) as error:
            raise PrinterUnavailable(f"write failed: {error_text(error)}") from error
        return status


def probe(printer: PrinterSettings, timeout: float = TIMEOUT) -> PrinterStatus:
    """Connect and ask the status without printing (to see whether a printer is back)."""
    with connected(printer, timeout) as device:
        return check_status(device, printer)


def _check_writable(path: str) -> None:
    if os.path.exists(path):
        if os.access(path, os.W_OK):
            return
    elif os.access(os.path.dirname(os.path.abspath(path)), os.W_OK):
        return
    raise PrinterUnavailable(f"{path} is not writable")


def _prepare_reading(device: Escpos, kind: str) -> None:
    """Serial: drop bytes the printer sent earlier (automatic status) so a reply is the
    reply."""
    if kind == "serial":
        with contextlib.suppress(Exception):
            device.device.reset_input_buffer()


def _close_gracefully(device: Escpos, timeout: float) -> None:
    """Send FIN and wait for the printer's: closing a socket with unread bytes in it
    makes Linux send RST, which may discard the end of a ticket still on its way."""
    sock: socket.socket = device.device
    sock.shutdown(socket.SHUT_WR)
    sock.settimeout(min(timeout, 2.0))
    with contextlib.suppress(OSError):
        while sock.recv(256):
            pass


def error_text(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return " ".join(text.split())[:200]
