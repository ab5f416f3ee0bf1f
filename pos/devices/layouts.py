"""What each kind of print job looks like on paper: a registry from a job's ``kind`` to
the function that lays its document out as the bytes the printer gets.

The devices own the generic kinds, so any package can print without teaching the
worker anything:

- ``"document"``: any receipt-style paper (pre-bill, receipt, X and Z report), given as
  lines of text (below);
- ``"drawer_kick"``: opens the cash drawer wired to the printer (``ESC p``), no paper;
- ``"test_page"``: what a printer can do, to check it from the back office.

A package above registers its own kinds when it is imported, as the kitchen does with
"ticket", "void" and "reprint" (``kitchen/printing.py``). The worker lays a job out when
it prints it, with the printer's profile, code page, width and language in hand.

The "document" kind
-------------------
Its JSON (what ``pos.devices.print_queue.queue_print`` stores)::

    {"lines": [
        {"text": "Bistro Masa", "size": "double", "align": "center", "bold": true},
        {"text": "CIF RO12345678", "align": "center"},
        {"rule": true},
        {"text": "2× Ciorbă de perișoare", "right": "36,00"},
        {"text": "+ smântână", "right": "4,00"},
        {"rule": "="},
        {"text": "TOTAL", "right": "40,00 lei", "bold": true, "size": "tall"},
        {},
        {"text": "Mulțumim!", "align": "center"}],
     "qr": {"data": "https://masa.example/r/8c1f…", "size": 6, "caption": "Bonul online"},
     "cut": true}

Each line: ``text`` (missing or "" prints an empty line), ``right`` (a second column
flush right on the line's first row: an amount beside a name; the caller formats it),
``align`` ("left", "center", "right"), ``bold``, ``invert`` (white on black), ``size``
("normal"; "tall": double height; "double": double width and height; "large": three
times both; a line holds the printer's width divided by 1, 1, 2, 3 characters), and
``rule`` (true, or one ASCII character: a full-width line instead of text). Long text
wraps. Letters follow ``pos.devices.paper``: never a "?". A line ``{"image": "<base64
PNG>"}`` is a picture (the venue's logo), centred, no wider than the paper. ``qr`` (a
string, or ``{"data", "size" 1–16, "caption"}``) prints a QR code drawn by the printer
itself (``GS ( k``) centred after the lines; ``cut`` (default true) cuts the paper at the
end.
A job taken up again after its worker died prints POSSIBLE COPY and the time at the
top, in the printer's language, like a kitchen ticket.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pos.devices.models import Printer
from pos.devices.paper import SIZE_DIVISOR, PaperWriter

ESC = b"\x1b"
DRAWER_PULSE_ON_MS, DRAWER_PULSE_OFF_MS = 50, 500  # ESC p m 25 250: 1B 70 00 19 FA on pin 2
LABELS: dict[str, dict[str, str]] = {
    "ro": {"copy": "POSIBILĂ COPIE", "copy_at": "Retipărit la {}", "test": "PAGINĂ DE TEST",
           "printer": "Imprimanta: {}", "address": "Adresa: {}", "profile": "Profil: {}",
           "letters": "Litere: {}", "width": "{} caractere pe rând", "printed": "Tipărit la {}",
           "sizes": "Mărimi:", "bold": "Îngroșat", "invert": "Invers", "tall": "Înalt",
           "double": "Dublu", "large": "Mare", "qr": "Cod QR:"},
    "en": {"copy": "POSSIBLE COPY", "copy_at": "Printed again at {}", "test": "TEST PAGE",
           "printer": "Printer: {}", "address": "Address: {}", "profile": "Profile: {}",
           "letters": "Letters: {}", "width": "{} characters a line", "printed": "Printed {}",
           "sizes": "Sizes:", "bold": "Bold", "invert": "Inverted", "tall": "Tall",
           "double": "Double", "large": "Large", "qr": "QR code:"},
}


@dataclass(frozen=True)
class PrinterInfo:
    """A printer as read when its job was claimed: what printing needs, no session."""

    id: int
    name: str
    kind: str
    address: str
    profile: str
    diacritics: str
    width: int
    language: str | None
    drawer_pin: int
    active: bool
    online: bool
    alerted: bool

    @classmethod
    def of(cls, printer: Printer, alerted: bool) -> PrinterInfo:
        return cls(printer.id, printer.name, str(printer.kind), printer.address,
                   printer.profile, printer.diacritics, printer.width, printer.language,
                   printer.drawer_pin, printer.active, printer.online, alerted)


@dataclass(frozen=True)
class PrintContext:
    """What a layout knows besides the document."""

    kind: str
    printer: PrinterInfo
    language: str  # the printer's, else the venue's
    timezone: str  # the venue's: times print as the venue's clock shows them
    now: datetime
    possible_copy_at: datetime | None = None  # taken up again after its worker died


Render = Callable[[Mapping[str, Any], PrintContext], bytes]


@dataclass(frozen=True)
class Layout:
    render: Render
    needs_paper: bool = True  # False: printed even when the printer is out of paper
    reroutes: bool = True  # False: never handed to a backup printer (a drawer is wired to one)
    repeat_when_unsure: bool = True  # False: not done again when its worker died mid-job
    # Seconds after which a job not yet done is dropped (a drawer must not spring open
    # long after its sale, when a dead printer comes back); None: never.
    stale_after: int | None = None


_layouts: dict[str, Layout] = {}
DRAWER_KICK_STALE_SECONDS = 60


def register_layout(kind: str, render: Render, *, needs_paper: bool = True,
                    reroutes: bool = True, repeat_when_unsure: bool = True,
                    stale_after: int | None = None) -> None:
    """Print jobs of ``kind`` are laid out by ``render`` (registering again replaces)."""
    if not kind or len(kind) > 20:
        raise ValueError(f"a print job kind is 1 to 20 characters: {kind!r}")
    _layouts[kind] = Layout(render, needs_paper, reroutes, repeat_when_unsure, stale_after)


def layout_for(kind: str) -> Layout | None:
    return _layouts.get(kind)


def known_kinds() -> list[str]:
    return sorted(_layouts)


def local_time(moment: datetime, timezone: str) -> str:
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%H:%M")


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["ro"])


def writer_for(context: PrintContext) -> PaperWriter:
    printer = context.printer
    return PaperWriter(printer.profile, printer.width, printer.diacritics)


def possible_copy_heading(out: PaperWriter, context: PrintContext) -> None:
    """At the top of a job that may have printed already: say so, and when this printed."""
    if context.possible_copy_at is None:
        return
    label = labels(context.language)
    out.line(f" {label['copy']} ", size="double", align="center", invert=True)
    out.line(label["copy_at"].format(local_time(context.possible_copy_at, context.timezone)),
             align="center", bold=True)
    out.blank()


# --- the generic kinds --------------------------------------------------------------------

SIZES = tuple(SIZE_DIVISOR)
ALIGNS = ("left", "center", "right")


def print_document(document: Mapping[str, Any], context: PrintContext) -> bytes:
    """A receipt-style document (the module's docstring says its shape)."""
    out = writer_for(context)
    possible_copy_heading(out, context)
    for line in document.get("lines") or ():
        if not isinstance(line, Mapping):
            line = {"text": str(line)}
        if line.get("image"):
            out.picture(picture_bytes(line["image"]))
            continue
        rule = line.get("rule")
        if rule:
            out.rule(rule if isinstance(rule, str) else "-")
            continue
        text = str(line.get("text") or "")
        right = line.get("right")
        if not text and right in (None, ""):
            out.blank()
            continue
        size = line.get("size") if line.get("size") in SIZES else "normal"
        align = line.get("align") if line.get("align") in ALIGNS else "left"
        out.line(text, right=None if right is None else str(right), size=size, align=align,
                 bold=bool(line.get("bold")), invert=bool(line.get("invert")))
    qr = document.get("qr")
    if isinstance(qr, str):
        qr = {"data": qr}
    if isinstance(qr, Mapping) and qr.get("data"):
        out.blank()
        out.qr(str(qr["data"]), size=int(qr.get("size") or 6))
        if qr.get("caption"):
            out.line(str(qr["caption"]), align="center")
    return out.finish(cut=document.get("cut", True) is not False)


def picture_bytes(data: Any) -> bytes:
    try:
        return base64.b64decode(str(data), validate=True)
    except (binascii.Error, ValueError):
        return b""


def drawer_kick_bytes(pin: int = 2, on_ms: int = DRAWER_PULSE_ON_MS,
                      off_ms: int = DRAWER_PULSE_OFF_MS) -> bytes:
    """``ESC p m t1 t2``: a pulse of ``t1``×2 ms on the drawer connector's pin 2 (m = 0) or
    pin 5 (m = 1), then ``t2``×2 ms off. Pin 2, 50/500 ms: ``1B 70 00 19 FA``."""
    m = 1 if pin == 5 else 0
    t1 = min(max(on_ms // 2, 1), 255)
    t2 = min(max(off_ms // 2, t1, 1), 255)  # printers want t2 ≥ t1
    return ESC + b"p" + bytes((m, t1, t2))


def print_drawer_kick(document: Mapping[str, Any], context: PrintContext) -> bytes:
    """Opens the drawer on the printer's pin (or the document's ``pin``); prints and cuts
    nothing, so a kick costs no paper."""
    pin = document.get("pin") or context.printer.drawer_pin
    return drawer_kick_bytes(int(pin), int(document.get("on_ms") or DRAWER_PULSE_ON_MS),
                             int(document.get("off_ms") or DRAWER_PULSE_OFF_MS))


def print_test_page(document: Mapping[str, Any], context: PrintContext) -> bytes:
    """Who the printer is, what it can print (sizes, styles, Romanian letters, a QR
    code), and where a line ends: the page a technician prints after setting it up."""
    printer, label = context.printer, labels(context.language)
    out = writer_for(context)
    possible_copy_heading(out, context)
    out.line(label["test"], size="double", align="center", bold=True)
    out.line(printer.name, size="tall", align="center")
    out.rule("=")
    out.line(label["printer"].format(f"{printer.name} ({printer.kind})"))
    out.line(label["address"].format(printer.address))
    out.line(label["profile"].format(f"{printer.profile}, {printer.diacritics}"))
    out.line(label["width"].format(printer.width))
    out.line("".join(str(i % 10) for i in range(1, printer.width + 1)))
    out.rule()
    out.line(label["letters"].format("ăâîșț ĂÂÎȘȚ"))
    out.line("Caffè latte, jalapeño, smørrebrød")
    out.line(label["sizes"])
    out.line(label["bold"], bold=True)
    out.line(label["invert"], invert=True)
    out.line(label["tall"], size="tall")
    out.line(label["double"], size="double")
    out.line(label["large"], size="large")
    out.line(label["qr"])
    out.qr(f"masa:test-page:{printer.id}", size=4)
    if document.get("note"):
        out.line(str(document["note"]))
    out.rule()
    out.line(label["printed"].format(local_time(context.now, context.timezone)),
             align="center")
    return out.finish()


register_layout("document", print_document)
register_layout("drawer_kick", print_drawer_kick, needs_paper=False, reroutes=False,
                repeat_when_unsure=False, stale_after=DRAWER_KICK_STALE_SECONDS)
register_layout("test_page", print_test_page)
