"""The staff screen in Chromium, on the office PC and on a tablet held sideways, in Romanian
and English: a manager adds a waiter (Masa makes the PIN, shown once), gives someone a new
PIN and deactivates someone; a waiter clocks in on the PIN pad without signing in, and the
manager's screen shows her in at once; the manager corrects her shift (clocked out, a break,
the reason) and the week shows the paid time and who corrected it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from factories import make_staff
from playwright.sync_api import expect

from e2e.screens import assert_laid_out, new_screen, press, type_pin
from pos.core.auth import Role
from pos.demo import DEMO_TIMEZONE

SHOTS = Path("/tmp/shots/office-staff")
WAITER = "1111"  # Ana Popescu, the demo's
MANAGERS = {"ro": "Sorin Șerban", "en": "Sam Carter"}  # each speaking the run's language


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")


def local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def corrected_times() -> tuple[datetime, datetime, datetime, datetime]:
    """A shift that ends now (to the minute) and began up to 90 minutes before, on the
    venue's same day, with a 15-minute break in it."""
    now = datetime.now(ZoneInfo(DEMO_TIMEZONE)).replace(second=0, microsecond=0)
    start = max(now - timedelta(minutes=90), now.replace(hour=0, minute=0))
    if now - start < timedelta(minutes=20):  # the first minutes after midnight
        pytest.skip("too close to midnight for a shift that fits the venue's day")
    return start, start + timedelta(minutes=5), start + timedelta(minutes=20), now


@pytest.mark.parametrize(("language", "size"), [("ro", {"width": 1920, "height": 1080}),
                                                ("en", {"width": 1024, "height": 768})],
                         ids=["ro-1920x1080", "en-1024x768"])
def test_a_manager_runs_the_staff_and_the_time_clock(browser, live_server, language, size):
    name = f"{language}-{size['width']}x{size['height']}"
    locale = "ro-RO" if language == "ro" else "en-GB"
    manager = make_staff(live_server.app.extensions["masa_db"], Role.MANAGER,
                         name=MANAGERS[language], language=language)
    office, page = new_screen(browser, size, touch=False, locale=locale)
    tablet, pad = new_screen(browser, "tablet-landscape", locale=locale)
    try:
        page.goto(f"{live_server.url}/signin?lang={language}&next=/office/staff")
        type_pin(page, manager.pin)
        expect(page).to_have_url(live_server.url + "/office/staff")
        expect(page.locator("[data-staff-office]")).to_have_attribute("data-ready", "true")
        expect(page.locator('[data-office-section="staff"]')).to_have_attribute(
            "aria-current", "page")
        people = page.locator("[data-staff] tbody tr")
        expect(people.filter(has_text="Ana Popescu")).to_have_count(1)
        assert people.filter(has_text="Admin").locator("button").count() == 0  # above him
        assert_laid_out(page, ".staff-head h1, [data-add-staff], .office-nav-link, "
                              "[data-staff] thead th, [data-staff] tbody tr:nth-child(-n+3) "
                              ":is(.staff-role, button)")
        assert page.locator(".staff-people .office-table-wrap").evaluate(
            "wrap => wrap.scrollWidth <= wrap.clientWidth"), "the staff table scrolls sideways"
        shot(page, f"{name}-1-people")

        # A new waiter; Masa makes the PIN and shows it once.
        page.locator("[data-add-staff]").click()
        form = page.locator("[data-staff-form]")
        form.locator('[name="name"]').fill("Bianca Nouă")
        form.locator('[name="role"]').select_option("waiter")
        form.locator('[name="language"]').select_option("ro")
        assert_laid_out(page, "[data-staff-dialog] :is(h2, label > span, input, select, "
                              "button)")
        form.locator("[data-submit]").click()
        shown = page.locator("[data-shown-pin-dialog]")
        expect(shown.locator("[data-shown-pin]")).to_have_text(re.compile(r"^\d{6}$"))
        assert_laid_out(page, "[data-shown-pin-dialog] :is(h2, p, button)")
        shot(page, f"{name}-2-pin-shown-once")
        shown.locator("[data-shown-pin-ok]").click()
        expect(people.filter(has_text="Bianca Nouă")).to_have_count(1)

        # A new PIN for Mihai: he tells nobody; Masa shows the one it made.
        people.filter(has_text="Mihai Ionescu").locator("[data-new-pin]").click()
        page.locator("[data-pin-form] [data-submit]").click()
        expect(shown.locator("[data-shown-pin]")).to_have_text(re.compile(r"^\d{6}$"))
        shown.locator("[data-shown-pin-ok]").click()
        assert pad.request.post(live_server.url + "/api/v1/session",
                                data={"pin": "2222"}).status == 401

        # John leaves: deactivated, still listed.
        page.once("dialog", lambda dialog: dialog.accept())
        people.filter(has_text="John Miller").locator("[data-deactivate]").click()
        john = people.filter(has_text="John Miller")
        expect(john).to_have_class(re.compile("is-revoked"))
        expect(john.locator(".staff-status")).to_be_visible()
        expect(john.locator("[data-reactivate]")).to_be_visible()

        # Ana clocks in on the PIN pad, without signing in; the office sees her at once.
        pad.goto(f"{live_server.url}/signin?lang={language}")
        press(pad.locator('[data-pad-mode="in_out"]'))
        type_pin(pad, WAITER)
        expect(pad.locator("#pad-message")).to_have_attribute("data-kind", "success")
        expect(pad.locator("#pad-message")).to_contain_text("Ana Popescu")
        expect(pad).to_have_url(re.compile(r"/signin"))
        assert_laid_out(pad, "[data-pad-mode], #pad-title, #pad-message, .keypad .key, #pin-ok")
        pad.screenshot(path=str(SHOTS / f"{name}-3-pin-pad-clocked-in.png"),
                       animations="disabled")
        assert pad.request.get(live_server.url + "/api/v1/session/state").json()[
            "signed_in"] is False
        present = page.locator("[data-clocked-in] .staff-now-person", has_text="Ana Popescu")
        expect(present).to_be_visible()

        # The manager corrects her shift: in earlier, out now, a break, and why.
        start, break_from, break_to, end = corrected_times()
        week = page.locator(".staff-week-person", has_text="Ana Popescu")
        week.scroll_into_view_if_needed()
        shot(page, f"{name}-4-clocked-in-now")
        week.locator("[data-correct]").click()
        shift_form = page.locator("[data-shift-form]")
        shift_form.locator('[name="clocked_in_at"]').fill(local(start))
        shift_form.locator('[name="clocked_out_at"]').fill(local(end))
        shift_form.locator("[data-add-break]").click()
        shift_form.locator('[name="break_start"]').fill(local(break_from))
        shift_form.locator('[name="break_end"]').fill(local(break_to))
        shift_form.locator("[data-submit]").click()  # no reason yet: refused, field named
        expect(shift_form.locator("[data-form-error]")).to_be_visible()
        expect(shift_form.locator('[name="reason"]')).to_have_attribute("aria-invalid", "true")
        shift_form.locator('[name="reason"]').fill("Forgot to clock out")
        assert_laid_out(page, "[data-shift-dialog] :is(h2, label > span, input, button, "
                              "legend, [data-form-error])")
        shot(page, f"{name}-5-correcting")
        shift_form.locator("[data-submit]").click()
        expect(page.locator("[data-shift-dialog]")).not_to_be_visible()
        paid = int((end - start - (break_to - break_from)).total_seconds() // 60)
        row = week.locator("[data-shift]")
        expect(row.locator(".staff-paid")).to_have_attribute("data-paid-minutes", str(paid))
        expect(row.locator(".staff-note")).to_contain_text(manager.name)
        expect(row.locator(".staff-note")).to_contain_text("Forgot to clock out")
        expect(present).to_have_count(0)
        week.scroll_into_view_if_needed()
        assert_laid_out(page, ".staff-week-head h2, .staff-week-nav .button, "
                              ".staff-week-person h3, .staff-week-total, [data-correct]")
        shot(page, f"{name}-6-corrected")
        assert page.js_errors == [] and pad.js_errors == []
    finally:
        office.close()
        tablet.close()
