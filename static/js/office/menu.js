// The back office's menu: a paged, searchable list of items (86 and counts on each row),
// the categories in tablet order, the choice groups, their editors, import and export.
// The list follows changes made on other screens live (/floor: `menu`, `availability`).
import { api, ApiError, get, post } from "../api.js";
import { h } from "../dom.js";
import { connectLive } from "../live.js";
import { exponentOf, formatMoney } from "../money.js";
import { fill, readStrings } from "../session.js";
import { CategoryEditor, GroupEditor, ItemEditor, groupRule } from "./menu_forms.js";
import { ScheduleList } from "./menu_schedules.js";

const strings = readStrings();
const config = strings.config;
const language = document.documentElement.lang || config.venue_language;
const money = { currency: config.currency, exponent: exponentOf(config.currency) };
const PAGE = 50;

const $ = (selector) => document.querySelector(selector);
const message = $("[data-message]");
const problemsBox = $("[data-problems]");
const itemsBody = $("[data-items] tbody");
const search = $("[data-search]");
const filter = $("[data-category-filter]");
const shown = $("[data-shown]");

let setup = null;
let offset = 0;
let total = 0;
let searchTimer = null;

const name = (names) => names?.[language] || names?.[config.venue_language] || Object.values(names || {})[0] || "";
const price = (minor) => formatMoney(minor, money.currency, money.exponent, language);

function say(text, kind = "info") {
  message.hidden = !text;
  message.textContent = text || "";
  message.dataset.kind = kind;
}

function failed(error) {
  say(error instanceof ApiError ? error.message : strings.failed, "error");
}

// --- tabs ------------------------------------------------------------------------------------

function showTab(tab) {
  document.querySelectorAll("[data-tab]").forEach((button) =>
    button.setAttribute("aria-selected", String(button.dataset.tab === tab)));
  document.querySelectorAll("[data-pane]").forEach((pane) => { pane.hidden = pane.dataset.pane !== tab; });
}

// --- items -----------------------------------------------------------------------------------

function stateOf(item) {
  if (!item.active) return ["inactive", strings.inactive];
  if (!item.available) return ["out", strings.out];
  if (item.count_left !== null) return ["counted", fill(strings.left, { count: item.count_left })];
  return ["available", strings.available];
}

function itemRow(item) {
  const [state, label] = stateOf(item);
  const count = h("input", {
    class: "office-input menu-count", inputmode: "numeric", value: item.count_left ?? "",
    "aria-label": fill(strings.count_label, { name: name(item.names) }),
    onchange: (event) => setAvailability(item, item.available, event.target.value),
  });
  return h("tr", { dataset: { itemId: item.id, number: item.number }, class: item.active ? "" : "is-retired" },
    h("td", { class: "menu-col-number" }, String(item.number)),
    h("th", { scope: "row" }, h("span", { class: "office-strong" }, name(item.names)),
      h("span", { class: "office-sub" }, [name(setup.categoryById.get(item.category_id)?.names),
        item.group_count ? fill(strings.groups_n, { count: item.group_count }) : null]
        .filter(Boolean).join(" · ")),
      h("span", { class: "office-pill menu-state-inline", dataset: { state } }, label)),
    h("td", { class: "menu-col-price" }, price(item.price)),
    h("td", { class: "menu-col-state" }, h("span", { class: "office-pill", dataset: { state } }, label)),
    h("td", { class: "menu-col-count" }, count),
    h("td", { class: "office-actions" }, h("div", { class: "menu-row-actions" },
      h("button", { type: "button", class: "button button-secondary", dataset: { toggle86: item.id },
                    onclick: () => setAvailability(item, !item.available, count.value) },
        item.available ? strings.do_86 : strings.undo_86),
      h("button", { type: "button", class: "button button-secondary", dataset: { editItem: item.id },
                    onclick: () => editItem(item.id) }, strings.edit))));
}

async function loadItems() {
  const params = new URLSearchParams({ offset, limit: PAGE });
  if (search.value.trim()) params.set("q", search.value.trim());
  if (filter.value) params.set("category_id", filter.value);
  const page = await get(`/menu/items/page?${params}`);
  total = page.total;
  if (offset && offset >= total) {
    offset = Math.max(0, Math.floor((total - 1) / PAGE) * PAGE);
    return loadItems();
  }
  itemsBody.replaceChildren(...(page.items.length ? page.items.map(itemRow)
    : [h("tr", {}, h("td", { colspan: 6, class: "office-empty" }, strings.no_items))]));
  shown.textContent = total ? fill(strings.shown, { first: offset + 1, last: offset + page.items.length, total }) : "";
  document.querySelector('[data-page="-1"]').disabled = offset === 0;
  document.querySelector('[data-page="1"]').disabled = offset + PAGE >= total;
}

async function setAvailability(item, available, countText) {
  const text = String(countText ?? "").trim();
  const count = text === "" ? null : Number(text);
  if (count !== null && !(Number.isInteger(count) && count >= 0)) {
    say(fill(strings.count_label, { name: name(item.names) }), "error");
    return;
  }
  try {
    await post(`/menu/items/${item.id}/availability`, { available, count_left: count });
    await loadItems();
  } catch (error) {
    failed(error);
  }
}

async function editItem(itemId) {
  try {
    itemEditor.open(await get(`/menu/items/${itemId}`));
  } catch (error) {
    failed(error);
  }
}

// --- categories and groups ------------------------------------------------------------------------

function renderCategories() {
  const categories = setup.categories;
  const chosen = filter.value;
  filter.replaceChildren(h("option", { value: "" }, strings.all_categories),
    ...categories.map((c) => h("option", { value: c.id }, name(c.names))));
  filter.value = chosen && setup.categoryById.has(Number(chosen)) ? chosen : "";
  $("[data-categories] tbody").replaceChildren(...categories.map((category, index) =>
    h("tr", { dataset: { categoryId: category.id }, class: category.active ? "" : "is-retired" },
      h("td", { class: "menu-swatch-cell" }, h("span", { class: "menu-swatch", style: { background: category.color } })),
      h("th", { scope: "row" }, h("span", { class: "office-strong" }, name(category.names)),
        h("span", { class: "office-sub" }, [fill(strings.items_n, { count: category.item_count }),
          category.active ? null : strings.inactive].filter(Boolean).join(" · "))),
      h("td", { class: "office-actions" }, h("div", { class: "menu-row-actions" },
        h("button", { type: "button", class: "button button-secondary", disabled: index === 0,
                      "aria-label": strings.up, onclick: () => moveCategory(index, -1) }, "↑"),
        h("button", { type: "button", class: "button button-secondary", disabled: index === categories.length - 1,
                      "aria-label": strings.down, onclick: () => moveCategory(index, 1) }, "↓"),
        h("button", { type: "button", class: "button button-secondary", dataset: { editCategory: category.id },
                      onclick: () => categoryEditor.open(category) }, strings.edit))))));
}

function renderGroups() {
  const groups = setup.modifier_groups;
  $("[data-groups] tbody").replaceChildren(...(groups.length ? groups.map((group) =>
    h("tr", { dataset: { groupId: group.id } },
      h("th", { scope: "row" }, h("span", { class: "office-strong" }, name(group.names)),
        h("span", { class: "office-sub" }, [groupRule(group, strings),
          group.modifiers.filter((m) => m.active).map((m) => name(m.names)).join(", ")].join(" · "))),
      h("td", { class: "menu-used" }, fill(strings.used_by, { count: group.item_count })),
      h("td", { class: "office-actions" },
        h("button", { type: "button", class: "button button-secondary", dataset: { editGroup: group.id },
                      onclick: () => groupEditor.open(group) }, strings.edit))))
    : [h("tr", {}, h("td", { class: "office-empty" }, strings.no_groups))]));
}

async function moveCategory(index, step) {
  const ids = setup.categories.map((c) => c.id);
  [ids[index], ids[index + step]] = [ids[index + step], ids[index]];
  try {
    await api("PUT", "/menu/categories/order", { ids });
    await loadSetup();
  } catch (error) {
    failed(error);
  }
}

async function loadSetup() {
  setup = await get("/menu/setup");
  setup.allergens = config.allergens;
  setup.categoryById = new Map(setup.categories.map((c) => [c.id, c]));
  renderCategories();
  renderGroups();
  return setup.last_event;
}

// --- import ----------------------------------------------------------------------------------

async function importFile(file) {
  problemsBox.hidden = true;
  const format = /\.csv$/i.test(file.name) || file.type === "text/csv" ? "csv" : "json";
  try {
    const counts = await post("/menu/import", { format, content: await file.text() });
    say(fill(strings.imported, { categories: counts.categories, groups: counts.modifier_groups,
                                 items: counts.items }), "success");
    await refresh();
  } catch (error) {
    failed(error);
    const problems = error instanceof ApiError ? error.error.problems || [] : [];
    if (problems.length) {
      problemsBox.replaceChildren(h("p", {}, strings.import_refused), h("ul", {}, ...problems.map((p) =>
        h("li", {}, h("strong", {}, p.line ? fill(strings.line, { line: p.line }) : p.where), " ", p.message))));
      problemsBox.hidden = false;
    }
  }
}

// --- start -----------------------------------------------------------------------------------

async function refresh() {
  const lastEvent = await loadSetup();
  await Promise.all([loadItems(), scheduleList.load()]);
  return lastEvent;
}

const context = {
  strings, money, name, language, price,
  onDeleted: async () => {
    say(strings.deleted, "success");
    await refresh();
  },
  categoryId: () => (filter.value ? Number(filter.value) : null),
  onSaved: async () => {
    say(strings.saved, "success");
    await refresh();
  },
  get setup() { return setup; },
};
const itemEditor = new ItemEditor($("[data-item-dialog]"), context);
const categoryEditor = new CategoryEditor($("[data-category-dialog]"), context);
const groupEditor = new GroupEditor($("[data-group-dialog]"), context);
const scheduleList = new ScheduleList($("[data-schedules]"), $("[data-schedule-dialog]"), context);

document.querySelectorAll("[data-tab]").forEach((button) =>
  button.addEventListener("click", () => showTab(button.dataset.tab)));
$("[data-new-item]").addEventListener("click", () => itemEditor.open());
$("[data-new-category]").addEventListener("click", () => categoryEditor.open());
$("[data-new-group]").addEventListener("click", () => groupEditor.open());
$("[data-new-schedule]").addEventListener("click", () => scheduleList.openNew());
search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { offset = 0; loadItems().catch(failed); }, 150);
});
filter.addEventListener("change", () => { offset = 0; loadItems().catch(failed); });
document.querySelectorAll("[data-page]").forEach((button) => button.addEventListener("click", () => {
  offset = Math.max(0, offset + Number(button.dataset.page) * PAGE);
  loadItems().catch(failed);
}));
$("[data-import]").addEventListener("change", (event) => {
  const [file] = event.target.files;
  event.target.value = "";
  if (file) importFile(file);
});

refresh().then((lastEvent) => {
  connectLive("/floor", {
    lastEvent,
    onEvent: (eventName) => {
      if (eventName === "menu") refresh().catch(() => {});
      else if (eventName === "availability") loadItems().catch(() => {});
    },
    onSnapshotNeeded: refresh,
  });
}).catch(failed);
window.masaMenuOffice = { refresh }; // for tests and a technician
