"""The printed kitchen ticket: a print job's document laid out as ESC/POS bytes.

The bytes are built on python-escpos's ``Dummy`` printer and sent to the real one in a
single write by the print worker, so a ticket reaches the printer whole or not at all.

Romanian: ă â î ş ţ print through code page CP852. ș ț (comma below), the correct
letters, are in no printer code page, so a ``"cp852"`` printer gets ş ţ (cedilla),
which cooks read the same. A printer set to ``"image"`` gets every line that is not
plain ASCII as a picture drawn with a real font, with the real letters.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # python-escpos and Pillow (~10 MB) load with the first ticket printed
    from PIL import Image

CODE_PAGE = "CP852"
DEFAULT_IMAGE_WIDTH = 512  # dots: fits 80 mm printers (512 on Epson TM-T88, 576 on most)
FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT_FILES = ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# ș ț exist in no code page; the rest are typography a kitchen ticket can do without.
CP852_SUBSTITUTES = str.maketrans({
    "ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ",
    "—": "-", "–": "-", "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...",
    "\u00a0": " ",
})

LABELS: dict[str, dict[str, str]] = {
    "ro": {
        "table": "MASA {}", "time": "Ora {}", "ticket": "Bon #{}", "server": "Ospătar: {}",
        "guests": "Persoane: {}", "check": "Nota: {}", "seat": "Loc {}", "note": "Notă: {}",
        "allergens": "ALERGENI: {}", "rush": "URGENT", "void": "STORNO",
        "reprint": "REIMPRIMARE", "voided": "STORNAT", "from": "Preluat de la imprimanta {}",
    },
    "en": {
        "table": "TABLE {}", "time": "Time {}", "ticket": "Ticket #{}", "server": "Server: {}",
        "guests": "Guests: {}", "check": "Check: {}", "seat": "Seat {}", "note": "Note: {}",
        "allergens": "ALLERGENS: {}", "rush": "RUSH", "void": "VOID",
        "reprint": "REPRINT", "voided": "VOID", "from": "From {} printer",
    },
}

ALLERGEN_NAMES: dict[str, dict[str, str]] = {
    "ro": {"gluten": "gluten", "crustaceans": "crustacee", "eggs": "ouă", "fish": "pește",
           "peanuts": "arahide", "soy": "soia", "milk": "lapte", "nuts": "fructe cu coajă",
           "celery": "țelină", "mustard": "muștar", "sesame": "susan",
           "sulphites": "sulfiți", "lupin": "lupin", "molluscs": "moluște"},
    "en": {"gluten": "gluten", "crustaceans": "crustaceans", "eggs": "eggs", "fish": "fish",
           "peanuts": "peanuts", "soy": "soy", "milk": "milk", "nuts": "nuts",
           "celery": "celery", "mustard": "mustard", "sesame": "sesame",
           "sulphites": "sulphites", "lupin": "lupin", "molluscs": "molluscs"},
}


def for_cp852(text: str) -> str:
    """``text`` with the letters CP852 lacks replaced by the nearest it has: ș → ş, and a
    letter it has no accent for by its base letter (Caffè → Caffe, jalapeño → jalapeno),
    never by the "?" a cook cannot read."""
    return "".join(ch if in_cp852(ch) else base_letters(ch)
                   for ch in text.translate(CP852_SUBSTITUTES))


@lru_cache(maxsize=512)
def in_cp852(ch: str) -> bool:
    try:
        ch.encode("cp852")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=512)
def base_letters(ch: str) -> str:
    """The letters under a letter's accents (ø has none: it stays, as "?", the rare case
    an image printer is for)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if in_cp852(c)
                   and not unicodedata.combining(c))
    return bare or "?"


def render_ticket(document: Mapping[str, Any], *, kind: str | None = None,
                  profile: str = "default", diacritics: str = "cp852", width: int = 42,
                  language: str = "ro", timezone: str = "Europe/Bucharest") -> bytes:
    """A print job's document (``kitchen.events.ticket_payload()`` plus ``kind``) as the
    bytes of one ticket, ending with a cut. ``kind``: ticket, void or reprint (defaults
    to the document's own). ``width``: characters a line in the normal font."""
    from escpos.capabilities import CAPABILITIES, get_profile

    if profile not in CAPABILITIES["profiles"]:
        profile = "default"  # a mistyped profile still prints, rather than not at all
    writer: _Writer
    if diacritics == "image" or CODE_PAGE not in get_profile(profile).get_code_pages():
        writer = _ImageWriter(profile, width)
    else:
        writer = _TextWriter(profile, width)
    _lay_out(writer, document, kind or document.get("kind") or "ticket",
             LABELS.get(language, LABELS["ro"]), language, timezone)
    return writer.finish()


def _lay_out(out: _Writer, doc: Mapping[str, Any], kind: str, label: dict[str, str],
             language: str, timezone: str) -> None:
    table, check_name = doc.get("table"), doc.get("check_name")
    out.line(label["table"].format(table) if table else (check_name or "-"),
             big=True, center=True)
    course = doc.get("course")
    if course:
        out.line(_name(course.get("names"), language).upper(), big=True, center=True)
    if kind == "void":
        out.line(f" {label['void']} ", big=True, center=True, invert=True)
    elif kind == "reprint":
        out.line(f" {label['reprint']} ", big=True, center=True, invert=True)
    if doc.get("rush"):
        out.line(f" *** {label['rush']} *** ", big=True, center=True, invert=True)
    out.blank()
    when = _local_time(doc.get("fired_at") or doc.get("created_at"), timezone)
    head = [label["time"].format(when)] if when else []
    if doc.get("id") is not None:
        head.append(label["ticket"].format(doc["id"]))
    if head:
        out.line("   ".join(head))
    if doc.get("server"):
        out.line(label["server"].format(doc["server"]))
    if doc.get("guests"):
        out.line(label["guests"].format(doc["guests"]))
    if table and check_name:
        out.line(label["check"].format(check_name))
    rerouted = doc.get("rerouted_from")
    if rerouted:
        out.line(label["from"].format(rerouted.get("printer", "?")), bold=True, invert=True)
    out.rule()

    lines = list(doc.get("lines") or ())
    if kind == "void":  # the lines this void took off (if the document says), else all void
        voided_now = set(doc.get("voided_line_ids") or ())
        lines = ([line for line in lines if line.get("line_id") in voided_now] if voided_now
                 else [line for line in lines if line.get("status") == "void"]) or lines
    for line in lines:
        voided = line.get("status") == "void"
        name = f"{line.get('quantity', 1)}× {_name(line.get('names'), language)}"
        if voided and kind != "void":
            name = f"[{label['voided']}] {name}"
        out.line(name, tall=True, bold=True)
        for modifier in line.get("modifiers") or ():
            out.line(f"+ {_name(modifier, language)}", indent=3)
        if line.get("seat"):
            out.line(label["seat"].format(line["seat"]), indent=3, bold=True)
        if line.get("note"):
            out.line(label["note"].format(line["note"]), indent=3, bold=True, invert=True)
        if line.get("allergens"):
            names = ALLERGEN_NAMES.get(language, ALLERGEN_NAMES["ro"])
            allergens = ", ".join(names.get(code, code) for code in line["allergens"])
            out.line(label["allergens"].format(allergens), indent=3, bold=True, invert=True)
    out.rule()
    if kind == "void":
        out.line(f" {label['void']} ", big=True, center=True, invert=True)


def _name(names: Any, language: str) -> str:
    if isinstance(names, Mapping):
        return names.get(language) or names.get("ro") or next(iter(names.values()), "")
    return str(names or "")


def _local_time(value: str | None, timezone: str) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%H:%M")


class _Writer:
    """Lines of a ticket, on a python-escpos ``Dummy`` that collects the bytes."""

    def __init__(self, profile: str, width: int) -> None:
        from escpos.printer import Dummy

        self.printer = Dummy(profile=profile)
        self.width = max(width, 16)
        self.printer.hw("INIT")  # ESC @: whatever the last job left set is reset

    def line(self, text: str, *, big: bool = False, tall: bool = False, bold: bool = False,
             invert: bool = False, center: bool = False, indent: int = 0) -> None:
        raise NotImplementedError

    def blank(self) -> None:
        self.printer.text("\n")

    def rule(self) -> None:
        self.printer.text("-" * self.width + "\n")

    def finish(self) -> bytes:
        self.printer.cut()  # feeds past the cutter first
        return self.printer.output

    def columns(self, big: bool, indent: int) -> int:
        return max((self.width // 2 if big else self.width) - indent, 8)

    def wrap(self, text: str, columns: int) -> list[str]:
        return textwrap.wrap(text, columns) or [""]

    def styled(self, parts: list[str], *, indent: int, big: bool, tall: bool, bold: bool,
               invert: bool, center: bool) -> None:
        """Text lines in a style, sending only the commands that change something and
        putting back the plain style (left, normal size) afterwards."""
        p, sized = self.printer, big or tall
        p.set(align="center" if center else None, bold=bold or None, invert=invert or None,
              double_width=big, double_height=sized)
        for part in parts:
            p.text(" " * indent + part + "\n")
        p.set(align="left" if center else None, bold=False if bold else None,
              invert=False if invert else None, normal_textsize=sized or None)


class _TextWriter(_Writer):
    def __init__(self, profile: str, width: int) -> None:
        super().__init__(profile, width)
        # ESC t n with n the profile's number for CP852 (18 on most, 54 or 5 on some);
        # from here on python-escpos encodes every text in CP852, "?" for what it lacks.
        self.printer.magic.force_encoding(CODE_PAGE)

    def line(self, text: str, *, big: bool = False, tall: bool = False, bold: bool = False,
             invert: bool = False, center: bool = False, indent: int = 0) -> None:
        self.styled(self.wrap(for_cp852(text), self.columns(big, indent)), indent=indent,
                    big=big, tall=tall, bold=bold, invert=invert, center=center)


class _ImageWriter(_Writer):
    """Lines in plain ASCII print as text; any other line is drawn with a real font."""

    NORMAL, BIG = 24, 44  # font sizes in dots

    def __init__(self, profile: str, width: int) -> None:
        super().__init__(profile, width)
        media = dict(self.printer.profile.profile_data.get("media") or {})
        pixels = (media.get("width") or {}).get("pixels")
        self.pixels = pixels if isinstance(pixels, int) else DEFAULT_IMAGE_WIDTH
        # Our own copy, with the width known, so image() neither guesses nor complains.
        self.printer.profile.profile_data = {
            **self.printer.profile.profile_data,
            "media": {**media, "width": {"mm": 80, "pixels": self.pixels}}}

    def line(self, text: str, *, big: bool = False, tall: bool = False, bold: bool = False,
             invert: bool = False, center: bool = False, indent: int = 0) -> None:
        if text.isascii():
            self.styled(self.wrap(text, self.columns(big, indent)), indent=indent, big=big,
                        tall=tall, bold=bold, invert=invert, center=center)
            return
        font = _font(self.BIG if big or tall else self.NORMAL, bold or big or tall)
        margin = indent * self.pixels // self.width
        for part in _wrap_pixels(text, font, self.pixels - margin):
            self.printer.image(_draw(part, font, self.pixels, margin, center, invert))


def _draw(text: str, font: Any, width: int, margin: int, center: bool,
          invert: bool) -> Image.Image:
    from PIL import Image, ImageDraw

    left, top, right, bottom = font.getbbox("ĂgȚ|")
    height = bottom + max(top, 4)
    image = Image.new("L", (width, height), 0 if invert else 255)
    draw = ImageDraw.Draw(image)
    length = draw.textlength(text, font=font)
    x = (width - length) / 2 if center else margin
    draw.text((x, 0), text, font=font, fill=255 if invert else 0)
    return image


def _wrap_pixels(text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + [current] if current or not lines else lines


@lru_cache(maxsize=8)
def _font(size: int, bold: bool) -> Any:
    from PIL import ImageFont

    for path in BOLD_FONT_FILES if bold else FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)
