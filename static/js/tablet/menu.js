// The menu as the tablet holds it: loaded once (GET /api/v1/menu), then kept current by
// `availability` events (an item or a choice 86'd, or its portions counted down) and
// `menu` events (the back office changed items, categories or choice groups).
import { fold, nameOf, t } from "./util.js";
import { venueFormat } from "../clock.js";

// Menu schedules (breakfast, happy hour): the same rules as the server's
// (pos/menu/schedules.py), read on the venue's clock; the server prices every line anyway.
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const venueParts = venueFormat({ weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }, "en-US");
const minuteOf = (text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

/** The venue's weekday (0 Monday) and minute of the day at ``at`` (ms). */
function venueMoment(at) {
  const parts = Object.fromEntries(venueParts.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return { day: WEEKDAYS[parts.weekday] ?? 0, minute: (Number(parts.hour) % 24) * 60 + Number(parts.minute) };
}

function runsAt(schedule, { day, minute }) {
  const starts = minuteOf(schedule.starts), ends = minuteOf(schedule.ends);
  const on = (d) => schedule.days.includes(DAYS[(d + 7) % 7]);
  if (starts < ends) return on(day) && starts <= minute && minute < ends;
  return (on(day) && minute >= starts) || (on(day - 1) && minute < ends);
}

export class Menu {
  constructor(data) {
    this.load(data);
  }

  load(data) {
    this.lastEvent = data.last_event;
    this.courses = [...data.courses].sort((a, b) => a.position - b.position);
    this.courseById = new Map(this.courses.map((c) => [c.id, c]));
    this.categories = [...data.categories].sort((a, b) => a.position - b.position);
    this.categoryById = new Map(this.categories.map((c) => [c.id, c]));
    this.items = new Map(data.items.filter((i) => i.active !== false).map((i) => [i.id, { ...i, base_price: i.price }]));
    this.schedules = data.schedules || [];
    this.groups = new Map();
    this.modifiers = new Map();
    for (const group of data.modifier_groups) {
      const copy = { ...group, modifiers: group.modifiers.map((m) => ({ ...m, group_id: group.id })) };
      this.groups.set(group.id, copy);
      for (const modifier of copy.modifiers) this.modifiers.set(modifier.id, modifier);
    }
    this.applySchedules();
    this.rearmSchedules?.();
  }

  /** Prices and offers as the schedules running now make them: ``item.price`` is the price
   * in force, ``item.offered`` false while none of the item's schedules runs. Returns
   * whether anything a tile shows changed. */
  applySchedules(now = Date.now()) {
    const moment = venueMoment(now);
    const running = this.schedules.filter((s) => s.active && runsAt(s, moment));
    const limits = new Map(); // item or "c<category>" → it is limited to some schedule
    const prices = new Map();
    for (const schedule of this.schedules.filter((s) => s.active)) {
      for (const id of schedule.item_ids) limits.set(id, true);
      for (const id of schedule.category_ids) limits.set(`c${id}`, true);
    }
    for (const schedule of running) {
      for (const { item_id: id, price } of schedule.prices) prices.set(id, Math.min(price, prices.get(id) ?? price));
    }
    const offeredNow = new Set();
    for (const schedule of running) {
      for (const id of schedule.item_ids) offeredNow.add(id);
      for (const id of schedule.category_ids) offeredNow.add(`c${id}`);
    }
    let changed = false;
    for (const item of this.items.values()) {
      const limited = limits.has(item.id) || limits.has(`c${item.category_id}`);
      const offered = !limited || offeredNow.has(item.id) || offeredNow.has(`c${item.category_id}`);
      const price = prices.get(item.id) ?? item.base_price ?? item.price;
      if (item.offered !== offered || item.price !== price) changed = true;
      item.offered = offered;
      item.price = price;
    }
    return changed;
  }

  /** Call ``onChange`` whenever a schedule starts or ends (a timer to the next boundary on
   * the venue's clock, checked again at least hourly); returns a stop function. */
  watchSchedules(onChange, now = Date.now) {
    clearTimeout(this.scheduleTimer);
    const arm = () => {
      const at = now();
      const { minute } = venueMoment(at);
      const bounds = this.schedules.filter((s) => s.active).flatMap((s) => [minuteOf(s.starts), minuteOf(s.ends)]);
      const minutes = Math.min(60, ...bounds.map((b) => ((b - minute + 1440) % 1440) || 1440));
      const wait = minutes * 60000 - (at % 60000) + 50;
      this.scheduleTimer = setTimeout(() => {
        if (this.applySchedules(now())) onChange();
        arm();
      }, wait);
    };
    this.rearmSchedules = arm;
    arm();
    return () => clearTimeout(this.scheduleTimer);
  }

  itemsOf(categoryId) {
    return [...this.items.values()].filter((i) => i.category_id === categoryId && i.offered !== false);
  }

  /** Items whose name (in any language, without diacritics) or number matches. */
  search(text) {
    const query = fold(text).trim();
    if (!query) return [];
    const words = query.split(/\s+/);
    const number = /^\d+$/.test(query);
    return [...this.items.values()].filter((item) => {
      if (item.offered === false) return false;
      if (number) return String(item.number).startsWith(query);
      const haystack = fold(`${nameOf(item.names)} ${Object.values(item.names).join(" ")}`);
      return words.every((word) => haystack.includes(word));
    }).sort((a, b) => a.category_id - b.category_id || a.number - b.number);
  }

  /** The course a line goes to when the waiter picks none, as the server decides it. */
  defaultCourse(item) {
    return item.course_id ?? this.categoryById.get(item.category_id)?.default_course_id ?? null;
  }

  courseName(id) {
    const course = this.courseById.get(id);
    return course ? nameOf(course.names) : "";
  }

  coursePosition(id) {
    return this.courseById.get(id)?.position ?? 999;
  }

  /** An `availability` event; returns the thing changed (or null). */
  setAvailability({ kind, id, available, count_left: countLeft }) {
    const thing = kind === "item" ? this.items.get(id) : this.modifiers.get(id);
    if (!thing) return null;
    thing.available = available;
    thing.count_left = countLeft;
    return thing;
  }

  /** A `menu` event: the categories, choice groups and items the back office changed, as
   * the menu API shows them; an inactive one leaves the menu. */
  applyChange({ categories = [], modifier_groups: groups = [], items = [], schedules }) {
    for (const category of categories) {
      if (category.active === false) {
        this.categoryById.delete(category.id);
        for (const item of this.itemsOf(category.id)) this.items.delete(item.id);
      } else {
        this.categoryById.set(category.id, { ...category });
      }
    }
    this.categories = [...this.categoryById.values()].sort((a, b) => a.position - b.position || a.id - b.id);
    for (const group of groups) {
      for (const old of this.groups.get(group.id)?.modifiers || []) this.modifiers.delete(old.id);
      const copy = { ...group, modifiers: group.modifiers.map((m) => ({ ...m, group_id: group.id })) };
      this.groups.set(group.id, copy);
      for (const modifier of copy.modifiers) this.modifiers.set(modifier.id, modifier);
    }
    for (const item of items) {
      if (item.active === false || !this.categoryById.has(item.category_id)) this.items.delete(item.id);
      else this.items.set(item.id, { ...item, base_price: item.price });
    }
    if (schedules) this.schedules = schedules;
    this.applySchedules();
    if (schedules) this.rearmSchedules?.();
  }

  /** What a tap on the item does about choices: "required" (a forced group: the dialog
   * asks first), "optional" (choices exist, none forced: the tap adds it at once, a long
   * press asks) or null (no choices). */
  choicesOf(item) {
    const groups = item.modifier_group_ids.map((id) => this.groups.get(id)).filter(Boolean);
    if (!groups.length) return null;
    return groups.some((group) => group.min_choices > 0) ? "required" : "optional";
  }

  /** Portions of this item (with these choices) that can be had now: 0 when out, null
   * when nothing of it is counted. */
  portionsLeft(itemId, modifierIds = []) {
    let left = null;
    for (const thing of [this.items.get(itemId), ...modifierIds.map((id) => this.modifiers.get(id))]) {
      if (!thing) continue;
      if (!thing.available) return 0;
      if (thing.count_left !== null && thing.count_left !== undefined) {
        left = left === null ? thing.count_left : Math.min(left, thing.count_left);
      }
    }
    return left;
  }

  /** Why a draft line cannot go as it is: "Only 2 left of …", or "… is out (86)". */
  shortageText(line) {
    const left = this.portionsLeft(line.item_id, line.modifier_ids);
    const name = nameOf(line.names);
    return left > 0 ? t("only_left", { count: left, name }) : t("item_out", { name });
  }

  /** Lines asking for more than is left, each with what is left; null when one of them
   * cannot be had at all (nothing left to offer). */
  shortages(lines) {
    const short = lines.map((line) => ({ line, left: this.portionsLeft(line.item_id, line.modifier_ids) }));
    return short.every((s) => s.left > 0 && s.left < s.line.quantity) ? short : null;
  }

  /** Can `quantity` of this item (with these choices) be ordered now? */
  outOf(itemId, modifierIds = [], quantity = 1) {
    const item = this.items.get(itemId);
    const things = [item, ...modifierIds.map((id) => this.modifiers.get(id))];
    return things.filter((thing) => thing && (!thing.available || (thing.count_left !== null
      && thing.count_left !== undefined && thing.count_left < quantity)));
  }
}
