"""Screens that stay up through service, in real Chromium: a manager pairs the grill
screen from the screen itself and it never signs out; a waiter signed out mid-order gets a
PIN prompt in place, in their own language, and the send goes out exactly once."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import requests
from factories import make_staff
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from e2e.screens import assert_laid_out, new_screen, press, type_pin
from kitchen.models import Ticket
from pos.core.auth import Role
from pos.core.db import utcnow
from pos.ordering.models import OrderLine, Send
from pos.staff.models import Device, StaffSession
from pos.staff.sessions import end_idle_sessions
from pos.venue.models import Venue


def api_as(base: str, pin: str) -> requests.Session:
    session = requests.Session()
    assert session.post(base + "/api/v1/session", json={"pin": pin}, timeout=5).ok
    return session


def send_a_steak(base: str, waiter: requests.Session, table: str) -> int:
    menu = session_json(waiter, base + "/api/v1/menu")
    floor = session_json(waiter, base + "/api/v1/floor")
    table_id = next(t["id"] for f in floor["floors"] for t in f["tables"] if t["name"] == table)
    items = {item["number"]: item["id"] for item in menu["items"]}
    modifiers = {m["names"]["en"]: m["id"] for g in menu["modifier_groups"] for m in g["modifiers"]}
    check = waiter.post(base + "/api/v1/checks", json={
        "table_id": table_id, "guest_count": 2, "client_id": str(uuid.uuid4())}, timeout=5).json()
    courses = {c["code"]: c["id"] for c in menu["courses"]}
    sent = waiter.post(f"{base}/api/v1/checks/{check['id']}/send", timeout=5, json={
        "client_id": str(uuid.uuid4()), "version": check["version"], "lines": [{
            "item_id": items[401], "course_id": courses["starters"],
            "modifier_ids": [modifiers["Medium rare"], modifiers["French fries"]]}]})
    assert sent.status_code == 200, sent.text
    return check["id"]


def session_json(session: requests.Session, url: str) -> dict:
    response = session.get(url, timeout=5)
    assert response.ok, response.text
    return response.json()


# --- a wall screen, paired from itself ------------------------------------------------------

def test_a_manager_pairs_the_grill_screen_and_it_stays_up_for_ten_idle_minutes(
        browser, live_server, db, screenshot):
    base = live_server.url
    manager = make_staff(db, Role.MANAGER, name="Andreea Manager")
    waiter = make_staff(db, Role.WAITER, name="Ion Waiter")
    context, kds = new_screen(browser, "kitchen", touch=False)
    try:
        kds.clock.install()  # the screen's clock is ours to move
        kds.goto(base + "/kitchen/grill")
        expect(kds).to_have_url(re.compile(r"/pair/kitchen\?station=grill$"))
        expect(kds.locator('[data-choice="grill"]')).to_have_attribute("aria-checked", "true")
        expect(kds.locator("[data-label]")).to_have_value("Ecran Grătar")
        assert_laid_out(kds, ".pair-option, .key, .pin-ok, .pair-label input, "
                             "[data-signin-instead]")
        screenshot(kds, "pair-grill-1920")
        type_pin(kds.locator("#pad"), manager.pin)
        expect(kds).to_have_url(base + "/kitchen/grill")
        expect(kds.locator(".kds-station")).to_have_text("Grătar")
        with db.reading() as session:
            device = session.scalar(select(Device))
        assert (device.label, device.role, device.station, device.paired_by_id) == (
            "Ecran Grătar", Role.KITCHEN, "grill", manager.id)

        kds.clock.run_for(10 * 60 * 1000)  # ten minutes, nobody touches the screen
        send_a_steak(base, api_as(base, waiter.pin), "5")
        expect(kds.get_by_role("article", name="Masa 5")).to_be_visible(timeout=10_000)
        expect(kds).to_have_url(base + "/kitchen/grill")
        kds.reload()  # a reload (or a power cut) still opens the station, no PIN asked
        expect(kds.locator(".kds-station")).to_have_text("Grătar")
        screenshot(kds, "kds-paired-after-10-min")
        assert kds.js_errors == []
    finally:
        context.close()


def test_a_manager_sees_and_revokes_paired_screens(browser, live_server, db, screenshot):
    base = live_server.url
    manager = make_staff(db, Role.MANAGER, name="Andreea Manager", language="en")
    kds_context, kds = new_screen(browser, "kitchen-small", touch=False, locale="en-GB")
    office_context, office = new_screen(browser, "kitchen-small", touch=False, locale="en-GB")
    try:
        kds.goto(base + "/pair/kitchen?station=bar&lang=en")
        expect(kds.locator("h1")).to_have_text("Pair this screen")
        type_pin(kds.locator("#pad"), manager.pin)
        expect(kds).to_have_url(base + "/kitchen/bar")

        office.goto(base + "/office/devices")
        type_pin(office, manager.pin)
        expect(office).to_have_url(base + "/office/devices")
        row = office.locator("[data-devices] tbody tr").first
        expect(row).to_contain_text("Bar screen")
        expect(row).to_contain_text("Andreea Manager")
        screenshot(office, "office-paired-screens")
        office.once("dialog", lambda dialog: dialog.accept())
        press(row.locator("[data-revoke]"))
        expect(row).to_contain_text("Revoked")
        # The revoked screen is cut off at once and asks to be paired again.
        expect(kds).to_have_url(re.compile(r"/pair/kitchen\?station=bar$"))
    finally:
        kds_context.close()
        office_context.close()


@pytest.mark.parametrize(("size", "locale"), [("kitchen", "en-GB"), ("kitchen-small", "ro-RO"),
                                              ("tablet-portrait", "ro-RO"),
                                              ("tablet-landscape", "en-GB"),
                                              ("phone", "ro-RO")])
def test_the_pairing_screen_fits_every_size_in_both_languages(browser, live_server, size,
                                                               locale, screenshot):
    context, page = new_screen(browser, size, locale=locale)
    lang = locale[:2]
    try:
        page.goto(live_server.url + f"/pair/kitchen?station=expo&lang={lang}")
        expect(page.locator('[data-choice="expo"]')).to_have_attribute("aria-checked", "true")
        page.locator(".pin-ok").scroll_into_view_if_needed()
        assert_laid_out(page, ".pin-ok")
        page.locator(".pair-title").scroll_into_view_if_needed()
        assert_laid_out(page, ".pair-title")
        for option in page.locator(".pair-option").all():
            option.scroll_into_view_if_needed()
            assert_laid_out(page, f'[data-choice="{option.get_attribute("data-choice")}"]')
        screenshot(page, f"pair-{size}-{lang}", full_page=True)
    finally:
        context.close()


# --- a waiter signed out in the middle of an order --------------------------------------------

def open_tablet(page, base: str, pin: str) -> None:
    page.goto(base + "/tablet")
    type_pin(page, pin)
    expect(page).to_have_url(re.compile(r"/tablet"))
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")


def seat(page, table: str, guests: int) -> int:
    press(page.locator(f'.plan [data-name="{table}"]'))
    press(page.locator(f'.dlg-guests [data-guests="{guests}"]'))
    expect(page).to_have_url(re.compile(r"#/check/\d+$"))
    return int(re.search(r"#/check/(\d+)$", page.url).group(1))


def add_beers(page, count: int) -> None:
    press(page.locator(".category", has_text=re.compile("Wine & beer|Vin & bere")))
    for _ in range(count):
        press(page.locator('.item-tile[data-number="806"]'))


def end_the_sign_in_as_if_idle(db) -> None:
    """The server's sweeper, a while after the waiter's last request."""
    with db.transaction() as session:
        session.execute(update(StaffSession).values(
            last_seen_at=utcnow() - timedelta(minutes=3)))
    with db.transaction() as session:
        end_idle_sessions(session)


def sends_and_beers(db, check_id: int) -> tuple[int, int]:
    with db.reading() as session:
        sends = session.scalar(select(func.count()).select_from(Send)
                               .where(Send.check_id == check_id))
        beers = session.scalar(select(func.coalesce(func.sum(OrderLine.quantity), 0))
                               .where(OrderLine.check_id == check_id))
        return sends, beers


@pytest.mark.parametrize("size", ["tablet-landscape", "tablet-portrait", "phone"])
def test_a_waiter_signed_out_mid_order_enters_the_pin_in_place_and_the_send_goes_once(
        browser, live_server, db, screenshot, size):
    base = live_server.url
    john = make_staff(db, Role.WAITER, name="John Miller", language="en")
    context, page = new_screen(browser, size, locale="ro-RO")  # the tablet's own language: ro
    try:
        open_tablet(page, base, john.pin)
        check_id = seat(page, "7", 2)
        add_beers(page, 3)  # taps that make no request
        end_the_sign_in_as_if_idle(db)

        press(page.locator("[data-send]"))
        prompt = page.locator("#reauth")
        expect(prompt).to_be_visible()
        expect(prompt.locator("#reauth-title")).to_have_text("John Miller, your PIN to go on")
        expect(prompt.locator("[data-reauth-reason]")).to_contain_text(
            "You were signed out after a while without a tap")
        assert_laid_out(page, "#reauth .key, #reauth .pin-ok, #reauth-title")
        screenshot(page, f"tablet-reauth-{size}")
        assert sends_and_beers(db, check_id) == (0, 0)

        type_pin(prompt, john.pin)
        expect(prompt).to_be_hidden()
        expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
        expect(page.locator("[data-new-lines] .line-new")).to_have_count(0)
        page.wait_for_function("() => window.masaTablet.outbox.pending().length === 0")
        assert sends_and_beers(db, check_id) == (1, 3)
        page.wait_for_timeout(1500)  # the outbox's retry timer would have sent it again by now
        assert sends_and_beers(db, check_id) == (1, 3)
        with db.reading() as session:
            assert session.scalar(select(func.count()).select_from(Ticket)
                                  .where(Ticket.check_id == check_id)) == 1
        assert page.js_errors == []
    finally:
        context.close()


def test_another_waiters_pin_at_the_prompt_takes_over_and_leaves_the_draft_to_its_owner(
        browser, live_server, db, screenshot):
    base = live_server.url
    john = make_staff(db, Role.WAITER, name="John Miller", language="en")
    ioana = make_staff(db, Role.WAITER, name="Ioana Radu", language="ro")
    context, page = new_screen(browser, "tablet-landscape")
    try:
        open_tablet(page, base, john.pin)
        check_id = seat(page, "8", 2)
        add_beers(page, 2)
        end_the_sign_in_as_if_idle(db)
        press(page.locator("[data-send]"))
        prompt = page.locator("#reauth")
        expect(prompt).to_be_visible()
        type_pin(prompt, ioana.pin)  # Ioana takes the tablet
        expect(page.locator(".staff-chip-name")).to_have_text("Ioana Radu")
        page.goto(f"{base}/tablet#/check/{check_id}")
        expect(page.locator("[data-check-title]")).to_have_text("Masa 8")
        expect(page.locator("[data-new-lines] .line-new")).to_have_count(0)  # not hers
        assert sends_and_beers(db, check_id) == (0, 0)
        screenshot(page, "tablet-taken-over")

        press(page.locator("[data-sign-out]"))  # John is back: his draft is there for him
        expect(page).to_have_url(re.compile(r"/signin\?next="))
        type_pin(page, john.pin)
        expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
        page.wait_for_function("() => window.masaTablet.outbox.pending().length === 0")
        assert sends_and_beers(db, check_id) == (1, 2)  # his waiting send went, once
    finally:
        context.close()


def test_taps_keep_a_waiter_signed_in_on_the_server(browser, live_server, db):
    """Building an order makes no request; the taps still tell the server the tablet is in
    use, so a waiter who keeps working past the idle limit is never asked for the PIN."""
    base = live_server.url
    with db.transaction() as session:
        session.get(Venue, 1).idle_signout_seconds = 15
    john = make_staff(db, Role.WAITER, name="John Miller", language="en")
    context, page = new_screen(browser, "tablet-landscape", locale="en-GB")
    try:
        open_tablet(page, base, john.pin)
        check_id = seat(page, "9", 2)
        for _ in range(10):  # 40 s of taps, nearly three idle limits, without a request
            add_beers(page, 1)
            page.wait_for_timeout(4000)
            with db.transaction() as session:
                end_idle_sessions(session)  # the sweeper finds nothing to end
        press(page.locator("[data-send]"))
        page.wait_for_function("() => window.masaTablet.outbox.pending().length === 0")
        expect(page.locator("#reauth")).to_be_hidden()
        assert sends_and_beers(db, check_id) == (1, 10)
    finally:
        context.close()
