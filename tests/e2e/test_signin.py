"""The start page and the PIN pad in real Chromium, on a tablet and a desktop."""

from __future__ import annotations

import re

import pytest
from flask import make_response
from playwright.sync_api import expect

from pos.core.auth import Permission
from pos.staff.web import require_page
from pos.venue.models import Venue

ANA, JOHN = "1111", "3333"  # demo waiters: Ana Popescu (ro), John Miller (en)


def tap_pin(page, pin: str, *, ok: bool = True) -> None:
    for digit in pin:
        page.locator(f'#keypad [data-key="{digit}"]').tap()
    if ok:
        page.locator("#pin-ok").tap()


def filled_dots(page) -> int:
    return page.locator("#pin-dots .pin-dot.is-filled").count()


def session_staff(page, base: str) -> str | None:
    """Who the browser's cookie is signed in as, asked of the API."""
    response = page.request.get(base + "/api/v1/session")
    return response.json()["staff"]["name"] if response.ok else None


def test_start_page_lists_the_screens(page, desktop_page, live_server, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.locator("h1")).to_have_text("Bistro Masa")
    for path in ("/tablet", "/kitchen", "/cashier", "/office", "/desk"):  # built: links
        tile = page.locator(f'.tiles a.tile[data-screen="{path}"]')
        expect(tile).to_be_visible()
        expect(tile.locator(".badge")).to_have_count(0)
        expect(tile.locator(".tile-url")).to_have_text(live_server.url + path)
    expect(page.locator('.tiles a.tile')).to_have_count(5)
    expect(page.locator(".tiles .badge")).to_have_count(0)  # nothing "coming soon"
    expect(page.locator('a[href="/healthz"]')).to_be_visible()
    expect(page.locator('a[href="/api/v1/openapi.json"]')).to_be_visible()
    screenshot(page, "start-tablet", full_page=True)

    desktop_page.goto(live_server.url + "/?lang=en")
    expect(desktop_page.locator('.tiles [data-screen="/office"]')).to_contain_text("Back office")
    screenshot(desktop_page, "start-desktop", full_page=True)

    page.locator('a.tile-primary[data-screen="/signin"]').tap()
    expect(page).to_have_url(live_server.url + "/signin")
    assert page.js_errors == [] and desktop_page.js_errors == []


def test_wrong_pin_shows_the_error_and_clears(page, live_server, screenshot):
    page.goto(live_server.url + "/signin")
    expect(page.locator(".clock-time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(page.locator("#pin-ok")).to_be_disabled()
    tap_pin(page, "987", ok=False)
    assert filled_dots(page) == 3
    expect(page.locator("#pin-ok")).to_be_disabled()  # a PIN has at least 4 digits
    tap_pin(page, "6")
    message = page.locator("#pad-message")
    expect(message).to_have_text("PIN greșit.")
    expect(message).to_have_attribute("data-kind", "error")
    assert filled_dots(page) == 0
    screenshot(page, "signin-wrong-pin")
    assert session_staff(page, live_server.url) is None
    tap_pin(page, "1", ok=False)  # typing again puts the error away
    expect(message).to_have_text("")
    assert page.js_errors == []


def test_keyboard_types_deletes_and_submits(page, live_server):
    page.goto(live_server.url + "/signin?next=/%3Ffrom%3Dkeyboard")
    page.keyboard.type("12")
    page.keyboard.press("Backspace")
    assert filled_dots(page) == 1
    page.keyboard.press("Escape")
    assert filled_dots(page) == 0
    page.keyboard.type(ANA)
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/?from=keyboard")
    assert session_staff(page, live_server.url) == "Ana Popescu"


def test_five_wrong_pins_lock_the_pad_with_a_countdown(page, make_live_server, screenshot):
    server = make_live_server(MASA_PIN_LOCK_SECONDS=3)
    page.goto(server.url + "/signin")
    message = page.locator("#pad-message")
    for _attempt in range(4):
        tap_pin(page, "9090")
        expect(message).to_have_text("PIN greșit.")
        expect(page.locator("#pin-ok")).to_be_disabled()
    tap_pin(page, "9090")
    expect(message).to_have_attribute("data-kind", "locked")
    expect(message).to_have_text(re.compile(r"Încercați din nou în [1-3] s\."))
    expect(page.locator('#keypad [data-key="5"]')).to_be_disabled()
    expect(page.locator("#pad")).to_have_class(re.compile("is-locked"))
    screenshot(page, "signin-locked")
    expect(message).to_have_text(re.compile(r"în [12] s\."))  # it counts down
    expect(page.locator('#keypad [data-key="5"]')).to_be_enabled(timeout=6000)
    expect(message).to_have_attribute("data-kind", "info")
    tap_pin(page, ANA)
    expect(page).to_have_url(server.url + "/tablet")  # a waiter: her own screen
    assert session_staff(page, server.url) == "Ana Popescu"
    assert page.js_errors == []


def test_waiter_pin_signs_in_and_goes_to_next(page, live_server):
    page.goto(live_server.url + "/signin?next=/%3Ffrom%3Dpad")
    expect(page.locator("#current-staff")).to_be_hidden()
    tap_pin(page, ANA)
    expect(page).to_have_url(live_server.url + "/?from=pad")
    assert session_staff(page, live_server.url) == "Ana Popescu"
    assert page.evaluate("sessionStorage.getItem('masa.idle_signout_seconds')") == "120"
    assert page.js_errors == []


def test_another_pin_switches_staff(page, desktop_page, live_server, screenshot):
    page.goto(live_server.url + "/signin")
    tap_pin(page, ANA)
    expect(page).to_have_url(live_server.url + "/tablet")  # a waiter's own screen

    page.goto(live_server.url + "/signin?next=/office")
    current = page.locator("#current-staff")
    expect(current).to_be_visible()
    expect(page.locator("#current-name")).to_have_text("Ana Popescu")
    expect(page.locator("#current-role")).to_have_text("Ospătar")
    expect(page.locator("#current-initials")).to_have_text("AP")
    expect(page.locator(".pad-target")).to_have_text("pentru ecranul Administrare")
    tap_pin(page, "1234", ok=False)
    expect(page.locator("#pin-ok")).to_be_enabled()
    screenshot(page, "signin-signed-in-tablet")

    page.locator('#keypad [data-key="clear"]').tap()
    tap_pin(page, JOHN)
    expect(page).to_have_url(live_server.url + "/office")
    assert session_staff(page, live_server.url) == "John Miller"

    page.goto(live_server.url + "/signin")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # John's own language
    expect(page.locator("#current-name")).to_have_text("John Miller")
    expect(page.locator("#current-role")).to_have_text("Waiter")
    expect(page.locator(".language-switch")).to_have_count(0)
    screenshot(page, "signin-switched-en-tablet")

    desktop_page.goto(live_server.url + "/signin")
    tap = desktop_page.locator
    for digit in JOHN:
        tap(f'#keypad [data-key="{digit}"]').click()
    tap("#pin-ok").click()
    desktop_page.wait_for_url(live_server.url + "/tablet")
    desktop_page.goto(live_server.url + "/signin")
    expect(desktop_page.locator("#current-name")).to_have_text("John Miller")
    screenshot(desktop_page, "signin-signed-in-desktop")
    assert page.js_errors == [] and desktop_page.js_errors == []


def test_sign_out_button(page, live_server):
    page.goto(live_server.url + "/signin")
    tap_pin(page, ANA)
    expect(page).to_have_url(live_server.url + "/tablet")
    page.goto(live_server.url + "/signin")
    page.locator("#sign-out").tap()
    expect(page.locator("#current-staff")).to_be_hidden()
    expect(page.locator("#pad-message")).to_contain_text("Ați ieșit")
    assert session_staff(page, live_server.url) is None


@pytest.fixture
def probe_screen(app, db):
    """A screen only the back office may open, importing session.js as later screens will."""

    def office_probe():
        refused = require_page(Permission.OFFICE_VIEW)
        if refused is not None:
            return refused
        return make_response("<!doctype html><title>probe</title><p id=probe>office</p>"
                             "<script type=module src=/office-probe.js></script>")

    def office_probe_script():  # a script of our own origin: the page's CSP allows no inline one
        script = ("import {startIdleSignout} from '/static/js/session.js'; "
                  "startIdleSignout();")
        return make_response(script, 200, {"Content-Type": "text/javascript"})

    app.add_url_rule("/office-probe", view_func=office_probe)
    app.add_url_rule("/office-probe.js", view_func=office_probe_script)
    return "/office-probe"


def test_a_waiter_is_refused_the_back_office(page, desktop_page, live_server, probe_screen,
                                             screenshot):
    page.goto(live_server.url + probe_screen)
    expect(page).to_have_url(re.compile(r"/signin\?next=/office-probe$"))
    tap_pin(page, ANA)
    expect(page).to_have_url(live_server.url + probe_screen)
    expect(page.locator("h1")).to_have_text("Rolul dumneavoastră nu poate deschide acest ecran")
    screenshot(page, "forbidden-tablet")
    page.locator(".message-actions .button-primary").tap()
    expect(page).to_have_url(re.compile(r"/signin\?next=/office-probe$"))
    tap_pin(page, "9999")  # the manager
    expect(page.locator("#probe")).to_have_text("office")

    desktop_page.goto(live_server.url + "/signin")
    for digit in JOHN:
        desktop_page.locator(f'#keypad [data-key="{digit}"]').click()
    desktop_page.locator("#pin-ok").click()
    desktop_page.wait_for_url(live_server.url + "/tablet")
    desktop_page.goto(live_server.url + probe_screen)
    expect(desktop_page.locator("h1")).to_have_text("Your role may not open this screen")
    screenshot(desktop_page, "forbidden-desktop")


def test_idle_screen_signs_out_and_returns_to_the_pad(page, live_server, probe_screen, db):
    with db.transaction() as session:
        session.get(Venue, 1).idle_signout_seconds = 2
    page.goto(live_server.url + "/signin?next=" + probe_screen)
    tap_pin(page, "9999")
    expect(page.locator("#probe")).to_have_text("office")
    for _ in range(3):  # taps keep it signed in
        page.wait_for_timeout(800)
        page.locator("#probe").tap()
    expect(page.locator("#probe")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Foffice-probe$|/signin\?next=/office-probe$"),
                             timeout=5000)
    assert session_staff(page, live_server.url) is None
    expect(page.locator("#current-staff")).to_be_hidden()
