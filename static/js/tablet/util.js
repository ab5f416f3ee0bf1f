// Small helpers every tablet module uses: building DOM, the page's strings, names in the
// waiter's language, money in the venue's currency, ids, time.
import { venueTime } from "../clock.js";
import { h, icon, uuid } from "../dom.js";
import { exponentOf, formatAmount, formatMoney, parseMoney } from "../money.js";
import { fill, readStrings } from "../session.js";

export { h, icon, uuid };

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

// The venue's money settings (GET /api/v1/venue; a `venue` event changes them), and the
// limits above which the tablet asks before adding a line.
export const venue = { currency: "RON", exponent: 2, locale: "ro_RO", tax_mode: "inclusive",
                       confirm_quantity_above: 20, confirm_line_amount_above_minor: 100_000 };

export function setVenue(settings) {
  for (const key of ["confirm_quantity_above", "confirm_line_amount_above_minor"]) {
    if (Number.isInteger(settings[key])) venue[key] = settings[key];
  }
  if (settings.currency) venue.currency = settings.currency;
  if (settings.locale) venue.locale = settings.locale;
  if (settings.tax_mode) venue.tax_mode = settings.tax_mode;
  venue.exponent = Number.isInteger(settings.currency_exponent) ? settings.currency_exponent
    : settings.currency ? exponentOf(venue.currency) : venue.exponent;
}

/** Integer minor units (bani, cents) → "32,00 RON", with the currency's own decimals. */
export function money(minor) {
  return formatMoney(minor || 0, venue.currency, venue.exponent, venue.locale);
}

/** What a waiter typed → integer minor units of the venue's currency, or null. */
export function parseAmount(text) {
  return parseMoney(text, venue.exponent);
}

/** An amount as a waiter would type it: 1550 → "15,50" (RON), "1550" (JPY). */
export function amountText(minor) {
  return formatAmount(minor, venue.exponent, venue.locale);
}

/** "+6,00 RON" for a price delta. */
export function delta(minor) {
  return (minor > 0 ? "+" : minor < 0 ? "−" : "") + money(Math.abs(minor));
}


export function minutesSince(iso, now = Date.now()) {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.floor((now - at) / 60000));
}

/** "19:42" at the venue, for an ISO time; "" for none. */
export const clock = venueTime;

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


export const LONG_PRESS_MS = 500;

/**
 * A long press (or a right click, or the context-menu key) on an element matching
 * `selector` inside `container` calls handler(element); the tap that ends a long press
 * does not also count as a tap.
 */
export function onLongPress(container, selector, handler, { ms = LONG_PRESS_MS } = {}) {
  let timer = null;
  let start = null;
  let fired = false;
  const cancel = () => { clearTimeout(timer); timer = null; };
  container.addEventListener("pointerdown", (event) => {
    const target = event.target.closest(selector);
    fired = false;
    if (!target || target.disabled || event.button > 0) return;
    start = { x: event.clientX, y: event.clientY };
    cancel();
    timer = setTimeout(() => {
      timer = null;
      fired = true;
      handler(target);
    }, ms);
  });
  container.addEventListener("pointermove", (event) => {
    if (timer && Math.hypot(event.clientX - start.x, event.clientY - start.y) > 10) cancel();
  });
  for (const type of ["pointerup", "pointercancel", "pointerleave"]) container.addEventListener(type, cancel);
  container.addEventListener("contextmenu", (event) => {
    const target = event.target.closest(selector);
    if (!target) return;
    event.preventDefault(); // no browser menu over the menu
    if (fired || target.disabled) return; // the press already opened it
    cancel();
    handler(target); // a right click, or a touch browser that says so before our timer
  });
  container.addEventListener("click", (event) => {
    if (!fired) return;
    fired = false;
    event.stopPropagation(); // the finger lifting after a long press adds nothing
    event.preventDefault();
  }, { capture: true });
}
