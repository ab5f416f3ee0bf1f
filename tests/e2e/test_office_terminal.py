"""The card terminal's panel in the back office, in Chromium against the ZVT simulator: a
manager checks the terminal and ends its day (the answer shown in the panel, the day's
total in the venue's money), and a terminal that does not answer is said so. On the
office PC in English and a tablet held sideways in Romanian; screenshots of both."""

from __future__ import annotations

from pathlib import Path

from factories import make_staff
from playwright.sync_api import expect

from e2e.screens import assert_laid_out, new_screen, press, type_pin

SHOTS = Path("/tmp/shots/settings")
PARTS = ("[data-terminal-state]", "[data-terminal-check]", "[data-terminal-end-of-day]",
         "[data-terminal-address]", "[data-terminal-last]", "[data-terminal-answer]")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-card-terminal]").screenshot(path=str(SHOTS / f"{name}.png"),
                                                    animations="disabled")


def laid_out(page) -> None:
    page.locator("[data-card-terminal]").scroll_into_view_if_needed()
    for part in PARTS:
        assert_laid_out(page, part)


def test_a_manager_checks_the_card_terminal_and_ends_its_day(browser, live_server, app, db,
                                                             card_desk, simulator):
    app.config["MASA_CARD_TERMINAL"] = f"127.0.0.1:{simulator.port}"
    assert card_desk.terminal.authorise(12_34, "RON", "a-coffee").charged
    base = live_server.url
    for size, language in (("kitchen", "en"), ("tablet-landscape", "ro")):
        manager = make_staff(db, "manager", name=f"Radu {language}", language=language)
        context, page = new_screen(browser, size, locale=f"{language}-RO", touch=False)
        try:
            page.goto(base + "/office/devices")
            type_pin(page, manager.pin)
            panel = page.locator("[data-card-terminal]")
            expect(panel.locator("[data-terminal-state]")).to_have_attribute("data-state",
                                                                             "online")
            answer = panel.locator("[data-terminal-answer]")
            if language == "en":
                press(panel.locator("[data-terminal-check]"))
                expect(answer).to_have_attribute("data-kind", "success")
                expect(answer).to_contain_text("MASA-SIM")
                page.once("dialog", lambda dialog: dialog.accept())
                press(panel.locator("[data-terminal-end-of-day]"))
                expect(answer).to_contain_text("12.34")
                expect(panel.locator("[data-terminal-last]")).to_contain_text("Radu en")
            else:
                expect(panel.locator("[data-terminal-last]")).to_contain_text("12,34")
                simulator.silent = True
                press(panel.locator("[data-terminal-check]"))
                expect(answer).to_have_attribute("data-kind", "error")
                expect(panel.locator("[data-terminal-check]")).to_be_enabled()
            laid_out(page)
            shoot(page, f"terminal-{size}-{language}")
            assert page.js_errors == []
        finally:
            context.close()
