"""A dinner service through the screens, as the team's bar for done asks: seat, order,
cook, pay, clear — with the server killed once mid-service and a printer unplugged.

Everything runs against the real server (``python app.py`` in its own process, with its
real print worker) and real screens, each in its own browser: Ana's tablet (1024×768),
the grill's screen and expo (1920×1080, paired by the manager as wall screens are). The
grill has a network ticket printer (a fake one on 127.0.0.1).

1. Ana seats table 5 and sends a soup (grill, fires at once) and a glass of wine (bar):
   the grill's screen shows the soup, the grill printer prints it.
2. The printer is unplugged. Ana's second soup is on the grill's screen at once; its
   ticket waits in the print queue and expo is told the printer is not printing.
3. The server dies. Ana sends a third soup: her tablet keeps it and says it is waiting.
   The server comes back on the same port: with no page reloaded, the waiting send goes
   by itself, once; the grill's screen reconnects and shows it; nothing twice.
4. The printer is plugged back in: both waiting tickets print, once each; the alert goes.
5. The cook bumps the three soups, expo calls the starters ready, Ana's tablet says so;
   she picks them up and table 5 is "ordered" again.
   All along, the manager's back office (/office/devices on the office PC) shows the
   printer go offline with its alert, follows the server's restart by itself, and shows
   the printer back online with the alert gone.
6. The cashier, on the counter PC (1920×1080), takes the money in cash, exact; the check
   closes. Ana's floor shows table 5 paid; she says the guests have left (needs
   clearing), then clears it: free. The payment is one, for the whole check.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select
from support import wait_until

from e2e.screens import assert_laid_out, new_screen, press, seat_table, table, type_pin
from kitchen.models import Station, Ticket
from pos.core.alerts import Alert
from pos.core.db import utcnow
from pos.core.money import TaxMode
from pos.devices.models import Printer, PrintJob, PrintJobStatus
from pos.menu.models import MenuItem
from pos.ordering.models import Check, CheckStatus, OrderLine, Send
from pos.ordering.totals import check_totals
from pos.payments.models import Payment
from pos.venue.models import Venue

ANA, CASHIER, MANAGER = "1111", "6666", "9999"
TABLE = "5"
SOUP, WINE = 102, 801  # Ciorbă de perișoare (grill, a starter: fires at once); wine (bar)
SOUPS = "Ciorbe & supe"
WINES = "Vin & bere"
PRINTER_NAME = "Grill"


def _printer_fakes():
    """tests/kitchen/printer_fakes.py (that folder is not a package: loaded by its path)."""
    module = sys.modules.get("printer_fakes")
    if module is None:
        path = Path(__file__).resolve().parents[1] / "kitchen" / "printer_fakes.py"
        spec = importlib.util.spec_from_file_location("printer_fakes", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["printer_fakes"] = module
        spec.loader.exec_module(module)
    return module


printer_fakes = _printer_fakes()


# --- the wall and the tablet ------------------------------------------------------------------

def not_reloaded(page) -> None:
    """Mark the page: a reload (or a navigation) would lose the mark."""
    page.evaluate("window.notReloaded = true")


def still_the_same_page(page) -> bool:
    return page.evaluate("window.notReloaded === true")


def manager_pairs_the_wall_screen(page, base: str, station: str) -> None:
    """The wall screen opens on the pairing page; the manager picks nothing (the station is
    in the address) and types the PIN: the screen shows its station from now on."""
    page.goto(f"{base}/kitchen/{station}")
    expect(page).to_have_url(re.compile(rf"/pair/kitchen\?station={station}$"))
    type_pin(page.locator("#pad"), MANAGER)
    expect(page).to_have_url(f"{base}/kitchen/{station}")
    expect(page.locator("#kds-loading")).to_be_hidden()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")


def manager_opens_the_devices(page, base: str) -> None:
    page.goto(base + "/office/devices")
    expect(page).to_have_url(re.compile(r"/signin\?next=/office/devices"))
    type_pin(page, MANAGER)
    expect(page).to_have_url(base + "/office/devices")
    expect(office_live(page)).to_have_attribute("data-state", "live")
    expect(printer_state(page)).to_have_attribute("data-state", "online")


def office_live(page):
    return page.locator("[data-live-state]")


def printer_state(page):
    return page.locator(f'[data-printers] tr[data-name="{PRINTER_NAME}"] [data-printer-state]')


def printer_offline_alerts(page):
    return page.locator('[data-alerts] .office-alert[data-kind="printer_offline"]')


def waiter_signs_in(page, base: str, pin: str) -> None:
    page.goto(base + "/tablet")
    expect(page).to_have_url(re.compile(r"/signin\?next=/tablet"))
    type_pin(page, pin)
    expect(page).to_have_url(re.compile(r"/tablet"))
    expect(page.locator(".plan .table").first).to_be_visible()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")




def waiter_orders(page, category: str, number: int) -> None:
    """Tap an item that asks nothing: it is a new line at once."""
    press(page.locator(".category", has_text=category))
    press(page.locator(f'.item-tile[data-number="{number}"]'))
    expect(page.locator(".dlg-item")).to_have_count(0)


def waiter_orders_a_soup(page) -> None:
    """A soup's serving choices (sour cream, chilli, bread) are all optional: a tap adds it at
    once; a tap on its new line shows them; as it comes, Save."""
    press(page.locator(".category", has_text=SOUPS))
    before = new_lines(page).count()
    press(page.locator(f'.item-tile[data-number="{SOUP}"]'))
    dialog = page.locator(".dlg-item")
    expect(new_lines(page)).to_have_count(before + 1)
    expect(dialog).to_have_count(0)
    press(new_lines(page).last)
    expect(dialog.locator(".mod-group-name").first).to_have_text("Servire ciorbă")
    press(dialog.locator("[data-add]"))
    expect(dialog).to_have_count(0)


def new_lines(page):
    return page.locator("[data-new-lines] .line-new")


def waiter_taps_send(page) -> None:
    press(page.locator("[data-send]"))


def waiter_goes_to_the_floor(page) -> None:
    press(page.locator("[data-back]"))
    expect(page.locator("#floor-view")).to_be_visible()


def calm(page):
    """The toasts put away (the tablet's, a kitchen screen's) before a screenshot."""
    page.evaluate("['toasts', 'kds-toasts'].forEach("
                  "(id) => document.getElementById(id)?.replaceChildren())")
    page.mouse.move(0, 0)
    return page


def card(kds, name: str):
    """Every ticket card of a table on a station's screen."""
    return kds.locator(".kds-ticket").filter(
        has=kds.locator("[data-place]", has_text=re.compile(f"^{re.escape(name)}$")))


def card_ids(kds, name: str) -> list[int]:
    return sorted(int(i) for i in card(kds, name).evaluate_all(
        "cards => cards.map((c) => c.dataset.ticketId)"))


def cook_bumps(kds, ticket_id: int) -> None:
    press(kds.locator(f'.kds-ticket[data-ticket-id="{ticket_id}"] [data-bump]'))
    expect(kds.locator(f'.kds-ticket[data-ticket-id="{ticket_id}"]')).to_have_count(0)


def expo_group(expo, check_id: int):
    return expo.locator(f'.kds-group[data-check-id="{check_id}"]')


def script_errors(page) -> list[str]:
    """The page's script errors. While the server is down the browser logs each refused
    WebSocket connection as an error; that is the network, not the screen's script."""
    return [error for error in page.js_errors
            if not re.match(r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/socket\.io/.*"
                            r"' failed: .*ERR_CONNECTION_REFUSED", error)]


# --- the database -----------------------------------------------------------------------------

def give_the_grill_a_printer(db, address: str) -> int:
    """As the back office would: a network printer, attached to the grill station."""
    with db.transaction() as session:
        printer = Printer(name=PRINTER_NAME, kind="network", address=address)
        session.add(printer)
        session.flush()
        session.scalar(select(Station).where(Station.code == "grill")).printer_id = printer.id
        session.get(Venue, 1).config_version += 1
        return printer.id


def tickets_at(db, check_id: int, station: str) -> list[Ticket]:
    with db.reading() as session:
        return list(session.scalars(
            select(Ticket).join(Station, Station.id == Ticket.station_id)
            .where(Ticket.check_id == check_id, Station.code == station).order_by(Ticket.id)))


def print_jobs_of(db, ticket_id: int) -> list[PrintJob]:
    with db.reading() as session:
        return list(session.scalars(select(PrintJob)
                                    .where(PrintJob.subject == f"ticket:{ticket_id}")
                                    .order_by(PrintJob.id)))


def waiting_to_print(db, ticket_id: int) -> PrintJob | None:
    """The ticket's one print job, if it is queued after a failed try (and not being tried
    right now)."""
    jobs = print_jobs_of(db, ticket_id)
    if len(jobs) == 1 and jobs[0].status is PrintJobStatus.QUEUED and jobs[0].attempts >= 1:
        return jobs[0]
    return None


def printer_alerts(db, printer_id: int) -> list[Alert]:
    with db.reading() as session:
        return list(session.scalars(select(Alert).where(Alert.subject == f"printer:{printer_id}")
                                    .order_by(Alert.id)))


def sends_of(db, check_id: int) -> list[Send]:
    with db.reading() as session:
        return list(session.scalars(select(Send).where(Send.check_id == check_id)
                                    .order_by(Send.id)))


def ordered(db, check_id: int) -> list[tuple[int, int, int]]:
    """The check's lines as (item number, quantity, send id), in the order they were sent."""
    with db.reading() as session:
        return [tuple(row) for row in session.execute(
            select(MenuItem.number, OrderLine.quantity, OrderLine.send_id)
            .join(MenuItem, MenuItem.id == OrderLine.item_id)
            .where(OrderLine.check_id == check_id).order_by(OrderLine.id))]


def times_printed(printer, ticket_id: int) -> int:
    return b"".join(printer.tickets).count(b"Bon #%d\n" % ticket_id)


# --- the service ------------------------------------------------------------------------------

@pytest.fixture
def grill_printer():
    printer = printer_fakes.FakeNetworkPrinter("Grill").start()
    yield printer
    printer.stop()


def test_a_dinner_service_survives_a_server_restart_and_an_unplugged_printer(
        browser, server_process, db, grill_printer, screenshot):
    printer_id = give_the_grill_a_printer(db, grill_printer.address)
    server = server_process.start()
    base = server.url
    tablet = new_screen(browser, "tablet-landscape", touch=True)[1]
    kds = new_screen(browser, "kitchen", touch=True)[1]
    expo = new_screen(browser, "kitchen", touch=True)[1]
    office = new_screen(browser, "kitchen", touch=False)[1]
    pages = []
    try:
        manager_pairs_the_wall_screen(kds, base, "grill")
        manager_pairs_the_wall_screen(expo, base, "expo")
        expect(kds.locator(".kds-empty")).to_be_visible()
        manager_opens_the_devices(office, base)
        waiter_signs_in(tablet, base, ANA)
        for page in (tablet, kds, expo, office):
            not_reloaded(page)

        # --- 1. seat, order, send: the grill sees the soup and its printer prints it ----
        check_id = seat_table(tablet, TABLE, 2)
        waiter_orders_a_soup(tablet)
        waiter_orders(tablet, WINES, WINE)
        expect(new_lines(tablet)).to_have_count(2)
        waiter_taps_send(tablet)
        expect(tablet.locator(".toast-success")).to_be_visible()
        expect(new_lines(tablet)).to_have_count(0)
        expect(card(kds, TABLE)).to_have_count(1)
        expect(card(kds, TABLE).locator(".kds-line")).to_have_count(1)  # the wine is the bar's
        expect(card(kds, TABLE)).to_contain_text("Ciorbă de perișoare")
        [first] = tickets_at(db, check_id, "grill")
        wait_until(lambda: times_printed(grill_printer, first.id) == 1, timeout=10)
        [printed] = grill_printer.tickets
        assert b"MASA 5" in printed and b"Bon #%d\n" % first.id in printed
        # The printer has the bytes a moment before the worker writes the job done.
        wait_until(lambda: [job.status for job in print_jobs_of(db, first.id)]
                   == [PrintJobStatus.DONE], timeout=10)
        screenshot(calm(tablet), "service-1-tablet-sent")
        screenshot(calm(kds), "service-1-grill")

        # --- 2. the printer is unplugged: the next soup is on the screen at once ----------
        grill_printer.stop()
        waiter_orders_a_soup(tablet)
        waiter_taps_send(tablet)
        expect(card(kds, TABLE)).to_have_count(2, timeout=2000)  # a dead printer holds nothing
        expect(new_lines(tablet)).to_have_count(0)
        first, second = tickets_at(db, check_id, "grill")
        queued = wait_until(lambda: waiting_to_print(db, second.id), timeout=10)
        assert "127.0.0.1" in queued.last_error  # the printer's address refused it
        [alert] = wait_until(lambda: printer_alerts(db, printer_id), timeout=15)
        assert alert.cleared_at is None and alert.message["printer"] == PRINTER_NAME
        expect(expo.locator(".kds-alert")).to_have_text(
            f"Imprimanta „{PRINTER_NAME}” nu răspunde — bonurile nu se tipăresc.")
        assert times_printed(grill_printer, second.id) == 0
        expect(printer_state(office)).to_have_attribute("data-state", "offline")
        expect(printer_offline_alerts(office)).to_have_count(1)
        expect(printer_offline_alerts(office)).to_contain_text(PRINTER_NAME)
        screenshot(calm(expo), "service-2-expo-printer-alert")
        screenshot(office, "service-2-office-printer-offline")
        assert_laid_out(office, "[data-alerts] .office-alert, [data-acknowledge], "
                                "[data-printer-state], [data-live-state]")

        # --- 3. the server dies; Ana's third soup waits on her tablet ---------------------
        # Killed between two tries of the waiting ticket (a job caught mid-print is taken
        # up again at the restart: tests/kitchen/test_printers.py).
        wait_until(lambda: (job := waiting_to_print(db, second.id))
                   and job.next_attempt_at > utcnow(), timeout=10)
        server.kill()
        expect(tablet.locator("#live-status")).to_have_attribute("data-state", "offline")
        expect(kds.locator("#live-status")).to_have_attribute("data-state", "offline")
        expect(office_live(office)).to_have_attribute("data-state", "offline")
        waiter_orders_a_soup(tablet)
        expect(new_lines(tablet)).to_have_count(1)
        waiter_taps_send(tablet)
        banner = tablet.locator("#offline-banner")
        expect(banner).to_contain_text("Fără conexiune — 1 comandă va fi trimisă când Masa revine.")
        waiting = tablet.locator("[data-pending]")
        expect(waiting).to_contain_text("se trimite când revine")
        expect(waiting.locator(".line-pending")).to_have_count(1)
        expect(waiting).to_contain_text("Ciorbă de perișoare")
        [pending] = tablet.evaluate("window.masaTablet.outbox.pending()")
        third_send = pending["pending"]["client_id"]
        assert len(sends_of(db, check_id)) == 2  # it has not reached the server
        screenshot(calm(tablet), "service-3-tablet-waiting")
        screenshot(calm(kds), "service-3-grill-offline")

        server.start()  # the same port; nobody touches a screen
        expect(banner).to_be_hidden(timeout=20_000)
        expect(waiting).to_have_count(0)
        expect(tablet.locator("#live-status")).to_have_attribute("data-state", "live")
        expect(kds.locator("#live-status")).to_have_attribute("data-state", "live",
                                                               timeout=15_000)
        expect(card(kds, TABLE)).to_have_count(3, timeout=15_000)
        sends = sends_of(db, check_id)
        assert [send.client_id for send in sends].count(third_send) == 1 and len(sends) == 3
        assert ordered(db, check_id) == [(SOUP, 1, sends[0].id), (WINE, 1, sends[0].id),
                                         (SOUP, 1, sends[1].id), (SOUP, 1, sends[2].id)]
        grill = tickets_at(db, check_id, "grill")
        assert [t.send_id for t in grill] == [s.id for s in sends]
        assert card_ids(kds, TABLE) == [t.id for t in grill]  # each soup once on the grill
        expect(tablet.locator(".line-sent")).to_have_count(4)
        screenshot(calm(tablet), "service-3-tablet-sent-after-restart")
        screenshot(calm(kds), "service-3-grill-after-restart")

        # --- 4. the printer is plugged back in: the waiting tickets print, once -----------
        grill_printer.start()  # the same address
        third = grill[2]
        wait_until(lambda: times_printed(grill_printer, third.id), timeout=25)
        wait_until(lambda: times_printed(grill_printer, second.id), timeout=5)
        later = b"".join(grill_printer.tickets[1:])
        assert b"MASA 5" in later
        assert [times_printed(grill_printer, t.id) for t in grill] == [1, 1, 1]
        wait_until(lambda: all(job.status is PrintJobStatus.DONE
                               for t in grill for job in print_jobs_of(db, t.id)), timeout=5)
        assert [len(print_jobs_of(db, t.id)) for t in grill] == [1, 1, 1]
        expect(expo.locator(".kds-alert")).to_have_count(0, timeout=10_000)
        assert [a.cleared_at is not None for a in printer_alerts(db, printer_id)] == [True]
        # The back office came back with the server by itself, and heard the printer.
        expect(office_live(office)).to_have_attribute("data-state", "live")
        expect(printer_state(office)).to_have_attribute("data-state", "online")
        expect(printer_offline_alerts(office)).to_have_count(0)
        screenshot(office, "service-4-office-printer-back")

        # --- 5. cook, call, pick up --------------------------------------------------------
        for ticket in grill:
            cook_bumps(kds, ticket.id)
        expect(card(kds, TABLE)).to_have_count(0)
        expect(kds.locator(".kds-empty")).to_be_visible()
        starters = expo_group(expo, check_id).filter(has_text="Aperitive")
        expect(starters).to_have_attribute("data-state", "complete")
        expect(starters.locator("[data-ticket-id]")).to_have_count(3)
        screenshot(calm(kds), "service-5-grill-bumped")
        press(starters.locator("[data-ready]"))
        expect(starters).to_have_count(0)
        expect(expo.locator(".kds-pass-row")).to_contain_text("Aperitive")

        notice = tablet.locator(".ready-notice")
        expect(notice).to_have_count(1)
        expect(notice).to_contain_text(f"Masa {TABLE} — Aperitive gata")
        waiter_goes_to_the_floor(tablet)
        expect(table(tablet, TABLE)).to_have_attribute("data-state", "food_ready")
        screenshot(calm(tablet), "service-5-tablet-food-ready")
        screenshot(calm(expo), "service-5-expo-at-the-pass")
        assert_laid_out(tablet, ".ready-notice .ready-open, .ready-notice [data-picked-up]")
        assert_laid_out(expo, ".kds-pass-row, #live-status")

        press(notice.locator("[data-picked-up]"))
        expect(notice).to_have_count(0)
        expect(table(tablet, TABLE)).to_have_attribute("data-state", "ordered")
        expect(expo.locator(".kds-pass-row")).to_have_count(0)
        screenshot(calm(tablet), "service-5-tablet-picked-up")
        screenshot(calm(kds), "service-5-grill-end")
        # The table's own name and figures (its chairs stand outside it, by design).
        assert_laid_out(tablet, f'.plan [data-name="{TABLE}"] .table-inner > *, '
                                ".legend-item, #live-status")
        assert_laid_out(kds, "#live-status, .kds-recall [data-recall]")

        # --- 6. pay, clear ---------------------------------------------------------------
        counter = new_screen(browser, "kitchen", touch=False)[1]
        pages.append(counter)
        cashier_takes_cash(counter, base, check_id)
        expect(table(tablet, TABLE)).to_have_attribute("data-state", "paid")
        screenshot(calm(tablet), "service-6-tablet-paid")
        press(table(tablet, TABLE))
        press(tablet.locator('.dlg-choose [data-choice="guests-left"]'))
        expect(table(tablet, TABLE)).to_have_attribute("data-state", "needs_clearing")
        press(table(tablet, TABLE))
        press(tablet.locator('.dlg-choose [data-choice="clear"]'))
        expect(table(tablet, TABLE)).to_have_attribute("data-state", "free")
        screenshot(calm(tablet), "service-6-tablet-cleared")
        with db.reading() as session:
            check = session.get(Check, check_id)
            payments = session.scalars(select(Payment).where(Payment.check_id == check_id)).all()
            assert check.status is CheckStatus.PAID
            assert [(p.tender.value, p.amount) for p in payments] == [
                ("cash", check_totals(check, TaxMode.INCLUSIVE).total)]

        # Still once, a while after: the tablet's outbox kept nothing to send again.
        assert tablet.evaluate("window.masaTablet.outbox.pending().length") == 0
        assert len(sends_of(db, check_id)) == 3 and len(ordered(db, check_id)) == 4
        for page in (tablet, kds, expo, office):
            assert still_the_same_page(page)
            assert script_errors(page) == []
    finally:
        for page in (tablet, kds, expo, office, *pages):
            page.context.close()


def cashier_takes_cash(page, base: str, check_id: int) -> None:
    """The cashier signs in at the counter, opens the check and takes the whole of it in
    cash, the exact amount."""
    page.goto(base + "/cashier")
    type_pin(page, CASHIER)
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    press(page.locator(f'.check-row[data-check-id="{check_id}"]'))
    press(page.locator('.bill-card[data-bill="1"] [data-pay]'))
    dialog = page.locator(".dlg-pay")
    expect(dialog.locator('[data-tender="cash"]')).to_have_attribute("aria-checked", "true")
    press(dialog.locator('[data-note="exact"]'))
    press(dialog.locator("[data-pay-submit]"))
    expect(dialog.locator('[data-pay-done="check"]')).to_be_visible()
    assert_laid_out(page, ".dlg-pay [data-pay-finished], .dlg-pay .pay-done-title")


# --- a known bug: a station screen keeps a printer alert that has cleared ----------------------

def waiter_sends_by_api(base: str, pin: str, table_name: str, number: int) -> int:
    """Another tablet seats a table and sends one item: returns the check id."""
    waiter = requests.Session()
    assert waiter.post(base + "/api/v1/session", json={"pin": pin}, timeout=5).ok
    menu = waiter.get(base + "/api/v1/menu", timeout=5).json()
    floor = waiter.get(base + "/api/v1/floor", timeout=5).json()
    table_id = next(t["id"] for f in floor["floors"] for t in f["tables"]
                    if t["name"] == table_name)
    item_id = next(item["id"] for item in menu["items"] if item["number"] == number)
    check = waiter.post(base + "/api/v1/checks", json={
        "table_id": table_id, "guest_count": 2, "client_id": str(uuid.uuid4())}, timeout=5)
    assert check.status_code == 201, check.text
    sent = waiter.post(f"{base}/api/v1/checks/{check.json()['id']}/send", json={
        "client_id": str(uuid.uuid4()), "version": check.json()["version"],
        "lines": [{"item_id": item_id}]}, timeout=5)
    assert sent.status_code == 200, sent.text
    return check.json()["id"]


def test_a_grill_screen_started_while_its_printer_is_down_clears_the_alert_when_it_is_back(
        browser, server_process, db, grill_printer, screenshot):
    grill_printer.stop()  # unplugged before service: its address refuses connections
    printer_id = give_the_grill_a_printer(db, grill_printer.address)
    server = server_process.start()
    base = server.url
    expo = new_screen(browser, "kitchen", touch=True)[1]
    kds = new_screen(browser, "kitchen", touch=True)[1]
    try:
        manager_pairs_the_wall_screen(expo, base, "expo")
        waiter_sends_by_api(server.url, ANA, TABLE, SOUP)
        wait_until(lambda: printer_alerts(db, printer_id), timeout=15)
        alert_text = f"Imprimanta „{PRINTER_NAME}” nu răspunde — bonurile nu se tipăresc."
        expect(expo.locator(".kds-alert")).to_have_text(alert_text)

        # The grill's screen is switched on (or restarts) while the printer is still down.
        manager_pairs_the_wall_screen(kds, base, "grill")
        expect(card(kds, TABLE)).to_have_count(1)
        expect(kds.locator(".kds-alert")).to_have_text(alert_text)

        grill_printer.start()  # plugged back in: the ticket prints, the alert clears
        wait_until(lambda: b"MASA 5" in b"".join(grill_printer.tickets), timeout=25)
        wait_until(lambda: all(a.cleared_at is not None
                               for a in printer_alerts(db, printer_id)), timeout=5)
        expect(expo.locator(".kds-alert")).to_have_count(0)
        screenshot(calm(kds), "service-bug-grill-keeps-a-cleared-alert")
        expect(kds.locator(".kds-alert")).to_have_count(0, timeout=10_000)
        assert script_errors(kds) == [] and script_errors(expo) == []
    finally:
        for page in (expo, kds):
            page.context.close()
