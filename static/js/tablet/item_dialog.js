// One item as it goes on the check: its questions (a forced group must be answered before
// Add is possible; min and max are kept), how many, for which seat, which course, a note.
import { MAX_QUANTITY, askQuantity, button, confirmLargeLine, offerWhatIsLeft, openDialog } from "./dialogs.js";
import * as drafts from "./drafts.js";
import { delta, h, icon, money, nameOf, t, venue } from "./util.js";

export const NOTE_MAX = 200; // the server's limit (pos/ordering/schemas.py, Note)
const NOTE_NEAR = 20; // characters left when the counter starts to warn

export function allergenText(codes) {
  return (codes || []).map((code) => t(`allergen_${code}`)).join(" · ");
}

export function groupRule(group) {
  if (group.min_choices > 0) {
    if (group.min_choices === group.max_choices) {
      return t("rule_required", { count: group.min_choices });
    }
    return t("rule_required_range", { min: group.min_choices, max: group.max_choices });
  }
  return t("rule_optional", { count: group.max_choices });
}

export function availabilityOf(thing) {
  if (!thing.available || thing.count_left === 0) return "out";
  if (thing.count_left !== null && thing.count_left !== undefined) return "counted";
  return "in";
}

/**
 * menu: the tablet's menu index; item: the menu item; line: an existing draft line (edit)
 * or null; seats: guest count; seat: the seat chosen on the check.
 * Resolves with the line's fields, {remove: true}, or null.
 */
export function itemDialog({ menu, item, line = null, seats, seat }) {
  const groups = item.modifier_group_ids.map((id) => menu.groups.get(id)).filter(Boolean);
  const chosen = new Map(groups.map((g) => [g.id, new Set()]));
  for (const id of line?.modifier_ids || []) {
    const modifier = menu.modifiers.get(id);
    if (modifier) chosen.get(modifier.group_id)?.add(id);
  }
  const defaultCourse = menu.defaultCourse(item);
  let quantity = line?.quantity || 1;
  let lineSeat = line ? line.seat ?? 0 : seat;
  let course = line?.course_id ?? defaultCourse;
  const note = h("textarea", { class: "text-input note-input", rows: 2, maxlength: NOTE_MAX,
                               placeholder: t("note_placeholder"), "aria-label": t("note"),
                               autocomplete: "off", enterkeyhint: "done", dataset: { note: "" } });
  note.value = line?.note || "";
  const noteCounter = h("span", { class: "note-counter", "aria-live": "polite", dataset: { noteCounter: "" } });
  note.addEventListener("input", () => showNoteCount());
  note.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); }); // one line for the kitchen

  const groupSections = groups.map((group) => {
    const status = h("span", { class: "group-status" });
    const choices = group.modifiers.map((modifier) => {
      const state = availabilityOf(modifier);
      return h("button", {
        type: "button", class: `choice-chip${state === "out" ? " is-out" : ""}`,
        "aria-pressed": "false", disabled: state === "out",
        dataset: { modifierId: modifier.id },
        onclick: () => toggle(group, modifier.id),
      },
      h("span", { class: "choice-chip-name" }, nameOf(modifier.names)),
      modifier.price_delta ? h("span", { class: "choice-chip-price" }, delta(modifier.price_delta)) : null,
      state === "out" ? h("span", { class: "badge badge-out" }, t("out")) : null,
      state === "counted" ? h("span", { class: "badge badge-left" }, t("left", { count: modifier.count_left })) : null);
    });
    return {
      group, status, choices,
      element: h("section", { class: `mod-group${group.min_choices ? " is-required" : ""}`,
                              dataset: { groupId: group.id } },
        h("header", { class: "mod-group-head" },
          h("h3", { class: "mod-group-name" }, nameOf(group.names)),
          h("span", { class: "mod-group-rule" }, groupRule(group)),
          status),
        h("div", { class: "choice-grid" }, choices)),
    };
  });

  function toggle(group, modifierId) {
    const set = chosen.get(group.id);
    if (set.has(modifierId)) set.delete(modifierId);
    else if (group.max_choices === 1) { set.clear(); set.add(modifierId); }
    else if (set.size < group.max_choices) set.add(modifierId);
    refresh();
  }

  // − and + for one more or less; the number itself opens a number pad (25 is two taps).
  const quantityValue = h("button", { type: "button", class: "stepper-value qty-value", dataset: { quantity: "" },
                                      onclick: () => typeQuantity() }, String(quantity));
  const fewer = h("button", { type: "button", class: "stepper-button", "aria-label": t("fewer"), dataset: { step: "-1" },
                              onclick: () => { quantity = Math.max(1, quantity - 1); refresh(); } }, icon("minus", 22));
  const more = h("button", { type: "button", class: "stepper-button", "aria-label": t("more"), dataset: { step: "1" },
                             onclick: () => { quantity = Math.min(MAX_QUANTITY, quantity + 1); refresh(); } }, icon("plus", 22));
  const stepper = h("div", { class: "stepper" }, fewer, quantityValue, more);
  const quantityLimit = h("span", { class: "qty-limit-note", dataset: { quantityLimit: "" } });

  async function typeQuantity() {
    const typed = await askQuantity({ title: t("how_many"), subtitle: nameOf(item.names), current: quantity });
    if (typed) {
      quantity = typed;
      refresh();
    }
  }

  const seatOptions = [0, ...Array.from({ length: Math.max(0, seats) }, (_, i) => i + 1)];
  const seatButtons = seatOptions.map((n) => h("button", {
    type: "button", class: "chip", "aria-pressed": "false", dataset: { seat: n },
    onclick: () => { lineSeat = n; refresh(); },
  }, n === 0 ? t("seat_table") : t("seat_n", { n })));

  const courseButtons = menu.courses.map((c) => h("button", {
    type: "button", class: "chip", "aria-pressed": "false", dataset: { course: c.id },
    onclick: () => { course = c.id; refresh(); },
  }, nameOf(c.names)));

  const hint = h("p", { class: "dlg-hint", "aria-live": "polite" });
  const addLabel = h("span", {});
  const add = h("button", { type: "button", class: "button button-primary button-lg add-button",
                            dataset: { add: "" } }, icon(line ? "check" : "plus", 22), addLabel);
  const actions = [];
  if (line) {
    actions.push(h("button", { type: "button", class: "button button-danger-quiet button-lg",
                               dataset: { remove: "" }, onclick: () => dialog.close({ remove: true }) },
                   icon("trash", 22), h("span", {}, t("remove"))));
  }
  actions.push(h("span", { class: "dlg-foot-spacer" }), button(t("cancel"), { onclick: () => dialog.close(null) }), add);

  const description = nameOf(item.descriptions);
  const allergens = allergenText(collectAllergens());
  const dialog = openDialog({
    title: nameOf(item.names),
    subtitle: `${item.number} · ${money(item.price)}`,
    className: "dlg-item",
    body: h("div", { class: "item-layout" },
      h("div", { class: "item-questions" },
        description ? h("p", { class: "item-description" }, description) : null,
        h("p", { class: `allergen-line${allergens ? "" : " is-none"}`, dataset: { allergens: "" } },
          icon("alert", 18), h("span", {}, allergens || t("no_allergens"))),
        groupSections.map((s) => s.element)),
      h("section", { class: "line-options" },
        h("div", { class: "line-option" }, h("span", { class: "field-label" }, t("quantity")), stepper, quantityLimit),
        h("div", { class: "line-option" }, h("span", { class: "field-label" }, t("seat")),
          h("div", { class: "chip-row", role: "group", "aria-label": t("seat") }, seatButtons)),
        h("div", { class: "line-option line-option-wide" }, h("span", { class: "field-label" }, t("course")),
          h("div", { class: "chip-row", role: "group", "aria-label": t("course") }, courseButtons)),
        h("label", { class: "line-option line-option-wide" },
          h("span", { class: "note-label-row" }, h("span", { class: "field-label" }, t("note")), noteCounter), note))),
    actions: [h("div", { class: "dlg-foot-row" }, hint, h("div", { class: "dlg-foot-buttons" }, actions))],
  });

  function collectAllergens() {
    const codes = new Set(item.allergens);
    for (const set of chosen.values()) {
      for (const id of set) (menu.modifiers.get(id)?.allergens || []).forEach((a) => codes.add(a));
    }
    return [...codes].sort();
  }

  function missing() {
    return groupSections.filter((s) => chosen.get(s.group.id).size < s.group.min_choices);
  }

  function unitPrice() {
    let price = item.price;
    for (const set of chosen.values()) for (const id of set) price += menu.modifiers.get(id)?.price_delta || 0;
    return price;
  }

  function refresh() {
    for (const section of groupSections) {
      const set = chosen.get(section.group.id);
      const full = set.size >= section.group.max_choices;
      section.choices.forEach((choice) => {
        const id = Number(choice.dataset.modifierId);
        const on = set.has(id);
        choice.setAttribute("aria-pressed", String(on));
        const out = choice.classList.contains("is-out");
        choice.disabled = out || (!on && full && section.group.max_choices > 1);
      });
      const ok = set.size >= section.group.min_choices;
      section.element.classList.toggle("is-missing", !ok);
      section.status.replaceChildren(section.group.min_choices
        ? (ok ? icon("check", 18) : h("span", {}, t("required"))) : "");
      section.status.className = `group-status${section.group.min_choices ? (ok ? " is-ok" : " is-todo") : ""}`;
    }
    seatButtons.forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.seat) === lineSeat)));
    courseButtons.forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.course) === course)));
    quantityValue.textContent = quantity;
    quantityValue.setAttribute("aria-label", t("quantity_type", { count: quantity }));
    fewer.disabled = quantity <= 1;
    more.disabled = quantity >= MAX_QUANTITY; // a line holds at most 99: + says so by stopping
    quantityLimit.textContent = quantity >= MAX_QUANTITY ? t("quantity_at_most", { max: MAX_QUANTITY }) : "";
    quantityLimit.hidden = quantity < MAX_QUANTITY;
    const todo = missing();
    add.disabled = todo.length > 0;
    hint.textContent = todo.length
      ? t("choose_first", { groups: todo.map((s) => nameOf(s.group.names)).join(", ") }) : "";
    addLabel.textContent = `${line ? t("save") : t("add")} · ${money(unitPrice() * quantity)}`;
    const codes = allergenText(collectAllergens());
    const allergenLine = dialog.element.querySelector("[data-allergens]");
    allergenLine.querySelector("span").textContent = codes || t("no_allergens");
    allergenLine.classList.toggle("is-none", !codes);
  }

  function showNoteCount() {
    const used = note.value.length;
    noteCounter.textContent = t("note_count", { count: used, max: NOTE_MAX });
    noteCounter.dataset.state = used >= NOTE_MAX ? "full" : used >= NOTE_MAX - NOTE_NEAR ? "near" : "";
    note.classList.toggle("is-full", used >= NOTE_MAX);
  }

  add.addEventListener("click", async () => {
    if (missing().length) return;
    const amount = unitPrice() * quantity;
    const grew = !line || quantity > line.quantity || amount > drafts.lineTotal(line);
    if (grew && !(await confirmLine({ name: nameOf(item.names), quantity, amount }))) return;
    const ids = [];
    for (const section of groupSections) {
      // In the menu's order, so the kitchen reads them as the menu asks them.
      for (const m of section.group.modifiers) if (chosen.get(section.group.id).has(m.id)) ids.push(m.id);
    }
    dialog.close({
      quantity,
      modifier_ids: ids,
      modifiers: ids.map((id) => {
        const m = menu.modifiers.get(id);
        return { id, names: m.names, price_delta: m.price_delta };
      }),
      seat: lineSeat,
      course_id: course === defaultCourse ? null : course,
      note: note.value.trim() || null,
    });
  });
  refresh();
  showNoteCount();
  return dialog.result;
}

/** Why a line of `quantity` worth `amount` (minor units) is worth a second look: above the
 * venue's limits (GET /venue: confirm_quantity_above, confirm_line_amount_above_minor). */
export function reasonsToConfirm(quantity, amount) {
  const reasons = [];
  if (quantity > venue.confirm_quantity_above) {
    reasons.push(t("over_quantity", { count: venue.confirm_quantity_above }));
  }
  if (amount > venue.confirm_line_amount_above_minor) {
    reasons.push(t("over_amount", { amount: money(venue.confirm_line_amount_above_minor) }));
  }
  return reasons;
}

/** True when the line may go on the check: within the limits, or the waiter said yes. */
export async function confirmLine({ name, quantity, amount }) {
  const reasons = reasonsToConfirm(quantity, amount);
  return !reasons.length || confirmLargeLine({ name, quantity, amount, reasons });
}

/** A mark on a menu tile: the item asks for choices when tapped (required), or has choices
 * a long press away (optional); null for neither. */
export function choicesMark(menu, item) {
  const kind = menu.choicesOf(item);
  if (!kind) return null;
  const label = choicesLabel(menu, item);
  return h("span", { class: `item-asks${kind === "optional" ? " is-optional" : ""}`, role: "img",
                     title: label, "aria-label": label, dataset: { asks: kind } },
           icon(kind === "required" ? "list" : "more", kind === "required" ? 16 : 14));
}

export function choicesLabel(menu, item) {
  const kind = menu.choicesOf(item);
  return kind === "required" ? t("has_choices") : kind === "optional" ? t("optional_choices") : "";
}

/**
 * Lines asking for more portions than are left: offer, one line at a time, to take what is
 * left (one tap changes the line). shortages: [{line, left}] (Menu.shortages). Resolves
 * true when every line was changed and the order can go.
 */
export async function takeWhatIsLeft(checkId, shortages) {
  if (!shortages?.length) return false;
  for (const { line, left } of shortages) {
    const take = await offerWhatIsLeft({ name: nameOf(line.names), wanted: line.quantity, left });
    if (!take) return false;
    drafts.setQuantity(checkId, line.key, left);
  }
  return true;
}
