// How a ticket looks on a kitchen screen: the place in big type, the timer coloured by
// the station's thresholds, each line with its quantity, seat, modifiers, note and
// allergens. Shared by the station screens and expo.
import { clock, elapsed, h, icon, nameOf, now, placeOf, secondsSince, stamp, t } from "./util.js";

const WARN_DEFAULT = 8 * 60;
const LATE_DEFAULT = 12 * 60;

/** "ok", "warn" or "late" for a ticket fired `seconds` ago (held: "held"). */
export function timerState(ticket, seconds = secondsSince(ticket.fired_at)) {
  if (ticket.status === "held" || seconds === null) return "held";
  const warn = ticket.warn_after_seconds ?? WARN_DEFAULT;
  const late = ticket.late_after_seconds ?? LATE_DEFAULT;
  return seconds >= late ? "late" : seconds >= warn ? "warn" : "ok";
}

/**
 * Refresh one card's timer text and colour (every second, without redrawing the card).
 * The board calls it for every card from one shared tick; what it needs is kept on the
 * card the first time (the timer's element, the start time parsed once), so a tick over
 * 500 cards parses no dates, searches no DOM and writes only what changed.
 */
export function tickTimer(card, ticket) {
  let timer = card.kdsTimer;
  if (!timer || timer.ticket !== ticket) {
    const at = ticket.fired_at ? Date.parse(ticket.fired_at) : NaN;
    const text = card.kdsTimerText !== undefined ? card.kdsTimerText : card.querySelector("[data-timer-text]");
    timer = card.kdsTimer = { ticket, at, text, shown: null };
  }
  const seconds = Number.isNaN(timer.at) ? null : Math.max(0, Math.floor((now() - timer.at) / 1000));
  const state = timerState(ticket, seconds);
  if (card.dataset.timer !== state) card.dataset.timer = state;
  if (timer.text && seconds !== null && seconds !== timer.shown) {
    timer.shown = seconds;
    timer.text.textContent = elapsed(seconds);
  }
}

/** The card's place on the board changed (and nothing else): its 1–9 key, in place. */
export function setIndex(card, index) {
  card.dataset.index = String(index);
  const badge = card.kdsIndex ??= card.querySelector(".kds-index");
  const text = index && index <= 9 ? String(index) : "";
  if (badge && badge.textContent !== text) badge.textContent = text;
}

export function allergenBadges(codes) {
  if (!codes?.length) return null;
  return stamp(["allergens", ...codes], () => h("span", { class: "kds-allergens" }, codes.map((code) => h("span", {
    class: "kds-allergen", dataset: { allergen: code }, // its ⚠ is drawn by kitchen.css
  }, t(`allergen_${code}`)))));
}

/** Everything that decides how a line looks (its id aside). */
export function lineKey(line) {
  return [line.quantity, nameOf(line.names), (line.modifiers || []).map(nameOf), line.note || "",
    line.seat || 0, line.status, Boolean(line.done), line.allergens || []];
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
  const held = ticket.status === "held";
  const isTable = Boolean(ticket.table);
  const courseName = course ?? (ticket.course ? nameOf(ticket.course.names) : t("no_course"));
  // Built once for each look; the place, the time and the number are set on the copy.
  const head = stamp(["head", held, isTable, courseName, ticket.guests || 0, ticket.server || "", moved || "", label || ""],
    () => h("header", { class: "kds-head" },
      h("span", { class: "kds-index", "aria-hidden": "true" }),
      h("span", { class: "kds-place" },
        h("span", { class: "kds-place-label" }, isTable ? t("table") : t("tab")),
        h("span", { class: `kds-place-name${isTable ? "" : " is-name"}`, dataset: { place: "" } })),
      held
        ? h("span", { class: "kds-timer kds-held-badge" }, icon("pause", 22), h("span", {}, t("held")))
        : h("span", { class: "kds-timer", dataset: { timerText: "" }, role: "timer" }),
      h("span", { class: "kds-meta" },
        h("span", { class: "kds-course" }, courseName),
        ticket.guests ? h("span", { class: "kds-guests", title: t("guests_n", { count: ticket.guests }) },
          String(ticket.guests)) : null, // its icon is drawn by kitchen.css
        ticket.server ? h("span", { class: "kds-server", title: ticket.server }, ticket.server) : null,
        label ? h("span", { class: "kds-label" }, label) : null),
      moved ? h("span", { class: "kds-moved", dataset: { moved: "" } }, icon("move", 18), t("moved_from", { table: moved })) : null));
  const [number, place, timer] = head.children;
  if (index && index <= 9) number.textContent = String(index);
  place.lastElementChild.textContent = placeOf(ticket);
  if (!held) timer.textContent = elapsed(secondsSince(started) ?? 0);
  head.kdsTimerText = held ? null : timer; // for the card's timer (tickTimer), found once
  return head;
}

/** A station's ticket, ready to go on the board. */
export function ticketCard(ticket, { index, selected, moved, fresh, canBump }) {
  const held = ticket.status === "held";
  const voided = ticket.status === "void";
  const head = cardHead(ticket, { index, moved });
  const card = h("article", {
    class: `kds-ticket${fresh ? " is-new" : ""}`,
    dataset: { ticketId: ticket.id, checkId: ticket.check_id, status: ticket.status, timer: timerState(ticket) },
    "data-rush": ticket.rush ? "" : null,
    "aria-current": selected ? "true" : null,
    "aria-label": `${t(ticket.table ? "table_n" : "tab_n", { name: placeOf(ticket) })}${ticket.rush ? ` · ${t("rush")}` : ""}`,
  },
  ticket.rush ? stamp(["rush"], () => h("div", { class: "kds-rush" }, icon("bolt", 20), t("rush"))) : null,
  voided ? h("div", { class: "kds-void-banner" }, t("ticket_void")) : null,
  head,
  h("ol", { class: "kds-lines" }, ticket.lines.map((line) => {
    const disabled = held || voided || line.status === "void" || !canBump;
    const item = stamp(["line", disabled, ...lineKey(line)], () => h("li", {},
      h("button", {
        type: "button", class: "kds-line",
        dataset: { status: line.status, done: String(Boolean(line.done)) },
        disabled, "aria-pressed": String(Boolean(line.done)),
      }, lineBody(line))));
    item.firstElementChild.dataset.lineId = line.line_id;
    return item;
  })),
  h("footer", { class: "kds-foot-row" },
    voided
      ? h("button", { type: "button", class: "kds-bump is-dismiss", dataset: { dismiss: "" } }, icon("close", 26), t("dismiss"))
      : h("button", {
        type: "button", class: "kds-bump", dataset: { bump: "" }, disabled: held || !canBump,
      }, icon(held ? "pause" : "check", 28), held ? t("held_wait") : t("bump"))));
  card.kdsTimerText = head.kdsTimerText;
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
