// The venue's settings: each form sends only what changed in it (PATCH /venue), tax rates
// and a station's ticket colours row by row. A refusal names its field: that field turns
// red with the server's reason, and nothing was saved.
import { ApiError, api, get, post } from "../api.js";
import { h } from "../dom.js";
import { readStrings } from "../session.js";
import { PictureRefusal, pictureFrom } from "./pictures.js";

const strings = readStrings();
const message = document.querySelector("[data-message]");
let venue = null;

function say(text, kind = "info") {
  message.hidden = !text;
  message.textContent = text || "";
  message.dataset.kind = kind;
}

/** The server's reason without the field's name in front (the label says it already). */
function reason(error) {
  return error.message.replace(/^'[^']*': /, "").replace(/^Value error, /, "");
}

class FieldError extends Error {
  constructor(field, text) {
    super(text);
    this.field = field;
  }
}

// --- how a field's text becomes a value, and back --------------------------------------------

function numbers(text, field) {
  const parts = text.split(/[,;\s]+/).map((part) => part.trim()).filter(Boolean);
  const values = parts.map((part) => Number(part.replace(",", ".")));
  if (values.some((value) => !Number.isFinite(value))) throw new FieldError(field, strings.not_a_list);
  return values;
}

const scale = () => 10 ** (venue?.currency_exponent ?? 2);

const READ = {
  text: (input) => input.value.trim(),
  upper: (input) => input.value.trim().toUpperCase(),
  int: (input) => {
    const value = Number(input.value);
    if (input.value.trim() === "" || !Number.isInteger(value)) throw new FieldError(input.name, strings.not_a_number);
    return value;
  },
  bool: (input) => input.checked,
  "percent-list": (input) => numbers(input.value, input.name).map((value) => Math.round(value * 100)),
  "money-list": (input) => numbers(input.value, input.name).map((value) => Math.round(value * scale())),
};

const SHOW = {
  bool: (input, value) => { input.checked = Boolean(value); },
  "percent-list": (input, value) => { input.value = (value || []).map((bp) => bp / 100).join(", "); },
  "money-list": (input, value) => { input.value = (value || []).map((minor) => minor / scale()).join(", "); },
};

const kindOf = (input) => input.dataset.as || "text";
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function fill(form) {
  for (const input of form.querySelectorAll("[name]")) {
    (SHOW[kindOf(input)] || ((el, value) => { el.value = value ?? ""; }))(input, venue[input.name]);
  }
}

function clearErrors(scope) {
  for (const element of scope.querySelectorAll("[data-invalid]")) element.removeAttribute("data-invalid");
  for (const element of scope.querySelectorAll('[aria-invalid="true"]')) element.removeAttribute("aria-invalid");
  const box = scope.querySelector("[data-form-error]");
  if (box) box.hidden = true;
}

/** The refusal shown at its field (the server names it; "tip_suggestions_bp.0" is that list). */
function showError(scope, error) {
  clearErrors(scope);
  const name = error instanceof ApiError || error instanceof FieldError
    ? String(error.field || "").split(".")[0] : "";
  const field = name ? scope.querySelector(`[data-field="${name}"]`) : null;
  const input = name ? scope.querySelector(`[name="${name}"]`) : null;
  field?.setAttribute("data-invalid", "");
  input?.setAttribute("aria-invalid", "true");
  const label = strings.fields[name];
  const text = error instanceof ApiError || error instanceof FieldError ? reason(error) : strings.failed;
  const box = scope.querySelector("[data-form-error]");
  if (box) {
    box.textContent = label ? `${label}: ${text}` : text;
    box.hidden = false;
  } else {
    say(label ? `${label}: ${text}` : text, "error");
  }
  input?.focus();
}

async function saveVenue(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  say("");
  try {
    const changes = {};
    for (const input of form.querySelectorAll("[name]")) {
      const value = READ[kindOf(input)](input);
      if (!same(value, venue[input.name])) changes[input.name] = value;
    }
    if (!Object.keys(changes).length) return say(strings.nothing);
    venue = await api("PATCH", "/venue", changes);
    for (const each of document.querySelectorAll("[data-settings-form]")) fill(each);
    say(strings.saved, "success");
  } catch (error) {
    showError(form, error);
  }
}

// --- tax rates --------------------------------------------------------------------------------

function rateRow(rate) {
  const name = h("input", { class: "office-input", name: "name", value: rate?.name ?? "", maxlength: 60,
                            "aria-label": strings.rate_name });
  const percent = h("input", { class: "office-input", name: "rate_bp", inputmode: "decimal",
                               value: rate ? rate.rate_bp / 100 : "", "aria-label": strings.rate_percent });
  const code = h("input", { class: "office-input", name: "code", value: rate?.code ?? "", maxlength: 8,
                            "aria-label": strings.rate_code });
  const row = h("tr", { dataset: { rate: rate?.id ?? "new" }, class: rate && !rate.active ? "is-retired" : "" });
  const body = () => ({ name: name.value.trim(), code: code.value.trim(),
                        rate_bp: Math.round(Number(percent.value.replace(",", ".")) * 100) });
  const save = async (extra = {}) => {
    clearErrors(row);
    try {
      if (rate) await api("PATCH", `/tax-rates/${rate.id}`, { ...body(), ...extra });
      else await post("/tax-rates", body());
      say(strings.saved, "success");
      await loadRates();
    } catch (error) {
      showError(row, error);
    }
  };
  row.append(h("td", {}, name), h("td", { class: "settings-narrow" }, percent),
    h("td", { class: "settings-narrow" }, code),
    h("td", { class: "office-actions" }, h("div", { class: "office-buttons" },
      h("button", { type: "button", class: "button button-primary", dataset: { saveRate: "" },
                    onclick: () => save() }, rate ? strings.save : strings.add_rate),
      rate ? h("button", { type: "button", class: "button button-secondary",
                           onclick: () => save({ active: !rate.active }) },
        rate.active ? strings.retire : strings.bring_back) : null)));
  return row;
}

async function loadRates() {
  const rates = await get("/tax-rates");
  document.querySelector("[data-tax-rates] tbody").replaceChildren(...rates.map(rateRow), rateRow(null));
}

// --- a station's ticket colours --------------------------------------------------------------

function stationRow(station) {
  const minutes = (seconds, label, name) => h("input", {
    class: "office-input", type: "number", min: 1, max: 240, name, value: seconds / 60, "aria-label": label });
  const warn = minutes(station.warn_after_seconds, strings.warn_minutes, "warn_after_seconds");
  const late = minutes(station.late_after_seconds, strings.late_minutes, "late_after_seconds");
  const row = h("tr", { dataset: { station: station.code } });
  const save = async () => {
    clearErrors(row);
    try {
      await api("PATCH", `/stations/${station.id}`, {
        warn_after_seconds: Math.round(Number(warn.value) * 60),
        late_after_seconds: Math.round(Number(late.value) * 60) });
      say(strings.saved, "success");
    } catch (error) {
      showError(row, error);
    }
  };
  row.append(h("th", { scope: "row" }, station.names[document.documentElement.lang] || station.code),
    h("td", { class: "settings-narrow" }, warn), h("td", { class: "settings-narrow" }, late),
    h("td", { class: "office-actions" }, h("button", { type: "button", class: "button button-primary",
                                                        onclick: save }, strings.save)));
  return row;
}

async function loadStations() {
  const stations = await get("/stations");
  document.querySelector("[data-stations] tbody").replaceChildren(...stations.map(stationRow));
}

// --- courses ---------------------------------------------------------------------------------

function courseRow(course) {
  const text = (value, label, name, attrs = {}) => h("input", {
    class: "office-input", value: value ?? "", name, "aria-label": label, ...attrs });
  const ro = text(course.names.ro, strings.name_ro, "names", { maxlength: 40 });
  const en = text(course.names.en, strings.name_en, "names_en", { maxlength: 40 });
  const position = text(course.position, strings.order, "position", { type: "number", min: 0, max: 99 });
  const atOnce = h("input", { type: "checkbox", name: "fires_immediately", checked: course.fires_immediately,
                              "aria-label": strings.at_once });
  const row = h("tr", { dataset: { course: course.code } });
  const save = async () => {
    clearErrors(row);
    try {
      await api("PATCH", `/courses/${course.id}`, {
        names: { ro: ro.value.trim(), en: en.value.trim() }, position: Number(position.value),
        fires_immediately: atOnce.checked });
      say(strings.saved, "success");
    } catch (error) {
      showError(row, error);
    }
  };
  row.append(h("td", {}, ro), h("td", {}, en), h("td", { class: "settings-narrow" }, position),
    h("td", {}, h("label", { class: "office-check" }, atOnce)),
    h("td", { class: "office-actions" }, h("button", { type: "button", class: "button button-primary",
                                                        onclick: save }, strings.save)));
  return row;
}

async function loadCourses() {
  const courses = await get("/courses");
  document.querySelector("[data-courses] tbody").replaceChildren(...courses.map(courseRow));
}

// --- the logo (PUT /venue/logo: saved as soon as it is chosen) ---------------------------------

function showLogo() {
  const box = document.querySelector("[data-logo]");
  if (!box) return;
  const preview = box.querySelector("[data-logo-preview]");
  preview.hidden = !venue.logo_url;
  if (venue.logo_url) preview.src = venue.logo_url;
  box.querySelector("[data-logo-none]").hidden = Boolean(venue.logo_url);
  box.querySelector("[data-logo-remove]").hidden = !venue.logo_url;
}

async function saveLogo(data) {
  const box = document.querySelector("[data-logo]");
  const error = box.querySelector("[data-logo-error]");
  error.hidden = true;
  box.removeAttribute("data-invalid");
  try {
    venue = await api("PUT", "/venue/logo", { data });
    showLogo();
    say(data ? strings.logo_saved : strings.logo_removed, "success");
  } catch (failure) {
    error.textContent = failure instanceof ApiError ? failure.message : strings.failed;
    error.hidden = false;
    box.setAttribute("data-invalid", "");
  }
}

function watchLogo() {
  const box = document.querySelector("[data-logo]");
  if (!box) return;
  showLogo();
  const input = box.querySelector("[data-logo-file]");
  input.addEventListener("change", async () => {
    const [file] = input.files;
    input.value = "";
    if (!file) return;
    try {
      await saveLogo((await pictureFrom(file)).data);
    } catch (refusal) {
      const reason = refusal instanceof PictureRefusal && refusal.reason === "size" ? "image_too_big" : "image_not_read";
      const error = box.querySelector("[data-logo-error]");
      error.textContent = strings[reason];
      error.hidden = false;
    }
  });
  box.querySelector("[data-logo-remove]").addEventListener("click", () => saveLogo(null));
}

async function start() {
  venue = await get("/venue");
  watchLogo();
  for (const form of document.querySelectorAll("[data-settings-form]")) {
    fill(form);
    form.addEventListener("submit", saveVenue);
  }
  // A manager's page has no tax rates or courses (an admin's to change).
  const shown = (selector, load) => (document.querySelector(selector) ? load() : null);
  await Promise.all([shown("[data-tax-rates]", loadRates), shown("[data-courses]", loadCourses),
                     loadStations()]);
}

start().catch((error) => say(error.message || strings.failed, "error"));
