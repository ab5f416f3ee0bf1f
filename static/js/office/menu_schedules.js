// The menu's schedules (breakfast, lunch, happy hour): the list on the "Schedules" tab and
// its editor. Days are toggle buttons, hours the venue's local time; the items limited to a
// schedule and its prices are picked by searching the menu (/menu/items/page).
import { api, get } from "../api.js";
import { h } from "../dom.js";
import { formatAmount, parseMoney } from "../money.js";
import { fill } from "../session.js";
import { Editor, FormRefusal } from "./menu_forms.js";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const TIME = /^([01]?\d|2[0-3])[:.h]?([0-5]\d)$/;

/** "17:00" for "17:00", "17.00", "1700" or "9:30" (→ "09:30"); null for anything else. */
function clockTime(text) {
  const match = TIME.exec(text.trim());
  return match ? `${match[1].padStart(2, "0")}:${match[2]}` : null;
}

/** "Mon–Fri", "Sat, Sun", "Every day". */
function daysText(days, strings) {
  if (days.length === 7) return strings.every_day;
  const index = days.map((d) => DAYS.indexOf(d)).sort((a, b) => a - b);
  const runs = [];
  for (const i of index) {
    const last = runs.at(-1);
    if (last && i === last[1] + 1) last[1] = i; else runs.push([i, i]);
  }
  return runs.map(([a, b]) => (b - a >= 2 ? `${strings.days[DAYS[a]]}–${strings.days[DAYS[b]]}`
    : DAYS.slice(a, b + 1).map((d) => strings.days[d]).join(", "))).join(", ");
}

export class ScheduleEditor extends Editor {
  constructor(dialog, context) {
    super(dialog, context);
    this.ctx = context;
    this.dayBox = dialog.querySelector("[data-days]");
    this.chips = dialog.querySelector("[data-limited-items]");
    this.priceRows = dialog.querySelector("[data-prices]");
    this.deleteButton = dialog.querySelector("[data-delete]");
    this.dayBox.replaceChildren(...DAYS.map((day) => h("button", {
      type: "button", class: "schedule-day", dataset: { day }, "aria-pressed": "false",
      onclick: (event) => {
        const button = event.currentTarget;
        button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
      },
    }, context.strings.days[day])));
    for (const input of dialog.querySelectorAll("[data-find]")) {
      let timer = null;
      input.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => this.find(input.dataset.find, input.value), 150);
      });
    }
    this.deleteButton.addEventListener("click", () => this.remove());
  }

  itemLabel(item) {
    return `${item.number} · ${this.ctx.name(item.names)}`;
  }

  async find(kind, text) {
    const box = this.dialog.querySelector(`[data-found="${kind}"]`);
    const query = text.trim();
    if (!query) {
      box.replaceChildren();
      return;
    }
    const page = await get(`/menu/items/page?${new URLSearchParams({ q: query, limit: 8 })}`);
    if (this.dialog.querySelector(`[data-find="${kind}"]`).value.trim() !== query) return; // typed on
    box.replaceChildren(...(page.items.length ? page.items.map((item) => h("button", {
      type: "button", class: "button button-secondary", dataset: { foundItem: item.id },
      "aria-label": fill(this.strings.add_item, { name: this.ctx.name(item.names) }),
      onclick: () => {
        if (kind === "limits") this.addChip(item); else this.addPrice(item, null).querySelector("input").focus();
        box.replaceChildren();
        this.dialog.querySelector(`[data-find="${kind}"]`).value = "";
      },
    }, this.itemLabel(item))) : [h("span", { class: "office-sub" }, this.strings.no_match)]));
  }

  addChip(item) {
    if (this.chips.querySelector(`[data-item-id="${item.id}"]`)) return;
    const chip = h("span", { class: "schedule-chip", dataset: { itemId: item.id } }, this.itemLabel(item),
      h("button", { type: "button", class: "button button-secondary",
                    "aria-label": fill(this.strings.remove_name, { name: this.ctx.name(item.names) }),
                    onclick: () => chip.remove() }, "×"));
    this.chips.append(chip);
  }

  addPrice(item, price) {
    const existing = this.priceRows.querySelector(`[data-item-id="${item.id}"]`);
    if (existing) return existing;
    const { money, language, name } = this.ctx;
    const row = h("div", { class: "schedule-price", dataset: { itemId: item.id } },
      h("span", {}, h("span", { class: "office-strong" }, this.itemLabel(item)),
        h("span", { class: "office-sub" }, fill(this.strings.usual_price, { price: this.ctx.price(item.price) }))),
      h("input", { class: "office-input", name: "price", inputmode: "decimal",
                   "aria-label": fill(this.strings.price_of, { name: name(item.names) }),
                   value: price === null ? "" : formatAmount(price, money.exponent, language) }),
      h("button", { type: "button", class: "button button-secondary",
                    "aria-label": fill(this.strings.remove_name, { name: name(item.names) }),
                    onclick: () => row.remove() }, "×"));
    this.priceRows.append(row);
    return row;
  }

  open(schedule = null, items = new Map()) {
    const { setup, name } = this.ctx;
    this.schedule = schedule;
    this.setNames("names", schedule?.names);
    for (const button of this.dayBox.querySelectorAll("[data-day]")) {
      button.setAttribute("aria-pressed", String((schedule?.days || []).includes(button.dataset.day)));
    }
    this.field("starts").value = schedule?.starts || "";
    this.field("ends").value = schedule?.ends || "";
    this.field("active").checked = schedule ? schedule.active : true;
    this.fillChecks(this.dialog.querySelector("[data-schedule-categories]"), "category_ids",
      setup.categories.map((c) => ({ value: String(c.id), label: name(c.names) })),
      (schedule?.category_ids || []).map(String));
    this.chips.replaceChildren();
    this.priceRows.replaceChildren();
    for (const id of schedule?.item_ids || []) if (items.has(id)) this.addChip(items.get(id));
    for (const { item_id: id, price } of schedule?.prices || []) if (items.has(id)) this.addPrice(items.get(id), price);
    this.dialog.querySelectorAll("[data-find]").forEach((input) => { input.value = ""; });
    this.dialog.querySelectorAll("[data-found]").forEach((box) => box.replaceChildren());
    this.deleteButton.hidden = !schedule;
    this.show(schedule ? this.strings.edit_schedule : this.strings.new_schedule);
    this.field("names.ro").focus();
  }

  request() {
    const days = [...this.dayBox.querySelectorAll('[aria-pressed="true"]')].map((b) => b.dataset.day);
    if (!days.length) throw new FormRefusal(this.strings.pick_a_day, "days");
    for (const name of ["starts", "ends"]) {
      const time = clockTime(this.field(name).value);
      if (!time) throw new FormRefusal(this.strings.bad_time, name);
      this.field(name).value = time;
    }
    const prices = [];
    for (const row of this.priceRows.querySelectorAll("[data-item-id]")) {
      const price = parseMoney(row.querySelector("input").value, this.ctx.money.exponent);
      if (price === null) throw new FormRefusal(this.strings.bad_price, "prices");
      prices.push({ item_id: Number(row.dataset.itemId), price });
    }
    const body = {
      names: this.names("names"), days, starts: this.field("starts").value, ends: this.field("ends").value,
      active: this.field("active").checked, category_ids: this.checked("category_ids").map(Number),
      item_ids: [...this.chips.querySelectorAll("[data-item-id]")].map((chip) => Number(chip.dataset.itemId)),
      prices,
    };
    return this.schedule
      ? { method: "PATCH", path: `/menu/schedules/${this.schedule.id}`, body }
      : { method: "POST", path: "/menu/schedules", body };
  }

  async remove() {
    const name = this.ctx.name(this.schedule.names);
    if (!window.confirm(fill(this.strings.delete_schedule, { name }))) return;
    try {
      await api("DELETE", `/menu/schedules/${this.schedule.id}`, {});
      this.dialog.close();
      this.ctx.onDeleted();
    } catch (error) {
      this.refuse(error.message || this.strings.failed, error.field);
    }
  }
}

/** The "Schedules" tab: its list, kept current by ``load()``. */
export class ScheduleList {
  constructor(table, dialog, context) {
    this.body = table.querySelector("tbody");
    this.ctx = context;
    this.items = new Map();
    this.editor = new ScheduleEditor(dialog, context);
  }

  openNew() {
    this.editor.open(null, this.items);
  }

  async load() {
    const { schedules, items } = await get("/menu/schedules");
    this.items = new Map(items.map((item) => [item.id, item]));
    const { strings, name } = this.ctx;
    this.body.replaceChildren(...(schedules.length ? schedules.map((schedule) => {
      const state = schedule.active ? "schedule-on" : "schedule-off";
      const overnight = schedule.ends < schedule.starts ? ` (${strings.past_midnight})` : "";
      const limits = schedule.item_ids.length + schedule.category_ids.length;
      return h("tr", { dataset: { scheduleId: schedule.id }, class: schedule.active ? "" : "is-retired" },
        h("th", { scope: "row" }, h("span", { class: "office-strong" }, name(schedule.names)),
          h("span", { class: "office-sub" }, [limits ? fill(strings.limits_n, { count: limits }) : null,
            schedule.prices.length ? fill(strings.prices_n, { count: schedule.prices.length }) : null]
            .filter(Boolean).join(" · "))),
        h("td", { class: "schedule-when" }, h("span", { class: "office-strong" }, daysText(schedule.days, strings)),
          h("span", { class: "office-sub" }, `${schedule.starts}–${schedule.ends}${overnight}`)),
        h("td", {}, h("span", { class: "office-pill", dataset: { state } },
          schedule.active ? strings.schedule_on : strings.schedule_off)),
        h("td", { class: "office-actions" },
          h("button", { type: "button", class: "button button-secondary", dataset: { editSchedule: schedule.id },
                        onclick: () => this.editor.open(schedule, this.items) }, strings.edit)));
    }) : [h("tr", {}, h("td", { class: "office-empty" }, strings.no_schedules))]));
  }
}
