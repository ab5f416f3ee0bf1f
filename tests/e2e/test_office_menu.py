"""The menu screen in Chromium: a manager adds a required choice group and an item that
asks it at /office/menu, and a waiter's tablet, open on a check in another browser, shows
the item at once (no reload) and orders it with its required choice. Then the screen is
looked at in Romanian and English, on the office PC and on a tablet held sideways."""

from __future__ import annotations

from pathlib import Path

from factories import make_staff
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.screens import assert_laid_out, new_screen, press, seat_table, sign_in_on_tablet, type_pin
from pos.core.auth import Role
from pos.menu.models import MenuItem
from pos.ordering.models import OrderLine

SHOTS = Path("/tmp/shots/office-menu")
SIZES = {"1920x1080": {"width": 1920, "height": 1080}, "1024x768": {"width": 1024, "height": 768}}
WAITER = "1111"  # Ana Popescu, the demo's
NUMBER = "880"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")


def open_menu_screen(browser, live_server, language: str, size: dict):
    manager = make_staff(live_server.app.extensions["masa_db"], Role.MANAGER,
                         name=f"Manager {language.upper()}", language=language)
    context, page = new_screen(browser, size, touch=False,
                               locale="ro-RO" if language == "ro" else "en-GB")
    page.goto(f"{live_server.url}/signin?lang={language}&next=/office/menu")
    type_pin(page, manager.pin)
    expect(page).to_have_url(live_server.url + "/office/menu")
    expect(page.locator('[data-office-section="menu"]')).to_have_attribute("aria-current", "page")
    expect(page.locator("[data-items] tbody tr").first).to_have_attribute("data-number", "101")
    return context, page


def tab(page, name: str) -> None:
    page.locator(f'[data-tab="{name}"]').click()
    expect(page.locator(f'[data-pane="{name}"]')).to_be_visible()


def test_a_manager_adds_an_item_with_a_required_choice_and_a_tablet_orders_it(
        browser, live_server):
    db = live_server.app.extensions["masa_db"]
    tablet_context, tablet = new_screen(browser, "tablet-landscape")
    office_context, office = open_menu_screen(browser, live_server, "ro", SIZES["1920x1080"])
    try:
        sign_in_on_tablet(tablet, live_server.url, WAITER)
        seat_table(tablet, "5", 2)  # the order screen, on the first category (soups)
        expect(tablet.locator(".item-tile").first).to_be_visible()

        # A required choice group: the sauce, one of two.
        tab(office, "groups")
        office.locator("[data-new-group]").click()
        group = office.locator("[data-group-form]")
        group.locator('[name="names.ro"]').fill("Sos de casă")
        group.locator('[name="names.en"]').fill("House sauce")
        group.locator('[name="min_choices"]').fill("3")  # more than the most: refused, named
        group.locator('[name="max_choices"]').fill("1")
        choices = group.locator("[data-choice]")
        choices.nth(0).locator('[name="ro"]').fill("Usturoi")
        choices.nth(0).locator('[name="en"]').fill("Garlic")
        group.locator("[data-add-choice]").click()
        choices.nth(1).locator('[name="ro"]').fill("Smântână")
        choices.nth(1).locator('[name="en"]').fill("Sour cream")
        choices.nth(1).locator('[name="price_delta"]').fill("3,50")
        group.locator("[data-save]").click()
        expect(group.locator("[data-form-error]")).to_be_visible()
        expect(group.locator('.office-field[data-invalid] [name="min_choices"]')).to_have_count(1)
        group.locator('[name="min_choices"]').fill("1")
        group.locator("[data-save]").click()
        expect(office.locator("[data-group-dialog]")).not_to_be_visible()
        expect(office.locator("[data-groups] tbody tr", has_text="Sos de casă")).to_contain_text(
            "Usturoi, Smântână")

        # The item, in the soups, asking the sauce.
        tab(office, "items")
        office.locator("[data-new-item]").click()
        item = office.locator("[data-item-form]")
        item.locator('[name="number"]').fill(NUMBER)
        item.locator('[name="price"]').fill("27,50")
        item.locator('[name="names.ro"]').fill("Fasole în pâine")
        item.locator('[name="names.en"]').fill("Bean soup in a bread bowl")
        item.locator('[name="category_id"]').select_option("1")
        item.locator("[data-item-groups] label", has_text="Sos de casă").locator("input").check()
        item.locator("[data-allergens] label", has_text="Gluten").locator("input").check()
        item.locator("[data-save]").click()
        expect(office.locator("[data-item-dialog]")).not_to_be_visible()
        office.locator("[data-search]").fill("fasole paine")
        expect(office.locator(f'[data-items] tbody tr[data-number="{NUMBER}"]')).to_contain_text(
            "27,50")

        # The tablet has it, without a reload, and asks for the sauce first.
        tile = tablet.locator(f'.item-tile[data-number="{NUMBER}"]')
        expect(tile).to_contain_text("Fasole în pâine")
        press(tile)
        dialog = tablet.locator(".dlg-item")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".mod-group-name").first).to_contain_text("Sos de casă")
        press(dialog.locator("[data-modifier-id]", has_text="Smântână"))
        press(dialog.locator("[data-add]"))
        press(tablet.locator("[data-send]"))
        expect(tablet.locator(".line-sent")).to_have_count(1)
        with db.reading() as session:
            [line] = session.scalars(select(OrderLine).join(
                MenuItem, MenuItem.id == OrderLine.item_id).where(
                MenuItem.number == int(NUMBER))).all()
            assert [m["names"]["en"] for m in line.modifiers] == ["Sour cream"]
            assert line.modifiers_price == 350
        assert tablet.js_errors == []
        assert office.js_errors == []

        # Looked at in both languages, at both sizes.
        en_context, english = open_menu_screen(browser, live_server, "en", SIZES["1920x1080"])
        try:
            for language, page in (("ro", office), ("en", english)):
                page.locator("[data-search]").fill("")
                for size_name, size in SIZES.items():
                    page.set_viewport_size(size)
                    look_at_the_screen(page, f"{language}-{size_name}")
            assert english.js_errors == []
        finally:
            en_context.close()
    finally:
        tablet_context.close()
        office_context.close()


def look_at_the_screen(page, name: str) -> None:
    tab(page, "items")
    expect(page.locator("[data-items] tbody tr").first).to_have_attribute("data-number", "101")
    assert_laid_out(page, ".menu-head h1, [data-export], .menu-import, .menu-tab, [data-search], "
                          "[data-category-filter], [data-new-item], [data-items] thead th, "
                          "[data-items] tbody tr:first-child :is(th, td, button, input)")
    shot(page, f"{name}-1-items")
    page.locator('[data-edit-item]').first.click()
    assert_laid_out(page, "[data-item-dialog] :is(h2, [name=number], [name=price], "
                          "[name='names.ro'], [name='names.en'], [data-save], [data-close])")
    shot(page, f"{name}-2-item-editor")
    page.locator("[data-item-dialog] [data-close]").click()
    tab(page, "categories")
    assert_laid_out(page, "[data-categories] tbody tr:first-child :is(th, button)")
    shot(page, f"{name}-3-categories")
    tab(page, "groups")
    assert_laid_out(page, "[data-groups] tbody tr:nth-child(-n+2) :is(th, button)")
    shot(page, f"{name}-4-groups")
