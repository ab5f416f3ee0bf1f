"""Pictures in Chromium: a manager gives a dish its photo in the menu editor and a waiter's
tablet, open in another browser, shows it on the dish's tile at once, small, with the
tile no taller and its labels whole; an admin sets the venue's logo in the settings and
the guest's e-receipt shows it. Looked at on the tablet held both ways and on the office
PC, in Romanian and English."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from factories import make_staff, signed_in
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.screens import (
    SIZES,
    assert_laid_out,
    box,
    new_screen,
    press,
    seat_table,
    sign_in_on_tablet,
    table,
    type_pin,
)
from pos.core.auth import Role
from pos.menu.models import MenuItem

SHOTS = Path("/tmp/shots/images")
OFFICE = {"width": 1920, "height": 1080}
TABLET_SIZES = ("tablet-landscape", "tablet-portrait")
NUMBER = "101"  # the demo's first soup: the first tile on the order screen
# (Allergens end in "…" on a narrow tile, with or without a photo: their title holds them.)
TILE_LABELS = (".item-tile:is(.has-image, :first-child) :is(.item-name, .item-price, .item-number, "
               ".item-image, .item-asks)")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")


def photo(tmp_path: Path, name: str, size: tuple[int, int], colours: tuple[str, str]) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colours[0])
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width // 6, height // 6, width * 5 // 6, height * 5 // 6), fill=colours[1])
    path = tmp_path / name
    image.save(path)
    return path


def office_screen(browser, live_server, role: Role, language: str, path: str):
    person = make_staff(live_server.app.extensions["masa_db"], role,
                        name=f"{role.value.title()} {language.upper()}", language=language)
    context, page = new_screen(browser, OFFICE, touch=False,
                               locale="ro-RO" if language == "ro" else "en-GB")
    page.goto(f"{live_server.url}/signin?lang={language}&next={path}")
    type_pin(page, person.pin)
    expect(page).to_have_url(live_server.url + path)
    return context, page


def tablet_screen(browser, live_server, language: str):
    waiter = make_staff(live_server.app.extensions["masa_db"], Role.WAITER,
                        name=f"Waiter {language.upper()}", language=language)
    context, page = new_screen(browser, "tablet-landscape",
                               locale="ro-RO" if language == "ro" else "en-GB")
    sign_in_on_tablet(page, live_server.url, waiter.pin)
    return context, page


def loaded(image) -> bool:
    return image.evaluate("i => i.complete && i.naturalWidth > 0")


def test_a_photo_reaches_the_tablet_live_and_the_logo_the_receipt(browser, live_server,
                                                                   tmp_path):
    db = live_server.app.extensions["masa_db"]
    contexts = []
    try:
        tablets = {}
        for language in ("ro", "en"):
            context, tablet = tablet_screen(browser, live_server, language)
            contexts.append(context)
            if language == "ro":
                seat_table(tablet, "5", 2)
            else:  # seat_table reads the Romanian title
                press(table(tablet, "6"))
                press(tablet.locator('.dlg-guests [data-guests="2"]'))
                expect(tablet).to_have_url(re.compile(r"#/check/\d+$"))
            expect(tablet.locator(f'.item-tile[data-number="{NUMBER}"]')).to_be_visible()
            tablets[language] = tablet
        tablet = tablets["ro"]
        tile = tablet.locator(f'.item-tile[data-number="{NUMBER}"]')
        heights = {size: None for size in TABLET_SIZES}
        for size in TABLET_SIZES:
            tablet.set_viewport_size(SIZES[size])
            heights[size] = box(tile)["height"]
        tablet.set_viewport_size(SIZES["tablet-landscape"])
        expect(tile.locator("img")).to_have_count(0)

        # The manager picks a photo for the soup: a preview, then Save.
        context, office = office_screen(browser, live_server, Role.MANAGER, "ro", "/office/menu")
        contexts.append(context)
        office.locator(f'[data-items] tbody tr[data-number="{NUMBER}"] [data-edit-item]').click()
        dialog = office.locator("[data-item-dialog]")
        expect(dialog.locator("[data-image-none]")).to_be_visible()
        dialog.locator("[data-image-file]").set_input_files(
            str(photo(tmp_path, "soup.jpg", (1600, 1200), ("#f5deb3", "#b5401f"))))
        preview = dialog.locator("[data-image-preview]")
        expect(preview).to_be_visible()
        assert loaded(preview)
        dialog.locator("[data-field=image]").evaluate(
            "e => e.scrollIntoView({block: 'center'})")
        assert_laid_out(office, "[data-item-dialog] :is([data-image-preview], .menu-image-choose, "
                                "[data-image-remove], .menu-image-hint)")
        shot(office, "office-ro-1920x1080-item-photo")
        dialog.locator("[data-save]").click()
        expect(dialog).not_to_be_visible()

        # Both tablets show it at once, no reload; the tile keeps its size and its labels.
        for language, page in tablets.items():
            image = page.locator(f'.item-tile[data-number="{NUMBER}"] img.item-image')
            expect(image).to_have_attribute("src", re.compile(r"^/media/[0-9a-f]{64}\.jpg$"))
            expect(image).to_have_attribute("loading", "lazy")
            page.wait_for_function("i => i.complete && i.naturalWidth > 0",
                                   arg=image.element_handle())
            for size in TABLET_SIZES:
                page.set_viewport_size(SIZES[size])
                if language == "ro":
                    assert box(tile)["height"] == heights[size], size
                picture, name = box(image), box(page.locator(
                    f'.item-tile[data-number="{NUMBER}"] .item-name'))
                assert picture["width"] <= 32 and picture["bottom"] <= name["top"] + 1, size
                assert_laid_out(page, TILE_LABELS)
                shot(page, f"tablet-{language}-{size}")
            assert page.js_errors == []
        with db.reading() as session:
            assert session.scalar(select(MenuItem.image_id).where(
                MenuItem.number == int(NUMBER))) is not None

        # The editor shows the photo again, in English too.
        context, english = office_screen(browser, live_server, Role.MANAGER, "en",
                                         "/office/menu")
        contexts.append(context)
        english.locator(f'[data-items] tbody tr[data-number="{NUMBER}"] [data-edit-item]').click()
        expect(english.locator("[data-item-dialog] [data-image-preview]")).to_be_visible()
        expect(english.locator("[data-item-dialog] [data-image-remove]")).to_be_visible()
        english.locator("[data-item-dialog] [data-field=image]").evaluate(
            "e => e.scrollIntoView({block: 'center'})")
        assert_laid_out(english, "[data-item-dialog] :is([data-image-preview], "
                                 ".menu-image-choose, [data-image-remove], .menu-image-hint)")
        shot(english, "office-en-1920x1080-item-photo")
        assert office.js_errors == [] and english.js_errors == []

        # The admin sets the venue's logo; the guest's e-receipt shows it.
        for language in ("ro", "en"):
            context, settings = office_screen(browser, live_server, Role.ADMIN, language,
                                              "/office/settings")
            contexts.append(context)
            logo = settings.locator("[data-logo]")
            logo.scroll_into_view_if_needed()
            settings.locator("[data-logo-file]").set_input_files(str(photo(
                tmp_path, f"logo-{language}.png", (900, 300), ("#ffffff", "#1f3b6e"))))
            expect(logo.locator("[data-logo-preview]")).to_be_visible()
            expect(logo.locator("[data-logo-remove]")).to_be_visible()
            assert_laid_out(settings, "[data-logo] :is(h3, [data-logo-preview], "
                                      ".settings-logo-choose, [data-logo-remove])")
            shot(settings, f"settings-{language}-1920x1080-logo")
            assert settings.js_errors == []

        app = live_server.app
        waiter = signed_in(app, make_staff(db, Role.WAITER))
        with db.reading() as session:
            soup = session.scalar(select(MenuItem.id).where(MenuItem.number == int(NUMBER)))
        opened = waiter.post("/api/v1/checks", json={"kind": "bar_tab", "name": "Logo",
                                                     "guest_count": 1,
                                                     "client_id": str(uuid.uuid4())}).get_json()
        sent = waiter.post(f"/api/v1/checks/{opened['id']}/send", json={
            "client_id": str(uuid.uuid4()), "version": opened["version"],
            "lines": [{"item_id": soup, "quantity": 1}]})
        assert sent.status_code == 200, sent.get_json()
        total = waiter.get(f"/api/v1/checks/{opened['id']}").get_json()["totals"]["total"]
        paid = signed_in(app, make_staff(db, Role.CASHIER)).post(
            f"/api/v1/checks/{opened['id']}/payments", json={
                "client_id": str(uuid.uuid4()), "bill": 1, "tender": "cash", "amount": total})
        assert paid.status_code == 201, paid.get_json()
        context, guest = new_screen(browser, "phone")
        contexts.append(context)
        guest.goto(live_server.url + urlsplit(paid.get_json()["bills"][0]["receipt_url"]).path)
        receipt_logo = guest.locator("img.receipt-logo")
        expect(receipt_logo).to_be_visible()
        assert loaded(receipt_logo)
        assert box(receipt_logo)["right"] <= 390
        shot(guest, "receipt-phone-with-logo")
        assert guest.js_errors == []
    finally:
        for context in contexts:
            context.close()
