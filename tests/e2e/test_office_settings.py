"""The back office's settings and audit log in Chromium: a manager changes the tip presets
(a refusal shows at its field first, nothing saved) on a page that shows only what a
manager may change, the change shows in the audit log with its value before and after,
filtered by what was done. Screenshots in both languages at the office PC's size and a
tablet held sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_staff
from playwright.sync_api import expect

from e2e.screens import assert_laid_out, new_screen, press, type_pin

SHOTS = Path("/tmp/shots/office")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, animations="disabled")


def no_sideways_scroll(page) -> None:
    """Nothing on the page is wider than its box (a table scrolled sideways hides buttons)."""
    wide = page.evaluate("""() => [...document.querySelectorAll('.office-table-wrap, main')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.className)""")
    assert wide == [], f"{page.viewport_size}: {wide}"


@pytest.mark.parametrize(("size", "language"), [("kitchen", "en"), ("tablet-landscape", "ro")])
def test_a_manager_changes_the_tip_presets_and_the_audit_log_shows_it(
        browser, live_server, db, size, language):
    manager = make_staff(db, "manager", name="Ioana Manager", language=language)
    context, page = new_screen(browser, size, locale=f"{language}-RO", touch=False)
    base = live_server.url
    try:
        page.goto(base + "/office/settings")
        type_pin(page, manager.pin)
        expect(page).to_have_url(base + "/office/settings")
        tips = page.locator('[data-settings-form="tips"]')
        presets = tips.locator('[name="tip_suggestions_bp"]')
        expect(presets).to_have_value("5, 10, 15")
        expect(page.locator("[data-stations] tbody tr").first).to_be_visible()
        # The venue, its tax rates, courses and rules are an admin's: not on a manager's page.
        for admins in ('[data-settings-form="venue"]', "[data-tax-rates]", "[data-courses]",
                       '[name="pin_alert_failures"]', '[name="waiters_see_all_sections"]',
                       '.settings-jump a[href="#venue"]'):
            expect(page.locator(admins)).to_have_count(0)
        for part in (".office-nav-link", ".settings-jump a",
                     '[data-settings-form="tips"] [data-save]',
                     '[data-settings-form="receipts"] [data-save]',
                     '[data-settings-form="screens"] [name="idle_signout_seconds"]',
                     '[data-stations] tr[data-station="grill"] button'):
            page.locator(part).first.scroll_into_view_if_needed()
            assert_laid_out(page, part)
        no_sideways_scroll(page)
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, f"settings-{size}-{language}")

        presets.fill("7, 7")
        press(tips.locator("[data-save]"))
        expect(tips.locator('[data-field="tip_suggestions_bp"]')).to_have_attribute(
            "data-invalid", "")
        expect(tips.locator("[data-form-error]")).to_be_visible()
        tips.scroll_into_view_if_needed()
        shoot(page, f"settings-refused-{size}-{language}")
        presets.fill("7, 12.5")
        press(tips.locator("[data-save]"))
        expect(page.locator("[data-message]")).to_have_attribute("data-kind", "success")
        page.reload()
        expect(presets).to_have_value("7, 12.5")

        press(page.locator('[data-office-section="audit"]'))
        expect(page).to_have_url(base + "/office/audit")
        # The log drawn means its script listens: a filter chosen before that would be lost.
        expect(page.locator("[data-audit] tbody tr").first).to_be_visible()
        page.locator('[data-audit-filters] [name="action"]').select_option("settings.changed")
        entry = page.locator('[data-audit] tr[data-action="settings.changed"]').first
        expect(entry).to_contain_text("Ioana Manager")
        expect(entry).to_contain_text("tip_suggestions_bp: [500,1000,1500] → [700,1250]")
        expect(page.locator('[data-audit] tr[data-action="signin"]')).to_have_count(0)
        assert "action=settings.changed" in page.locator("[data-export]").get_attribute("href")
        assert "action=settings.changed" in page.url
        for part in ("[data-audit-filters] select", "[data-export]", "[data-audit] tbody tr"):
            assert_laid_out(page, part)
        no_sideways_scroll(page)
        shoot(page, f"audit-{size}-{language}")
        assert page.js_errors == []
    finally:
        context.close()


@pytest.mark.parametrize(("size", "language"), [("kitchen", "ro"), ("tablet-landscape", "en")])
def test_the_three_pages_fit_the_other_size_in_each_language(browser, live_server, db, size,
                                                             language):
    """The flows above run in English on the office PC and in Romanian on a tablet; this
    looks at the other two pairings: every part of each page on screen, nothing cut."""
    admin = make_staff(db, "admin", language=language)
    context, page = new_screen(browser, size, locale=f"{language}-RO", touch=False)
    base = live_server.url
    try:
        page.goto(base + "/office/devices")
        type_pin(page, admin.pin)
        expect(page).to_have_url(base + "/office/devices")
        ready = {"devices": "[data-live-state][data-state='live']",
                 "settings": "[data-stations] tbody tr", "audit": "[data-audit] tbody tr"}
        for section, shown in ready.items():
            page.goto(f"{base}/office/{section}")
            expect(page.locator(shown).first).to_be_visible()
            headings = [f"#{h.get_attribute('id')}"
                        for h in page.locator(".office-panel-head h2[id]").all()]
            for part in (".office-nav-link", ".office-head h1", *headings):
                page.locator(part).first.scroll_into_view_if_needed()
                assert_laid_out(page, part)
            no_sideways_scroll(page)
            page.evaluate("window.scrollTo(0, 0)")
            shoot(page, f"{section}-{size}-{language}")
        assert page.js_errors == []
    finally:
        context.close()
