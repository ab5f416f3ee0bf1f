// The menu's editors: one dialog each for an item, a category and a choice group. A form
// sends only what the API takes; a refusal names its field, which is marked in the form.
import { api, ApiError } from "../api.js";
import { h } from "../dom.js";
import { formatAmount, parseMoney } from "../money.js";
import { fill } from "../session.js";
import { PictureRefusal, pictureFrom } from "./pictures.js";

const LANGUAGES = ["ro", "en"];

/** A dialog with a form: open(values) fills it, the submit sends it, a refusal marks it. */
export class Editor {
  constructor(dialog, { strings, onSaved }) {
    this.dialog = dialog;
    this.form = dialog.querySelector("form");
    this.strings = strings;
    this.onSaved = onSaved;
    this.error = dialog.querySelector("[data-form-error]");
    dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
  }

  field(name) {
    return this.form.elements.namedItem(name);
  }

  clearErrors() {
    this.error.hidden = true;
    this.form.querySelectorAll("[data-invalid]").forEach((el) => el.removeAttribute("data-invalid"));
  }

  /** Mark the field the server (or the form) named, and say why. */
  refuse(message, field) {
    this.error.textContent = message;
    this.error.hidden = false;
    const name = (field || "").replace(/\.\d+(\..*)?$/, "");
    const target = this.form.querySelector(`[data-field="${name}"]`)
      || this.field(field)?.closest(".office-field") || this.field(name)?.closest(".office-field");
    if (target) {
      target.setAttribute("data-invalid", "");
      (target.querySelector("input, select, textarea") || target).focus?.();
    }
  }

  setNames(prefix, names = {}) {
    for (const lang of LANGUAGES) this.field(`${prefix}.${lang}`).value = names[lang] || "";
  }

  names(prefix) {
    const names = {};
    for (const lang of LANGUAGES) {
      const value = this.field(`${prefix}.${lang}`).value.trim();
      if (value) names[lang] = value;
    }
    return names;
  }

  fillChecks(container, name, options, checked) {
    container.replaceChildren(...options.map(({ value, label }) => h("label", { class: "office-check" },
      h("input", { type: "checkbox", name, value, checked: checked.includes(value) }), h("span", {}, label))));
  }

  checked(name) {
    return [...this.form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
  }

  fillSelect(name, options, value) {
    const select = this.field(name);
    select.replaceChildren(...options.map(([key, label]) => h("option", { value: key ?? "" }, label)));
    select.value = value ?? "";
  }

  show(title) {
    this.clearErrors();
    this.dialog.querySelector("[data-title]").textContent = title;
    this.dialog.showModal();
  }

  async save() {
    this.clearErrors();
    let request;
    try {
      request = this.request();
    } catch (refusal) {
      this.refuse(refusal.message, refusal.field);
      return;
    }
    const button = this.dialog.querySelector("[data-save]");
    button.disabled = true;
    try {
      let saved = await api(request.method, request.path, request.body);
      if (this.afterSave) saved = await this.afterSave(saved);
      this.dialog.close();
      this.onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError) this.refuse(error.message, error.field);
      else this.refuse(this.strings.failed);
    } finally {
      button.disabled = false;
    }
  }
}

export class FormRefusal extends Error {
  constructor(message, field) {
    super(message);
    this.field = field;
  }
}

function whole(text) {
  return /^\s*\d{1,9}\s*$/.test(text) ? Number(text) : text.trim() === "" ? null : Number.NaN;
}

export class ItemEditor extends Editor {
  constructor(dialog, context) {
    super(dialog, context);
    this.ctx = context;
    this.preview = dialog.querySelector("[data-image-preview]");
    this.imageFile = dialog.querySelector("[data-image-file]");
    this.imageFile.addEventListener("change", () => this.choosePicture());
    dialog.querySelector("[data-image-remove]").addEventListener("click", () => {
      this.image = null;
      this.showPicture(null);
    });
  }

  /** The photo as it will be: shown in the dialog, sent (PUT …/image) once the item is saved. */
  showPicture(url) {
    this.preview.hidden = !url;
    if (url) this.preview.src = url;
    else this.preview.removeAttribute("src");
    this.dialog.querySelector("[data-image-none]").hidden = Boolean(url);
    this.dialog.querySelector("[data-image-remove]").hidden = !url;
  }

  async choosePicture() {
    const [file] = this.imageFile.files;
    this.imageFile.value = "";
    if (!file) return;
    this.clearErrors();
    try {
      const picture = await pictureFrom(file);
      this.image = picture.data;
      this.showPicture(picture.preview);
    } catch (error) {
      const reason = error instanceof PictureRefusal && error.reason === "size" ? "image_too_big" : "image_not_read";
      this.refuse(this.strings[reason], "image");
    }
  }

  /** The item is saved: now its photo, if it changed (a refusal keeps the dialog open). */
  async afterSave(saved) {
    this.item = saved; // saving again changes this item, never adds a second
    if (this.image === undefined) return saved;
    try {
      const answer = await api("PUT", `/menu/items/${saved.id}/image`, { data: this.image });
      this.image = undefined;
      return answer;
    } catch (error) {
      if (error instanceof ApiError) throw new ApiError(error.status, { ...error.error, field: "image" });
      throw error;
    }
  }

  open(item = null) {
    const { setup, name, money } = this.ctx;
    this.item = item;
    const category = setup.categories.find((c) => c.id === (item?.category_id ?? this.ctx.categoryId()))
      || setup.categories[0];
    this.field("number").value = item ? String(item.number) : "";
    this.field("price").value = item ? formatAmount(item.price, money.exponent, this.ctx.language) : "";
    this.setNames("names", item?.names);
    this.setNames("descriptions", item?.descriptions);
    this.fillSelect("category_id", setup.categories.map((c) => [c.id, name(c.names)]), category?.id);
    const inherited = fill(this.strings.of_category, { name: "" }).replace(/\s*\(\)\s*$/, "");
    this.fillSelect("tax_rate_id", [[null, inherited], ...setup.tax_rates.map((r) => [r.id, r.name])],
      item?.tax_rate_id);
    this.fillSelect("course_id", [[null, inherited], ...setup.courses.map((c) => [c.id, name(c.names)])],
      item?.course_id);
    this.field("active").checked = item ? item.active : true;
    this.image = undefined; // unchanged
    this.showPicture(item?.image_url || null);
    this.fillChecks(this.dialog.querySelector("[data-stations]"), "stations",
      setup.stations.map((s) => ({ value: s.code, label: name(s.names) })), item?.stations || []);
    this.fillChecks(this.dialog.querySelector("[data-item-groups]"), "modifier_group_ids",
      setup.modifier_groups.map((g) => ({ value: String(g.id), label: `${name(g.names)} (${groupRule(g, this.strings)})` })),
      (item?.modifier_group_ids || []).map(String));
    this.fillChecks(this.dialog.querySelector("[data-allergens]"), "allergens",
      setup.allergens.map((code) => ({ value: code, label: this.strings.allergens[`allergen_${code}`] || code })),
      item?.allergens || []);
    this.show(item ? fill(this.strings.edit_item, { number: item.number }) : this.strings.new_item);
    this.field(item ? "price" : "number").focus();
  }

  request() {
    const number = whole(this.field("number").value);
    if (!Number.isInteger(number)) throw new FormRefusal(this.strings.failed, "number");
    const price = parseMoney(this.field("price").value, this.ctx.money.exponent);
    if (price === null) throw new FormRefusal(this.strings.bad_price, "price");
    const optional = (name) => (this.field(name).value ? Number(this.field(name).value) : null);
    const body = {
      number, price, names: this.names("names"), descriptions: this.names("descriptions"),
      category_id: Number(this.field("category_id").value), tax_rate_id: optional("tax_rate_id"),
      course_id: optional("course_id"), active: this.field("active").checked,
      stations: this.checked("stations"), allergens: this.checked("allergens"),
      modifier_group_ids: this.checked("modifier_group_ids").map(Number),
    };
    return this.item
      ? { method: "PATCH", path: `/menu/items/${this.item.id}`, body }
      : { method: "POST", path: "/menu/items", body };
  }
}

export class CategoryEditor extends Editor {
  constructor(dialog, context) {
    super(dialog, context);
    this.ctx = context;
  }

  open(category = null) {
    const { setup, name } = this.ctx;
    this.category = category;
    this.setNames("names", category?.names);
    this.fillSelect("tax_rate_id", setup.tax_rates.map((r) => [r.id, r.name]),
      category?.tax_rate_id ?? setup.tax_rates[0]?.id);
    this.fillSelect("default_course_id", [[null, this.strings.none],
      ...setup.courses.map((c) => [c.id, name(c.names)])], category?.default_course_id);
    this.field("color").value = category?.color || "#6b7280";
    this.field("active").checked = category ? category.active : true;
    this.fillChecks(this.dialog.querySelector("[data-stations]"), "stations",
      setup.stations.map((s) => ({ value: s.code, label: name(s.names) })), category?.stations || []);
    this.show(category ? this.strings.edit_category : this.strings.new_category);
    this.field("names.ro").focus();
  }

  request() {
    const course = this.field("default_course_id").value;
    const body = {
      names: this.names("names"), tax_rate_id: Number(this.field("tax_rate_id").value),
      default_course_id: course ? Number(course) : null, color: this.field("color").value,
      stations: this.checked("stations"),
    };
    if (this.category) body.active = this.field("active").checked;
    return this.category
      ? { method: "PATCH", path: `/menu/categories/${this.category.id}`, body }
      : { method: "POST", path: "/menu/categories", body };
  }
}

export class GroupEditor extends Editor {
  constructor(dialog, context) {
    super(dialog, context);
    this.ctx = context;
    this.choices = dialog.querySelector("[data-choices]");
    this.template = dialog.querySelector("[data-choice-template]");
    dialog.querySelector("[data-add-choice]").addEventListener("click", () => {
      this.addChoice().querySelector("input").focus();
    });
  }

  addChoice(choice = null) {
    const row = this.template.content.firstElementChild.cloneNode(true);
    row.dataset.id = choice?.id ?? "";
    row.querySelector('[name="ro"]').value = choice?.names.ro || "";
    row.querySelector('[name="en"]').value = choice?.names.en || "";
    row.querySelector('[name="price_delta"]').value = choice?.price_delta
      ? formatAmount(choice.price_delta, this.ctx.money.exponent, this.ctx.language) : "";
    row.querySelector("[data-remove-choice]").addEventListener("click", () => row.remove());
    this.choices.append(row);
    return row;
  }

  open(group = null) {
    this.group = group;
    this.setNames("names", group?.names);
    this.field("min_choices").value = String(group?.min_choices ?? 0);
    this.field("max_choices").value = String(group?.max_choices ?? 1);
    this.choices.replaceChildren();
    for (const choice of (group?.modifiers || []).filter((m) => m.active)) this.addChoice(choice);
    if (!group) this.addChoice();
    this.show(group ? this.strings.edit_group : this.strings.new_group);
    this.field("names.ro").focus();
  }

  request() {
    const modifiers = [];
    for (const row of this.choices.querySelectorAll("[data-choice]")) {
      const names = {};
      for (const lang of LANGUAGES) {
        const value = row.querySelector(`[name="${lang}"]`).value.trim();
        if (value) names[lang] = value;
      }
      const deltaText = row.querySelector('[name="price_delta"]').value.trim().replace(/^\+/, "");
      if (!Object.keys(names).length && !deltaText) continue; // an empty row is no choice
      const negative = deltaText.startsWith("-");
      const delta = deltaText ? parseMoney(deltaText.replace(/^-/, ""), this.ctx.money.exponent) : 0;
      if (delta === null) throw new FormRefusal(this.strings.bad_price, "modifiers");
      modifiers.push({ ...(row.dataset.id ? { id: Number(row.dataset.id) } : {}), names,
                       price_delta: negative ? -delta : delta });
    }
    const min = whole(this.field("min_choices").value) ?? 0;
    const max = whole(this.field("max_choices").value) ?? 1;
    const body = { names: this.names("names"), min_choices: min, max_choices: max, modifiers };
    return this.group
      ? { method: "PATCH", path: `/menu/modifier-groups/${this.group.id}`, body }
      : { method: "POST", path: "/menu/modifier-groups", body };
  }
}

/** "required, pick 1–1" or "optional, pick 0–3". */
export function groupRule(group, strings) {
  return `${group.min_choices > 0 ? strings.required : strings.optional}, ${fill(strings.pick,
    { min: group.min_choices, max: group.max_choices })}`;
}
