// The cashier station: the open checks (what the floor plan shows of each: table, server,
// total, due, bill printed), live over /floor; a chosen check's bills side by side, split
// and paid with the shared payment modules (static/js/payments/). #/check/12 survives a
// reload.
import { ApiError, get } from "../api.js";
import { connectLive } from "../live.js";
import { BillsBoard } from "../payments/bills.js";
import { announceBills, money, setMoney } from "../payments/util.js";
import { pageText, showOnline, toast } from "../station.js";
import { openDrawerPanel } from "./drawer.js";
import { showX, takeZ } from "./reports.js";
import { readStrings, signOut, signinUrl, startIdleSignout } from "../session.js";
import { h, icon } from "../dom.js";

const strings = readStrings();
const config = JSON.parse(document.getElementById("cashier-config")?.textContent || "{}");
const lang = document.documentElement.lang || "ro";
const main = document.getElementById("cashier");
const list = main.querySelector("[data-checks]");
const count = main.querySelector("[data-check-count]");
const head = main.querySelector("[data-check-head]");
const none = main.querySelector("[data-none]");

const collator = new Intl.Collator(lang, { numeric: true });

const t = pageText(strings, lang);

/** A list of phrases from the page (quick reasons). */
function phrases(key) {
  return Array.isArray(strings[key]) ? strings[key] : [];
}

const tables = new Map(); // table id → {name, server}
const checks = new Map(); // check id → what the list shows of it
// The last checks paid, newest first: their receipts and refunds stay in reach.
const paidChecks = new Map();
const PAID_KEPT = 20;
const pending = new Map(); // check id → timer: events for one check come in bursts
let selected = null;
let live = null;

// --- status -------------------------------------------------------------------------------

function setOnline(online) {
  showOnline(online, t);
}

// --- the list -----------------------------------------------------------------------------

function label(check) {
  if (check.kind === "table") return t("table_n", { name: tables.get(check.table_id)?.name ?? "?" });
  return check.name || t(`kind_${check.kind}`);
}

function serverName(check) {
  return config.servers?.[check.server_id] || check.server
    || (check.table_id !== null ? tables.get(check.table_id)?.server : null) || "";
}

/** Tables in the order their names sort (2 before 10), then bar tabs and take-aways. */
function sorted() {
  return [...checks.values()].sort((a, b) => {
    const tab = Number(a.kind !== "table") - Number(b.kind !== "table");
    return tab || collator.compare(label(a), label(b)) || a.id - b.id;
  });
}

function row(check) {
  const paid = check.total !== null && check.due !== null ? check.total - check.due : 0;
  return h("button", {
    type: "button", role: "listitem",
    class: `check-row kind-${check.kind}${check.id === selected ? " is-selected" : ""}`,
    dataset: { checkId: check.id }, "aria-current": check.id === selected ? "true" : null,
    onclick: () => { location.hash = `#/check/${check.id}`; },
  },
  h("span", { class: "check-row-icon" }, icon(check.kind === "table" ? "seat" : check.kind === "take_away" ? "receipt" : "user", 22, "pay")),
  h("span", { class: "check-row-text" },
    h("span", { class: "check-row-name", dataset: { label: "" } }, label(check)),
    h("span", { class: "check-row-detail" },
      [serverName(check), check.guest_count ? t("guests_n", { count: check.guest_count }) : null].filter(Boolean).join(" · ")),
    check.printed ? h("span", { class: "check-row-printed", dataset: { printed: "" } }, icon("printer", 16, "pay"), t("bill_printed")) : null),
  h("span", { class: "check-row-money" },
    h("span", { class: "check-row-due", dataset: { due: check.due ?? "" } }, check.due === null ? "…" : money(check.due)),
    h("span", { class: "check-row-total" },
      paid > 0 ? t("paid_n", { amount: money(paid) }) : `${t("total")} ${money(check.total ?? 0)}`)));
}

function paidRow(check) {
  return h("button", {
    type: "button", role: "listitem",
    class: `paid-row kind-${check.kind}${check.id === selected ? " is-selected" : ""}`,
    dataset: { paidCheckId: check.id }, "aria-current": check.id === selected ? "true" : null,
    onclick: () => { location.hash = `#/check/${check.id}`; },
  },
  h("span", { class: "check-row-icon" }, icon("check", 20, "pay")),
  h("span", { class: "check-row-text" },
    h("span", { class: "check-row-name" }, label(check)),
    h("span", { class: "check-row-detail" }, serverName(check))),
  h("span", { class: "check-row-money" },
    h("span", { class: "check-row-total" }, t("paid_label")),
    h("span", { class: "paid-row-total" }, money(check.total ?? 0))));
}

function renderList() {
  const rows = sorted();
  count.textContent = rows.length ? String(rows.length) : "";
  const paid = [...paidChecks.values()];
  list.replaceChildren(...(rows.length ? rows.map(row) : [h("p", { class: "cashier-empty" }, t("no_checks"))]),
    ...(paid.length ? [h("h2", { class: "cashier-paid-title" }, t("paid_checks")), ...paid.map(paidRow)] : []));
}

/** A check of the list was paid (here or elsewhere): it moves to the paid ones. */
function keepPaid(checkId) {
  const check = checks.get(checkId);
  if (!check || paidChecks.has(checkId)) return;
  const entries = [[checkId, check], ...paidChecks].slice(0, PAID_KEPT);
  paidChecks.clear();
  for (const [id, value] of entries) paidChecks.set(id, value);
}

function renderRow(checkId) {
  const element = list.querySelector(`[data-check-id="${checkId}"]`);
  const check = checks.get(checkId);
  if (element && check) element.replaceWith(row(check));
  else renderList();
}

/** What the list shows from a check's bills (GET …/bills, or a "bills" event). */
function takeBills(checkId, bills) {
  const check = checks.get(checkId);
  if (!check) return;
  check.due = bills.due;
  check.total = bills.bills.reduce((sum, b) => sum + b.total, 0);
  check.printed = bills.bills.some((b) => b.printed && !b.paid);
}

function fromCheck(data) {
  return { id: data.id, kind: data.kind, table_id: data.table_id, name: data.name,
           guest_count: data.guest_count, server_id: data.server_id, server: data.server ?? null,
           version: data.version, total: data.total ?? data.totals?.total ?? null, due: null,
           printed: false };
}

/** A row of GET /till: the check with its total, what is due, and a printed bill. */
function fromTill(row) {
  return { ...fromCheck(row), due: row.due, printed: row.printed };
}

async function loadCheck(checkId) {
  const [data, bills] = await Promise.all([get(`/checks/${checkId}`), get(`/checks/${checkId}/bills`)]);
  if (data.status !== "open") {
    forget(checkId);
    return;
  }
  checks.set(checkId, fromCheck(data));
  takeBills(checkId, bills);
  renderRow(checkId);
}

/** A check changed: look at it again, once for a burst of events. */
function checkChanged(checkId) {
  clearTimeout(pending.get(checkId));
  pending.set(checkId, setTimeout(() => {
    pending.delete(checkId);
    loadCheck(checkId).catch((error) => {
      if (error instanceof ApiError && error.status === 404) forget(checkId);
    });
  }, 120));
}

function forget(checkId) {
  if (!checks.delete(checkId)) return;
  renderList();
}

// --- the chosen check ----------------------------------------------------------------------

const board = new BillsBoard(main.querySelector("[data-board]"), {
  can: config.can || [],
  onNotice: (text) => toast(text, "success"),
  title: () => {
    const check = checks.get(selected) || paidChecks.get(selected);
    return check ? label(check) : "";
  },
  onState: (state) => {
    if (!checks.has(state.check_id)) return;
    takeBills(state.check_id, state);
    renderRow(state.check_id);
    renderHead();
  },
  onClosed: (state) => {
    if (paidChecks.has(state.check_id) && !checks.has(state.check_id)) return; // a paid one, looked at
    const check = checks.get(state.check_id);
    toast(t("check_paid_by", { label: check ? label(check) : `#${state.check_id}` }), "success");
    if (check) check.total = state.total;
    if (state.check_status === "paid") keepPaid(state.check_id);
    forget(state.check_id);
    if (selected === state.check_id) location.hash = "#/";
  },
  onError: (error, text) => toast(text, "error"),
});

function renderHead() {
  const check = checks.get(selected) || paidChecks.get(selected);
  head.hidden = !check;
  none.hidden = Boolean(check);
  if (!check) return;
  head.querySelector("[data-check-title]").textContent = label(check);
  // The check's own number is left out: in Romanian a check and a bill are both "notă".
  head.querySelector("[data-check-detail]").textContent = [
    serverName(check), check.guest_count ? t("guests_n", { count: check.guest_count }) : null,
  ].filter(Boolean).join(" · ");
}

async function route() {
  const match = /^#\/check\/(\d+)/.exec(location.hash);
  const checkId = match ? Number(match[1]) : null;
  selected = checkId !== null && (checks.has(checkId) || paidChecks.has(checkId)) ? checkId : null;
  main.dataset.view = selected === null ? "list" : "check";
  for (const element of list.querySelectorAll(".check-row, .paid-row")) {
    const on = Number(element.dataset.checkId ?? element.dataset.paidCheckId) === selected;
    element.classList.toggle("is-selected", on);
    if (on) element.setAttribute("aria-current", "true"); else element.removeAttribute("aria-current");
  }
  renderHead();
  if (selected === null) {
    board.checkId = null;
    main.querySelector("[data-board]").replaceChildren();
    if (checkId !== null) {
      toast(t("no_such_check"), "warning");
      history.replaceState(null, "", "#/");
    }
    return;
  }
  try {
    await board.load(selected);
  } catch (error) {
    toast(error instanceof ApiError ? error.message : t("cannot_reach"), "error");
  }
}

// --- live ----------------------------------------------------------------------------------

function onEvent(name, data) {
  if (name === "check") {
    if (data.status !== "open") {
      const check = checks.get(data.id);
      if (check && data.id === selected && !board.paying) {
        toast(t("check_closed", { label: label(check) }), "warning");
        location.hash = "#/";
      }
      if (data.id !== selected || !board.paying) {
        if (data.status === "paid") keepPaid(data.id);
        forget(data.id);
      }
      return;
    }
    const known = checks.get(data.id);
    if (!known || data.version > known.version) checkChanged(data.id);
    // Lines added, a discount: the bills change (our own payment's echo is already shown).
    if (data.id === selected && data.version > (board.state?.check_version ?? 0)) board.refresh();
  } else if (name === "bills") {
    takeBills(data.check_id, data);
    if (checks.has(data.check_id)) renderRow(data.check_id);
    announceBills(data); // the open board and a payment waiting for the terminal
  } else if (name === "table") {
    const table = tables.get(data.table_id);
    if (!table) return;
    table.server = data.server;
    for (const check of checks.values()) if (check.table_id === data.table_id) renderRow(check.id);
  }
}

async function loadSnapshot() {
  const [floor, open, paid] = await Promise.all([
    get("/floor"), get("/till"), get(`/till?status=paid&limit=${PAID_KEPT}`)]);
  tables.clear();
  for (const f of floor.floors) {
    for (const table of f.tables) tables.set(table.id, { name: table.name, server: table.server });
  }
  checks.clear();
  for (const row of open) checks.set(row.id, fromTill(row));
  paidChecks.clear();
  for (const row of paid) paidChecks.set(row.id, fromTill(row));
  renderList();
  return floor.last_event;
}

async function resync() {
  const lastEvent = await loadSnapshot();
  if (selected !== null && !checks.has(selected) && !paidChecks.has(selected)) location.hash = "#/";
  else if (selected !== null) board.refresh();
  return lastEvent;
}

async function start() {
  main.querySelector("[data-back]").addEventListener("click", () => { location.hash = "#/"; });
  const panels = { t, list: phrases, toast, config };
  document.querySelector("[data-drawer]")?.addEventListener("click", () => openDrawerPanel(panels));
  document.querySelector("[data-x-report]")?.addEventListener("click", () => showX(panels));
  document.querySelector("[data-z-report]")?.addEventListener("click", () => takeZ(panels));
  document.querySelector("[data-sign-out]")?.addEventListener("click", async () => {
    live?.close();
    await signOut().catch(() => {});
    location.assign(signinUrl("/cashier"));
  });
  let lastEvent;
  for (let attempt = 0; ; attempt++) {
    try {
      setMoney(await get("/venue"));
      lastEvent = await loadSnapshot();
      break;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        location.assign(signinUrl("/cashier"));
        return;
      }
      const text = list.querySelector("[data-loading-text]");
      if (text) text.textContent = t("cannot_reach");
      await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** attempt)));
    }
  }
  window.addEventListener("hashchange", route);
  route();
  live = connectLive("/floor", {
    lastEvent,
    onEvent,
    onSnapshotNeeded: resync,
    onStatus: setOnline,
    onRefused: () => location.assign(signinUrl("/cashier")),
  });
  startIdleSignout();
  window.masaCashier = { checks, board }; // for tests and a technician
}

start();
