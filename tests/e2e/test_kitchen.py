"""The kitchen display (/kitchen/<station>) in real Chromium, at 1280×800: a ticket sent
from the waiter's tablet appears on the grill, is made and bumped; expo calls the course
ready and the waiter's tablet says so until the plates are picked up. And what a cook
relies on: held courses greyed until fired, voids struck through at once, the all-day
counts, a bump bar (the keyboard), recall, a moved check's new table. And a full expo at
1920×1080: 500 open tickets, a page at a time, every table shown page by page, no card over
another, one change redrawing one card."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from factories import make_tables
from playwright.sync_api import expect
from sqlalchemy import select, update
from support import STEAK

from e2e.screens import new_screen, press, watch_errors
from kitchen.models import Station, Ticket, TicketStatus
from pos.core.db import utcnow
from pos.core.events import record_event

COOK, ANA, MANAGER, ADMIN = "7777", "1111", "9999", "123456"
SCREEN = {"width": 1280, "height": 800}


# --- helpers ------------------------------------------------------------------------------

def screen(browser, *, touch: bool = False):
    """A 1280×800 screen of its own (its own cookies), with its script errors collected."""
    return new_screen(browser, SCREEN, touch=touch)[1]


def sign_in(page, base: str, path: str, pin: str) -> None:
    """Open a screen: it sends us to the PIN pad (a kitchen screen offers pairing first,
    and the cook chooses to sign in instead); tap the PIN; the screen opens."""
    page.goto(base + path)
    if path.startswith("/kitchen"):
        expect(page).to_have_url(re.compile(r"/pair/kitchen\?station="))
        press(page.locator("[data-signin-instead]"))
    expect(page).to_have_url(re.compile(r"/signin\?next="))
    for digit in pin:
        press(page.locator(f'#keypad [data-key="{digit}"]'))
    press(page.locator("#pin-ok"))
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def open_kds(page, base: str, station: str = "grill") -> None:
    sign_in(page, base, f"/kitchen/{station}", COOK)
    expect(page.locator("#kds-loading")).to_be_hidden()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")


def card(page, table: str, course: str | None = None):
    """The ticket card of a table (and course) on a station's board."""
    cards = page.locator(".kds-ticket").filter(
        has=page.locator("[data-place]", has_text=re.compile(f"^{re.escape(table)}$")))
    return cards.filter(has_text=course) if course else cards


def line(card_locator, name: str):
    return card_locator.locator(".kds-line", has_text=name)


def all_day(page) -> dict[str, int]:
    rows = page.locator(".kds-allday-row")
    return {row.get_attribute("data-allday-item"): int(row.get_attribute("data-count"))
            for row in rows.all()}


def tickets(db, check_id: int) -> list[Ticket]:
    with db.reading() as session:
        return list(session.scalars(select(Ticket).where(Ticket.check_id == check_id)
                                    .order_by(Ticket.id)))


def status_of(db, ticket_id: int) -> TicketStatus:
    with db.reading() as session:
        return session.get(Ticket, ticket_id).status


def fired_minutes_ago(db, check_id: int, minutes: int) -> None:
    """As if the check's fired tickets had been on the board this long."""
    with db.transaction() as session:
        session.execute(update(Ticket).where(Ticket.check_id == check_id,
                                             Ticket.fired_at.is_not(None))
                        .values(fired_at=utcnow() - timedelta(minutes=minutes)))


def seat_and_send(tablet, table: str, *lines, guests: int = 2) -> dict:
    return tablet.sent(tablet.seat(table, guests), *lines)


# --- the whole path: tablet → grill → expo → tablet ----------------------------------------

def test_a_ticket_from_the_tablet_is_made_bumped_called_ready_and_picked_up(
        browser, desktop_page, live_server, db, screenshot):
    base = live_server.url
    waiter = screen(browser, touch=True)  # Ana's tablet, held in landscape
    kds = desktop_page  # the grill's screen on the wall
    try:
        sign_in(waiter, base, "/tablet", ANA)
        expect(waiter.locator(".plan .table").first).to_be_visible()
        open_kds(kds, base)
        expect(kds.locator(".kds-empty")).to_be_visible()  # nothing to make yet

        # Ana seats table 5 and sends a mushroom soup and two chicken soups.
        waiter.locator('.plan [data-name="5"]').tap()
        waiter.locator('.dlg-guests [data-guests="2"]').tap()
        expect(waiter.locator("[data-check-title]")).to_have_text("Masa 5")
        waiter.locator(".category", has_text="Ciorbe").tap()
        waiter.locator('.item-tile[data-number="105"]').tap()
        waiter.locator('.item-tile[data-number="106"]').tap()
        waiter.locator('.item-tile[data-number="106"]').tap()
        waiter.locator("[data-send]").tap()
        expect(waiter.locator(".toast-success")).to_be_visible()

        # The grill sees it at once: table, course, server, guests, lines with allergens.
        ticket = card(kds, "5")
        expect(ticket).to_have_count(1)
        expect(ticket).to_have_attribute("data-status", "fired")
        expect(ticket).to_have_attribute("data-timer", "ok")
        expect(ticket.locator(".kds-course")).to_have_text("Aperitive")
        expect(ticket.locator(".kds-server")).to_have_text("Ana Popescu")
        expect(ticket.locator(".kds-guests")).to_have_text("2")
        expect(ticket.locator(".kds-timer")).to_have_text(re.compile(r"^0:\d\d$"))
        mushroom = line(ticket, "Supă cremă de ciuperci")
        expect(mushroom.locator(".kds-qty")).to_have_text("1×")
        expect(mushroom.locator('.kds-allergen[data-allergen="milk"]')).to_have_text("Lapte")
        expect(line(ticket, "Supă de pui").locator(".kds-qty")).to_have_text("2×")
        assert all_day(kds) == {"Supă de pui cu tăiței de casă": 2, "Supă cremă de ciuperci": 1}

        # The mushroom soup is made: tap it, it is ticked and leaves the all-day count.
        press(mushroom)
        expect(mushroom).to_have_attribute("data-done", "true")
        expect(mushroom.locator(".kds-done-mark")).to_be_visible()
        assert all_day(kds) == {"Supă de pui cu tăiței de casă": 2}
        check_id = int(re.search(r"#/check/(\d+)", waiter.url).group(1))
        [made] = tickets(db, check_id)
        assert made.status is TicketStatus.FIRED

        # Bump: the ticket leaves the board and waits in the recall bar.
        press(ticket.locator("[data-bump]"))
        expect(card(kds, "5")).to_have_count(0)
        expect(kds.locator(f'.kds-recall [data-recall="{made.id}"]')).to_contain_text("5")
        expect(kds.locator(".kds-empty")).to_be_visible()
        wait_for(lambda: status_of(db, made.id) is TicketStatus.BUMPED, kds)

        # Expo sees the course complete and calls it ready.
        expo = watch_errors(kds.context.new_page())
        expo.goto(base + "/kitchen/expo")
        group = expo.locator(f'.kds-group[data-check-id="{check_id}"]')
        expect(group).to_have_attribute("data-state", "complete")
        expect(group.locator(".kds-part-state")).to_have_text("Gata")
        press(group.locator("[data-ready]"))
        expect(group).to_have_count(0)
        expect(expo.locator(".kds-pass-row")).to_contain_text("Aperitive")

        # Ana's tablet chimes: "Table 5 — starters ready", and the table turns green.
        notice = waiter.locator(".ready-notice")
        expect(notice).to_contain_text("Masa 5 — Aperitive gata")
        waiter.locator("[data-back]").tap()
        table_5 = waiter.locator('.plan [data-name="5"]')
        expect(table_5).to_have_attribute("data-state", "food_ready")
        expect(waiter.locator('.legend-item.state-food_ready .legend-count')).to_have_text("1")
        expect(waiter.locator('.legend-item.state-food_ready')).to_contain_text("Mâncare gata")
        waiter.evaluate("document.getElementById('toasts').replaceChildren()")
        screenshot(waiter, "tablet-ready")

        # Picked up: the notice goes, the table is back to "ordered", expo's pass empties.
        notice.locator("[data-picked-up]").tap()
        expect(notice).to_have_count(0)
        expect(table_5).to_have_attribute("data-state", "ordered")
        expect(expo.locator(".kds-pass-row")).to_have_count(0)
        assert waiter.js_errors == [] and kds.js_errors == [] and expo.js_errors == []
    finally:
        waiter.context.close()


def group(expo, check: dict):
    """A check's course on expo (each check here has one course on the board)."""
    return expo.locator(f'.kds-group[data-check-id="{check["id"]}"]')


def turn_to(screen, target) -> None:
    """Turn the board's pages (the bump bar's PageUp/PageDown) to the page with ``target``
    (a card's locator) on it: a wall screen shows a page of cards at a time."""
    pager = screen.locator("#kds-pager")
    for _ in range(20):
        if not pager.is_visible() or pager.get_attribute("data-page") == "1":
            break
        screen.keyboard.press("PageUp")
    for _ in range(20):
        if target.count():
            return
        screen.keyboard.press("PageDown")
    expect(target).to_have_count(1)


def wait_for(condition, page, timeout: float = 5) -> None:
    for _ in range(int(timeout * 20)):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("condition not met")


# --- held, fired, voided, moved ---------------------------------------------------------------

def test_a_held_course_is_greyed_until_the_tablet_fires_it(browser, desktop_page, live_server,
                                                            tablet):
    base = live_server.url
    check = seat_and_send(tablet, "7", tablet.line(*STEAK, seat=1, note="fără sare"))
    kds = desktop_page
    open_kds(kds, base)
    steak = card(kds, "7")
    expect(steak).to_have_attribute("data-status", "held")
    expect(steak.locator(".kds-held-badge")).to_have_text("În așteptare")
    expect(steak.locator("[data-bump]")).to_be_disabled()
    expect(steak.locator(".kds-mod")).to_have_text(["Mediu spre în sânge", "Cartofi prăjiți"])
    expect(steak.locator(".kds-note")).to_have_text("fără sare")
    assert all_day(kds) == {}  # held: nothing to make yet
    expect(kds.locator("[data-count-held]")).to_have_text("1 în așteptare")

    waiter = screen(browser, touch=True)
    try:
        sign_in(waiter, base, "/tablet", ANA)
        waiter.locator('.plan [data-name="7"]').tap()
        expect(waiter).to_have_url(re.compile(f"#/check/{check['id']}$"))
        mains = waiter.locator(f'.course-group[data-course-id="{tablet.courses["mains"]}"]')
        mains.locator('[data-course-action="fire"]').tap()
        expect(steak).to_have_attribute("data-status", "fired")
        expect(steak.locator(".kds-timer")).to_have_text(re.compile(r"^0:\d\d$"))
        expect(steak.locator("[data-bump]")).to_be_enabled()
        assert all_day(kds) == {"Antricot de vită (300 g)": 1}
        assert waiter.js_errors == []
    finally:
        waiter.context.close()
    assert kds.js_errors == []


def test_a_voided_line_is_struck_through_at_once_and_a_moved_check_shows_its_new_table(
        desktop_page, live_server, tablet):
    check = seat_and_send(tablet, "8", tablet.line(102, quantity=2), tablet.line(105))
    kds = desktop_page
    open_kds(kds, live_server.url)
    soups = card(kds, "8")
    assert all_day(kds) == {"Ciorbă de perișoare": 2, "Supă cremă de ciuperci": 1}

    mushroom = next(ln for ln in check["lines"] if ln["names"]["en"].startswith("Cream"))
    voided = tablet.post(check, f"lines/{mushroom['id']}/void", reason="Entered by mistake",
                         manager_pin=MANAGER)
    assert voided.status_code == 200, voided.get_json()
    struck = line(soups, "Supă cremă de ciuperci")
    expect(struck).to_have_attribute("data-status", "void")
    expect(struck.locator(".kds-void-tag")).to_have_text("Stornat")
    assert "line-through" in struck.locator(".kds-item").evaluate(
        "e => getComputedStyle(e).textDecorationLine")
    expect(struck).to_be_disabled()
    assert all_day(kds) == {"Ciorbă de perișoare": 2}

    # The party moves to table 10: the card follows, and says where it came from.
    check = tablet.check(check["id"])
    moved = tablet.post(check, "transfer", table_id=tablet.tables["10"])
    assert moved.status_code == 200, moved.get_json()
    expect(card(kds, "10")).to_have_count(1)
    expect(card(kds, "8")).to_have_count(0)
    expect(card(kds, "10").locator("[data-moved]")).to_have_text("Mutat de la masa 8")
    assert kds.js_errors == []


# --- all day, keyboard, recall ------------------------------------------------------------------

def test_the_all_day_counts_what_is_still_to_make(desktop_page, live_server, tablet):
    seat_and_send(tablet, "1", tablet.line(102, quantity=2), tablet.line(101))
    seat_and_send(tablet, "2", tablet.line(102), tablet.line(104, seat=1))
    kds = desktop_page
    open_kds(kds, live_server.url)
    expect(kds.locator(".kds-allday-row").first).to_have_text("3×Ciorbă de perișoare")
    assert all_day(kds) == {"Ciorbă de perișoare": 3, "Ciorbă de burtă": 1,
                            "Ciorbă rădăuțeană": 1}

    press(line(card(kds, "1"), "Ciorbă de perișoare"))  # two made on table 1
    meatball = kds.locator('[data-allday-item="Ciorbă de perișoare"]')
    expect(meatball).to_have_attribute("data-count", "1")
    press(card(kds, "2").locator("[data-bump]"))  # table 2 done
    expect(card(kds, "2")).to_have_count(0)
    assert all_day(kds) == {"Ciorbă de burtă": 1}

    seat_and_send(tablet, "3", tablet.line(101, quantity=3))  # a new ticket counts at once
    expect(kds.locator('[data-allday-item="Ciorbă de burtă"]')).to_have_attribute("data-count", "4")
    assert kds.js_errors == []


def test_a_bump_bar_selects_bumps_and_recalls_by_keys(desktop_page, live_server, tablet, db):
    first = seat_and_send(tablet, "1", tablet.line(101))
    second = seat_and_send(tablet, "2", tablet.line(102))
    third = seat_and_send(tablet, "3", tablet.line(103))
    kds = desktop_page
    open_kds(kds, live_server.url)
    cards = kds.locator(".kds-ticket")
    expect(cards).to_have_count(3)
    expect(cards.locator(".kds-index")).to_have_text(["1", "2", "3"])
    expect(card(kds, "1")).to_have_attribute("aria-current", "true")  # the oldest, at first
    expect(kds.locator(".kds-keys")).to_contain_text("readu ultimul")  # the keys, on screen

    kds.keyboard.press("2")
    expect(card(kds, "2")).to_have_attribute("aria-current", "true")
    kds.keyboard.press("ArrowRight")
    expect(card(kds, "3")).to_have_attribute("aria-current", "true")
    kds.keyboard.press("ArrowLeft")
    kds.keyboard.press("Enter")  # bumps table 2
    expect(card(kds, "2")).to_have_count(0)
    [bumped] = tickets(db, second["id"])
    wait_for(lambda: status_of(db, bumped.id) is TicketStatus.BUMPED, kds)
    expect(card(kds, "3")).to_have_attribute("aria-current", "true")  # the next one moves up
    kds.keyboard.press(" ")  # Space bumps too
    expect(card(kds, "3")).to_have_count(0)

    # R brings back the last bumped (table 3), then the one before (table 2).
    kds.keyboard.press("r")
    expect(card(kds, "3")).to_have_attribute("data-status", "fired")
    expect(kds.locator(".kds-recall [data-recall]")).to_have_count(1)  # table 2's, still
    [table_3] = tickets(db, third["id"])
    wait_for(lambda: status_of(db, table_3.id) is TicketStatus.FIRED, kds)
    kds.keyboard.press("R")
    expect(card(kds, "2")).to_have_count(1)
    expect(cards.locator("[data-place]")).to_have_text(["1", "2", "3"])  # back in fire order

    # Recall by touch, from the bar.
    press(card(kds, "1").locator("[data-bump]"))
    [table_1] = tickets(db, first["id"])
    chip = kds.locator(f'.kds-recall [data-recall="{table_1.id}"]')
    press(chip)
    expect(card(kds, "1")).to_have_count(1)
    expect(chip).to_have_count(0)
    assert kds.js_errors == []


# --- a screen on the wall, paired: no one signs in ----------------------------------------------

def test_a_paired_grill_screen_works_unattended_and_shows_only_the_grill(
        desktop_page, live_server, tablet, db):
    base, kds = live_server.url, desktop_page
    assert kds.request.post(base + "/api/v1/session", data={"pin": MANAGER}).ok
    paired = kds.request.post(base + "/api/v1/devices", data={
        "label": "Ecran grătar", "role": "kitchen", "station": "grill", "this_device": True})
    assert paired.status == 201, paired.text()
    kds.goto(base + "/kitchen/cold")  # a paired screen shows its own station
    expect(kds).to_have_url(base + "/kitchen/grill")
    expect(kds.locator(".kds-staff")).to_have_text("Ecran grătar")
    expect(kds.locator("[data-sign-out]")).to_have_count(0)
    expect(kds.locator("#live-status")).to_have_attribute("data-state", "live")

    check = seat_and_send(tablet, "5", tablet.line(105), tablet.line(801))  # soup and wine
    expect(card(kds, "5")).to_have_count(1)
    expect(card(kds, "5").locator(".kds-line")).to_have_count(1)  # the wine is the bar's
    press(card(kds, "5").locator("[data-bump]"))
    [soup] = [t for t in tickets(db, check["id"]) if t.station_id == grill_id(db)]
    wait_for(lambda: status_of(db, soup.id) is TicketStatus.BUMPED, kds)
    assert kds.js_errors == []


def grill_id(db) -> int:
    with db.reading() as session:
        return session.scalar(select(Station.id).where(Station.code == "grill"))


# --- how it looks: a busy service ---------------------------------------------------------------

def test_a_busy_grill_and_the_pass(desktop_page, live_server, tablet, db, screenshot):
    """Screenshots: late, warning and fresh tickets, a rush, a held course, a void, a made
    line on the grill; and expo with one course complete and one at the pass."""
    courses = tablet.courses
    late = seat_and_send(tablet, "4", tablet.line(*STEAK, seat=1, note="fără sare"),
                         tablet.line(401, "Well done", "Mashed potatoes", seat=2), guests=4)
    tablet.post(late, f"courses/{courses['mains']}/fire")
    fired_minutes_ago(db, late["id"], 16)
    warn = seat_and_send(tablet, "11", tablet.line(102, quantity=3), tablet.line(104, seat=2),
                         tablet.line(204), guests=6)
    fired_minutes_ago(db, warn["id"], 11)
    rush = seat_and_send(tablet, "2", tablet.line(101, seat=1), tablet.line(106, seat=2))
    fired_minutes_ago(db, rush["id"], 3)
    held = seat_and_send(tablet, "9", tablet.line(401, "Medium", "Grilled vegetables"), guests=3)
    fresh = seat_and_send(tablet, "6", tablet.line(105), tablet.line(301))
    ready = seat_and_send(tablet, "12", tablet.line(205))
    waiting = seat_and_send(tablet, "3", tablet.line(103))
    cook = live_server.app.test_client()
    cook.post("/api/v1/session", json={"pin": COOK})
    for check in (ready, waiting):
        for ticket in tickets(db, check["id"]):
            cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/bump", json={})
    assert cook.post("/api/v1/kitchen/ready", json={
        "check_id": waiting["id"], "course_id": courses["starters"]}).status_code == 200

    kds = desktop_page
    open_kds(kds, live_server.url)
    tablet.post(tablet.check(rush["id"]), f"courses/{courses['starters']}/rush")
    expect(card(kds, "2")).to_have_attribute("data-rush", "")
    expect(card(kds, "2").locator(".kds-rush")).to_have_text("Urgent")
    expect(kds.locator(".kds-ticket").first).to_have_attribute("data-rush", "")  # on top
    expect(card(kds, "4")).to_have_attribute("data-timer", "late")
    expect(card(kds, "11")).to_have_attribute("data-timer", "warn")
    turn_to(kds, card(kds, "6"))
    expect(card(kds, "6")).to_have_attribute("data-timer", "ok")
    turn_to(kds, card(kds, "9"))
    expect(card(kds, "9")).to_have_attribute("data-status", "held")
    turn_to(kds, card(kds, "11"))
    press(line(card(kds, "11"), "Ciorbă rădăuțeană"))
    expect(line(card(kds, "11"), "Ciorbă rădăuțeană")).to_have_attribute("data-done", "true")
    warn = tablet.check(warn["id"])
    mici = next(ln for ln in warn["lines"] if ln["names"]["en"].startswith("Grilled mici"))
    tablet.post(warn, f"lines/{mici['id']}/void", reason="Guest changed their mind",
                manager_pin=MANAGER)
    expect(line(card(kds, "11"), "Mici")).to_have_attribute("data-status", "void")
    turn_to(kds, card(kds, "2"))
    kds.keyboard.press("3")
    kds.mouse.move(0, 0)
    screenshot(kds, "kds-grill")

    expo = watch_errors(kds.context.new_page())
    expo.goto(live_server.url + "/kitchen/expo")
    expect(group(expo, ready)).to_have_attribute("data-state", "complete")
    expect(expo.locator(".kds-group").first).to_have_attribute("data-state", "complete")  # to call
    turn_to(expo, group(expo, fresh))
    parts = group(expo, fresh).locator(".kds-part-station")
    expect(parts).to_have_text(["Grătar", "Bucătărie rece"])  # a Caesar salad: cold and grill
    expect(expo.locator(".kds-pass-row")).to_contain_text("3")
    turn_to(expo, group(expo, held))
    expect(group(expo, held)).to_have_attribute("data-state", "held")
    expect(expo.locator(".kds-count.is-ready")).to_have_text("1 de anunțat")
    # The grill's printer fails: expo sees where its tickets go now, until it is back.
    with db.transaction() as session:
        record_event(session, "/kitchen", "alerts", "alert", {
            "id": 1, "kind": "printer", "subject": "printer:1",
            "message": {"key": "printer_offline", "printer": "Grill", "backup": "Bar"}})
    expect(expo.locator(".kds-alert")).to_have_text(
        "Imprimanta „Grill” nu răspunde — bonurile merg la „Bar”.")
    turn_to(expo, group(expo, ready))
    expo.mouse.move(0, 0)
    screenshot(expo, "kds-expo")
    with db.transaction() as session:
        record_event(session, "/kitchen", "alerts", "alert_cleared",
                     {"id": 1, "subject": "printer:1"})
    expect(expo.locator(".kds-alert")).to_have_count(0)

    # A ticket the worker gave up on: expo is told which table's, and puts the notice away.
    [soup, _salad] = tickets(db, fresh["id"])
    with db.transaction() as session:
        record_event(session, "/kitchen", "alerts", "alert", {
            "id": 2, "kind": "print_job_failed", "subject": "print_job:7",
            "message": {"key": "print_job_failed", "job": 7, "ticket": soup.id, "error": "x"}})
    expect(expo.locator(".kds-alert")).to_have_text("Bonul pentru Masa 6 nu s-a tipărit.")
    press(expo.locator(".kds-alert-close"))
    expect(expo.locator(".kds-alert")).to_have_count(0)

    # The back office moves the grill's colour times: the tickets already on its screen
    # recolour at once (table 2's, fired 3 minutes ago, was still green).
    turn_to(kds, card(kds, "2"))
    expect(card(kds, "2")).to_have_attribute("data-timer", "ok")
    admin = live_server.app.test_client()
    assert admin.post("/api/v1/session", json={"pin": ADMIN}).status_code == 200
    with db.reading() as session:
        ids = dict(session.execute(select(Station.code, Station.id)).all())
    assert admin.patch(f"/api/v1/stations/{ids['grill']}", json={
        "warn_after_seconds": 60, "late_after_seconds": 120}).status_code == 200
    expect(card(kds, "2")).to_have_attribute("data-timer", "late")
    # Expo times a course by its own: table 4's, 16 minutes on, turns from yellow to red.
    turn_to(expo, group(expo, late))
    expect(group(expo, late)).to_have_attribute("data-timer", "warn")
    assert admin.patch(f"/api/v1/stations/{ids['expo']}", json={
        "warn_after_seconds": 300, "late_after_seconds": 900}).status_code == 200
    expect(group(expo, late)).to_have_attribute("data-timer", "late")
    assert kds.js_errors == [] and expo.js_errors == []


# --- a full pass: 500 open tickets on expo at 1920×1080 -------------------------------------

WALL = {"width": 1920, "height": 1080}

# Measures the page of expo's board shown (once the browser has drawn it): every card whole
# inside the board (none cut by its edges, none cut inside), no two cards over each other,
# and the cards in ordered column stacks (with C columns, card k of the page in column
# k mod C, the first C at the board's top, each other one straight under card k - C).
# Returns the problems found, each card's place and parts, the columns used and the
# pager's figures.
_EXPO_PAGE = """async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  for (let i = 0; i < 2; i++) await frame();
  const board = document.getElementById("kds-board");
  const nav = document.getElementById("kds-pager");
  const edge = board.getBoundingClientRect();
  const problems = [];
  const name = (card) => card.querySelector("[data-place]").textContent;
  const boxes = [...board.children].map((card) => [card, card.getBoundingClientRect()]);
  for (const [card, box] of boxes) {
    if (box.left < edge.left - 0.5 || box.right > edge.right + 0.5 || box.top < edge.top - 0.5
        || box.bottom > edge.bottom + 0.5) problems.push(`off the board: ${name(card)}`);
    if (card.scrollHeight > card.clientHeight + 1) problems.push(`cut: ${name(card)}`);
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i][1], boxes[j][1]];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5
        && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
      problems.push(`overlap: ${name(boxes[i][0])} over ${name(boxes[j][0])}`);
    }
  }
  const style = getComputedStyle(board);
  const tracks = style.gridTemplateColumns.split(" ").map(parseFloat);
  const step = tracks[0] + parseFloat(style.columnGap), gap = parseFloat(style.rowGap);
  boxes.forEach(([card, box], k) => {
    const column = Math.round((box.left - edge.left) / step);
    const top = k < tracks.length ? edge.top : boxes[k - tracks.length][1].bottom + gap;
    if (column !== k % tracks.length || Math.abs(box.left - edge.left - column * step) > 1
        || Math.abs(box.top - top) > 1) problems.push(`not in its column stack: ${name(card)}`);
  });
  return {
    problems,
    cards: boxes.map(([card]) => ({
      place: name(card),
      tickets: [...card.querySelectorAll("[data-ticket-id]")]
        .map((part) => Number(part.dataset.ticketId)),
    })),
    columns: new Set(boxes.map(([, box]) => Math.round(box.left))).size,
    more: Number(nav.dataset.more), page: Number(nav.dataset.page),
    pages: Number(nav.dataset.pages),
  };
}"""


def test_a_full_pass_shows_500_open_tickets_laid_out_at_1920x1080(browser, live_server, tablet,
                                                                  db, screenshot):
    """250 tables, each sent a soup (the grill's starter) and a glass of wine (the bar's
    drink): 500 open tickets, each its own course on expo. The wall screen cannot scroll:
    it shows a page of whole cards at a time, says how many more there are, and turning
    every page shows every table with its tickets, no card drawn over another or off the
    board; a change to one ticket redraws that card alone."""
    soup, wine = tablet.line(102), tablet.line(801)
    for table in make_tables(db, [f"E{n:03}" for n in range(1, 251)]):
        opened = tablet.client.post("/api/v1/checks", json={
            "table_id": table.id, "guest_count": 2, "client_id": str(uuid.uuid4())})
        assert opened.status_code == 201, opened.get_json()
        tablet.sent(opened.get_json(), soup, wine)
    cook = live_server.app.test_client()
    cook.post("/api/v1/session", json={"pin": COOK})
    snapshot = cook.get("/api/v1/kitchen/expo").get_json()["tickets"]
    opened = {t["id"]: t["table"] for t in snapshot if t["status"] in ("fired", "held")}
    assert len(opened) == 500

    expo = new_screen(browser, WALL)[1]
    try:
        open_kds(expo, live_server.url, "expo")
        board = expo.locator("#kds-board")
        expect(board).to_have_attribute("data-cards", "500")
        # The page asked for its snapshot once: the early request (a preload) was taken.
        assert expo.evaluate("""() => performance.getEntriesByType("resource")
            .filter((e) => e.name.endsWith("/api/v1/kitchen/expo")).length""") == 1
        first = expo.evaluate(_EXPO_PAGE)
        assert first["problems"] == []
        assert first["columns"] >= 4  # a wall screen's width is used
        assert len(first["cards"]) + first["more"] == 500 and first["page"] == 1
        expo.mouse.move(0, 0)
        screenshot(expo, "kds-expo-500")

        # One ticket changes (the grill bumps table E250's soup): its course is complete and
        # goes to the top to be called; that card is drawn anew, every other card on the
        # page is kept as it was (only the numbers 1–9 move along).
        expo.evaluate("""() => document.querySelectorAll("#kds-board > *")
            .forEach((card) => { card.kdsKept = true; })""")
        [last_soup] = [t for t in snapshot if t["table"] == "E250" and t["station"] == "grill"]
        assert cook.post(f"/api/v1/kitchen/tickets/{last_soup['id']}/bump",
                         json={}).status_code == 200
        top = expo.locator("#kds-board > .kds-ticket").first
        expect(top).to_have_attribute("data-state", "complete")
        expect(top.locator("[data-place]")).to_have_text("E250")
        kept = expo.evaluate("""() => [...document.querySelectorAll("#kds-board > *")].map(
            (card) => [card.querySelector("[data-place]").textContent, Boolean(card.kdsKept)])""")
        assert [place for place, was_kept in kept if not was_kept] == ["E250"]
        after = [place for place, _ in kept[1:]]  # the others, in their order, one along
        assert len(after) >= 4 and after == [c["place"] for c in first["cards"]][:len(after)]
        numbers = expo.locator("#kds-board > .kds-ticket .kds-index").all_text_contents()
        assert numbers == [str(n) if n <= 9 else "" for n in range(1, len(kept) + 1)]

        # Page by page with the bump bar: every open ticket, on the card of its own table.
        pages = [expo.evaluate(_EXPO_PAGE)]
        while pages[-1]["more"]:
            assert len(pages) < 100
            expo.keyboard.press("PageDown")
            expect(expo.locator("#kds-pager")).to_have_attribute("data-page", str(len(pages) + 1))
            pages.append(expo.evaluate(_EXPO_PAGE))
            assert pages[-1]["problems"] == []
        cards = [card for page in pages for card in page["cards"]]
        shown = {ticket: card["place"] for card in cards for ticket in card["tickets"]}
        assert shown == opened
        assert len(cards) == 500 and len(pages) == pages[0]["pages"]
        assert expo.js_errors == []
    finally:
        expo.context.close()
