// How a ticket looks on a kitchen screen: the place in big type, the timer coloured by
// the station's thresholds, each line with its quantity, seat, modifiers, note and
// allergens. Shared by the station screens and expo.
import { clock, elapsed, h, icon, nameOf, placeOf, secondsSince, t } from "./util.js";

const WARN_DEFAULT = 8 * 60;
const LATE_DEFAULT = 12 * 60;

/** "ok", "warn" or "late" for a ticket fired `seconds` ago (held: "held"). */
export function timerState(ticket, seconds = secondsSince(ticket.fired_at)) {
  if (ticket.status === "held" || seconds === null) return "held";
  const warn = ticket.warn_after_seconds ?? WARN_DEFAULT;
  const late = ticket.late_after_seconds ?? LATE_DEFAULT;
  return seconds >= late ? "late" : seconds >= warn ? "warn" : "ok";
}

/** Refresh one card's timer text and colour (every second, without redrawing the card). */
export function tickTimer(card, ticket) {
  const seconds = secondsSince(ticket.fired_at);
  const state = timerState(ticket, seconds);
  if (card.dataset.timer !== state) card.dataset.timer = state;
  const text = card.querySelector("[data-timer-text]");
  if (text && seconds !== null) text.textContent = elapsed(seconds);
}

export function allergenBadges(codes) {
  if (!codes?.length) return null;
  return h("span", { class: "kds-allergens" }, codes.map((code) => h("span", {
    class: "kds-allergen", dataset: { allergen: code },
  }, icon("alert", 16), t(`allergen_${code}`))));
}

/** One line: "2× Antricot  S1", its modifiers indented, the note, the allergens. */
export function lineBody(line, { compact = false } = {}) {
  const modifiers = (line.modifiers || []).map(nameOf).filter(Boolean);
  return [
    h("span", { class: "kds-line-main" },
      h("span", { class: "kds-qty" }, `${line.quantity}×`),
      h("span", { class: "kds-item" }, nameOf(line.names)),
      line.seat ? h("span", { class: "kds-seat", title: t("seat_n", { n: line.seat }) }, t("seat_short", { n: line.seat })) : null,
      line.status === "void" ? h("span", { class: "kds-void-tag" }, t("void")) : null,
      line.done && line.status !== "void" ? h("span", { class: "kds-done-mark", "aria-label": t("made") }, icon("check", compact ? 20 : 26)) : null),
    modifiers.length ? h("span", { class: "kds-mods" }, modifiers.map((m) => h("span", { class: "kds-mod" }, m))) : null,
    line.note ? h("span", { class: "kds-note" }, icon("note", 18), h("span", {}, line.note)) : null,
    allergenBadges(line.allergens),
  ];
}

/** The card's head: index for the keyboard, place, timer, and course · server · guests. */
export function cardHead(ticket, { index, course, moved, started = ticket.fired_at, label } = {}) {
  const seconds = secondsSince(started);
  const held = ticket.status === "held";
  const isTable = Boolean(ticket.table);
  return h("header", { class: "kds-head" },
    h("span", { class: "kds-index", "aria-hidden": "true" }, index && index <= 9 ? String(index) : ""),
    h("span", { class: "kds-place" },
      h("span", { class: "kds-place-label" }, isTable ? t("table") : t("tab")),
      h("span", { class: `kds-place-name${isTable ? "" : " is-name"}`, dataset: { place: "" } }, placeOf(ticket))),
    held
      ? h("span", { class: "kds-timer kds-held-badge" }, icon("pause", 22), h("span", {}, t("held")))
      : h("span", { class: "kds-timer", dataset: { timerText: "" }, role: "timer" }, elapsed(seconds ?? 0)),
    h("span", { class: "kds-meta" },
      h("span", { class: "kds-course" }, course ?? (ticket.course ? nameOf(ticket.course.names) : t("no_course"))),
      ticket.guests ? h("span", { class: "kds-guests", title: t("guests_n", { count: ticket.guests }) },
        icon("user", 18), String(ticket.guests)) : null,
      ticket.server ? h("span", { class: "kds-server", title: ticket.server }, ticket.server) : null,
      label ? h("span", { class: "kds-label" }, label) : null),
    moved ? h("span", { class: "kds-moved", dataset: { moved: "" } }, icon("move", 18), t("moved_from", { table: moved })) : null);
}

/** A station's ticket, ready to go on the board. */
export function ticketCard(ticket, { index, selected, moved, fresh, canBump }) {
  const held = ticket.status === "held";
  const voided = ticket.status === "void";
  const card = h("article", {
    class: `kds-ticket${fresh ? " is-new" : ""}`,
    dataset: { ticketId: ticket.id, checkId: ticket.check_id, status: ticket.status, timer: timerState(ticket) },
    "data-rush": ticket.rush ? "" : null,
    "aria-current": selected ? "true" : null,
    "aria-label": `${t(ticket.table ? "table_n" : "tab_n", { name: placeOf(ticket) })}${ticket.rush ? ` · ${t("rush")}` : ""}`,
  },
  ticket.rush ? h("div", { class: "kds-rush" }, icon("bolt", 20), t("rush")) : null,
  voided ? h("div", { class: "kds-void-banner" }, t("ticket_void")) : null,
  cardHead(ticket, { index, moved }),
  h("ol", { class: "kds-lines" }, ticket.lines.map((line) => h("li", {},
    h("button", {
      type: "button", class: "kds-line",
      dataset: { lineId: line.line_id, status: line.status, done: String(Boolean(line.done)) },
      disabled: held || voided || line.status === "void" || !canBump,
      "aria-pressed": String(Boolean(line.done)),
    }, lineBody(line))))),
  h("footer", { class: "kds-foot-row" },
    voided
      ? h("button", { type: "button", class: "kds-bump is-dismiss", dataset: { dismiss: "" } }, icon("close", 26), t("dismiss"))
      : h("button", {
        type: "button", class: "kds-bump", dataset: { bump: "" }, disabled: held || !canBump,
      }, icon(held ? "pause" : "check", 28), held ? t("held_wait") : t("bump"))));
  return card;
}

/** A bumped ticket in the recall bar. */
export function recallChip(ticket) {
  return h("button", {
    type: "button", class: "kds-recall-chip", dataset: { recall: ticket.id },
    "aria-label": `${t("recall")}: ${t(ticket.table ? "table_n" : "tab_n", { name: placeOf(ticket) })}`,
  },
  icon("undo", 20),
  h("span", { class: "kds-recall-place" }, placeOf(ticket)),
  h("span", { class: "kds-recall-detail" },
    ticket.course ? nameOf(ticket.course.names) : t("no_course"), " · ", clock(ticket.bumped_at)));
}
