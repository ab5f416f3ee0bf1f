"""Purchasing and food cost in Chromium (issue 13): a manager reads the food-cost screen
(theoretical against actual after a count, variance by ingredient and by item, valuation),
makes a purchase order from the suggestions, marks it sent, receives part of it and
downloads its PDF; at the office PC's size in English, then a tablet held sideways in
Romanian. Screenshots and the PDF's first page in /tmp/shots/purchasing."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from factories import make_staff
from inventory.stock_kit import INVENTORY, Stock
from playwright.sync_api import expect
from sqlalchemy import select
from support import PINS, Tablet

from e2e.screens import assert_laid_out, new_screen, no_sideways_scroll, press, type_pin
from pos.devices.models import Printer, PrintJob

SHOTS = Path("/tmp/shots/purchasing")




def shoot(page, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page,
                    animations="disabled")




def laid_out(page, *parts: str) -> None:
    for part in parts:
        for index in range(page.locator(part).count()):
            if page.locator(part).nth(index).is_visible():
                page.locator(part).nth(index).scroll_into_view_if_needed()
                assert_laid_out(page, part)
                break


@pytest.mark.browser
def test_a_manager_reads_food_cost_and_orders_from_suggestions(app, browser, live_server, db):
    waiter = Tablet(app.test_client(), PINS["waiter"])
    stock = Stock(Tablet(app.test_client(), PINS["manager"]).client, db)
    tripe = stock.ingredient("Oxtail", "g", par_level=5000, cost=2)
    flour = stock.ingredient("Flour", "kg", par_level=20, cost=3_00)
    stock.ok(stock.recipe("item", waiter.items[101]["id"], (tripe, 150, "g")))
    stock.ok(stock.receive(tripe, 3000, "g", 60_00), 201)
    stock.ok(stock.receive(flour, 3, "kg", 9_00), 201)
    waiter.sent(waiter.seat(), waiter.line(101, quantity=4))
    stock.ok(stock.client.post(f"{INVENTORY}/counts", json={
        "location_id": stock.kitchen,
        "lines": [{"ingredient_id": tripe, "quantity": 2.2, "unit": "kg"}]}), 201)
    stock.ok(stock.client.post(f"{INVENTORY}/suppliers", json={
        "name": "Moara Dobrogea", "contact": "Ion Marin", "email": "comenzi@moara.ro",
        "phone": "0722 000 111", "items": [
            {"ingredient_id": flour, "pack_size": 5, "pack_unit": "kg", "pack_price": 12_50},
            {"ingredient_id": tripe, "pack_size": 1, "pack_unit": "kg", "pack_price": 22_00}]}),
        201)
    with db.transaction() as session:
        session.add(Printer(name="Office printer", kind="file", address="/dev/null"))
    today = datetime.now(ZoneInfo("Europe/Bucharest")).date()
    week = f"first={(today - timedelta(days=6)).isoformat()}&last={today.isoformat()}"
    base = live_server.url

    manager = make_staff(db, "manager", name="Ioana Manager", language="en")
    context, page = new_screen(browser, "kitchen", locale="en-RO", touch=False)
    try:
        page.goto(base + "/office")
        type_pin(page, manager.pin)
        press(page.locator('[data-office-section="costing"]'))
        expect(page.locator("[data-figures]")).to_be_visible()
        page.goto(f"{base}/office/food-cost?{week}")
        ingredients = page.locator("[data-by-ingredient] tbody tr")
        tripe_row = ingredients.filter(has_text="Oxtail")
        expect(tripe_row).to_have_count(1)
        # 3 kg in, 2.2 kg counted: 800 g used; the recipes say 600 g; 200 g over.
        expect(tripe_row).to_contain_text("800 g")
        expect(tripe_row).to_contain_text("600 g")
        expect(tripe_row).to_contain_text("200 g")
        expect(page.locator("[data-by-item] tbody")).to_contain_text("4")
        expect(page.locator("[data-valuation] tbody")).to_contain_text("Flour")
        expect(page.locator('[data-figure="actual"]')).not_to_have_text("—")
        laid_out(page, "[data-food-cost-filters] button", "[data-food-cost-filters] select",
                 "[data-figures] dd", "[data-by-item] tbody tr:first-child", ".office-nav-link")
        no_sideways_scroll(page)
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "food-cost-1920-en")

        press(page.locator('[data-office-section="purchasing"]'))
        suggestions = page.locator("[data-suggestions] tbody tr")
        expect(suggestions.filter(has_text="Flour")).to_contain_text("4 × 5 kg")
        expect(suggestions.filter(has_text="Oxtail")).to_contain_text("3 kg3 × 1 kgRON 66.00")
        shoot(page, "purchasing-suggestions-1920-en")
        press(page.locator("[data-make-orders]"))
        orders = page.locator("[data-orders] tbody tr[data-order]")
        expect(orders).to_have_count(1)
        expect(orders.first).to_contain_text("Draft")
        expect(page.locator("[data-suggestions] tbody")).not_to_contain_text("Flour")
        press(orders.first.locator("button"))
        dialog = page.locator("[data-order-dialog]")
        expect(dialog).to_be_visible()
        press(dialog.locator("[data-order-send]"))
        expect(dialog.locator("[data-order-status]")).to_have_text("Sent")
        flour_line = dialog.locator("[data-order-lines] tr").filter(has_text="Flour")
        flour_line.locator("input").fill("10")
        press(dialog.locator("[data-order-receive]"))
        expect(dialog.locator("[data-order-status]")).to_have_text("Partly received")
        expect(flour_line).to_contain_text("10 kg")
        laid_out(page, "[data-order-dialog] .button", "[data-order-dialog] input")
        shoot(page, "purchasing-order-received-in-part-1920-en", full_page=False)
        assert stock.level(flour)[0] == 13_000_000

        press(dialog.locator("[data-print]"))
        expect(page.locator("[data-message]")).to_have_text("Sent to the printer.")
        with db.reading() as session:
            assert session.scalar(select(PrintJob.subject).where(
                PrintJob.kind == "document")) == f"po:{orders.first.get_attribute('data-order')}"
        with page.expect_download() as download:
            press(dialog.locator("[data-order-pdf]"))
        pdf = SHOTS / "purchase-order.pdf"
        download.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                        str(SHOTS / "purchase-order-pdf")], check=True)
        press(dialog.locator("[data-close-order]"))
        expect(orders.first).to_contain_text("Partly received")
        laid_out(page, "[data-make-orders]", "[data-add-supplier]", "[data-orders] button",
                 "[data-suppliers] button")
        no_sideways_scroll(page)
        assert page.js_errors == []
    finally:
        context.close()

    boss = make_staff(db, "manager", name="Radu Șef", language="ro")
    context, page = new_screen(browser, "tablet-landscape", locale="ro-RO", touch=False)
    try:
        page.goto(base + "/office")
        type_pin(page, boss.pin)
        expect(page).to_have_url(base + "/office")
        page.goto(f"{base}/office/food-cost?{week}")
        expect(page.locator("[data-by-ingredient] tbody tr").filter(has_text="Oxtail")) \
            .to_have_count(1)
        laid_out(page, "[data-food-cost-filters] button", "[data-figures] dd",
                 "[data-by-ingredient] tbody tr:first-child", ".office-nav-link")
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "food-cost-1024-ro")
        no_sideways_scroll(page)
        page.goto(f"{base}/office/purchasing")
        expect(page.locator("[data-orders] tbody tr[data-order]")).to_have_count(1)
        press(page.locator("[data-orders] tbody tr[data-order] button"))
        expect(page.locator("[data-order-dialog]")).to_be_visible()
        laid_out(page, "[data-order-dialog] .button", "[data-order-dialog] input")
        shoot(page, "purchasing-order-1024-ro", full_page=False)
        press(page.locator("[data-close-order]"))
        press(page.locator("[data-suppliers] tbody button"))
        expect(page.locator("[data-supplier-dialog]")).to_be_visible()
        laid_out(page, "[data-supplier-dialog] .button", "[data-supplier-dialog] input",
                 "[data-supplier-dialog] select")
        shoot(page, "purchasing-supplier-1024-ro", full_page=False)
        press(page.locator("[data-supplier-dialog] [data-cancel]"))
        no_sideways_scroll(page)
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "purchasing-1024-ro")
        assert page.js_errors == []
    finally:
        context.close()
