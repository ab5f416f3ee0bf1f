"""What the browser tests share: tapping like a waiter, typing a PIN, and measuring a
screen's layout (nothing off-screen, no label cut, nothing covering an action)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

SIZES = {
    "tablet-landscape": {"width": 1024, "height": 768},
    "tablet-portrait": {"width": 768, "height": 1024},
    "phone": {"width": 390, "height": 844},
    "kitchen": {"width": 1920, "height": 1080},
    "kitchen-small": {"width": 1280, "height": 720},
}


def press(locator) -> None:
    """A tap on a touch screen, a click on a desktop with a mouse."""
    if has_touch(locator.page):
        locator.tap()
    else:
        locator.click()


def has_touch(page) -> bool:
    """Asked of the page once (a context's touch never changes), not before every tap."""
    touch = getattr(page, "_masa_touch", None)
    if touch is None:
        touch = page._masa_touch = page.evaluate("navigator.maxTouchPoints > 0")
    return touch


def type_pin(scope, pin: str) -> None:
    """Tap a PIN on the PIN entry inside ``scope`` (a page or a locator), then OK."""
    for digit in pin:
        press(scope.locator(f'.keypad [data-key="{digit}"]'))
    press(scope.locator(".pin-ok"))


_LAYOUT_PROBLEMS = """(selector) => {
  const problems = [];
  const width = document.documentElement.clientWidth, height = window.innerHeight;
  for (const element of document.querySelectorAll(selector)) {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (style.visibility === "hidden" || style.display === "none" || !box.width || !box.height) {
      continue;
    }
    const name = (element.dataset.key ? `[data-key=${element.dataset.key}] ` : "") +
      (element.textContent || element.getAttribute("aria-label") || element.tagName)
        .trim().replace(/\\s+/g, " ").slice(0, 40);
    if (box.left < -0.5 || box.top < -0.5 || box.right > width + 0.5 || box.bottom > height + 0.5) {
      problems.push(`off-screen: ${name} ${JSON.stringify(box)}`);
    }
    if (element.scrollWidth > element.clientWidth + 1 && style.overflowX !== "auto" &&
        style.overflowX !== "scroll") {
      problems.push(`cut: ${name} (${element.scrollWidth} > ${element.clientWidth})`);
    }
    const x = Math.min(Math.max(box.left + box.width / 2, 0), width - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), height - 1);
    const top = document.elementFromPoint(x, y);
    if (top && top !== element && !element.contains(top) && !top.contains(element)) {
      problems.push(`covered: ${name} by ${top.className || top.tagName}`);
    }
  }
  return problems;
}"""


def layout_problems(page, selector: str) -> list[str]:
    """Every visible element matching ``selector`` that is off-screen, cut or covered."""
    return page.evaluate(_LAYOUT_PROBLEMS, selector)


def assert_laid_out(page, selector: str) -> None:
    problems = layout_problems(page, selector)
    assert problems == [], f"{page.viewport_size}: {problems}"


def overlaps(a: dict, b: dict) -> bool:
    """Two boxes (as ``box`` gives them) share more than a hairline."""
    return (a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5
            and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5)


def no_sideways_scroll(page) -> None:
    """No office table (nor the page) is wider than the screen it is on."""
    wide = page.evaluate("""() => [...document.querySelectorAll('.office-table-wrap, main')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => `${e.className} ${e.querySelector("table")?.outerHTML.slice(0, 60)}`)""")
    assert wide == [], f"{page.viewport_size}: {wide}"


def box(locator) -> dict:
    """Where an element is (all zeros when it is not shown), read in one step in the page:
    a re-render between finding the element and measuring it cannot leave the test holding
    nothing, as ``bounding_box()`` can."""
    return locator.evaluate("e => e.getBoundingClientRect().toJSON()")


def new_screen(browser, size: str | dict, *, locale: str = "ro-RO", touch: bool = True):
    """A fresh browser context (its own cookies) at one of the sizes Masa is used at, or at
    a viewport given as {"width", "height"}; returns (context, page)."""
    viewport = SIZES[size] if isinstance(size, str) else size
    context = browser.new_context(viewport=viewport, has_touch=touch, locale=locale,
                                  timezone_id="Europe/Bucharest")
    context.set_default_timeout(10_000)
    return context, watch_errors(context.new_page())


def watch_errors(page):
    """Collect the page's script errors in ``page.js_errors`` (tests assert it stays empty).
    A 401 or 429 answer is logged by Chromium as a failed resource; it is not a script error."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None)
    page.js_errors = errors
    return page


def table(page, name: str):
    """A table on the tablet's floor plan."""
    return page.locator(f'.plan [data-name="{name}"]')


def seat_table(page, name: str, guests: int) -> int:
    """Tap a free table, pick the guest count: the order screen opens. Returns the check id."""
    press(table(page, name))
    press(page.locator(f'.dlg-guests [data-guests="{guests}"]'))
    expect(page).to_have_url(re.compile(r"#/check/\d+$"))
    expect(page.locator("[data-check-title]")).to_have_text(f"Masa {name}")
    return int(re.search(r"#/check/(\d+)$", page.url).group(1))


def sign_in_on_tablet(page, base: str, pin: str) -> None:
    """Open the tablet: it sends us to the PIN pad; tap the PIN; the floor loads, live."""
    page.goto(base + "/tablet")
    expect(page).to_have_url(re.compile(r"/signin\?next=/tablet"))
    for digit in pin:
        press(page.locator(f'#keypad [data-key="{digit}"]'))
    press(page.locator("#pin-ok"))
    expect(page).to_have_url(re.compile(r"/tablet"))
    expect(page.locator(".plan .table").first).to_be_visible()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
