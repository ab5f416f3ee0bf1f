"""The floor editor (/office/floor) in Chromium. A manager at the office PC drags table 5 to
a new place with the mouse and renames it; Ana's tablet, open on the floor plan in another
browser, shows the table in its new place under its new name without a reload. The editor
is measured and photographed at 1920×1080 and 1024×768 in Romanian and English (and
768×1024 in Romanian)."""

from __future__ import annotations

import re
from pathlib import Path

from factories import make_staff
from playwright.sync_api import expect

from e2e.screens import SIZES, assert_laid_out, new_screen, sign_in_on_tablet, type_pin
from pos.core.auth import Role

WAITER, MANAGER = "1111", "9999"
SHOTS = Path("/tmp/shots/office-floor")
# Measured a part at a time, each scrolled into view: the plan, the table, the sections.
PARTS = {
    ".fe-head": ".fe-head h1, .fe-tab, [data-add-floor], .fe-table-name",
    "[data-table-card]": "[data-add-table], [data-table-card] .fe-field > span, "
                         "[data-table-card] .fe-field input, [data-table-card] .fe-field select, "
                         "[data-table-card] .fe-actions .button",
    "[data-sections-card]": "[data-sections-card] h2, .fe-section-name, .fe-chip, "
                            "[data-add-section-form] *",
}


def open_editor(page, base: str, pin: str) -> None:
    page.goto(f"{base}/signin?next=/office/floor")
    type_pin(page, pin)
    expect(page).to_have_url(re.compile(r"/office/floor$"))
    expect(page.locator("[data-floor-editor][data-ready]")).to_be_attached()


def drag(page, locator, dx: float, dy: float) -> None:
    """Press on the element's middle, move in steps as a hand does, let go."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def test_a_manager_moves_and_renames_a_table_and_the_tablet_follows(browser, live_server, db):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    tablet_context, tablet = new_screen(browser, "tablet-landscape")
    office_context, office = new_screen(browser, "kitchen", touch=False)
    try:
        sign_in_on_tablet(tablet, base, WAITER)
        tablet.evaluate("window.notReloaded = true")
        on_tablet = tablet.locator('.plan [data-name="5"]')
        beside = tablet.locator('.plan [data-name="4"]')
        assert abs(on_tablet.bounding_box()["y"] - beside.bounding_box()["y"]) < 4

        open_editor(office, base, MANAGER)
        table = office.locator('.fe-plan [data-name="5"]')
        plan_width = office.locator("[data-plan]").bounding_box()["width"]
        units = plan_width / 100  # pixels per plan unit
        with office.expect_response(lambda r: r.request.method == "PATCH") as answer:
            drag(office, table, 4 * units, 65 * units)  # 4 units right, 65 down: a free spot
        assert answer.value.status == 200
        placed = answer.value.json()
        assert (placed["x"], placed["y"]) == (70, 70)  # from (66, 5)
        expect(office.locator("[data-message]")).to_have_attribute("data-kind", "success")

        form = office.locator("[data-table-form]")
        expect(form.locator('[name="x"]')).to_have_value("70")
        form.locator('[name="name"]').fill("5T")
        with office.expect_response(lambda r: r.request.method == "PATCH") as answer:
            form.locator("[data-save-table]").click()
        assert answer.value.status == 200
        expect(office.locator('.fe-plan [data-name="5T"]')).to_be_visible()
        office.screenshot(path=str(SHOTS / "ro-1920x1080-table-chosen.png"))

        # Ana's tablet: the same table, renamed, now far below table 4; no reload.
        moved = tablet.locator('.plan [data-name="5T"]')
        expect(moved).to_be_visible()
        expect(tablet.locator('.plan [data-name="5"]')).to_have_count(0)
        assert moved.bounding_box()["y"] > beside.bounding_box()["y"] + 200
        assert tablet.evaluate("window.notReloaded") is True
        tablet.screenshot(path=str(SHOTS / "tablet-after-move.png"))

        # The chosen table's corner handle resizes it, its round handle turns it.
        with office.expect_response(lambda r: r.request.method == "PATCH") as answer:
            drag(office, office.locator('[data-name="5T"] .fe-resize'), 5 * units, 3 * units)
        assert (answer.value.json()["width"], answer.value.json()["height"]) == (15, 13)
        centre = office.locator('.fe-plan [data-name="5T"]').bounding_box()
        knob = office.locator('[data-name="5T"] .fe-rotate').bounding_box()
        with office.expect_response(lambda r: r.request.method == "PATCH") as answer:
            drag(office, office.locator('[data-name="5T"] .fe-rotate'),
                 centre["x"] + centre["width"] / 2 + 150 - (knob["x"] + knob["width"] / 2),
                 centre["y"] + centre["height"] / 2 - (knob["y"] + knob["height"] / 2))
        assert answer.value.json()["rotation"] == 90
        expect(moved).to_have_css("rotate", "90deg")  # the tablet turns it too

        # A change made elsewhere (another manager, the API) reaches the open editor too.
        four = office.locator('.fe-plan [data-name="4"]')
        four_id = four.get_attribute("data-table-id")
        assert office.request.patch(f"{base}/api/v1/tables/{four_id}",
                                    data={"name": "4B"}).status == 200
        expect(office.locator('.fe-plan [data-name="4B"]')).to_be_visible()
        expect(tablet.locator('.plan [data-name="4B"]')).to_be_visible()

        # A turn past a full circle is refused, the field marked.
        form.locator('[name="rotation"]').fill("400")
        form.locator("[data-save-table]").click()
        expect(form.locator('[name="rotation"]')).to_have_attribute("aria-invalid", "true")
        expect(office.locator("[data-message]")).to_have_attribute("data-kind", "error")
        assert office.js_errors == [] and tablet.js_errors == []
    finally:
        office_context.close()
        tablet_context.close()

    english = make_staff(db, Role.MANAGER, language="en")
    screens = {"ro": ("kitchen", "tablet-landscape", "tablet-portrait"),
               "en": ("kitchen", "tablet-landscape")}
    for language, pin in (("ro", MANAGER), ("en", english.pin)):
        for size in screens[language]:
            context, page = new_screen(browser, size, touch=size != "kitchen",
                                       locale="ro-RO" if language == "ro" else "en-GB")
            try:
                open_editor(page, base, pin)
                page.locator('.fe-plan [data-name="3"]').click()
                expect(page.locator("[data-table-form]")).to_be_visible()
                viewport = SIZES[size]
                name = f"{language}-{viewport['width']}x{viewport['height']}"
                if size != "tablet-portrait":  # upright, the menu is a strip that scrolls
                    assert_laid_out(page, ".office-nav-link")
                page.screenshot(path=str(SHOTS / f"{name}.png"))
                for part, measured in PARTS.items():
                    page.locator(part).scroll_into_view_if_needed()
                    assert_laid_out(page, measured)
                page.screenshot(path=str(SHOTS / f"{name}-sections.png"))
                assert page.js_errors == []
            finally:
                context.close()
