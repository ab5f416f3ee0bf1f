// The hotel front desk: today's arrivals, the guests in house and today's departures, each
// stay with its balance; a chosen stay's folio beside them (every charge, correction and
// payment), settled and checked out from here. The /desk socket brings each new folio
// entry: the open folio and the lists' balances follow without a reload. #/stay/12
// survives a reload.
import { ApiError, get, post } from "../api.js";
import { connectLive } from "../live.js";
import { h, icon } from "../dom.js";
import { money, setMoney } from "../payments/util.js";
import { readStrings, signOut, signinUrl, startIdleSignout } from "../session.js";
import { pageText, showOnline, toast as showToast } from "../station.js";
import { addFolioEntry, dayText, entryElement, nightsOf, settleFolio, stillOwed } from "./folio.js";
import { askSettle } from "../payments/refund.js";

const strings = readStrings();
const config = JSON.parse(document.getElementById("desk-config")?.textContent || "{}");
const lang = document.documentElement.lang || "ro";
const main = document.getElementById("desk");
const staysElement = main.querySelector("[data-stays]");
const head = main.querySelector("[data-folio-head]");
const actions = main.querySelector("[data-folio-actions]");
const entries = main.querySelector("[data-entries]");
const none = main.querySelector("[data-none]");

const VIEWS = ["arrivals", "in_house", "departures"];
const lists = { arrivals: [], in_house: [], departures: [] };
let tab = VIEWS.includes(sessionStorage.getItem("masa.desk.tab"))
  ? sessionStorage.getItem("masa.desk.tab") : "in_house";
let selected = null; // the stay id whose folio is open
let folio = null;
const openEntries = new Set(); // entries whose lines are shown
const freshEntries = new Set(); // entries that came in live, marked for a moment
let folioTimer = null;
let listsTimer = null;
let generation = 0; // bumped by each answer of our own: an older read must not undo it
let live = null;
let busy = false;

const t = pageText(strings, lang);

function toast(text, kind = "info") {
  showToast(text, kind, { iconName: "room" });
}

function setOnline(online) {
  showOnline(online, t);
}

function errorText(error) {
  return error instanceof ApiError ? error.message : t("cannot_reach");
}

// --- the lists ------------------------------------------------------------------------------

function datesText(stay, { nights = false } = {}) {
  const dates = `${dayText(stay.arrival)} – ${dayText(stay.departure)}`;
  return nights ? `${dates} · ${t("nights_n", { count: nightsOf(stay) })}` : dates;
}

function stayRow(stay, view) {
  const isSelected = stay.stay_id === selected;
  const action = view === "arrivals"
    ? h("button", { type: "button", class: "button button-primary stay-action", dataset: { checkIn: stay.stay_id },
                    onclick: () => checkIn(stay.stay_id, stay.room) },
        icon("check", 20, "pay"), h("span", {}, t("check_in")))
    : view === "departures"
      ? h("button", { type: "button", class: "button button-secondary stay-action", dataset: { checkOut: stay.stay_id },
                      onclick: () => checkOut(stay.stay_id) },
          icon("signout", 20, "pay"), h("span", {}, t("check_out")))
      : null;
  return h("div", { class: `stay-row${isSelected ? " is-selected" : ""}${action ? " has-action" : ""}`,
                    role: "listitem", dataset: { stayId: stay.stay_id, room: stay.room, status: stay.status } },
    h("button", { type: "button", class: "stay-open", "aria-current": isSelected ? "true" : null,
                  onclick: () => { location.hash = `#/stay/${stay.stay_id}`; } },
      h("span", { class: "stay-room" }, stay.room),
      h("span", { class: "stay-text" },
        h("span", { class: "stay-guests" }, stay.guests.join(", ")),
        h("span", { class: "stay-dates" }, datesText(stay)),
        stay.credit_left !== null && stay.credit_left !== undefined
          ? h("span", { class: "stay-credit", dataset: { creditLeft: stay.credit_left } },
              t("credit_left", { amount: money(Math.max(stay.credit_left, 0)) }))
          : null,
        stay.no_post ? h("span", { class: "stay-flag", dataset: { noPost: "" } }, t("no_post")) : null),
      h("span", { class: "stay-money" },
        h("span", { class: `stay-balance${stay.balance ? "" : " is-zero"}`, dataset: { balance: stay.balance } },
          money(stay.balance)))),
    action);
}

function renderTabs() {
  for (const button of main.querySelectorAll("[data-tab]")) {
    const on = button.dataset.tab === tab;
    button.setAttribute("aria-selected", String(on));
    button.tabIndex = on ? 0 : -1;
    button.querySelector("[data-count]").textContent = String(lists[button.dataset.tab].length);
  }
  staysElement.setAttribute("aria-labelledby", `tab-${tab}`);
}

function renderList() {
  renderTabs();
  const stays = lists[tab];
  staysElement.dataset.view = tab;
  staysElement.replaceChildren(...(stays.length
    ? stays.map((stay) => stayRow(stay, tab))
    : [h("p", { class: "desk-empty" }, t(`no_${tab}`))]));
}

function chooseTab(view) {
  tab = view;
  sessionStorage.setItem("masa.desk.tab", view);
  renderList();
}

async function loadLists() {
  const [arrivals, inHouse, departures] = await Promise.all(
    VIEWS.map((view) => get(`/stays?view=${view}`)));
  Object.assign(lists, { arrivals, in_house: inHouse, departures });
  renderList();
}

/** A folio entry moved a stay's balance: the rows that show it follow. */
function takeBalance(stayId, balance) {
  for (const view of VIEWS) {
    for (const stay of lists[view]) {
      if (stay.stay_id !== stayId) continue;
      if (stay.credit_left !== null && stay.credit_left !== undefined) {
        stay.credit_left += stay.balance - balance;
      }
      stay.balance = balance;
    }
  }
  for (const element of staysElement.querySelectorAll(`.stay-row[data-stay-id="${stayId}"]`)) {
    const stay = lists[tab].find((s) => s.stay_id === stayId);
    if (stay) element.replaceWith(stayRow(stay, tab));
  }
}

// --- the folio ------------------------------------------------------------------------------

function factsOf(data) {
  const facts = [
    h("span", { class: `stay-status status-${data.status}`, dataset: { status: data.status } }, t(`status_${data.status}`)),
    h("span", {}, datesText(data, { nights: true })),
  ];
  if (data.no_post) facts.push(h("span", { class: "stay-flag", dataset: { noPost: "" } }, t("no_post")));
  if (data.credit_limit !== null) {
    facts.push(h("span", { dataset: { creditLimit: data.credit_limit } },
      `${t("credit_limit")} ${money(data.credit_limit)} · ${t("credit_left", { amount: money(Math.max(data.credit_left, 0)) })}`));
  }
  return facts;
}

function invoiceLinks(data) {
  const base = `/api/v1/stays/${data.stay_id}/folio.pdf`;
  const other = (config.languages || ["ro", "en"]).filter((code) => code !== lang);
  return [
    h("a", { class: "button button-secondary button-lg desk-invoice", href: `${base}?lang=${lang}`,
             target: "_blank", rel: "noopener", dataset: { invoice: lang } },
      icon("receipt", 22, "pay"), h("span", {}, t("invoice"))),
    ...other.map((code) => h("a", {
      class: "button button-secondary button-lg desk-invoice-other", href: `${base}?lang=${code}`,
      target: "_blank", rel: "noopener", lang: code, dataset: { invoice: code },
      title: t("invoice_in", { language: t(`language_${code}`) }),
      "aria-label": t("invoice_in", { language: t(`language_${code}`) }),
    }, h("span", {}, `PDF ${code.toUpperCase()}`))),
  ];
}

function renderFolio() {
  const shown = folio && folio.stay_id === selected ? folio : null;
  head.hidden = !shown;
  actions.hidden = !shown;
  none.hidden = Boolean(shown);
  main.dataset.view = selected === null ? "list" : "folio";
  if (!shown) {
    entries.replaceChildren();
    return;
  }
  main.querySelector("[data-folio-title]").textContent = t("room_n", { room: shown.room });
  main.querySelector("[data-folio-guests]").textContent = shown.guests.join(", ");
  main.querySelector("[data-folio-facts]").replaceChildren(...factsOf(shown));
  const balance = main.querySelector("[data-folio-balance]");
  balance.textContent = money(shown.balance);
  balance.dataset.balance = shown.balance;
  main.querySelector("[data-folio-balance-box]").classList.toggle("is-settled", shown.balance === 0);

  const buttons = [];
  if (shown.status === "reserved") {
    buttons.push(h("button", { type: "button", class: "button button-primary button-lg", dataset: { folioCheckIn: "" },
                               onclick: () => checkIn(shown.stay_id, shown.room) },
      icon("check", 22, "pay"), h("span", {}, t("check_in"))));
  }
  if (stillOwed(shown) > 0) {
    buttons.push(h("button", { type: "button", class: `button button-${shown.status === "in_house" ? "primary" : "secondary"} button-lg`,
                               dataset: { settle: "" }, onclick: () => settle() },
      icon("cash", 22, "pay"), h("span", {}, t("settle"))));
  }
  if (shown.status === "in_house") {
    buttons.push(h("button", { type: "button", class: "button button-secondary button-lg", dataset: { addCharge: "" },
                               onclick: () => changeFolio(null) },
      icon("plus", 22, "pay"), h("span", {}, t("add_charge"))));
    buttons.push(h("button", { type: "button", class: `button button-${shown.balance === 0 ? "primary" : "secondary"} button-lg`,
                               dataset: { folioCheckOut: "" }, onclick: () => checkOut(shown.stay_id) },
      icon("signout", 22, "pay"), h("span", {}, t("check_out"))));
  }
  actions.replaceChildren(
    h("div", { class: "desk-actions-main" }, buttons),
    h("div", { class: "desk-actions-invoice" }, invoiceLinks(shown)));

  entries.replaceChildren(...(shown.entries.length
    ? [...shown.entries].reverse().map((entry) => entryElement(entry, {
      t, open: openEntries, fresh: freshEntries.has(entry.id),
      onCorrect: shown.status === "in_house" ? (charge) => changeFolio(charge) : null,
      onResolve: (payment) => resolvePayment(payment) }))
    : [h("p", { class: "desk-empty" }, t("folio_empty"))]));
}

/** A folio as this desk's own action answered it: newer than any read still on its way. */
function takeFolio(data) {
  generation += 1;
  folio = data;
}

async function loadFolio(stayId) {
  const asked = generation;
  const data = await get(`/stays/${stayId}/folio`);
  if (stayId !== selected || asked !== generation) return;
  folio = data;
  takeBalance(data.stay_id, data.balance);
  renderFolio();
}

/** A folio entry arrived for the open stay: read its folio again, once for a burst. */
function folioChanged() {
  clearTimeout(folioTimer);
  const stayId = selected;
  folioTimer = setTimeout(() => {
    loadFolio(stayId).catch((error) => toast(errorText(error), "error"));
  }, 120);
}

function markSelected() {
  for (const element of staysElement.querySelectorAll(".stay-row")) {
    const on = Number(element.dataset.stayId) === selected;
    element.classList.toggle("is-selected", on);
    const opener = element.querySelector(".stay-open");
    if (on) opener.setAttribute("aria-current", "true"); else opener.removeAttribute("aria-current");
  }
}

async function route() {
  const match = /^#\/stay\/(\d+)/.exec(location.hash);
  const stayId = match ? Number(match[1]) : null;
  if (stayId !== selected) {
    openEntries.clear();
    freshEntries.clear();
  }
  selected = stayId;
  markSelected();
  renderFolio();
  if (stayId === null) return;
  try {
    await loadFolio(stayId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      toast(t("no_such_stay"), "warning");
      history.replaceState(null, "", "#/");
      selected = null;
      renderFolio();
      return;
    }
    toast(errorText(error), "error");
  }
}

// --- check-in, settle, check-out --------------------------------------------------------------

async function act(work) {
  if (busy) return; // a double click does one thing
  busy = true;
  try {
    await work();
  } finally {
    busy = false;
  }
}

function checkIn(stayId, room) {
  return act(async () => {
    try {
      const answer = await post(`/stays/${stayId}/check-in`);
      toast(t("checked_in", { room }), "success");
      takeFolio(answer);
      await loadLists();
      if (selected === stayId) renderFolio();
      else location.hash = `#/stay/${stayId}`;
    } catch (error) {
      toast(errorText(error), "error");
    }
  });
}

/** A charge added by hand, or ``charge`` corrected. */
async function changeFolio(charge) {
  if (!folio || folio.stay_id !== selected) return;
  const answer = await addFolioEntry(folio, { t, charge });
  if (!answer) return;
  if (answer.stay_id === selected) takeFolio(answer);
  takeBalance(answer.stay_id, answer.balance);
  renderFolio();
}

async function settle() {
  if (!folio || folio.stay_id !== selected || stillOwed(folio) <= 0) return;
  const room = folio.room;
  const result = await settleFolio(folio, { t });
  if (!result) return;
  const atTerminal = result.folio.entries.some((entry) => entry.status === "pending");
  toast(atTerminal ? t("card_waiting", { amount: money(result.amount), room })
    : t("settled_amount", { amount: money(result.amount), room }), atTerminal ? "info" : "success");
  if (result.folio.stay_id === selected) takeFolio(result.folio);
  takeBalance(result.folio.stay_id, result.folio.balance);
  renderFolio();
}

/** A desk card payment the terminal cannot answer for, settled from its slip. */
async function resolvePayment(payment) {
  if (!folio || folio.stay_id !== selected) return;
  const settled = await askSettle({
    payment, url: `/stays/${folio.stay_id}/entries/${payment.id}/resolve`,
    subtitle: `${t("room_n", { room: folio.room })} · ${money(payment.amount)}` });
  if (!settled) return;
  const answer = settled.state;
  if (answer.stay_id === selected) takeFolio(answer);
  takeBalance(answer.stay_id, answer.balance);
  renderFolio();
}

function checkOut(stayId) {
  return act(async () => {
    try {
      const answer = await post(`/stays/${stayId}/check-out`);
      toast(t("checked_out", { room: answer.room }), "success");
      if (selected === stayId) takeFolio(answer);
      await loadLists();
      renderFolio();
    } catch (error) {
      if (error instanceof ApiError && error.code === "folio_open") {
        if (selected !== stayId) {
          location.hash = `#/stay/${stayId}`;
          await route();
        }
        toast(t("settle_first", { amount: money(folio?.balance ?? 0) }), "warning");
        busy = false;
        await settle();
        return;
      }
      toast(errorText(error), "error");
    }
  });
}

// --- live -------------------------------------------------------------------------------------

/** Another desk checked a stay in or out: the lists (and that folio, if open) follow. */
function stayChanged(data) {
  clearTimeout(listsTimer);
  listsTimer = setTimeout(() => {
    loadLists().catch((error) => toast(errorText(error), "error"));
  }, 120);
  if (data.stay_id === selected) folioChanged();
}

function onEvent(name, data) {
  if (name === "stay") stayChanged(data);
  if (name !== "folio") return;
  takeBalance(data.stay_id, data.balance);
  if (data.stay_id === selected) {
    if (data.kind === "charge") {
      openEntries.add(data.entry_id); // what the guest just signed for, shown whole
      freshEntries.add(data.entry_id);
    }
    folioChanged();
  }
  if (data.kind === "charge") toast(t("new_entry", { room: data.room, amount: money(data.amount) }));
  if (data.kind === "payment" && data.status === "declined") toast(t("card_declined", { room: data.room }), "warning");
  if (data.kind === "payment" && data.status === "unknown") toast(t("card_unknown", { room: data.room }), "warning");
}

async function resync() {
  await loadLists();
  if (selected !== null) folioChanged();
}

async function start() {
  main.querySelector("[data-back]").addEventListener("click", () => { location.hash = "#/"; });
  for (const button of main.querySelectorAll("[data-tab]")) {
    button.addEventListener("click", () => chooseTab(button.dataset.tab));
    button.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = VIEWS[(VIEWS.indexOf(tab) + step + VIEWS.length) % VIEWS.length];
      chooseTab(next);
      main.querySelector(`[data-tab="${next}"]`).focus();
    });
  }
  document.querySelector("[data-sign-out]")?.addEventListener("click", async () => {
    live?.close();
    await signOut().catch(() => {});
    location.assign(signinUrl("/desk"));
  });
  for (let attempt = 0; ; attempt++) {
    try {
      setMoney(await get("/venue"));
      await loadLists();
      break;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        location.assign(signinUrl("/desk"));
        return;
      }
      const text = staysElement.querySelector("[data-loading-text]");
      if (text) text.textContent = t("cannot_reach");
      await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** attempt)));
    }
  }
  window.addEventListener("hashchange", route);
  route();
  live = connectLive("/desk", {
    lastEvent: config.last_event ?? null,
    onEvent,
    onSnapshotNeeded: resync,
    onStatus: setOnline,
    onRefused: () => location.assign(signinUrl("/desk")),
  });
  startIdleSignout();
  window.masaDesk = { lists, get folio() { return folio; } }; // for tests and a technician
}

start();
