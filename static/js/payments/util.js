// What the payment modules share, on the cashier station and on the waiter's tablet: their
// strings (templates/payments/_payments.html), money in the venue's currency as integer
// minor units, icons from the payments sprite, and the "bills" events the host page hears.
import { h, icon as spriteIcon, uuid } from "../dom.js";
import { exponentOf, formatAmount, formatMoney } from "../money.js";
import { fill, readStrings } from "../session.js";

export { h, uuid };

export const strings = readStrings("payment-strings");
export const lang = document.documentElement.lang || "ro";

/** A translated string from the page, with {placeholders} filled. */
export function t(key, values = {}) {
  const text = strings[key];
  return text === undefined ? key : fill(text, values);
}

export function icon(name, size = 22) {
  return spriteIcon(name, size, "pay");
}

// The venue's money (GET /api/v1/venue): the host page passes it in once it has it.
export const venue = { currency: "RON", exponent: 2, locale: "ro_RO" };

export function setMoney(settings = {}) {
  if (settings.currency) venue.currency = settings.currency;
  if (settings.locale) venue.locale = settings.locale;
  venue.exponent = Number.isInteger(settings.currency_exponent) ? settings.currency_exponent
    : settings.currency ? exponentOf(venue.currency) : venue.exponent;
}

/** 12850 → "128,50 RON". */
export function money(minor) {
  return formatMoney(minor || 0, venue.currency, venue.exponent, venue.locale);
}

/** 12850 → "128,50": the amount as the cashier types it. */
export function amountText(minor) {
  return formatAmount(minor || 0, venue.exponent, venue.locale);
}

/** 1250 basis points → "12,5 %". A share, not money: a float is fine here. */
export function percentText(bp) {
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(bp / 100);
  return `${number} %`;
}

/** The host page tells the payment modules of every "bills" event it hears on /floor
 * (``payments.dispatchEvent(new CustomEvent("bills", {detail}))``): an open bills board
 * and a payment waiting for the card terminal look again. */
export const payments = new EventTarget();

export function announceBills(data) {
  payments.dispatchEvent(new CustomEvent("bills", { detail: data }));
}
