// The reports: a report and a range of days (kept in the page's address), the period
// before beside it, a row chosen lists the checks behind it; CSV and PDF take the same
// filters. Tables, figures and the chart (SVG) come laid out by the server, as on paper.
import { ApiError, get } from "../api.js";
import { h } from "../dom.js";
import { fill, readStrings } from "../session.js";

const strings = readStrings();
const form = document.querySelector("[data-report-filters]");
const errorBox = form.querySelector("[data-form-error]");
const result = document.querySelector("[data-report]");
const table = result.querySelector("[data-table]");
const drill = document.querySelector("[data-drill]");
const drillTable = drill.querySelector("[data-drill-table]");
const byField = form.querySelector('[data-field="by"]');
const compareField = form.querySelector(".report-compare");
let asked = 0;
let shown = null; // the filters of the report on screen

function isoDay(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function filters() {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) query.set(name, value);
  if (query.get("report") !== "sales") {
    query.delete("by");
    query.delete("compare");
  }
  return query;
}

function showFilters(query) {
  const today = new Date();
  const weekAgo = new Date(today.getTime() - 6 * 86400000);
  form.elements.report.value = query.get("report") || "sales";
  form.elements.by.value = query.get("by") || "day";
  form.elements.first.value = query.get("first") || isoDay(weekAgo);
  form.elements.last.value = query.get("last") || isoDay(today);
  form.elements.compare.checked = query.get("compare") === "true";
}

function showError(error) {
  const field = error instanceof ApiError ? form.querySelector(`[data-field="${error.field}"]`) : null;
  field?.setAttribute("data-invalid", "");
  errorBox.textContent = error instanceof ApiError ? error.message : strings.failed;
  errorBox.hidden = false;
}

function headRow(columns) {
  return h("tr", {}, ...columns.map((column, index) =>
    h("th", { scope: "col", class: index && column.kind !== "text" ? "is-number" : "" }, column.label)));
}

function bodyRow(row, columns, canDrill) {
  if (row.heading) return h("tr", { class: "report-heading" }, h("th", { colspan: columns.length, scope: "rowgroup" }, row.cells[0]));
  const cells = row.cells.map((text, index) =>
    h("td", { class: index && columns[index].kind !== "text" ? "is-number" : "" }, text));
  if (canDrill && row.key !== null) {
    cells[0] = h("td", {}, h("button", { type: "button", class: "report-drill-link", dataset: { key: row.key } }, row.cells[0]));
  }
  return h("tr", { dataset: { key: row.key ?? "" } }, ...cells);
}

async function load() {
  const query = filters();
  byField.hidden = query.get("report") !== "sales";
  compareField.hidden = byField.hidden;
  for (const format of ["csv", "pdf"]) {
    form.querySelector(`[data-download="${format}"]`).href = `/api/v1/reports/export.${format}?${query}`;
  }
  errorBox.hidden = true;
  for (const element of form.querySelectorAll("[data-invalid]")) element.removeAttribute("data-invalid");
  const mine = ++asked;
  try {
    const data = await get(`/reports/table?${query}`);
    if (mine !== asked) return;
    shown = query;
    result.querySelector("[data-title]").textContent = `${data.title} · ${data.subtitle}`;
    result.querySelector("[data-facts]").replaceChildren(...data.facts.map((fact) =>
      h("div", {}, h("dt", {}, fact.label), h("dd", {}, fact.value))));
    result.querySelector("[data-notes]").replaceChildren(...data.notes.map((note) => h("p", {}, note)));
    result.querySelector("[data-chart]").innerHTML = data.chart; // drawn and escaped by the server
    result.querySelector("[data-hint]").hidden = !data.drill || !data.rows.length;
    table.tHead.replaceChildren(headRow(data.columns));
    const rows = data.rows.map((row) => bodyRow(row, data.columns, data.drill));
    if (data.totals) rows.push(h("tr", { class: "report-totals" }, ...data.totals.map((text) => h("td", {}, text))));
    if (!rows.length) rows.push(h("tr", {}, h("td", { colspan: data.columns.length, class: "office-none" }, strings.empty)));
    table.tBodies[0].replaceChildren(...rows);
    drill.hidden = true;
    history.replaceState(null, "", `${location.pathname}?${query}`);
  } catch (error) {
    if (mine === asked) showError(error);
  }
}

async function showChecks(key) {
  const query = new URLSearchParams(shown);
  query.set("key", key);
  query.delete("compare");
  query.delete("report");
  try {
    const data = await get(`/reports/sales/checks?${query}`);
    const money = new Intl.NumberFormat(document.documentElement.lang || "ro", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const amount = (value) => money.format(value / 100);
    drill.querySelector("[data-drill-title]").textContent = fill(strings.checks_of, { label: data.label, count: data.count, total: amount(data.total) });
    const more = drill.querySelector("[data-drill-more]");
    more.hidden = !data.truncated;
    more.textContent = fill(strings.more, { shown: data.checks.length });
    drillTable.tHead.replaceChildren(h("tr", {},
      ...[strings.check, strings.table, strings.server, strings.covers, strings.closed].map((label) => h("th", { scope: "col" }, label)),
      h("th", { scope: "col", class: "is-number" }, strings.value)));
    drillTable.tBodies[0].replaceChildren(...data.checks.map((check) => h("tr", { dataset: { check: check.check_id } },
      h("td", {}, `#${check.check_id}`), h("td", {}, check.table), h("td", {}, check.server),
      h("td", {}, String(check.covers)), h("td", {}, check.closed_at || ""),
      h("td", { class: "is-number" }, amount(check.value)))));
    drill.hidden = false;
    drill.scrollIntoView({ block: "start" });
  } catch (error) {
    showError(error);
  }
}

form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
form.addEventListener("change", () => load());
table.addEventListener("click", (event) => {
  const button = event.target.closest("[data-key]");
  if (button && button.classList.contains("report-drill-link")) showChecks(button.dataset.key);
});
drill.querySelector("[data-drill-close]").addEventListener("click", () => { drill.hidden = true; });

showFilters(new URLSearchParams(location.search));
load();
