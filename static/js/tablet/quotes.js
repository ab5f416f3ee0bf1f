// What the open check comes to with the lines tapped and not sent yet: the server's
// figures (POST /checks/{id}/quote), never a sum made here — a tax-exclusive venue adds tax
// on top, a discount on the whole check is shared over every line, and only the server
// knows both. A quote is asked for a short while after the draft last changed (taps in a
// row make one request); the newest request wins, an older answer is dropped; an empty
// draft asks nothing. Until an answer comes (or while offline) the last known figures
// stay, marked as not updated.
import { ApiError, isRetryable, post } from "../api.js";
import * as drafts from "./drafts.js";

export const QUOTE_DELAY_MS = 250;

export class Quoter {
  /**
   * onChange(): the state or the figures changed (redraw the totals).
   * onRefused(checkId, error, lines): the server refused a line (86, a missing choice) or
   *   the whole quote (day closed, check closed); `lines` are the draft lines asked about,
   *   in request order (error.field "lines.N.…" names one of them).
   */
  constructor({ onChange, onRefused, delay = QUOTE_DELAY_MS }) {
    this.onChange = onChange;
    this.onRefused = onRefused;
    this.delay = delay;
    this.checkId = null;
    this.key = null;       // what the figures (or the request in flight) are for
    this.state = "none";   // none | pending | fresh | offline | refused | locked
    this.result = null;    // the last answer for this check: {key, version, lines, totals}
    this.timer = null;
    this.sequence = 0;
    this.generation = 0;   // a venue change: every quote is asked again
    this.lines = [];
  }

  /** The draft of `check` is as given: ask for its quote unless it is already asked.
   * locked: the business day is closed, the server would refuse: nothing is asked. */
  want(check, lines, { locked = false } = {}) {
    if (check.id !== this.checkId) {
      this.forget();
      this.checkId = check.id;
    }
    if (locked && lines.length) {
      this.cancel();
      this.key = null; // asked again once a day opens
      this.state = "locked";
      return;
    }
    if (!lines.length) {
      this.cancel();
      if (this.state !== "none") {
        this.state = "none";
        this.key = null;
      }
      return;
    }
    const body = { lines: lines.map(drafts.lineRequest) };
    const key = JSON.stringify([check.id, check.version, this.generation, body]);
    if (key === this.key && this.state !== "offline") return;
    this.key = key;
    this.lines = lines;
    this.state = "pending";
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.ask(check.id, key, body, lines), this.delay);
  }

  /** Ask again (the connection is back, the venue's settings changed). */
  refresh() {
    this.generation += 1;
    this.key = null;
  }

  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
    this.sequence += 1; // an answer still on its way is for a draft that no longer is
  }

  forget() {
    this.cancel();
    this.checkId = null;
    this.key = null;
    this.state = "none";
    this.result = null;
  }

  /** The figures for exactly this draft and check version have come. */
  get fresh() {
    return this.state === "fresh" && this.result?.key === this.key;
  }

  async ask(checkId, key, body, lines) {
    const sequence = ++this.sequence;
    this.onChange();
    try {
      const answer = await post(`/checks/${checkId}/quote`, body);
      if (sequence !== this.sequence || checkId !== this.checkId) return;
      this.result = { key, ...answer };
      this.state = "fresh";
    } catch (error) {
      if (sequence !== this.sequence || checkId !== this.checkId) return;
      if (isRetryable(error) || !(error instanceof ApiError)) {
        this.state = "offline";
      } else {
        this.state = "refused";
        this.onRefused(checkId, error, lines);
      }
    }
    this.onChange();
  }
}
