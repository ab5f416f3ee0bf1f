"""The order panel of the waiter's tablet during a full service, measured at every tablet
size (1024×768, 768×1024; the phone where it applies) in Romanian (Ana) and English (John):

- food ready at the pass is one list above the screen, never over Send, Repeat round, the
  total or the table's name, however many courses wait; a toast never lies over the name;
- each course says where it really is in the kitchen (held, fired, cooking, ready at the
  pass, picked up), live, and offers Hold and Rush only while they mean something; no
  course label is cut;
- a table of 4, 6 or 12 guests has every seat within reach, each a thumb's width.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select
from support import STEAK, Tablet

from e2e.screens import (
    assert_laid_out,
    box,
    layout_problems,
    new_screen,
    overlaps,
    press,
    sign_in_on_tablet,
)
from kitchen.models import Ticket

COOK = "7777"
WAITERS = {"ro": ("1111", "Masa"), "en": ("3333", "Table")}  # Ana: Romanian; John: English
TABLETS = ["tablet-landscape", "tablet-portrait"]
SOUP, BEER = 102, 806  # a soup fires at once (grill); a draught lager asks nothing (bar)
ACTIONS = '[data-send], [data-repeat], [data-total="total"], [data-check-title], [data-back]'


# --- helpers ------------------------------------------------------------------------------

def waiter(live_server, lang: str) -> Tablet:
    return Tablet(live_server.app.test_client(), WAITERS[lang][0])


def cook(base: str) -> requests.Session:
    session = requests.Session()
    assert session.post(base + "/api/v1/session", json={"pin": COOK}, timeout=5).ok
    return session


def tap(session: requests.Session, url: str, **body) -> None:
    response = session.post(url, json={"client_id": str(uuid.uuid4()), **body}, timeout=5)
    assert response.status_code == 200, response.text


def tickets_of(db, check_id: int, course_id: int | None = None) -> list[Ticket]:
    with db.reading() as session:
        query = select(Ticket).where(Ticket.check_id == check_id).order_by(Ticket.id)
        if course_id is not None:
            query = query.where(Ticket.course_id == course_id)
        tickets = list(session.scalars(query))
        for ticket in tickets:
            ticket.line_ids = [line.line_id for line in ticket.lines]
        return tickets


def call_ready(base: str, db, check_id: int, course_id: int) -> None:
    """The grill bumps the course and expo calls it: the server's tablet hears it."""
    kitchen = cook(base)
    for ticket in tickets_of(db, check_id, course_id):
        tap(kitchen, f"{base}/api/v1/kitchen/tickets/{ticket.id}/bump")
    tap(kitchen, f"{base}/api/v1/kitchen/ready", check_id=check_id, course_id=course_id)


def open_check(page, check_id: int) -> None:
    page.evaluate(f"location.hash = '#/check/{check_id}'")
    expect(page.locator("[data-check-title]")).not_to_be_empty()
    expect(page.locator("#order-view")).not_to_have_class(re.compile("is-loading"))


def quiet(page) -> None:
    page.evaluate("document.getElementById('toasts').replaceChildren()")




def screen(browser, size: str, lang: str):
    return new_screen(browser, size, locale="ro-RO" if lang == "ro" else "en-GB")


# --- 1. food ready: one list, over nothing ------------------------------------------------

@pytest.mark.parametrize("lang", ["ro", "en"])
@pytest.mark.parametrize("size", [*TABLETS, "phone"])
def test_food_ready_is_one_list_that_covers_no_action(browser, live_server, db, screenshot,
                                                     size, lang):
    base = live_server.url
    api = waiter(live_server, lang)
    starters = api.courses["starters"]
    called = []
    for table in ("3", "4", "6"):
        check = api.sent(api.seat(table, guests=2), api.line(SOUP))
        called.append(check["id"])
    here = api.sent(api.seat("5", guests=2), api.line(SOUP), api.line(BEER))
    context, page = screen(browser, size, lang)
    try:
        sign_in_on_tablet(page, base, WAITERS[lang][0])
        open_check(page, here["id"])
        press(page.locator(".category").first)
        press(page.locator(".item-tile:not([disabled])").first)  # something new: Send is live
        if page.locator(".dlg-item").count():
            press(page.locator(".dlg-item [data-add]"))
        expect(page.locator("[data-send]")).to_be_enabled()

        for check_id in called:  # three tables' starters at the pass, one after another
            call_ready(base, db, check_id, starters)
        notices = page.locator("#ready-notices .ready-notice")
        expect(notices).to_have_count(3)
        expect(page.locator("#ready-notices")).to_have_count(1)  # one list, not a stack
        word = WAITERS[lang][1]
        expect(notices.first).to_contain_text(f"{word} 6")
        quiet(page)
        screenshot(page, f"panel-ready-{size}-{lang}")

        # Nothing lies over an action or the table's name; the list itself is whole.
        assert_laid_out(page, ACTIONS)
        strip = box(page.locator("#ready-notices"))
        for action in ("[data-send]", "[data-repeat]", '[data-total="total"]',
                       "[data-check-title]"):
            assert not overlaps(strip, box(page.locator(action))), action
        visible = page.locator("#ready-notices").evaluate(
            "list => [...list.children].filter(row => row.getBoundingClientRect().bottom"
            " <= list.getBoundingClientRect().bottom + 0.5).length")
        assert visible >= (2 if size == "phone" else 3)
        assert_laid_out(page, ".ready-notice:first-child .ready-open, "
                              ".ready-notice:first-child [data-picked-up]")
        for target in page.locator("#ready-notices [data-picked-up]").all()[:visible]:
            assert target.bounding_box()["height"] >= 44

        # Picked up: the row goes, the rest stay; the last one leaves no strip behind.
        press(notices.first.locator("[data-picked-up]"))
        expect(notices).to_have_count(2)
        press(notices.first.locator("[data-picked-up]"))
        press(notices.first.locator("[data-picked-up]"))
        expect(page.locator("#ready-notices")).to_be_hidden()
        assert page.js_errors == []
    finally:
        context.close()


def test_a_course_the_kitchen_takes_back_from_the_pass_leaves_the_ready_list(
        browser, live_server, db):
    """Expo called table 3's starters and drinks, then the grill recalled the soup to make
    again: the waiter is not sent to fetch a soup that is not there, and the drinks (still
    at the pass, so the table still shows food ready) stay on the list."""
    base = live_server.url
    api = waiter(live_server, "ro")
    starters, drinks = api.courses["starters"], api.courses["drinks"]
    check_id = api.sent(api.seat("3", guests=2), api.line(SOUP), api.line(BEER))["id"]
    context, page = screen(browser, "tablet-landscape", "ro")
    try:
        sign_in_on_tablet(page, base, WAITERS["ro"][0])
        for course_id in (starters, drinks):
            call_ready(base, db, check_id, course_id)
        notices = page.locator("#ready-notices .ready-notice")
        expect(notices).to_have_count(2)

        [soup] = tickets_of(db, check_id, starters)
        tap(cook(base), f"{base}/api/v1/kitchen/tickets/{soup.id}/recall")
        expect(notices).to_have_count(1)
        expect(notices.first).to_have_attribute("data-ready-key", f"{check_id}:{drinks}")
        assert page.js_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["ro", "en"])
@pytest.mark.parametrize("size", [*TABLETS, "phone"])
def test_a_toast_does_not_cover_the_table_name_or_send(browser, live_server, screenshot,
                                                      size, lang):
    base = live_server.url
    api = waiter(live_server, lang)
    check = api.seat("7", guests=2)
    context, page = screen(browser, size, lang)
    try:
        sign_in_on_tablet(page, base, WAITERS[lang][0])
        open_check(page, check["id"])
        press(page.locator(".category").first)
        press(page.locator(".item-tile:not([disabled])").first)
        if page.locator(".dlg-item").count():
            press(page.locator(".dlg-item [data-add]"))
        press(page.locator("[data-send]"))
        toast = page.locator(".toast-success")
        expect(toast).to_be_visible()
        screenshot(page, f"panel-toast-{size}-{lang}")
        for action in ("[data-check-title]", "[data-send]", "[data-back]",
                       '[data-total="total"]'):
            assert not overlaps(box(toast), box(page.locator(action))), action
        assert_laid_out(page, ACTIONS)
        assert page.js_errors == []
    finally:
        context.close()


# --- 2. where each course is in the kitchen; no label cut -----------------------------------

def course(page, course_id: int):
    return page.locator(f'.course-group[data-course-id="{course_id}"]')


@pytest.mark.parametrize("lang", ["ro", "en"])
@pytest.mark.parametrize("size", TABLETS)
def test_each_course_shows_the_kitchen_state_live_and_offers_only_what_means_something(
        browser, live_server, db, screenshot, size, lang):
    base = live_server.url
    api = waiter(live_server, lang)
    mains, starters = api.courses["mains"], api.courses["starters"]
    check = api.sent(api.seat("8", guests=2), api.line(*STEAK), api.line(SOUP))
    fired = api.post(check, f"courses/{mains}/fire")
    assert fired.status_code == 200, fired.text
    context, page = screen(browser, size, lang)
    try:
        sign_in_on_tablet(page, base, WAITERS[lang][0])
        open_check(page, check["id"])

        # Mains fired, nobody has started: Hold again and Rush both mean something.
        expect(course(page, mains)).to_have_attribute("data-kitchen-state", "fired")
        expect(course(page, mains).locator('[data-course-action="recall"]')).to_be_visible()
        expect(course(page, mains).locator('[data-course-action="rush"]')).to_be_visible()
        quiet(page)
        screenshot(page, f"panel-course-fired-{size}-{lang}")
        # No label cut, nothing off-screen, nothing covered.
        assert_laid_out(page, ".course-button, .course-button span, .course-badge, .course-name")

        # The grill starts the steak: the tablet says so by itself; Hold is gone.
        kitchen = cook(base)
        [steak] = tickets_of(db, check["id"], mains)
        tap(kitchen, f"{base}/api/v1/kitchen/tickets/{steak.id}/lines/{steak.line_ids[0]}/done",
            done=True)
        expect(course(page, mains)).to_have_attribute("data-kitchen-state", "cooking")
        expect(course(page, mains).locator('[data-course-action="recall"]')).to_have_count(0)
        expect(course(page, mains).locator('[data-course-action="rush"]')).to_be_visible()
        expect(course(page, mains).locator('[data-course-state="cooking"]')).to_be_visible()

        # At the pass: neither Rush nor Hold; then picked up.
        call_ready(base, db, check["id"], mains)
        expect(course(page, mains)).to_have_attribute("data-kitchen-state", "ready")
        expect(course(page, mains).locator("[data-course-action]")).to_have_count(0)
        quiet(page)
        screenshot(page, f"panel-course-ready-{size}-{lang}")
        assert_laid_out(page, ".course-button, .course-button span, .course-badge, .course-name")
        press(page.locator(f'#ready-notices [data-ready-key="{check["id"]}:{mains}"] '
                           "[data-picked-up]"))
        expect(course(page, mains)).to_have_attribute("data-kitchen-state", "picked_up")
        expect(course(page, mains).locator("[data-course-action]")).to_have_count(0)
        # The soup went at once; a starter is never held again, Rush still means something.
        expect(course(page, starters)).to_have_attribute("data-kitchen-state", "fired")
        expect(course(page, starters).locator('[data-course-action="recall"]')).to_have_count(0)
        expect(course(page, starters).locator('[data-course-action="rush"]')).to_be_visible()
        assert_laid_out(page, ".course-button, .course-button span, .course-badge, .course-name")
        assert page.js_errors == []
    finally:
        context.close()


# --- 3. seats: every one within reach ---------------------------------------------------------

def small_targets(page, selector: str) -> list[str]:
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
      .filter(e => e.getClientRects().length)
      .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
      .filter(([, r]) => r.width < 44 || r.height < 44)
      .map(([name, r]) => `${name}: ${Math.round(r.width)}×${Math.round(r.height)}`)""",
                         selector)


def show_pane(page, pane: str) -> None:
    """On a phone the menu and the check are panes of their own (tabs at the bottom); the
    seat row fits itself to the pane once it shows."""
    tab = page.locator(f'button[data-phone-pane="{pane}"]')
    if tab.count() and tab.is_visible():
        press(tab)
    if pane == "order":
        page.wait_for_function("""() => {
          const chips = document.querySelector('[data-seats] .seat-chips');
          return chips && chips.clientWidth > 0 && chips.scrollWidth <= chips.clientWidth + 1;
        }""")


@pytest.mark.parametrize("lang", ["ro", "en"])
@pytest.mark.parametrize("size", [*TABLETS, "phone"])
def test_every_seat_of_a_big_table_is_within_reach(browser, live_server, screenshot, size, lang):
    base = live_server.url
    api = waiter(live_server, lang)
    checks = {guests: api.seat(table, guests=guests)
              for table, guests in (("2", 4), ("9", 6), ("10", 12))}
    context, page = screen(browser, size, lang)
    try:
        sign_in_on_tablet(page, base, WAITERS[lang][0])
        for guests, check in checks.items():
            open_check(page, check["id"])
            show_pane(page, "order")
            bar = page.locator("[data-seats]")
            expect(bar.locator('[data-seat="0"]')).to_be_visible()
            assert_laid_out(page, "[data-seats] .seat-chip, .seat-label")
            assert small_targets(page, "[data-seats] .seat-chip") == []
            shown = {int(n) for n in bar.locator(".seat-chip[data-seat]").evaluate_all(
                "chips => chips.map(c => c.dataset.seat)")}
            more = bar.locator("[data-seat-more]")
            if guests <= 4:
                assert shown == set(range(guests + 1))  # four fit in the row as they are
            if shown != set(range(guests + 1)):
                # The others are one tap away, all of them, each a thumb wide.
                press(more)
                picker = page.locator("[data-seat-picker]")
                expect(picker).to_be_visible()
                screenshot(page, f"panel-seats-{guests}-{size}-{lang}")
                assert picker.locator("[data-seat]").count() == guests + 1
                assert_laid_out(page, "[data-seat-picker] [data-seat]")
                assert small_targets(page, "[data-seat-picker] [data-seat]") == []
                press(picker.locator(f'[data-seat="{guests}"]'))
                expect(picker).to_have_count(0)
                expect(more).to_have_attribute("aria-pressed", "true")
                expect(more).to_contain_text(str(guests))
            else:
                press(bar.locator(f'[data-seat="{guests}"]'))
                expect(bar.locator(f'[data-seat="{guests}"]')).to_have_attribute(
                    "aria-pressed", "true")
            # The seat chosen is the seat the next line goes to.
            show_pane(page, "menu")
            press(page.locator(".category", has_text=re.compile("Vin|Wine")))
            press(page.locator(f'.item-tile[data-number="{BEER}"]'))
            show_pane(page, "order")
            expect(page.locator("[data-new-lines] .line-seat").last).to_have_attribute(
                "data-seat-label", str(guests))
            quiet(page)
            screenshot(page, f"panel-seats-{guests}-chosen-{size}-{lang}")
        assert page.js_errors == []
    finally:
        context.close()


def test_layout_problems_are_found(browser, live_server):
    """The probe these tests lean on does see a covered action (so a pass means something)."""
    context, page = screen(browser, "tablet-landscape", "en")
    try:
        sign_in_on_tablet(page, live_server.url, WAITERS["en"][0])
        page.evaluate("""() => { const d = document.createElement('div');
          d.style = 'position:fixed;inset:0;z-index:99'; document.body.append(d); }""")
        assert layout_problems(page, "[data-sign-out]")
    finally:
        context.close()
