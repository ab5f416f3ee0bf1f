// A station's board: its tickets as cards (rush first, then in the order they were fired,
// held ones greyed at the end), a page at a time in column stacks (layout.js), the recall
// bar of the last bumped ones, and the all-day counts. Each `ticket` event replaces one
// card; nothing reloads the list.
import { post } from "./api.js";
import { recallChip, setIndex, tickTimer, ticketCard } from "./card.js";
import { Pager, scrollTall } from "./layout.js";
import { beepRush, beepTicket } from "./sound.js";
import { h, nameOf, t, uuid } from "./util.js";

const RECALL_SHOWN = 8;
const RECALL_KEPT = 20;
const FRESH_MS = 8000;

export class StationBoard {
  constructor({ board, pager, allDay, recall, counts, canBump, onError }) {
    this.board = board;
    this.allDayList = allDay;
    this.recallList = recall;
    this.counts = counts;
    this.canBump = canBump;
    this.onError = onError; // a refused or failed request: told on screen
    this.tickets = new Map(); // id → the ticket as last told (or as we changed it)
    this.movedFrom = new Map(); // id → the table it was on before a move
    this.fresh = new Map(); // id → until when it is marked new
    this.pending = new Map(); // id → our changes on their way: {checks, held}
    this.selected = null;
    this.selectedAt = 0; // where the selected ticket was in the order: its place if it goes
    this.pager = new Pager({
      board, nav: pager, keyOf: (ticket) => ticket.id,
      shapeOf: (ticket) => shapeOf(ticket, this.movedFrom.has(ticket.id)),
      build: (ticket, number) => this.card(ticket, number), renumber: setIndex,
      onTurn: (step) => this.turnPage(step), onResize: () => this.render(),
    });

    board.addEventListener("click", (event) => this.clicked(event));
    recall.addEventListener("click", (event) => {
      const chip = event.target.closest("[data-recall]");
      if (chip) this.recall(Number(chip.dataset.recall));
    });
  }

  /** The snapshot: every open ticket and the last bumped ones. */
  load(tickets) {
    this.tickets = new Map(tickets.map((ticket) => [ticket.id, ticket]));
    this.render();
  }

  /** A `ticket` event: the whole ticket as it now is. */
  update(ticket, { quiet = false } = {}) {
    const pending = this.pending.get(ticket.id);
    if (pending) {
      if (![...pending.checks].every((settled) => settled(ticket))) {
        pending.held = ticket; // sent before our change: shown when the change is answered
        return;
      }
      pending.held = null;
    }
    const before = this.tickets.get(ticket.id);
    if (!before && ticket.status === "void") return; // never shown here: nothing to stop
    this.tickets.set(ticket.id, ticket);
    if (before && before.table && ticket.table && before.table !== ticket.table) {
      this.movedFrom.set(ticket.id, this.movedFrom.get(ticket.id) || before.table);
    }
    const arrived = ticket.status === "fired" && (!before || before.status === "held");
    if (arrived || (!before && ticket.status === "held")) this.fresh.set(ticket.id, Date.now() + FRESH_MS);
    if (arrived && !quiet) (ticket.rush ? beepRush : beepTicket)();
    this.render([ticket.id]);
  }

  /** A `station_timing` event: the back office changed when this station's tickets turn
   * yellow and red; the tickets already on the board take the new times at once. */
  stationTiming({ station, warn_after_seconds: warn, late_after_seconds: late }) {
    const retime = (ticket) => {
      if (ticket?.station === station) Object.assign(ticket, { warn_after_seconds: warn, late_after_seconds: late });
    };
    for (const ticket of this.tickets.values()) retime(ticket);
    for (const pending of this.pending.values()) retime(pending.held);
    this.tick();
  }

  // --- what is shown -----------------------------------------------------------------

  /** The cards on the board, in order. */
  active() {
    const onBoard = [...this.tickets.values()].filter((ticket) => ticket.status !== "bumped");
    const rank = (ticket) => (ticket.status === "held" ? 2 : ticket.rush ? 0 : 1);
    return onBoard.sort((a, b) => rank(a) - rank(b)
      || (a.fired_at || a.created_at || "").localeCompare(b.fired_at || b.created_at || "")
      || a.id - b.id);
  }

  bumped() {
    return [...this.tickets.values()].filter((ticket) => ticket.status === "bumped")
      .sort((a, b) => (b.bumped_at || "").localeCompare(a.bumped_at || "") || b.id - a.id);
  }

  /** The cards on the board now, by ticket id (the page shown). */
  get cards() {
    return this.pager.cards;
  }

  /** Redraw the cards named (all when none), show the selected card's page, and recount. */
  render(changed = null) {
    const order = this.active();
    if (!order.some((ticket) => ticket.id === this.selected)) {
      // Gone (bumped, put away): the card now in its place, on the page being worked.
      this.selected = this.selected === null
        ? order.find((ticket) => ticket.status !== "held")?.id ?? order[0]?.id ?? null
        : order[Math.min(this.selectedAt, order.length - 1)]?.id ?? null;
    }
    this.selectedAt = Math.max(0, order.findIndex((ticket) => ticket.id === this.selected));
    this.pager.show(order, { changed, anchor: this.selected });
    this.markSelected();
    this.renderRecall();
    this.renderAllDay();
    this.renderCounts(order);
  }

  card(ticket, index) {
    const card = ticketCard(ticket, {
      index, selected: ticket.id === this.selected, moved: this.movedFrom.get(ticket.id),
      fresh: (this.fresh.get(ticket.id) || 0) > Date.now(), canBump: this.canBump,
    });
    card.dataset.index = String(index);
    return card;
  }

  markSelected() {
    for (const [id, element] of this.cards) {
      if (id === this.selected) element.setAttribute("aria-current", "true");
      else element.removeAttribute("aria-current");
    }
  }

  renderRecall() {
    const all = this.bumped();
    for (const old of all.slice(RECALL_KEPT)) this.tickets.delete(old.id); // a long service stays light
    const bumped = all.slice(0, RECALL_SHOWN);
    this.recallList.replaceChildren(...(bumped.length
      ? bumped.map(recallChip)
      : [h("span", { class: "kds-recall-empty" }, t("no_recall"))]));
  }

  /** "4× Antricot": what is still to make across the fired tickets, counted here. */
  renderAllDay() {
    const counts = new Map();
    for (const ticket of this.tickets.values()) {
      if (ticket.status !== "fired") continue;
      for (const line of ticket.lines) {
        if (line.status === "void" || line.done) continue;
        const name = nameOf(line.names);
        counts.set(name, (counts.get(name) || 0) + line.quantity);
      }
    }
    const rows = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    this.allDayList.replaceChildren(...(rows.length ? rows.map(([name, count]) => h("li", {
      class: "kds-allday-row", dataset: { alldayItem: name, count },
    }, h("span", { class: "kds-allday-count" }, `${count}×`), h("span", { class: "kds-allday-name" }, name)))
      : [h("li", { class: "kds-allday-empty" }, t("all_day_empty"))]));
  }

  renderCounts(order) {
    const fired = order.filter((ticket) => ticket.status === "fired").length;
    const held = order.filter((ticket) => ticket.status === "held").length;
    this.board.dataset.tickets = String(order.length); // on every page: for bench/kitchen.py
    this.counts.replaceChildren(...[
      h("span", { class: "kds-count", dataset: { countOpen: fired } }, t("tickets_n", { count: fired })),
      held ? h("span", { class: "kds-count is-held", dataset: { countHeld: held } }, t("held_n", { count: held })) : null,
    ].filter(Boolean));
  }

  /** Every second: the timers, and the "new" flash running out. */
  tick() {
    const now = Date.now();
    for (const [id, until] of this.fresh) {
      if (until <= now) {
        this.fresh.delete(id);
        this.cards.get(id)?.classList.remove("is-new");
      }
    }
    for (const [id, element] of this.cards) tickTimer(element, this.tickets.get(id));
  }

  // --- taps and keys --------------------------------------------------------------------

  clicked(event) {
    const card = event.target.closest("[data-ticket-id]");
    if (!card) return;
    const id = Number(card.dataset.ticketId);
    this.select(id);
    if (event.target.closest("[data-bump]")) this.bump(id);
    else if (event.target.closest("[data-dismiss]")) this.dismiss(id);
    else {
      const line = event.target.closest("[data-line-id]");
      if (line && !line.disabled) this.toggleLine(id, Number(line.dataset.lineId));
    }
  }

  /** Select a card of the page shown (a tap, the keys): another page's, by turning to it. */
  select(id) {
    if (this.selected === id) return;
    this.selected = id;
    if (this.cards.has(id)) this.markSelected();
    else this.render([]);
  }

  /** Keys 1–9: the card with that number on the page shown. */
  selectIndex(index) {
    const id = this.pager.shown[index];
    if (id !== undefined) this.select(id);
  }

  move(step) {
    const order = this.active();
    if (!order.length) return;
    const at = order.findIndex((ticket) => ticket.id === this.selected);
    const next = Math.min(order.length - 1, Math.max(0, (at < 0 ? 0 : at + step)));
    this.select(order[next].id);
  }

  /** ↑/↓: the ticket above or below in its column (past the page's edge, on the next). */
  moveInColumn(step) {
    const id = this.pager.inColumn(this.selected, step);
    if (id !== null) this.select(id);
  }

  /** ↑/↓ on a ticket taller than the board: its lines scroll first (layout.js). */
  scrollSelected(step) {
    return scrollTall(this.cards.get(this.selected), step);
  }

  /** The next page (1) or the one before (-1): its first card is selected. */
  turnPage(step) {
    const id = this.pager.firstKeyOf(this.pager.current + step);
    if (id !== null) this.select(id);
  }

  bumpSelected() {
    const ticket = this.tickets.get(this.selected);
    if (!ticket) return;
    if (ticket.status === "void") this.dismiss(ticket.id);
    else this.bump(ticket.id);
  }

  recallLast() {
    const last = this.bumped()[0];
    if (last) this.recall(last.id);
  }

  dismiss(id) {
    this.tickets.delete(id);
    this.render([]);
  }

  // --- the API, shown at once and put right if refused -------------------------------

  /**
   * Change a ticket on screen now, call the server, and undo the change if it refuses.
   * While the call is out, an event that does not show the change yet (one sent before
   * it) is held back, so the card does not flick back and forth; `settled(ticket)` says
   * whether a ticket shows the change.
   */
  async change(id, edit, settled, request) {
    const before = this.tickets.get(id);
    if (!before) return;
    const mine = edit(structuredClone(before));
    if (!this.pending.has(id)) this.pending.set(id, { checks: new Set(), held: null });
    const pending = this.pending.get(id);
    pending.checks.add(settled);
    this.tickets.set(id, mine);
    this.render([id]);
    let failure = null;
    try {
      await request();
    } catch (error) {
      failure = error;
    }
    pending.checks.delete(settled);
    if (!pending.checks.size) this.pending.delete(id);
    const held = pending.held;
    pending.held = null;
    if (failure) {
      if (held) this.update(held, { quiet: true }); // the server's word
      else if (this.tickets.get(id) === mine) {
        this.tickets.set(id, before); // nothing newer came meanwhile: show it as it was
        this.render([id]);
      }
      this.onError(failure);
    } else if (held && settled(held)) {
      this.update(held, { quiet: true });
    }
  }

  bump(id) {
    const ticket = this.tickets.get(id);
    if (!ticket || ticket.status !== "fired" || !this.canBump) return;
    if (this.selected === id) {
      // The selection stays where it was: on the ticket that moves up into this place.
      const order = this.active();
      const rest = order.filter((tk) => tk.id !== id);
      this.selected = rest[Math.min(order.findIndex((tk) => tk.id === id), rest.length - 1)]?.id ?? null;
    }
    this.change(id, (tk) => Object.assign(tk, { status: "bumped", bumped_at: new Date().toISOString() }),
      (tk) => tk.status === "bumped", () => post(`/kitchen/tickets/${id}/bump`, { client_id: uuid() }));
  }

  recall(id) {
    const ticket = this.tickets.get(id);
    if (!ticket || ticket.status !== "bumped" || !this.canBump) return;
    this.change(id, (tk) => Object.assign(tk, { status: "fired", bumped_at: null, ready_at: null,
                                                lines: tk.lines.map((l) => ({ ...l, done: false })) }),
      (tk) => tk.status !== "bumped", () => post(`/kitchen/tickets/${id}/recall`, { client_id: uuid() }));
    this.select(id);
  }

  toggleLine(id, lineId) {
    const ticket = this.tickets.get(id);
    const line = ticket?.lines.find((l) => l.line_id === lineId);
    if (!line || !this.canBump) return;
    const done = !line.done;
    this.change(id, (tk) => {
      tk.lines.find((l) => l.line_id === lineId).done = done;
      return tk;
    }, (tk) => tk.lines.find((l) => l.line_id === lineId)?.done === done,
    () => post(`/kitchen/tickets/${id}/lines/${lineId}/done`, { done }));
  }
}

/**
 * What decides a ticket card's height (cards of one shape measure the same) and a guess at
 * it in rem (kitchen.css: head, lines, bump button) until one is measured.
 */
function shapeOf(ticket, moved) {
  let estimate = 6.75 + 3.7 + (ticket.rush ? 1.75 : 0) + (ticket.status === "void" ? 1.9 : 0) + (moved ? 1.6 : 0);
  const lines = ticket.lines.map((line) => {
    const name = nameOf(line.names);
    const mods = (line.modifiers || []).map(nameOf).filter(Boolean);
    estimate += 3.3 + mods.length * 1.45 + (line.note ? 1.5 : 0) + (line.allergens?.length ? 1.6 : 0);
    return [Math.ceil(name.length / 8), mods.map((m) => Math.ceil(m.length / 12)).join("+"),
      Math.ceil((line.note?.length || 0) / 16), line.seat ? "s" : "", line.done ? "d" : "",
      line.status === "void" ? "v" : "", line.allergens?.length || 0].join(".");
  });
  return { shape: `${ticket.rush ? "r" : ""}${ticket.status}${moved ? "m" : ""}|${lines.join(",")}`, estimate };
}
