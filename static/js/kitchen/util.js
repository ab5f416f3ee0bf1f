// Small helpers for the kitchen screens: the page's strings and config, names in the
// screen's language, DOM building, clock times, and the server's clock.
import { venueTime } from "../clock.js";
import { h, icon as sharedIcon, uuid } from "../dom.js";
import { fill, readStrings } from "../session.js";

export { h, uuid };

export const strings = readStrings();
export const config = (() => {
  try {
    return JSON.parse(document.getElementById("kitchen-config")?.textContent || "{}");
  } catch {
    return {};
  }
})();

export const lang = document.documentElement.lang || "ro";
const pluralRules = new Intl.PluralRules(lang);

/** A translated string from the page, {placeholders} filled; plurals pick their form. */
export function t(key, values = {}) {
  const text = strings[key];
  if (text === undefined) return key;
  if (typeof text === "object") {
    const form = text[pluralRules.select(values.count ?? 0)] ?? text.other ?? text.one ?? "";
    return fill(form, values);
  }
  return fill(text, values);
}

/** A name in the screen's language, else the venue's, else any. */
export function nameOf(names) {
  if (!names) return "";
  if (typeof names === "string") return names;
  return names[lang] || names[config.venue_language] || Object.values(names)[0] || "";
}

// The server's clock minus this screen's: ticket timers count from the server's fire time,
// and a wall screen's clock is often minutes off.
let clockOffset = 0;

export function noteServerTime(dateHeader, sentAt, receivedAt) {
  const server = Date.parse(dateHeader || "");
  if (Number.isNaN(server)) return;
  const offset = server + 500 - (sentAt + receivedAt) / 2; // the header is whole seconds
  if (Math.abs(offset) > 2000) clockOffset = offset;
  else clockOffset = 0;
}

export function now() {
  return Date.now() + clockOffset;
}

/** Seconds since an ISO time (by the server's clock), or null. */
export function secondsSince(iso) {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : Math.max(0, Math.floor((now() - at) / 1000));
}

/** 75 → "1:15"; 3725 → "1:02:05". */
export function elapsed(seconds) {
  const s = Math.max(0, seconds | 0);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** "19:42" at the venue, for an ISO time; "" for none. */
export const clock = venueTime;

export function clockNow() {
  return venueTime(now());
}


/**
 * A piece of DOM that many cards share (an icon, an allergen badge, a line as the kitchen
 * sees it, a card's head without its place and time): built once for its `key` (what
 * decides how it looks, as a JSON-able array), then cloned, which is several times cheaper
 * than building it again for each of 500 cards. Whatever differs from card to card is set
 * on the clone by the caller; listeners are not cloned (the boards delegate their clicks).
 */
const built = new Map();
const BUILT_KEPT = 4000;

export function stamp(key, build) {
  const id = JSON.stringify(key);
  let node = built.get(id);
  if (!node) {
    if (built.size >= BUILT_KEPT) built.clear(); // a long service stays light
    node = build();
    built.set(id, node);
  }
  return node.cloneNode(true);
}

/**
 * The kitchen's icons are the page's sprite (<symbol id="k-name"> in kitchen/index.html),
 * each made a CSS mask image once, here: --k-icon-name on the root (through the CSSOM).
 * An icon is then an empty <span> in the text's colour, masked by it (icon below), or no
 * element at all where every card has one (kitchen.css draws those). A board of 500 cards
 * holds thousands of icons: an inline <svg> costs three or four elements each (and a <use>
 * of the sprite, a shadow tree each).
 */
for (const symbol of document.querySelectorAll('symbol[id^="k-"]')) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${symbol.getAttribute("viewBox")}" `
    + `fill="none" stroke="#000" stroke-width="${symbol.getAttribute("stroke-width") || 2}" `
    + `stroke-linecap="round" stroke-linejoin="round">${symbol.innerHTML}</svg>`;
  document.documentElement.style.setProperty(`--k-icon-${symbol.id.slice(2)}`,
    `url("data:image/svg+xml,${encodeURIComponent(svg)}")`);
}

/** An icon of the sprite, `size` px square. */
export const icon = (name, size = 24) => stamp(["icon", name, size], () => {
  if (!document.getElementById(`k-${name}`)) return sharedIcon(name, size, "k");
  const span = document.createElement("span");
  span.className = "icon k-icon";
  span.setAttribute("aria-hidden", "true");
  span.style.cssText = `--k-size: ${size}px; --k-mask: var(--k-icon-${name})`;
  return span;
});

/** Who the ticket is for: "5" for a table, the name for a bar tab or take-away. */
export function placeOf(ticket) {
  if (ticket.table) return ticket.table;
  return ticket.check_name || `#${ticket.check_id}`;
}
