// The floor editor (/office/floor): floors as tabs, the chosen floor's plan (floor_plan.js),
// the chosen table's details, the floor's name and place among the floors, and its
// sections with the servers who cover them. Every change goes to the API at once; the
// tablets hear it from the server (a "layout" event) and their plans follow.
import { ApiError, api, get, patch, post } from "../api.js";
import { h } from "../dom.js";
import { connectLive } from "../live.js";
import { fill, readStrings } from "../session.js";
import { PlanView } from "./floor_plan.js";

const strings = readStrings();
const root = document.querySelector("[data-floor-editor]");
const $ = (selector) => root.querySelector(selector);
const message = $("[data-message]");
const tableForm = $("[data-table-form]");
const floorForm = $("[data-floor-form]");
const floorDialog = $("[data-floor-dialog]");
const language = document.documentElement.lang || "ro";
const FLOOR_KEY = "masa.office.floor";
// Sections are told apart by colour on the plan (the same order on every screen).
const SECTION_COLOURS = ["#0f766e", "#b45309", "#7c3aed", "#be123c", "#1d4ed8", "#4d7c0f", "#a21caf", "#0e7490"];
const NUMBERS = ["seats", "x", "y", "width", "height", "rotation"];

let layout = { grid: 100, floors: [], sections: [] };
let servers = [];
let floorId = Number(sessionStorage.getItem(FLOOR_KEY)) || null;
let selectedId = null;

const plan = new PlanView($("[data-plan]"), {
  strings,
  onSelect: (id) => selectTable(id),
  onChange: (table, changes, before) => saveTable(table, changes, before),
});

let quiet = null;

/** Say how a change went; good news goes away by itself, a refusal stays until the next. */
function say(text, kind = "info") {
  clearTimeout(quiet);
  message.hidden = !text;
  message.textContent = text || "";
  message.dataset.kind = kind;
  if (text && kind === "success") quiet = setTimeout(() => { message.hidden = true; }, 4000);
}

function nameOf(names) {
  return names?.[language] || names?.ro || Object.values(names || {})[0] || "";
}

function currentFloor() {
  return layout.floors.find((f) => f.id === floorId);
}

function tableById(id) {
  for (const floor of layout.floors) {
    const table = floor.tables.find((t) => t.id === id);
    if (table) return table;
  }
  return null;
}

/** An answer refused: say why, and mark the field it names. */
function refused(error, form = null) {
  say(error instanceof ApiError ? error.message : strings.failed, "error");
  const input = error instanceof ApiError && error.field && form?.elements[error.field];
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}

function clearInvalid(form) {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// --- drawing -------------------------------------------------------------------------------

function sectionColours() {
  return new Map(layout.sections.map((s, i) => [s.id, SECTION_COLOURS[i % SECTION_COLOURS.length]]));
}

function render() {
  if (!currentFloor()) floorId = layout.floors[0]?.id ?? null;
  renderTabs();
  const floor = currentFloor();
  plan.grid = layout.grid;
  plan.show(floor ? floor.tables : [], sectionColours());
  if (selectedId && !floor?.tables.some((t) => t.id === selectedId)) selectedId = null;
  plan.select(selectedId);
  renderTableForm();
  renderFloorForm();
  renderSections();
}

function renderTabs() {
  $("[data-floor-tabs]").replaceChildren(...layout.floors.map((floor) => h("button", {
    type: "button", role: "tab", class: "fe-tab", "aria-selected": String(floor.id === floorId),
    dataset: { floorTab: floor.id },
    onclick: () => {
      floorId = floor.id;
      sessionStorage.setItem(FLOOR_KEY, String(floor.id));
      selectedId = null;
      say("");
      render();
    },
  }, nameOf(floor.names), h("span", { class: "fe-tab-count" }, String(floor.tables.length)))));
}

function renderTableForm() {
  const table = tableById(selectedId);
  tableForm.hidden = !table;
  $("[data-table-empty]").hidden = Boolean(table);
  $("[data-table-empty]").textContent = currentFloor()?.tables.length ? strings.pick_table : strings.no_tables;
  $("[data-table-title]").textContent = table ? fill(strings.table_n, { name: table.name }) : $("[data-table-title]").dataset.plain;
  if (!table) return;
  clearInvalid(tableForm);
  const sections = layout.sections.filter((s) => s.floor_id === table.floor_id);
  tableForm.elements.section_id.replaceChildren(
    h("option", { value: "" }, strings.no_section),
    ...sections.map((s) => h("option", { value: s.id }, s.name)));
  tableForm.elements.name.value = table.name;
  for (const key of NUMBERS) tableForm.elements[key].value = String(table[key]);
  tableForm.elements.shape.value = table.shape;
  tableForm.elements.section_id.value = table.section_id ? String(table.section_id) : "";
}

function renderFloorForm() {
  const floor = currentFloor();
  $("[data-floor-card]").hidden = !floor;
  if (!floor) return;
  clearInvalid(floorForm);
  floorForm.elements.ro.value = floor.names.ro || "";
  floorForm.elements.en.value = floor.names.en || "";
  const index = layout.floors.indexOf(floor);
  $("[data-floor-earlier]").disabled = index <= 0;
  $("[data-floor-later]").disabled = index >= layout.floors.length - 1;
}

function renderSections() {
  const colours = sectionColours();
  const sections = layout.sections.filter((s) => s.floor_id === floorId);
  $("[data-sections]").replaceChildren(...sections.map((section) => h("li", {
    class: "fe-section", dataset: { section: section.id }, style: { "--section": colours.get(section.id) },
  },
  h("div", { class: "fe-section-head" },
    h("span", { class: "fe-swatch", "aria-hidden": "true" }),
    h("input", {
      class: "fe-section-name", value: section.name, maxlength: "60", "aria-label": strings.section_name,
      onchange: (event) => renameSection(section, event.target),
    }),
    h("button", {
      type: "button", class: "button button-secondary fe-icon-button fe-danger",
      "aria-label": strings.remove_section, title: strings.remove_section,
      onclick: () => removeSection(section),
    }, "×")),
  h("div", { class: "fe-servers", role: "group", "aria-label": section.name },
    servers.map((server) => h("label", { class: "fe-chip" },
      h("input", {
        type: "checkbox", checked: section.staff_ids.includes(server.id), dataset: { server: server.id },
        onchange: () => changeServers(section),
      }),
      h("span", {}, server.name))),
    servers.length ? null : h("span", { class: "fe-muted" }, strings.servers_none)))));
}

// --- tables ------------------------------------------------------------------------------

function selectTable(id) {
  selectedId = id;
  plan.select(id);
  renderTableForm();
}

/** A gesture on the plan ended (or the arrow keys moved a table): save what it changed. */
async function saveTable(table, changes, before) {
  try {
    Object.assign(table, await patch(`/tables/${table.id}`, changes));
    say(fill(strings.moved, { name: table.name }), "success");
  } catch (error) {
    Object.assign(table, before);
    refused(error);
  }
  plan.place(table);
  if (table.id === selectedId) renderTableForm();
  if (stale) {
    stale = false;
    redraw(null);
  }
}

tableForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const table = tableById(selectedId);
  if (!table) return;
  clearInvalid(tableForm);
  const form = tableForm.elements;
  const wanted = { name: form.name.value.trim(), shape: form.shape.value,
                   section_id: form.section_id.value ? Number(form.section_id.value) : null };
  for (const key of NUMBERS) {
    const value = form[key].value.trim();
    wanted[key] = value === "" || !/^-?\d+$/.test(value) ? value : Number(value);
  }
  const changes = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => table[key] !== value));
  if (!Object.keys(changes).length) return;
  try {
    Object.assign(table, await patch(`/tables/${table.id}`, changes));
    say(strings.saved, "success");
    render();
  } catch (error) {
    refused(error, tableForm);
  }
});

$("[data-add-table]").addEventListener("click", async () => {
  const floor = currentFloor();
  if (!floor) return;
  const taken = new Set(layout.floors.flatMap((f) => f.tables.map((t) => t.name)));
  const highest = Math.max(0, ...[...taken].map(Number).filter(Number.isInteger));
  let number = highest + 1;
  while (taken.has(String(number))) number += 1;
  const spot = freeSpot(floor.tables, 10, 10);
  try {
    const table = await post("/tables", { floor_id: floor.id, name: String(number), seats: 4,
                                          shape: "square", width: 10, height: 10, ...spot });
    floor.tables.push(table);
    selectedId = table.id;
    say(fill(strings.added, { name: table.name }), "success");
    render();
    tableForm.elements.name.focus();
  } catch (error) {
    refused(error);
  }
});

/** The first place on the grid where a new table touches no other. */
function freeSpot(tables, width, height) {
  const grid = layout.grid;
  for (let y = 2; y + height <= grid; y += 4) {
    for (let x = 2; x + width <= grid; x += 4) {
      if (!tables.some((t) => x < t.x + t.width + 2 && t.x < x + width + 2
                              && y < t.y + t.height + 2 && t.y < y + height + 2)) return { x, y };
    }
  }
  return { x: 0, y: 0 };
}

$("[data-remove-table]").addEventListener("click", async () => {
  const table = tableById(selectedId);
  if (!table || !window.confirm(fill(strings.confirm_remove, { name: table.name }))) return;
  try {
    await api("DELETE", `/tables/${table.id}`);
    const floor = layout.floors.find((f) => f.id === table.floor_id);
    floor.tables = floor.tables.filter((t) => t.id !== table.id);
    selectedId = null;
    say(fill(strings.removed, { name: table.name }), "success");
    render();
  } catch (error) {
    refused(error);
  }
});

// --- floors ------------------------------------------------------------------------------

function namesFrom(form) {
  const names = { ro: form.elements.ro.value.trim() };
  if (form.elements.en.value.trim()) names.en = form.elements.en.value.trim();
  return names;
}

floorForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const floor = currentFloor();
  clearInvalid(floorForm);
  try {
    const answer = await patch(`/floors/${floor.id}`, { names: namesFrom(floorForm) });
    floor.names = answer.names;
    say(strings.saved, "success");
    render();
  } catch (error) {
    refused(error, floorForm);
  }
});

async function moveFloor(by) {
  const ids = layout.floors.map((f) => f.id);
  const index = ids.indexOf(floorId);
  [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
  try {
    layout = await api("PUT", "/floors/order", { ids });
    render();
  } catch (error) {
    refused(error);
  }
}

$("[data-floor-earlier]").addEventListener("click", () => moveFloor(-1));
$("[data-floor-later]").addEventListener("click", () => moveFloor(1));

$("[data-remove-floor]").addEventListener("click", async () => {
  const floor = currentFloor();
  if (!floor || !window.confirm(fill(strings.confirm_remove_floor, { name: nameOf(floor.names) }))) return;
  try {
    layout = await api("DELETE", `/floors/${floor.id}`);
    floorId = null;
    render();
  } catch (error) {
    refused(error);
  }
});

$("[data-add-floor]").addEventListener("click", () => {
  floorDialog.querySelector("form").reset();
  floorDialog.showModal();
});
floorDialog.querySelector("[data-close-dialog]").addEventListener("click", () => floorDialog.close());
floorDialog.querySelector("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  clearInvalid(form);
  try {
    const floor = await post("/floors", { names: namesFrom(form) });
    layout.floors.push(floor);
    floorId = floor.id;
    floorDialog.close();
    say(strings.floor_added, "success");
    render();
  } catch (error) {
    if (error instanceof ApiError && error.field?.startsWith("names")) {
      form.elements.ro.setAttribute("aria-invalid", "true");
    }
    refused(error, form);
  }
});

// --- sections ----------------------------------------------------------------------------

$("[data-add-section-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  clearInvalid(form);
  try {
    const section = await post("/sections", { floor_id: floorId, name: form.elements.name.value.trim() });
    layout.sections.push(section);
    form.reset();
    render();
  } catch (error) {
    refused(error, form);
  }
});

async function renameSection(section, input) {
  try {
    Object.assign(section, await patch(`/sections/${section.id}`, { name: input.value.trim() }));
    say(strings.saved, "success");
    render();
  } catch (error) {
    input.setAttribute("aria-invalid", "true");
    refused(error);
  }
}

async function removeSection(section) {
  if (!window.confirm(fill(strings.confirm_remove_section, { name: section.name }))) return;
  try {
    await api("DELETE", `/sections/${section.id}`);
    layout.sections = layout.sections.filter((s) => s.id !== section.id);
    for (const floor of layout.floors) {
      for (const table of floor.tables) if (table.section_id === section.id) table.section_id = null;
    }
    render();
  } catch (error) {
    refused(error);
  }
}

async function changeServers(section) {
  const item = root.querySelector(`[data-section="${section.id}"]`);
  const staffIds = [...item.querySelectorAll("[data-server]:checked")].map((box) => Number(box.dataset.server));
  try {
    Object.assign(section, await api("PUT", `/sections/${section.id}/servers`, { staff_ids: staffIds }));
    say(strings.saved, "success");
  } catch (error) {
    refused(error);
    renderSections();
  }
}

// --- live: another manager's changes (and the echo of ours) -------------------------------

let stale = false; // a change arrived during a drag: drawn when the hand lifts

function onEvent(name, data) {
  if (name === "layout") layoutChanged(data);
  else if (name === "section") sectionChanged(data);
}

function layoutChanged(data) {
  if (data.what === "floors") {
    const known = new Map(layout.floors.map((f) => [f.id, f]));
    layout.floors = data.floors.map((f) => Object.assign(known.get(f.id) || { tables: [] }, f));
    redraw(null, { tabs: true });
    return;
  }
  const id = data.what === "table" ? data.table.id : data.id;
  if (plan.gesture?.table.id === id) return; // this hand is moving it: its answer decides
  const table = tableById(id);
  for (const floor of layout.floors) floor.tables = floor.tables.filter((t) => t.id !== id);
  if (data.what === "table") {
    const floor = layout.floors.find((f) => f.id === data.table.floor_id);
    floor?.tables.push(Object.assign(table || {}, data.table));
    floor?.tables.sort((a, b) => a.id - b.id);
  } else if (selectedId === id) {
    selectedId = null;
  }
  redraw(id);
}

function sectionChanged(section) {
  const known = layout.sections.find((s) => s.id === section.id);
  if (!section.name) layout.sections = layout.sections.filter((s) => s.id !== section.id);
  else if (known) Object.assign(known, section);
  else layout.sections.push(section);
  redraw(null, { sections: true });
}

/** Draw what a live change touched, leaving a form being typed into as it is. */
function redraw(tableId, { tabs = true, sections = false } = {}) {
  if (plan.gesture) {
    stale = true;
    return;
  }
  if (!currentFloor()) {
    render();
    return;
  }
  if (tabs) renderTabs();
  plan.show(currentFloor().tables, sectionColours());
  plan.select(selectedId);
  const typing = root.querySelector("form:focus-within") !== null;
  if (!typing && (tableId === selectedId || !selectedId)) renderTableForm();
  if (sections && !typing) renderSections();
}

// --- start -------------------------------------------------------------------------------

/** The plan is a square as large as the space beside the panel allows (or the width). */
function fitPlan() {
  const wrap = $("[data-plan-wrap]");
  const top = wrap.getBoundingClientRect().top + window.scrollY;
  const hint = wrap.querySelector(".fe-hint").offsetHeight + 12;
  const side = Math.max(280, Math.min(wrap.clientWidth, window.innerHeight - top - hint - 16));
  $("[data-plan]").style.setProperty("--plan-size", `${Math.floor(side)}px`);
}

async function start() {
  $("[data-table-title]").dataset.plain = $("[data-table-title]").textContent;
  tableForm.elements.shape.replaceChildren(...Object.entries(strings.shapes)
    .map(([value, label]) => h("option", { value }, label)));
  new ResizeObserver(fitPlan).observe($("[data-plan-wrap]"));
  window.addEventListener("resize", fitPlan);
  fitPlan();
  const [floors, staff] = await Promise.all([get("/floors"), get("/servers").catch(() => [])]);
  layout = floors;
  servers = staff.filter((s) => ["waiter", "bartender"].includes(s.role));
  render();
  root.dataset.ready = "true";
  connectLive("/floor", {
    lastEvent: layout.last_event,
    onEvent,
    onSnapshotNeeded: async () => {
      layout = await get("/floors");
      render();
      return layout.last_event;
    },
  });
}

start().catch((error) => refused(error));
