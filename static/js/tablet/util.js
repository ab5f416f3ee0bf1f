// Small helpers every tablet module uses: building DOM, the page's strings, names in the
// waiter's language, money in the venue's currency, ids, time.
import { fill, readStrings } from "../session.js";

export const strings = readStrings();
export const config = (() => {
  try {
    return JSON.parse(document.getElementById("tablet-config")?.textContent || "{}");
  } catch {
    return {};
  }
})();

export const lang = document.documentElement.lang || "ro";

/** A translated string from the page, with {placeholders} filled. */
export function t(key, values = {}) {
  const text = strings[key];
  if (text === undefined) return key;
  if (typeof text === "object") return plural(text, values.count ?? 0, values);
  return fill(text, values);
}

const pluralRules = new Intl.PluralRules(lang);

/** forms = {one, few, other} (the template renders them with ngettext). */
export function plural(forms, count, values = {}) {
  const form = forms[pluralRules.select(count)] ?? forms.other ?? forms.one ?? "";
  return fill(form, { count, ...values });
}

/** A name in the waiter's language, else the venue's, else any. */
export function nameOf(names) {
  if (!names) return "";
  return names[lang] || names[config.venue_language] || Object.values(names)[0] || "";
}

let moneyFormat = new Intl.NumberFormat("ro-RO", { style: "currency", currency: "RON" });
let fractionDigits = 2;

export function setVenue(venue) {
  const locale = String(venue.locale || "ro_RO").replace("_", "-");
  try {
    moneyFormat = new Intl.NumberFormat(locale, { style: "currency", currency: venue.currency });
  } catch {
    moneyFormat = new Intl.NumberFormat(undefined, { style: "currency", currency: venue.currency });
  }
  fractionDigits = moneyFormat.resolvedOptions().maximumFractionDigits ?? 2;
}

/** Integer minor units (bani, cents) → "32,00 RON". */
export function money(minor) {
  return moneyFormat.format((minor || 0) / 10 ** fractionDigits);
}

/** "+6,00 RON" for a price delta. */
export function delta(minor) {
  return (minor > 0 ? "+" : minor < 0 ? "−" : "") + money(Math.abs(minor));
}

/**
 * A client id for an idempotent write. crypto.randomUUID() exists only in secure
 * contexts, and a venue's server is often plain http on the local network.
 */
export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function minutesSince(iso, now = Date.now()) {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.floor((now - at) / 60000));
}

const timeFormat = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

export function clock(iso) {
  return iso ? timeFormat.format(new Date(iso)) : "";
}

/** Lower case without diacritics: "ciorba" finds "Ciorbă". */
export function fold(text) {
  return String(text || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export function initials(name) {
  return String(name || "").split(/\s+/).filter(Boolean).slice(0, 2)
    .map((part) => part[0].toUpperCase()).join("");
}

export function firstName(name) {
  return String(name || "").split(/\s+/)[0] || "";
}

/**
 * h("button", {class: "x", onclick}, "text", child) → an element.
 * Attributes: class, dataset ({…}), style (string or object), on* handlers, aria-*,
 * booleans (true → present, false/null → absent).
 */
export function h(tag, attributes = {}, ...children) {
  const element = tag === "svg" || tag === "use" || tag === "path"
    ? document.createElementNS("http://www.w3.org/2000/svg", tag)
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "dataset") Object.assign(element.dataset, value);
    else if (key === "style" && typeof value === "object") {
      for (const [name, v] of Object.entries(value)) {
        if (name.startsWith("--")) element.style.setProperty(name, v);
        else element.style[name] = v;
      }
    }
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else if (key === "text") element.textContent = value;
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

/** An icon from the page's SVG sprite (<symbol id="i-name">). */
export function icon(name, size = 22) {
  const svg = h("svg", { class: "icon", width: size, height: size, "aria-hidden": "true",
                         focusable: "false" });
  const use = h("use");
  use.setAttribute("href", `#i-${name}`);
  svg.append(use);
  return svg;
}
