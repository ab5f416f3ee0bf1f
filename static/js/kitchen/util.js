// Small helpers for the kitchen screens: the page's strings and config, names in the
// screen's language, DOM building, clock times, and the server's clock.
import { fill, readStrings } from "../session.js";

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

const timeFormat = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

export function clock(iso) {
  return iso ? timeFormat.format(new Date(iso)) : "";
}

export function clockNow() {
  return timeFormat.format(new Date(now()));
}

/** A client id for a retried tap (crypto.randomUUID needs https, a venue's server is http). */
export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** h("button", {class, dataset, onclick, "aria-label"}, ...children) → an element. */
export function h(tag, attributes = {}, ...children) {
  const svg = tag === "svg" || tag === "use";
  const element = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An icon from the page's sprite (<symbol id="k-name">). */
export function icon(name, size = 24) {
  const svg = h("svg", { class: "icon", width: size, height: size, "aria-hidden": "true", focusable: "false" });
  const use = h("use");
  use.setAttribute("href", `#k-${name}`);
  svg.append(use);
  return svg;
}

/** Who the ticket is for: "5" for a table, the name for a bar tab or take-away. */
export function placeOf(ticket) {
  if (ticket.table) return ticket.table;
  return ticket.check_name || `#${ticket.check_id}`;
}
