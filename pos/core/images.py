"""Pictures the venue gives Masa: a dish's photo on the tablet's tile, the venue's logo on
its receipts.

An upload arrives as JSON (base64, like every other write), is opened with Pillow and
accepted only as a real PNG, JPEG or WebP; it is then drawn again at a sensible size,
which drops every piece of metadata it carried (a phone's GPS position, a camera's
serial number), and kept once by the hash of what was kept. It is served at
``/media/<sha256>.<ext>``: an address that names its content, so it never changes and
may be cached for good.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import warnings
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from flask import Blueprint, Response, request
from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy import LargeBinary, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from pos.core.api import Schema, current_db
from pos.core.auth import Permission, require
from pos.core.db import Base, utcnow
from pos.core.errors import InvalidInput, NotFound

if TYPE_CHECKING:  # Pillow loads with the first picture
    from PIL.Image import Image as Picture

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # decoded: a photo straight off a phone is refused
MAX_UPLOAD_CHARS = 4 * -(-MAX_UPLOAD_BYTES // 3)  # its base64
# The request around it: the base64 and a little JSON (every other request stays at 1 MB).
IMAGE_REQUEST_BYTES = MAX_UPLOAD_CHARS + 64 * 1024
MAX_SOURCE_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
ITEM_IMAGE_SIDE = 800  # a dish: the longer side, in pixels
LOGO_WIDTH, LOGO_HEIGHT = 600, 300
PAPER_LOGO_DOTS = 384  # a logo on paper: fits 58 mm printers, centred on 80 mm ones

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class StoredImage(Base):
    """A picture, kept once however many items show it."""

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int]
    height: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def url(self) -> str:
        return media_url(self.sha256, self.content_type)


def media_url(sha256: str, content_type: str) -> str:
    return f"/media/{sha256}.{EXTENSIONS.get(content_type, 'png')}"


class ImageUpload(Schema):
    """A picture, as base64 (a ``data:`` URL too); null takes the picture away."""

    data: str | None = Field(description="A PNG, JPEG or WebP picture, base64, up to 2 MB; "
                             "null: none", max_length=MAX_UPLOAD_CHARS + 64)


# --- taking an upload in --------------------------------------------------------------------

def decode_upload(data: str, field: str = "data") -> bytes:
    """The bytes a base64 upload carries (a ``data:image/...;base64,`` prefix is allowed)."""
    if data.startswith("data:"):
        data = data.partition(",")[2]
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(_("The picture is not base64 data."), field=field) from None
    if not raw:
        raise InvalidInput(_("The picture is empty."), field=field)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The picture is larger than %(mb)s MB: make it smaller.",
                             mb=MAX_UPLOAD_BYTES // (1024 * 1024)), field=field,
                           code="too_large", status=413)
    return raw


def open_picture(raw: bytes, field: str = "data") -> tuple[Picture, str]:
    """The picture and its format, if ``raw`` is a whole PNG, JPEG or WebP; else 422."""
    from PIL import Image

    refused = InvalidInput(_("Only a PNG, JPEG or WebP picture can be used."), field=field,
                           code="not_an_image")
    too_many = InvalidInput(_("The picture has too many pixels: make it smaller."),
                            field=field, code="too_large", status=413)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw), formats=tuple(FORMATS))
            if probe.width * probe.height > MAX_SOURCE_PIXELS:
                raise too_many
            probe.verify()  # a truncated or corrupt file is refused here
            picture = Image.open(io.BytesIO(raw), formats=tuple(FORMATS))
            picture.load()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except Exception:  # noqa: BLE001 - a broken file fails in many ways; each is refused
        raise refused from None
    if picture.format not in FORMATS:
        raise refused
    return picture, picture.format


def redrawn(raw: bytes, *, max_width: int, max_height: int,
            field: str = "data") -> tuple[bytes, str, int, int]:
    """The upload drawn again no larger than ``max_width`` × ``max_height``, upright, with
    no metadata, in its own format (a PNG stays lossless): bytes, type, width, height."""
    from PIL import ImageOps

    picture, kind = open_picture(raw, field)
    try:
        picture = ImageOps.exif_transpose(picture)  # a phone's portrait photo stands up
        picture.thumbnail((max_width, max_height))
        clear = picture.mode in ("RGBA", "LA", "PA", "P") and kind != "JPEG"
        picture = picture.convert("RGBA" if clear else "RGB")
        out = io.BytesIO()
        if kind == "PNG":
            picture.save(out, "PNG", optimize=True)
        elif kind == "WEBP":
            picture.save(out, "WEBP", quality=85, method=4)
        else:
            picture.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    except Exception:  # noqa: BLE001 - it opened, yet cannot be drawn: refused all the same
        raise InvalidInput(_("Only a PNG, JPEG or WebP picture can be used."), field=field,
                           code="not_an_image") from None
    return out.getvalue(), FORMATS[kind], picture.width, picture.height


def store_image(session: Session, data: str, *, max_width: int, max_height: int,
                field: str = "data") -> StoredImage:
    """Keep an upload (base64) once: the same picture sent twice is one row."""
    content, content_type, width, height = redrawn(
        decode_upload(data, field), max_width=max_width, max_height=max_height, field=field)
    digest = hashlib.sha256(content).hexdigest()
    kept = session.scalar(select(StoredImage).where(StoredImage.sha256 == digest))
    if kept is not None:
        return kept
    image = StoredImage(sha256=digest, content_type=content_type, width=width,
                        height=height, data=content)
    try:
        with session.begin_nested():
            session.add(image)
    except IntegrityError:  # the same picture, stored by another request meanwhile
        return session.scalar(select(StoredImage).where(StoredImage.sha256 == digest))
    return image


def image_url(session: Session, image_id: int | None) -> str | None:
    if image_id is None:
        return None
    row = session.execute(select(StoredImage.sha256, StoredImage.content_type)
                          .where(StoredImage.id == image_id)).first()
    return media_url(*row) if row else None


def image_bytes(session: Session, image_id: int | None) -> tuple[str, bytes] | None:
    """(sha256, bytes) of a stored picture, or None."""
    if image_id is None:
        return None
    row = session.execute(select(StoredImage.sha256, StoredImage.data)
                          .where(StoredImage.id == image_id)).first()
    return (row[0], row[1]) if row else None


def data_uri(session: Session, image_id: int | None) -> str | None:
    """A picture inside the page itself: a receipt opened by a guest who is signed in
    nowhere, and its PDF, show the logo without asking the server for it."""
    if image_id is None:
        return None
    row = session.execute(select(StoredImage.content_type, StoredImage.data)
                          .where(StoredImage.id == image_id)).first()
    if row is None:
        return None
    return f"data:{row[0]};base64,{base64.b64encode(row[1]).decode()}"


@lru_cache(maxsize=8)
def paper_picture(sha256: str, data: bytes, dots: int = PAPER_LOGO_DOTS) -> str:
    """A picture as a receipt printer draws it: black and white (dithered), at most
    ``dots`` wide, as base64 PNG (a logo is a few KB so)."""
    from PIL import Image

    picture = Image.open(io.BytesIO(data))
    picture.load()
    if picture.mode in ("RGBA", "LA", "P"):
        picture = picture.convert("RGBA")
        white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(white, picture)
    picture = picture.convert("L")
    picture.thumbnail((dots, dots * 2))
    out = io.BytesIO()
    picture.convert("1").save(out, "PNG", optimize=True)
    return base64.b64encode(out.getvalue()).decode()


# --- serving ---------------------------------------------------------------------------------

media = Blueprint("media", __name__)


@media.get("/media/<name>")
def serve_image(name: str) -> Response:
    """A stored picture, for anyone signed in here (a tablet, the office); cached for good,
    since its address is its content's hash."""
    require(Permission.VENUE_VIEW)
    digest, _dot, extension = name.partition(".")
    if not SHA256.match(digest) or extension not in EXTENSIONS.values():
        raise NotFound(_("There is no such picture."), field="name")
    with current_db().reading() as session:
        row = session.execute(select(StoredImage.content_type, StoredImage.data)
                              .where(StoredImage.sha256 == digest)).first()
    if row is None or EXTENSIONS[row[0]] != extension:
        raise NotFound(_("There is no such picture."), field="name")
    answer = Response(row[1], mimetype=row[0])
    answer.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    answer.headers["X-Content-Type-Options"] = "nosniff"
    answer.headers["Content-Disposition"] = "inline"
    answer.set_etag(digest)
    return answer.make_conditional(request)
