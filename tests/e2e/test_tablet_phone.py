"""The waiter's screen on a phone (390×844), in Romanian and English: a whole order taken
with a thumb — seat a table, a starter, a main with its forced choices, a drink, Send —
measured at every step: nothing off-screen, no label cut, nothing covering an action, and
every target at least 44×44 px. The phone's stylesheet must leave the tablets as they were."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from e2e.screens import SIZES, layout_problems, new_screen, press, sign_in_on_tablet, table

ANA, JOHN = "1111", "3333"  # Ana works in Romanian, John in English
MIN_TARGET = 44

ORDER = {  # what each waiter orders, in their language
    "ro": {"pin": ANA, "table": "Masa 5", "starters": "Aperitive", "mains": "Feluri principale",
           "drinks": "Vin & bere", "doneness": "Mediu", "side": "Cartofi țărănești",
           "drink": "Bere blondă", "seat_2": "L2", "sent": "3 produse"},
    "en": {"pin": JOHN, "table": "Table 5", "starters": "Starters", "mains": "Mains (grill)",
           "drinks": "Wine & beer", "doneness": "Medium", "side": "Country-style potatoes",
           "drink": "Draught lager", "seat_2": "S2", "sent": "3 items"},
}

# What a waiter reads or taps: each must be whole, on screen and uncovered.
LAID_OUT = ("button, a[href], input, [role=tab], h1, h2, .table-name, .table-meta, "
            ".item-name, .item-price, .category-name, .line-name, .money-line, .legend-item, "
            ".plan-section, .strip-title, .phone-tab-label, .item-allergens, .line-mods, "
            ".dlg-title")
TAPPABLE = "button, a[href], input:not([type=hidden]), select, textarea, [role=tab], [role=button]"

_VISIBLE = """(element) => {
  const style = getComputedStyle(element), box = element.getBoundingClientRect();
  return style.visibility !== "hidden" && style.display !== "none" && box.width > 0
    && box.height > 0;
}"""

_MARK = f"""(selector) => {{
  const visible = {_VISIBLE};
  const found = [...document.querySelectorAll(selector)].filter(visible);
  found.forEach((element, i) => {{ element.dataset.probe = String(i); }});
  return found.length;
}}"""

_SMALL = f"""([selector, least]) => {{
  const visible = {_VISIBLE};
  return [...document.querySelectorAll(selector)].filter(visible).map((element) => {{
    const box = element.getBoundingClientRect();
    const name = (element.textContent || element.getAttribute("aria-label") || element.tagName)
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    return box.width < least - 0.5 || box.height < least - 0.5
      ? `${{name}}: ${{Math.round(box.width)}}×${{Math.round(box.height)}}` : null;
  }}).filter(Boolean);
}}"""


# Cut below (a name clamped to two lines), or by a box round it that hides what overflows
# (a dialog's frame, a card).
_CLIPPED = """(element) => {
  const box = element.getBoundingClientRect();
  const name = (element.textContent || element.getAttribute("aria-label") || element.tagName)
    .trim().replace(/\\s+/g, " ").slice(0, 40);
  const overflowY = getComputedStyle(element).overflowY;
  if (element.scrollHeight > element.clientHeight + 1 && overflowY !== "auto" &&
      overflowY !== "scroll") {
    return [`cut below: ${name} (${element.scrollHeight} > ${element.clientHeight})`];
  }
  for (let outer = element.parentElement; outer; outer = outer.parentElement) {
    if (getComputedStyle(outer).overflow === "visible") continue;
    const frame = outer.getBoundingClientRect();
    if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 ||
        box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5) {
      return [`clipped: ${name} by ${outer.className || outer.tagName}`];
    }
  }
  return [];
}"""


# Two things a waiter reads or taps lying over each other (as the tables' labels did), each
# taken as far as the boxes round it that hide what overflows (a list scrolled) let it show.
_OVERLAPS = f"""(selector) => {{
  const visible = {_VISIBLE};
  const shown = (element) => {{
    let {{ left, top, right, bottom }} = element.getBoundingClientRect();
    for (let outer = element.parentElement; outer; outer = outer.parentElement) {{
      if (getComputedStyle(outer).overflow === "visible") continue;
      const frame = outer.getBoundingClientRect();
      left = Math.max(left, frame.left); top = Math.max(top, frame.top);
      right = Math.min(right, frame.right); bottom = Math.min(bottom, frame.bottom);
    }}
    return {{ left, top, right, bottom }};
  }};
  const name = (element) => (element.textContent || element.getAttribute("aria-label") ||
    element.tagName).trim().replace(/\\s+/g, " ").slice(0, 30);
  const elements = [...document.querySelectorAll(selector)].filter(visible);
  const boxes = elements.map(shown);
  const problems = [];
  elements.forEach((one, i) => elements.slice(i + 1).forEach((other, k) => {{
    if (one.contains(other) || other.contains(one)) return;
    const a = boxes[i], b = boxes[i + 1 + k];
    const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (across > 1 && down > 1) problems.push(`overlap: ${{name(one)}} / ${{name(other)}}`);
  }}));
  return problems;
}}"""


# --- measuring ------------------------------------------------------------------------------

def scope_of(page) -> str:
    """An open dialog is the whole screen; else the page."""
    return "dialog[open] " if page.locator("dialog[open]").count() else ""


def layout_of(page) -> list[str]:
    """The layout probe on everything a waiter reads or taps, each scrolled into view in its
    own list first (a list that scrolls is not off-screen), then put back."""
    scope = scope_of(page)
    selector = ", ".join(f"{scope}{part.strip()}" for part in LAID_OUT.split(","))
    problems = page.evaluate(_OVERLAPS, selector)
    for i in range(page.evaluate(_MARK, selector)):
        probe = f'[data-probe="{i}"]'
        page.locator(probe).evaluate(
            "element => element.scrollIntoView({block: 'center', inline: 'center'})")
        problems += layout_problems(page, probe) + page.locator(probe).evaluate(_CLIPPED)
    page.evaluate("""() => {
      document.querySelectorAll("[data-probe]").forEach((e) => delete e.dataset.probe);
      document.querySelectorAll(".items, .ticket-lines, .floor-main, .categories")
        .forEach((list) => list.scrollTo(0, 0));
    }""")
    return problems


def small_targets(page) -> list[str]:
    scope = scope_of(page)
    selector = ", ".join(f"{scope}{part.strip()}" for part in TAPPABLE.split(","))
    return page.evaluate(_SMALL, [selector, MIN_TARGET])


def check_step(page, screenshot, name: str) -> None:
    """One step of the order: looked at (a screenshot) and measured."""
    page.wait_for_timeout(300)  # let a dialog or a tab finish opening
    screenshot(page, name)
    problems = layout_of(page)
    assert problems == [], f"{name}: {problems}"
    small = small_targets(page)
    assert small == [], f"{name}: smaller than {MIN_TARGET} px: {small}"
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES["phone"]["width"], name


def quiet(page) -> None:
    """A toast has said its piece (it lets taps through; the screenshot shows the screen)."""
    page.evaluate("document.getElementById('toasts').replaceChildren()")


# --- the order --------------------------------------------------------------------------------

def item(page, number: int):
    return page.locator(f'.items [data-number="{number}"]')


@pytest.mark.parametrize("language", ["ro", "en"])
def test_a_waiter_takes_a_whole_order_on_a_phone(browser, live_server, screenshot, language):
    words = ORDER[language]
    base = live_server.url
    context, page = new_screen(browser, "phone", locale=f"{language}-RO")
    try:
        sign_in_on_tablet(page, base, words["pin"])
        expect(page.locator("html")).to_have_attribute("lang", language)
        # The floor: tables as cards by section, each big enough for a thumb.
        expect(page.locator(".plan.is-list .plan-section").first).to_be_visible()
        expect(page.locator("[data-sign-out]")).to_be_in_viewport()
        check_step(page, screenshot, f"phone-{language}-floor")

        press(table(page, "5"))
        expect(page.locator(".dlg-guests")).to_be_visible()
        check_step(page, screenshot, f"phone-{language}-guests")
        press(page.locator('.dlg-guests [data-guests="3"]'))
        expect(page.locator("[data-check-title]")).to_have_text(words["table"])

        # The menu pane: a compact list; Send reachable without leaving it.
        tabs = page.locator(".phone-tabs")
        expect(tabs.locator('[data-phone-pane="menu"]')).to_have_attribute("aria-selected", "true")
        expect(page.locator(".ticket-lines")).to_be_hidden()
        expect(page.locator("[data-send]")).to_be_in_viewport()
        # The categories are one row here, and say so to a screen reader.
        expect(page.locator("[data-categories]")).to_have_attribute("aria-orientation",
                                                                    "horizontal")
        check_step(page, screenshot, f"phone-{language}-menu")

        press(page.locator(".category", has_text=words["starters"]))
        press(item(page, 202))
        expect(tabs.locator(".phone-tab-count")).to_have_text("1")
        visible_items = page.evaluate("""() => {
          const list = document.querySelector(".items").getBoundingClientRect();
          return [...document.querySelectorAll(".items .item-tile")].filter((tile) => {
            const box = tile.getBoundingClientRect();
            return box.top >= list.top - 0.5 && box.bottom <= list.bottom + 0.5;
          }).length;
        }""")
        assert visible_items >= 6, visible_items
        check_step(page, screenshot, f"phone-{language}-starter")

        # The main asks for its cooking degree and side before it goes on the check.
        press(page.locator(".category", has_text=words["mains"]))
        press(item(page, 401))
        dialog = page.locator(".dlg-item")
        expect(dialog).to_be_visible()
        check_step(page, screenshot, f"phone-{language}-main-choices")
        press(dialog.locator(".choice-chip", has_text=words["doneness"]).first)
        press(dialog.locator(".choice-chip", has_text=words["side"]))
        add = dialog.locator("[data-add]")
        expect(add).to_be_enabled()
        check_step(page, screenshot, f"phone-{language}-main-chosen")
        press(add)
        expect(dialog).to_have_count(0)
        expect(tabs.locator(".phone-tab-count")).to_have_text("2")

        # The drink for seat 2, chosen without leaving the menu.
        press(page.locator('.seat-bar [data-seat="2"]'))
        press(page.locator(".category", has_text=words["drinks"]))
        press(item(page, 806))
        expect(tabs.locator(".phone-tab-count")).to_have_text("3")
        expect(page.locator("[data-send-count]")).to_have_text("3")
        check_step(page, screenshot, f"phone-{language}-drink")

        # The check pane: the order as it stands, Send and the total under the thumb.
        press(tabs.locator('[data-phone-pane="order"]'))
        expect(page.locator(".menu-pane")).to_be_hidden()
        expect(page.locator("[data-new-lines] .line-new")).to_have_count(3)
        expect(page.locator("[data-new-lines] .line-new", has_text=words["drink"])
               .locator(".line-seat")).to_have_text(words["seat_2"])
        check_step(page, screenshot, f"phone-{language}-order")

        press(page.locator("[data-send]"))
        expect(page.locator(".toast-success")).to_contain_text(words["sent"])
        expect(page.locator("[data-new-lines] .line-new")).to_have_count(0)
        expect(tabs.locator(".phone-tab-count")).to_be_hidden()
        screenshot(page, f"phone-{language}-sent-toast")
        quiet(page)
        check_step(page, screenshot, f"phone-{language}-sent")

        check_id = int(re.search(r"#/check/(\d+)$", page.url).group(1))
        assert [line["status"] for line in sent_lines(base, words["pin"], check_id)] == ["sent"] * 3

        # Back on the floor, the table shows it is ordered.
        press(page.locator("[data-back]"))
        expect(table(page, "5")).to_have_attribute("data-state", "ordered")
        quiet(page)
        check_step(page, screenshot, f"phone-{language}-floor-after")
        assert page.js_errors == []
    finally:
        context.close()


def sent_lines(base: str, pin: str, check_id: int) -> list[dict]:
    session = requests.Session()
    assert session.post(base + "/api/v1/session", json={"pin": pin}, timeout=5).status_code == 200
    check = session.get(f"{base}/api/v1/checks/{check_id}", timeout=5).json()
    return check["lines"]


# --- the tablets keep their layout ---------------------------------------------------------------

_PHONE_RULES_APPLY = """() => {
  const sheet = [...document.styleSheets]
    .find((s) => s.href && s.href.includes("tablet-phone.css"));
  if (!sheet) return "not loaded";
  return [...sheet.cssRules].filter((rule) => !(rule instanceof CSSMediaRule)
    || window.matchMedia(rule.conditionText).matches).map((rule) => rule.cssText.slice(0, 60));
}"""


@pytest.mark.parametrize("size", ["tablet-landscape", "tablet-portrait"])
def test_the_phone_layout_leaves_a_tablet_as_it_was(browser, live_server, size):
    context, page = new_screen(browser, size)
    try:
        sign_in_on_tablet(page, live_server.url, ANA)
        assert page.evaluate(_PHONE_RULES_APPLY) == []
        # The plan is drawn, not listed; the order screen has no tab bar.
        expect(page.locator(".plan")).not_to_have_class(re.compile("is-list"))
        expect(page.locator(".plan .plan-section")).to_have_count(0)
        assert table(page, "5").evaluate("e => getComputedStyle(e).position") == "absolute"
        expect(table(page, "5").locator(".chair")).to_have_count(4)
        press(table(page, "5"))
        press(page.locator('.dlg-guests [data-guests="2"]'))
        expect(page.locator("[data-check-title]")).to_be_visible()
        expect(page.locator(".phone-tabs")).to_be_hidden()
        expect(page.locator("[data-categories]")).to_have_attribute("aria-orientation",
                                                                    "vertical")
        expect(page.locator(".menu-pane")).to_be_visible()
        expect(page.locator(".ticket-lines")).to_be_visible()
        assert page.js_errors == []
    finally:
        context.close()


def test_the_floor_turns_into_a_list_when_the_screen_narrows(browser, live_server):
    """A tablet made narrow (split screen) lists its tables; widened, it draws them again."""
    context, page = new_screen(browser, "tablet-portrait")
    try:
        sign_in_on_tablet(page, live_server.url, ANA)
        page.set_viewport_size(SIZES["phone"])
        expect(page.locator(".plan.is-list")).to_be_visible()
        expect(table(page, "5").locator(".chair")).to_have_count(0)
        page.set_viewport_size(SIZES["tablet-portrait"])
        expect(page.locator(".plan")).not_to_have_class(re.compile("is-list"))
        expect(table(page, "5").locator(".chair")).to_have_count(4)
        assert page.js_errors == []
    finally:
        context.close()
