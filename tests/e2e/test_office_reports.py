"""The back office's reports in Chromium: a manager opens the sales, filters a week with the
period before beside it, drills into one server's checks (they add up to the server's
figure), opens kitchen times and menu engineering, and downloads the PDF; at the office
PC's size in English, then a tablet held sideways in Romanian. Screenshots and the PDF's
first page in /tmp/shots/reports."""

from __future__ import annotations

import re
import subprocess
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from factories import make_check, make_item, make_staff, make_table, signed_in
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.screens import assert_laid_out, new_screen, no_sideways_scroll, press, type_pin
from kitchen.models import Ticket

SHOTS = Path("/tmp/shots/reports")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")


def pay_in_full(client, check_id):
    state = client.get(f"/api/v1/checks/{check_id}/bills").get_json()
    for bill in state["bills"]:
        if bill["due"]:
            answer = client.post(f"/api/v1/checks/{check_id}/payments", json={
                "client_id": str(uuid.uuid4()), "bill": bill["number"], "tender": "cash",
                "amount": bill["due"], "tip": 2_00})
            assert answer.status_code == 201, answer.get_json()




@pytest.mark.browser
def test_a_manager_reads_sales_drills_into_a_server_and_downloads_the_pdf(
        app, browser, live_server, db):
    steak = make_item(db, price=89_00, name="Steak")
    water = make_item(db, price=9_50, rate_bp=1100, name="Water")
    ana = make_staff(db, "waiter", name="Ana Pop")
    dan = make_staff(db, "waiter", name="Dan Ionescu")
    cashier = signed_in(app, make_staff(db, "cashier"))
    for person, lines in ((ana, [steak, water]), (ana, [steak]), (dan, [water, water])):
        check = make_check(signed_in(app, person), table=make_table(db), lines=lines)
        pay_in_full(cashier, check["id"])
    with db.transaction() as session:  # the kitchen made them in 4, 6 and 9 minutes
        for minutes, ticket in zip((4, 6, 9), session.scalars(select(Ticket)), strict=False):
            ticket.bumped_at = ticket.fired_at + timedelta(minutes=minutes)
            ticket.served_at = ticket.bumped_at + timedelta(minutes=1)
    today = datetime.now(ZoneInfo("Europe/Bucharest")).date()
    week = {"first": (today - timedelta(days=6)).isoformat(), "last": today.isoformat()}
    base = live_server.url

    manager = make_staff(db, "manager", name="Ioana Manager", language="en")
    context, page = new_screen(browser, "kitchen", locale="en-RO", touch=False)
    try:
        page.goto(base + "/office")
        type_pin(page, manager.pin)
        press(page.locator('[data-office-section="reports"]'))
        expect(page).to_have_url(re.compile(r"/office/reports\?report=sales"))
        filters = page.locator("[data-report-filters]")
        filters.locator('[name="by"]').select_option("server")
        filters.locator('[name="first"]').fill(week["first"])
        filters.locator('[name="last"]').fill(week["last"])
        filters.locator('[name="compare"]').check()
        press(filters.locator('button[type="submit"]'))
        rows = page.locator("[data-table] tbody tr")
        expect(rows.filter(has_text="Ana Pop")).to_have_count(1)
        expect(page.locator("[data-table] thead")).to_contain_text("Previous period")
        expect(page.locator("[data-chart] svg")).to_be_visible()
        for part in ("[data-report-filters] select", "[data-download]",
                     "[data-report-filters] button", "[data-table] tbody tr"):
            page.locator(part).last.scroll_into_view_if_needed()
            assert_laid_out(page, part)
        no_sideways_scroll(page)
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "office-sales-by-server-1920-en")

        press(rows.filter(has_text="Ana Pop").locator(".report-drill-link"))
        drill = page.locator("[data-drill]")
        expect(drill).to_be_visible()
        expect(drill.locator("tbody tr")).to_have_count(2)
        expect(drill.locator("[data-drill-title]")).to_contain_text("Ana Pop”: 2, together 187.50")
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "office-drill-ana-1920-en")

        with page.expect_download() as download:
            press(page.locator('[data-download="pdf"]'))
        pdf = SHOTS / "office-sales-by-server.pdf"
        download.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                        str(SHOTS / "office-sales-by-server-pdf")], check=True)

        for report, name in (("kitchen", "kitchen"), ("menu", "menu")):
            filters.locator('[name="report"]').select_option(report)
            expect(page.locator('[data-field="by"]')).to_be_hidden()
            expect(page.locator("[data-title]")).not_to_contain_text("Sales")
            expect(page.locator("[data-table] tbody tr").first).to_be_visible()
            if report == "kitchen":
                expect(page.locator("[data-table] tbody")).to_contain_text("Steak")
            shoot(page, f"office-{name}-1920-en")
        expect(page.locator("[data-notes]")).to_contain_text("No cost data")
        expect(page.locator("[data-table] tbody")).to_contain_text("Star")
        assert page.js_errors == []
    finally:
        context.close()

    boss = make_staff(db, "manager", name="Radu Șef", language="ro")
    context, page = new_screen(browser, "tablet-landscape", locale="ro-RO", touch=False)
    try:
        page.goto(base + "/office")
        type_pin(page, boss.pin)
        expect(page).to_have_url(base + "/office")
        page.goto(base + f"/office/reports?report=sales&by=day&first={week['first']}"
                  f"&last={week['last']}&compare=true")
        expect(page.locator("[data-table] thead")).to_contain_text("Perioada anterioară")
        expect(page.locator("[data-table] tbody tr").first).to_be_visible()
        expect(page.locator("[data-chart] svg")).to_be_visible()
        for part in ("[data-report-filters] select", "[data-download]",
                     "[data-report-filters] button", ".office-nav-link"):
            page.locator(part).first.scroll_into_view_if_needed()
            assert_laid_out(page, part)
        no_sideways_scroll(page)
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "office-sales-by-day-1024-ro")
        assert page.js_errors == []
    finally:
        context.close()
