"""86 from the tablet, and the person's own time clock: a bartender (a role with MENU_86)
holds a finger on a tile and marks it out, counts its portions or puts it back on, and every
other tablet shows it at once; a waiter's long press still opens the line's options. The
chip with one's name clocks in, takes a break and clocks out. The sheets are measured on a
tablet both ways and on a phone, in Romanian and in English."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from e2e.screens import (
    SIZES,
    assert_laid_out,
    box,
    new_screen,
    press,
    seat_table,
    sign_in_on_tablet,
)
from pos.staff.models import StaffMember, WorkBreak, WorkShift

BARTENDER, WAITER, ADMIN = "4444", "1111", "123456"  # Ioana (ro), Ana (ro), Admin (en)
TIRAMISU, CREME = 605, 606
DESSERTS = {"ro": "Deserturi", "en": "Desserts"}
MEASURED = ("tablet-landscape", "tablet-portrait", "phone")
SHOTS = "/tmp/shots/tablet86"


def tile(page, number: int):
    return page.locator(f'.item-tile[data-number="{number}"]')


def open_desserts(page, lang: str = "ro") -> None:
    press(page.locator(".category", has_text=DESSERTS[lang]))
    expect(tile(page, TIRAMISU)).to_be_visible()


def long_press(page, locator, opens: str) -> None:
    """Hold a finger (here the mouse) on the tile until ``opens`` shows."""
    locator.scroll_into_view_if_needed()
    where = box(locator)
    page.mouse.move(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    page.mouse.down()
    expect(page.locator(opens)).to_be_visible()
    page.mouse.up()


def measured(page, dialog: str, name: str) -> None:
    """The open sheet at each size: nothing cut, off-screen or covered; a screenshot each."""
    for size in MEASURED:
        page.set_viewport_size(SIZES[size])
        page.wait_for_timeout(150)  # the layout settles (nothing is asserted on time)
        assert_laid_out(page, f"{dialog} .choice, {dialog} .dlg-title, {dialog} .dlg-subtitle")
        page.screenshot(path=f"{SHOTS}/{name}-{size}.png", animations="disabled")
    page.set_viewport_size(SIZES["tablet-landscape"])


def clock_action(page, action: str) -> None:
    press(page.locator("[data-person-menu]"))
    press(page.locator(f'.dlg-time-clock [data-choice="{action}"]'))
    expect(page.locator(".dlg-time-clock")).to_have_count(0)
    expect(page.locator(".toast-success")).to_be_visible()


def test_a_bartender_86s_on_one_tablet_every_tablet_sees_it_and_clocks_in_and_out(
        browser, live_server, db):
    base = live_server.url
    bar_context, bar = new_screen(browser, "tablet-landscape")
    waiter_context, waiter = new_screen(browser, "tablet-portrait")
    admin_context, admin = new_screen(browser, "tablet-landscape", locale="en-GB")
    try:
        sign_in_on_tablet(bar, base, BARTENDER)
        seat_table(bar, "8", 2)
        open_desserts(bar)
        sign_in_on_tablet(waiter, base, WAITER)
        seat_table(waiter, "3", 2)
        open_desserts(waiter)

        # The bartender holds the tiramisu: out, on this tablet and the waiter's at once.
        long_press(bar, tile(bar, TIRAMISU), ".dlg-availability")
        expect(bar.locator(".dlg-availability .choice")).to_have_count(3)  # 86, portions, choices
        measured(bar, ".dlg-availability", "ro-86-sheet")
        press(bar.locator('.dlg-availability [data-choice="out"]'))
        expect(bar.locator(".toast-success")).to_contain_text("Tiramisu")
        expect(tile(waiter, TIRAMISU)).to_have_class("item-tile is-out")
        expect(tile(bar, TIRAMISU)).to_have_attribute("aria-disabled", "true")
        bar.screenshot(path=f"{SHOTS}/ro-bar-tile-out.png", animations="disabled")

        # The waiter's tap on it adds nothing and says why; their long press is today's:
        # the line's options, never the 86 sheet.
        tile(waiter, TIRAMISU).tap(force=True)  # aria-disabled: Playwright waits otherwise
        expect(waiter.locator(".toast-error")).to_contain_text("Tiramisu")
        expect(waiter.locator("[data-new-lines] .line-new")).to_have_count(0)
        long_press(waiter, tile(waiter, CREME), ".dlg-item")
        expect(waiter.locator(".dlg-availability")).to_have_count(0)
        press(waiter.locator(".dlg-item .dlg-close"))

        # A long press on the 86'd tile brings it back; then three portions are left.
        long_press(bar, tile(bar, TIRAMISU), ".dlg-availability")
        expect(bar.locator('.dlg-availability [data-choice="out"]')).to_have_count(0)
        press(bar.locator('.dlg-availability [data-choice="back"]'))
        expect(tile(waiter, TIRAMISU)).to_have_class("item-tile")
        long_press(bar, tile(bar, TIRAMISU), ".dlg-availability")
        press(bar.locator('.dlg-availability [data-choice="count"]'))
        press(bar.locator('.dlg-quantity [data-qty-key="3"]'))
        press(bar.locator(".dlg-quantity [data-qty-ok]"))
        expect(tile(waiter, TIRAMISU).locator('[data-badge="left"]')).to_contain_text("3")

        # The bartender's own clock: in, a break, back, out; the chip shows where they stand.
        chip = bar.locator("[data-person-menu]")
        clock_action(bar, "clock-in")
        expect(chip).to_have_attribute("data-clock", "in")
        press(chip)
        expect(bar.locator(".dlg-time-clock [data-choice]")).to_have_count(2)
        measured(bar, ".dlg-time-clock", "ro-clock-in")
        press(bar.locator(".dlg-time-clock .dlg-close"))
        clock_action(bar, "break-start")
        expect(chip).to_have_attribute("data-clock", "break")
        clock_action(bar, "break-end")
        clock_action(bar, "clock-out")
        expect(chip).to_have_attribute("data-clock", "out")
        with db.reading() as session:
            ioana = session.scalar(select(StaffMember.id)
                                   .where(StaffMember.name == "Ioana Dumitru"))
            [shift] = session.scalars(select(WorkShift).where(WorkShift.staff_id == ioana))
            assert shift.clocked_out_at is not None
            [pause] = session.scalars(select(WorkBreak).where(WorkBreak.shift_id == shift.id))
            assert pause.ended_at is not None

        # In English: the sheet and the clock, measured the same way.
        sign_in_on_tablet(admin, base, ADMIN)
        press(admin.locator('.plan [data-name="5"]'))
        press(admin.locator('.dlg-guests [data-guests="2"]'))
        expect(admin.locator("[data-check-title]")).to_have_text("Table 5")
        open_desserts(admin, "en")
        long_press(admin, tile(admin, CREME), ".dlg-availability")
        measured(admin, ".dlg-availability", "en-86-sheet")
        press(admin.locator(".dlg-availability .dlg-close"))
        for size in MEASURED:  # the chip in the top bar, clear of the other buttons
            admin.set_viewport_size(SIZES[size])
            admin.wait_for_timeout(150)
            assert_laid_out(admin, "[data-person-menu], [data-sign-out], #live-status")
        admin.set_viewport_size(SIZES["tablet-landscape"])
        press(admin.locator("[data-person-menu]"))
        expect(admin.locator(".dlg-time-clock .dlg-subtitle")).to_have_text("Not clocked in")
        measured(admin, ".dlg-time-clock", "en-clock-out")
        assert bar.js_errors == [] and waiter.js_errors == [] and admin.js_errors == []
    finally:
        for context in (bar_context, waiter_context, admin_context):
            context.close()
