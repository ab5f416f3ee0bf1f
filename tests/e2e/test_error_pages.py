"""Error pages in Chromium: a screen announced but not built yet and an unknown page, in
Romanian and English, on a landscape tablet and a phone; nothing cut, off-screen or
covered, and the way back works."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.screens import assert_laid_out, new_screen, press

PARTS = ".message-icon, .message-card h1, .message-text, .message-actions a, .message-detail"
SIZES = {"tablet-landscape": {"width": 1024, "height": 768},
         "phone": {"width": 390, "height": 844}}
TITLES = {  # /later: a screen announced, not built yet, titled as the back office
    ("/later", "ro"): "Ecranul „Administrare” nu este încă disponibil",
    ("/later", "en"): "Back office is not available yet",
    ("/no/such/page", "ro"): "Această pagină nu există",
    ("/no/such/page", "en"): "This page does not exist",
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["ro", "en"])
@pytest.mark.parametrize("path", ["/later", "/no/such/page"])
def test_an_error_page_is_laid_out_and_leads_back(browser, live_server, screenshot, size,
                                                  language, path, a_screen_not_built_yet):
    context, page = new_screen(browser, SIZES[size], locale=f"{language}-RO")
    answer = page.goto(f"{live_server.url}{path}?lang={language}")
    assert answer.status == 404
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(TITLES[path, language])
    assert_laid_out(page, PARTS)
    for target in page.locator(".message-actions a").all():
        assert target.bounding_box()["height"] >= 44  # a finger's target
    screenshot(page, f"error-{'later' if path == '/later' else 'unknown'}-{language}-{size}")
    assert page.js_errors == []
    press(page.locator('[data-action="start"]'))
    expect(page).to_have_url(live_server.url + "/")
    context.close()


def test_the_page_a_screen_came_from_is_one_tap_away(browser, live_server):
    context, page = new_screen(browser, SIZES["phone"])
    page.goto(live_server.url + "/signin")
    page.evaluate("location.assign('/no-such-screen')")
    expect(page.locator("h1")).to_have_text("Această pagină nu există")
    press(page.locator('[data-action="back"]'))
    expect(page).to_have_url(live_server.url + "/signin")
    context.close()
