"""The inventory in Chromium, on the demo's stock: a manager adds an ingredient, makes a
prep of it (a sub-recipe) and a dish's recipe that uses the prep (a unit that does not
convert is refused on its line), receives a delivery, counts the kitchen on a tablet held
upright (blind, the variance shown after) and reads the stock and its ledger. Layouts
measured at the office PC and a tablet held sideways (office), upright (count), in
English and Romanian. Screenshots in /tmp/shots/stock-screens."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import requests
from factories import make_staff, session_cookie_at
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.screens import assert_laid_out, new_screen, press, type_pin
from pos.inventory.models import Recipe
from pos.menu.models import MenuItem

SHOTS = Path("/tmp/shots/stock-screens")
OFFICE_PARTS = (".office-nav-link, .inventory-tab, .inventory-head .button, "
                "[data-panel]:not([hidden]) .office-panel:first-child :is(input, select, button)")
COUNT_PARTS = ".count-location, .count-bar > *, .count-line:nth-child(-n+3) :is(input, select)"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")


def no_sideways_scroll(page) -> None:
    wide = page.evaluate("""() => [...document.querySelectorAll('.office-table-wrap, main, body')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.className)""")
    assert wide == [], f"{page.viewport_size}: {wide}"


def line(page, scope: str, index: int):
    return page.locator(f"{scope} [data-line]").nth(index)


def fill_line(row, what: str, quantity: str, unit: str | None = None) -> None:
    row.locator('[data-part="ingredient_id"]').select_option(label=what)
    row.locator('[data-part="quantity"]').fill(quantity)
    if unit:
        row.locator('[data-part="unit"]').select_option(unit)


def waste_from_another_screen(base: str, person, name: str, location: str, kg: float) -> None:
    headers = {"Cookie": session_cookie_at(base, person)}
    api = base + "/api/v1/inventory"
    ingredient = next(i["id"] for i in requests.get(f"{api}/ingredients", headers=headers,
                                                    timeout=5).json() if i["names"]["en"] == name)
    place = next(p["id"] for p in requests.get(f"{api}/locations", headers=headers,
                                               timeout=5).json() if p["code"] == location)
    answer = requests.post(f"{api}/waste", headers=headers, timeout=5, json={
        "client_id": str(uuid.uuid4()), "location_id": place, "reason": "Spoiled",
        "lines": [{"ingredient_id": ingredient, "quantity": kg, "unit": "kg"}]})
    assert answer.status_code == 201, answer.text


@pytest.mark.browser
def test_a_manager_builds_a_recipe_receives_counts_on_a_tablet_and_reads_the_stock(
        app, browser, live_server, db):
    with db.reading() as session:
        with_recipe = select(Recipe.item_id).where(Recipe.item_id.is_not(None))
        dish = session.scalar(select(MenuItem).where(MenuItem.id.not_in(with_recipe))
                              .order_by(MenuItem.id))
        dish_id = dish.id
    base = live_server.url
    manager = make_staff(db, "manager", name="Ioana Manager", language="en")

    context, page = new_screen(browser, "kitchen", locale="en-RO", touch=False)
    try:
        page.goto(base + "/office/inventory")
        type_pin(page, manager.pin)
        expect(page).to_have_url(re.compile(r"/office/inventory#stock$"))
        expect(page.locator("[data-levels] tbody tr").first).to_be_visible()
        expect(page.locator('[data-office-section="inventory"]')).to_have_attribute(
            "aria-current", "page")

        # An ingredient, with its cost per kilo and its reorder point.
        press(page.locator('[data-tab="ingredients"]'))
        press(page.locator("[data-add-ingredient]"))
        dialog = page.locator("[data-ingredient-dialog]")
        dialog.locator('[name="names.ro"]').fill("Busuioc")
        dialog.locator('[name="names.en"]').fill("Basil")
        dialog.locator('[name="unit"]').select_option("kg")
        dialog.locator('[name="cost"]').fill("120")
        dialog.locator('[name="reorder_point"]').fill("0.2")
        shoot(page, "ingredient-dialog-en-1920")
        press(dialog.locator("[data-save]"))
        expect(dialog).to_be_hidden()
        expect(page.locator("[data-ingredients] tbody tr", has_text="Basil")).to_contain_text(
            "0.2 kg")

        # A prep of it: a batch of pesto makes half a kilo.
        press(page.locator('[data-tab="recipes"]'))
        press(page.locator("[data-new-prep]"))
        recipe = page.locator("[data-recipe-form]")
        recipe.locator('[name="names.en"]').fill("Pesto")
        recipe.locator('[name="names.ro"]').fill("Pesto")
        recipe.locator('[name="yield_quantity"]').fill("0.5")
        recipe.locator('[name="yield_unit"]').select_option("kg")
        fill_line(line(page, "[data-recipe-lines]", 0), "Basil", "200", "g")
        press(recipe.locator("[data-add-recipe-line]"))
        fill_line(line(page, "[data-recipe-lines]", 1), "Olive oil", "150", "ml")
        press(recipe.locator("[data-save-recipe]"))
        expect(page.locator("[data-message]")).to_contain_text("Pesto")
        # 0.2 kg × 120.00 + 0.15 l × 45.00 = 24.00 + 6.75
        expect(recipe.locator("[data-recipe-cost]")).to_have_text(re.compile(r"30[.,]75"))

        # A dish that uses the prep; millilitres of a prep made in kilos are refused on
        # the line that asks for them.
        page.locator("[data-recipe-target]").select_option(f"item:{dish_id}")
        fill_line(line(page, "[data-recipe-lines]", 0), "Penne", "120", "g")
        press(recipe.locator("[data-add-recipe-line]"))
        fill_line(line(page, "[data-recipe-lines]", 1), "Pesto", "60", "ml")
        press(recipe.locator("[data-save-recipe]"))
        refused = line(page, "[data-recipe-lines]", 1)
        expect(refused.locator("[data-line-error]")).to_contain_text("ml")
        expect(refused.locator('[data-part="unit"]')).to_have_attribute("aria-invalid", "true")
        shoot(page, "recipe-refused-en-1920")
        refused.locator('[data-part="unit"]').select_option("g")
        press(recipe.locator("[data-save-recipe]"))
        expect(refused.locator("[data-line-error]")).to_be_hidden()
        # 0.12 kg penne × 14.00 + 60 g of a 500 g batch costing 30.75 = 1.68 + 3.69
        expect(recipe.locator("[data-recipe-cost]")).to_have_text(re.compile(r"5[.,]37"))
        assert_laid_out(page, OFFICE_PARTS)
        shoot(page, "recipes-en-1920")

        # A delivery of basil into the kitchen.
        press(page.locator('[data-tab="documents"]'))
        document = page.locator("[data-document-form]")
        press(document.locator('[name="kind"][value="waste"]'))
        fill_line(line(page, "[data-document-lines]", 0), "Basil", "1", "kg")
        press(document.locator("[data-post-document]"))  # no reason given: refused there
        expect(document.locator('[name="reason"]')).to_have_attribute("aria-invalid", "true")
        expect(document.locator('[name="reason"] + [data-field-error]')).to_be_visible()
        press(document.locator('[name="kind"][value="receipts"]'))
        document.locator('[name="supplier"]').fill("Piața Obor")
        delivered = line(page, "[data-document-lines]", 0)
        fill_line(delivered, "Basil", "1", "kg")
        delivered.locator('[data-part="total_cost"]').fill("120")
        press(document.locator("[data-post-document]"))
        expect(page.locator("[data-message]")).to_contain_text("1 lines")
        assert_laid_out(page, OFFICE_PARTS)
        shoot(page, "receive-en-1920")

        # The kitchen counted on a tablet held upright, blind: 900 g of basil.
        tablet_context, tablet = new_screen(browser, "tablet-portrait", locale="en-RO")
        try:
            tablet.goto(base + "/office/inventory/count")
            expect(tablet).to_have_url(re.compile(r"/signin\?next=/office/inventory/count"))
            type_pin(tablet, manager.pin)
            press(tablet.locator(".count-location", has_text="Kitchen"))
            basil = tablet.locator(".count-line", has_text="Basil")
            expect(basil).to_be_visible()
            assert "1 kg" not in basil.inner_text()  # the books stay hidden
            progress = tablet.locator("[data-count-progress]")
            expect(progress).to_contain_text("Counted 0 of")
            assert_laid_out(tablet, COUNT_PARTS)
            shoot(tablet, "count-en-768")
            basil.locator('[data-part="quantity"]').fill("900")
            basil.locator('[data-part="unit"]').select_option("g")
            expect(progress).to_contain_text("Counted 1 of")
            tablet.set_viewport_size({"width": 1024, "height": 768})
            assert_laid_out(tablet, COUNT_PARTS)
            press(tablet.locator("[data-post-count]"))
            variance = tablet.locator("[data-variances] tbody tr", has_text="Basil")
            expect(variance).to_contain_text("-100 g")
            expect(variance.locator("[data-thousandths]")).to_have_attribute(
                "data-thousandths", "-100000")
            shoot(tablet, "count-posted-en-1024")
            assert tablet.js_errors == []
        finally:
            tablet_context.close()

        # The stock and the ledger of basil, on the office PC.
        page.reload()  # what the tablet changed, read afresh
        press(page.locator('[data-tab="stock"]'))
        page.locator("[data-stock-search]").fill("Basil")
        row = page.locator("[data-levels] tbody tr", has_text="Basil")
        expect(row).to_have_count(1)
        expect(row.locator("[data-quantity]")).to_have_text("900 g")
        expect(row).to_contain_text("108")  # 0.9 kg at 120.00
        press(row.locator("[data-show-movements]"))
        movements = page.locator("[data-movements] tbody tr")
        expect(movements).to_have_count(2)
        expect(movements.nth(0)).to_contain_text("Count")
        expect(movements.nth(1)).to_contain_text("Delivery")
        # Basil thrown away elsewhere drops below its reorder point: the alert reaches the
        # office live, and the page asks again for basil's level alone.
        waste_from_another_screen(base, manager, "Basil", "kitchen", 0.8)
        expect(row.locator("[data-quantity]")).to_have_text("100 g")
        expect(row.locator("[data-below-reorder]")).to_be_visible()
        page.locator("[data-stock-search]").fill("")
        assert_laid_out(page, OFFICE_PARTS)
        no_sideways_scroll(page)
        shoot(page, "stock-en-1920")
        page.set_viewport_size({"width": 1024, "height": 768})
        for tab in ("stock", "documents", "recipes", "ingredients", "locations"):
            press(page.locator(f'[data-tab="{tab}"]'))
            assert_laid_out(page, OFFICE_PARTS)
            no_sideways_scroll(page)
        shoot(page, "locations-en-1024")
        press(page.locator("[data-edit-location]").first)
        location_dialog = page.locator("[data-location-dialog]")
        expect(location_dialog.locator('[name="code"]')).to_be_disabled()
        assert_laid_out(page, "[data-location-dialog] :is(input, select, button)")
        shoot(page, "location-dialog-en-1024")
        press(location_dialog.locator("[data-close]"))
        # The back office's alert list says what is low, where, in the ingredient's unit.
        page.goto(base + "/office/devices")
        expect(page.locator('[data-alerts] [data-kind="low_stock"]')).to_contain_text(
            "Basil is low at Kitchen: 0.1 kg left, reorder at 0.2 kg.")
        assert page.js_errors == []
    finally:
        context.close()

    # In Romanian: the office PC, a tablet held sideways, and the count held upright.
    ioana = make_staff(db, "manager", name="Ioana Popescu", language="ro")
    cookie = session_cookie_at(base, ioana).split("=", 1)[1]
    context, page = new_screen(browser, "kitchen", locale="ro-RO", touch=False)
    context.add_cookies([{"name": "session", "value": cookie, "url": base}])
    try:
        for size in ({"width": 1920, "height": 1080}, {"width": 1024, "height": 768}):
            page.set_viewport_size(size)
            page.goto(base + "/office/inventory#recipes")
            page.locator("[data-recipe-target]").select_option(f"item:{dish_id}")
            expect(page.locator("[data-recipe-cost]")).to_have_text(re.compile(r"5,37"))
            for tab in ("recipes", "documents", "ingredients", "stock"):
                press(page.locator(f'[data-tab="{tab}"]'))
                assert_laid_out(page, OFFICE_PARTS)
                no_sideways_scroll(page)
                shoot(page, f"{tab}-ro-{size['width']}")
        page.set_viewport_size({"width": 768, "height": 1024})
        page.goto(base + "/office/inventory/count")
        press(page.locator(".count-location").first)
        expect(page.locator(".count-line").first).to_be_visible()
        assert_laid_out(page, COUNT_PARTS)
        no_sideways_scroll(page)
        shoot(page, "count-ro-768")
        assert page.js_errors == []
    finally:
        context.close()
