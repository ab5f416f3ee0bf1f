// The waiter's tablet: floor plan → check → send. This module loads the snapshots, keeps
// the live connection, routes between the floor and a check (#/check/12 survives a reload),
// and turns taps into API calls; floor.js and order.js draw.
import { unlock as unlockSound } from "../kitchen/sound.js";
import { connectLive } from "../live.js";
import { signinUrl, signOut, startIdleSignout, whoIsSignedIn } from "../session.js";
import { ApiError, NetworkError, get, patch, post } from "../api.js";
import { approve, askGuests, askName, choose, mergeDialog, moveLinesDialog, pickTable } from "./dialogs.js";
import * as drafts from "./drafts.js";
import { FloorView } from "./floor.js";
import { takeWhatIsLeft } from "./item_dialog.js";
import { Menu } from "./menu.js";
import { OrderView, mergeSent } from "./order.js";
import { Outbox } from "./outbox.js";
import { Quoter } from "./quotes.js";
import { ReadyNotices } from "./ready.js";
import { SignInAgain } from "./reauth.js";
import { TimeClock } from "./time_clock.js";
import { stockAmount } from "../stock_amount.js";
import { config, h, icon, lang, money, nameOf, plural, setVenue, strings, t, uuid } from "./util.js";
import { BillsBoard } from "../payments/bills.js";
import { openDialog as openPaymentDialog } from "../payments/dialog.js";
import { announceBills, money as billMoney, setMoney, t as payText } from "../payments/util.js";
import { printPrebill } from "../payments/refund.js";

const me = config.me;
drafts.setOwner(me.id ?? "device"); // before anything reads a draft
const can = config.can || {};
const floorView = document.getElementById("floor-view");
const orderView = document.getElementById("order-view");
const loading = document.getElementById("tablet-loading");
const statusPill = document.getElementById("live-status");
const banner = document.getElementById("offline-banner");
const dayBanner = document.getElementById("day-banner");
const toasts = document.getElementById("toasts");

let menu = null;
let floor = null;
let order = null;
let live = null;
let liveOnline = false;
let routeToken = 0;
let readyNotices = null;
let lastTicketState = null; // the open check's send: none, on its way, or waiting for the Wi-Fi
const ownRequests = new Map(); // check id → requests of ours in flight
const eventVersions = new Map(); // check id → the newest version an event announced
let dayOpen = true; // false once the business day is closed: ordering is locked until one opens
let canPay = false; // the signed-in role takes payment (a bartender, a manager): pay at the table
let canPrintBill = false; // the guests' pre-bill on the till's printer (waiters too)
let permissions = []; // the signed-in person's, for the bills board (print, refund without a PIN)

// --- toasts, status ---------------------------------------------------------------------

function toast(text, kind = "info", { timeout = kind === "success" ? 2600 : 5000 } = {}) {
  const element = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" },
    icon({ success: "check", error: "alert", warning: "alert", info: "info" }[kind] || "info", 20),
    h("span", { class: "toast-text" }, text));
  placeToasts();
  toasts.append(element);
  while (toasts.children.length > 1) toasts.firstElementChild.remove(); // the newest says it
  setTimeout(() => {
    element.classList.add("is-leaving");
    setTimeout(() => element.remove(), 250);
  }, timeout);
  return element;
}

/** Toasts sit in the top bar, clear of its buttons: never over the table's name, the
 * check or Send. A screen too narrow for that gives them the whole bar (they let taps through). */
function placeToasts() {
  const end = document.querySelector(".topbar-end")?.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  const right = end && end.left - 16 > 280 ? width - end.left + 8 : 8;
  toasts.style.setProperty("--toasts-right", `${right}px`);
}
window.addEventListener("resize", placeToasts); // a tablet turned round keeps them clear

function renderStatus() {
  const pending = outbox.pending();
  const offline = !liveOnline || outbox.offline;
  statusPill.dataset.state = offline ? "offline" : "live";
  statusPill.querySelector("[data-status-label]").textContent = offline ? t("offline") : t("live");
  const failing = pending.filter((d) => outbox.isFailing(d.check_id));
  banner.hidden = failing.length === 0 && liveOnline;
  banner.querySelector("[data-banner-text]").textContent = failing.length
    ? plural(strings.offline_pending, failing.length)
    : t("offline_live");
  if (order?.check && isOrderShown()) order.renderActions(drafts.load(order.check.id));
  const state = order?.check ? drafts.load(order.check.id).pending && outbox.isFailing(order.check.id) : null;
  if (order?.check && state !== lastTicketState) {
    lastTicketState = state;
    order.renderTicket();
  }
}

// --- sends -------------------------------------------------------------------------------

const outbox = new Outbox({
  onSent(checkId, result, pending) {
    const count = pending.lines.reduce((n, l) => n + l.quantity, 0);
    if (order?.check?.id === checkId && isOrderShown()) {
      // The answer is what the send changed; a replayed answer (the first one was lost)
      // may be older than what is on screen, and another tablet may have changed the
      // check meanwhile: then the check is loaded again.
      const merged = mergeSent(order.check, result);
      if (merged) order.setCheck(merged);
      else reloadCheck(checkId, { quiet: true });
      const stations = stationList(result);
      toast(stations ? plural(strings.sent_to, count, { stations }) : plural(strings.sent_lines, count), "success");
    } else {
      toast(t("sent_elsewhere", { label: pending.label || t("check_n", { id: checkId }) }), "success");
      if (!isOrderShown()) floor.render();
    }
  },
  onRefused(checkId, error, pending) {
    const label = draftLabel(checkId);
    if (error.status === 404 || error.code === "check_closed") {
      // Nothing can be sent to a check that is gone or paid: say what was not sent.
      const lines = drafts.load(checkId).lines;
      drafts.remove(checkId);
      toast(t("not_sent_closed", { label, items: lines.map((l) => `${l.quantity}× ${nameOf(l.names)}`).join(", ") }),
            "error", { timeout: 15000 });
      floor?.render();
      if (order?.check?.id === checkId && isOrderShown()) location.hash = "#/";
      return;
    }
    if (error.code === "day_closed") {
      // The lines are back in the draft, unmarked: nothing is wrong with them.
      setDayOpen(false);
      toast(t("not_sent_day_closed", { label }), "warning", { timeout: 8000 });
      if (order?.check?.id === checkId) order.renderTicket();
      return;
    }
    markRefusedLines(checkId, error, pending);
    if (error.error?.available > 0 && offerWhatIsLeftAfterRefusal(checkId, error, pending)) return;
    if (error.code === "stale_check") {
      if (order?.check?.id === checkId && isOrderShown()) reloadCheck(checkId, { resend: true });
      else toast(t("not_sent_changed", { label }), "warning", { timeout: 8000 });
    } else {
      toast(`${label}: ${error.message || t("failed")}`, "error", { timeout: 8000 });
      if (order?.check?.id === checkId) order.renderTicket();
    }
  },
  onSignedOut(error) {
    signInAgain.prompt(error); // the send stays in the outbox and goes once the waiter is back
  },
  onChange: () => renderStatus(),
});

// After the same waiter's PIN: the live connection (cut when the sign-in ended) comes back
// and replays what it missed, and waiting sends go out.
const signInAgain = new SignInAgain({
  me,
  onBack: async () => {
    live?.reopen();
    await outbox.flush();
    requote();
    watchIdle();
  },
});

/** Idle: the sign-in ends, and the PIN prompt opens over the order, which stays. */
function watchIdle() {
  startIdleSignout({
    onIdle: async () => { await signOut().catch(() => {}); signInAgain.prompt(); },
    onEnded: (error) => signInAgain.prompt(error),
  });
}

/** Ask again for a quote that could not be had (offline, signed out). */
function requote() {
  if (!order?.check || !isOrderShown() || quoter.state === "fresh" || quoter.state === "none") return;
  quoter.refresh();
  order.renderTicket();
}

function draftLabel(checkId) {
  return drafts.load(checkId).label || t("check_n", { id: checkId });
}

/** "Grill and Bar": the stations a send went to (an answer without them: null). */
function stationList(result) {
  const names = (result?.stations || []).map((s) => nameOf(s.names) || s.code).filter(Boolean);
  if (!names.length) return null;
  try {
    return new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(names);
  } catch {
    return names.join(", ");
  }
}

/** Show the waiter which lines the server refused (86, a missing choice) and why;
 * `pending` is a send (or a quote) whose lines are in request order. */
function markRefusedLines(checkId, error, pending) {
  if (error.code === "stale_check") return;
  const index = /^lines\.(\d+)\./.exec(error.field || "");
  const keys = new Set();
  if (index) keys.add(pending.lines[Number(index[1])]?.key);
  else if (error.code === "86") {
    // "Only 2 × Salmon left" names no line: mark those the menu now says cannot be made.
    const wanted = new Map();
    for (const line of pending.lines) wanted.set(line.item_id, (wanted.get(line.item_id) || 0) + line.quantity);
    for (const line of pending.lines) {
      if (menu.outOf(line.item_id, line.modifier_ids, wanted.get(line.item_id)).length) keys.add(line.key);
    }
  }
  if (!keys.size && pending.lines.length === 1) keys.add(pending.lines[0].key);
  drafts.update(checkId, (draft) => {
    for (const line of draft.lines) if (keys.has(line.key)) line.error = error.message;
  });
}

/** The server had fewer portions than a line asked for (another tablet took some): the
 * waiter may take what is left with one tap, and the order goes again. False: not offered. */
function offerWhatIsLeftAfterRefusal(checkId, error, pending) {
  const index = /^lines\.(\d+)\./.exec(error.field || "");
  const line = index && pending.lines[Number(index[1])];
  if (!line || order?.check?.id !== checkId || !isOrderShown()) return false;
  order.renderTicket();
  takeWhatIsLeft(checkId, [{ line, left: error.error.available }]).then((taken) => {
    order.renderTicket();
    if (taken && order?.check?.id === checkId) sendOrder();
  });
  return true;
}

async function sendOrder() {
  const check = order.check;
  const draft = drafts.load(check.id);
  if (!draft.lines.length || draft.pending) return;
  if (!dayOpen) {
    toast(t("day_closed"), "warning");
    return;
  }
  const blocked = draft.lines.filter((l) => menu.outOf(l.item_id, l.modifier_ids, l.quantity).length);
  if (blocked.length) {
    if (await takeWhatIsLeft(check.id, menu.shortages(blocked))) return sendOrder(); // "take the 2 left"
    toast(t("remove_out_first"), "error");
    order.renderTicket();
    return;
  }
  ownRequests.set(check.id, (ownRequests.get(check.id) || 0) + 1);
  try {
    await outbox.send(check.id, check.version, draft.lines, order.title());
  } finally {
    ownRequests.set(check.id, ownRequests.get(check.id) - 1);
    catchUp(check.id);
  }
}

// --- the check on screen --------------------------------------------------------------

function isOrderShown() {
  return !orderView.hidden;
}

/** Do one write on the open check; the answer is the check, newer. */
async function changeCheck(path, body, { method = post, inDialog = false } = {}) {
  const check = order.check;
  ownRequests.set(check.id, (ownRequests.get(check.id) || 0) + 1);
  try {
    const result = await method(`/checks/${check.id}${path}`, { version: check.version, ...body });
    if (order.check?.id === check.id) order.setCheck(result.check || result);
    return result;
  } catch (error) {
    // A dialog shows its own errors; a stale check is reloaded either way.
    if (!inDialog || (error instanceof ApiError && (error.code === "stale_check" || error.status === 401))) {
      handleError(error, check.id);
    }
    throw error;
  } finally {
    ownRequests.set(check.id, ownRequests.get(check.id) - 1);
    catchUp(check.id);
  }
}

function handleError(error, checkId) {
  if (error instanceof ApiError && error.code === "day_closed") {
    setDayOpen(false);
    toast(t("day_closed"), "warning");
  } else if (error instanceof NetworkError || (error instanceof ApiError && error.retryable)) {
    toast(t("needs_connection"), "error");
  } else if (error instanceof ApiError && error.code === "stale_check") {
    reloadCheck(checkId, { retry: true });
  } else if (error instanceof ApiError && error.status === 401) {
    signInAgain.prompt(error).then(() => reloadCheck(checkId, { quiet: true }));
  } else if (error instanceof ApiError) {
    toast(error.message, "error");
  }
}

/** An event for the open check came while a request of ours was out: look again after. */
function catchUp(checkId) {
  if (ownRequests.get(checkId) > 0 || outbox.busy(checkId)) return;
  const announced = eventVersions.get(checkId);
  if (order?.check?.id === checkId && announced > order.check.version) reloadCheck(checkId);
}

async function reloadCheck(checkId, { quiet = false, resend = false, retry = false, refresh = false } = {}) {
  let fresh;
  try {
    fresh = await get(`/checks/${checkId}`);
  } catch (error) {
    if (!(error instanceof NetworkError)) handleError(error, checkId);
    return;
  }
  if (order.check?.id !== checkId) return;
  const before = order.check;
  if (fresh.version <= before.version && !resend && !retry && !refresh) return;
  order.setCheck(fresh);
  if (fresh.status !== "open") {
    toast(t("check_closed"), "warning", { timeout: 7000 });
    location.hash = "#/";
    return;
  }
  if (quiet) return;
  const ours = new Set(drafts.load(checkId).pending?.lines.map((l) => l.client_id) || []);
  const what = describeChange(before, fresh, ours);
  const text = what.length ? t("changed_elsewhere", { what: what.join(", ") }) : t("check_reloaded");
  const after = resend ? t("send_again") : retry ? t("try_again") : "";
  toast(`${text}${after ? ` ${after}` : ""}`, "warning", { timeout: 7000 });
}

/** What another tablet changed on the check, in a few words. */
function describeChange(before, after, ours = new Set()) {
  const old = new Map(before.lines.map((l) => [l.id, l]));
  const what = [];
  const added = after.lines.filter((l) => !old.has(l.id) && l.status !== "void" && !ours.has(l.client_id));
  if (added.length) {
    what.push(plural(strings.lines_added, added.reduce((n, l) => n + l.quantity, 0)));
  }
  const voided = after.lines.filter((l) => l.status === "void" && old.get(l.id)?.status !== "void" && old.has(l.id));
  if (voided.length) what.push(plural(strings.lines_voided, voided.length));
  const fired = after.courses.filter((c) => c.fired_at
    && !before.courses.find((b) => b.course_id === c.course_id && b.fired_at));
  for (const course of fired) what.push(t("course_fired", { course: menu.courseName(course.course_id) }));
  if (after.guest_count !== before.guest_count) what.push(plural(strings.guests_now, after.guest_count));
  if (after.table_id !== before.table_id && after.table) what.push(t("moved_to", { table: after.table }));
  if (after.server_id !== before.server_id) what.push(t("server_now", { name: after.server }));
  const addedTotal = after.lines.filter((l) => !old.has(l.id)).reduce((sum, l) => sum + l.total, 0);
  if (!what.length && after.totals.total - addedTotal !== before.totals.total) what.push(t("prices_changed"));
  return what;
}

async function openCheck(checkId) {
  const token = ++routeToken;
  showView("order");
  orderView.classList.add("is-loading");
  let check;
  try {
    check = await get(`/checks/${checkId}`);
  } catch (error) {
    if (token !== routeToken) return;
    orderView.classList.remove("is-loading");
    if (error instanceof ApiError && error.status === 404) {
      toast(t("no_such_check"), "error");
      location.hash = "#/";
    } else if (error instanceof ApiError && error.status === 401) {
      signInAgain.prompt(error).then(() => openCheck(checkId));
    } else {
      showNeedsConnection(checkId);
    }
    return;
  }
  if (token !== routeToken) return;
  orderView.classList.remove("is-loading");
  document.getElementById("order-unreachable").hidden = true;
  if (check.status !== "open") {
    toast(t("check_closed"), "warning");
    location.hash = "#/";
    return;
  }
  drafts.update(check.id, (draft) => {
    draft.label = check.kind === "table" ? t("table_n", { name: check.table }) : check.name;
  });
  order.show(check);
}

function showNeedsConnection(checkId) {
  const panel = document.getElementById("order-unreachable");
  panel.hidden = false;
  panel.querySelector("[data-retry]").onclick = () => openCheck(checkId);
}

// --- actions on the check ----------------------------------------------------------------

async function courseAction(courseId, action) {
  try {
    await changeCheck(`/courses/${courseId}/${action}`, {});
    toast(t(`course_${action}_done`, { course: menu.courseName(courseId) }), "success");
  } catch { /* told */ }
}

async function lineAction(line) {
  const choice = await order.lineMenu(line);
  if (!choice) return;
  const name = nameOf(line.names);
  if (choice === "again") {
    repeatLines([line]);
    return;
  }
  const common = { subtitle: `${line.quantity}× ${name}` };
  let result;
  if (choice === "void") {
    result = await approve({
      ...common, title: t("void_title"), verb: t("void"), danger: true, needPin: !can.void,
      reasons: strings.void_reasons, quantityMax: line.quantity,
      submit: (a) => changeCheck(`/lines/${line.id}/void`, clean({ reason: a.reason, quantity: a.quantity, manager_pin: a.manager_pin }), { inDialog: true }),
    });
  } else if (choice === "comp") {
    result = await approve({
      ...common, title: t("comp_title"), verb: t("comp"), needPin: !can.comp, reasons: strings.comp_reasons,
      submit: (a) => changeCheck(`/lines/${line.id}/comp`, clean({ reason: a.reason, manager_pin: a.manager_pin }), { inDialog: true }),
    });
  } else if (choice === "discount") {
    result = await approve({
      ...common, title: t("discount_title"), verb: t("apply_discount"), needPin: !can.discount,
      reasons: strings.discount_reasons, discount: true,
      submit: (a) => changeCheck("/discount", clean({ line_id: line.id, reason: a.reason, percent_bp: a.percent_bp,
                                                       amount: a.amount, manager_pin: a.manager_pin }), { inDialog: true }),
    });
  }
  if (result && !(result instanceof ApiError)) toast(t(`${choice}_done`, { name }), "success");
}

function clean(body) {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== null && v !== ""));
}

/** Copy lines (the last round, or one line) into the new lines, in one tap. */
function repeatLines(lines) {
  const check = order.check;
  if (!dayOpen) {
    toast(t("day_closed"), "warning");
    return;
  }
  const skipped = [];
  drafts.update(check.id, (draft) => {
    for (const line of lines) {
      const item = menu.items.get(line.item_id);
      const modifierIds = line.modifiers.map((m) => m.modifier_id);
      if (!item || menu.outOf(line.item_id, modifierIds, line.quantity).length) {
        skipped.push(nameOf(line.names));
        continue;
      }
      draft.lines.push({
        key: uuid(), client_id: uuid(), item_id: item.id, names: item.names, unit_price: item.price,
        quantity: line.quantity, modifier_ids: modifierIds,
        modifiers: modifierIds.map((id) => {
          const m = menu.modifiers.get(id);
          return { id, names: m?.names || {}, price_delta: m?.price_delta || 0 };
        }),
        seat: line.seat ?? 0,
        course_id: line.course_id === menu.defaultCourse(item) ? null : line.course_id,
        note: line.note || null, error: null,
      });
    }
  });
  order.renderTicket();
  if (skipped.length) toast(t("not_repeated", { names: skipped.join(", ") }), "warning");
}

async function checkMenu() {
  const check = order.check;
  const options = [];
  if (canPay) options.push({ value: "pay", label: t("take_payment"), detail: t("take_payment_hint"), icon: "receipt" });
  if (canPrintBill) options.push({ value: "print_bill", label: payText("print_bill"), icon: "receipt" });
  if (check.kind === "table") {
    options.push({ value: "new_check", label: t("new_check_here"), icon: "plus",
                   disabled: !dayOpen, detail: dayOpen ? null : t("day_closed") });
  }
  options.push({ value: "table", label: t("move_to_table"), icon: "move" });
  options.push({ value: "server", label: t("give_to_server"), icon: "user" });
  options.push({ value: "move_lines", label: t("move_lines"), detail: t("move_lines_hint"), icon: "move-lines" });
  options.push({ value: "merge", label: t("merge_check"), detail: t("merge_hint"), icon: "merge" });
  options.push({ value: "discount", label: t("discount_check"), icon: "percent",
                 detail: can.discount ? null : t("needs_manager") });
  const choice = await choose({ title: order.title(), subtitle: t("check_n", { id: check.id }), options });
  if (choice === "pay") {
    await payAtTable();
  } else if (choice === "print_bill") {
    await printBillAtTable();
  } else if (choice === "new_check") {
    const guests = await askGuests({ title: t("how_many_guests"), subtitle: order.title() });
    if (guests) await openNewCheck({ kind: "table", table_id: check.table_id, guest_count: guests });
  } else if (choice === "table") {
    const tableId = await pickTable({ title: t("move_to_table"), floors: floor.floorsForPicker(),
                                      currentTableId: check.table_id });
    if (!tableId) return;
    try {
      const result = await changeCheck("/transfer", { table_id: tableId });
      toast(t("moved_to", { table: result.table }), "success");
    } catch { /* told */ }
  } else if (choice === "server") {
    const serverId = await choose({
      title: t("give_to_server"),
      options: config.servers.map((s) => ({ value: s.id, label: s.name, icon: "user",
                                            disabled: s.id === check.server_id,
                                            aside: s.id === me.id ? t("you") : null })),
    });
    if (!serverId) return;
    try {
      const result = await changeCheck("/transfer", { server_id: serverId });
      toast(t("server_now", { name: result.server }), "success");
    } catch { /* told */ }
  } else if (choice === "move_lines") {
    await moveLines();
  } else if (choice === "merge") {
    await mergeCheck();
  } else if (choice === "discount") {
    const result = await approve({
      title: t("discount_check"), subtitle: order.title(), verb: t("apply_discount"), needPin: !can.discount,
      reasons: strings.discount_reasons, discount: true,
      submit: (a) => changeCheck("/discount", clean({ reason: a.reason, percent_bp: a.percent_bp, amount: a.amount,
                                                      manager_pin: a.manager_pin }), { inDialog: true }),
    });
    if (result && !(result instanceof ApiError)) toast(t("discount_check_done"), "success");
  }
}

// --- the pre-bill, from the check menu --------------------------------------------------------

/** The guests' bill on the till's printer: the only unpaid bill, or the one chosen when
 * the check is split. The cashier's list shows "bill printed" from the bills event. */
async function printBillAtTable() {
  const check = order.check;
  try {
    const state = await get(`/checks/${check.id}/bills`);
    const open = state.bills.filter((b) => !b.paid && b.due > 0);
    if (!open.length) return;
    const number = open.length === 1 ? open[0].number : await choose({
      title: payText("print_bill"), subtitle: order.title(),
      options: open.map((b) => ({ value: b.number, label: payText("bill_n", { n: b.number }), icon: "receipt",
                                  detail: b.seat ? payText("seat_n", { n: b.seat }) : null,
                                  aside: billMoney(b.due) })),
    });
    if (!number) return;
    toast(await printPrebill(check.id, number), "success");
  } catch (error) {
    toast(error instanceof ApiError ? error.message : t("cannot_reach"), "error");
  }
}

// --- pay at the table (a role that takes payment) ---------------------------------------------

/** The check's bills in a dialog, split and paid as at the cashier (static/js/payments/).
 * A paid check closes: the tablet goes back to the floor, where the table shows paid. */
async function payAtTable() {
  const check = order.check;
  const title = order.title();
  const root = h("div", { class: "table-bills" });
  let paid = null;
  const dialog = openPaymentDialog({ title, className: "dlg-bills", body: root });
  const board = new BillsBoard(root, {
    can: permissions,
    onNotice: (text) => toast(text, "success"),
    title: () => title,
    onClosed: (state) => { paid = state; dialog.close(state); },
    onError: (error, text) => toast(text, "error"),
  });
  ownRequests.set(check.id, (ownRequests.get(check.id) || 0) + 1); // its events are ours
  try {
    await board.load(check.id);
    await dialog.result;
  } catch (error) {
    dialog.close(null);
    handleError(error, check.id);
  } finally {
    board.destroy();
    ownRequests.set(check.id, ownRequests.get(check.id) - 1);
  }
  if (paid) {
    toast(t("check_paid", { label: title }), "success");
    if (order.check?.id === check.id) location.hash = "#/";
  } else if (order.check?.id === check.id && isOrderShown()) {
    reloadCheck(check.id, { quiet: true });
  }
}

// --- moving lines to another check, merging another check into this one ----------------------

/** Open checks other than this one: by table, floor by floor as the plan shows them, then
 * bar tabs and take-aways (for the check pickers). */
async function otherChecks(except) {
  const summaries = (await get("/checks")).filter((c) => c.id !== except.id);
  const byTable = new Map();
  for (const summary of summaries) {
    if (summary.table_id === null) continue;
    if (!byTable.has(summary.table_id)) byTable.set(summary.table_id, []);
    byTable.get(summary.table_id).push(summary);
  }
  const option = (summary, title) => ({
    id: summary.id, title, label: t("check_n", { id: summary.id }), total: summary.total,
    detail: [plural(strings.guests_n, summary.guest_count),
             config.servers.find((s) => s.id === summary.server_id)?.name.replace(/ /g, "\u00a0")] // one name, one line
      .filter(Boolean).join(" · "),
  });
  const groups = floor.floorsForPicker().map((f) => ({
    title: nameOf(f.names),
    cards: f.tables.filter((table) => byTable.has(table.id)).map((table) => {
      const title = t("table_n", { name: table.name });
      return { key: table.id, title, badge: table.name, state: table.state,
               note: table.id === except.table_id ? t("this_table") : t(`state_${table.state}`),
               checks: byTable.get(table.id).map((summary) => option(summary, title)) };
    }),
  }));
  groups.push({
    title: t("tabs_title"),
    cards: summaries.filter((c) => c.table_id === null).map((summary) => {
      const title = summary.name || t(`kind_${summary.kind}`);
      return { key: `tab-${summary.id}`, title, icon: summary.kind === "take_away" ? "bag" : "glass",
               note: t(`kind_${summary.kind}`), checks: [option(summary, title)] };
    }),
  });
  return groups;
}

/** Some of this check's lines go to another check, or to a new one on a table. */
async function moveLines() {
  const check = order.check;
  const lines = check.lines.filter((l) => l.status !== "void"); // local, unsent lines are not here
  if (!lines.length) {
    toast(t("nothing_to_move"), "warning");
    return;
  }
  const draft = drafts.load(check.id);
  const newChecks = [];
  if (dayOpen) { // a closed business day opens no check
    if (check.kind === "table") newChecks.push({ value: "here", label: t("new_check_here"), icon: "plus" });
    newChecks.push({ value: "table", label: t("new_check_other_table"), icon: "floor" });
  }
  const result = await moveLinesDialog({
    source: check, sourceTitle: order.title(), lines,
    unsent: draft.lines.length + (draft.pending?.lines.length || 0),
    courseName: (id) => menu.courseName(id),
    loadTargets: () => otherChecks(check),
    loadCheck: (id) => get(`/checks/${id}`),
    newChecks,
    pickNewCheck: async (value) => {
      const tableId = value === "here" ? check.table_id
        : await pickTable({ title: t("new_check_other_table"), floors: floor.floorsForPicker(),
                            currentTableId: check.table_id });
      if (!tableId) return null;
      const title = t("table_n", { name: floor.tableById(tableId)?.name ?? tableId });
      const guests = await askGuests({ title: t("how_many_guests"), subtitle: title });
      if (!guests) return null;
      return { table_id: tableId, guests, client_id: uuid(), title,
               detail: `${t("new_check")} · ${plural(strings.guests_n, guests)}` };
    },
    submit: async ({ lineIds, target }) => {
      await submitMove(check, lineIds, target);
      return { count: lineIds.length, title: target.title };
    },
  });
  if (result && !(result instanceof ApiError)) {
    toast(t("lines_moved", { count: result.count, label: result.title }), "success");
  }
}

/** POST move-lines with the versions the waiter saw; a new check is opened first. */
async function submitMove(source, lineIds, target) {
  ownRequests.set(source.id, (ownRequests.get(source.id) || 0) + 1);
  let created = null;
  try {
    let to = target.check;
    if (target.isNew) {
      created = await post("/checks", { client_id: target.client_id, kind: "table", table_id: target.table_id,
                                        guest_count: target.guests });
      to = created;
    }
    const result = await post(`/checks/${source.id}/move-lines`, {
      version: source.version, line_ids: lineIds, to_check_id: to.id, to_version: to.version });
    if (order.check?.id === source.id) order.setCheck(result.source);
    return result;
  } catch (error) {
    if (created && error instanceof ApiError) {
      // Refused, so nothing moved: the check opened for it goes away again.
      post(`/checks/${created.id}/cancel`, { version: created.version }).catch(() => {});
      target.client_id = uuid();
    }
    moveFailed(error, source.id);
    throw error;
  } finally {
    ownRequests.set(source.id, ownRequests.get(source.id) - 1);
    catchUp(source.id);
  }
}

/** Everything on another check comes onto this one (its guests too). */
async function mergeCheck() {
  const check = order.check;
  const intoTitle = order.title();
  const result = await mergeDialog({
    into: check, intoTitle,
    courseName: (id) => menu.courseName(id),
    loadTargets: () => otherChecks(check),
    loadCheck: (id) => get(`/checks/${id}`),
    submit: async (other, title) => {
      ownRequests.set(check.id, (ownRequests.get(check.id) || 0) + 1);
      try {
        const merged = await post(`/checks/${check.id}/merge`, {
          version: check.version, from_check_id: other.id, from_version: other.version });
        if (order.check?.id === check.id) order.setCheck(merged);
        carryUnsentLines(other.id, check.id);
        return { title };
      } catch (error) {
        moveFailed(error, check.id);
        throw error;
      } finally {
        ownRequests.set(check.id, ownRequests.get(check.id) - 1);
        catchUp(check.id);
      }
    },
  });
  if (result && !(result instanceof ApiError)) toast(t("merged_done", { label: result.title }), "success");
}

/** Lines tapped on this tablet for a check that is merged away follow it, still unsent. */
function carryUnsentLines(fromId, toId) {
  const left = drafts.load(fromId);
  if (!left.lines.length) return;
  drafts.update(toId, (draft) => { draft.lines.push(...left.lines); });
  drafts.update(fromId, (draft) => { draft.lines = []; });
  if (order.check?.id === toId) order.renderTicket();
}

/** A stale check (either of the two) is reloaded and the waiter told; the dialog shows the rest. */
function moveFailed(error, checkId) {
  if (error instanceof ApiError && error.code === "stale_check") {
    reloadCheck(checkId, { quiet: true });
    toast(t("stale_move"), "warning", { timeout: 8000 });
  } else if (error instanceof ApiError && error.status === 401) {
    handleError(error, checkId);
  }
}

async function changeGuests() {
  const check = order.check;
  const guests = await askGuests({ title: t("how_many_guests"), subtitle: order.title(), current: check.guest_count });
  if (!guests || guests === check.guest_count) return;
  try {
    await changeCheck("", { guest_count: guests }, { method: patch });
  } catch { /* told */ }
}

// --- the floor -------------------------------------------------------------------------

async function openNewCheck(body) {
  if (!dayOpen) {
    toast(t("day_closed"), "warning");
    return;
  }
  const clientId = uuid();
  try {
    const check = await post("/checks", { client_id: clientId, ...body });
    location.hash = `#/check/${check.id}`;
  } catch (error) {
    handleError(error, null);
  }
}

async function tapTable(table) {
  if (!table) return;
  if ((table.state === "paid" || table.state === "needs_clearing") && !table.checks.length) {
    // Paid, the guests still there: they leave (it needs clearing), then it is cleared.
    const choice = await choose({
      title: t("table_n", { name: table.name }), subtitle: t(`state_${table.state}`),
      options: [
        table.state === "paid" ? { value: "guests-left", label: t("guests_left"), icon: "signout" } : null,
        { value: "clear", label: t("clear_table"), icon: "sparkle" },
        { value: "seat", label: t("seat_guests"), icon: "user" },
      ].filter(Boolean),
    });
    if (choice === "guests-left" || choice === "clear") {
      try {
        const result = await post(`/tables/${table.id}/${choice}`, {});
        floor.updateTable({ table_id: table.id, ...result });
      } catch (error) { handleError(error, null); }
      return;
    }
    if (choice !== "seat") return;
  }
  if (!table.checks.length) {
    if (!dayOpen) {
      toast(t("day_closed"), "warning");
      return;
    }
    const guests = await askGuests({ title: t("how_many_guests"), subtitle: t("table_n", { name: table.name }) });
    if (guests) await openNewCheck({ kind: "table", table_id: table.id, guest_count: guests });
    return;
  }
  if (table.checks.length === 1) {
    location.hash = `#/check/${table.checks[0]}`;
    return;
  }
  let summaries = [];
  try {
    summaries = await get(`/checks?table_id=${table.id}`);
  } catch (error) {
    handleError(error, null);
    return;
  }
  const choice = await choose({
    title: t("table_n", { name: table.name }), subtitle: t("choose_check"),
    options: [
      ...summaries.map((c) => ({ value: c.id, label: t("check_n", { id: c.id }), icon: "receipt",
                                 detail: `${plural(strings.guests_n, c.guest_count)} · ${config.servers.find((s) => s.id === c.server_id)?.name || ""}`,
                                 aside: money(c.total) })),
      { value: "new", label: t("new_check_here"), icon: "plus" },
    ],
  });
  if (choice === "new") {
    const guests = await askGuests({ title: t("how_many_guests"), subtitle: t("table_n", { name: table.name }) });
    if (guests) await openNewCheck({ kind: "table", table_id: table.id, guest_count: guests });
  } else if (choice) {
    location.hash = `#/check/${choice}`;
  }
}

async function newTab(kind) {
  if (!dayOpen) {
    toast(t("day_closed"), "warning");
    return;
  }
  const name = await askName({ title: t(`new_${kind}`), label: t("tab_name"), placeholder: t("tab_name_hint") });
  if (name) await openNewCheck({ kind, name, guest_count: 1 });
}

// --- routing -------------------------------------------------------------------------------

function showView(which) {
  floorView.hidden = which !== "floor";
  orderView.hidden = which !== "order";
  document.body.dataset.view = which;
}

function route() {
  const match = /^#\/check\/(\d+)/.exec(location.hash);
  if (match) {
    openCheck(Number(match[1]));
  } else {
    routeToken++;
    const left = order?.check;
    if (order) order.check = null;
    quoter.forget(); // no quote for a check no longer on screen
    showView("floor");
    floor.render();
    const unsent = left ? drafts.load(left.id).lines.reduce((n, l) => n + l.quantity, 0) : 0;
    if (unsent) toast(t("left_unsent", { label: draftLabel(left.id), count: unsent }), "warning");
  }
}

// --- live --------------------------------------------------------------------------------

function onEvent(name, data) {
  if (name === "table") {
    floor.updateTable(data);
    readyNotices?.tableChanged(data);
  } else if (name === "ready") {
    readyNotices.show(data);
  } else if (name === "course") {
    readyNotices?.courseChanged(data);
    if (order?.check && isOrderShown()) order.courseChanged(data); // the kitchen moved it along
  } else if (name === "check") {
    eventVersions.set(data.id, Math.max(eventVersions.get(data.id) || 0, data.version));
    if (data.table_id === null) refreshTab(data);
    if (order?.check?.id === data.id && isOrderShown() && data.version !== order.check.version) {
      if (ownRequests.get(data.id) > 0 || outbox.busy(data.id)) return; // ours: the answer is coming
      if (data.version > order.check.version) reloadCheck(data.id);
    }
  } else if (name === "bills") {
    announceBills(data); // a bills dialog open here, a card payment waiting for its terminal
  } else if (name === "business_day") {
    setDayOpen(data.open === true, { tell: true });
  } else if (name === "layout") {
    floor.layoutChanged(data); // the floor editor moved, renamed, added or removed a table
  } else if (name === "section") {
    const change = floor.sectionChanged(data);
    if (change) toast(t(change === "added" ? "section_added" : "section_removed", { section: data.name }), "info");
  } else if (name === "venue") {
    venueChanged(data);
  } else if (name === "menu") { // the back office changed the menu: patch it, or re-read it
    if (data.reload) resync();
    else menu.applyChange(data);
    if (!data.reload && order?.check && isOrderShown()) order.renderAll();
  } else if (name === "alert") {
    managerAlert(data); // sent to managers' tablets only
  } else if (name === "availability") {
    const thing = menu.setAvailability(data);
    if (thing && isOrderShown()) order.availabilityChanged(data.kind);
    if (thing && data.kind === "item" && !data.available && isOrderShown() && order.check
        && drafts.load(order.check.id).lines.some((l) => l.item_id === data.id)) {
      toast(t("item_out", { name: nameOf(thing.names) }), "warning");
    }
  }
}

/** What the back office is told reaches a manager's tablet too, as a warning: stock below
 * its reorder point, many wrong PINs. An alert that clears itself says nothing. */
function managerAlert(alert) {
  if (alert.cleared_at) return;
  const m = alert.message || {};
  if (alert.kind === "low_stock") {
    toast(t("low_stock", { ingredient: nameOf(m.ingredient || {}),
                           quantity: stockAmount(m.quantity, m.unit, lang),
                           reorder_point: stockAmount(m.reorder_point, m.unit, lang) }),
          "warning", { timeout: 10_000 });
  } else if ("failures" in m) {
    toast(t("many_wrong_pins", m), "warning", { timeout: 10_000 });
  }
}

async function refreshTab(data) {
  if (data.status !== "open") {
    floor.removeTab(data.id);
    return;
  }
  try {
    const check = await get(`/checks/${data.id}`);
    floor.updateTab({ id: check.id, kind: check.kind, name: check.name, status: check.status,
                      total: check.totals.total, guest_count: check.guest_count, server_id: check.server_id });
  } catch { /* the next snapshot has it */ }
}

async function loadSnapshot() {
  const [floorData, menuData, checks] = await Promise.all([get("/floor"), get("/menu"), get("/checks")]);
  if (menu) menu.load(menuData);
  else {
    menu = new Menu(menuData);
    // A menu schedule starts or ends (happy hour): prices and tiles follow, no reload.
    menu.watchSchedules(() => { if (order?.check && isOrderShown()) order.renderAll(); });
  }
  // {id, open} or null (no day open); a server that does not say leaves ordering as it is.
  if ("business_day" in floorData) setDayOpen(floorData.business_day?.open === true);
  floor.load(floorData);
  floor.setTabs(checks);
  return Math.min(floorData.last_event, menuData.last_event);
}

async function resync() {
  const lastEvent = await loadSnapshot();
  if (order?.check && isOrderShown()) {
    order.renderAll();
    reloadCheck(order.check.id, { quiet: true });
  }
  return lastEvent;
}

// --- the business day, the venue's settings ------------------------------------------------

/** A closed business day locks ordering (send, adding items, opening checks) until one opens. */
function setDayOpen(open, { tell = false } = {}) {
  const changed = open !== dayOpen;
  dayOpen = open;
  document.body.classList.toggle("is-day-closed", !open);
  dayBanner.hidden = open;
  floor?.setLocked(!open);
  if (!changed) return;
  if (order?.check && isOrderShown()) {
    if (open) quoter.refresh(); // a quote refused while the day was closed is asked again
    order.renderItems();
    order.renderTicket();
  }
  // A close is said by the banner itself (a toast would lie on top of it).
  if (tell && open) toast(t("day_opened"), "success", { timeout: 7000 });
}

/** A `venue` event carries the settings that changed: money is shown and quoted again. */
async function venueChanged(changes) {
  if ("waiters_see_all_sections" in changes) floor.setSeeAll(changes.waiters_see_all_sections);
  setVenue(changes); // the limits above which a line is confirmed, among others
  if (!["currency", "locale", "tax_mode", "currency_exponent"].some((key) => key in changes)) return;
  try {
    const venue = await get("/venue"); // the currency's exponent as the server counts it
    setVenue(venue);
    setMoney(venue);
  } catch { /* what the event said stands */ }
  quoter.refresh();
  floor.render();
  if (order?.check && isOrderShown()) {
    order.renderAll();
    reloadCheck(order.check.id, { quiet: true, refresh: true }); // totals in the new tax mode
  }
}

/** The server would not price the unsent lines: say which line, or why. */
function quoteRefused(checkId, error, lines) {
  if (error.code === "day_closed") {
    setDayOpen(false);
  } else if (error.status === 404 || error.code === "check_closed") {
    if (order?.check?.id === checkId && isOrderShown()) reloadCheck(checkId, { refresh: true });
  } else if (error.status !== 401 && error.status !== 403 && error.status !== 429) {
    markRefusedLines(checkId, error, { lines });
    if (order?.check?.id === checkId && isOrderShown()) order.renderTicket();
  }
}

const quoter = new Quoter({
  onChange: () => { if (order?.check && isOrderShown()) order.quoteChanged(); },
  onRefused: quoteRefused,
});

// --- start ---------------------------------------------------------------------------------

async function start() {
  drafts.whenStorageFails(() => toast(t("storage_failed"), "error", { timeout: 10000 }));
  floor = new FloorView(floorView, {
    me,
    onTable: tapTable,
    onTab: (id) => { location.hash = `#/check/${id}`; },
    onNewTab: newTab,
  });
  let lastEvent;
  for (let attempt = 0; ; attempt++) {
    try {
      const venue = await get("/venue");
      setVenue(venue);
      setMoney(venue);
      lastEvent = await loadSnapshot();
      break;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        await signInAgain.prompt(error);
        continue;
      }
      loading.querySelector("[data-loading-text]").textContent = t("cannot_reach");
      await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** attempt)));
    }
  }
  order = new OrderView(orderView, {
    menu, outbox, quoter, can, toast,
    locked: () => !dayOpen,
    onSend: sendOrder,
    onCourse: courseAction,
    onLineAction: lineAction,
    onRepeat: () => repeatLines(order.lastRound()),
  });
  document.querySelector("[data-back]").addEventListener("click", () => { location.hash = "#/"; });
  document.querySelector("[data-change-guests]").addEventListener("click", changeGuests);
  document.querySelector("[data-check-menu]").addEventListener("click", checkMenu);
  loading.hidden = true;
  window.addEventListener("hashchange", route);
  route();

  readyNotices = new ReadyNotices({ toast, onOpen: (checkId) => { location.hash = `#/check/${checkId}`; } });
  readyNotices.restore();
  // Browsers play sound only after a touch: the waiter's first tap turns the chime on.
  window.addEventListener("pointerdown", unlockSound, { capture: true, passive: true });

  live = connectLive("/floor", {
    lastEvent,
    onEvent,
    onSnapshotNeeded: resync,
    onStatus: (online) => {
      liveOnline = online;
      renderStatus();
      if (online) {
        outbox.flush();
        requote();
      }
    },
    onRefused: (error) => signInAgain.prompt(error),
  });
  outbox.start();
  renderStatus();
  watchIdle();
  whoIsSignedIn().then((session) => {
    canPay = Boolean(session?.permissions?.includes("cashier.pay"));
    canPrintBill = Boolean(session?.permissions?.includes("cashier.print_bill"));
    permissions = session?.permissions || [];
  }).catch(() => {});
  const timeClock = new TimeClock(document.querySelector("[data-person-menu]"), { me, toast });
  timeClock.refresh().catch(() => {}); // in or on a break: a dot on the chip
  document.querySelector("[data-sign-out]")?.addEventListener("click", async () => {
    live?.close();
    await signOut().catch(() => {});
    location.assign(signinUrl("/tablet"));
  });
  window.masaTablet = { outbox, drafts, readyNotices, signInAgain, quoter }; // for tests and a technician
}

start();
