// Expo, at the pass: every station's tickets grouped by check and course, each station's
// part with its state. When every part is bumped, a big "Ready" calls the server's tablet.
// Called courses wait in the side list until the server picks them up. The board is shown
// a page at a time (layout.js), its cards in column stacks read left to right, top to bottom.
import { post } from "./api.js";
import { allergenBadges, cardHead, lineKey, setIndex, tickTimer } from "./card.js";
import { Pager, scrollTall } from "./layout.js";
import { beepTicket, chimeReady } from "./sound.js";
import { clock, elapsed, h, icon, nameOf, placeOf, secondsSince, stamp, t } from "./util.js";

const keyOf = (checkId, courseId) => `${checkId}:${courseId ?? "-"}`;
const FLASH_MS = 3000; // kitchen.css: .is-new flashes three times, a second each

export class ExpoBoard {
  constructor({ board, pager, side, counts, stations, canBump, toast, onError }) {
    this.board = board;
    this.side = side;
    this.counts = counts;
    this.stationNames = new Map(stations.map((s) => [s.code, s.names]));
    this.stationOrder = stations.map((s) => s.code);
    this.canBump = canBump;
    this.toast = toast;
    this.onError = onError; // a refused or failed request: told on screen
    this.tickets = new Map();
    this.calling = new Set(); // group keys whose "ready" is on its way
    this.flashing = new Map(); // group key → until when its card flashes (complete: to call)
    this.selected = null;
    this.selectedAt = 0; // where the selected course was in the order: its place if it goes
    this.pager = new Pager({
      board, nav: pager, keyOf: (group) => group.key, shapeOf: (group) => this.shapeOf(group),
      build: (group, number) => this.groupCard(group, number), renumber: setIndex,
      onTurn: (step) => this.turnPage(step), onResize: () => this.render(),
    });
    board.addEventListener("click", (event) => {
      const card = event.target.closest("[data-group]");
      if (!card) return;
      this.select(card.dataset.group);
      if (event.target.closest("[data-ready]")) this.callReady(card.dataset.group);
    });
  }

  /** The expo station's own thresholds time a course at the pass. */
  setStation(station) {
    this.code = station.code;
    this.thresholds = { warn_after_seconds: station.warn_after_seconds, late_after_seconds: station.late_after_seconds };
  }

  /** A `station_timing` event: expo's own new colour times recolour the courses shown at once
   * (another station's times are its tickets', which expo does not colour by). */
  stationTiming({ station, warn_after_seconds: warn, late_after_seconds: late }) {
    const times = { warn_after_seconds: warn, late_after_seconds: late };
    for (const ticket of this.tickets.values()) if (ticket.station === station) Object.assign(ticket, times);
    if (station !== this.code) return;
    this.thresholds = times;
    for (const element of this.cards.values()) if (element.kdsTimed) Object.assign(element.kdsTimed, times);
    this.tick();
  }

  load(tickets) {
    this.tickets = new Map(tickets.map((ticket) => [ticket.id, ticket]));
    this.render();
  }

  update(ticket, { quiet = false } = {}) {
    const before = this.tickets.get(ticket.id);
    this.tickets.set(ticket.id, ticket);
    if (!quiet && ticket.status === "fired" && (!before || before.status === "held")) beepTicket();
    this.render([keyOf(ticket.check_id, ticket.course?.id)]);
  }

  /** `course_complete`: every station bumped its part; expo can call it. */
  courseComplete(data) {
    chimeReady();
    const key = keyOf(data.check_id, data.course_id);
    this.flashing.set(key, Date.now() + FLASH_MS);
    this.render([key]);
  }

  /** `ready` (ours or another expo screen's): the course waits at the pass. */
  ready(data) {
    const key = keyOf(data.check_id, data.course?.id);
    for (const ticket of this.tickets.values()) {
      if (keyOf(ticket.check_id, ticket.course?.id) === key) ticket.ready_at = ticket.ready_at || data.ready_at;
    }
    this.render([key]);
  }

  /** `served`: the server took the plates; the course leaves the pass. */
  served(data) {
    const key = keyOf(data.check_id, data.course_id);
    for (const [id, ticket] of this.tickets) {
      if (keyOf(ticket.check_id, ticket.course?.id) === key && ticket.status === "bumped") this.tickets.delete(id);
    }
    this.render([key]);
  }

  // --- groups ------------------------------------------------------------------------

  groups() {
    const groups = new Map();
    for (const ticket of [...this.tickets.values()].sort((a, b) => a.id - b.id)) {
      if (ticket.status === "void") continue;
      const key = keyOf(ticket.check_id, ticket.course?.id);
      if (!groups.has(key)) groups.set(key, { key, first: ticket, tickets: [] });
      groups.get(key).tickets.push(ticket);
    }
    for (const group of groups.values()) {
      const tickets = group.tickets;
      group.first = tickets.find((tk) => tk.status !== "bumped") || tickets[tickets.length - 1];
      group.complete = tickets.every((tk) => tk.status === "bumped");
      group.held = tickets.every((tk) => tk.status === "held");
      group.readyAt = group.complete && tickets.every((tk) => tk.ready_at)
        ? tickets.map((tk) => tk.ready_at).sort()[0] : null;
      group.firedAt = tickets.map((tk) => tk.fired_at).filter(Boolean).sort()[0] || null;
      group.rush = tickets.some((tk) => tk.rush);
    }
    return [...groups.values()];
  }

  /** On the board: groups not yet called; complete ones first (to call), then rushed,
   * then by fire time, held ones last. */
  onBoard(groups = this.groups()) {
    const rank = (g) => (g.complete ? 0 : g.held ? 3 : g.rush ? 1 : 2);
    return groups.filter((g) => !g.readyAt)
      .sort((a, b) => rank(a) - rank(b) || (a.firedAt || "~").localeCompare(b.firedAt || "~")
        || a.first.id - b.first.id);
  }

  /** The cards on the board now, by group key (the page shown). */
  get cards() {
    return this.pager.cards;
  }

  /** Redraw the groups named (all when none), show the selected card's page, and recount. */
  render(changed = null) {
    const groups = this.groups();
    const order = this.onBoard(groups);
    if (!order.some((g) => g.key === this.selected)) {
      // Gone (called ready): the card now in its place, on the page being worked.
      this.selected = order[this.selected === null ? 0 : Math.min(this.selectedAt, order.length - 1)]?.key ?? null;
    }
    this.selectedAt = Math.max(0, order.findIndex((g) => g.key === this.selected));
    this.pager.show(order, { changed, anchor: this.selected });
    this.markSelected();
    this.board.dataset.tickets = String(openTickets(groups)); // for bench/kitchen.py
    this.renderPass(groups.filter((g) => g.readyAt));
    const complete = order.filter((g) => g.complete).length;
    this.counts.replaceChildren(...[
      h("span", { class: "kds-count" }, t("courses_n", { count: order.length })),
      complete ? h("span", { class: "kds-count is-ready" }, t("complete_n", { count: complete })) : null,
    ].filter(Boolean));
  }

  /**
   * What decides a group card's height (cards of one shape measure the same) and a guess
   * at it in rem (kitchen.css: head, part head and lines, footer) until one is measured.
   */
  shapeOf(group) {
    let estimate = 6.75 + (group.rush ? 1.75 : 0) + (group.complete ? 5.1 : 3.7);
    const parts = group.tickets.map((ticket) => {
      estimate += 2.7;
      return ticket.lines.map((line) => {
        const name = nameOf(line.names);
        const mods = line.modifiers?.length ? line.modifiers.map(nameOf).join(", ") : "";
        estimate += 1.9 + (mods ? 1.3 : 0) + (line.note ? 1.3 : 0) + (line.allergens?.length ? 1.6 : 0);
        return [Math.ceil(name.length / 8), Math.ceil(mods.length / 16), Math.ceil((line.note?.length || 0) / 16),
          line.seat ? "s" : "", line.allergens?.length || 0].join(".");
      }).join(",");
    });
    const waiting = group.tickets.filter((ticket) => ticket.status !== "bumped").length;
    const state = group.complete ? "c" : group.held ? "h" : `w${waiting}`;
    return { shape: `${group.rush ? "r" : ""}${state}|${parts.join("/")}`, estimate };
  }

  groupCard(group, index) {
    const first = group.first;
    const parts = [...group.tickets].sort((a, b) =>
      this.stationOrder.indexOf(a.station) - this.stationOrder.indexOf(b.station) || a.id - b.id);
    const waiting = [...new Set(parts.filter((tk) => tk.status !== "bumped").map((tk) => nameOf(this.stationNames.get(tk.station))))];
    const state = group.complete ? "complete" : group.held ? "held" : "cooking";
    const calling = this.calling.has(group.key);
    const head = cardHead({ ...first, status: group.held ? "held" : "fired" }, { index, started: group.firedAt });
    const card = h("article", {
      class: `kds-ticket kds-group${(this.flashing.get(group.key) || 0) > Date.now() ? " is-new" : ""}`,
      dataset: { group: group.key, checkId: first.check_id, state, status: group.held ? "held" : "fired",
                 timer: "ok" },
      "data-rush": group.rush ? "" : null,
      "aria-label": t(first.table ? "table_n" : "tab_n", { name: placeOf(first) }),
    },
    group.rush ? stamp(["rush"], () => h("div", { class: "kds-rush" }, icon("bolt", 20), t("rush"))) : null,
    head,
    h("div", { class: "kds-parts" }, parts.map((ticket) => this.part(ticket))),
    group.complete
      ? stamp(["ready", calling || !this.canBump], () => h("footer", { class: "kds-foot-row" },
        h("button", { type: "button", class: "kds-bump kds-ready", dataset: { ready: "" }, disabled: calling || !this.canBump },
          t("ready")))) // its bell is drawn by kitchen.css
      : stamp(["waiting", group.held ? t("held_wait") : t("waiting_for", { stations: waiting.join(", ") })],
        () => h("footer", { class: "kds-foot-row" }, h("div", { class: "kds-waiting" },
          group.held ? t("held_wait") : t("waiting_for", { stations: waiting.join(", ") })))));
    const timed = { ...first, ...this.thresholds, status: group.held ? "held" : "fired", fired_at: group.firedAt };
    card.kdsTimerText = head.kdsTimerText;
    tickTimer(card, timed);
    card.kdsTimed = timed;
    card.dataset.index = String(index);
    return card;
  }

  /** A station's part of the group: built once for each look, then cloned (stamp). */
  part(ticket) {
    const made = ticket.lines.filter((l) => l.status !== "void" && l.done).length;
    const total = ticket.lines.filter((l) => l.status !== "void").length;
    const label = ticket.status === "bumped" ? t("part_done")
      : ticket.status === "held" ? t("held") : t("part_cooking", { done: made, total });
    const station = nameOf(this.stationNames.get(ticket.station)) || ticket.station;
    const part = stamp(["part", ticket.station, station, ticket.status, label, ...ticket.lines.map(lineKey)],
      () => h("section", { class: "kds-part", dataset: { station: ticket.station, partState: ticket.status } },
        h("h3", { class: "kds-part-head" },
          h("span", { class: "kds-part-station" }, station),
          h("span", { class: "kds-part-state" }, label)), // a done part's tick: kitchen.css
        h("ul", { class: "kds-part-lines" }, ticket.lines.map((line) => h("li", {
          class: "kds-part-line", dataset: { status: line.status, done: String(Boolean(line.done)) },
        },
        h("span", { class: "kds-qty" }, `${line.quantity}×`),
        h("span", { class: "kds-part-text" },
          h("span", { class: "kds-item" }, nameOf(line.names)),
          line.modifiers?.length ? h("span", { class: "kds-part-mods" }, line.modifiers.map(nameOf).join(", ")) : null,
          line.note ? h("span", { class: "kds-part-note" }, line.note) : null),
        line.seat ? h("span", { class: "kds-seat" }, t("seat_short", { n: line.seat })) : h("span"),
        allergenBadges(line.allergens))))));
    part.dataset.ticketId = ticket.id;
    return part;
  }

  /** Called ready, waiting for the server: how long the plates have stood at the pass. */
  renderPass(groups) {
    groups.sort((a, b) => a.readyAt.localeCompare(b.readyAt));
    this.side.replaceChildren(...(groups.length ? groups.map((group) => h("li", {
      class: "kds-pass-row", dataset: { passGroup: group.key },
    },
    h("span", { class: "kds-pass-place" }, placeOf(group.first)),
    h("span", { class: "kds-pass-text" },
      h("span", { class: "kds-pass-course" }, group.first.course ? nameOf(group.first.course.names) : t("no_course")),
      h("span", { class: "kds-pass-server" }, group.first.server || "")),
    h("span", { class: "kds-pass-time", dataset: { readyAt: group.readyAt }, title: clock(group.readyAt) },
      elapsed(secondsSince(group.readyAt) ?? 0))))
      : [h("li", { class: "kds-allday-empty" }, t("pass_empty"))]));
  }

  tick() {
    const now = Date.now();
    for (const [key, until] of this.flashing) if (until <= now) this.flashing.delete(key);
    for (const element of this.cards.values()) if (element.kdsTimed) tickTimer(element, element.kdsTimed);
    for (const element of this.side.querySelectorAll("[data-ready-at]")) {
      element.textContent = elapsed(secondsSince(element.dataset.readyAt) ?? 0);
    }
  }

  // --- taps and keys -----------------------------------------------------------------

  markSelected() {
    for (const [key, element] of this.cards) {
      if (key === this.selected) element.setAttribute("aria-current", "true");
      else element.removeAttribute("aria-current");
    }
  }

  /** Select a card of the page shown (a tap, the keys): another page's, by turning to it. */
  select(key) {
    if (this.selected === key) return;
    this.selected = key;
    if (this.cards.has(key)) this.markSelected();
    else this.render([]);
  }

  /** Keys 1–9: the card with that number on the page shown. */
  selectIndex(index) {
    const key = this.pager.shown[index];
    if (key !== undefined) this.select(key);
  }

  move(step) {
    const order = this.onBoard();
    if (!order.length) return;
    const at = order.findIndex((g) => g.key === this.selected);
    this.select(order[Math.min(order.length - 1, Math.max(0, at < 0 ? 0 : at + step))].key);
  }

  /** ↑/↓: the course above or below in its column (past the page's edge, on the next). */
  moveInColumn(step) {
    const key = this.pager.inColumn(this.selected, step);
    if (key !== null) this.select(key);
  }

  /** ↑/↓ on a ticket taller than the board: its lines scroll first (layout.js). */
  scrollSelected(step) {
    return scrollTall(this.cards.get(this.selected), step);
  }

  /** The next page (1) or the one before (-1): its first card is selected. */
  turnPage(step) {
    const key = this.pager.firstKeyOf(this.pager.current + step);
    if (key !== null) this.select(key);
  }

  bumpSelected() {
    if (this.selected) this.callReady(this.selected);
  }

  recallLast() { /* expo calls courses; stations recall their own tickets */ }

  async callReady(key) {
    const group = this.groups().find((g) => g.key === key);
    if (!group?.complete || group.readyAt || this.calling.has(key) || !this.canBump) return;
    this.calling.add(key);
    this.render([key]);
    try {
      const notice = await post("/kitchen/ready", { check_id: group.first.check_id, course_id: group.first.course?.id ?? null });
      this.ready(notice);
      const course = group.first.course ? nameOf(group.first.course.names) : t("no_course");
      this.toast(t("ready_called", { place: placeOf(group.first), course }), "success");
    } catch (error) {
      this.onError(error);
    } finally {
      this.calling.delete(key);
      this.render([key]);
    }
  }
}

/** The tickets still to make (held or fired) on the board, on every page. */
function openTickets(groups) {
  let open = 0;
  for (const group of groups) for (const ticket of group.tickets) if (ticket.status !== "bumped") open++;
  return open;
}
