"""Lines on paper: text laid out as ESC/POS bytes, in the printer's code page, with a
picture for what the code page cannot say.

The bytes are built on python-escpos's ``Dummy`` printer and sent to the real one in a
single write by the print worker, so a document reaches the printer whole or not at all.

Letters: Romanian ă â î ş ţ print through code page CP852. ș ț (comma below), the
correct letters, are in no printer code page, so a ``"cp852"`` printer gets ş ţ
(cedilla), which people read the same. A letter CP852 lacks prints as its base letter
(Caffè → Caffe, jalapeño → jalapeno); a line with a letter that has no base letter in
CP852 (ø, Chinese, an emoji) is drawn as a picture with a real font, never printed as
"?". A printer set to ``"image"`` gets every line that is not plain ASCII as a picture,
with the real letters.
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # python-escpos and Pillow (~10 MB) load with the first page printed
    from PIL import Image

CODE_PAGE = "CP852"
DEFAULT_IMAGE_WIDTH = 512  # dots: fits 80 mm printers (512 on Epson TM-T88, 576 on most)
FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT_FILES = ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
# For Chinese, Japanese and Korean, which DejaVu has no letters for: the first installed.
WIDE_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)

Size = Literal["normal", "tall", "double", "large"]
Align = Literal["left", "center", "right"]
# Characters a line holds at each size is the printer's width divided by this.
SIZE_DIVISOR: dict[str, int] = {"normal": 1, "tall": 1, "double": 2, "large": 3}
FONT_DOTS: dict[str, int] = {"normal": 24, "tall": 44, "double": 44, "large": 64}

# ș ț exist in no code page; the rest are typography paper can do without.
CP852_SUBSTITUTES = str.maketrans({
    "ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ",
    "—": "-", "–": "-", "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...",
    "\u00a0": " ",
})


def for_cp852(text: str) -> str:
    """``text`` with the letters CP852 lacks replaced by the nearest it has: ș → ş, and a
    letter it has no accent for by its base letter (Caffè → Caffe, jalapeño → jalapeno).
    A letter with no base letter in CP852 stays "?" here; the writer draws such a line
    as a picture instead (``in_cp852_words``)."""
    return in_cp852_words(text) or "".join(
        ch if in_cp852(ch) else (base_letters(ch) or "?")
        for ch in text.translate(CP852_SUBSTITUTES))


def in_cp852_words(text: str) -> str | None:
    """``text`` as CP852 can print it (see ``for_cp852``), or None when some letter has no
    stand-in there and the line must be drawn."""
    out = []
    for ch in text.translate(CP852_SUBSTITUTES):
        if in_cp852(ch):
            out.append(ch)
            continue
        bare = base_letters(ch)
        if not bare:
            return None
        out.append(bare)
    return "".join(out)


@lru_cache(maxsize=512)
def in_cp852(ch: str) -> bool:
    try:
        ch.encode("cp852")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=512)
def base_letters(ch: str) -> str:
    """The letters under a letter's accents, as far as CP852 has them ("" for ø, 中:
    nothing to fall back on)."""
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if in_cp852(c)
                   and not unicodedata.combining(c))


class PaperWriter:
    """Lines of one document on a python-escpos ``Dummy`` that collects the bytes.

    ``diacritics``: "cp852" (text in CP852, a picture only for a line CP852 cannot say)
    or "image" (every line that is not plain ASCII drawn). A profile without CP852 is
    treated as "image". ``width``: characters a line in the normal font."""

    def __init__(self, profile: str = "default", width: int = 42,
                 diacritics: str = "cp852") -> None:
        from escpos.capabilities import CAPABILITIES, get_profile
        from escpos.printer import Dummy

        if profile not in CAPABILITIES["profiles"]:
            profile = "default"  # a mistyped profile still prints, rather than not at all
        self.printer = Dummy(profile=profile)
        self.width = max(width, 16)
        self.pictures_only = (diacritics == "image"
                              or CODE_PAGE not in get_profile(profile).get_code_pages())
        media = dict(self.printer.profile.profile_data.get("media") or {})
        pixels = (media.get("width") or {}).get("pixels")
        self.pixels = pixels if isinstance(pixels, int) else DEFAULT_IMAGE_WIDTH
        # Our own copy, with the width known, so image() neither guesses nor complains.
        self.printer.profile.profile_data = {
            **self.printer.profile.profile_data,
            "media": {**media, "width": {"mm": 80, "pixels": self.pixels}}}
        self.printer.hw("INIT")  # ESC @: whatever the last job left set is reset
        if not self.pictures_only:
            # ESC t n with n the profile's number for CP852 (18 on most, 54 or 5 on some);
            # from here on python-escpos encodes every text in CP852.
            self.printer.magic.force_encoding(CODE_PAGE)

    # --- what a layout writes -----------------------------------------------------------

    def line(self, text: str, *, right: str | None = None, size: Size = "normal",
             align: Align = "left", bold: bool = False, invert: bool = False,
             indent: int = 0) -> None:
        """One line of text (wrapped to the paper's width when longer). ``right``: a second
        column flush right on the first line (an amount beside a name)."""
        text, right = str(text), (str(right) if right not in (None, "") else None)
        columns = max(self.width // SIZE_DIVISOR.get(size, 1) - indent, 8)
        printable = self._printable(text) if right is None else self._printable(text + right)
        if printable is None:
            self._draw_line(text, right, size=size, align=align, bold=bold, invert=invert,
                            indent=indent)
            return
        if right is not None:
            parts = _two_columns(self._printable(text) or "", self._printable(right) or "",
                                 columns)
            align = "left"
        else:
            parts = textwrap.wrap(printable, columns) or [""]
        self._styled(parts, indent=indent, size=size, bold=bold, invert=invert, align=align)

    def blank(self, count: int = 1) -> None:
        self.printer.text("\n" * max(count, 1))

    def rule(self, char: str = "-") -> None:
        char = char if len(char) == 1 and char.isascii() and char.isprintable() else "-"
        self.printer.text(char * self.width + "\n")

    def qr(self, data: str, *, size: int = 6) -> None:
        """A QR code the printer draws itself (``GS ( k``, model 2, error correction M),
        centred: sharp at any size and a few bytes instead of a picture."""
        from escpos.constants import QR_ECLEVEL_M

        if not data:
            return
        self.printer.set(align="center")
        self.printer.qr(data, ec=QR_ECLEVEL_M, size=min(max(int(size), 1), 16), native=True)
        self.printer.text("\n")
        self.printer.set(align="left")

    def picture(self, png: bytes) -> None:
        """A picture (a logo), centred, no wider than the paper; one that cannot be read
        is left out rather than stopping the document."""
        from PIL import Image, UnidentifiedImageError

        try:
            image = Image.open(io.BytesIO(png))
            image.load()
        except (UnidentifiedImageError, OSError, ValueError):
            return
        if image.width > self.pixels:
            image.thumbnail((self.pixels, image.height))
        self.printer.image(image, center=True)

    def raw(self, data: bytes) -> None:
        self.printer._raw(data)

    def finish(self, cut: bool = True) -> bytes:
        if cut:
            self.printer.cut()  # feeds past the cutter first
        return self.printer.output

    # --- how ----------------------------------------------------------------------------

    def _printable(self, text: str) -> str | None:
        """The text as the printer can print it, or None: draw it."""
        if self.pictures_only:
            return text if text.isascii() else None
        return in_cp852_words(text)

    def _styled(self, parts: list[str], *, indent: int, size: str, bold: bool, invert: bool,
                align: str) -> None:
        """Text lines in a style, sending only the commands that change something and
        putting back the plain style (left, normal size) afterwards."""
        p = self.printer
        big, sized, large = size == "double", size in ("double", "tall"), size == "large"
        moved = align != "left"
        p.set(align=align if moved else None, bold=bold or None, invert=invert or None,
              double_width=big, double_height=sized)
        if large:
            p.set(custom_size=True, width=3, height=3)  # GS ! 0x22
        for part in parts:
            p.text(" " * indent + part + "\n")
        if large:
            p.set(custom_size=True, width=1, height=1)  # GS ! 0x00
        p.set(align="left" if moved else None, bold=False if bold else None,
              invert=False if invert else None, normal_textsize=sized or None)

    def _draw_line(self, text: str, right: str | None, *, size: str, align: str, bold: bool,
                   invert: bool, indent: int) -> None:
        sized = size != "normal"
        font = _font(FONT_DOTS.get(size, FONT_DOTS["normal"]), bold or sized,
                     wide=any(_is_wide(ch) for ch in text + (right or "")))
        margin = indent * self.pixels // self.width
        room = self.pixels - margin - (int(font.getlength(right)) + 12 if right else 0)
        for number, part in enumerate(_wrap_pixels(text, font, max(room, self.pixels // 3))):
            self.printer.image(_draw(part, font, self.pixels, margin, align, invert,
                                     right if number == 0 else None))


def _two_columns(left: str, right: str, columns: int) -> list[str]:
    """``left`` wrapped, with ``right`` flush right on its first line (or on a line of its
    own when both do not fit)."""
    room = columns - len(right) - 1
    if room < 8:
        return [*(textwrap.wrap(left, columns) or [""]), right.rjust(columns)]
    first, *rest = textwrap.wrap(left, room) or [""]
    rest = textwrap.wrap(" ".join(rest), columns) if rest else []
    return [first.ljust(room) + " " + right, *rest]


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _draw(text: str, font: Any, width: int, margin: int, align: str, invert: bool,
          right: str | None = None) -> Image.Image:
    from PIL import Image, ImageDraw

    left, top, _right, bottom = font.getbbox("ĂgȚ|")
    height = bottom + max(top, 4)
    image = Image.new("L", (width, height), 0 if invert else 255)
    draw = ImageDraw.Draw(image)
    length = draw.textlength(text, font=font)
    x = {"center": (width - length) / 2, "right": width - length}.get(align, margin)
    ink = 255 if invert else 0
    draw.text((x, 0), text, font=font, fill=ink)
    if right:
        draw.text((width - draw.textlength(right, font=font), 0), right, font=font, fill=ink)
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


@lru_cache(maxsize=16)
def _font(size: int, bold: bool, wide: bool = False) -> Any:
    from PIL import ImageFont

    candidates = (WIDE_FONT_FILES if wide else ()) + (BOLD_FONT_FILES if bold else FONT_FILES)
    for path in candidates:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)
