// Counting a location on a tablet: choose the location, type what is on the shelves (in
// the unit counted), post. The count is blind (the books are not shown) and posts only
// the lines counted; the variance of each (counted minus the books) is shown after.
import { get, post } from "../api.js";
import { h, uuid } from "../dom.js";
import { fill, signOut, signinUrl, startIdleSignout } from "../session.js";
import {
  clearRefusals, failure, inUnit, money, nameOf, parseAmount, readable, showRefusal, strings,
  unitSelect,
} from "./stock_units.js";

const INVENTORY = "/inventory";
const places = document.querySelector("[data-count-locations]");
const form = document.querySelector("[data-count-form]");
const list = document.querySelector("[data-count-lines]");
const adder = document.querySelector("[data-count-add]");
const progress = document.querySelector("[data-count-progress]");
const result = document.querySelector("[data-count-result]");

let ingredients = [];
let locations = [];
let levels = [];
let place = null;
let clientId = uuid();  // one count, however many times its post is retried

const rows = () => [...list.querySelectorAll(".count-line")];
const filled = (row) => row.querySelector('[data-part="quantity"]').value.trim() !== "";

function showProgress() {
  const all = rows();
  progress.textContent = fill(strings.counted_of, { counted: all.filter(filled).length,
                                                    total: all.length });
}

function countLine(ingredient) {
  const id = `count-${ingredient.id}`;
  return h("li", { class: "count-line", dataset: { ingredient: ingredient.id } },
    h("label", { class: "count-name", for: id }, nameOf(ingredient)),
    h("input", { id, class: "office-input count-quantity", inputmode: "decimal",
                 autocomplete: "off", enterkeyhint: "next", dataset: { part: "quantity" } }),
    unitSelect(ingredient.unit, { part: "unit" }),
    h("p", { class: "office-field-error count-line-error", dataset: { lineError: "" },
             role: "alert", hidden: true }));
}

function fillAdder() {
  const listed = new Set(rows().map((row) => Number(row.dataset.ingredient)));
  adder.replaceChildren(h("option", { value: "" }, strings.choose),
    ...ingredients.filter((i) => !listed.has(i.id))
      .map((i) => h("option", { value: i.id }, nameOf(i))));
  adder.parentElement.hidden = adder.options.length < 2;
}

function chooseLocation(chosen) {
  place = chosen;
  clientId = uuid();
  for (const button of places.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(Number(button.dataset.location) === chosen.id));
  }
  const kept = new Set(levels.filter((l) => l.location_id === chosen.id).map((l) => l.ingredient_id));
  const here = ingredients.filter((i) => kept.has(i.id));
  list.replaceChildren(...here.map(countLine));
  if (!here.length) list.append(h("li", { class: "count-none", dataset: { none: "" } }, strings.nothing_here));
  clearRefusals(form);
  result.hidden = true;
  form.hidden = false;
  fillAdder();
  showProgress();
}

function showLocations() {
  places.replaceChildren(...locations.map((l) => h("button", {
    type: "button", class: "button button-secondary count-location", "aria-pressed": "false",
    dataset: { location: l.id }, onclick: () => chooseLocation(l) }, nameOf(l))));
}

async function postCount(event) {
  event.preventDefault();
  clearRefusals(form);
  const counted = rows().filter(filled);
  for (const row of rows()) {  // the API's "lines.N" is the N-th line posted
    if (counted.includes(row)) row.dataset.line = "";
    else delete row.dataset.line;
  }
  const button = form.querySelector("[data-post-count]");
  button.disabled = true;
  try {
    if (!counted.length) throw Object.assign(new Error(strings.nothing_counted), { quiet: true });
    const lines = counted.map((row, index) => {
      const quantity = parseAmount(row.querySelector('[data-part="quantity"]').value);
      if (quantity === null || quantity < 0) {
        const error = new Error(strings.give_quantity);
        error.at = index;
        throw error;
      }
      return { ingredient_id: Number(row.dataset.ingredient), quantity,
               unit: row.querySelector('[data-part="unit"]').value };
    });
    const answer = await post(`${INVENTORY}/counts`, { client_id: clientId, location_id: place.id,
                                                     lines });
    showResult(lines, answer);
    levels = await get(`${INVENTORY}/levels`);
  } catch (error) {
    if (error.at !== undefined) {
      const row = counted[error.at];
      row.querySelector("[data-line-error]").hidden = false;
      row.querySelector("[data-line-error]").textContent = error.message;
      row.querySelector('[data-part="quantity"]').setAttribute("aria-invalid", "true");
      row.querySelector('[data-part="quantity"]').focus();
    } else if (error.quiet) {
      const general = form.querySelector("[data-form-error]");
      general.hidden = false;
      general.textContent = error.message;
    } else {
      showRefusal(form, error);
    }
  } finally {
    button.disabled = false;
  }
}

function showResult(lines, answer) {
  const moved = new Map(answer.movements.map((m) => [m.ingredient_id, m]));
  result.querySelector("[data-result-title]").textContent = fill(strings.posted,
                                                                { location: nameOf(place) });
  result.querySelector("[data-variances] tbody").replaceChildren(...lines.map((line) => {
    const ingredient = ingredients.find((i) => i.id === line.ingredient_id);
    const movement = moved.get(line.ingredient_id);
    const variance = movement ? movement.thousandths : 0;
    return h("tr", { dataset: { variance: line.ingredient_id } },
      h("th", { scope: "row" }, nameOf(ingredient)),
      h("td", { class: "is-number" }, readable(inUnit(line.quantity, line.unit), ingredient.unit)),
      h("td", { class: `is-number ${variance < 0 ? "is-out" : variance > 0 ? "is-in" : ""}`,
                dataset: { thousandths: variance } },
        variance ? (variance > 0 ? "+" : "") + readable(variance, ingredient.unit)
          : strings.no_difference),
      h("td", { class: "is-number" }, movement ? money(movement.value) : "—"));
  }));
  form.hidden = true;
  result.hidden = false;
  clientId = uuid();
  result.scrollIntoView({ block: "start" });
}

adder.addEventListener("change", () => {
  const ingredient = ingredients.find((i) => i.id === Number(adder.value));
  if (!ingredient) return;
  list.querySelector("[data-none]")?.remove();
  const row = countLine(ingredient);
  list.append(row);
  fillAdder();
  showProgress();
  row.querySelector("input").focus();
});
list.addEventListener("input", showProgress);
list.addEventListener("keydown", (event) => {  // Enter goes to the next line, as on paper
  if (event.key !== "Enter" || !event.target.matches("[data-part=quantity]")) return;
  event.preventDefault();
  const inputs = [...list.querySelectorAll("[data-part=quantity]")];
  inputs[inputs.indexOf(event.target) + 1]?.focus();
});
form.addEventListener("submit", postCount);
document.querySelector("[data-count-again]").addEventListener("click", () => {
  result.hidden = true;
  form.hidden = true;
  for (const button of places.querySelectorAll("button")) button.setAttribute("aria-pressed", "false");
  places.scrollIntoView({ block: "start" });
});
document.querySelector("[data-sign-out]")?.addEventListener("click", async () => {
  await signOut().catch(() => {});
  location.assign(signinUrl());
});
startIdleSignout();

async function start() {
  let all;
  [all, locations, levels] = await Promise.all([get(`${INVENTORY}/ingredients`),
                                               get(`${INVENTORY}/locations`),
                                               get(`${INVENTORY}/levels`)]);
  ingredients = all.filter((i) => i.active)
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  locations = locations.filter((l) => l.active);
  showLocations();
  if (locations.length === 1) chooseLocation(locations[0]);
}

start().catch((error) => {
  const general = form.querySelector("[data-form-error]");
  form.hidden = false;
  general.hidden = false;
  general.textContent = failure(error);
});
