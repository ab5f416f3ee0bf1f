"""The back office's devices and printers in Chromium: a manager adds a printer for a
station, prints a test page that reaches a (fake) network printer, sees the printer go
down and come back live, and renames a paired screen. Screenshots in both languages, at
the office PC's size and a tablet held sideways."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from factories import make_device, make_staff
from playwright.sync_api import expect
from support import wait_until

from e2e.screens import assert_laid_out, new_screen, press, type_pin
from pos.core.alerts import open_alert, raise_alert
from pos.core.db import utcnow
from pos.core.events import record_event
from pos.devices.print_worker import drain, printer_subject

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "kitchen"))
from printer_fakes import FakeNetworkPrinter  # noqa: E402

SHOTS = Path("/tmp/shots/office")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")


@pytest.fixture
def fake_printer():
    printer = FakeNetworkPrinter("Pass").start()
    yield printer
    printer.stop()


def printer_goes_down(db, printer_id: int, name: str) -> None:
    with db.transaction() as session:
        raise_alert(session, kind="printer_offline", subject=printer_subject(printer_id),
                    message={"key": "printer_offline", "printer": name,
                             "printer_id": printer_id, "backup": None})


def printer_comes_back(db, printer_id: int) -> None:
    with db.transaction() as session:
        alert = open_alert(session, printer_subject(printer_id))
        alert.cleared_at = utcnow()
        record_event(session, "/office", "office", "alert_cleared", alert.event_data())


@pytest.mark.parametrize(("size", "language"), [("kitchen", "en"), ("tablet-landscape", "ro")])
def test_a_manager_adds_a_printer_prints_a_test_page_and_sees_it_go_down(
        browser, live_server, db, fake_printer, size, language):
    manager = make_staff(db, "manager", name="Dana Manager", language=language)
    make_device(db, "kitchen", station="grill", label="Grill screen")
    context, page = new_screen(browser, size, locale=f"{language}-RO", touch=False)
    base = live_server.url
    try:
        page.goto(base + "/office/devices")
        type_pin(page, manager.pin)
        expect(page).to_have_url(base + "/office/devices")
        expect(page.locator('[data-office-section="devices"]')).to_have_attribute(
            "aria-current", "page")
        expect(page.locator("[data-no-alerts]")).to_be_visible()
        expect(page.locator("[data-live-state]")).to_have_attribute("data-state", "live")

        press(page.locator("[data-add-printer]"))
        dialog = page.locator("[data-printer-dialog]")
        dialog.locator('[name="name"]').fill("Pass printer")
        dialog.locator('[name="address"]').fill("the pass printer")
        press(dialog.locator("[data-save]"))
        # Refused, naming the field; the dialog stays open with what was typed.
        expect(dialog.locator('[data-field="address"]')).to_have_attribute("data-invalid", "")
        expect(dialog.locator("[data-form-error]")).to_be_visible()
        shoot(page, f"devices-printer-refused-{size}-{language}")
        dialog.locator('[name="address"]').fill(fake_printer.address)
        dialog.locator('[data-station="grill"] input').check()
        press(dialog.locator("[data-save]"))
        expect(dialog).to_be_hidden()
        row = page.locator('[data-printers] tr[data-name="Pass printer"]')
        expect(row.locator("[data-printer-stations]")).to_contain_text(
            {"en": "Grill", "ro": "Grătar"}[language])
        expect(row.locator("[data-printer-state]")).to_have_attribute("data-state", "online")

        press(row.locator("[data-test-page]"))
        # The test page's own message (the save before it said "success" already).
        expect(page.locator("[data-message]")).to_contain_text(
            {"en": "A test page is on its way", "ro": "O pagină de test"}[language])
        expect(page.locator("[data-message]")).to_have_attribute("data-kind", "success")
        assert drain(db) == 1
        [printed] = fake_printer.tickets
        assert b"Pass printer" in printed and fake_printer.address.encode() in printed

        printer_id = int(row.get_attribute("data-printer"))
        printer_goes_down(db, printer_id, "Pass printer")
        alert = page.locator('[data-alerts] [data-kind="printer_offline"]')
        expect(alert).to_contain_text("Pass printer")
        expect(row.locator("[data-printer-state]")).to_have_attribute("data-state", "offline")
        for part in ("[data-add-printer]", ".office-alert", "[data-printers] tbody tr",
                     "[data-devices] tbody tr", ".office-nav-link"):
            page.locator(part).first.scroll_into_view_if_needed()
            assert_laid_out(page, part)
        wide = page.evaluate("""() => [...document.querySelectorAll('.office-table-wrap')]
            .filter((e) => e.scrollWidth > e.clientWidth + 1).length""")
        assert wide == 0, "a table scrolls sideways and hides its buttons"
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, f"devices-{size}-{language}")
        printer_comes_back(db, printer_id)
        expect(alert).to_have_count(0)
        expect(row.locator("[data-printer-state]")).to_have_attribute("data-state", "online")

        screen = page.locator("[data-devices] tbody tr", has_text="Grill screen")
        press(screen.locator("[data-rename]"))
        page.locator("[data-rename-input]").fill("Grill, left wall")
        press(page.locator("[data-rename-save]"))
        expect(page.locator("[data-devices] tbody tr", has_text="Grill, left wall")).to_be_visible()
        assert page.js_errors == []
    finally:
        context.close()


def test_the_dialog_for_a_printer_fits_a_tablet(browser, live_server, db):
    manager = make_staff(db, "manager", language="ro")
    context, page = new_screen(browser, "tablet-landscape", touch=True)
    try:
        page.goto(live_server.url + "/office/devices")
        type_pin(page, manager.pin)
        expect(page.locator("[data-live-state]")).to_have_attribute("data-state", "live")
        press(page.locator("[data-add-printer]"))
        dialog = page.locator("[data-printer-dialog]")
        expect(dialog).to_be_visible()
        for part in ('[data-printer-dialog] [name="name"]', "[data-printer-dialog] [data-save]",
                     "[data-printer-dialog] [data-cancel]"):
            assert_laid_out(page, part)
        shoot(page, "devices-dialog-tablet-landscape-ro")
        wait_until(lambda: page.js_errors == [])
    finally:
        context.close()
