"""Adding items on the tablet, in Romanian (Ana) and English (John), landscape and portrait
(and the dialogs on a phone): how many (a number pad, the limit, a confirmation above the
venue's limits), the note's counter, "only 2 left" with one tap to take them, items whose
choices are all optional added at once, and the smaller things (who a check is handed to,
one word for the floor and for void, a PIN pad that logs no 401)."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import update

from e2e.screens import (
    SIZES,
    assert_laid_out,
    box,
    layout_problems,
    new_screen,
    press,
    sign_in_on_tablet,
)
from pos.menu.models import MenuItem

WAITERS = {"ro": ("1111", "Ana Popescu"), "en": ("3333", "John Miller")}
TEXT = {
    "ro": {"table": "Masa", "soups": "Ciorbe", "grill": "Feluri principale", "wine": "Vin & bere",
           "soup": "Ciorbă de perișoare", "range": "De la 1 la 99", "at_most": "Cel mult 99",
           "over_quantity": "Peste 20 pe o singură poziție", "over_amount": "Peste 1.000,00",
           "only_2": "Au mai rămas doar 2 din Ciorbă de perișoare.",
           "take_2": "Comandă 2 în schimb",
           "serving": "Servire ciorbă", "no_cream": "Fără smântână", "rare": "În sânge",
           "fries": "Cartofi prăjiți", "floor": "Salon", "void": "Stornează",
           "void_title": "Stornează un produs trimis", "cancel": "Renunță"},
    "en": {"table": "Table", "soups": "Soups", "grill": "Mains", "wine": "Wine & beer",
           "soup": "Sour soup with meatballs", "range": "From 1 to 99", "at_most": "At most 99",
           "over_quantity": "More than 20 on one line", "over_amount": "More than 1.000,00 RON",
           "only_2": "Only 2 left of Sour soup with meatballs.", "take_2": "Take 2 instead",
           "serving": "Soup serving", "no_cream": "No sour cream", "rare": "Rare",
           "fries": "French fries", "floor": "Floor", "void": "Void",
           "void_title": "Void a sent line", "cancel": "Cancel"},
}
TABLET_SIZES = ("tablet-landscape", "tablet-portrait")
DIALOG_SIZES = (*TABLET_SIZES, "phone")
SOUP, STEAK, BEER = 102, 401, 806


# --- helpers ------------------------------------------------------------------------------

@pytest.fixture(params=["ro", "en"])
def lang(request) -> str:
    return request.param


@pytest.fixture
def tablet(browser, lang):
    context, page = new_screen(browser, "tablet-landscape",
                               locale="ro-RO" if lang == "ro" else "en-GB")
    yield page
    context.close()


def seat(page, lang: str, name: str, guests: int = 2) -> None:
    press(page.locator(f'.plan [data-name="{name}"]'))
    press(page.locator(f'.dlg-guests [data-guests="{guests}"]'))
    expect(page.locator("[data-check-title]")).to_have_text(f"{TEXT[lang]['table']} {name}")


def category(page, name: str) -> None:
    press(page.locator(".category", has_text=name))


def tile(page, number: int):
    return page.locator(f'.item-tile[data-number="{number}"]')


def long_press(page, locator) -> None:
    """Hold a finger (here the mouse) on an item until its choices open."""
    locator.scroll_into_view_if_needed()
    where = box(locator)
    page.mouse.move(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    page.mouse.down()
    expect(page.locator(".dlg-item")).to_be_visible()
    page.mouse.up()


def new_lines(page):
    return page.locator("[data-new-lines] .line-new")


def calm(page):
    page.evaluate("document.getElementById('toasts').replaceChildren()")
    return page


def each_size(page, sizes, check, screenshot=None, name=""):
    for size in sizes:
        page.set_viewport_size(SIZES[size])
        page.wait_for_timeout(150)  # let the layout settle (nothing is asserted on time)
        check(size)
        if screenshot:
            screenshot(calm(page), f"{name}-{size}")


def manager_api(base: str) -> requests.Session:
    session = requests.Session()
    signed = session.post(base + "/api/v1/session", json={"pin": "9999"}, timeout=5)
    assert signed.status_code == 200
    return session


def item_id(db, number: int) -> int:
    with db.reading() as session:
        return session.query(MenuItem).filter_by(number=number).one().id


def left_of(db, number: int) -> int | None:
    with db.reading() as session:
        return session.query(MenuItem).filter_by(number=number).one().count_left


# --- 1. quantity: a number pad, the limit, a confirmation above the venue's limits ---------

def test_a_quantity_is_typed_on_a_number_pad_up_to_99_and_a_large_line_is_confirmed(
        tablet, live_server, lang, screenshot):
    page, text = tablet, TEXT[lang]
    sign_in_on_tablet(page, live_server.url, WAITERS[lang][0])
    seat(page, lang, "5")
    category(page, text["wine"])
    long_press(page, tile(page, BEER))  # no choices: a long press still opens the line's options
    dialog = page.locator(".dlg-item")
    press(dialog.locator("[data-quantity]"))
    pad = page.locator(".dlg-quantity")
    expect(pad.locator("[data-qty-limit]")).to_have_text(text["range"])
    press(pad.locator('[data-qty-key="9"]'))
    press(pad.locator('[data-qty-key="9"]'))
    expect(pad.locator("[data-qty-display]")).to_have_text("99")
    for digit in "0123456789":  # nothing more can be typed past 99
        expect(pad.locator(f'[data-qty-key="{digit}"]')).to_be_disabled()

    def pad_fits(size):
        assert_laid_out(page, ".dlg-quantity .mini-key, .dlg-quantity [data-qty-ok], "
                              ".dlg-quantity [data-qty-display], .dlg-quantity [data-qty-limit]")
    each_size(page, DIALOG_SIZES, pad_fits, screenshot, f"adding-{lang}-quantity-pad")
    page.set_viewport_size(SIZES["tablet-landscape"])
    press(pad.locator("[data-qty-ok]"))
    expect(pad).to_have_count(0)
    expect(dialog.locator("[data-quantity]")).to_have_text("99")
    expect(dialog.locator('[data-step="1"]')).to_be_disabled()  # + stops at the limit, and says so
    expect(dialog.locator("[data-quantity-limit]")).to_contain_text(text["at_most"])

    def stepper_fits(size):
        assert_laid_out(page, ".dlg-item .stepper-button, .dlg-item [data-quantity], "
                              ".dlg-item [data-quantity-limit], .dlg-item [data-add]")
    each_size(page, DIALOG_SIZES, stepper_fits, screenshot, f"adding-{lang}-quantity-99")
    page.set_viewport_size(SIZES["tablet-landscape"])

    # 99 is above the venue's 20: the tablet asks first; "Change" goes back to the line.
    press(dialog.locator("[data-add]"))
    confirm = page.locator(".dlg-confirm-line")
    expect(confirm).to_contain_text(text["over_quantity"])
    expect(confirm.locator("[data-confirm-add]")).to_contain_text("99")
    each_size(page, DIALOG_SIZES, lambda size: assert_laid_out(
        page, ".dlg-confirm-line [data-confirm-add], .dlg-confirm-line [data-confirm-change], "
              ".dlg-confirm-line .dlg-title"), screenshot, f"adding-{lang}-confirm-quantity")
    page.set_viewport_size(SIZES["tablet-landscape"])
    press(confirm.locator("[data-confirm-change]"))
    expect(confirm).to_have_count(0)
    expect(dialog).to_be_visible()
    expect(new_lines(page)).to_have_count(0)
    press(dialog.locator("[data-add]"))
    press(page.locator(".dlg-confirm-line [data-confirm-add]"))
    expect(dialog).to_have_count(0)
    expect(new_lines(page)).to_have_count(1)
    expect(new_lines(page).first.locator(".line-qty")).to_have_text("99×")

    # A tap on the same beer would make 100: refused with a word, not silently.
    press(tile(page, BEER))
    expect(page.locator(".toast")).to_contain_text(text["at_most"])
    expect(new_lines(page).first.locator(".line-qty")).to_have_text("99×")
    # A second line makes the badge three digits: it stays inside Send.
    category(page, text["soups"])
    press(tile(page, SOUP))
    expect(page.locator("[data-send-count]")).to_have_text("100")

    def line_and_badge_fit(size):
        expect(new_lines(page).first.locator(".line-name")).to_be_visible()  # laid out again
        quantity = box(new_lines(page).first.locator(".line-qty"))
        name = box(new_lines(page).first.locator(".line-name"))
        assert quantity["x"] + quantity["width"] <= name["x"] + 0.5, (size, quantity, name)
        send, badge = box(page.locator("[data-send]")), box(page.locator("[data-send-count]"))
        assert send["x"] <= badge["x"], size
        assert badge["x"] + badge["width"] <= send["x"] + send["width"], size
        assert layout_problems(page, "[data-send], [data-send-count], [data-send-label], "
                                     "[data-new-lines] .line-qty, "
                                     "[data-new-lines] .line-name") == []
    each_size(page, TABLET_SIZES, line_and_badge_fit, screenshot, f"adding-{lang}-99-on-the-check")
    assert page.js_errors == []


def test_a_line_worth_more_than_the_venue_s_limit_is_confirmed_before_it_is_added(
        tablet, live_server, lang, screenshot):
    page, text = tablet, TEXT[lang]
    sign_in_on_tablet(page, live_server.url, WAITERS[lang][0])
    seat(page, lang, "6")
    category(page, text["grill"])
    press(tile(page, STEAK))  # asks its choices
    dialog = page.locator(".dlg-item")
    press(dialog.get_by_role("button", name=text["rare"], exact=True))
    press(dialog.get_by_role("button", name=text["fries"], exact=True))
    press(dialog.locator("[data-quantity]"))
    pad = page.locator(".dlg-quantity")
    press(pad.locator('[data-qty-key="2"]'))
    press(pad.locator('[data-qty-key="0"]'))
    press(pad.locator("[data-qty-ok]"))
    press(dialog.locator("[data-add]"))  # 20 is not above 20, but 20 × 139 RON is above 1,000
    confirm = page.locator(".dlg-confirm-line")
    expect(confirm).to_contain_text(text["over_amount"])
    expect(confirm).not_to_contain_text(text["over_quantity"])
    screenshot(calm(page), f"adding-{lang}-confirm-amount")
    press(confirm.locator("[data-confirm-add]"))
    expect(new_lines(page).first.locator(".line-qty")).to_have_text("20×")
    assert page.js_errors == []


# --- 2. the note: a counter as the waiter types, stopping at the server's limit -------------

def test_the_note_counts_its_characters_and_stops_at_200(tablet, live_server, lang, screenshot):
    page, text = tablet, TEXT[lang]
    sign_in_on_tablet(page, live_server.url, WAITERS[lang][0])
    seat(page, lang, "7")
    category(page, text["soups"])
    long_press(page, tile(page, SOUP))
    dialog = page.locator(".dlg-item")
    note, counter = dialog.locator("[data-note]"), dialog.locator("[data-note-counter]")
    expect(counter).to_contain_text("0 / 200")
    note.press_sequentially("fără sare" if lang == "ro" else "no salt")
    expect(counter).to_contain_text(("9" if lang == "ro" else "7") + " / 200")
    expect(counter).to_have_attribute("data-state", "")
    note.fill("x" * 185)
    note.press_sequentially("y")
    expect(counter).to_have_attribute("data-state", "near")
    note.fill("x" * 198)
    note.press_sequentially("abcdef")  # the field stops at the limit
    expect(note).to_have_value("x" * 198 + "ab")
    expect(counter).to_contain_text("200 / 200")
    expect(counter).to_have_attribute("data-state", "full")
    each_size(page, DIALOG_SIZES, lambda size: assert_laid_out(
        page, ".dlg-item [data-note-counter], .dlg-item [data-add]") if size != "phone" else None,
        screenshot, f"adding-{lang}-note-full")
    page.set_viewport_size(SIZES["tablet-landscape"])
    press(dialog.locator("[data-add]"))
    expect(new_lines(page).first.locator(".line-note")).to_contain_text("x" * 198 + "ab")
    assert page.js_errors == []


# --- 3. only 2 left: say so, and take the 2 with one tap --------------------------------------

def test_asking_for_more_than_is_left_offers_to_take_what_is_left(
        tablet, live_server, db, lang, screenshot):
    page, text, base = tablet, TEXT[lang], live_server.url
    manager = manager_api(base)
    soup = item_id(db, SOUP)
    assert manager.post(f"{base}/api/v1/menu/items/{soup}/availability",
                        json={"available": True, "count_left": 2}, timeout=5).status_code == 200
    sign_in_on_tablet(page, base, WAITERS[lang][0])
    seat(page, lang, "8")
    category(page, text["soups"])
    for _ in range(3):
        press(tile(page, SOUP))  # optional choices only: each tap adds one
    line = new_lines(page).first
    expect(line.locator(".line-qty")).to_have_text("3×")
    expect(line.locator(".line-error")).to_have_text(text["only_2"])
    press(page.locator("[data-send]"))
    offer = page.locator(".dlg-only-left")
    expect(offer.locator(".dlg-title")).to_have_text(text["only_2"])
    each_size(page, DIALOG_SIZES, lambda size: assert_laid_out(
        page, ".dlg-only-left [data-take-left], .dlg-only-left [data-keep-order], "
              ".dlg-only-left .dlg-title"),
        screenshot, f"adding-{lang}-only-2-left")
    page.set_viewport_size(SIZES["tablet-landscape"])
    expect(offer.locator("[data-take-left]")).to_have_text(text["take_2"])
    press(offer.locator("[data-take-left]"))  # one tap: the line is 2, and it goes
    expect(page.locator(".line-sent")).to_have_count(1)
    expect(page.locator(".line-sent .line-qty")).to_have_text("2×")
    expect(new_lines(page)).to_have_count(0)
    assert left_of(db, SOUP) == 0
    assert page.js_errors == []


def test_when_the_server_has_fewer_left_than_the_tablet_knew_it_offers_what_is_left(
        tablet, live_server, db, lang):
    page, text, base = tablet, TEXT[lang], live_server.url
    manager = manager_api(base)
    soup = item_id(db, SOUP)
    manager.post(f"{base}/api/v1/menu/items/{soup}/availability",
                 json={"available": True, "count_left": 5}, timeout=5)
    sign_in_on_tablet(page, base, WAITERS[lang][0])
    seat(page, lang, "9")
    category(page, text["soups"])
    expect(tile(page, SOUP).locator("[data-badge='left']")).to_contain_text("5")
    with db.transaction() as session:  # sold elsewhere; this tablet has not heard yet
        session.execute(update(MenuItem).where(MenuItem.id == soup).values(count_left=2))
    for _ in range(3):
        press(tile(page, SOUP))
    press(page.locator("[data-send]"))
    offer = page.locator(".dlg-only-left")
    expect(offer.locator(".dlg-title")).to_have_text(text["only_2"])
    press(offer.locator("[data-take-left]"))
    expect(page.locator(".line-sent .line-qty")).to_have_text("2×")
    assert left_of(db, SOUP) == 0
    assert page.js_errors == []


def test_nothing_left_keeps_the_out_message(tablet, live_server, db, lang):
    page, text, base = tablet, TEXT[lang], live_server.url
    sign_in_on_tablet(page, base, WAITERS[lang][0])
    seat(page, lang, "10")
    category(page, text["soups"])
    press(tile(page, SOUP))
    manager_api(base).post(f"{base}/api/v1/menu/items/{item_id(db, SOUP)}/availability",
                           json={"available": False}, timeout=5)
    expect(new_lines(page).first.locator(".line-error")).to_contain_text("86")
    press(page.locator("[data-send]"))
    expect(page.locator(".dlg-only-left")).to_have_count(0)
    expect(page.locator(".toast")).to_be_visible()


# --- 4. optional choices add at once; the mark says which items ask --------------------------

def test_an_item_with_only_optional_choices_adds_at_once_and_its_choices_are_a_long_press_away(
        tablet, live_server, lang, screenshot):
    page, text = tablet, TEXT[lang]
    sign_in_on_tablet(page, live_server.url, WAITERS[lang][0])
    seat(page, lang, "11")
    category(page, text["soups"])
    soup = tile(page, SOUP)
    expect(soup.locator("[data-asks]")).to_have_attribute("data-asks", "optional")
    press(soup)
    press(soup)
    expect(page.locator(".dlg-item")).to_have_count(0)
    expect(new_lines(page)).to_have_count(1)
    expect(new_lines(page).first.locator(".line-qty")).to_have_text("2×")
    # A long press asks; the choice goes on a line of its own.
    long_press(page, soup)
    dialog = page.locator(".dlg-item")
    expect(dialog.locator(".mod-group-name").first).to_have_text(text["serving"])
    each_size(page, DIALOG_SIZES, lambda size: assert_laid_out(
        page, ".dlg-item [data-add], .dlg-item .choice-chip, .dlg-item .dlg-close"),
        screenshot, f"adding-{lang}-long-press-choices")
    page.set_viewport_size(SIZES["tablet-landscape"])
    press(dialog.locator(".choice-chip", has_text=text["no_cream"]))
    press(dialog.locator("[data-add]"))
    expect(dialog).to_have_count(0)
    expect(new_lines(page)).to_have_count(2)
    expect(new_lines(page).nth(1)).to_contain_text(text["no_cream"])
    # A tap on the line already on the order opens its choices too.
    press(new_lines(page).first)
    expect(page.locator(".dlg-item .mod-group-name").first).to_have_text(text["serving"])
    press(page.locator(".dlg-item .dlg-close"))

    # The marks: required (asks on a tap), optional (subtler), none; each says so.
    category(page, text["grill"])
    steak = tile(page, STEAK)
    expect(steak.locator("[data-asks]")).to_have_attribute("data-asks", "required")
    assert "," in (steak.get_attribute("aria-label") or "")
    required_label = steak.locator("[data-asks]").get_attribute("aria-label")
    category(page, text["soups"])
    optional_label = soup.locator("[data-asks]").get_attribute("aria-label")
    assert required_label and optional_label and required_label != optional_label
    assert optional_label in soup.get_attribute("aria-label")
    category(page, text["wine"])
    expect(tile(page, BEER).locator("[data-asks]")).to_have_count(0)
    category(page, text["grill"])
    press(steak)
    expect(page.locator(".dlg-item")).to_be_visible()  # required choices: a tap asks
    press(page.locator(".dlg-item .dlg-close"))

    def marks_fit(size):
        assert_laid_out(page, ".item-tile [data-asks], .item-tile .item-number")
    category(page, text["soups"])
    each_size(page, TABLET_SIZES, marks_fit, screenshot, f"adding-{lang}-choice-marks")
    assert page.js_errors == []


# --- 5. the smaller things ----------------------------------------------------------------

def test_hand_over_list_floor_word_void_word(tablet, live_server, lang, screenshot):
    page, text = tablet, TEXT[lang]
    sign_in_on_tablet(page, live_server.url, WAITERS[lang][0])
    floor_tab = page.locator("[data-floor-tabs] button").first.inner_text().strip()
    seat(page, lang, "12")
    back = page.locator("[data-back]")
    expect(back).to_have_text(text["floor"])
    if lang == "ro":
        assert floor_tab == back.inner_text().strip()  # one word for the same place
    press(page.locator("[data-check-menu]"))
    press(page.locator('.dlg-choose [data-choice="server"]'))
    names = page.locator(".dlg-choose .choice-label").all_inner_texts()
    assert "Admin" not in names and "Andrei Matei" not in names
    assert {"Ana Popescu", "Mihai Ionescu", "John Miller"} <= set(names)
    screenshot(calm(page), f"adding-{lang}-hand-over")
    press(page.locator(".dlg-choose .dlg-close"))

    category(page, text["wine"])
    press(tile(page, BEER))
    press(page.locator("[data-send]"))
    press(page.locator(".line-sent").first)
    void = page.locator('.dlg-line-menu [data-choice="void"]')
    expect(void).to_contain_text(text["void"])
    press(void)
    dialog = page.locator(".dlg-approve")
    expect(dialog.locator(".dlg-title")).to_have_text(text["void_title"])
    expect(dialog.locator(".dlg-foot .button").first).to_have_text(text["cancel"])
    if lang == "ro":
        assert "Anulează" not in page.locator("body").inner_text()
    screenshot(calm(page), f"adding-{lang}-void-word")
    assert page.js_errors == []


def test_the_pin_pad_loads_without_a_failed_request(browser, live_server, lang):
    context, page = new_screen(browser, "tablet-portrait")
    failed = []
    page.on("response", lambda response: failed.append(response.url)
            if response.status >= 400 else None)
    page.goto(f"{live_server.url}/signin?next=/tablet&lang={lang}")
    expect(page.locator("#keypad")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert failed == []
    assert page.locator("#current-staff").is_hidden()
    # Signed in, the same page knows who is there, still without an error status.
    for digit in WAITERS[lang][0]:
        press(page.locator(f'#keypad [data-key="{digit}"]'))
    press(page.locator("#pin-ok"))
    expect(page).to_have_url(re.compile(r"/tablet(#.*)?$"))
    page.goto(f"{live_server.url}/signin?lang={lang}")
    expect(page.locator("#current-name")).to_have_text(WAITERS[lang][1])
    page.wait_for_load_state("networkidle")
    assert failed == []
    context.close()
