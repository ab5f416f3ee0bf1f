// A board in pages: a wall screen cannot scroll, so the cards are shown a page at a time,
// in ordered column stacks: with C columns, the page's card k goes into column k mod C,
// straight under the card before it in that column (1 2 3 4 on top, 5 under 1, 6 under 2,
// …: the order still reads left to right, top to bottom), so a short card leaves no hole
// under it. The page ends at the first card that does not fit whole in its column; it and
// the cards after it go to the next pages, packed the same way. The pager under the board
// says which page this is and how many cards are on the pages after it ("+12 more"); its
// arrows and the bump bar's PageUp/PageDown turn the pages.
//
// A busy pass must stay quick (500 open tickets on expo): only the cards of the page shown
// are built and attached. The pages after it are worked out from the heights of cards of
// the same shape (cards of one shape measure the same), measured once off the board, a
// few at a time, in one forced layout; shapes not measured yet are estimated. The page
// shown is always measured for real before it is drawn: no card on it is ever cut.
//
// A single card taller than the board is shown whole, at the board's height: its lines
// scroll inside it (by touch, or by the bump bar's ↑ ↓: scrollTall), its bump button stays
// on screen, and it says there is more below (markTall).

import { h, t } from "./util.js";

const FRAME_PX = 4; // a card's top and bottom border (.kds-ticket: 2 px each)
const SAMPLES = 40; // shapes measured off the board at most in one go
const ATTEMPTS = 4; // a page re-measured at most this often before it is drawn

export class Pager {
  /**
   * `keyOf(item)` names a card, `shapeOf(item)` says what decides its height ({shape,
   * estimate in rem}), `build(item, number)` makes its element (`number`: its place on the
   * page, 1–9 for the keys), `renumber(element, number)` changes only that; `onTurn(step)`
   * is a tap on the pager's arrows; `onResize()` redraws the board (all its cards).
   */
  constructor({ board, nav, keyOf, shapeOf, build, renumber, onTurn, onResize }) {
    this.board = board;
    this.nav = nav;
    this.keyOf = keyOf;
    this.shapeOf = shapeOf;
    this.build = build;
    this.renumber = renumber;
    this.onResize = onResize;
    this.main = board.parentElement;
    this.measurer = document.createElement("div");
    this.measurer.className = "kds-measurer";
    this.measurer.setAttribute("aria-hidden", "true");
    this.main.append(this.measurer);
    this.learned = new Map(); // shape → its card's whole height in px (not held to a page)
    this.cards = new Map(); // key → the element of each card on the page shown
    this.keys = []; // every card's key, in the board's order
    this.starts = [0]; // the index of each page's first card
    this.current = 0;
    this.order = [];
    this.geometry = null;
    nav.addEventListener("click", (event) => {
      const arrow = event.target.closest("[data-turn]");
      if (arrow && !arrow.disabled) onTurn(Number(arrow.dataset.turn));
    });
    this.watch = new ResizeObserver(() => this.resized());
    this.watch.observe(this.main);
  }

  get pages() {
    return this.starts.length;
  }

  /** The keys of the cards on the page shown, in order. */
  get shown() {
    return [...this.cards.keys()];
  }

  /** The key of the first card of page `page` (or null: there is no such page). */
  firstKeyOf(page) {
    return page >= 0 && page < this.starts.length ? this.keys[this.starts[page]] ?? null : null;
  }

  /**
   * Show `order` (the board's cards, in order) a page at a time: the page holding `anchor`
   * (the card being worked: new cards arriving elsewhere leave the cook on this page), or
   * the first. The cards named in `changed` are built anew (every card when it is null);
   * the others on the page are kept as they are, at most renumbered.
   */
  show(order, { changed = null, anchor = null } = {}) {
    this.order = order;
    this.keys = order.map(this.keyOf);
    this.board.classList.toggle("is-empty", order.length === 0);
    if (!order.length) {
      this.starts = [0];
      this.current = 0;
      this.attach([], changed);
      this.renderNav(0, 0);
      return;
    }
    const shapes = order.map(this.shapeOf);
    const anchorAt = Math.max(0, anchor === null ? 0 : this.keys.indexOf(anchor));
    let range = null;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      this.paginate(shapes);
      this.current = this.pageOfIndex(anchorAt);
      range = this.rangeOf(this.current);
      // The cards that may be on this page, and the next few after it, measured if their
      // shape is new: then the page is worked out from real heights.
      const wanted = shapes.slice(range[0], Math.min(order.length, range[1] + this.geometry.columns));
      if (!this.measureShapes(order.slice(range[0]), shapes.slice(range[0]), wanted)) break;
    }
    this.measureShapes(order, shapes, shapes); // the later pages: a few new shapes each time
    this.paginate(shapes);
    this.current = this.pageOfIndex(anchorAt);
    range = this.rangeOf(this.current);
    this.attach(order.slice(range[0], range[1]), changed);
    this.keepWhole(range);
  }

  // --- pages ---------------------------------------------------------------------------

  /** The board's columns, its heights (with and without the pager under it), the gap. */
  measureBoard() {
    const navHidden = this.nav.hidden;
    this.nav.hidden = false;
    const paged = this.board.clientHeight;
    this.nav.hidden = true;
    const whole = this.board.clientHeight;
    this.nav.hidden = navHidden;
    const style = getComputedStyle(this.board);
    const tracks = style.gridTemplateColumns.split(" ").filter(Boolean);
    this.geometry = {
      columns: Math.max(1, tracks.length),
      columnWidth: parseFloat(tracks[0]) || this.board.clientWidth,
      gap: parseFloat(style.rowGap) || 0,
      whole,
      paged,
      rem: parseFloat(getComputedStyle(document.documentElement).fontSize) || 16,
    };
    this.measurer.style.setProperty("width", `${this.geometry.columnWidth}px`);
  }

  /** Another size (the screen turned, the window resized): measure everything again. */
  resized() {
    const width = this.main.clientWidth, height = this.main.clientHeight;
    if (this.size && this.size[0] === width && this.size[1] === height) return;
    const first = !this.size;
    this.size = [width, height];
    if (first) return;
    this.geometry = null;
    this.learned.clear();
    this.onResize();
  }

  /** A card's height for the pages: as measured for its shape, else as estimated; never
   * more than the board (a taller card scrolls inside). */
  heightOf({ shape, estimate }, limit) {
    const height = this.learned.get(shape) ?? estimate * this.geometry.rem + FRAME_PX;
    return Math.min(height, limit);
  }

  /** Where each page starts: as many cards as fit the board's height, in column stacks. */
  paginate(shapes) {
    if (!this.geometry) this.measureBoard();
    const { whole, paged } = this.geometry;
    this.starts = this.breaks(shapes, whole);
    if (this.starts.length > 1) this.starts = this.breaks(shapes, paged);
    const height = this.starts.length > 1 ? paged : whole;
    if (height !== this.height) {
      this.height = height; // a card taller than this scrolls inside (kitchen.css)
      this.main.style.setProperty("--kds-page-height", `${height}px`);
    }
  }

  /** Each page's first card, for a board `limit` px high, stacking the cards in columns. */
  breaks(shapes, limit) {
    const starts = [0];
    let stacks = new Stacks(this.geometry, limit);
    for (let i = 0; i < shapes.length; i++) {
      if (stacks.place(this.heightOf(shapes[i], limit)) !== null) continue;
      starts.push(i);
      stacks = new Stacks(this.geometry, limit);
      stacks.place(this.heightOf(shapes[i], limit));
    }
    return starts;
  }

  pageOfIndex(index) {
    let page = 0;
    while (page + 1 < this.starts.length && this.starts[page + 1] <= index) page++;
    return page;
  }

  rangeOf(page) {
    return [this.starts[page], page + 1 < this.starts.length ? this.starts[page + 1] : this.keys.length];
  }

  /**
   * Measure, off the board and in one forced layout, one card of each shape in `wanted`
   * not measured yet (at most SAMPLES). `items`/`shapes` are where to find such a card.
   * Returns whether anything new was learned.
   */
  measureShapes(items, shapes, wanted) {
    const want = new Set();
    for (const { shape } of wanted) {
      if (want.size >= SAMPLES) break;
      if (!this.learned.has(shape)) want.add(shape);
    }
    if (!want.size) return false;
    const samples = [];
    shapes.forEach(({ shape }, i) => {
      if (want.delete(shape)) samples.push([shape, this.build(items[i], 0)]);
    });
    this.measurer.replaceChildren(...samples.map(([, card]) => card));
    const heights = samples.map(([, card]) => card.getBoundingClientRect().height); // the one layout
    this.measurer.replaceChildren();
    let learned = false;
    samples.forEach(([shape], i) => {
      if (!heights[i]) return; // not displayed (a hidden screen): nothing learned
      this.learned.set(shape, heights[i]);
      learned = true;
    });
    return learned;
  }

  // --- the page shown ---------------------------------------------------------------------

  /** Put `items` on the board in order: kept cards stay (renumbered), the others are built. */
  attach(items, changed) {
    const rebuild = changed === null ? null : new Set(changed);
    const cards = new Map();
    items.forEach((item, i) => {
      const key = this.keyOf(item);
      const kept = this.cards.get(key);
      if (kept && rebuild && !rebuild.has(key)) {
        if (kept.dataset.index !== String(i + 1)) this.renumber(kept, i + 1);
        cards.set(key, kept);
      } else {
        cards.set(key, this.build(item, i + 1));
      }
    });
    // Move only what moved: a card kept in its place is not touched.
    let at = this.board.firstElementChild;
    for (const card of cards.values()) {
      if (at === card) at = card.nextElementSibling;
      else this.board.insertBefore(card, at);
    }
    while (at) {
      const next = at.nextElementSibling;
      at.remove();
      at = next;
    }
    this.cards = cards;
  }

  /**
   * The page as drawn: each card in its column, under the one before it there, every card
   * whole on the board. A card taller than the board scrolls inside (is-tall); the first
   * card that does not fit after all (its height was only estimated) goes to the next
   * page, with every card after it.
   */
  keepWhole(range) {
    const cards = [...this.cards.values()];
    const { columns } = this.geometry;
    cards.forEach((card, i) => setStyle(card, "gridColumn", String((i % columns) + 1)));
    const heights = cards.map((card) => card.getBoundingClientRect().height); // the page's layout
    const tall = cards.map((card) => {
      const body = card.querySelector(".kds-lines, .kds-parts");
      return Boolean(body && body.scrollHeight > body.clientHeight + 1);
    });
    let tops = stack(this.geometry, heights, this.height);
    if (tops.length < cards.length && this.height !== this.geometry.paged) {
      tops = stack(this.geometry, heights, this.geometry.paged); // the pager shows: less room
      this.height = this.geometry.paged;
      this.main.style.setProperty("--kds-page-height", `${this.height}px`);
    }
    tops.forEach((top, i) => {
      setStyle(cards[i], "marginTop", `${top}px`);
      if (tall[i]) markTall(cards[i]);
    });
    const cut = tops.length;
    if (cut < cards.length) {
      for (const [key, card] of [...this.cards].slice(cut)) {
        this.cards.delete(key);
        card.remove();
      }
      this.starts.splice(this.current + 1, 0, range[0] + cut);
    }
    this.renderNav(range[0], range[0] + Math.min(cut, range[1] - range[0]));
  }

  /**
   * The card above (`step` -1) or below (1) the card `key` in its column: past the top or
   * the bottom of the page shown, the one at the bottom or the top of that column on the
   * page before or after; past the first or the last page, the board's first or last card.
   */
  inColumn(key, step) {
    const at = this.keys.indexOf(key);
    if (at < 0) return this.keys[0] ?? null;
    const { columns } = this.geometry;
    const page = this.pageOfIndex(at);
    const [from, to] = this.rangeOf(page);
    const next = at + step * columns;
    if (next >= from && next < to) return this.keys[next];
    const other = page + step;
    if (other < 0) return this.keys[0];
    if (other >= this.pages) return this.keys[this.keys.length - 1];
    const [start, end] = this.rangeOf(other);
    const column = (at - from) % columns;
    if (step > 0) return this.keys[Math.min(end - 1, start + column)];
    const bottom = start + column + columns * Math.floor((end - 1 - start - column) / columns);
    return this.keys[bottom >= start ? bottom : end - 1];
  }

  /** "‹ 8 earlier   2/4   +12 more ›": the arrows, the page and the cards on later pages. */
  renderNav(from, to) {
    const before = from, after = this.keys.length - to;
    const paged = this.pages > 1;
    if (this.nav.hidden === paged) this.nav.hidden = !paged;
    this.nav.dataset.before = String(before);
    this.nav.dataset.more = String(after);
    this.nav.dataset.page = String(this.current + 1);
    this.nav.dataset.pages = String(this.pages);
    this.board.dataset.shown = String(to - from);
    this.board.dataset.cards = String(this.keys.length);
    const parts = this.nav.kdsParts ??= {
      earlier: this.nav.querySelector("[data-earlier]"),
      more: this.nav.querySelector("[data-more-text]"),
      page: this.nav.querySelector("[data-page-of]"),
      prev: this.nav.querySelector('[data-turn="-1"]'),
      next: this.nav.querySelector('[data-turn="1"]'),
    };
    parts.earlier.textContent = before ? t("pages_earlier", { count: before }) : "";
    parts.more.textContent = after ? t("pages_more", { count: after }) : "";
    parts.page.textContent = `${this.current + 1}/${this.pages}`;
    parts.page.setAttribute("aria-label", t("page_of", { page: this.current + 1, pages: this.pages }));
    parts.prev.disabled = this.current === 0;
    parts.next.disabled = this.current >= this.pages - 1;
  }
}

/**
 * A page's column stacks: card k of the page goes into column k mod C, under the card
 * before it there. `place(height)` says how far down its column the next card goes (px
 * from the board's top), or null when it does not fit whole in the height left there (the
 * page ends before it). The first card of a column always goes: a card taller than the
 * board is held to the board's height (its lines scroll inside).
 */
class Stacks {
  constructor({ columns, gap }, limit) {
    this.used = new Array(columns).fill(0);
    this.count = 0;
    this.gap = gap;
    this.limit = limit;
  }

  place(height) {
    const column = this.count % this.used.length;
    const top = this.used[column] ? this.used[column] + this.gap : 0;
    if (top && top + height > this.limit + 0.5) return null;
    this.used[column] = top + height;
    this.count++;
    return top;
  }
}

/** Where each card of a page goes down its column (px), as many as fit `limit` px. */
function stack(geometry, heights, limit) {
  const stacks = new Stacks(geometry, limit);
  const tops = [];
  for (const height of heights) {
    const top = stacks.place(Math.min(height, limit));
    if (top === null) break;
    tops.push(top);
  }
  return tops;
}

/** Change one of a card's inline styles only when it changes (a kept card is not touched). */
function setStyle(card, property, value) {
  if (card.style[property] !== value) card.style[property] = value;
}

/** A card taller than the board: its lines scroll inside it, and it says so. */
function markTall(card) {
  if (card.classList.contains("is-tall")) return;
  card.classList.add("is-tall");
  card.lastElementChild.before(h("div", { class: "kds-tall-hint", "aria-hidden": "true" }, t("tall_more")));
}

/**
 * The bump bar's ↑/↓ on a ticket taller than the board: scroll its lines a screenful
 * (`step` 1 down, -1 up). Returns false when there is nothing more that way (the keys then
 * move the selection as usual).
 */
export function scrollTall(card, step) {
  const body = card?.classList.contains("is-tall") && card.querySelector(".kds-lines, .kds-parts");
  if (!body) return false;
  const room = step > 0 ? body.scrollHeight - body.clientHeight - body.scrollTop : body.scrollTop;
  if (room < 1) return false;
  body.scrollBy({ top: step * Math.max(40, body.clientHeight * 0.8) });
  return true;
}
