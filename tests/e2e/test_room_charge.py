"""A dinner charged to room 204 from the tablet, in real Chromium: the bartender types the
room, taps the guest who signs, the guest signs on the screen, and the bill is paid with the
room tender; the folio holds the charge with its signature, and the front desk's open
folio for room 204 shows it without a reload. Past the stay's credit limit a
manager's PIN lets the charge through. Measured on a tablet and a phone, in both languages."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.screens import assert_laid_out, new_screen, press, sign_in_on_tablet, table, type_pin
from pos.hotel.models import FolioEntry, Stay
from pos.staff.models import StaffMember

BARTENDER, ANA, MANAGER, DESK = "4444", "1111", "9999", "8888"
SHOTS = Path("/tmp/shots/room")


def dinner_at(base: str, table_name: str) -> dict:
    """Ana sends a steak and a bottle to the table (the demo's 401 and 804)."""
    waiter = requests.Session()
    assert waiter.post(base + "/api/v1/session", json={"pin": ANA}, timeout=5).ok
    menu = waiter.get(base + "/api/v1/menu", timeout=5).json()
    items = {i["number"]: i for i in menu["items"]}
    choice = {m["names"]["en"]: m["id"] for g in menu["modifier_groups"] for m in g["modifiers"]}
    tables = {t["name"]: t["id"] for f in waiter.get(base + "/api/v1/floor", timeout=5).json()[
        "floors"] for t in f["tables"]}
    check = waiter.post(base + "/api/v1/checks", json={"table_id": tables[table_name],
                                                       "guest_count": 2}, timeout=5).json()
    sent = waiter.post(f"{base}/api/v1/checks/{check['id']}/send", json={
        "client_id": str(uuid.uuid4()), "version": check["version"], "lines": [
            {"item_id": items[401]["id"],
             "modifier_ids": [choice["Medium rare"], choice["French fries"]]},
            {"item_id": items[804]["id"]}]}, timeout=5)
    assert sent.status_code == 200, sent.text
    return {"id": check["id"], "total": sent.json()["totals"]["total"]}


def set_language(db, name: str, language: str) -> None:
    with db.transaction() as session:
        session.scalar(select(StaffMember).where(StaffMember.name == name)).language = language


def sign(page) -> None:
    """The guest's finger across the pad."""
    box = page.locator("[data-signature-pad]").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * box["width"] / 14,
                        box["y"] + box["height"] * (0.3 if step % 2 else 0.7))
    page.mouse.up()


def open_pay_to_room(page, table_name: str):
    press(table(page, table_name))
    press(page.locator("[data-check-menu]"))
    press(page.locator('.dlg-choose [data-choice="pay"]'))
    press(page.locator('.dlg-bills [data-pay="1"]'))
    dialog = page.locator(".dlg-pay")
    press(dialog.locator('[data-tender="room"]'))
    return dialog


@pytest.mark.parametrize("size,language", [("tablet-portrait", "ro"), ("phone", "en")])
def test_a_dinner_charged_to_room_204_is_signed_and_lands_on_the_folio(
        browser, live_server, db, size, language):
    set_language(db, "Ioana Dumitru", language)
    base = live_server.url
    check = dinner_at(base, "3")
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk_context, desk = new_screen(browser, "kitchen", touch=False)
    context, page = new_screen(browser, size, locale="ro-RO" if language == "ro" else "en-GB")
    try:
        desk.goto(base + "/desk")
        type_pin(desk, DESK)
        expect(desk.locator("#live-status")).to_have_attribute("data-state", "live")
        press(desk.locator('.stay-row[data-room="204"] .stay-open'))
        expect(desk.locator("[data-folio-balance]")).to_have_attribute("data-balance", "0")
        sign_in_on_tablet(page, base, BARTENDER)
        dialog = open_pay_to_room(page, "3")
        dialog.locator("[data-reference]").fill("204")
        guest = dialog.locator('[data-guest="Gabriela Dobre"]')
        expect(guest).to_be_visible()
        expect(dialog.locator("[data-pay-submit]")).to_be_enabled()  # the only guest: chosen
        expect(guest).to_have_attribute("aria-checked", "true")
        dialog.locator("[data-signature-pad]").scroll_into_view_if_needed()
        sign(page)
        expect(dialog.locator("[data-signature-pad]")).to_have_attribute("data-signed", "1")
        for part in ("[data-guest]", "[data-signature-pad]", "[data-signature-clear]"):
            dialog.locator(part).scroll_into_view_if_needed()
            assert_laid_out(page, f".dlg-pay {part}")
        page.screenshot(path=str(SHOTS / f"{size}-{language}-signed.png"))
        dialog.locator("[data-pay-submit]").scroll_into_view_if_needed()
        press(dialog.locator("[data-pay-submit]"))
        expect(dialog.locator('[data-pay-done="check"]')).to_be_visible()
        page.screenshot(path=str(SHOTS / f"{size}-{language}-paid.png"))
        charge = desk.locator('.entry[data-kind="charge"]')  # live, no reload
        expect(charge).to_have_attribute("data-check-id", str(check["id"]))
        expect(desk.locator("[data-folio-balance]")).to_have_attribute(
            "data-balance", str(check["total"]))
        expect(charge.locator("[data-signed-by]")).to_have_attribute(
            "data-signed-by", "Gabriela Dobre")
        desk.screenshot(path=str(SHOTS / f"desk-204-live-{language}.png"))
        with db.reading() as session:
            entry = session.scalar(select(FolioEntry).where(
                FolioEntry.check_id == check["id"]))
            stay = session.get(Stay, entry.stay_id)
            assert stay.room.number == "204" and entry.amount == check["total"]
            assert entry.signature.startswith(b"\x89PNG")
            assert [line["quantity"] for line in entry.lines] == [1, 1]
        assert page.js_errors == [] and desk.js_errors == []
    finally:
        context.close()
        desk_context.close()


def test_found_by_name_past_the_credit_limit_a_managers_pin_lets_the_charge_through(
        browser, live_server, db):
    base = live_server.url
    with db.transaction() as session:
        stay = session.scalar(select(Stay).where(Stay.room.has(number="204")))
        stay.credit_limit = 50_00
    dinner_at(base, "4")
    context, page = new_screen(browser, "tablet-landscape")
    try:
        sign_in_on_tablet(page, base, BARTENDER)
        dialog = open_pay_to_room(page, "4")
        dialog.locator("[data-reference]").fill("dobre")  # by the guest's name this time
        guest = dialog.locator('[data-guest="Gabriela Dobre"]')
        expect(guest).to_have_attribute("aria-checked", "true")
        expect(guest).to_have_attribute("data-room", "204")
        press(dialog.locator("[data-pay-submit]"))
        pin = dialog.locator("[data-room-manager-pin]")
        expect(pin).to_be_visible()
        expect(dialog.locator("[data-pay-message]")).not_to_be_empty()
        assert_laid_out(page, ".dlg-pay [data-room-manager-pin]")
        dialog.locator("[data-pay-message]").scroll_into_view_if_needed()
        assert_laid_out(page, ".dlg-pay [data-pay-message]")
        page.screenshot(path=str(SHOTS / "tablet-landscape-ro-over-limit.png"))
        pin.fill(MANAGER)
        press(dialog.locator("[data-pay-submit]"))
        expect(dialog.locator('[data-pay-done="check"]')).to_be_visible()
        with db.reading() as session:
            approver = session.scalar(select(FolioEntry.approved_by_id))
            assert approver == session.scalar(select(StaffMember.id).where(
                StaffMember.name == "Andrei Matei"))
        assert page.js_errors == []
    finally:
        context.close()
