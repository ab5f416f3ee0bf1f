"""Money and the business day on the waiter's tablet, in real Chromium: amounts typed in a
currency with no decimals (JPY) or three (KWD) are taken to the minor unit; the totals
with lines not sent yet are the server's quote (tax on top in a tax-exclusive venue),
never the tablet's own sum; a send's answer (what it changed) is merged without loading
the check again; a closed business day locks ordering, a new day unlocks it; a section
handed to the waiter re-draws "my section"."""

from __future__ import annotations

import json
import re

import pytest
import requests
from factories import make_staff
from playwright.sync_api import expect
from sqlalchemy import select
from support import PINS

from e2e.screens import assert_laid_out, new_screen, press, sign_in_on_tablet
from e2e.test_tablet import (
    ANA,
    MANAGER,
    api_session,
    calm,
    get_check,
    item_id,
    new_lines,
    open_category,
    order_beers,
    pump_until,
    seat_table,
    sends_of,
    table,
    tile,
)
from pos.core.auth import Role
from pos.core.db import utcnow
from pos.core.events import record_event
from pos.core.money import TaxMode
from pos.floor.models import Section
from pos.menu.models import MenuItem
from pos.venue.models import Venue
from pos.venue.operations import close_business_day, current_business_day

QUOTE_ROUTE = "**/api/v1/checks/*/quote"
SEND_ROUTE = "**/api/v1/checks/*/send"
BEER = 806  # draught lager, 18,00 RON in the demo (1800 minor units), made at the bar
MICI = 204  # mici, made at the grill


@pytest.fixture
def page(browser):
    """Here the tablet is held sideways (1024×768), as waiters hold it at the table."""
    context, tablet = new_screen(browser, "tablet-landscape")
    yield tablet
    context.close()


def set_venue(db, **settings) -> None:
    with db.transaction() as session:
        venue = session.get(Venue, 1)
        for name, value in settings.items():
            setattr(venue, name, value)


def money_text(locator) -> str:
    """What a money element shows, with the non-breaking spaces Intl puts in as spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", locator.inner_text()).strip()


def expect_money(locator, text: str) -> None:
    """``locator`` shows exactly ``text`` (a space in it stands for Intl's no-break space)."""
    pattern = re.escape(text).replace(r"\ ", r"\s")
    expect(locator).to_have_text(re.compile(rf"^\s*{pattern}\s*$"))


def total(page):
    return page.locator('[data-totals] [data-total="total"] .money')


def quote_of(base: str, session: requests.Session, check_id: int, lines: list[dict]) -> dict:
    response = session.post(f"{base}/api/v1/checks/{check_id}/quote", json={"lines": lines},
                            timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def quoted(page) -> None:
    """Wait until the unsent lines' total is the server's (a tablet that asks for no quote
    goes on at once)."""
    pump_until(page, lambda: page.locator("[data-totals]").get_attribute("data-quote")
               in ("fresh", None))


def amount_input(dialog):
    return dialog.locator("input[inputmode]")  # "Or an amount, e.g. …"


def give_discount(page, amount: str | None = None) -> object:
    """Open "Discount on the whole check" and type ``amount``; returns the dialog."""
    press(page.locator("[data-check-menu]"))
    press(page.locator('.dlg-choose [data-choice="discount"]'))
    dialog = page.locator(".dlg-approve")
    expect(dialog).to_be_visible()
    press(dialog.locator("[data-reason]").first)
    for digit in MANAGER:  # a waiter gives no discount alone
        press(dialog.locator(f'[data-pin-key="{digit}"]'))
    if amount is not None:
        amount_input(dialog).fill(amount)
    return dialog


# --- (a) currencies with 0 and 3 decimals -----------------------------------------------------

@pytest.mark.parametrize(("currency", "exponent", "price", "too_precise", "typed", "minor",
                          "discount_text", "total_text"), [
    ("JPY", 0, "1.800 JPY", "500,5", "500", 500, "500 JPY", "1.300 JPY"),
    ("KWD", 3, "1,800 KWD", "1,2345", "1.234", 1234, "1,234 KWD", "0,566 KWD"),
], ids=["JPY-0-decimals", "KWD-3-decimals"])
def test_an_amount_typed_in_a_currency_with_0_or_3_decimals_is_taken_exactly(
        page, live_server, db, screenshot, currency, exponent, price, too_precise, typed,
        minor, discount_text, total_text):
    set_venue(db, currency=currency)
    base = live_server.url
    ana = api_session(base, ANA)
    venue = ana.get(base + "/api/v1/venue", timeout=5).json()
    assert (venue["currency"], venue["currency_exponent"]) == (currency, exponent)

    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "5", 2)
    open_category(page, "Vin & bere")
    # The menu's 1800 minor units are ¥1,800 or 1.800 dinars: shown with the currency's decimals.
    expect_money(tile(page, BEER).locator(".item-price"), price)
    press(tile(page, BEER))
    press(page.locator("[data-send]"))
    expect(page.locator(".line-sent")).to_have_count(1)
    expect_money(total(page), price)

    dialog = give_discount(page, too_precise)  # more decimals than the currency has
    expect(dialog.locator("[data-confirm]")).to_be_disabled()
    expect(dialog.locator("[data-amount-error]")).to_be_visible()
    expect(dialog.locator("[data-amount-error]")).to_contain_text(currency)
    screenshot(calm(page), f"tablet-discount-{currency.lower()}-refused")
    amount_input(dialog).fill(typed)
    expect(dialog.locator("[data-confirm]")).to_be_enabled()
    expect(dialog.locator("[data-amount-error]")).to_be_hidden()
    screenshot(calm(page), f"tablet-discount-{currency.lower()}")
    press(dialog.locator("[data-confirm]"))
    expect(dialog).to_have_count(0)

    check = get_check(base, ana, check_id)
    assert check["discount_amount"] == minor  # "1.234" KWD is 1234 fils, "500" JPY is ¥500
    assert check["totals"]["total"] == 1800 - minor
    expect_money(page.locator('[data-totals] [data-total="discounts"] .money'), f"-{discount_text}")
    expect_money(total(page), total_text)
    screenshot(calm(page), f"tablet-discounted-{currency.lower()}")
    assert page.js_errors == []


# --- (b) the totals are the server's quote --------------------------------------------------------

def test_a_tax_exclusive_venue_shows_the_servers_quote_for_unsent_lines_not_a_sum_of_prices(
        page, live_server, db, screenshot):
    set_venue(db, tax_mode=TaxMode.EXCLUSIVE)
    base = live_server.url
    ana = api_session(base, ANA)
    beer = item_id(base, ana, BEER)
    asked: list[dict] = []
    held: list = []
    holding = [True]

    def quote(route):
        asked.append(json.loads(route.request.post_data))
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    page.context.route(QUOTE_ROUTE, quote)
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "5", 2)
    page.wait_for_timeout(600)
    assert asked == []  # an empty draft asks nothing

    # One beer: while the quote is on its way the total is the last the server gave (0),
    # marked as not updated — never the tablet's own 18,00.
    order_beers(page, 1)
    expect_money(total(page), "0,00 RON")
    expect(page.locator("[data-totals]")).to_have_attribute("data-quote", "pending")
    expect(page.locator("[data-totals-note]")).to_have_text("Se actualizează totalul…")
    pump_until(page, lambda: len(held) == 1)
    page.wait_for_timeout(300)
    screenshot(calm(page), "tablet-total-pending")
    expect_money(total(page), "0,00 RON")  # still, with the quote held up
    assert len(held) == 1
    holding[0] = False
    held.pop().continue_()

    one = quote_of(base, ana, check_id, [{"item_id": beer, "quantity": 1}])["totals"]
    assert one["total"] > 1800  # the tax comes on top of the menu price
    expect_money(total(page), f"{one['total'] // 100},{one['total'] % 100:02d} RON")
    expect(page.locator("[data-totals]")).to_have_attribute("data-quote", "fresh")
    tax = page.locator('[data-totals] [data-total^="tax-"] .money')
    expect_money(tax, f"{one['tax'][0]['tax'] // 100},{one['tax'][0]['tax'] % 100:02d} RON")
    expect(page.locator("[data-totals-note]")).to_have_count(0)

    # Two more taps in a row: one quote for the three (the newest draft wins).
    before = len(asked)
    order_beers(page, 2)
    three = quote_of(base, ana, check_id, [{"item_id": beer, "quantity": 3}])["totals"]
    expect_money(total(page), f"{three['total'] // 100},{three['total'] % 100:02d} RON")
    expect(page.locator("[data-totals]")).to_have_attribute("data-quote", "fresh")
    assert asked[-1]["lines"][0]["quantity"] == 3 and asked[-1]["lines"][0]["item_id"] == beer
    assert len(asked) - before <= 2
    screenshot(calm(page), "tablet-total-tax-exclusive")

    # Sent, the check's own total is the figure the quote gave.
    press(page.locator("[data-send]"))
    expect(new_lines(page)).to_have_count(0)
    expect(page.locator("[data-totals]")).to_have_attribute("data-quote", "none")
    assert get_check(base, ana, check_id)["totals"]["total"] == three["total"]
    expect_money(total(page), f"{three['total'] // 100},{three['total'] % 100:02d} RON")
    assert page.js_errors == []


def test_a_quote_refused_for_an_86d_item_marks_that_line_and_keeps_the_last_total(
        page, live_server, db):
    base = live_server.url
    sign_in_on_tablet(page, base, ANA)
    seat_table(page, "5", 2)
    open_category(page, "Aperitive")
    press(tile(page, MICI))
    order_beers(page, 1)
    quoted(page)
    known = money_text(total(page))
    # The grill runs out behind the tablet's back (no event): only the server knows.
    with db.transaction() as session:
        session.scalar(select(MenuItem).where(MenuItem.number == MICI)).available = False
    order_beers(page, 1)  # the draft changes: a new quote, refused for the mici
    mici_line = new_lines(page).filter(has_text="Mici")
    expect(mici_line.locator(".line-error")).to_contain_text("Mici")
    expect(new_lines(page).filter(has_text="Bere").locator(".line-error")).to_have_count(0)
    expect_money(total(page), known)  # the last figure the server gave, marked
    expect(page.locator("[data-totals]")).to_have_attribute("data-quote", "refused")
    expect(page.locator(".money-line.is-total.is-stale")).to_have_count(1)
    assert page.js_errors == []


def test_a_venue_change_shows_money_again_and_asks_for_a_new_quote(page, live_server, db):
    """Currency and tax mode are set up by the venue's owner (no screen changes them yet):
    when they change, the `venue` event makes the tablet show money and quote again."""
    base = live_server.url
    ana = api_session(base, ANA)
    beer = item_id(base, ana, BEER)
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "5", 2)
    order_beers(page, 1)
    expect_money(total(page), "18,00 RON")
    expect(page.locator("[data-totals]")).to_have_attribute("data-quote", "fresh")

    with db.transaction() as session:  # committed, then published to every tablet
        venue = session.get(Venue, 1)
        venue.currency, venue.tax_mode = "KWD", TaxMode.EXCLUSIVE
        record_event(session, "/floor", "floor", "venue",
                     {"currency": "KWD", "tax_mode": "exclusive"})
    quote = quote_of(base, ana, check_id, [{"item_id": beer, "quantity": 1}])["totals"]
    assert quote["total"] > 1800
    expect_money(tile(page, BEER).locator(".item-price"), "1,800 KWD")
    expect_money(total(page), f"{quote['total'] // 1000},{quote['total'] % 1000:03d} KWD")
    expect(page.locator("[data-totals]")).to_have_attribute("data-quote", "fresh")
    expect(page.locator('[data-totals] [data-total^="tax-"]')).to_have_count(1)
    assert page.js_errors == []


# --- the send's answer is what it changed ---------------------------------------------------

def test_a_send_answer_is_merged_into_the_check_and_names_the_stations(page, live_server, db):
    base = live_server.url
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "5", 2)
    reloads: list[str] = []
    page.on("request", lambda request: reloads.append(request.url)
            if request.method == "GET" and request.url.endswith(f"/api/v1/checks/{check_id}")
            else None)
    order_beers(page, 2)
    open_category(page, "Aperitive")
    press(tile(page, MICI))
    press(page.locator("[data-send]"))
    toast = page.locator(".toast-success")
    expect(toast).to_contain_text("Trimise la")
    expect(toast).to_contain_text("Grătar")
    expect(toast).to_contain_text("Bar")
    expect(toast).to_contain_text("3 produse")
    expect(page.locator(".line-sent")).to_have_count(2)
    check = get_check(base, api_session(base, ANA), check_id)
    expect_money(total(page), f"{check['totals']['total'] // 100},00 RON")
    page.wait_for_timeout(500)
    assert reloads == []  # merged from the answer, not loaded again

    # An answer that skips a version (the check changed elsewhere too) is not merged:
    # the check is loaded again.
    def skipped(route):
        response = route.fetch()
        body = response.json()
        body["version"] += 5
        route.fulfill(response=response, json=body)

    page.context.route(SEND_ROUTE, skipped)
    order_beers(page, 1)
    press(page.locator("[data-send]"))
    expect(page.locator(".line-sent")).to_have_count(2)  # the beers' line, and now another
    page.wait_for_timeout(300)
    assert reloads, "a send answer that skips versions must make the tablet load the check"
    assert sends_of(db, check_id) == 2
    assert page.js_errors == []


# --- (c) the business day ---------------------------------------------------------------------

def test_closing_the_business_day_locks_ordering_and_a_new_day_unlocks_it(
        page, live_server, db, screenshot):
    base = live_server.url
    manager = api_session(base, MANAGER)
    sign_in_on_tablet(page, base, ANA)
    expect(page.locator("#day-banner")).to_be_hidden()
    check_id = seat_table(page, "5", 2)
    order_beers(page, 1)
    quoted(page)

    # The day is closed behind the tablet's back (no event): the send is refused, its line
    # stays here unmarked, and ordering locks.
    with db.transaction() as session:
        day = current_business_day(session)
        day.is_open, day.closed_at = None, utcnow()
    press(page.locator("[data-send]"))
    banner = page.locator("#day-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_text("Ziua de lucru este închisă: comenzile sunt blocate.")
    expect(page.locator(".toast-warning")).to_contain_text("ziua de lucru este închisă")
    expect(new_lines(page)).to_have_count(1)
    expect(new_lines(page).locator(".line-error")).to_have_count(0)
    expect(page.locator("[data-send]")).to_be_disabled()
    assert sends_of(db, check_id) == 0

    # A new day opens: unlocked at once.
    response = manager.post(base + "/api/v1/business-day/open", json={}, timeout=5)
    assert response.status_code == 201, response.text
    expect(banner).to_be_hidden()
    expect(page.locator("[data-send]")).to_be_enabled()
    expect(tile(page, BEER)).to_be_enabled()

    # The manager closes it from the office: the tablet on the check locks.
    response = manager.post(base + "/api/v1/business-day/close", json={}, timeout=5)
    assert response.status_code == 200, response.text
    expect(banner).to_be_visible()
    expect(page.locator("[data-send]")).to_be_disabled()
    expect(tile(page, BEER)).to_be_disabled()
    expect(page.locator("[data-repeat]")).to_be_disabled()
    # The unsent line's total is not asked for (the server would refuse): marked instead.
    expect(page.locator("[data-totals]")).to_have_attribute("data-quote", "locked")
    expect(page.locator("[data-totals-note]")).to_contain_text("ziua de lucru este închisă")
    screenshot(calm(page), "tablet-day-closed")

    # Reloaded, the tablet still knows (the floor snapshot says no day is open), and a free
    # table opens no check.
    page.reload()
    expect(page.locator("[data-check-title]")).to_have_text("Masa 5")
    expect(banner).to_be_visible()
    expect(page.locator("[data-send]")).to_be_disabled()
    press(page.locator("[data-back]"))
    expect(page.locator('[data-new-tab="bar_tab"]')).to_be_disabled()
    press(table(page, "8"))
    expect(page.locator(".dlg-guests")).to_have_count(0)
    expect(page.locator(".toast-warning").last).to_contain_text("Ziua de lucru este închisă")
    screenshot(calm(page), "tablet-day-closed-floor")

    # Open again: the line kept on the tablet goes.
    response = manager.post(base + "/api/v1/business-day/open", json={}, timeout=5)
    assert response.status_code == 201, response.text
    expect(banner).to_be_hidden()
    expect(page.locator('[data-new-tab="bar_tab"]')).to_be_enabled()
    press(table(page, "5"))
    expect(new_lines(page)).to_have_count(1)
    press(page.locator("[data-send]"))
    expect(page.locator(".line-sent")).to_have_count(1)
    assert sends_of(db, check_id) == 1
    assert page.js_errors == []


# --- sections ---------------------------------------------------------------------------------

def test_a_section_handed_to_the_waiter_redraws_my_section_at_once(page, live_server, db):
    base = live_server.url
    with db.reading() as session:
        salon = session.scalars(select(Section).order_by(Section.id)).first()
        covered = set(session.scalars(select(Section.id)))
    sign_in_on_tablet(page, base, ANA)
    toggle = page.locator("[data-section-toggle]")
    expect(toggle).to_be_hidden()  # the venue lets waiters see every section
    # An admin changes that from the office: the `venue` event shows the toggle at once.
    admin = api_session(base, PINS["admin"])
    response = admin.patch(base + "/api/v1/venue", json={"waiters_see_all_sections": False},
                           timeout=5)
    assert response.status_code == 200, response.text
    expect(toggle).to_be_visible()
    ana_id = page.evaluate("JSON.parse(document.getElementById('tablet-config').textContent).me.id")
    manager = api_session(base, MANAGER)
    for section_id in covered:  # Ana covers nothing yet
        sections = manager.get(base + "/api/v1/sections", timeout=5).json()
        staff = next(s["staff_ids"] for s in sections if s["id"] == section_id)
        if ana_id in staff:
            response = manager.put(f"{base}/api/v1/sections/{section_id}/servers",
                                   json={"staff_ids": [s for s in staff if s != ana_id]}, timeout=5)
            assert response.status_code == 200, response.text
    press(toggle.locator('[data-mine="1"]'))
    inside = page.locator(".plan .table:not(.is-outside)")
    expect(inside).to_have_count(0)

    response = manager.put(f"{base}/api/v1/sections/{salon.id}/servers",
                           json={"staff_ids": [ana_id]}, timeout=5)
    assert response.status_code == 200, response.text
    expect(inside.first).to_be_visible()
    expect(page.locator(".toast-info")).to_contain_text(salon.name)
    assert page.js_errors == []


@pytest.mark.parametrize("language", ["ro", "en"])
@pytest.mark.parametrize("size", ["tablet-landscape", "tablet-portrait", "phone"])
def test_the_day_closed_banner_fits_every_screen_in_both_languages(
        browser, live_server, db, screenshot, size, language):
    waiter = make_staff(db, Role.WAITER, name="Ioana Pop", language=language)
    context, page = new_screen(browser, size, locale="ro-RO")
    try:
        sign_in_on_tablet(page, live_server.url, waiter.pin)
        with db.transaction() as session:  # closed from the office: every tablet hears it
            close_business_day(session, None)
        banner = page.locator("#day-banner")
        expect(banner).to_be_visible()
        expect(banner).to_have_text({
            "ro": "Ziua de lucru este închisă: comenzile sunt blocate.",
            "en": "The business day is closed: ordering is locked."}[language])
        assert_laid_out(page, "#day-banner, #day-banner *")
        screenshot(page, f"tablet-day-closed-{size}-{language}")
        assert page.js_errors == []
    finally:
        context.close()
