"""Menu schedules in Chromium: a manager adds a happy hour at /office/menu (draught lager at
9,00 on weekdays 17:00–19:00); a waiter's tablet, open in another browser a minute before
17:00, hears the change live and, when its clock passes 17:00, shows the new price with no
reload; the beer it sends is charged it. The server's clock and the tablet's are both set
inside the window (never the real time). Then the screens are looked at in Romanian and
English, on the office PC and on a tablet held sideways."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from factories import make_staff
from playwright.sync_api import expect
from sqlalchemy import select

import pos.core.db
from e2e.screens import assert_laid_out, new_screen, press, seat_table, sign_in_on_tablet, type_pin
from pos.core.auth import Role
from pos.menu.models import MenuItem
from pos.ordering.models import OrderLine

SHOTS = Path("/tmp/shots/schedules")
SIZES = {"1920x1080": {"width": 1920, "height": 1080}, "1024x768": {"width": 1024, "height": 768}}
WAITER = "1111"  # Ana Popescu, the demo's
BEER = 806  # draught lager, 18,00 in the demo
# A Wednesday in Bucharest (UTC+2): the server at 17:05, the tablet a minute before 17:00.
SERVER_AT = datetime(2026, 12, 2, 15, 5, tzinfo=UTC)
TABLET_AT = datetime(2026, 12, 2, 14, 59, tzinfo=UTC)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")


def price_text(amount: str):
    return re.compile(rf"(^|\D){amount}")


def open_office(browser, live_server, language: str, size: dict):
    manager = make_staff(live_server.app.extensions["masa_db"], Role.MANAGER,
                         name=f"Manager {language.upper()}", language=language)
    context, page = new_screen(browser, size, touch=False,
                               locale="ro-RO" if language == "ro" else "en-GB")
    page.goto(f"{live_server.url}/signin?lang={language}&next=/office/menu")
    type_pin(page, manager.pin)
    expect(page).to_have_url(live_server.url + "/office/menu")
    expect(page.locator("[data-items] tbody tr").first).to_have_attribute("data-number", "101")
    page.locator('[data-tab="schedules"]').click()
    expect(page.locator('[data-pane="schedules"]')).to_be_visible()
    return context, page


def test_a_happy_hour_made_in_the_office_prices_the_tablets_beer_live(
        browser, live_server, monkeypatch):
    db = live_server.app.extensions["masa_db"]
    started = time.monotonic()
    monkeypatch.setattr(pos.core.db, "clock",
                        lambda: SERVER_AT + timedelta(seconds=time.monotonic() - started))
    tablet_context, tablet = new_screen(browser, "tablet-landscape")
    office_context, office = open_office(browser, live_server, "ro", SIZES["1920x1080"])
    try:
        tablet.clock.install(time=TABLET_AT)
        sign_in_on_tablet(tablet, live_server.url, WAITER)
        seat_table(tablet, "5", 2)
        press(tablet.locator("[data-category-id]", has_text="Vin & bere"))
        tile = tablet.locator(f'.item-tile[data-number="{BEER}"]')
        expect(tile.locator(".item-price")).to_have_text(price_text("18,00"))

        office.locator("[data-new-schedule]").click()
        form = office.locator("[data-schedule-form]")
        form.locator('[name="names.ro"]').fill("Bere la jumătate")
        form.locator('[name="names.en"]').fill("Half-price beer")
        for day in ("mon", "tue", "wed", "thu", "fri"):
            form.locator(f'[data-day="{day}"]').click()
        expect(form.locator('[data-day="wed"]')).to_have_attribute("aria-pressed", "true")
        form.locator('[name="starts"]').fill("17:00")
        form.locator('[name="ends"]').fill("17:00")  # no time at all: refused, named
        form.locator('[data-find="prices"]').fill(str(BEER))
        form.locator(".schedule-found button", has_text="Bere blondă").click()
        form.locator('.schedule-price [name="price"]').fill("9,00")
        form.locator("[data-save]").click()
        expect(form.locator("[data-form-error]")).to_be_visible()
        expect(form.locator('.office-field[data-invalid] [name="ends"]')).to_have_count(1)
        form.locator('[name="ends"]').fill("19:00")
        form.locator("[data-save]").click()
        expect(office.locator("[data-schedule-dialog]")).not_to_be_visible()
        row = office.locator("[data-schedules] tbody tr", has_text="Bere la jumătate")
        expect(row).to_contain_text("17:00–19:00")
        expect(row).to_contain_text(re.compile("Lun–Vin|Mon–Fri"))  # before the catalogue has it

        # The tablet heard it (no reload): not yet 17:00 there, so the beer is still 18,00 …
        tablet.wait_for_function(
            "() => [...document.querySelectorAll('.item-tile')].length > 0")
        expect(tile.locator(".item-price")).to_have_text(price_text("18,00"))
        tablet.clock.run_for(90_000)  # … until its clock passes 17:00
        expect(tile.locator(".item-price")).to_have_text(price_text("9,00"))
        shot(tablet, "ro-1024x768-tablet-happy-hour")
        assert_laid_out(tablet, f'.item-tile[data-number="{BEER}"], '
                                f'.item-tile[data-number="{BEER}"] .item-price')
        press(tile)
        press(tablet.locator("[data-send]"))
        expect(tablet.locator(".line-sent")).to_have_count(1)
        with db.reading() as session:
            [line] = session.scalars(select(OrderLine).join(
                MenuItem, MenuItem.id == OrderLine.item_id).where(MenuItem.number == BEER)).all()
        assert line.unit_price == 900
        assert tablet.js_errors == []
        assert office.js_errors == []

        en_context, english = open_office(browser, live_server, "en", SIZES["1920x1080"])
        try:
            for language, page in (("ro", office), ("en", english)):
                for size_name, size in SIZES.items():
                    page.set_viewport_size(size)
                    look_at_the_schedules(page, f"{language}-{size_name}")
            assert english.js_errors == []
        finally:
            en_context.close()
    finally:
        tablet_context.close()
        office_context.close()


def look_at_the_schedules(page, name: str) -> None:
    page.locator('[data-tab="schedules"]').click()
    expect(page.locator("[data-schedules] tbody tr")).to_have_count(2)  # the demo's and ours
    page.locator("[data-schedules] tbody tr").last.scroll_into_view_if_needed()
    assert_laid_out(page, ".menu-tab, [data-new-schedule], [data-schedules] tbody tr "
                          ":is(th, td, button)")
    shot(page, f"{name}-1-schedules")
    page.locator("[data-schedules] tbody tr", has_text=re.compile("Bere la jumătate|Half-price")) \
        .locator("[data-edit-schedule]").click()
    dialog = page.locator("[data-schedule-dialog]")
    expect(dialog.locator(".schedule-price")).to_have_count(1)
    expect(dialog.locator("[name=starts]")).to_have_value("17:00")
    assert_laid_out(page, "[data-schedule-dialog] :is(h2, [name='names.ro'], [name='names.en'], "
                          ".schedule-day, [name=starts], [name=ends])")
    shot(page, f"{name}-2-schedule-editor")
    dialog.evaluate("d => { d.scrollTop = d.scrollHeight; }")
    assert_laid_out(page, "[data-schedule-dialog] :is([data-save], [data-close], [data-delete], "
                          ".schedule-price :is(input, button), [data-find])")
    shot(page, f"{name}-3-schedule-editor-end")
    dialog.locator("[data-close]").click()
