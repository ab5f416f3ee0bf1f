// Food cost over a range of business days: the figures, the variance by ingredient and by
// item, and what the stock is worth per location. The range is kept in the address.
import { ApiError, get } from "../api.js";
import { h } from "../dom.js";
import { exponentOf, formatMoney } from "../money.js";
import { readStrings } from "../session.js";

const strings = readStrings();
const lang = document.documentElement.lang || "en";
const currency = strings.currency;
const exponent = exponentOf(currency);
const form = document.querySelector("[data-food-cost-filters]");
const errorBox = form.querySelector("[data-form-error]");
const byIngredient = document.querySelector("[data-by-ingredient] tbody");
const byItem = document.querySelector("[data-by-item] tbody");
const valuationBody = document.querySelector("[data-valuation] tbody");
const valuationTotal = document.querySelector("[data-valuation-total]");
let asked = 0;

const money = (minor) => formatMoney(minor, currency, exponent, lang);
const number = (value) => new Intl.NumberFormat(lang, { maximumFractionDigits: 3 }).format(value);
const percent = (bp) => (bp === null || bp === undefined ? strings.none
  : new Intl.NumberFormat(lang, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(bp / 10000));
const nameOf = (names) => (names && (names[lang] || names.en || Object.values(names)[0])) || "";
const isoDay = (day) => new Date(day.getTime() - day.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
const sign = (value) => (value > 0 ? "is-over" : value < 0 ? "is-under" : null);

function none(body, columns, text) {
  body.replaceChildren(h("tr", {}, h("td", { colspan: columns, class: "office-none" }, text)));
}

function amount(value, unit) {
  return `${number(value)} ${unit}`;
}

function ingredientRow(row) {
  return h("tr", { dataset: { ingredient: row.ingredient_id } },
    h("th", { scope: "row" }, nameOf(row.names)),
    h("td", { class: "is-number" }, amount(row.opening, row.unit)),
    h("td", { class: "is-number" }, amount(row.receipts, row.unit)),
    h("td", { class: "is-number" }, amount(row.closing, row.unit)),
    h("td", { class: "is-number" }, amount(row.theoretical, row.unit)),
    h("td", { class: "is-number" }, amount(row.actual, row.unit)),
    h("td", { class: "is-number" }, amount(row.waste, row.unit)),
    h("td", { class: `is-number ${sign(row.variance) || ""}` }, amount(row.variance, row.unit)),
    h("td", { class: `is-number ${sign(row.variance_value) || ""}` }, money(row.variance_value)),
    h("td", {}));
}

function itemRow(row) {
  return h("tr", { dataset: { item: row.item_id ?? "none" } },
    h("th", { scope: "row" }, row.item_id === null ? strings.not_from_sale : nameOf(row.names)),
    h("td", { class: "is-number" }, number(row.quantity)),
    h("td", { class: "is-number" }, money(row.sales)),
    h("td", { class: "is-number" }, money(row.theoretical)),
    h("td", { class: "is-number" }, money(row.actual)),
    h("td", { class: `is-number ${sign(row.variance) || ""}` }, money(row.variance)),
    h("td", { class: "is-number" }, percent(row.theoretical_percent_bp)),
    h("td", { class: "is-number" }, percent(row.actual_percent_bp)),
    h("td", {}));
}

function showFigures(report) {
  for (const element of document.querySelectorAll("[data-figure]")) {
    const name = element.dataset.figure;
    element.textContent = name.endsWith("_bp") ? percent(report[name]) : money(report[name]);
  }
}

async function loadValuation() {
  const data = await get("/inventory/valuation");
  valuationTotal.textContent = money(data.value);
  const rows = data.locations.flatMap((place) => place.ingredients.map((line, index) => h("tr", {},
    index === 0 ? h("th", { scope: "row", rowspan: place.ingredients.length },
      h("span", { class: "office-strong" }, nameOf(place.names)),
      h("span", { class: "office-sub" }, money(place.value))) : null,
    h("td", {}, nameOf(line.names)),
    h("td", { class: "is-number" }, amount(line.quantity, line.unit)),
    h("td", { class: "is-number" }, money(line.value)),
    h("td", {}))));
  if (!rows.length) none(valuationBody, 5, strings.no_stock);
  else valuationBody.replaceChildren(...rows);
}

async function load() {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) query.set(name, value);
  errorBox.hidden = true;
  for (const element of form.querySelectorAll("[data-invalid]")) element.removeAttribute("data-invalid");
  const mine = ++asked;
  try {
    const report = await get(`/inventory/food-cost?${query}`);
    if (mine !== asked) return;
    showFigures(report);
    if (!report.ingredients.length) none(byIngredient, 10, strings.empty);
    else byIngredient.replaceChildren(...report.ingredients.map(ingredientRow));
    if (!report.items.length) none(byItem, 9, strings.empty);
    else byItem.replaceChildren(...report.items.map(itemRow));
    history.replaceState(null, "", `${location.pathname}?${query}`);
  } catch (error) {
    if (mine !== asked) return;
    form.querySelector(`[data-field="${error.field}"]`)?.setAttribute("data-invalid", "");
    errorBox.textContent = error instanceof ApiError ? error.message : strings.failed;
    errorBox.hidden = false;
  }
}

async function start() {
  const query = new URLSearchParams(location.search);
  const today = new Date();
  form.elements.first.value = query.get("first") || isoDay(new Date(today.getTime() - 6 * 86400000));
  form.elements.last.value = query.get("last") || isoDay(today);
  try {
    const locations = await get("/inventory/locations");
    const select = form.elements.location_id;
    select.append(...locations.filter((l) => l.active).map((l) => h("option", { value: l.id }, nameOf(l.names))));
    select.value = query.get("location_id") || "";
  } catch {
    // a reader without the stock permission still sees every location's figures
  }
  await Promise.all([load(), loadValuation().catch(() => {})]);
}

form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
form.addEventListener("change", () => load());
start();
