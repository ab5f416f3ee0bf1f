// The back office's inventory: stock per location (and an ingredient's ledger), deliveries,
// waste and transfers, recipes (dishes, choices and preps, with their cost), ingredients
// and locations. Every rule is the server's; a refusal is shown on the field it names.
import { ApiError, api, get, patch, post } from "../api.js";
import { venueFormat } from "../clock.js";
import { h, uuid } from "../dom.js";
import { connectLive } from "../live.js";
import { decimalText, parseMoney } from "../money.js";
import { fill } from "../session.js";
import {
  clearRefusals, config, failure, money, moneyExponent, nameOf, parseAmount, readable,
  showRefusal, shownAmount, strings, unitLabel, unitSelect, unitsLike,
} from "./stock_units.js";

const INVENTORY = "/inventory";
const message = document.querySelector("[data-message]");
const when = venueFormat({ dateStyle: "short", timeStyle: "short", hourCycle: "h23" });

let ingredients = [];
let locations = [];
let levels = [];
let recipes = [];
let menu = { items: [], modifier_groups: [] };

function say(text, kind = "info") {
  message.hidden = !text;
  message.textContent = text || "";
  message.dataset.kind = kind;
}

const ingredientById = (id) => ingredients.find((i) => i.id === id);
const locationById = (id) => locations.find((l) => l.id === id);
const activeLocations = () => locations.filter((l) => l.active);

// --- tabs ----------------------------------------------------------------------------------

const tabs = [...document.querySelectorAll("[data-tab]")];

function showTab(name) {
  const tab = tabs.find((t) => t.dataset.tab === name) || tabs[0];
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    document.querySelector(`[data-panel="${t.dataset.tab}"]`).hidden = !on;
  }
  if (location.hash.slice(1) !== tab.dataset.tab) history.replaceState(null, "", `#${tab.dataset.tab}`);
}

for (const tab of tabs) tab.addEventListener("click", () => showTab(tab.dataset.tab));
window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));

// --- stock ---------------------------------------------------------------------------------

const levelsBody = document.querySelector("[data-levels] tbody");
const locationFilter = document.querySelector("[data-location-filter]");
const search = document.querySelector("[data-stock-search]");
const stockTotal = document.querySelector("[data-stock-total]");
const ledger = document.querySelector("[data-ledger]");

function levelRow(level) {
  const ingredient = ingredientById(level.ingredient_id);
  return h("tr", { dataset: { level: `${level.ingredient_id}:${level.location_id}` },
                   class: level.below_reorder_point ? "is-low" : "" },
    h("th", { scope: "row" }, h("span", { class: "office-strong" }, nameOf(ingredient)),
      level.below_reorder_point ? h("span", { class: "office-pill inventory-low",
                                              dataset: { belowReorder: "" } },
        strings.below_reorder) : null),
    h("td", {}, nameOf(locationById(level.location_id))),
    h("td", { class: "is-number", dataset: { quantity: "" } },
      readable(level.thousandths, level.unit)),
    h("td", { class: "is-number" }, money(level.value)),
    h("td", { class: "office-actions" }, h("button", {
      type: "button", class: "button button-secondary", dataset: { showMovements: level.ingredient_id },
      onclick: () => showMovements(ingredient),
    }, strings.movements)));
}

function renderLevels() {
  const where = Number(locationFilter.value) || null;
  const words = search.value.trim().toLocaleLowerCase();
  const shown = levels.filter((l) => (!where || l.location_id === where)
    && (!words || nameOf(ingredientById(l.ingredient_id)).toLocaleLowerCase().includes(words)));
  levelsBody.replaceChildren(...(shown.length ? shown.map(levelRow)
    : [h("tr", {}, h("td", { colspan: 5, class: "office-none" }, strings.no_levels))]));
  stockTotal.textContent = money(shown.reduce((sum, l) => sum + l.value, 0));
}

async function loadLevels(ingredientId = null) {
  if (ingredientId === null) {
    levels = await get(`${INVENTORY}/levels`);
  } else {  // one ingredient changed: only its rows are asked again
    const fresh = await get(`${INVENTORY}/levels?ingredient_id=${ingredientId}`);
    levels = [...levels.filter((l) => l.ingredient_id !== ingredientId), ...fresh]
      .sort((a, b) => a.location_id - b.location_id || a.ingredient_id - b.ingredient_id);
  }
  renderLevels();
}

function fillLocationChoices() {
  const choices = activeLocations().map((l) => h("option", { value: l.id }, nameOf(l)));
  const kept = locationFilter.value;
  locationFilter.replaceChildren(h("option", { value: "" }, strings.all_locations),
    ...choices.map((o) => o.cloneNode(true)));
  locationFilter.value = kept;
  for (const select of document.querySelectorAll("[data-location-choice]")) {
    const before = select.value;
    select.replaceChildren(...choices.map((o) => o.cloneNode(true)));
    if (before) select.value = before;
  }
  const to = document.querySelector('[name="to_location_id"]');
  if (to && to.selectedIndex === 0 && to.options.length > 1) to.selectedIndex = 1;
}

async function showMovements(ingredient) {
  const rows = await get(`${INVENTORY}/movements?ingredient_id=${ingredient.id}&limit=200`);
  ledger.hidden = false;
  ledger.querySelector("h2").textContent = fill(strings.movements_of, { name: nameOf(ingredient) });
  ledger.querySelector("[data-movements] tbody").replaceChildren(...(rows.length
    ? rows.map((m) => h("tr", { dataset: { movement: m.id, kind: m.kind } },
      h("td", {}, when.format(new Date(m.at))),
      h("td", {}, strings.kinds[m.kind] || m.kind, m.reason ? h("span", { class: "office-sub" },
                                                                  m.reason) : null),
      h("td", {}, nameOf(locationById(m.location_id))),
      h("td", { class: `is-number ${m.thousandths < 0 ? "is-out" : "is-in"}` },
        (m.thousandths > 0 ? "+" : "") + readable(m.thousandths, ingredient.unit)),
      h("td", { class: "is-number" }, money(m.value)),
      h("td", {})))
    : [h("tr", {}, h("td", { colspan: 6, class: "office-none" }, strings.no_movements))]));
  ledger.scrollIntoView({ block: "nearest" });
}

locationFilter.addEventListener("change", renderLevels);
search.addEventListener("input", renderLevels);
document.querySelector("[data-stock-filters]").addEventListener("submit", (e) => e.preventDefault());
document.querySelector("[data-close-ledger]").addEventListener("click", () => { ledger.hidden = true; });

// --- stock lines (documents and recipes) ---------------------------------------------------

function ingredientOptions(selected, { preps = false } = {}) {
  const active = ingredients.filter((i) => i.active || i.id === selected?.ingredient_id);
  const groups = [h("option", { value: "" }, strings.choose),
    h("optgroup", { label: strings.ingredients }, active.map((i) => h("option", {
      value: `i:${i.id}`, selected: selected?.ingredient_id === i.id }, nameOf(i))))];
  if (preps) {
    groups.push(h("optgroup", { label: strings.preps }, recipes.filter((r) => r.kind === "prep")
      .map((r) => h("option", { value: `p:${r.id}`, selected: selected?.sub_recipe_id === r.id },
                    nameOf(r)))));
  }
  return groups;
}

/** New ingredients or preps: the lines already on screen offer them too. */
function refreshLineChoices() {
  for (const select of document.querySelectorAll('[data-line] [data-part="ingredient_id"]')) {
    const kept = select.value;
    const [kind, id] = (kept || ":").split(":");
    const chosen = kind === "i" ? { ingredient_id: Number(id) }
      : kind === "p" ? { sub_recipe_id: Number(id) } : null;
    select.replaceChildren(...ingredientOptions(chosen, {
      preps: Boolean(select.closest("[data-recipe-lines]")) }));
    select.value = kept;
  }
}

function unitOf(choice) {
  const [kind, id] = (choice || ":").split(":");
  if (kind === "i") return ingredientById(Number(id))?.unit;
  if (kind === "p") return recipes.find((r) => r.id === Number(id))?.yield_unit;
  return null;
}

function lineRow(line, { preps = false, cost = false, allUnits = false } = {}) {
  const what = h("select", { class: "office-input", dataset: { part: "ingredient_id" },
                             "aria-label": strings.ingredient_or_prep },
    ingredientOptions(line, { preps }));
  const quantity = h("input", { class: "office-input", inputmode: "decimal", autocomplete: "off",
                                dataset: { part: "quantity" }, "aria-label": strings.quantity,
                                value: shownAmount(line.quantity) });
  const unitBox = h("span", { class: "inventory-unit" });
  const setUnits = (unit) => {
    const select = unitSelect(unit || "g", { part: "unit" });
    if (allUnits) {  // a recipe may ask for any unit; the server says which do not convert
      select.replaceChildren(...Object.keys(config.units).map((u) => h("option", {
        value: u, selected: u === unit }, unitLabel(u))));
    }
    unitBox.replaceChildren(select);
  };
  setUnits(line.unit || unitOf(what.value));
  what.addEventListener("change", () => setUnits(unitOf(what.value)));
  const total = cost ? h("input", { class: "office-input", inputmode: "decimal", autocomplete: "off",
                                    dataset: { part: "total_cost" }, "aria-label": strings.total_cost,
                                    placeholder: strings.total_cost }) : null;
  const row = h("div", { class: "inventory-line", dataset: { line: "" } }, what, quantity,
    unitBox, total,
    h("button", { type: "button", class: "button button-secondary inventory-remove",
                  "aria-label": strings.remove_line, title: strings.remove_line,
                  onclick: () => row.remove() }, "×"),
    h("p", { class: "office-field-error inventory-line-error", dataset: { lineError: "" },
             role: "alert", hidden: true }));
  return row;
}

/** A row's values, or a local refusal (as the API would give it) naming the part. */
function readLine(row, index, { cost = false, preps = false } = {}) {
  const refuse = (part, text) => { throw new ApiError(400, { message: text, field: `lines.${index}.${part}` }); };
  const [kind, id] = (row.querySelector('[data-part="ingredient_id"]').value || ":").split(":");
  if (!id) refuse("ingredient_id", strings.give_ingredient);
  const quantity = parseAmount(row.querySelector('[data-part="quantity"]').value);
  if (quantity === null) refuse("quantity", strings.give_quantity);
  const line = { quantity, unit: row.querySelector('[data-part="unit"]').value };
  if (kind === "p" && preps) line.sub_recipe_id = Number(id);
  else line.ingredient_id = Number(id);
  if (cost) {
    const total = parseMoney(row.querySelector('[data-part="total_cost"]').value, moneyExponent);
    if (total === null) refuse("total_cost", strings.give_cost);
    line.total_cost = total;
  }
  return line;
}

// --- receive, waste, transfer --------------------------------------------------------------

const documentForm = document.querySelector("[data-document-form]");
const documentLines = documentForm.querySelector("[data-document-lines]");
let documentClientId = uuid();  // the same id until it is posted: a retry is not a second one

const documentKind = () => documentForm.elements.kind.value;

function showDocumentKind() {
  const kind = documentKind();
  for (const field of documentForm.querySelectorAll("[data-only]")) {
    field.hidden = field.dataset.only !== kind;
  }
  for (const row of documentLines.querySelectorAll("[data-line]")) {
    row.querySelector('[data-part="total_cost"]')?.toggleAttribute("hidden", kind !== "receipts");
  }
}

function addDocumentLine() {
  documentLines.append(lineRow({}, { cost: true }));
  showDocumentKind();
}

function resetDocument() {
  documentLines.replaceChildren();
  addDocumentLine();
  for (const name of ["supplier", "reason", "note"]) documentForm.elements[name].value = "";
  documentClientId = uuid();
}

async function postDocument(event) {
  event.preventDefault();
  clearRefusals(documentForm);
  const kind = documentKind();
  const button = documentForm.querySelector("[data-post-document]");
  button.disabled = true;
  try {
    const rows = [...documentLines.querySelectorAll("[data-line]")];
    const lines = rows.map((row, index) => readLine(row, index, { cost: kind === "receipts" }));
    const body = { client_id: documentClientId, location_id: Number(documentForm.elements.location_id.value),
                   lines };
    const note = documentForm.elements.note.value.trim();
    if (note) body.note = note;
    if (kind === "receipts") {
      const supplier = documentForm.elements.supplier.value.trim();
      if (supplier) body.supplier = supplier;
    } else if (kind === "waste") {
      body.reason = documentForm.elements.reason.value.trim();
    } else {
      body.to_location_id = Number(documentForm.elements.to_location_id.value);
    }
    await post(`${INVENTORY}/${kind}`, body);
    say(kind === "receipts" ? fill(strings.received, {
      lines: lines.length, cost: money(lines.reduce((sum, l) => sum + l.total_cost, 0)) })
      : kind === "waste" ? strings.wasted : strings.transferred, "success");
    resetDocument();
    await loadLevels();
  } catch (error) {
    showRefusal(documentForm, error);
  } finally {
    button.disabled = false;
  }
}

documentForm.addEventListener("change", (event) => {
  if (event.target.name === "kind") showDocumentKind();
});
documentForm.addEventListener("submit", postDocument);
documentForm.querySelector("[data-add-document-line]").addEventListener("click", addDocumentLine);

// --- recipes -------------------------------------------------------------------------------

const recipeForm = document.querySelector("[data-recipe-form]");
const recipeTarget = document.querySelector("[data-recipe-target]");
let target = null; // {kind: "item"|"modifier"|"prep", id, name}; id null: a new prep

function modifierChoices() {
  return menu.modifier_groups.flatMap((group) => group.modifiers.map((m) => ({
    id: m.id, name: `${nameOf(group)}: ${nameOf(m)}` })));
}

function fillRecipeTargets() {
  const kept = recipeTarget.value;
  recipeTarget.replaceChildren(h("option", { value: "" }, strings.choose),
    h("optgroup", { label: strings.dishes }, menu.items.map((item) => h("option", {
      value: `item:${item.id}` }, nameOf(item)))),
    h("optgroup", { label: strings.choices }, modifierChoices().map((m) => h("option", {
      value: `modifier:${m.id}` }, m.name))),
    h("optgroup", { label: strings.preps }, recipes.filter((r) => r.kind === "prep").map((r) =>
      h("option", { value: `prep:${r.id}` }, nameOf(r)))));
  recipeTarget.value = kept;
}

function recipeOf(kind, id) {
  if (kind === "prep") return recipes.find((r) => r.id === id);
  return recipes.find((r) => r.kind === kind && r[`${kind}_id`] === id);
}

function showCost(recipe) {
  const cost = recipeForm.querySelector("[data-recipe-cost]");
  cost.textContent = recipe ? fill(recipe.kind === "prep" ? strings.cost_per_batch
    : strings.cost_per_portion, { cost: money(recipe.cost) }) : strings.no_recipe;
}

function openRecipe(kind, id, name) {
  target = { kind, id, name };
  const recipe = id === null ? null : recipeOf(kind, id);
  clearRefusals(recipeForm);
  recipeForm.hidden = false;
  recipeForm.querySelector("[data-recipe-title]").textContent = name;
  const prepFields = recipeForm.querySelector("[data-prep-fields]");
  prepFields.hidden = kind !== "prep";
  if (kind === "prep") {
    recipeForm.elements["names.ro"].value = recipe?.names.ro || "";
    recipeForm.elements["names.en"].value = recipe?.names.en || "";
    recipeForm.elements.yield_quantity.value = shownAmount(recipe?.yield_quantity);
    recipeForm.querySelector("[data-yield-unit]").replaceChildren(...Object.keys(config.units)
      .map((u) => h("option", { value: u, selected: u === (recipe?.yield_unit || "l") },
                    unitLabel(u))));
  }
  const lines = recipeForm.querySelector("[data-recipe-lines]");
  lines.replaceChildren(...(recipe?.lines || [{}]).map((line) =>
    lineRow(line, { preps: true, allUnits: true })));
  showCost(recipe);
}

recipeTarget.addEventListener("change", () => {
  const [kind, id] = recipeTarget.value.split(":");
  if (!id) { recipeForm.hidden = true; return; }
  openRecipe(kind, Number(id), recipeTarget.selectedOptions[0].textContent);
});

document.querySelector("[data-new-prep]").addEventListener("click", () => {
  recipeTarget.value = "";
  openRecipe("prep", null, strings.new_prep);
  recipeForm.elements["names.ro"].focus();
});

recipeForm.querySelector("[data-add-recipe-line]").addEventListener("click", () => {
  recipeForm.querySelector("[data-recipe-lines]").append(lineRow({}, { preps: true, allUnits: true }));
});

function prepFields() {
  const names = {};
  for (const code of ["ro", "en"]) {
    const value = recipeForm.elements[`names.${code}`].value.trim();
    if (value) names[code] = value;
  }
  const quantity = parseAmount(recipeForm.elements.yield_quantity.value);
  if (quantity === null) {
    throw new ApiError(400, { message: strings.give_quantity, field: "yield_quantity" });
  }
  return { names, yield_quantity: quantity, yield_unit: recipeForm.elements.yield_unit.value };
}

async function saveRecipe(event) {
  event.preventDefault();
  clearRefusals(recipeForm);
  const button = recipeForm.querySelector("[data-save-recipe]");
  button.disabled = true;
  try {
    const rows = [...recipeForm.querySelectorAll("[data-recipe-lines] [data-line]")];
    const lines = rows.map((row, index) => readLine(row, index, { preps: true }));
    const { kind, id } = target;
    let saved;
    if (kind === "prep") {
      const body = { ...prepFields(), lines };
      saved = id === null ? await post(`${INVENTORY}/preps`, body)
        : await patch(`${INVENTORY}/preps/${id}`, body);
    } else {
      saved = (await api("PUT", `${INVENTORY}/${kind}s/${id}/recipe`, { lines })).recipes[0];
    }
    recipes = (await get(`${INVENTORY}/recipes`)).recipes;
    fillRecipeTargets();
    refreshLineChoices();
    if (kind === "prep") {
      target = { kind, id: saved.id, name: nameOf(saved) };
      recipeTarget.value = `prep:${saved.id}`;
      recipeForm.querySelector("[data-recipe-title]").textContent = target.name;
    }
    showCost(recipeOf(kind, kind === "prep" ? saved.id : id) || null);
    say(fill(kind === "prep" && id === null ? strings.prep_added : strings.recipe_saved,
             { name: target.name }), "success");
  } catch (error) {
    showRefusal(recipeForm, error);
  } finally {
    button.disabled = false;
  }
}

recipeForm.addEventListener("submit", saveRecipe);

// --- ingredients ---------------------------------------------------------------------------

const amountOrNull = (text) => (String(text).trim() ? parseAmount(text) ?? NaN : null);

function ingredientRow(ingredient) {
  const unit = unitLabel(ingredient.unit);
  return h("tr", { dataset: { ingredient: ingredient.id }, class: ingredient.active ? "" : "is-retired" },
    h("th", { scope: "row" }, h("span", { class: "office-strong" }, nameOf(ingredient)),
      ingredient.active ? null : h("span", { class: "office-sub" }, strings.inactive)),
    h("td", {}, unit),
    h("td", { class: "is-number" }, fill(strings.per_unit, { cost: money(ingredient.cost), unit })),
    h("td", { class: "is-number" }, ingredient.par_level === null ? "—"
      : `${shownAmount(ingredient.par_level)} ${unit}`),
    h("td", { class: "is-number" }, ingredient.reorder_point === null ? "—"
      : `${shownAmount(ingredient.reorder_point)} ${unit}`),
    h("td", { class: "office-actions" }, h("button", {
      type: "button", class: "button button-secondary", dataset: { editIngredient: ingredient.id },
      onclick: () => editIngredient(ingredient) }, strings.edit)));
}

function renderIngredients() {
  const body = document.querySelector("[data-ingredients] tbody");
  if (!body) return;
  body.replaceChildren(...(ingredients.length ? ingredients.map(ingredientRow)
    : [h("tr", {}, h("td", { colspan: 6, class: "office-none" }, strings.no_ingredients))]));
}

function openForm(dialog, title, onSave) {
  const form = dialog.querySelector("form");
  clearRefusals(form);
  dialog.querySelector("[data-dialog-title]").textContent = title;
  form.onsubmit = async (event) => {
    event.preventDefault();
    clearRefusals(form);
    const button = form.querySelector("[data-save]");
    button.disabled = true;
    try {
      const saved = await onSave(form);
      dialog.close();
      say(fill(strings.saved, { name: nameOf(saved) }), "success");
    } catch (error) {
      showRefusal(form, error);
    } finally {
      button.disabled = false;
    }
  };
  form.querySelector("[data-close]").onclick = () => dialog.close();
  dialog.showModal();
}

function namesOf(form) {
  const names = {};
  for (const code of ["ro", "en"]) {
    const value = form.elements[`names.${code}`].value.trim();
    if (value) names[code] = value;
  }
  return names;
}

function editIngredient(ingredient = null) {
  const dialog = document.querySelector("[data-ingredient-dialog]");
  const form = dialog.querySelector("form");
  const unit = form.elements.unit;
  unit.replaceChildren(...(ingredient ? unitsLike(ingredient.unit) : Object.keys(config.units))
    .map((u) => h("option", { value: u, selected: u === ingredient?.unit }, unitLabel(u))));
  form.elements["names.ro"].value = ingredient?.names.ro || "";
  form.elements["names.en"].value = ingredient?.names.en || "";
  form.elements.cost.value = ingredient ? decimalText(ingredient.cost, moneyExponent) : "";
  form.elements.par_level.value = shownAmount(ingredient?.par_level);
  form.elements.reorder_point.value = shownAmount(ingredient?.reorder_point);
  form.elements.active.checked = ingredient ? ingredient.active : true;
  const costLabel = () => {
    form.querySelector("[data-cost-label]").textContent = fill(strings.cost_per,
                                                               { unit: unitLabel(unit.value) });
  };
  unit.onchange = costLabel;
  costLabel();
  openForm(dialog, ingredient ? fill(strings.edit_ingredient, { name: nameOf(ingredient) })
    : strings.add_ingredient, async () => {
    const cost = form.elements.cost.value.trim() ? parseMoney(form.elements.cost.value, moneyExponent) : 0;
    if (cost === null) throw new ApiError(400, { message: strings.give_cost, field: "cost" });
    const body = { names: namesOf(form), unit: unit.value, cost,
                   par_level: amountOrNull(form.elements.par_level.value),
                   reorder_point: amountOrNull(form.elements.reorder_point.value),
                   active: form.elements.active.checked };
    for (const name of ["par_level", "reorder_point"]) {
      if (Number.isNaN(body[name])) throw new ApiError(400, { message: strings.give_quantity, field: name });
    }
    const saved = ingredient ? await patch(`${INVENTORY}/ingredients/${ingredient.id}`, body)
      : await post(`${INVENTORY}/ingredients`, body);
    await loadIngredients();
    return saved;
  });
}

async function loadIngredients() {
  ingredients = await get(`${INVENTORY}/ingredients`);
  renderIngredients();
  renderLevels();
  refreshLineChoices();
}

// --- locations -----------------------------------------------------------------------------

function stationName(id) {
  const station = config.stations.find((s) => s.id === id);
  return station ? nameOf(station) : strings.no_station;
}

function locationRow(place) {
  return h("tr", { dataset: { location: place.id }, class: place.active ? "" : "is-retired" },
    h("th", { scope: "row" }, h("span", { class: "office-strong" }, nameOf(place)),
      place.is_default ? h("span", { class: "office-pill", dataset: { state: "live" } },
                           strings.default_location) : null,
      place.active ? null : h("span", { class: "office-sub" }, strings.inactive)),
    h("td", {}, place.code),
    h("td", {}, stationName(place.station_id)),
    h("td", { class: "office-actions" }, h("button", {
      type: "button", class: "button button-secondary", dataset: { editLocation: place.id },
      onclick: () => editLocation(place) }, strings.edit)));
}

function renderLocations() {
  const body = document.querySelector("[data-locations] tbody");
  if (!body) return;
  body.replaceChildren(...(locations.length ? locations.map(locationRow)
    : [h("tr", {}, h("td", { colspan: 4, class: "office-none" }, strings.no_locations))]));
}

function editLocation(place = null) {
  const dialog = document.querySelector("[data-location-dialog]");
  const form = dialog.querySelector("form");
  form.elements.station_id.replaceChildren(h("option", { value: "" }, strings.no_station),
    ...config.stations.map((s) => h("option", { value: s.id, selected: s.id === place?.station_id },
                                    nameOf(s))));
  form.elements["names.ro"].value = place?.names.ro || "";
  form.elements["names.en"].value = place?.names.en || "";
  form.elements.code.value = place?.code || "";
  form.elements.code.disabled = Boolean(place);  // a location keeps its code
  form.elements.is_default.checked = Boolean(place?.is_default);
  form.elements.active.checked = place ? place.active : true;
  openForm(dialog, place ? fill(strings.edit_location, { name: nameOf(place) })
    : strings.add_location, async () => {
    const body = { names: namesOf(form), is_default: form.elements.is_default.checked,
                   station_id: Number(form.elements.station_id.value) || null,
                   active: form.elements.active.checked };
    if (!place) body.code = form.elements.code.value.trim();
    const saved = place ? await patch(`${INVENTORY}/locations/${place.id}`, body)
      : await post(`${INVENTORY}/locations`, body);
    await loadLocations();
    return saved;
  });
}

async function loadLocations() {
  locations = await get(`${INVENTORY}/locations`);
  renderLocations();
  fillLocationChoices();
  renderLevels();
}

// --- live: the low-stock alert names the ingredient whose level changed --------------------

async function startLive() {
  const { last_event: lastEvent } = await get("/alerts");
  const follow = (data) => {
    if (data?.kind !== "low_stock") return;
    const m = data.message || {};
    if (m.ingredient_id) loadLevels(m.ingredient_id).catch(() => {});
  };
  connectLive("/office", {
    lastEvent,
    onEvent: (name, data) => {
      if (name === "alert" || name === "alert_cleared") follow(data);
    },
    onSnapshotNeeded: async () => {
      await loadLevels();
      return (await get("/alerts")).last_event;
    },
  });
}

// --- start ---------------------------------------------------------------------------------

async function start() {
  showTab(location.hash.slice(1) || "stock");
  const asks = [get(`${INVENTORY}/ingredients`), get(`${INVENTORY}/locations`),
                get(`${INVENTORY}/levels`)];
  if (config.can_edit) asks.push(get(`${INVENTORY}/recipes`), get("/menu"));
  const [i, l, v, r, m] = await Promise.all(asks);
  [ingredients, locations, levels] = [i, l, v];
  if (config.can_edit) {
    recipes = r.recipes;
    menu = m;
    fillRecipeTargets();
    document.querySelector("[data-add-ingredient]").addEventListener("click", () => editIngredient());
    document.querySelector("[data-add-location]").addEventListener("click", () => editLocation());
  }
  renderIngredients();
  renderLocations();
  fillLocationChoices();
  renderLevels();
  resetDocument();
  if (config.live) startLive().catch(() => {});
}

start().catch((error) => say(failure(error), "error"));
