// Cards of different heights packed without holes (a masonry grid): the board's grid has
// small rows (4 px, kitchen.css) and each card spans as many as its height needs.
//
// A full board must not cost a layout per card, nor even a full layout of every card:
// - a card gets its span before it is attached, from the height its board expects of it
//   (the height measured for a card of the same shape, else the board's estimate), so the
//   first layout places every card at once; for a whole board (the snapshot), one card of
//   each shape is measured first, all in one forced layout (fill);
// - cards away from the viewport are not rendered (content-visibility: auto in
//   kitchen.css): they stand in at that height (contain-intrinsic-size) until they come
//   near it;
// - heights are read only from the ResizeObserver's own measurements, taken after the
//   browser's layout, and written back as spans in one go: the browser lays the board out
//   again once, in the same frame, before it paints. A card measured once keeps its
//   measured height while it is off-screen again; cards of its shape not yet rendered take
//   it too. A span is always set from the card's box as the ResizeObserver last saw it.
const FRAME_PX = 4; // a card's top and bottom border (.kds-ticket: 2 px each)
const SAMPLES = 40; // cards measured before a whole board goes on (a forced layout of as many)

export class Packer {
  constructor(board) {
    this.board = board;
    this.measureBoard();
    this.learned = new Map(); // shape → border-box height measured for a card of that shape
    this.observer = new ResizeObserver((entries) => this.measured(entries));
    this.width = null;
    this.watchBoard = new ResizeObserver((entries) => this.resized(entries.at(-1)));
    this.watchBoard.observe(board);
  }

  /**
   * A card about to be attached: its stand-in height and span, and watch its real one.
   * `shape` names what decides its height (cards of one shape measure the same), and
   * `estimate` is its height in rem until a card of its shape has been measured.
   */
  add(card, { shape = "", estimate = 15 } = {}) {
    card.kdsShape = shape;
    card.kdsEstimate = estimate;
    card.kdsMeasured = false;
    this.standIn(card, this.learned.get(shape) ?? estimate * this.rem + FRAME_PX);
    this.observer.observe(card);
  }

  /**
   * A whole board at once (the snapshot): `cards`, in order, have been add()ed and none is
   * attached yet. One card of each shape not yet measured (the first cards first: they are
   * the ones on screen) is laid out in full and measured, all of them in one forced layout
   * while the board holds nothing else; every card of those shapes then stands in at the
   * real height, and the whole board goes on in one go. So the first frame lays the board
   * out right at once, rather than again when the ResizeObserver reports the real heights.
   */
  fill(cards) {
    const samples = new Map(); // shape → its first card
    for (const card of cards) {
      if (samples.size >= SAMPLES) break;
      if (!this.learned.has(card.kdsShape) && !samples.has(card.kdsShape)) {
        samples.set(card.kdsShape, card);
      }
    }
    if (samples.size) {
      const sampled = [...samples.values()];
      for (const card of sampled) card.classList.add("is-measuring");
      this.board.replaceChildren(...sampled);
      const heights = sampled.map((card) => card.getBoundingClientRect().height); // the one layout
      sampled.forEach((card, i) => {
        card.classList.remove("is-measuring");
        if (!heights[i]) return; // not displayed: nothing learned
        card.kdsMeasured = true;
        this.learned.set(card.kdsShape, heights[i]);
      });
      for (const card of cards) {
        const height = this.learned.get(card.kdsShape);
        if (height !== undefined) this.standIn(card, height);
      }
    }
    const fragment = document.createDocumentFragment();
    fragment.append(...cards);
    this.board.replaceChildren(fragment);
  }

  remove(card) {
    this.observer.unobserve(card);
  }

  /** Every card is going: stop watching them all at once. */
  clear() {
    this.observer.disconnect();
  }

  /** Another width (the screen turned or resized): what was measured no longer holds. */
  resized(entry) {
    const width = entry.contentBoxSize?.[0]?.inlineSize ?? this.board.clientWidth;
    if (this.width === null || Math.abs(width - this.width) < 0.5) {
      this.width = width;
      return;
    }
    this.width = width;
    this.measureBoard();
    this.learned.clear();
    for (const card of this.board.children) {
      if (!card.kdsMeasured && card.kdsEstimate !== undefined) {
        this.standIn(card, card.kdsEstimate * this.rem + FRAME_PX);
      }
    }
  }

  /** The board's row and gap (kitchen.css), and the rem the estimates are in: read when the
   * board is made and when its width changes (the rem follows the screen's width). */
  measureBoard() {
    const style = getComputedStyle(this.board);
    this.row = parseFloat(style.gridAutoRows) || 4;
    this.gap = parseFloat(style.columnGap) || 0; // = a card's margin-bottom
    this.rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  }

  /**
   * The height a card has while it is not rendered, and its span. A rendered card's own
   * height, once measured, becomes its stand-in, so it keeps its place when it scrolls
   * away and back. (Not the "auto" of contain-intrinsic-size: the browser would then
   * remember sizes this code does not know of, and a span could disagree with a box.)
   */
  standIn(card, height) {
    const span = this.span(height);
    if (card.kdsStandIn === height && card.kdsSpan === span) return;
    card.kdsStandIn = height;
    card.kdsSpan = span;
    // One write of the inline style (the card has no other), not one per property.
    card.style.cssText = `grid-row-end: span ${span}; `
      + `contain-intrinsic-block-size: ${Math.max(0, height - FRAME_PX)}px`;
  }

  span(height) {
    return Math.max(1, Math.ceil((height + this.gap) / this.row));
  }

  fit(card, height) {
    const span = this.span(height);
    if (card.kdsSpan === span) return;
    card.kdsSpan = span;
    card.style.gridRowEnd = `span ${span}`;
  }

  /** After a layout: spans from the heights measured. Every read first, then every write. */
  measured(entries) {
    const seen = [];
    for (const entry of entries) {
      const card = entry.target;
      if (!card.isConnected) continue;
      const height = entry.borderBoxSize?.[0]?.blockSize ?? card.getBoundingClientRect().height;
      if (!height) continue; // not displayed (a hidden board): nothing to place, nothing learned
      // A card not rendered measures its stand-in: only a rendered card tells its height.
      seen.push([card, height, Math.abs(height - card.kdsStandIn) > 0.5 && rendered(card)]);
    }
    const relearned = new Set();
    for (const [card, height, real] of seen) {
      if (real) {
        card.kdsMeasured = true;
        this.standIn(card, height); // its own height, kept while it is off-screen again
        if (this.learned.get(card.kdsShape) !== height) {
          this.learned.set(card.kdsShape, height);
          relearned.add(card.kdsShape);
        }
      } else {
        this.fit(card, height);
      }
    }
    if (!relearned.size) return;
    // Cards of a shape just measured, still standing in off-screen, take its height now.
    const stale = [...this.board.children].filter((card) => !card.kdsMeasured
      && relearned.has(card.kdsShape) && card.kdsStandIn !== this.learned.get(card.kdsShape));
    const shown = stale.map(rendered); // read all, then write: one style update, not one each
    stale.forEach((card, i) => {
      if (shown[i]) card.kdsMeasured = true; // rendered at just its stand-in: that is its height
      else this.standIn(card, this.learned.get(card.kdsShape));
    });
  }
}

/** Whether a card's contents are rendered (not skipped by content-visibility: auto). */
function rendered(card) {
  return card.firstElementChild?.checkVisibility({ contentVisibilityAuto: true }) ?? true;
}
