"""Pictures: an item's photo and the venue's logo, sent as JSON (base64), kept only as a
real PNG, JPEG or WebP drawn again without its metadata, once per content, served at an
address named by its hash to whoever is signed in here, and taken away again, audited."""

from __future__ import annotations

import base64
import io

import menu_helpers
import pytest
from factories import make_device, make_item, make_staff, signed_in
from PIL import Image
from sqlalchemy import func, select

from pos.core.audit import AuditEntry
from pos.core.auth import Role
from pos.core.images import MAX_UPLOAD_BYTES, StoredImage

office, rows = menu_helpers.office, menu_helpers.rows  # a fixture, a count


def picture(kind: str = "PNG", size: tuple[int, int] = (40, 30), color=(200, 30, 30),
            **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind, **save)
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def stored(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(StoredImage))


def put_image(client, item_id: int, data):
    return client.put(f"/api/v1/menu/items/{item_id}/image", json={"data": data})


def test_an_item_gets_a_photo_kept_once_served_cacheable_and_taken_away(app, db, office):
    item = make_item(db, name="Papanași")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # the camera's maker: metadata that must not be kept
    big = picture("JPEG", (2000, 1000), exif=exif.tobytes())
    answer = put_image(office, item.id, b64(big))
    assert answer.status_code == 200, answer.get_json()
    url = answer.get_json()["image_url"]
    assert url.startswith("/media/") and url.endswith(".jpg")
    again = put_image(office, item.id, "data:image/jpeg;base64," + b64(big))
    assert again.get_json()["image_url"] == url and stored(db) == 1  # kept once

    waiter = signed_in(app, make_staff(db, Role.WAITER))
    served = waiter.get(url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "immutable" in served.headers["Cache-Control"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    kept = Image.open(io.BytesIO(served.data))
    assert kept.size == (800, 400)  # drawn again at most 800 px
    assert b"SecretCam" not in served.data and not kept.getexif()
    assert waiter.get(url, headers={"If-None-Match": served.headers["ETag"]}).status_code == 304
    tile = next(i for i in waiter.get("/api/v1/menu").get_json()["items"] if i["id"] == item.id)
    assert tile["image_url"] == url

    kitchen = app.test_client()
    assert kitchen.get(url, headers=make_device(db, Role.KITCHEN).bearer).status_code == 200
    assert app.test_client().get(url).status_code == 401  # nobody signed in
    assert waiter.get(url.replace(".jpg", ".png")).status_code == 404
    assert waiter.get("/media/" + "0" * 64 + ".jpg").status_code == 404
    assert waiter.get("/media/../app.py").status_code == 404

    removed = put_image(office, item.id, None)
    assert removed.status_code == 200 and removed.get_json()["image_url"] is None
    tile = next(i for i in waiter.get("/api/v1/menu").get_json()["items"] if i["id"] == item.id)
    assert tile["image_url"] is None
    with db.reading() as session:
        changes = [(e.details["before"], e.details["after"]) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "menu.item_changed",
                                     AuditEntry.subject == f"menu_item:{item.id}")
            .order_by(AuditEntry.id))]
    assert changes == [({"image_url": None}, {"image_url": url}),
                       ({"image_url": url}, {"image_url": None})]


def test_a_png_stays_a_png_with_its_transparency_and_a_webp_a_webp(db, office):
    item = make_item(db)
    clear = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(clear, "PNG")
    assert put_image(office, item.id, b64(clear.getvalue())).get_json()["image_url"].endswith(
        ".png")
    assert put_image(office, item.id, b64(picture("WEBP"))).get_json()["image_url"].endswith(
        ".webp")


@pytest.mark.parametrize("data, code", [
    ("not base64 at all!", None),
    (b64(b"GIF89a" + b"\0" * 40), "not_an_image"),
    (b64(picture("GIF")), "not_an_image"),
    (b64(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "not_an_image"),
    (b64(picture("PNG")[:60]), "not_an_image"),  # cut short
    (b64(picture("BMP")), "not_an_image"),
    ("", None),
    (12, None),
], ids=["not-base64", "gif-header", "gif", "svg", "truncated", "bmp", "empty", "number"])
def test_what_is_not_a_png_jpeg_or_webp_is_refused_naming_the_field(db, office, data, code):
    item = make_item(db)
    before = rows(db), stored(db)
    answer = put_image(office, item.id, data)
    assert answer.status_code == 422, answer.get_json()
    error = answer.get_json()["error"]
    assert error["field"] == "data"
    if code:
        assert error["code"] == code
    assert (rows(db), stored(db)) == before


def test_too_big_a_picture_is_refused_and_nothing_written(db, office):
    item = make_item(db)
    before = rows(db), stored(db)
    too_big = b64(b"\xff" * (MAX_UPLOAD_BYTES + 1))
    answer = put_image(office, item.id, too_big)
    assert answer.status_code in (413, 422) and answer.get_json()["error"]["field"] in (
        "data", None)
    huge = office.put(f"/api/v1/menu/items/{item.id}/image",
                      data=b'{"data": "' + b"A" * (4 * 1024 * 1024) + b'"}',
                      content_type="application/json")
    assert huge.status_code == 413
    # A small file claiming a vast canvas (a decompression bomb) is refused too.
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")
    answer = put_image(office, item.id, b64(bomb.getvalue()))
    assert answer.status_code == 413 and answer.get_json()["error"]["field"] == "data"
    assert (rows(db), stored(db)) == before
    # Other requests keep their 1 MB limit.
    assert office.patch(f"/api/v1/menu/items/{item.id}", json={
        "names": {"ro": "x" * 2_000_000}}).status_code == 413


def test_a_device_or_a_waiter_may_not_change_a_photo_or_the_logo(app, db):
    item = make_item(db)
    data = b64(picture())
    screen = app.test_client()
    kitchen = make_device(db, Role.KITCHEN).bearer
    assert screen.put(f"/api/v1/menu/items/{item.id}/image", json={"data": data},
                      headers=kitchen).status_code == 403
    manager_screen = make_device(db, Role.MANAGER).bearer
    assert screen.put("/api/v1/venue/logo", json={"data": data},
                      headers=manager_screen).status_code == 403  # a person's setting
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    assert put_image(waiter, item.id, data).status_code == 403
    assert waiter.put("/api/v1/venue/logo", json={"data": data}).status_code == 403
    assert put_image(signed_in(app, make_staff(db, Role.MANAGER)), 999999,
                     data).status_code == 404


def test_the_venue_gets_a_logo_audited_and_can_take_it_away(app, db, as_role):
    admin = as_role("admin")
    wide = picture("PNG", (1200, 200))
    answer = admin.put("/api/v1/venue/logo", json={"data": b64(wide)})
    assert answer.status_code == 200, answer.get_json()
    url = answer.get_json()["logo_url"]
    assert admin.get("/api/v1/venue").get_json()["logo_url"] == url
    assert Image.open(io.BytesIO(admin.get(url).data)).size == (600, 100)
    assert admin.put("/api/v1/venue/logo", json={"data": None}).get_json()["logo_url"] is None
    refused = admin.put("/api/v1/venue/logo", json={"data": b64(b"%PDF-1.4")})
    assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "data"
    assert admin.put("/api/v1/venue/logo", json={}).get_json()["error"]["field"] == "data"
    with db.reading() as session:
        logos = [e.details["changes"]["logo"] for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "settings.changed")
            .order_by(AuditEntry.id)) if "logo" in e.details.get("changes", {})]
    assert logos == [[None, url], [url, None]]


def test_a_menu_file_carries_no_pictures_and_its_import_keeps_them(db, office):
    """Pictures stay with the venue's database: the export names none (a file stays small
    and text), and importing it back leaves each item's photo as it was."""
    item = make_item(db, name="Clătite")
    url = put_image(office, item.id, b64(picture())).get_json()["image_url"]
    exported = office.get("/api/v1/menu/export.json").get_data(as_text=True)
    assert "/media/" not in exported and "image" not in exported
    answer = office.post("/api/v1/menu/import", json={"format": "json", "content": exported})
    assert answer.status_code == 200, answer.get_json()
    assert office.get(f"/api/v1/menu/items/{item.id}").get_json()["image_url"] == url


def test_a_picture_line_that_cannot_be_read_is_left_out_of_the_paper():
    """A print job's picture (the logo) is drawn centred, no wider than the paper; one that
    cannot be read is left out and the rest of the document still prints."""
    from pos.devices.paper import PaperWriter

    writer = PaperWriter(width=32)
    writer.picture(picture("PNG", (2000, 100)))
    writer.picture(b"not a picture")
    writer.line("after")
    printed = writer.finish(cut=False)
    assert printed.count(b"\x1dv0") == 1 and printed.endswith(b"after\n")
    width_bytes = int.from_bytes(printed[printed.index(b"\x1dv0") + 4:][:2], "little")
    assert width_bytes * 8 <= writer.pixels
