// The floor plan: tables drawn where they stand, coloured by state, each with its guests,
// server and minutes since seating. Events change one table; nothing reloads the plan.
// On a phone the plan would shrink tables below a fingertip, so the same tables are laid
// out as a list of cards, section by section.
import { get } from "../api.js";
import { unsentCheckIds } from "./drafts.js";
import { firstName, h, icon, initials, minutesSince, money, nameOf, t } from "./util.js";

const STATES = ["free", "seated", "ordered", "food_ready", "paid", "needs_clearing"];
/** Paid (the guests still there) and needs clearing: no open check, the table is not taken. */
const AFTER_PAYING = ["paid", "needs_clearing"];
const FLOOR_KEY = "masa.tablet.floor";
const MINE_KEY = "masa.tablet.my_section";
const PAD = 3; // plan units around the tables
const PHONE = "(max-width: 600px)"; // as static/css/tablet-phone.css

export class FloorView {
  constructor(root, { me, onTable, onTab, onNewTab }) {
    this.root = root;
    this.me = me;
    this.onTable = onTable;
    this.onTab = onTab;
    this.onNewTab = onNewTab;
    this.floors = [];
    this.tables = new Map(); // id → table (with its live state)
    this.tabs = new Map(); // bar tabs and take-aways: check id → summary
    this.floorId = Number(sessionStorage.getItem(FLOOR_KEY)) || null;
    this.mineOnly = localStorage.getItem(MINE_KEY) === "1";
    this.seeAll = true;
    this.mySections = [];
    this.sectionNames = null; // section id → name, asked for when a phone first lists tables
    this.phone = window.matchMedia(PHONE);
    this.phone.addEventListener("change", () => this.render());

    this.tabsBar = root.querySelector("[data-floor-tabs]");
    this.sectionToggle = root.querySelector("[data-section-toggle]");
    this.legend = root.querySelector("[data-legend]");
    this.plan = root.querySelector("[data-plan]");
    this.tabsList = root.querySelector("[data-tabs-list]");
    this.tabsSection = root.querySelector("[data-tabs]");
    this.myTables = root.querySelector("[data-my-tables]");

    root.querySelector("[data-new-tab='bar_tab']").addEventListener("click", () => this.onNewTab("bar_tab"));
    root.querySelector("[data-new-tab='take_away']").addEventListener("click", () => this.onNewTab("take_away"));
    this.sectionToggle.addEventListener("click", (event) => {
      const choice = event.target.closest("[data-mine]");
      if (!choice) return;
      this.mineOnly = choice.dataset.mine === "1";
      localStorage.setItem(MINE_KEY, this.mineOnly ? "1" : "0");
      this.render();
    });
    this.plan.addEventListener("click", (event) => {
      const button = event.target.closest("[data-table-id]");
      if (button) this.onTable(this.tables.get(Number(button.dataset.tableId)));
    });
    this.tabsList.addEventListener("click", (event) => {
      const button = event.target.closest("[data-check-id]");
      if (button) this.onTab(Number(button.dataset.checkId));
    });
    this.myTables.addEventListener("click", (event) => {
      const button = event.target.closest("[data-mine-table]");
      if (button) this.onTable(this.tables.get(Number(button.dataset.mineTable)));
    });
    setInterval(() => this.tick(), 20000);
  }

  /** GET /api/v1/floor. */
  load(data) {
    this.floors = data.floors;
    this.seeAll = data.see_all_sections;
    this.mySections = data.my_sections || [];
    this.tables.clear();
    for (const floor of data.floors) {
      for (const table of floor.tables) this.tables.set(table.id, { ...table, floor_id: floor.id });
    }
    if (!this.floors.some((f) => f.id === this.floorId)) this.floorId = this.floors[0]?.id ?? null;
    this.render();
  }

  /** A `section` event ({id, name, floor_id, staff_ids}): "my section" follows it.
   * Returns "added" or "removed" when this waiter's own sections changed. */
  sectionChanged(section) {
    if (section.name) this.sectionNames?.set(section.id, section.name);
    const mine = (section.staff_ids || []).includes(this.me.id);
    const had = this.mySections.includes(section.id);
    if (mine === had) return null;
    this.mySections = mine ? [...this.mySections, section.id] : this.mySections.filter((id) => id !== section.id);
    this.render();
    return mine ? "added" : "removed";
  }

  /** The venue's `waiters_see_all_sections` changed. */
  setSeeAll(seeAll) {
    this.seeAll = Boolean(seeAll);
    this.render();
  }

  /** The business day is closed: no new bar tab or take-away (tables say so when tapped). */
  setLocked(locked) {
    this.locked = locked;
    this.root.classList.toggle("is-locked", locked);
    for (const button of this.root.querySelectorAll("[data-new-tab]")) button.disabled = locked;
  }

  /** A `table` event: the state of one table. */
  updateTable(data) {
    const table = this.tables.get(data.table_id);
    if (!table) return;
    Object.assign(table, {
      state: data.state, guests: data.guests, server: data.server, server_id: data.server_id,
      seated_at: data.seated_at, checks: data.checks,
    });
    const element = this.plan.querySelector(`[data-table-id="${table.id}"]`);
    if (element) element.replaceWith(this.tableElement(table, this.box ?? fitBox([])));
    this.renderLegend();
    this.renderMine();
  }

  /** A `layout` event from the floor editor: a table placed, renamed, added or removed,
   * or the floors renamed or reordered. The plan follows; live states stay as they are. */
  layoutChanged(data) {
    if (data.what === "floors") {
      const known = new Map(this.floors.map((f) => [f.id, f]));
      this.floors = data.floors.map((f) => Object.assign(known.get(f.id) || { tables: [] },
        { id: f.id, names: f.names }));
    } else if (data.what === "table" || data.what === "table_removed") {
      const id = data.what === "table" ? data.table.id : data.id;
      for (const floor of this.floors) floor.tables = floor.tables.filter((tb) => tb.id !== id);
      if (data.what === "table_removed") {
        this.tables.delete(id);
      } else {
        const table = this.tables.get(id) || { state: "free", guests: 0, checks: [], servers: [],
                                               server: null, server_id: null, seated_at: null };
        this.tables.set(id, Object.assign(table, data.table));
        const floor = this.floors.find((f) => f.id === data.table.floor_id);
        if (floor) floor.tables = [...floor.tables, { id }].sort((a, b) => a.id - b.id);
      }
    }
    if (!this.floors.some((f) => f.id === this.floorId)) this.floorId = this.floors[0]?.id ?? null;
    this.render();
  }

  /** Open bar tabs and take-aways (GET /api/v1/checks, kind ≠ table). */
  setTabs(summaries) {
    this.tabs = new Map(summaries.filter((c) => c.kind !== "table").map((c) => [c.id, c]));
    this.renderTabs();
  }

  updateTab(summary) {
    if (!summary || summary.kind === "table" || summary.status && summary.status !== "open") {
      if (summary) this.tabs.delete(summary.id);
    } else {
      this.tabs.set(summary.id, summary);
    }
    this.renderTabs();
  }

  removeTab(id) {
    if (this.tabs.delete(id)) this.renderTabs();
  }

  floorsForPicker() {
    return this.floors.map((floor) => ({
      ...floor, tables: floor.tables.map((table) => this.tables.get(table.id) || table),
    }));
  }

  tableById(id) {
    return this.tables.get(id);
  }

  tick() {
    if (this.root.hidden) return;
    for (const element of this.root.querySelectorAll("[data-seated-at]")) {
      element.textContent = t("minutes", { count: minutesSince(element.dataset.seatedAt) ?? 0 });
    }
  }

  render() {
    this.renderFloorTabs();
    this.sectionToggle.hidden = this.seeAll;
    this.sectionToggle.querySelectorAll("[data-mine]").forEach((b) =>
      b.setAttribute("aria-pressed", String((b.dataset.mine === "1") === this.mineOnly)));
    const floor = this.floors.find((f) => f.id === this.floorId);
    const tables = floor ? floor.tables.map((table) => this.tables.get(table.id)) : [];
    this.unsent = unsentCheckIds();
    this.box = fitBox(tables);
    this.plan.style.setProperty("--plan-ratio", `${this.box.width} / ${this.box.height}`);
    this.plan.style.setProperty("--plan-ratio-number", String(this.box.width / this.box.height));
    this.plan.classList.toggle("is-list", this.listed);
    this.plan.replaceChildren(...(this.listed ? this.sectionList(tables)
      : tables.map((table) => this.tableElement(table, this.box))));
    this.renderLegend();
    this.renderMine();
    this.renderTabs();
  }

  /** A phone lists the tables instead of drawing them. */
  get listed() {
    return this.phone.matches;
  }

  /** The floor's tables grouped by section (in the sections' order), each under its name. */
  sectionList(tables) {
    if (!this.sectionNames) this.loadSectionNames();
    const order = [...(this.sectionNames?.keys() || [])];
    const rank = (id) => (order.includes(id) ? order.indexOf(id) : order.length + (id ?? Infinity));
    const groups = new Map();
    for (const table of [...tables].sort((a, b) => rank(a.section_id) - rank(b.section_id))) {
      if (!groups.has(table.section_id)) groups.set(table.section_id, []);
      groups.get(table.section_id).push(table);
    }
    const named = this.sectionNames?.size > 0;
    return [...groups].flatMap(([id, members]) => [
      named ? h("h3", { class: "plan-section" }, this.sectionNames?.get(id) || t("other_tables")) : null,
      ...members.map((table) => this.tableElement(table, this.box)),
    ].filter(Boolean));
  }

  /** The sections' names (the floor payload carries only their ids); once, then events. */
  async loadSectionNames() {
    this.sectionNames = new Map();
    try {
      for (const section of await get("/sections")) this.sectionNames.set(section.id, section.name);
    } catch {
      return; // the list stays ungrouped by name; the tables are all there
    }
    if (this.listed) this.render();
  }

  /** The tables this waiter serves, on every floor: the quickest way back to them. */
  renderMine() {
    this.unsent = unsentCheckIds();
    const mine = [...this.tables.values()].filter((tb) => tb.server_id === this.me.id && tb.checks?.length)
      .sort((a, b) => (a.seated_at || "").localeCompare(b.seated_at || ""));
    this.myTables.replaceChildren(...(mine.length ? mine.map((table) => h("button", {
      type: "button", class: `mine-card state-${table.state}`, dataset: { mineTable: table.id },
    },
    h("span", { class: "mine-name" }, table.name),
    h("span", { class: "mine-text" },
      h("span", { class: "mine-state" }, t(`state_${table.state}`),
        (table.checks || []).some((id) => this.unsent?.has(id))
          ? h("span", { class: "mine-unsent" }, icon("edit", 14), t("unsent_here")) : null),
      h("span", { class: "mine-detail" },
        t("guests_n", { count: table.guests }), " · ",
        h("span", { dataset: { seatedAt: table.seated_at || "" } }, t("minutes", { count: minutesSince(table.seated_at) ?? 0 })))),
    icon("chevron", 20))) : [h("p", { class: "side-empty" }, t("no_tables_mine"))]));
  }

  renderFloorTabs() {
    this.tabsBar.replaceChildren(...this.floors.map((floor) => {
      const busy = floor.tables.filter((tb) => this.tables.get(tb.id)?.state !== "free").length;
      return h("button", {
        type: "button", role: "tab", class: "seg-button", "aria-selected": String(floor.id === this.floorId),
        dataset: { floorId: floor.id },
        onclick: () => {
          this.floorId = floor.id;
          sessionStorage.setItem(FLOOR_KEY, String(floor.id));
          this.render();
        },
      }, h("span", {}, nameOf(floor.names)),
      busy ? h("span", { class: "seg-count", "aria-label": t("tables_busy", { count: busy }) }, String(busy)) : null);
    }));
  }

  renderLegend() {
    const floor = this.floors.find((f) => f.id === this.floorId);
    const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
    for (const table of floor?.tables || []) counts[this.tables.get(table.id)?.state] += 1;
    this.legend.replaceChildren(...STATES.map((state) => h("span", { class: `legend-item state-${state}`, dataset: { legend: state } },
      h("span", { class: "legend-swatch" }),
      h("span", { class: "legend-label" }, t(`state_${state}`)),
      h("span", { class: "legend-count" }, String(counts[state])))));
    this.renderFloorTabs();
  }

  tableElement(table, box) {
    const mine = table.server_id === this.me.id;
    const outside = !this.seeAll && this.mineOnly && !this.mySections.includes(table.section_id);
    const free = table.state === "free" || AFTER_PAYING.includes(table.state) && !table.checks?.length;
    const minutes = minutesSince(table.seated_at);
    const label = [t("table_n", { name: table.name }), t(`state_${table.state}`),
                   free ? t("seats_n", { count: table.seats }) : t("guests_n", { count: table.guests }),
                   table.server, minutes !== null ? t("minutes", { count: minutes }) : null]
      .filter(Boolean).join(", ");
    const taken = free ? 0 : Math.min(table.guests, table.seats);
    const unsent = (table.checks || []).some((id) => this.unsent?.has(id));
    return h("button", {
      type: "button",
      class: `table shape-${table.shape} state-${table.state}${mine ? " is-mine" : ""}${outside ? " is-outside" : ""}`,
      dataset: { tableId: table.id, state: table.state, name: table.name },
      "aria-label": label,
      style: this.listed ? null : {
        left: `${((table.x - box.x) / box.width) * 100}%`,
        top: `${((table.y - box.y) / box.height) * 100}%`,
        width: `${(table.width / box.width) * 100}%`,
        height: `${(table.height / box.height) * 100}%`,
        rotate: table.rotation ? `${table.rotation}deg` : null,
      },
    },
    (this.listed ? [] : chairsOf(table)).map((chair, i) => h("span", {
      class: `chair${i < taken ? " is-taken" : ""}`, "aria-hidden": "true",
      style: { left: chair.left, top: chair.top, transform: `translate(-50%, -50%) rotate(${chair.rotate}deg)` },
    })),
    h("span", { class: "table-inner", style: table.rotation && !this.listed ? { rotate: `${-table.rotation}deg` } : null },
      h("span", { class: "table-name" }, table.name),
      free && this.listed ? h("span", { class: "table-meta table-seats" }, icon("chair", 14),
        h("span", {}, String(table.seats))) : null,
      table.state === "paid" ? h("span", { class: "table-meta table-state", dataset: { stateLabel: "" } },
        t("state_paid")) : null,
      free ? null : h("span", { class: "table-meta" },
        icon("user", 14), h("span", { dataset: { guests: "" } }, String(table.guests)),
        minutes !== null ? h("span", { class: "table-minutes", dataset: { minutes: "", seatedAt: table.seated_at } },
          t("minutes", { count: minutes })) : null),
      !free && table.server ? h("span", { class: "table-server", title: table.server },
        mine ? firstName(table.server) : initials(table.server)) : null),
    table.checks?.length > 1 ? h("span", { class: "table-checks" }, String(table.checks.length)) : null,
    unsent ? h("span", { class: "table-unsent", title: t("unsent_here"), dataset: { unsent: "" } }, icon("edit", 14)) : null);
  }

  renderTabs() {
    const tabs = [...this.tabs.values()].sort((a, b) => a.id - b.id);
    this.tabsSection.classList.toggle("is-empty", tabs.length === 0);
    this.tabsList.replaceChildren(...(tabs.length ? tabs.map((tab) => h("button", {
      type: "button", class: `tab-card kind-${tab.kind}`, dataset: { checkId: tab.id },
    },
    h("span", { class: "tab-card-icon" }, icon(tab.kind === "take_away" ? "bag" : "glass", 22)),
    h("span", { class: "tab-card-text" },
      h("span", { class: "tab-card-name" }, tab.name || `#${tab.id}`),
      h("span", { class: "tab-card-detail" }, t(`kind_${tab.kind}`))),
    h("span", { class: "tab-card-total" }, money(tab.total || 0)))) : [h("p", { class: "tabs-empty" }, t("no_tabs"))]));
  }
}

const CHAIR_OFFSET = "11px"; // from the table's inner edge to the middle of a chair

/** Where a table's chairs stand: evenly round a round table; along the long sides of a
 * square or rectangular one, with one at each end when it seats six or more. */
function chairsOf(table) {
  const n = Math.max(0, Math.min(table.seats || 0, 16));
  if (table.shape === "round") {
    const start = n === 2 ? 0 : -Math.PI / 2;
    return Array.from({ length: n }, (_, i) => {
      const angle = start + (2 * Math.PI * i) / n;
      const cos = Math.cos(angle).toFixed(4);
      const sin = Math.sin(angle).toFixed(4);
      return { left: `calc(50% + ${cos} * (50% + ${CHAIR_OFFSET}))`,
               top: `calc(50% + ${sin} * (50% + ${CHAIR_OFFSET}))`,
               rotate: (angle * 180) / Math.PI + 90 };
    });
  }
  const wide = table.width >= table.height;
  const ends = n >= 2 && (table.shape === "square" || n >= 6) ? 2 : 0;
  const along = n - ends;
  const first = Math.ceil(along / 2);
  const second = along - first;
  const chairs = [];
  const side = (count, edge) => {
    for (let i = 0; i < count; i++) chairs.push({ along: `${((i + 0.5) / count) * 100}%`, edge, end: false });
  };
  side(first, `calc(0% - ${CHAIR_OFFSET})`);
  side(second, `calc(100% + ${CHAIR_OFFSET})`);
  if (ends) {
    chairs.push({ along: "50%", edge: `calc(0% - ${CHAIR_OFFSET})`, end: true });
    chairs.push({ along: "50%", edge: `calc(100% + ${CHAIR_OFFSET})`, end: true });
  }
  // "along" runs on the long side; a tall table turns the picture a quarter.
  return chairs.map((c) => (wide !== c.end
    ? { left: c.along, top: c.edge, rotate: 0 }
    : { left: c.edge, top: c.along, rotate: 90 }));
}

/** The part of the floor's 100 × 100 grid that holds tables, with a margin. */
function fitBox(tables) {
  if (!tables.length) return { x: 0, y: 0, width: 100, height: 60 };
  const minX = Math.max(0, Math.min(...tables.map((tb) => tb.x)) - PAD);
  const minY = Math.max(0, Math.min(...tables.map((tb) => tb.y)) - PAD);
  const maxX = Math.min(100, Math.max(...tables.map((tb) => tb.x + tb.width)) + PAD);
  const maxY = Math.min(100, Math.max(...tables.map((tb) => tb.y + tb.height)) + PAD);
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}
