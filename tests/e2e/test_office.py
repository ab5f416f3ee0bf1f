"""The back office in Chromium: a manager who signs in at the PIN pad lands on /office (each
role on its own screen), sees a card for every section and the same sections in the menu;
the page fits the office PC and a tablet either way up, in Romanian and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.screens import assert_laid_out, new_screen, type_pin

MANAGER, CASHIER = "9999", "6666"


@pytest.mark.parametrize(("language", "size"), [("ro", "kitchen"), ("en", "tablet-landscape"),
                                                ("ro", "tablet-portrait")])
def test_a_manager_signs_in_straight_into_the_back_office(browser, live_server, screenshot,
                                                          language, size):
    context, page = new_screen(browser, size, touch=size != "kitchen",
                               locale="ro-RO" if language == "ro" else "en-GB")
    try:
        page.goto(f"{live_server.url}/signin?lang={language}")
        type_pin(page, MANAGER)
        expect(page).to_have_url(live_server.url + "/office")
        cards = page.locator("[data-office-card]")
        expect(cards.first).to_be_visible()
        sections = page.locator(".office-nav [data-office-section]")
        assert sections.count() == cards.count() + 1  # the overview, then each section
        expect(page.locator('[data-office-section="home"]')).to_have_attribute(
            "aria-current", "page")
        assert_laid_out(page, ".office-head h1, .office-nav-link, [data-switch-staff], "
                              "[data-sign-out]")
        for index in range(cards.count()):  # the page scrolls to the last of them
            cards.nth(index).scroll_into_view_if_needed()
            assert_laid_out(page, f".office-cards > li:nth-child({index + 1}) "
                                  ":is(.office-card-title, .office-card-text)")
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"office-home-{language}-{size}")
        cards.first.click()
        expect(page).to_have_url(re.compile(r"/office/[a-z]+"))
        page.wait_for_load_state("domcontentloaded")  # its scripts listen by then
        page.locator("[data-sign-out]").click()  # the session ends on the server
        expect(page).to_have_url(re.compile(r"/signin\?next=%2Foffice$"))
        assert page.request.get(live_server.url + "/api/v1/session").status == 401
        assert page.js_errors == []
    finally:
        context.close()


def test_a_cashier_signing_in_lands_on_the_cashier_station(page, live_server):
    page.goto(live_server.url + "/signin")
    type_pin(page, CASHIER)
    expect(page).to_have_url(live_server.url + "/cashier")
