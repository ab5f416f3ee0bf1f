"""A manager's tablet hears what the back office hears: an ingredient that falls below its
reorder point (here, by waste posted from the office) shows as a warning on the manager's
tablet at once, in the ingredient's unit; a waiter's tablet says nothing."""

from __future__ import annotations

import requests
from playwright.sync_api import expect
from support import wait_until

from e2e.screens import SIZES, assert_laid_out, box, new_screen, overlaps, sign_in_on_tablet

MANAGER, WAITER = "9999", "1111"  # Andrei (ro), Ana (ro)
SHOTS = "/tmp/shots/tablet-alerts"




def office(base: str) -> requests.Session:
    session = requests.Session()
    answer = session.post(base + "/api/v1/session", json={"pin": MANAGER}, timeout=5)
    assert answer.status_code == 200, answer.text
    return session


def waste_below_the_reorder_point(base: str) -> dict:
    """Throw away all but a little of the first ingredient kept in kilos or grams."""
    manager = office(base)
    api = base + "/api/v1/inventory"
    ingredients = {i["id"]: i for i in manager.get(api + "/ingredients", timeout=5).json()}
    level = next(level for level in manager.get(api + "/levels", timeout=5).json()
                 if level["unit"] in ("kg", "g") and not level["below_reorder_point"]
                 and ingredients[level["ingredient_id"]]["reorder_point"])
    ingredient = ingredients[level["ingredient_id"]]
    thrown = round(level["quantity"] - ingredient["reorder_point"] / 2, 3)  # in its unit
    answer = manager.post(api + "/waste", timeout=5, json={
        "location_id": level["location_id"], "reason": "Spoiled",
        "lines": [{"ingredient_id": ingredient["id"], "quantity": thrown,
                   "unit": level["unit"]}]})
    assert answer.status_code in (200, 201), answer.text
    return ingredient


def test_a_low_ingredient_warns_the_managers_tablet_not_the_waiters(browser, live_server):
    manager = new_screen(browser, "tablet-landscape", touch=True)[1]
    waiter = new_screen(browser, "tablet-portrait", touch=True)[1]
    try:
        sign_in_on_tablet(manager, live_server.url, MANAGER)
        sign_in_on_tablet(waiter, live_server.url, WAITER)
        ingredient = waste_below_the_reorder_point(live_server.url)
        warning = manager.locator(".toast-warning")
        expect(warning).to_contain_text(f"{ingredient['names']['ro']} e pe terminate")
        expect(warning).to_contain_text(ingredient["unit"])
        for size in ("tablet-landscape", "tablet-portrait", "phone"):
            manager.set_viewport_size(SIZES[size])
            wait_until(lambda: manager.evaluate(  # measured once it has slid in
                "document.querySelector('.toast-warning').getAnimations().length") == 0)
            # A toast lets taps through (so the page's own check cannot see what it covers):
            # on the screen, its words whole, clear of the top bar's buttons.
            where, screen = box(warning), SIZES[size]
            assert where["left"] >= 0 and where["top"] >= 0, where
            assert where["right"] <= screen["width"] and where["bottom"] <= screen["height"]
            assert warning.evaluate("e => e.scrollWidth <= e.clientWidth")
            for action in ("#live-status", "[data-person-menu]", "[data-sign-out]"):
                assert not overlaps(where, box(manager.locator(action))), (size, action)
            assert_laid_out(manager, "#live-status, [data-person-menu], [data-sign-out]")
            manager.screenshot(path=f"{SHOTS}-{size}.png", animations="disabled")
        expect(waiter.locator(".toast-warning")).to_have_count(0)
        assert manager.js_errors == [] and waiter.js_errors == []
    finally:
        manager.context.close()
        waiter.context.close()
