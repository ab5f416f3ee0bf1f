"""The waiter's tablet (/tablet) in real Chromium: seating a table, ordering with forced
choices, seats, courses and notes, sending — watched live from a second tablet — and what
must never go wrong: an 86'd item, a send lost to the Wi-Fi, another tablet changing the
check, a void without a manager — and lines moved to another check, checks merged."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect
from sqlalchemy import func, select

from e2e.screens import press, seat_table, sign_in_on_tablet, table
from pos.floor.models import SectionAssignment
from pos.ordering.models import Send
from pos.venue.models import Venue

ANA, MIHAI, JOHN, MANAGER = "1111", "2222", "3333", "9999"
SEND_ROUTE = "**/api/v1/checks/*/send"


# --- helpers ------------------------------------------------------------------------------

def calm(page):
    """Put away the toasts before a screenshot."""
    page.evaluate("document.getElementById('toasts').replaceChildren()")
    return page


def api_session(base: str, pin: str) -> requests.Session:
    session = requests.Session()
    response = session.post(base + "/api/v1/session", json={"pin": pin}, timeout=5)
    assert response.status_code == 200, response.text
    return session




def open_category(page, name: str) -> None:
    press(page.locator(".category", has_text=name))


def tile(page, number: int):
    return page.locator(f'.item-tile[data-number="{number}"]')


def item_id(base: str, session: requests.Session, number: int) -> int:
    menu = session.get(base + "/api/v1/menu", timeout=5).json()
    return next(item["id"] for item in menu["items"] if item["number"] == number)


def new_lines(page):
    return page.locator("[data-new-lines] .line-new")


def pump_until(page, condition, timeout: float = 10) -> None:
    """Wait while Playwright keeps working (route handlers run only while it does)."""
    for _ in range(int(timeout * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"condition not met within {timeout} s")


def get_check(base: str, session: requests.Session, check_id: int) -> dict:
    response = session.get(f"{base}/api/v1/checks/{check_id}", timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def sends_of(db, check_id: int) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Send).where(
            Send.check_id == check_id))


def add_quick(page, number: int) -> None:
    press(tile(page, number))


def order_beers(page, count: int = 1) -> None:
    open_category(page, "Vin & bere")
    for _ in range(count):
        add_quick(page, 806)  # draught lager, no questions asked


# --- the order, watched from a second tablet ------------------------------------------------

def test_a_waiter_seats_orders_and_sends_while_another_tablet_watches_the_floor(
        page, browser, live_server, db, screenshot):
    base = live_server.url
    # The second tablet (Mihai's, landscape) only watches the floor plan.
    watcher_context = browser.new_context(viewport={"width": 1280, "height": 800}, has_touch=True,
                                          locale="ro-RO", timezone_id="Europe/Bucharest")
    watcher = watcher_context.new_page()
    watcher_errors: list[str] = []
    watcher.on("pageerror", lambda error: watcher_errors.append(str(error)))
    try:
        sign_in_on_tablet(watcher, base, MIHAI)
        watcher.evaluate("window.notReloaded = true")
        expect(table(watcher, "5")).to_have_attribute("data-state", "free")

        sign_in_on_tablet(page, base, ANA)
        expect(page.locator(".legend-item.state-free .legend-count")).to_have_text("12")
        screenshot(page, "tablet-floor")

        # Seat table 5 with three guests: the other tablet sees it at once.
        check_id = seat_table(page, "5", 3)
        expect(table(watcher, "5")).to_have_attribute("data-state", "seated")
        expect(table(watcher, "5").locator("[data-guests]")).to_have_text("3")
        expect(table(watcher, "5").locator(".table-server")).to_have_text("AP")

        # A rib-eye for seat 1: cooking degree and side are forced; a note for the kitchen.
        open_category(page, "Feluri principale")
        tile(page, 401).tap()
        dialog = page.locator(".dlg-item")
        expect(dialog).to_be_visible()
        add = dialog.locator("[data-add]")
        expect(add).to_be_disabled()
        expect(dialog.locator(".dlg-hint")).to_contain_text("Grad de gătire, Garnitură")
        dialog.locator(".choice-chip", has_text="Mediu spre în sânge").tap()
        expect(add).to_be_disabled()  # the side is still missing
        dialog.locator(".choice-chip", has_text="Cartofi țărănești").tap()
        dialog.locator(".choice-chip", has_text="Sos de piper verde").tap()
        expect(add).to_be_enabled()
        expect(add).to_contain_text("148,00")  # 139 + 9 for the sauce
        dialog.locator('[data-seat="1"]').tap()
        dialog.locator("[data-note]").fill("fără sare")
        screenshot(page, "tablet-modifier-dialog")
        add.tap()
        expect(dialog).to_have_count(0)

        # Two beers for seat 2, tapped twice: one line of two.
        page.locator('.seat-bar [data-seat="2"]').tap()
        order_beers(page, 2)
        # A cappuccino for seat 3 with oat milk (forced), brought with the desserts.
        page.locator('.seat-bar [data-seat="3"]').tap()
        open_category(page, "Băuturi răcoritoare")
        tile(page, 702).tap()
        dialog = page.locator(".dlg-item")
        expect(dialog.locator('[data-seat="3"]')).to_have_attribute("aria-pressed", "true")
        expect(dialog.locator('[data-course="1"]')).to_have_attribute("aria-pressed", "true")
        dialog.locator(".choice-chip", has_text="Lapte de ovăz").tap()
        dialog.locator(".chip", has_text="Desert").tap()
        dialog.locator("[data-add]").tap()

        lines = new_lines(page)
        expect(lines).to_have_count(3)
        expect(lines.nth(0)).to_contain_text("Antricot de vită")
        expect(lines.nth(0)).to_contain_text(
            "Mediu spre în sânge, Cartofi țărănești, Sos de piper verde")
        expect(lines.nth(0)).to_contain_text("fără sare")
        expect(lines.nth(0).locator(".line-seat")).to_have_text("L1")
        expect(lines.nth(1)).to_contain_text("2×")
        expect(lines.nth(1).locator(".line-seat")).to_have_text("L2")
        expect(lines.nth(2).locator(".line-course")).to_have_text("Desert")
        expect(page.locator("[data-send-count]")).to_have_text("4")
        expect(table(watcher, "5")).to_have_attribute("data-state", "seated")  # nothing sent yet
        screenshot(page, "tablet-order-new-lines")

        page.locator("[data-send]").tap()
        expect(page.locator(".toast-success")).to_contain_text("4 produse")
        expect(new_lines(page)).to_have_count(0)
        expect(table(watcher, "5")).to_have_attribute("data-state", "ordered")

        # Drinks went at once; mains and the dessert-course coffee wait to be fired.
        mains = page.locator('.course-group[data-course-id="3"]')
        expect(mains.locator(".course-badge")).to_have_text("În așteptare")
        drinks = page.locator('.course-group[data-course-id="1"]')
        expect(drinks.locator(".course-badge").first).to_contain_text("Trimis")
        screenshot(calm(page), "tablet-order-sent")

        check = get_check(base, api_session(base, ANA), check_id)
        sent = [line for line in check["lines"] if line["status"] == "sent"]
        assert len(sent) == 3
        steak, beer, coffee = sent
        assert [m["names"]["ro"] for m in steak["modifiers"]] == [
            "Mediu spre în sânge", "Cartofi țărănești", "Sos de piper verde"]
        assert (steak["seat"], steak["note"], steak["course_id"], steak["held"]) == (
            1, "fără sare", 3, True)
        assert (beer["quantity"], beer["seat"], beer["course_id"], beer["held"]) == (2, 2, 1, False)
        assert coffee["course_id"] == 4 and coffee["seat"] == 3 and coffee["held"]
        assert check["totals"]["total"] == 148_00 + 2 * 18_00 + 19_00
        assert sends_of(db, check_id) == 1

        # Fire the mains: the badge follows.
        mains.locator('[data-course-action="fire"]').tap()
        expect(mains.locator(".course-badge").first).to_contain_text("Pornit")

        # Mihai seats table 9 from his own tablet; Ana goes back to her floor.
        press(table(watcher, "9"))
        press(watcher.locator('.dlg-guests [data-guests="5"]'))
        expect(watcher.locator("[data-check-title]")).to_have_text("Masa 9")
        press(watcher.locator("[data-back]"))
        press(page.locator("[data-back]"))
        expect(table(page, "9")).to_have_attribute("data-state", "seated")
        expect(table(page, "9").locator(".table-server")).to_have_text("MI")
        expect(table(page, "5").locator(".table-server")).to_have_text("Ana")
        expect(page.locator('[data-mine-table="5"]')).to_contain_text("3 persoane")
        screenshot(calm(page), "tablet-floor-busy")

        # The watching tablet never reloaded, and shows Ana's table with its time.
        assert watcher.evaluate("window.notReloaded") is True
        expect(table(watcher, "5").locator("[data-minutes]")).to_have_text("0 min")
        screenshot(calm(watcher), "tablet-floor-desktop")
        assert page.js_errors == [] and watcher_errors == []
    finally:
        watcher_context.close()


def test_the_order_screen_on_a_landscape_tablet(desktop_page, live_server, screenshot):
    page = desktop_page
    sign_in_on_tablet(page, live_server.url, JOHN)  # John works in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator('.plan [data-name="12"]').click()
    page.locator('.dlg-guests [data-guests="4"]').click()
    expect(page.locator("[data-check-title]")).to_have_text("Table 12")
    page.locator(".category", has_text="Mains (grill)").click()
    expect(tile(page, 401)).to_contain_text("Rib-eye steak")
    page.locator(".category", has_text="Wine & beer").click()
    tile(page, 806).click()
    tile(page, 810).click()
    expect(new_lines(page)).to_have_count(2)
    expect(page.locator("[data-send]")).to_contain_text("Send")
    screenshot(page, "tablet-order-desktop")
    page.locator("[data-send]").click()
    expect(page.locator(".toast-success")).to_contain_text("2 items")
    page.locator(".category", has_text="Mains (grill)").click()
    tile(page, 402).click()
    expect(page.locator(".dlg-item .mod-group-name").first).to_have_text("Cooking degree")
    screenshot(calm(page), "tablet-modifier-dialog-desktop")
    assert page.js_errors == []


def test_my_section_dims_the_other_tables_and_unsent_lines_are_marked(page, live_server, db):
    with db.transaction() as session:
        session.get(Venue, 1).waiters_see_all_sections = False
        session.merge(SectionAssignment(section_id=1, staff_id=1))  # Ana: Salon, by the windows
    sign_in_on_tablet(page, live_server.url, ANA)
    toggle = page.locator("[data-section-toggle]")
    expect(toggle).to_be_visible()
    press(toggle.locator('[data-mine="1"]'))
    expect(table(page, "3")).not_to_have_class(re.compile("is-outside"))
    expect(table(page, "7")).to_have_class(re.compile("is-outside"))
    press(toggle.locator('[data-mine="0"]'))
    expect(table(page, "7")).not_to_have_class(re.compile("is-outside"))

    # Lines tapped and not sent stay on the tablet, and the floor says so.
    seat_table(page, "2", 2)
    order_beers(page, 1)
    press(page.locator("[data-back]"))
    expect(page.locator(".toast-warning")).to_contain_text("Masa 2: 1 produs netrimis încă")
    expect(table(page, "2").locator("[data-unsent]")).to_be_visible()
    expect(page.locator('[data-mine-table="2"] .mine-unsent')).to_be_visible()
    press(table(page, "2"))
    expect(new_lines(page)).to_have_count(1)
    assert page.js_errors == []


# --- 86 --------------------------------------------------------------------------------------

def test_an_86d_item_greys_out_live_and_cannot_be_added(page, live_server):
    base = live_server.url
    manager = api_session(base, MANAGER)
    tiramisu = item_id(base, manager, 605)
    sign_in_on_tablet(page, base, ANA)
    seat_table(page, "8", 2)
    open_category(page, "Deserturi")
    add_quick(page, 605)
    expect(new_lines(page)).to_have_count(1)

    # The kitchen has two portions left; then none.
    response = manager.post(f"{base}/api/v1/menu/items/{tiramisu}/availability",
                            json={"available": True, "count_left": 2}, timeout=5)
    assert response.status_code == 200, response.text
    expect(tile(page, 605).locator('[data-badge="left"]')).to_have_text("încă 2")
    response = manager.post(f"{base}/api/v1/menu/items/{tiramisu}/availability",
                            json={"available": False}, timeout=5)
    assert response.status_code == 200, response.text

    expect(tile(page, 605)).to_have_attribute("aria-disabled", "true")  # a tap says why
    expect(tile(page, 605)).to_have_class(re.compile("is-out"))
    expect(tile(page, 605).locator('[data-badge="out"]')).to_have_text("Epuizat")
    tile(page, 605).tap(force=True)  # a tap on the greyed tile adds nothing, and says why
    expect(page.locator(".toast-error")).to_contain_text("Tiramisu s-a epuizat")
    expect(new_lines(page)).to_have_count(1)
    # The line tapped before is marked, and Send refuses to pass it on.
    expect(new_lines(page).first.locator(".line-error")).to_contain_text("Tiramisu s-a epuizat")
    page.locator("[data-send]").tap()
    expect(page.locator(".toast-error")).to_contain_text("Unele produse s-au epuizat")
    # Taken off, the rest goes.
    new_lines(page).first.tap()
    page.locator(".dlg-item [data-remove]").tap()
    expect(new_lines(page)).to_have_count(0)
    assert page.js_errors == []


# --- never lose an order, never send it twice ------------------------------------------------

def test_an_order_sent_offline_survives_a_reload_and_goes_exactly_once(page, live_server, db,
                                                                     screenshot):
    base = live_server.url
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "7", 4)
    order_beers(page, 1)
    open_category(page, "Aperitive")
    add_quick(page, 204)
    expect(new_lines(page)).to_have_count(2)

    attempts = []

    def wifi_down(route):
        attempts.append(route.request.post_data_json["client_id"])
        route.abort("internetdisconnected")

    page.context.route(SEND_ROUTE, wifi_down)
    page.locator("[data-send]").tap()
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner")).to_contain_text("Fără conexiune — 1 comandă")
    expect(page.locator("[data-pending]")).to_contain_text("se trimite când revine")
    expect(page.locator("[data-pending] .line-pending")).to_have_count(2)
    screenshot(page, "tablet-offline")

    page.reload()  # a crash, a flat battery, a waiter pulling down to refresh
    expect(page.locator("[data-check-title]")).to_have_text("Masa 7")
    expect(page.locator("[data-pending] .line-pending")).to_have_count(2)
    expect(page.locator("[data-pending]")).to_contain_text("Mici cu muștar")
    expect(page.locator("#offline-banner")).to_be_visible()
    pump_until(page, lambda: len(attempts) >= 3, timeout=15)  # it keeps trying…
    assert len(set(attempts)) == 1  # …always as the same send
    assert sends_of(db, check_id) == 0

    page.context.unroute(SEND_ROUTE)  # the Wi-Fi is back
    expect(page.locator("#offline-banner")).to_be_hidden(timeout=15_000)
    expect(page.locator("[data-pending]")).to_have_count(0)
    expect(page.locator(".line-sent")).to_have_count(2)

    check = get_check(base, api_session(base, ANA), check_id)
    assert sorted((line["names"]["ro"], line["quantity"], line["status"])
                  for line in check["lines"]) == [
        ("Bere blondă la halbă (500 ml)", 1, "sent"), ("Mici cu muștar (4 buc.)", 1, "sent")]
    assert sends_of(db, check_id) == 1
    assert page.evaluate("window.masaTablet.drafts.all().length") == 0
    assert page.js_errors == []


def test_a_send_whose_answer_is_lost_is_not_sent_twice(page, live_server, db):
    """The server got the send and made the tickets, but the answer never came back."""
    base = live_server.url
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "9", 2)
    order_beers(page, 3)
    client_ids = []

    def answer_lost(route):
        client_ids.append(route.request.post_data_json["client_id"])
        if len(client_ids) > 1:
            route.continue_()  # the Wi-Fi is back for the retry
            return
        route.fetch()  # it reaches the kitchen…
        route.abort("connectionreset")  # …and the Wi-Fi drops before the answer

    page.context.route(SEND_ROUTE, answer_lost)
    page.locator("[data-send]").tap()
    pump_until(page, lambda: len(client_ids) >= 2, timeout=15)
    assert client_ids[0] == client_ids[1]
    expect(page.locator(".line-sent")).to_have_count(1, timeout=15_000)  # the retry's answer
    expect(page.locator("[data-pending]")).to_have_count(0)
    expect(page.locator("#offline-banner")).to_be_hidden()

    check = get_check(base, api_session(base, ANA), check_id)
    assert [(line["quantity"], line["status"]) for line in check["lines"]] == [(3, "sent")]
    assert sends_of(db, check_id) == 1
    assert page.js_errors == []


# --- two tablets, one check ------------------------------------------------------------------

def test_another_tablets_change_is_shown_and_the_unsent_lines_are_kept(page, live_server, db):
    base = live_server.url
    mihai = api_session(base, MIHAI)
    espresso = item_id(base, mihai, 701)
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "3", 2)
    order_beers(page, 1)

    # Mihai adds two espressos from his tablet: Ana's screen follows, her beer stays new.
    version = get_check(base, mihai, check_id)["version"]
    response = mihai.post(f"{base}/api/v1/checks/{check_id}/send", json={
        "client_id": "mihai-send-0001", "version": version,
        "lines": [{"item_id": espresso, "quantity": 2}]}, timeout=5)
    assert response.status_code == 200, response.text
    expect(page.locator(".toast-warning")).to_contain_text(
        "Modificat pe altă tabletă: 2 produse adăugate")
    expect(page.locator(".line-sent")).to_contain_text("Espresso")
    expect(new_lines(page)).to_have_count(1)

    # Mihai changes the check again while Ana's send is on its way: hers is refused as
    # stale, her beer is kept, and Send again goes through.
    raced = []

    def mihai_first(route):
        if not raced:
            current = get_check(base, mihai, check_id)["version"]
            changed = mihai.patch(f"{base}/api/v1/checks/{check_id}",
                                  json={"version": current, "guest_count": 3}, timeout=5)
            raced.append(changed.status_code)
        route.continue_()

    page.context.route(SEND_ROUTE, mihai_first)
    page.locator("[data-send]").tap()
    expect(page.locator(".toast-warning", has_text="atingeți din nou Trimite")).to_be_visible()
    assert raced == [200]
    expect(page.locator("[data-guest-count]")).to_have_text("3")
    expect(new_lines(page)).to_have_count(1)
    page.locator("[data-send]").tap()
    expect(new_lines(page)).to_have_count(0)
    expect(page.locator(".line-sent")).to_have_count(2)
    assert sends_of(db, check_id) == 2
    assert page.js_errors == []


# --- void, with a manager's PIN on the same screen ------------------------------------------

def test_a_waiter_voiding_a_sent_line_needs_the_managers_pin(page, live_server, screenshot):
    base = live_server.url
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "4", 2)
    order_beers(page, 2)
    page.locator("[data-send]").tap()
    expect(page.locator(".line-sent")).to_have_count(1)

    page.locator(".line-sent").first.tap()
    page.locator('.dlg-line-menu [data-choice="void"]').tap()
    dialog = page.locator(".dlg-approve")
    expect(dialog.locator(".manager-pad")).to_be_visible()
    confirm = dialog.locator("[data-confirm]")
    expect(confirm).to_be_disabled()
    dialog.locator('[data-reason="Clientul s-a răzgândit"]').tap()
    dialog.locator(".stepper-button").first.tap()  # only one of the two beers
    for digit in ANA:  # a waiter's PIN approves nothing
        dialog.locator(f'[data-pin-key="{digit}"]').tap()
    expect(confirm).to_be_enabled()
    confirm.tap()
    expect(dialog.locator(".dlg-message")).to_have_text("Acesta nu este PIN-ul unui manager.")
    screenshot(calm(page), "tablet-void-manager-pin")
    for digit in MANAGER:
        dialog.locator(f'[data-pin-key="{digit}"]').tap()
    confirm.tap()
    expect(dialog).to_have_count(0)
    expect(page.locator(".line-sent.is-void")).to_have_count(1)
    expect(page.locator(".line-sent.is-void")).to_contain_text("Stornat: Clientul s-a răzgândit")

    check = get_check(base, api_session(base, ANA), check_id)
    assert sorted((line["quantity"], line["status"], line["void_reason"])
                  for line in check["lines"]) == [
        (1, "sent", None), (1, "void", "Clientul s-a răzgândit")]
    assert page.js_errors == []


# --- bar tabs ---------------------------------------------------------------------------------

def test_a_bar_tab_is_opened_by_name_and_listed_on_the_floor(page, live_server):
    sign_in_on_tablet(page, live_server.url, ANA)
    page.locator('[data-new-tab="bar_tab"]').tap()
    page.locator(".dlg-name input").fill("Domnul cu pălărie")
    page.locator(".dlg-name [data-ok]").tap()
    expect(page.locator("[data-check-title]")).to_have_text("Domnul cu pălărie")
    order_beers(page, 1)
    page.locator("[data-send]").tap()
    expect(page.locator(".line-sent")).to_have_count(1)
    page.locator("[data-back]").tap()
    card = page.locator(".tab-card", has_text="Domnul cu pălărie")
    expect(card).to_contain_text("18,00 RON")
    card.tap()
    expect(page.locator("[data-check-title]")).to_have_text("Domnul cu pălărie")
    assert page.js_errors == []


# --- moving lines between checks, merging checks ----------------------------------------------

def lei(minor: int) -> str:
    """Money as the tablet shows it: 1234 → "12,34 RON"."""
    return f"{minor // 100},{minor % 100:02d} RON"


def table_id(base: str, session: requests.Session, name: str) -> int:
    floor = session.get(base + "/api/v1/floor", timeout=5).json()
    return next(tb["id"] for fl in floor["floors"] for tb in fl["tables"] if tb["name"] == name)


def seat_and_send(base: str, session: requests.Session, name: str, guests: int,
                  items: list[tuple[int, int]]) -> dict:
    """Another waiter seats a table from their own tablet and sends: returns the check."""
    response = session.post(base + "/api/v1/checks", json={
        "kind": "table", "table_id": table_id(base, session, name), "guest_count": guests,
        "client_id": f"seat-table-{name}"}, timeout=5)
    assert response.status_code == 201, response.text
    check = response.json()
    response = session.post(f"{base}/api/v1/checks/{check['id']}/send", json={
        "client_id": f"send-table-{name}", "version": check["version"],
        "lines": [{"item_id": item_id(base, session, number), "quantity": quantity}
                  for number, quantity in items]}, timeout=5)
    assert response.status_code == 200, response.text
    return get_check(base, session, check["id"])  # the send answers with what it changed


def send_beers_and_mici(page) -> None:
    order_beers(page, 2)
    open_category(page, "Aperitive")
    add_quick(page, 204)
    press(page.locator("[data-send]"))
    expect(page.locator(".line-sent")).to_have_count(2)


def open_check_action(page, action: str, dialog_class: str):
    press(page.locator("[data-check-menu]"))
    press(page.locator(f'.dlg-choose [data-choice="{action}"]'))
    dialog = page.locator(f".{dialog_class}")
    expect(dialog).to_be_visible()
    return dialog


def test_a_waiter_moves_a_sent_line_to_another_tables_check(page, live_server, screenshot):
    base = live_server.url
    mihai = api_session(base, MIHAI)
    other_id = seat_and_send(base, mihai, "6", 2, [(701, 2)])["id"]  # two espressos
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "5", 3)
    send_beers_and_mici(page)
    order_beers(page, 1)  # a third beer, tapped but not sent: it stays here

    ana = api_session(base, ANA)
    before, other = get_check(base, ana, check_id), get_check(base, ana, other_id)
    both = before["totals"]["total"] + other["totals"]["total"]
    mici = next(line for line in before["lines"] if line["names"]["ro"].startswith("Mici"))

    def move_dialog_at_confirm(guests: int):
        dialog = open_check_action(page, "move_lines", "dlg-move")
        expect(dialog).to_have_attribute("data-step", "lines")
        expect(dialog.locator(".move-line")).to_have_count(2)  # only what the server has
        expect(dialog.locator(".dlg-note")).to_contain_text("Pozițiile netrimise rămân")
        expect(dialog.locator("[data-next]")).to_be_disabled()
        press(dialog.locator(f'[data-move-line="{mici["id"]}"]'))
        expect(dialog.locator(f'[data-move-line="{mici["id"]}"]')).to_have_attribute(
            "aria-pressed", "true")
        expect(dialog.locator(".move-foot-summary")).to_have_text(
            f"1 poziție · {lei(mici['total'])}")
        press(dialog.locator("[data-next]"))
        expect(dialog).to_have_attribute("data-step", "target")
        card = dialog.locator("[data-target-card]", has_text="Masa 6")
        expect(card.locator(".target-card-note")).to_have_text("Cu comandă")
        target = card.locator(f'[data-target-check="{other_id}"]')
        expect(target).to_contain_text(f"{guests} persoane · Mihai Ionescu")
        expect(dialog.locator('[data-new-check="here"]')).to_be_visible()
        press(target)
        expect(dialog).to_have_attribute("data-step", "confirm")
        return dialog

    # Mihai changes his check while Ana looks at the move: hers is refused, she is told.
    dialog = move_dialog_at_confirm(2)
    response = mihai.patch(f"{base}/api/v1/checks/{other_id}",
                           json={"version": other["version"], "guest_count": 3}, timeout=5)
    assert response.status_code == 200, response.text
    press(dialog.locator("[data-confirm]"))
    expect(page.locator(".toast-warning", has_text="Una dintre cele două note")).to_be_visible()
    expect(dialog).to_have_count(0)
    assert get_check(base, ana, other_id)["lines"] == other["lines"]

    # Again, with what is on the checks now.
    dialog = move_dialog_at_confirm(3)
    other_total = other["totals"]["total"]
    from_party = dialog.locator('[data-party="from"]')
    to_party = dialog.locator('[data-party="to"]')
    expect(from_party.locator("[data-now]")).to_have_text(lei(before["totals"]["total"]))
    expect(from_party.locator("[data-after]")).to_have_text(
        lei(before["totals"]["total"] - mici["total"]))
    expect(to_party).to_contain_text("3 persoane")
    expect(to_party.locator("[data-now]")).to_have_text(lei(other_total))
    expect(to_party.locator("[data-after]")).to_have_text(lei(other_total + mici["total"]))
    expect(dialog.locator(".moving-line")).to_have_count(1)
    expect(dialog.locator(".moving-line")).to_contain_text("Mici cu muștar")
    expect(dialog.locator("[data-confirm]")).to_have_text("Mută 1 poziție")
    screenshot(calm(page), "tablet-move-lines")
    press(dialog.locator("[data-confirm]"))
    expect(dialog).to_have_count(0)
    expect(page.locator(".toast-success", has_text="1 poziție mutată pe Masa 6.")).to_be_visible()
    expect(page.locator(".line-sent")).to_have_count(1)
    expect(new_lines(page)).to_have_count(1)  # the unsent beer is still here

    after, other_after = get_check(base, ana, check_id), get_check(base, ana, other_id)
    assert mici["id"] not in [line["id"] for line in after["lines"]]
    assert mici["id"] in [line["id"] for line in other_after["lines"]]
    assert len(other_after["lines"]) == 2
    assert after["totals"]["total"] + other_after["totals"]["total"] == both
    assert after["totals"]["total"] == before["totals"]["total"] - mici["total"]
    assert page.js_errors == []


def test_lines_move_to_a_new_check_on_a_free_table(page, live_server):
    base = live_server.url
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "5", 4)
    send_beers_and_mici(page)
    dialog = open_check_action(page, "move_lines", "dlg-move")
    press(dialog.locator(".move-line", has_text="Bere blondă"))
    press(dialog.locator("[data-next]"))
    expect(dialog.locator(".pick-empty")).to_contain_text("Nu mai este deschisă nicio altă notă.")
    press(dialog.locator('[data-new-check="table"]'))
    press(page.locator('.dlg-tables [data-table-id]', has_text="11"))
    press(page.locator('.dlg-guests [data-guests="2"]'))
    expect(dialog).to_have_attribute("data-step", "confirm")
    expect(dialog.locator('[data-party="to"]')).to_contain_text("Masa 11")
    expect(dialog.locator('[data-party="to"]')).to_contain_text("Notă nouă · 2 persoane")
    expect(dialog.locator('[data-party="to"] [data-after]')).to_have_text(lei(2 * 18_00))
    press(dialog.locator("[data-confirm]"))
    expect(page.locator(".toast-success", has_text="1 poziție mutată pe Masa 11.")).to_be_visible()

    ana = api_session(base, ANA)
    new = [c for c in ana.get(base + "/api/v1/checks", timeout=5).json() if c["id"] != check_id]
    assert [(c["table_id"], c["guest_count"], c["total"]) for c in new] == [
        (table_id(base, ana, "11"), 2, 2 * 18_00)]
    lines = get_check(base, ana, new[0]["id"])["lines"]
    assert [(line["names"]["ro"], line["quantity"]) for line in lines] == [
        ("Bere blondă la halbă (500 ml)", 2)]
    assert page.js_errors == []


def test_a_waiter_merges_another_tables_check_into_this_one(page, live_server, screenshot):
    base = live_server.url
    mihai, manager = api_session(base, MIHAI), api_session(base, MANAGER)
    other = seat_and_send(base, mihai, "6", 2, [(701, 2), (806, 1)])
    response = manager.post(f"{base}/api/v1/checks/{other['id']}/discount", json={
        "version": other["version"], "percent_bp": 1000, "reason": "Client fidel"}, timeout=5)
    assert response.status_code == 200, response.text
    sign_in_on_tablet(page, base, ANA)
    check_id = seat_table(page, "5", 3)
    send_beers_and_mici(page)

    dialog = open_check_action(page, "merge", "dlg-merge")
    expect(dialog).to_have_attribute("data-step", "target")
    expect(dialog.locator(".dlg-subtitle")).to_contain_text("Masa 5")
    press(dialog.locator(f'[data-target-check="{other["id"]}"]'))
    expect(dialog).to_have_attribute("data-step", "confirm")
    # Table 6 has a discount on the whole check: it must come off first.
    press(dialog.locator("[data-confirm]"))
    expect(dialog.locator(".dlg-message")).to_have_text(
        "Scoateți reducerea de pe cealaltă notă înainte de unire.")
    expect(dialog.locator("[data-confirm]")).to_be_disabled()
    version = get_check(base, manager, other["id"])["version"]
    response = manager.post(f"{base}/api/v1/checks/{other['id']}/discount", json={
        "version": version, "percent_bp": 0, "reason": "Client fidel"}, timeout=5)
    assert response.status_code == 200, response.text

    ana = api_session(base, ANA)
    mine, theirs = get_check(base, ana, check_id), get_check(base, ana, other["id"])
    both = mine["totals"]["total"] + theirs["totals"]["total"]
    press(dialog.locator("[data-step-back]"))
    press(dialog.locator(f'[data-target-check="{other["id"]}"]'))
    expect(dialog).to_have_attribute("data-step", "confirm")
    expect(dialog.locator(".dlg-title")).to_have_text("Uniți Masa 6 cu Masa 5?")
    from_party = dialog.locator('[data-party="from"]')
    to_party = dialog.locator('[data-party="to"]')
    expect(from_party.locator("[data-now]")).to_have_text(lei(theirs["totals"]["total"]))
    expect(to_party.locator("[data-now]")).to_have_text(lei(mine["totals"]["total"]))
    expect(dialog.locator("[data-merge-result]")).to_contain_text("Masa 5 · 5 persoane")
    expect(dialog.locator(".merge-result-total")).to_have_text(lei(both))
    expect(dialog.locator(".moving-line")).to_have_count(2)
    expect(dialog.locator(".dlg-message")).to_have_count(1)
    screenshot(calm(page), "tablet-merge")
    press(dialog.locator("[data-confirm]"))
    expect(dialog).to_have_count(0)
    expect(page.locator(".toast-success", has_text="Masa 6 este acum pe această notă.")
           ).to_be_visible()
    expect(page.locator(".line-sent")).to_have_count(4)
    expect(page.locator("[data-guest-count]")).to_have_text("5")

    merged, gone = get_check(base, ana, check_id), get_check(base, ana, other["id"])
    assert sorted(line["id"] for line in merged["lines"]) == sorted(
        line["id"] for line in mine["lines"] + theirs["lines"])
    assert merged["guest_count"] == 2 + 3
    assert gone["status"] == "merged"
    assert merged["totals"]["total"] == both
    assert page.js_errors == []
