// The audit log: filters by who, what and when (kept in the page's address, so a view can
// be bookmarked or sent), a page at a time, newest first; the export takes the same filters.
import { ApiError, get } from "../api.js";
import { venueFormat } from "../clock.js";
import { h } from "../dom.js";
import { fill, readStrings } from "../session.js";

const strings = readStrings();
const form = document.querySelector("[data-audit-filters]");
const body = document.querySelector("[data-audit] tbody");
const count = document.querySelector("[data-count]");
const exportLink = document.querySelector("[data-export]");
const previous = document.querySelector('[data-page="previous"]');
const next = document.querySelector('[data-page="next"]');
const errorBox = form.querySelector("[data-form-error]");
const when = venueFormat({ dateStyle: "medium", timeStyle: "medium", hourCycle: "h23" });
const PER_PAGE = 50;
let page = 1;
let asked = 0; // the latest request: an older answer arriving after it is dropped

function filters() {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) query.set(name, value);
  return query;
}

function showFilters(query) {
  for (const name of ["staff_id", "action", "since", "until"]) {
    form.querySelector(`[name="${name}"]`).value = query.get(name) || "";
  }
  page = Number(query.get("page")) || 1;
}

function detailItems(details) {
  const items = [];
  for (const [key, value] of Object.entries(details || {})) {
    if (key === "changes" && value && typeof value === "object") {
      for (const [name, change] of Object.entries(value)) {
        items.push(Array.isArray(change) && change.length === 2
          ? `${name}: ${JSON.stringify(change[0])} → ${JSON.stringify(change[1])}`
          : `${name}: ${JSON.stringify(change)}`);
      }
    } else {
      items.push(`${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    }
  }
  return items;
}

function row(entry) {
  const who = [entry.staff || (entry.device ? fill(strings.by_device, { device: entry.device }) : strings.nobody)];
  if (entry.approved_by) who.push(fill(strings.approved_by, { name: entry.approved_by }));
  return h("tr", { dataset: { entry: entry.id, action: entry.action } },
    h("td", {}, h("time", { datetime: entry.at }, when.format(new Date(entry.at)))),
    h("td", {}, h("span", { class: "office-strong" }, who[0]),
      who[1] ? h("span", { class: "office-sub" }, who[1]) : null),
    h("td", {}, h("span", { class: "audit-action" }, entry.action)),
    h("td", {}, entry.subject || ""),
    h("td", {}, h("ul", { class: "audit-details" }, detailItems(entry.details).map((text) => h("li", {}, text)))));
}

async function load() {
  const query = filters();
  exportLink.href = `/api/v1/audit.csv?${query}`;
  query.set("page", page);
  query.set("per_page", PER_PAGE);
  errorBox.hidden = true;
  for (const element of form.querySelectorAll("[data-invalid]")) element.removeAttribute("data-invalid");
  const mine = ++asked;
  try {
    const data = await get(`/audit?${query}`);
    if (mine !== asked) return;
    const pages = Math.max(1, Math.ceil(data.total / data.per_page));
    body.replaceChildren(...data.entries.map(row));
    if (!data.entries.length) body.replaceChildren(h("tr", {}, h("td", { colspan: 5, class: "office-none" }, strings.empty)));
    count.textContent = fill(strings.count, { total: data.total, page: data.page, pages });
    previous.disabled = page <= 1;
    next.disabled = page >= pages;
    const address = filters();
    if (page > 1) address.set("page", page);
    history.replaceState(null, "", `${location.pathname}${address.size ? `?${address}` : ""}`);
  } catch (error) {
    if (mine !== asked) return;
    const field = error instanceof ApiError ? form.querySelector(`[data-field="${error.field}"]`) : null;
    field?.setAttribute("data-invalid", "");
    errorBox.textContent = error instanceof ApiError ? error.message : strings.failed;
    errorBox.hidden = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  page = 1;
  load();
});
form.addEventListener("change", () => { page = 1; load(); });
previous.addEventListener("click", () => { page -= 1; load(); });
next.addEventListener("click", () => { page += 1; load(); });

showFilters(new URLSearchParams(location.search));
load();
