"""Every screen shows the venue's time, whatever the device's time zone: the PIN pad, the
kitchen screens (a station and expo) and the tablet's times. The browser here runs in
Kiritimati (UTC+14) and the venue is in New York, so the two never show the same hour."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from e2e.screens import new_screen, press, watch_errors
from pos.venue.models import Venue

VENUE_ZONE = "America/New_York"
DEVICE_ZONE = "Pacific/Kiritimati"
COOK, ANA = "7777", "1111"


@pytest.fixture
def venue_elsewhere(db):
    """The venue's own time zone differs from the server's default (Europe/Bucharest)."""
    with db.transaction() as session:
        session.execute(update(Venue).where(Venue.id == 1).values(timezone=VENUE_ZONE))


def hh_mm(zone: str) -> str:
    return datetime.now(UTC).astimezone(ZoneInfo(zone)).strftime("%H:%M")


def shows_venue_time(read) -> None:
    """``read()`` gives the screen's clock; it is the venue's time read just before or
    after (a minute may turn between), and never the device's own."""
    before = hh_mm(VENUE_ZONE)
    shown = read()
    after = hh_mm(VENUE_ZONE)
    assert shown in (before, after), f"shows {shown}, the venue's time is {before}"
    assert shown[:2] != hh_mm(DEVICE_ZONE)[:2]


def device(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  timezone_id=DEVICE_ZONE, locale="ro-RO")
    context.set_default_timeout(10_000)
    return context, watch_errors(context.new_page())


def sign_in(page, base: str, path: str, pin: str) -> None:
    page.goto(base + path)
    if path.startswith("/kitchen"):
        press(page.locator("[data-signin-instead]"))
    expect(page).to_have_url(re.compile(r"/signin\?next="))
    for digit in pin:
        press(page.locator(f'#keypad [data-key="{digit}"]'))
    press(page.locator("#pin-ok"))
    expect(page).to_have_url(base + path)


def test_the_device_really_is_elsewhere(browser, live_server, venue_elsewhere):
    context, page = device(browser)
    page.goto(live_server.url + "/signin")
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == DEVICE_ZONE
    assert page.locator("html").get_attribute("data-timezone") == VENUE_ZONE
    context.close()


def test_the_pin_pad_shows_the_venues_time(browser, live_server, venue_elsewhere):
    context, page = device(browser)
    page.goto(live_server.url + "/signin")
    clock = page.locator('[data-clock="time"]')
    expect(clock).to_have_text(re.compile(r"^\d\d:\d\d$"))
    shows_venue_time(clock.text_content)
    assert page.js_errors == []
    context.close()


@pytest.mark.parametrize("station", ["grill", "expo"])
def test_a_kitchen_screen_shows_the_venues_time(browser, live_server, venue_elsewhere,
                                                station):
    context, page = device(browser)
    sign_in(page, live_server.url, f"/kitchen/{station}", COOK)
    expect(page.locator("#kds-loading")).to_be_hidden()
    clock = page.locator(".kds-clock[data-clock]")
    expect(clock).to_have_text(re.compile(r"^\d\d:\d\d$"))
    shows_venue_time(clock.text_content)
    assert page.js_errors == []
    context.close()


def test_the_tablet_writes_times_in_the_venues_zone(browser, live_server, venue_elsewhere):
    """The tablet has no wall clock: its times are when a course was fired or called
    ready; the tablet's own formatter, as the page loaded it, gives the venue's time."""
    context, page = device(browser)
    sign_in(page, live_server.url, "/tablet", ANA)
    shows_venue_time(lambda: page.evaluate(
        "import('/static/js/tablet/util.js').then((m) => m.clock(new Date().toISOString()))"))
    assert page.js_errors == []
    context.close()


def test_screens_follow_the_venues_zone_not_the_servers_default(browser, live_server):
    """Without a change the demo venue is in Bucharest; the page says so."""
    context, page = new_screen(browser, {"width": 1024, "height": 768})
    page.goto(live_server.url + "/signin")
    assert page.locator("html").get_attribute("data-timezone") == "Europe/Bucharest"
    context.close()
