// What the inventory screens share: names in the page's language, amounts read and shown
// in a unit (the ledger keeps thousandths of g, ml or a piece), money, and a refusal put
// on the field the API names ("lines.2.unit" → the third line's unit).
import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { exponentOf, formatMoney } from "../money.js";
import { readStrings } from "../session.js";

export const strings = readStrings();
export const config = strings.config || {};
export const language = document.documentElement.lang || "en";
const exponent = exponentOf(config.currency);
const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 3 });

export const nameOf = (thing) => thing?.names?.[language] || thing?.names?.[config.venue_language]
  || Object.values(thing?.names || {})[0] || thing?.code || "?";
export const money = (minor) => formatMoney(minor, config.currency, exponent, language);
export const moneyExponent = exponent;
export const unitLabel = (unit) => strings.unit_names?.[unit] || unit;

/** The units an amount of ``unit`` may be given in: those of the same measure (g, kg). */
export function unitsLike(unit) {
  const measure = config.units[unit]?.measure;
  return Object.keys(config.units).filter((u) => config.units[u].measure === measure);
}

/** 2_500_000 thousandths of a gram → "2.5 kg"; 250_000 → "250 g"; a piece stays a piece. */
export function readable(thousandths, unit) {
  const measure = config.units[unit]?.measure;
  const big = { mass: "kg", volume: "l" }[measure];
  const small = { mass: "g", volume: "ml" }[measure];
  let shown = unit;
  if (big && Math.abs(thousandths) >= config.units[big].thousandths) shown = big;
  else if (small && thousandths !== 0) shown = small;
  const amount = thousandths / config.units[shown].thousandths;
  return `${numbers.format(amount)} ${unitLabel(shown)}`;
}

export const inUnit = (amount, unit) => Math.round(amount * config.units[unit].thousandths);

/** "2,5" or "2.5" → 2.5; empty or not a number → null. */
export function parseAmount(text) {
  const compact = String(text ?? "").trim().replace(/\s/g, "").replace(",", ".");
  if (!compact || !/^-?\d*\.?\d*$/.test(compact) || compact === "." || compact === "-") {
    return null;
  }
  return Number(compact);
}

export const shownAmount = (amount) => (amount === null || amount === undefined ? ""
  : numbers.format(amount).replace(/\s/g, ""));

export function unitSelect(unit, { name = "unit", part = null } = {}) {
  return h("select", { name, class: "office-input", dataset: part ? { part } : null,
                       "aria-label": strings.unit },
    unitsLike(unit).map((u) => h("option", { value: u, selected: u === unit }, unitLabel(u))));
}

export function failure(error) {
  return error instanceof ApiError ? error.message : strings.failed;
}

/**
 * Show a refusal on its field: inputs are found by [name] or [data-field] in ``form``,
 * and "lines.N.part" by the N-th [data-line] row's [data-part=part], whose
 * [data-line-error] says why. Returns true when a field took it.
 */
export function showRefusal(form, error) {
  clearRefusals(form);
  const field = error instanceof ApiError ? error.field : null;
  const general = form.querySelector("[data-form-error]");
  const line = field && /^lines\.(\d+)(?:\.(\w+))?/.exec(field);
  let input = null;
  let where = general;
  if (line) {
    const row = form.querySelectorAll("[data-line]")[Number(line[1])];
    input = row?.querySelector(`[data-part="${line[2]}"]`) || row?.querySelector("[data-part]");
    where = row?.querySelector("[data-line-error]") || general;
  } else if (field) {
    input = form.querySelector(`[name="${field}"]`) || form.querySelector(`[data-field="${field}"]`)
      || form.querySelector(`[name^="${field}."]`);
    const label = input?.closest(".office-field");
    where = label?.querySelector("[data-field-error]") || general;
  }
  if (where) {
    where.hidden = false;
    where.textContent = failure(error);
  }
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
  return Boolean(input);
}

export function clearRefusals(form) {
  form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
  form.querySelectorAll("[data-form-error], [data-line-error], [data-field-error]")
    .forEach((e) => { e.hidden = true; e.textContent = ""; });
}
