"""A busy kitchen on wall screens that cannot scroll (issue 9, kitchen display), at
1920×1080 and 1280×720, in Romanian and English, measured in real Chromium:

- the board shows a page of whole cards, says how many more there are ("+N more", "1/3")
  and turns its pages by the bump bar (PageDown/PageUp) and by on-screen arrows; a new
  ticket does not take the cook off the page being worked; a ticket taller than the
  screen is shown whole, its lines scrolling inside it;
- the cards stand in ordered column stacks (card k of a page in column k mod C, straight
  under the card before it there): as many whole cards as fit, read left to right, top
  to bottom; a page ends at the first card that does not fit in its column;
- expo's cards are laid out the same way, in the order of the board;
- a void after the pickup does not bring the course back to the pass;
- a recalled ticket's lines are to make again, on the grill, in its all-day and on expo.
"""

from __future__ import annotations

import re
import uuid

import pytest
from factories import make_staff, make_tables
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.screens import layout_problems, new_screen
from kitchen.models import Ticket
from pos.core.auth import Role

COOK, MANAGER = "7777", "9999"  # the demo's cook and manager
KITCHEN_SIZES = ["kitchen", "kitchen-small"]
LANGUAGES = {"ro": "ro-RO", "en": "en-GB"}
GRILL_DISHES = (102, 101, 103, 104, 105, 106, 204, 205, 207)  # soups and hot starters
EXPO_DISHES = (103, 207, 105, 102, 101, 104, 106, 204, 205)  # the first ones: small cards
SCREENS = [(size, lang) for size in KITCHEN_SIZES for lang in LANGUAGES]


# --- the restaurant -----------------------------------------------------------------------

def more_tables(db, count: int, prefix: str = "B") -> list[tuple[int, str]]:
    """``count`` tables more on the first floor, named B01, B02…: (id, name) each."""
    return [(table.id, table.name) for table in
            make_tables(db, [f"{prefix}{n:02}" for n in range(1, count + 1)], seats=8)]


def seat(tablet, table_id: int, guests: int = 4) -> dict:
    opened = tablet.client.post("/api/v1/checks", json={
        "table_id": table_id, "guest_count": guests, "client_id": str(uuid.uuid4())})
    assert opened.status_code == 201, opened.get_json()
    return opened.get_json()


def lines_for(tablet, n: int) -> list[dict]:
    """Table n's starters: one to three grill dishes, some with a seat, a note, two of."""
    return [tablet.line(GRILL_DISHES[(n + k) % len(GRILL_DISHES)], quantity=1 + (n + k) % 2,
                        **({"seat": k + 1} if n % 3 == 0 else {}),
                        **({"note": "fără ceapă, sos separat"} if (n + k) % 4 == 0 else {}))
            for k in range(1 + n % 3)]


def busy_grill(tablet, db, count: int = 19) -> list[dict]:
    """``count`` tables, each sent its starters (the grill's, fired at once), in order."""
    return [tablet.sent(seat(tablet, table_id), *lines_for(tablet, n))
            for n, (table_id, _name) in enumerate(more_tables(db, count))]


# --- the screen -------------------------------------------------------------------------------

def in_rows(heights: list[float], columns: int, gap: float, limit: float) -> int:
    """How many cards the board's first page held when it laid them in rows (each row under
    the tallest card of the row above; then, in the height left, cards from the left while
    each fitted): the packing the column stacks replaced."""
    used, at = 0.0, 0
    while at < len(heights):
        row = max(heights[at:at + columns])
        if used and used + gap + row > limit + 0.5:
            end = min(len(heights), at + columns)
            while at < end and used + gap + heights[at] <= limit + 0.5:
                at += 1
            return at
        used = used + gap + row if used else row
        at += columns
    return len(heights)


def assert_packed(pages: list[dict]) -> None:
    """Every page (walked in order) holds as many cards as the packing rule allows, by the
    cards' heights measured on the board, and never fewer than rows held from there."""
    first = pages[0]
    assert {page["height"] for page in pages} == {first["height"]}
    heights = [height for page in pages for height in page["heights"]]
    rule = (first["columns"], first["gap"], first["height"])
    assert [len(page["places"]) for page in pages] == packed(heights, *rule)
    start = 0
    for page in pages:
        assert len(page["places"]) >= in_rows(heights[start:], *rule)
        start += len(page["places"])


def kitchen_screen(browser, db, base: str, station: str, size: str, lang: str):
    """A wall screen at ``size``, a cook who speaks ``lang`` signed in, showing ``station``."""
    cook = make_staff(db, Role.KITCHEN, language=lang)
    context, kds = new_screen(browser, size, locale=LANGUAGES[lang], touch=False)
    assert kds.request.post(base + "/api/v1/session", data={"pin": cook.pin}).ok
    kds.goto(f"{base}/kitchen/{station}")
    expect(kds.locator("#kds-loading")).to_be_hidden()
    expect(kds.locator("#live-status")).to_have_attribute("data-state", "live")
    return context, kds


# Measures the page of cards shown: every card inside the board (none cut by its bottom,
# none off its sides), none over another, none cut inside (its content taller than its
# box), and the column stacks: with C columns, card k of the page stands in column k mod C,
# the first C at the board's top, each other card straight under card k - C (one gap
# between them). Also the pager's figures, its arrows' size, and the room left in the
# column where the next card would go (under card n - C, n cards being shown).
_PAGE = """() => {
  const edge = document.getElementById("kds-board");
  const board = edge.getBoundingClientRect();
  const nav = document.getElementById("kds-pager");
  const cards = [...document.querySelectorAll("#kds-board > .kds-ticket")];
  const problems = [];
  const boxes = cards.map((card) => [card, card.getBoundingClientRect()]);
  const name = (card) => card.querySelector("[data-place]").textContent;
  for (const [card, box] of boxes) {
    if (box.bottom > board.bottom + 0.5 || box.top < board.top - 0.5 || box.left < board.left - 0.5
        || box.right > board.right + 0.5) problems.push(`off the board: ${name(card)}`);
    if (card.scrollHeight > card.clientHeight + 1) problems.push(`cut: ${name(card)}`);
    const foot = card.querySelector(".kds-foot-row").getBoundingClientRect();
    const bump = card.querySelector(".kds-bump")?.getBoundingClientRect();
    if (foot.bottom > box.bottom + 0.5 || (bump && bump.height < 44)) {
      problems.push(`no bump: ${name(card)}`);  // a card's button: whole, a finger's size
    }
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i][1], boxes[j][1]];
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5
        && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
      problems.push(`overlap: ${name(boxes[i][0])} and ${name(boxes[j][0])}`);
    }
  }
  const style = getComputedStyle(edge);
  const tracks = style.gridTemplateColumns.split(" ").map(parseFloat);
  const columns = tracks.length, gap = parseFloat(style.rowGap);
  const lefts = tracks.map((_, c) => board.left + c * (tracks[0] + parseFloat(style.columnGap)));
  boxes.forEach(([card, box], k) => {
    const column = lefts.findIndex((left) => Math.abs(box.left - left) <= 1);
    if (column !== k % columns) problems.push(`${name(card)}: in column ${column + 1}`);
    const top = k < columns ? board.top : boxes[k - columns][1].bottom + gap;
    if (Math.abs(box.top - top) > 1) problems.push(`${name(card)}: not under the card before`);
  });
  const n = boxes.length;
  const arrows = [...nav.querySelectorAll("[data-turn]")].map((b) => b.getBoundingClientRect())
    .map((box) => Math.min(box.width, box.height));
  return {
    problems, places: cards.map(name), paged: !nav.hidden, columns, gap,
    height: board.height,
    more: Number(nav.dataset.more || 0), before: Number(nav.dataset.before || 0),
    page: Number(nav.dataset.page || 1), pages: Number(nav.dataset.pages || 1),
    pageText: nav.querySelector("[data-page-of]").textContent,
    moreText: nav.querySelector("[data-more-text]").textContent,
    under: boxes.filter(([, box]) => box.top > board.top + 1).length, arrows,
    heights: boxes.map(([, box]) => box.height),
    // Where the next card would go on this page: its column's height left under card n - C.
    room: n < columns ? board.height : board.bottom - boxes[n - columns][1].bottom - gap,
  };
}"""


def packed(heights: list[float], columns: int, gap: float, limit: float) -> list[int]:
    """The cards on each page by the packing rule, from the cards' measured heights: card k
    of a page in column k mod C, under the one before it there; the page ends at the first
    card that does not fit whole in its column's height left (the first of a column always
    does)."""
    pages, used = [0], [0.0] * columns
    for height in heights:
        column = pages[-1] % columns
        top = used[column] + gap if used[column] else 0.0
        if used[column] and top + height > limit + 0.5:
            pages.append(0)
            used, column, top = [0.0] * columns, 0, 0.0
        used[column] = top + height
        pages[-1] += 1
    return pages


ACTIONS = (".kds-ticket:not(.is-tall) .kds-line, .kds-bump, .kds-page-turn:not(:disabled), "
           ".kds-top-button, .kds-recall-chip, .kds-station, .kds-count")


def measured_page(kds) -> dict:
    kds.mouse.move(0, 0)
    page = kds.evaluate(_PAGE)
    assert page["problems"] == [], f"{kds.viewport_size}: {page['problems']}"
    assert layout_problems(kds, ACTIONS) == []
    return page


def walk_pages(kds) -> list[dict]:
    """From the first page to the last by the bump bar's PageDown: each page measured."""
    pages = [measured_page(kds)]
    assert pages[0]["page"] == 1 and pages[0]["before"] == 0
    while pages[-1]["more"]:
        assert len(pages) < 60
        kds.keyboard.press("PageDown")
        expect(kds.locator("#kds-pager")).to_have_attribute("data-page", str(len(pages) + 1))
        pages.append(measured_page(kds))
        # The page before was filled: this page's first card would not have fitted in the
        # column it would have gone to there.
        assert pages[-1]["heights"][0] > pages[-2]["room"] + 0.5
        shown = sum(len(p["places"]) for p in pages)
        assert pages[-1]["before"] == shown - len(pages[-1]["places"])
        everything = len(pages[0]["places"]) + pages[0]["more"]
        assert pages[-1]["before"] + len(pages[-1]["places"]) + pages[-1]["more"] == everything
    assert kds.locator('#kds-pager [data-turn="1"]').is_disabled()
    return pages


def places_of(pages: list[dict]) -> list[list[str]]:
    return [page["places"] for page in pages]


# --- 1. a busy board, in pages ---------------------------------------------------------------

@pytest.mark.parametrize(("size", "lang"), SCREENS)
def test_a_busy_grill_shows_whole_cards_a_page_at_a_time(browser, live_server, tablet, db,
                                                          screenshot, size, lang):
    checks = busy_grill(tablet, db)
    context, kds = kitchen_screen(browser, db, live_server.url, "grill", size, lang)
    try:
        expect(kds.locator("#kds-pager")).to_be_visible()
        first = measured_page(kds)
        # What is shown and what is said to be on the next pages: every open ticket.
        assert len(first["places"]) + first["more"] == len(checks) == 19
        assert first["pages"] >= 2 and first["pageText"] == f"1/{first['pages']}"
        assert str(first["more"]) in first["moreText"]
        screenshot(kds, f"kds-busy-grill-{size}-{lang}")
        assert min(first["arrows"]) >= 44  # the on-screen arrows: a finger's size
        bump_bar_arrows_move_in_columns(kds, first)

        pages = walk_pages(kds)
        assert len(pages) == first["pages"]
        shown = [place for page in places_of(pages) for place in page]
        assert shown == [f"B{n:02}" for n in range(1, 20)]  # each once, in the order fired
        assert_packed(pages)
        screenshot(kds, f"kds-busy-grill-last-{size}-{lang}")

        # The on-screen arrows turn the pages too; a key selects on the page shown.
        kds.locator('#kds-pager [data-turn="-1"]').click()
        expect(kds.locator("#kds-pager")).to_have_attribute("data-page", str(len(pages) - 1))
        assert measured_page(kds)["places"] == pages[-2]["places"]
        kds.keyboard.press("2")
        expect(kds.locator(".kds-ticket[aria-current=true] [data-place]")).to_have_text(
            pages[-2]["places"][1])
        kds.keyboard.press("PageUp")
        assert kds.locator("#kds-pager").get_attribute("data-page") == str(max(1, len(pages) - 2))
        assert kds.js_errors == []
    finally:
        context.close()


def bump_bar_arrows_move_in_columns(kds, first: dict) -> None:
    """On the first page (card 1 selected): ↓ the card under it in its column, → the one
    in the next column, ↑ up that column, ← back; ↓ past a column's bottom, the top of
    that column on the next page, and ↑ from there back to the bottom of the column."""
    places, columns = first["places"], first["columns"]
    selected = kds.locator(".kds-ticket[aria-current=true] [data-place]")
    pager = kds.locator("#kds-pager")
    expect(selected).to_have_text(places[0])
    if len(places) > columns + 1:
        for key, at in (("ArrowDown", columns), ("ArrowRight", columns + 1), ("ArrowUp", 1),
                        ("ArrowLeft", 0)):
            kds.keyboard.press(key)
            expect(selected).to_have_text(places[at])
    bottom = columns * ((len(places) - 1) // columns)  # column 1's last card on the page
    for _ in range(bottom // columns):
        kds.keyboard.press("ArrowDown")
    expect(selected).to_have_text(places[bottom])
    kds.keyboard.press("ArrowDown")
    expect(pager).to_have_attribute("data-page", "2")
    expect(selected).to_have_text(f"B{len(places) + 1:02}")
    kds.keyboard.press("ArrowUp")
    expect(pager).to_have_attribute("data-page", "1")
    expect(selected).to_have_text(places[bottom])


def test_new_tickets_leave_the_cook_on_the_page_being_worked(browser, live_server, tablet,
                                                             db, screenshot):
    busy_grill(tablet, db)
    context, kds = kitchen_screen(browser, db, live_server.url, "grill", "kitchen-small", "ro")
    try:
        kds.keyboard.press("PageDown")
        pager = kds.locator("#kds-pager")
        expect(pager).to_have_attribute("data-page", "2")
        working = measured_page(kds)["places"]
        kds.keyboard.press("2")  # the cook works the second ticket of page 2
        selected = kds.locator(".kds-ticket[aria-current=true] [data-place]")
        expect(selected).to_have_text(working[1])

        # A new table sends, and another's starters are rushed (they go first on the board).
        [(late_id, _), (rush_id, _)] = more_tables(db, 2, prefix="C")
        tablet.sent(seat(tablet, late_id), tablet.line(102))
        rushed = tablet.sent(seat(tablet, rush_id), tablet.line(101))
        assert tablet.post(rushed, f"courses/{tablet.courses['starters']}/rush").status_code \
            == 200
        expect(kds.locator("[data-count-open]")).to_have_attribute("data-count-open", "21")
        expect(pager).to_have_attribute("data-page", "2")
        expect(selected).to_have_text(working[1])  # still in front of the cook
        page = measured_page(kds)
        assert working[1] in page["places"]
        assert len(page["places"]) + page["more"] + page["before"] == 21

        # Back on the first page, the rushed ticket is on top.
        kds.keyboard.press("PageUp")
        expect(pager).to_have_attribute("data-page", "1")
        expect(kds.locator("#kds-board > .kds-ticket").first).to_have_attribute("data-rush", "")
        assert kds.js_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_ticket_taller_than_the_screen_is_shown_whole_and_scrolls(browser, live_server,
                                                                    tablet, db, screenshot,
                                                                    lang):
    """A party of 30: one ticket of 27 lines, on the small wall screen, between others."""
    [(small_id, _), (party_id, _), (after_id, _)] = more_tables(db, 3)
    tablet.sent(seat(tablet, small_id), tablet.line(102))
    party = [tablet.line(GRILL_DISHES[k % len(GRILL_DISHES)], seat=k + 1,
                         **({"note": "fără gluten"} if k % 5 == 0 else {})) for k in range(27)]
    tablet.sent(seat(tablet, party_id, guests=30), *party)
    tablet.sent(seat(tablet, after_id), tablet.line(101))
    context, kds = kitchen_screen(browser, db, live_server.url, "grill", "kitchen-small", lang)
    try:
        tall = kds.locator(".kds-ticket.is-tall")
        expect(tall).to_have_count(1)
        expect(tall.locator("[data-place]")).to_have_text("B02")
        expect(tall.locator(".kds-tall-hint")).to_be_visible()
        page = measured_page(kds)  # whole on the board, its bump button on screen
        assert "B02" in page["places"]
        assert len(page["places"]) + page["more"] == 3
        lines = tall.locator(".kds-lines")
        assert lines.evaluate("e => e.scrollHeight > e.clientHeight + 40")
        screenshot(kds, f"kds-tall-ticket-kitchen-small-{lang}")

        # The bump bar reads it all: ↓ on the selected tall ticket scrolls its lines first.
        kds.keyboard.press("2")
        expect(tall).to_have_attribute("aria-current", "true")
        for _ in range(12):
            if lines.evaluate("e => e.scrollTop + e.clientHeight >= e.scrollHeight - 1"):
                break
            kds.keyboard.press("ArrowDown")
        expect(tall).to_have_attribute("aria-current", "true")  # still on it
        last = tall.locator(".kds-line").last
        box, list_box = last.bounding_box(), lines.bounding_box()
        assert list_box["y"] - 1 <= box["y"]
        assert box["y"] + box["height"] <= list_box["y"] + list_box["height"] + 1
        kds.keyboard.press("ArrowDown")  # at its end: the keys move on
        expect(kds.locator(".kds-ticket[aria-current=true] [data-place]")).not_to_have_text("B02")

        tall.locator("[data-bump]").click()
        expect(kds.locator(".kds-ticket.is-tall")).to_have_count(0)
        assert kds.js_errors == []
    finally:
        context.close()


# --- expo: in column stacks, in the order of the board, a page at a time --------------------

@pytest.mark.parametrize(("size", "lang"), SCREENS)
def test_expo_reads_left_to_right_top_to_bottom_a_page_at_a_time(browser, live_server, tablet,
                                                                 db, screenshot, size, lang):
    """19 courses of different heights (a note makes a card taller; a Caesar salad has two
    parts, the cold kitchen's and the grill's)."""
    for n, (table_id, _name) in enumerate(more_tables(db, 19)):
        dishes = ([tablet.line(EXPO_DISHES[n % len(EXPO_DISHES)], quantity=1 + n % 2,
                               **({"note": "fără smântână"} if n >= 6 and n % 3 == 0 else {}))]
                  + ([tablet.line(301)] if n >= 10 and n % 3 == 1 else []))
        tablet.sent(seat(tablet, table_id), *dishes)
    context, expo = kitchen_screen(browser, db, live_server.url, "expo", size, lang)
    try:
        first = measured_page(expo)
        screenshot(expo, f"kds-busy-expo-{size}-{lang}")
        assert len(first["places"]) + first["more"] == 19
        assert first["under"] >= 1  # cards of different heights, stacked in their columns
        assert len(first["places"]) > first["columns"] + 1
        bump_bar_arrows_move_in_columns(expo, first)
        pages = walk_pages(expo)
        assert [place for page in places_of(pages) for place in page] \
            == [f"B{n:02}" for n in range(1, 20)]
        assert_packed(pages)
        assert expo.js_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_expos_notice_covers_no_card_and_no_arrow(browser, live_server, tablet, db, screenshot,
                                                  lang):
    """Expo calls a course ready on a busy pass: "the server is told" shows over the side
    panel, not over a card's button or the pager (1280×720)."""
    checks = [tablet.sent(seat(tablet, table_id), tablet.line(EXPO_DISHES[n % 9]))
              for n, (table_id, _name) in enumerate(more_tables(db, 12))]
    cook = live_server.app.test_client()
    cook.post("/api/v1/session", json={"pin": COOK})
    with db.reading() as session:
        [soup] = session.scalars(select(Ticket).where(Ticket.check_id == checks[-1]["id"]))
    assert cook.post(f"/api/v1/kitchen/tickets/{soup.id}/bump", json={}).status_code == 200
    context, expo = kitchen_screen(browser, db, live_server.url, "expo", "kitchen-small", lang)
    try:
        top = expo.locator("#kds-board > .kds-ticket").first
        expect(top).to_have_attribute("data-state", "complete")  # to call: first
        expo.keyboard.press("Enter")
        expect(expo.locator(".kds-toast")).to_be_visible()
        expect(expo.locator(".kds-pass-row")).to_have_count(1)
        expect(expo.locator("#kds-pager")).to_be_visible()
        page = measured_page(expo)  # nothing covered: the cards' buttons, the arrows
        assert len(page["places"]) + page["more"] == 11
        screenshot(expo, f"kds-expo-toast-kitchen-small-{lang}")
        assert expo.js_errors == []
    finally:
        context.close()


# --- 2. a void after the pickup ----------------------------------------------------------------

def test_a_void_after_the_pickup_does_not_bring_the_course_back_to_the_pass(
        browser, live_server, tablet, db, screenshot):
    [(table_id, _name)] = more_tables(db, 1)
    check = tablet.sent(seat(tablet, table_id), tablet.line(102, quantity=2), tablet.line(101))
    cook = live_server.app.test_client()
    cook.post("/api/v1/session", json={"pin": COOK})
    context, expo = kitchen_screen(browser, db, live_server.url, "expo", "kitchen", "ro")
    try:
        with db.reading() as session:
            [ticket] = session.scalars(select(Ticket).where(Ticket.check_id == check["id"]))
        assert cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/bump", json={}).status_code == 200
        group = expo.locator(f'.kds-group[data-check-id="{check["id"]}"]')
        expect(group).to_have_attribute("data-state", "complete")
        group.locator("[data-ready]").click()
        pass_row = expo.locator(".kds-pass-row")
        expect(pass_row).to_have_count(1)
        call = {"check_id": check["id"], "course_id": tablet.courses["starters"]}
        assert tablet.client.post("/api/v1/kitchen/served", json=call).status_code == 200
        expect(pass_row).to_have_count(0)

        # The guests send one soup back after all: voided, one of the two.
        check = tablet.check(check["id"])
        meatball = next(ln for ln in check["lines"]
                        if ln["names"]["en"] == "Sour soup with meatballs")
        voided = tablet.post(check, f"lines/{meatball['id']}/void", quantity=1,
                             reason="Guest changed their mind", manager_pin=MANAGER)
        assert voided.status_code == 200, voided.get_json()
        # Something later reaches expo (a new table's ticket): the void came before it.
        [(next_id, _)] = more_tables(db, 1, prefix="C")
        tablet.sent(seat(tablet, next_id), tablet.line(103))
        expect(expo.locator(".kds-group")).to_have_count(1)
        expect(pass_row).to_have_count(0)
        expect(group).to_have_count(0)
        expo.mouse.move(0, 0)
        screenshot(expo, "kds-expo-void-after-pickup")
        assert expo.js_errors == []
    finally:
        context.close()


# --- 3. recall ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_recalled_ticket_is_to_make_again_on_the_grill_its_all_day_and_expo(
        browser, live_server, tablet, db, screenshot, lang):
    [(table_id, _name)] = more_tables(db, 1)
    check = tablet.sent(seat(tablet, table_id), tablet.line(102, quantity=2), tablet.line(101))
    context, kds = kitchen_screen(browser, db, live_server.url, "grill", "kitchen-small", lang)
    expo = context.new_page()
    try:
        expo.goto(f"{live_server.url}/kitchen/expo")
        expect(expo.locator("#live-status")).to_have_attribute("data-state", "live")
        card = kds.locator(".kds-ticket").first
        card.locator(".kds-line").first.click()  # one made, then the whole ticket bumped
        expect(card.locator(".kds-line").first).to_have_attribute("data-done", "true")
        card.locator("[data-bump]").click()
        expect(kds.locator(".kds-ticket")).to_have_count(0)
        part = expo.locator(f'.kds-group[data-check-id="{check["id"]}"] .kds-part')
        expect(part).to_have_attribute("data-part-state", "bumped")

        kds.keyboard.press("r")  # the plate came back: recalled
        card = kds.locator(".kds-ticket").first
        expect(card).to_have_attribute("data-status", "fired")
        expect(card.locator('.kds-line[data-done="true"]')).to_have_count(0)
        expect(card.locator(".kds-line")).to_have_count(2)
        expect(kds.locator(".kds-allday-row")).to_have_count(2)
        counts = {row.get_attribute("data-allday-item"): row.get_attribute("data-count")
                  for row in kds.locator(".kds-allday-row").all()}
        assert sorted(counts.values()) == ["1", "2"]

        # Expo hears the server's word (the grill hears it in the same event): to make.
        expect(part).to_have_attribute("data-part-state", "fired")
        expect(part.locator('.kds-part-line[data-done="true"]')).to_have_count(0)
        expect(part.locator(".kds-part-state")).to_have_text(re.compile(r"\b0\D+2\b"))
        expect(card.locator('.kds-line[data-done="true"]')).to_have_count(0)
        assert sorted(row.get_attribute("data-count")
                      for row in kds.locator(".kds-allday-row").all()) == ["1", "2"]
        kds.mouse.move(0, 0)
        screenshot(kds, f"kds-recalled-{lang}")
        expo.mouse.move(0, 0)
        screenshot(expo, f"kds-expo-recalled-{lang}")
        assert kds.js_errors == []
    finally:
        context.close()

