// The back office's staff screen: people (add, role, PIN, deactivate), who is clocked in
// now, and the week's shifts with a manager's corrections. Every rule (rank, unique PINs,
// times that make a shift) is the server's; this screen shows its answers.
import { ApiError, api, get, patch, post } from "../api.js";
import { venueFormat, venueTime } from "../clock.js";
import { h, uuid } from "../dom.js";
import { connectLive } from "../live.js";
import { fill, readStrings, startIdleSignout } from "../session.js";
import {
  addDays, fromVenueLocal, hoursAndMinutes, mondayOf, toVenueLocal, venueDay,
} from "./staff_time.js";

const strings = readStrings();
const root = document.querySelector("[data-staff-office]");
const me = Number(root.dataset.me) || null;
const grantable = JSON.parse(root.dataset.grantable || "[]");
const message = document.querySelector("[data-message]");
const staffBody = document.querySelector("[data-staff] tbody");
const clockedIn = document.querySelector("[data-clocked-in]");
const weekPeople = document.querySelector("[data-week-people]");
const weekLabel = document.querySelector("[data-week-label]");
const dayFormat = venueFormat({ weekday: "short", day: "numeric", month: "short" });
const longDay = venueFormat({ day: "numeric", month: "long", year: "numeric" });

let staff = [];
let week = mondayOf(venueDay());

function say(text, kind = "info") {
  message.hidden = !text;
  message.textContent = text || "";
  message.dataset.kind = kind;
}

function failure(error) {
  return error instanceof ApiError ? error.message : strings.failed;
}

const roleName = (role) => strings.roles[role] || role;
const mayChange = (person) => grantable.includes(person.role) && person.id !== me;
const duration = (total) => fill(strings.minutes, hoursAndMinutes(total));
const showDay = (day) => dayFormat.format(new Date(`${day}T12:00:00Z`));

// --- people ---------------------------------------------------------------------------------

function roleCell(person) {
  if (!mayChange(person) || !person.active) return roleName(person.role);
  const select = h("select", { class: "staff-role", "aria-label": person.name,
                               dataset: { roleOf: person.id } },
    grantable.map((role) => h("option", { value: role, selected: role === person.role },
                              roleName(role))));
  select.addEventListener("change", () => change(person, { role: select.value },
    fill(strings.role_done, { name: person.name, role: roleName(select.value) })));
  return select;
}

function staffRow(person) {
  const changeable = mayChange(person);
  return h("tr", { dataset: { staff: person.id }, class: person.active ? "" : "is-revoked" },
    h("th", { scope: "row" }, h("span", { class: "office-strong" }, person.name,
      person.id === me ? h("span", { class: "staff-you" }, ` (${strings.you})`) : null),
      h("span", { class: "office-sub" },
        strings.languages[person.language || ""] || person.language,
        person.active ? null : [" · ", h("span", { class: "staff-status" },
                                          strings.deactivated)])),
    h("td", {}, roleCell(person)),
    h("td", { class: "office-actions" }, changeable ? h("span", { class: "staff-actions" },
      person.active ? h("button", { type: "button", class: "button button-secondary",
                                    dataset: { newPin: person.id },
                                    onclick: () => askPin(person) }, strings.new_pin) : null,
      h("button", { type: "button", class: "button button-secondary",
                    dataset: { [person.active ? "deactivate" : "reactivate"]: person.id },
                    onclick: () => toggleActive(person) },
        person.active ? strings.deactivate : strings.reactivate)) : null));
}

async function loadStaff() {
  staff = await get("/staff");
  const ordered = [...staff.filter((p) => p.active), ...staff.filter((p) => !p.active)];
  staffBody.replaceChildren(...ordered.map(staffRow));
}

async function change(person, fields, done) {
  try {
    await patch(`/staff/${person.id}`, fields);
    say(done, "success");
  } catch (error) {
    say(failure(error), "error");
  }
  await loadStaff();
}

async function toggleActive(person) {
  if (person.active && !window.confirm(fill(strings.confirm_deactivate, { name: person.name }))) {
    return;
  }
  await change(person, { active: !person.active },
    fill(person.active ? strings.deactivated_done : strings.reactivated_done,
         { name: person.name }));
  await Promise.all([loadNow(), loadWeek()]);
}

// --- dialogs ---------------------------------------------------------------------------------

function formError(form, error) {
  const line = form.querySelector("[data-form-error]");
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  line.hidden = !error;
  line.textContent = error ? failure(error) : "";
  const field = error instanceof ApiError ? error.field : null;
  const input = field && (form.querySelector(`[name="${field}"]`)
    || form.querySelector(`[data-field="${field}"]`));
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}

function openDialog(dialog, onSubmit) {
  const form = dialog.querySelector("form");
  formError(form, null);
  form.onsubmit = async (event) => {
    event.preventDefault();
    const button = form.querySelector("[data-submit]");
    button.disabled = true;
    try {
      await onSubmit(form);
      dialog.close();
    } catch (error) {
      formError(form, error);
    } finally {
      button.disabled = false;
    }
  };
  form.oninput = () => formError(form, null);
  form.querySelector("[data-cancel]").onclick = () => dialog.close();
  dialog.showModal();
}

const shownPin = document.querySelector("[data-shown-pin-dialog]");

function showPinOnce(name, pin) {
  shownPin.querySelector("[data-shown-pin-text]").textContent = fill(strings.pin_shown_once,
                                                                     { name });
  shownPin.querySelector("[data-shown-pin]").textContent = pin;
  shownPin.showModal();
}

function addStaff() {
  const dialog = document.querySelector("[data-staff-dialog]");
  const form = dialog.querySelector("form");
  form.reset();
  form.querySelector("[data-role-options]").replaceChildren(
    ...grantable.map((role) => h("option", { value: role }, roleName(role))));
  form.querySelector("[data-language-options]").replaceChildren(
    ...Object.entries(strings.languages).map(([code, name]) => h("option", { value: code },
                                                                  name)));
  openDialog(dialog, async () => {
    const body = { name: form.elements.name.value.trim(), role: form.elements.role.value };
    if (form.elements.language.value) body.language = form.elements.language.value;
    if (form.elements.pin.value.trim()) body.pin = form.elements.pin.value.trim();
    const added = await api("POST", "/staff", body);
    say(fill(strings.added_done, { name: added.name }), "success");
    await loadStaff();
    if (added.pin) showPinOnce(added.name, added.pin);
  });
  form.elements.name.focus();
}

function askPin(person) {
  const dialog = document.querySelector("[data-pin-dialog]");
  const form = dialog.querySelector("form");
  form.reset();
  dialog.querySelector("[data-pin-title]").textContent = `${strings.new_pin}: ${person.name}`;
  openDialog(dialog, async () => {
    const pin = form.elements.pin.value.trim();
    const answer = await post(`/staff/${person.id}/pin`, pin ? { pin } : {});
    say(fill(strings.pin_done, { name: person.name }), "success");
    if (answer.pin) showPinOnce(person.name, answer.pin);
  });
}

// --- who is in now ----------------------------------------------------------------------------

async function loadNow() {
  const present = await get("/time-clock/now");
  clockedIn.replaceChildren(...(present.length ? present.map((p) => h("li", {
    class: `staff-now-person ${p.on_break_since ? "is-on-break" : ""}`,
    dataset: { clockedIn: p.staff_id },
  }, h("span", { class: "office-strong" }, p.name),
     h("span", { class: "office-sub" }, roleName(p.role), " · ",
       p.on_break_since ? fill(strings.on_break_since, { time: venueTime(p.on_break_since) })
                        : fill(strings.in_since, { time: venueTime(p.since) }))))
    : [h("li", { class: "staff-now-empty" }, strings.nobody_in)]));
}

// --- the week's shifts -----------------------------------------------------------------------

function breaksText(shift) {
  if (!shift.breaks.length) return strings.breaks_none;
  return shift.breaks.map((b) => fill(strings.break_item, {
    start: venueTime(b.started_at),
    end: b.ended_at ? venueTime(b.ended_at) : strings.open_break })).join(", ");
}

function noteOf(shift) {
  if (!shift.correction_reason) return null;
  const template = shift.added ? strings.added_by_manager : strings.corrected_by;
  return h("span", { class: "staff-note" }, fill(template, {
    name: shift.corrected_by || "—", reason: shift.correction_reason }));
}

function shiftRow(shift, person) {
  const day = venueDay(new Date(shift.clocked_in_at));
  return h("tr", { dataset: { shift: shift.id }, class: shift.correction_reason ? "is-corrected" : "" },
    h("th", { scope: "row" }, showDay(day)),
    h("td", { class: "staff-times-cell" }, venueTime(shift.clocked_in_at), "–",
      shift.clocked_out_at ? venueTime(shift.clocked_out_at) : strings.still_in),
    h("td", {}, breaksText(shift), noteOf(shift)),
    h("td", { class: "staff-paid", dataset: { paidMinutes: shift.paid_minutes } },
      duration(shift.paid_minutes)),
    h("td", { class: "office-actions" }, person && mayChange(person) ? h("button", {
      type: "button", class: "button button-secondary", dataset: { correct: shift.id },
      onclick: () => editShift(shift, person) }, strings.correct) : null));
}

function personWeek(staffId, shifts) {
  const person = staff.find((p) => p.id === staffId);
  const paid = shifts.reduce((sum, s) => sum + s.paid_minutes, 0);
  return h("article", { class: "staff-week-person", dataset: { weekOf: staffId } },
    h("header", {}, h("h3", {}, person ? person.name : `#${staffId}`),
      h("span", { class: "office-sub" }, person ? roleName(person.role) : ""),
      h("span", { class: "staff-week-total", dataset: { paidMinutes: paid } },
        fill(strings.total, { time: duration(paid) }))),
    h("div", { class: "office-table-wrap" },
      h("table", { class: "office-table staff-shifts" }, h("tbody", {},
        shifts.map((shift) => shiftRow(shift, person))))));
}

async function loadWeek() {
  weekLabel.textContent = fill(strings.week_of, {
    day: longDay.format(new Date(`${week}T12:00:00Z`)) });
  const shifts = await get(`/time-clock/shifts?from=${week}&to=${addDays(week, 6)}`);
  const byPerson = new Map();
  shifts.forEach((shift) => {
    if (!byPerson.has(shift.staff_id)) byPerson.set(shift.staff_id, []);
    byPerson.get(shift.staff_id).push(shift);
  });
  const name = (id) => staff.find((p) => p.id === id)?.name || "";
  const people = [...byPerson.keys()].sort((a, b) => name(a).localeCompare(name(b)));
  weekPeople.replaceChildren(...(people.length
    ? people.map((id) => personWeek(id, byPerson.get(id)))
    : [h("p", { class: "staff-week-empty" }, strings.no_shifts)]));
}

// --- correcting a shift, adding a missed one -----------------------------------------------

function breakRow(list, pause = {}) {
  const row = h("div", { class: "staff-break" },
    h("label", { class: "staff-field" }, h("span", {}, strings.break_start),
      h("input", { type: "datetime-local", name: "break_start",
                   value: toVenueLocal(pause.started_at) })),
    h("label", { class: "staff-field" }, h("span", {}, strings.break_end),
      h("input", { type: "datetime-local", name: "break_end",
                   value: toVenueLocal(pause.ended_at) })),
    h("button", { type: "button", class: "button button-secondary staff-break-remove",
                  "aria-label": strings.remove_break, onclick: () => row.remove() }, "×"));
  list.append(row);
  renumberBreaks(list);
}

function renumberBreaks(list) {
  [...list.children].forEach((row, i) => {
    row.querySelector('[name="break_start"]').dataset.field = `breaks.${i}.started_at`;
    row.querySelector('[name="break_end"]').dataset.field = `breaks.${i}.ended_at`;
  });
}

function shiftTimes(form) {
  const list = form.querySelector("[data-breaks]");
  renumberBreaks(list);
  return {
    clocked_in_at: fromVenueLocal(form.clocked_in_at.value) || null,
    clocked_out_at: fromVenueLocal(form.clocked_out_at.value) || null,
    breaks: [...list.children].map((row) => ({
      started_at: fromVenueLocal(row.querySelector('[name="break_start"]').value) || null,
      ended_at: fromVenueLocal(row.querySelector('[name="break_end"]').value) || null,
    })),
    reason: form.reason.value.trim(),
  };
}

function shiftDialog(title, shift, { choosePerson }) {
  const dialog = document.querySelector("[data-shift-dialog]");
  const form = dialog.querySelector("form");
  form.reset();
  dialog.querySelector("[data-shift-title]").textContent = title;
  dialog.querySelector("[data-shift-person]").hidden = !choosePerson;
  if (choosePerson) {
    form.staff_id.replaceChildren(h("option", { value: "" }, strings.choose_person),
      ...staff.filter((p) => p.active && mayChange(p))
        .map((p) => h("option", { value: p.id }, p.name)));
  }
  form.clocked_in_at.value = toVenueLocal(shift?.clocked_in_at);
  form.clocked_out_at.value = toVenueLocal(shift?.clocked_out_at);
  const list = form.querySelector("[data-breaks]");
  list.replaceChildren();
  (shift?.breaks || []).forEach((pause) => breakRow(list, pause));
  form.querySelector("[data-add-break]").onclick = () => breakRow(list);
  return { dialog, form };
}

function editShift(shift, person) {
  const { dialog, form } = shiftDialog(fill(strings.correct_title, { name: person.name }),
                                       shift, { choosePerson: false });
  openDialog(dialog, async () => {
    await patch(`/time-clock/shifts/${shift.id}`, shiftTimes(form));
    say(strings.shift_saved, "success");
    await Promise.all([loadWeek(), loadNow()]);
  });
  form.reason.focus();
}

function addShift() {
  const { dialog, form } = shiftDialog(strings.add_shift_title, null, { choosePerson: true });
  const clientId = uuid();
  openDialog(dialog, async () => {
    const staffId = Number(form.staff_id.value);
    if (!staffId) throw new ApiError(422, { message: strings.choose_person, field: "staff_id" });
    await post("/time-clock/shifts", { client_id: clientId, staff_id: staffId,
                                       ...shiftTimes(form) });
    say(strings.shift_saved, "success");
    await loadWeek();
  });
}

// --- start ---------------------------------------------------------------------------------

document.querySelector("[data-add-staff]").addEventListener("click", addStaff);
document.querySelector("[data-add-shift]").addEventListener("click", addShift);
document.querySelectorAll("[data-week]").forEach((button) => button.addEventListener("click",
  () => {
    const step = Number(button.dataset.week);
    week = step ? addDays(week, 7 * step) : mondayOf(venueDay());
    loadWeek().catch((error) => say(failure(error), "error"));
  }));

async function refreshClock() {
  await Promise.all([loadNow(), loadWeek()]);
}

async function start() {
  await loadStaff();
  await refreshClock();
  connectLive("/office", {
    onEvent: (name) => { if (name === "time_clock") refreshClock().catch(() => {}); },
    onSnapshotNeeded: async () => { await refreshClock().catch(() => {}); return null; },
  });
  startIdleSignout();
  root.dataset.ready = "true";
}

start().catch((error) => say(failure(error), "error"));
