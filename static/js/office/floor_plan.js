// One floor drawn to scale (its 100 × 100 grid of plan units fills a square), its tables
// placed where they stand. A table is dragged to move it; once chosen, its corner handle
// resizes it and its round handle turns it. Pointer Events, so a finger and a mouse do
// the same; what a gesture changes is handed to `onChange` once, when the finger lifts.
import { h } from "../dom.js";
import { fill } from "../session.js";

const GRID_DEFAULT = 100;
const MIN_SIZE = 2;
const TURN_SNAP = 5; // degrees: a turn lands on a multiple of it

const clamp = (value, low, high) => Math.min(Math.max(value, low), high);

export class PlanView {
  constructor(root, { strings, grid = GRID_DEFAULT, onSelect, onChange }) {
    this.root = root;
    this.strings = strings;
    this.grid = grid;
    this.onSelect = onSelect;
    this.onChange = onChange;
    this.tables = [];
    this.selectedId = null;
    this.sectionColours = new Map();
    this.gesture = null;
    root.addEventListener("pointerdown", (event) => this.pointerDown(event));
    root.addEventListener("pointermove", (event) => this.pointerMove(event));
    root.addEventListener("pointerup", (event) => this.pointerUp(event));
    root.addEventListener("pointercancel", () => this.cancel());
    root.addEventListener("keydown", (event) => this.keyDown(event));
    root.addEventListener("pointerdown", (event) => {
      if (event.target === root) this.onSelect(null);
    });
  }

  /** The floor's tables (their layout) and the colour of each section. */
  show(tables, sectionColours) {
    this.tables = tables;
    this.sectionColours = sectionColours;
    this.render();
  }

  select(id) {
    this.selectedId = id;
    for (const element of this.root.querySelectorAll("[data-table-id]")) {
      const chosen = Number(element.dataset.tableId) === id;
      element.classList.toggle("is-selected", chosen);
      element.setAttribute("aria-pressed", String(chosen));
    }
  }

  render() {
    this.root.replaceChildren(...this.tables.map((table) => this.tableElement(table)));
    this.select(this.selectedId);
  }

  /** Redraw one table where its layout now says (during a gesture, after an answer). */
  place(table) {
    const element = this.root.querySelector(`[data-table-id="${table.id}"]`);
    if (!element) return;
    const unit = 100 / this.grid;
    Object.assign(element.style, {
      left: `${table.x * unit}%`, top: `${table.y * unit}%`,
      width: `${table.width * unit}%`, height: `${table.height * unit}%`,
      rotate: `${table.rotation}deg`,
    });
    const dragging = element.classList.contains("is-dragging");
    element.className = this.tableClass(table);
    element.classList.toggle("is-dragging", dragging);
    element.querySelector(".fe-table-name").textContent = table.name;
    element.querySelector(".fe-table-name").style.rotate = `${-table.rotation}deg`;
    element.setAttribute("aria-label", fill(this.strings.table_label, { name: table.name, seats: table.seats }));
    element.style.setProperty("--section", this.sectionColours.get(table.section_id) || "transparent");
  }

  tableClass(table) {
    return `fe-table shape-${table.shape}${table.id === this.selectedId ? " is-selected" : ""}`
      + `${table.section_id ? " has-section" : ""}`;
  }

  tableElement(table) {
    const element = h("div", {
      class: this.tableClass(table), tabindex: "0", role: "button",
      dataset: { tableId: table.id, name: table.name, gesture: "move" },
    },
    h("span", { class: "fe-table-name" }, table.name),
    h("span", { class: "fe-handle fe-resize", dataset: { gesture: "resize" }, role: "button",
                "aria-label": fill(this.strings.resize, { name: table.name }) }),
    h("span", { class: "fe-handle fe-rotate", dataset: { gesture: "rotate" }, role: "button",
                "aria-label": fill(this.strings.rotate, { name: table.name }) }));
    queueMicrotask(() => this.place(table));
    return element;
  }

  /** The place nearest (x, y) where the table, turned as it is, stands inside the floor
   * (as the server checks it: pos.floor.operations.check_layout). */
  onFloor(table, x, y) {
    const angle = (table.rotation * Math.PI) / 180;
    const cos = Math.abs(Math.cos(angle));
    const sin = Math.abs(Math.sin(angle));
    const reachX = (table.width * cos + table.height * sin) / 2;
    const reachY = (table.width * sin + table.height * cos) / 2;
    const place = (value, size, reach) => clamp(Math.round(value),
      Math.ceil(reach - size / 2 - 0.01), Math.floor(this.grid - reach - size / 2 + 0.01));
    return [place(x, table.width, reachX), place(y, table.height, reachY)];
  }

  /** Plan units per CSS pixel, as the plan is drawn now. */
  unitsPerPixel() {
    return this.grid / this.root.getBoundingClientRect().width;
  }

  pointerDown(event) {
    const handle = event.target.closest("[data-gesture]");
    const element = event.target.closest("[data-table-id]");
    if (!handle || !element || event.button > 0) return;
    const table = this.tables.find((t) => t.id === Number(element.dataset.tableId));
    if (!table) return;
    event.preventDefault();
    if (this.selectedId !== table.id) this.onSelect(table.id);
    const box = element.getBoundingClientRect();
    this.gesture = {
      kind: handle.dataset.gesture, table, element, pointer: event.pointerId,
      startX: event.clientX, startY: event.clientY,
      centre: { x: box.left + box.width / 2, y: box.top + box.height / 2 },
      before: { ...table }, moved: false,
    };
    element.classList.add("is-dragging");
    this.root.setPointerCapture(event.pointerId);
  }

  pointerMove(event) {
    const g = this.gesture;
    if (!g || event.pointerId !== g.pointer) return;
    const dx = event.clientX - g.startX;
    const dy = event.clientY - g.startY;
    if (!g.moved && Math.hypot(dx, dy) < 3) return; // a tap, not a drag
    g.moved = true;
    const units = this.unitsPerPixel();
    const t = g.table;
    const b = g.before;
    if (g.kind === "move") {
      [t.x, t.y] = this.onFloor(t, b.x + dx * units, b.y + dy * units);
    } else if (g.kind === "resize") {
      // The pointer's travel in the table's own (turned) frame.
      const angle = (-b.rotation * Math.PI) / 180;
      const along = (dx * Math.cos(angle) - dy * Math.sin(angle)) * units;
      const across = (dx * Math.sin(angle) + dy * Math.cos(angle)) * units;
      t.width = clamp(Math.round(b.width + along), MIN_SIZE, this.grid - b.x);
      t.height = clamp(Math.round(b.height + across), MIN_SIZE, this.grid - b.y);
    } else if (g.kind === "rotate") {
      const degrees = (Math.atan2(event.clientY - g.centre.y, event.clientX - g.centre.x) * 180) / Math.PI + 90;
      t.rotation = ((Math.round(degrees / TURN_SNAP) * TURN_SNAP) % 360 + 360) % 360;
    }
    this.place(t);
  }

  pointerUp(event) {
    const g = this.gesture;
    if (!g || event.pointerId !== g.pointer) return;
    this.gesture = null;
    g.element.classList.remove("is-dragging");
    if (!g.moved) return;
    const changes = {};
    for (const key of ["x", "y", "width", "height", "rotation"]) {
      if (g.table[key] !== g.before[key]) changes[key] = g.table[key];
    }
    if (Object.keys(changes).length) this.onChange(g.table, changes, g.before);
  }

  cancel() {
    const g = this.gesture;
    if (!g) return;
    this.gesture = null;
    Object.assign(g.table, g.before);
    g.element.classList.remove("is-dragging");
    this.place(g.table);
  }

  /** Arrow keys move the chosen table one unit (five with Shift). */
  keyDown(event) {
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key];
    const element = event.target.closest?.("[data-table-id]");
    if (!element) return;
    const table = this.tables.find((t) => t.id === Number(element.dataset.tableId));
    if (!table) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.onSelect(table.id);
      return;
    }
    if (!step) return;
    event.preventDefault();
    const by = event.shiftKey ? 5 : 1;
    const before = { ...table };
    [table.x, table.y] = this.onFloor(table, table.x + step[0] * by, table.y + step[1] * by);
    if (table.x === before.x && table.y === before.y) return;
    this.place(table);
    this.onChange(table, { x: table.x, y: table.y }, before);
  }
}
