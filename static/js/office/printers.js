// Printers per station with their backups (add, change, remove, test page), and the
// alerts the print queue raises, live from the /office socket: a printer that goes
// down turns red here the moment the print worker finds it, and green when it answers.
import { ApiError, api, get, post } from "../api.js";
import { venueFormat } from "../clock.js";
import { h } from "../dom.js";
import { connectLive } from "../live.js";
import { fill, readStrings } from "../session.js";
import { stockAmount } from "../stock_amount.js";

const strings = readStrings();
const message = document.querySelector("[data-message]");
const table = document.querySelector("[data-printers] tbody");
const alertList = document.querySelector("[data-alerts]");
const noAlerts = document.querySelector("[data-no-alerts]");
const liveState = document.querySelector("[data-live-state]");
const dialog = document.querySelector("[data-printer-dialog]");
const form = document.querySelector("[data-printer-form]");
const inputs = Object.fromEntries(["name", "kind", "address", "backup_id"]
  .map((name) => [name, form.querySelector(`[name="${name}"]`)]));
const when = venueFormat({ dateStyle: "short", timeStyle: "short", hourCycle: "h23" });

let printers = [];
let stations = [];
const alerts = new Map(); // alert id → the alert
let editing = null; // the printer the dialog changes; null: a new one

function say(text, kind = "info") {
  message.hidden = !text;
  message.textContent = text || "";
  message.dataset.kind = kind;
}

function failed(error) {
  say(error instanceof ApiError ? error.message : strings.failed, "error");
}

const stationName = (station) => station.names[document.documentElement.lang] || station.code;

// --- printers ------------------------------------------------------------------------------

function printerRow(printer) {
  const backup = printers.find((p) => p.id === printer.backup_id);
  const on = stations.filter((s) => printer.stations.includes(s.id)).map(stationName);
  const state = printer.online ? "online" : "offline";
  return h("tr", { dataset: { printer: printer.id, name: printer.name } },
    h("th", { scope: "row" },
      h("span", { class: "office-strong" }, printer.name),
      h("span", { class: "office-sub" }, `${strings.kinds[printer.kind] || printer.kind} · ${printer.address}`),
      h("span", { class: "office-sub" }, backup ? fill(strings.backup_of, { name: backup.name })
        : strings.no_backup)),
    h("td", { dataset: { printerStations: "" } }, on.length ? on.join(", ") : strings.no_stations),
    h("td", {}, h("span", { class: "office-pill", dataset: { state, printerState: "" } },
      strings[state])),
    h("td", { class: "office-actions" }, h("div", { class: "office-buttons" },
      h("button", { type: "button", class: "button button-secondary", dataset: { testPage: "" },
                    onclick: () => testPage(printer) }, strings.test_page),
      h("button", { type: "button", class: "button button-secondary", dataset: { editPrinter: "" },
                    onclick: () => openDialog(printer) }, strings.edit),
      h("button", { type: "button", class: "button button-secondary", dataset: { removePrinter: "" },
                    onclick: () => remove(printer) }, strings.remove))));
}

function renderPrinters() {
  table.replaceChildren(...printers.map(printerRow));
  if (!printers.length) {
    table.replaceChildren(h("tr", {}, h("td", { colspan: 4, class: "office-none" }, strings.no_printers)));
  }
}

async function loadPrinters() {
  [printers, stations] = await Promise.all([get("/printers"), get("/stations")]);
  renderPrinters();
}

async function testPage(printer) {
  try {
    await post(`/printers/${printer.id}/test-page`);
    say(fill(strings.test_sent, { name: printer.name }), "success");
  } catch (error) {
    failed(error);
  }
}

async function remove(printer) {
  if (!window.confirm(fill(strings.confirm_remove, { name: printer.name }))) return;
  try {
    await api("DELETE", `/printers/${printer.id}`);
    say(fill(strings.printer_removed, { name: printer.name }), "success");
    await loadPrinters();
  } catch (error) {
    failed(error);
  }
}

// --- the printer dialog --------------------------------------------------------------------

function field(name) {
  return form.querySelector(`[data-field="${name}"]`);
}

function showAddressHint() {
  form.querySelector("[data-address-hint]").textContent = strings[`address_${inputs.kind.value}`] || "";
}

function clearErrors() {
  for (const element of form.querySelectorAll("[data-invalid]")) element.removeAttribute("data-invalid");
  form.querySelector("[data-form-error]").hidden = true;
}

function showError(error) {
  clearErrors();
  const box = form.querySelector("[data-form-error]");
  const where = error instanceof ApiError && error.field ? field(error.field) : null;
  where?.setAttribute("data-invalid", "");
  const label = error instanceof ApiError && strings.field_names[error.field];
  const reason = error instanceof ApiError
    ? error.message.replace(/^'[^']*': /, "").replace(/^Value error, /, "") : strings.failed;
  box.textContent = label ? `${label}: ${reason}` : reason;
  box.hidden = false;
  (where?.querySelector("input, select") || inputs.name).focus();
}

function openDialog(printer = null) {
  editing = printer;
  clearErrors();
  form.querySelector("[data-printer-title]").textContent = printer
    ? fill(strings.change_printer, { name: printer.name }) : strings.add_printer;
  inputs.name.value = printer?.name || "";
  const kinds = new Set(["network", "serial", printer?.kind].filter(Boolean));
  inputs.kind.replaceChildren(...[...kinds].map((kind) => h("option", { value: kind }, strings.kinds[kind] || kind)));
  inputs.kind.value = printer?.kind || "network";
  inputs.address.value = printer?.address || "";
  inputs.backup_id.replaceChildren(h("option", { value: "" }, strings.no_backup),
    ...printers.filter((p) => p.id !== printer?.id)
      .map((p) => h("option", { value: p.id }, p.name)));
  inputs.backup_id.value = printer?.backup_id ?? "";
  form.querySelector("[data-station-choices]").replaceChildren(...stations.map((station) =>
    h("label", { class: "office-check", dataset: { station: station.code } },
      h("input", { type: "checkbox", name: "stations", value: station.id,
                   checked: Boolean(printer?.stations.includes(station.id)) }),
      stationName(station))));
  showAddressHint();
  dialog.showModal();
  inputs.name.focus();
}

async function save(event) {
  event.preventDefault();
  const body = {
    name: inputs.name.value.trim(),
    kind: inputs.kind.value,
    address: inputs.address.value.trim(),
    backup_id: inputs.backup_id.value ? Number(inputs.backup_id.value) : null,
    stations: [...form.querySelectorAll('input[name="stations"]:checked')].map((box) => Number(box.value)),
  };
  try {
    const saved = editing
      ? await api("PATCH", `/printers/${editing.id}`, body)
      : await post("/printers", body);
    dialog.close();
    say(fill(strings.printer_saved, { name: saved.name }), "success");
    await loadPrinters();
  } catch (error) {
    showError(error);
  }
}

form.addEventListener("submit", save);
inputs.kind.addEventListener("change", showAddressHint);
form.querySelector("[data-cancel]").addEventListener("click", () => dialog.close());
document.querySelector("[data-add-printer]").addEventListener("click", () => openDialog());

// --- alerts, live --------------------------------------------------------------------------

function alertText(alert) {
  const m = alert.message || {};
  const key = m.key || alert.kind;
  if (key === "print_job_failed") return fill(strings.alert_job_failed, m);
  if (key === "printer_offline") {
    return fill(m.backup ? strings.alert_printer_backup : strings.alert_printer_down, m);
  }
  if (alert.kind === "room_charge_refused") return fill(strings.alert_room_charge, m);
  if (key === "low_stock") return lowStockText(m);
  if (key === alert.subject && "failures" in m) return fill(strings.alert_pins, m);
  return strings.alert_generic;
}

let stockLocations = new Map(); // location id → its name, for the low-stock alert

function lowStockText(m) {
  const language = document.documentElement.lang;
  const names = m.ingredient || {};
  const inUnit = (thousandths) => stockAmount(thousandths, m.unit, language);
  const location = stockLocations.get(m.location_id);
  return fill(location ? strings.alert_low_stock_at : strings.alert_low_stock, {
    ingredient: names[language] || Object.values(names)[0] || "?", location,
    quantity: inUnit(m.quantity), reorder_point: inUnit(m.reorder_point) });
}

async function loadStockLocations() {
  const language = document.documentElement.lang;
  const places = await get("/inventory/locations").catch(() => []);
  stockLocations = new Map(places.map((p) => [p.id, p.names[language]
    || Object.values(p.names)[0] || p.code]));
}

function alertItem(alert) {
  const clearsItself = alert.kind === "printer_offline";
  const dataset = { alert: alert.id, kind: alert.kind };
  if (alert.message?.backup) dataset.backup = alert.message.backup;
  return h("li", { class: "office-alert", dataset },
    h("span", { class: "office-alert-text" }, alertText(alert),
      h("small", {}, when.format(new Date(alert.raised_at)),
        clearsItself ? ` · ${strings.clears_itself}` : "")),
    clearsItself ? null : h("button", {
      type: "button", class: "button button-secondary", dataset: { acknowledge: alert.id },
      onclick: () => acknowledge(alert),
    }, strings.acknowledge));
}

function renderAlerts() {
  const shown = [...alerts.values()].sort((a, b) => b.id - a.id);
  alertList.replaceChildren(...shown.map(alertItem));
  noAlerts.hidden = shown.length > 0;
}

/** A printer's state follows its offline alert: up → offline, cleared → online. */
function followPrinter(alert, online) {
  const printerId = alert.message?.printer_id;
  const printer = printers.find((p) => p.id === printerId);
  if (alert.kind !== "printer_offline" || !printer) return;
  printer.online = online;
  renderPrinters();
}

async function acknowledge(alert) {
  try {
    await post(`/alerts/${alert.id}/acknowledge`);
    alerts.delete(alert.id);
    renderAlerts();
  } catch (error) {
    failed(error);
  }
}

async function loadAlerts() {
  const data = await get("/alerts");
  alerts.clear();
  for (const alert of data.alerts) alerts.set(alert.id, alert);
  renderAlerts();
  return data.last_event;
}

function onEvent(name, data) {
  if (name === "alert") {
    alerts.set(data.id, data);
    followPrinter(data, false);
  } else if (name === "alert_cleared") {
    alerts.delete(data.id);
    followPrinter(data, true);
  } else {
    return;
  }
  renderAlerts();
}

function setLive(online) {
  liveState.dataset.state = online ? "live" : "offline";
  liveState.textContent = online ? strings.live : strings.reconnecting;
}

async function start() {
  await Promise.all([loadPrinters(), loadStockLocations()]);
  const lastEvent = await loadAlerts();
  connectLive("/office", {
    lastEvent,
    onEvent,
    onSnapshotNeeded: async () => {
      await loadPrinters();
      return loadAlerts();
    },
    onStatus: setLive,
    onRefused: () => setLive(false),
  });
}

start().catch(failed);
