// The kitchen display screen: loads the station's tickets, follows the /kitchen socket
// (a reconnect replays what was missed; only a gap too old reloads the list), and drives
// the board by touch and by a bump bar or keyboard.
// The board's own module (expo's or a station's, preloaded by the page) is imported when
// the screen starts: a screen loads only the one it shows.
import { connectLive } from "../live.js";
import { signinUrl, signOut, startIdleSignout } from "../session.js";
import { ApiError, getSnapshot } from "./api.js";
import { isMuted, setMuted, soundReady, unlock } from "./sound.js";
import { clockNow, config, h, icon, placeOf, t } from "./util.js";

const MUTE_KEY = "masa.kitchen.muted";
const station = config.station;
const statusPill = document.getElementById("live-status");
const toasts = document.getElementById("kds-toasts");
const alertsBar = document.getElementById("kds-alerts");
const loading = document.getElementById("kds-loading");
const soundButton = document.querySelector("[data-sound]");
const clockElement = document.querySelector("[data-clock]");
const alerts = new Map(); // subject → the alert's data

let board;
let live = null;

// --- toasts, alerts, status ------------------------------------------------------------

function toast(text, kind = "info", { timeout = kind === "error" ? 6000 : 3000 } = {}) {
  const element = h("div", { class: `kds-toast is-${kind}`, role: kind === "error" ? "alert" : "status" },
    icon(kind === "success" ? "check" : "alert", 22), h("span", {}, text));
  toasts.append(element);
  while (toasts.children.length > 3) toasts.firstElementChild.remove();
  setTimeout(() => element.remove(), timeout);
}

/** A document that is not a ticket (a receipt, a report) failing is the till's news, not the cooks'. */
function forTheKitchen(alert) {
  const message = alert?.message || {};
  return message.key !== "print_job_failed" || message.ticket != null;
}

/** "Printer “Grill” is offline — tickets are going to “Bar”." in the screen's language. */
function alertText(data) {
  const message = data?.message || {};
  if (message.key === "print_job_failed") {
    const ticket = board.tickets.get(message.ticket);
    const place = ticket ? t(ticket.table ? "table_n" : "tab_n", { name: placeOf(ticket) }) : `#${message.ticket}`;
    return t("alert_job_failed", { place });
  }
  if (message.printer && message.backup) return t("alert_printer_backup", message);
  if (message.printer) return t("alert_printer_down", message);
  return t("alert_generic");
}

function renderAlerts() {
  alertsBar.replaceChildren(...[...alerts.entries()].map(([subject, data]) => h("div", {
    class: `kds-alert${data.message?.backup ? " is-warning" : ""}`, dataset: { alert: subject },
  },
  icon("printer", 26),
  h("span", { class: "kds-alert-text" }, alertText(data)),
  h("button", { type: "button", class: "kds-alert-close", "aria-label": t("close"),
                onclick: () => { alerts.delete(subject); renderAlerts(); } }, icon("close", 24)))));
  alertsBar.hidden = alerts.size === 0;
}

function alertKey(data) {
  return String(data?.subject ?? data?.id ?? "");
}

function setLive(online) {
  statusPill.dataset.state = online ? "live" : "offline";
  statusPill.querySelector("[data-status-label]").textContent = online ? t("live") : t("offline");
  document.body.classList.toggle("is-offline", !online);
}

function renderSound() {
  const state = isMuted() ? "off" : soundReady() ? "on" : "locked";
  soundButton.dataset.state = state;
  soundButton.setAttribute("aria-pressed", String(state === "on"));
  soundButton.querySelector("[data-sound-label]").textContent = t(`sound_${state}`);
  soundButton.querySelector("use").setAttribute("href", `#k-${state === "on" ? "sound" : "mute"}`);
}

// --- the snapshot and the live connection -----------------------------------------------

async function loadSnapshot() {
  // The first one was asked for as the page opened (kitchen/index.html preloads it).
  const data = await getSnapshot(`/kitchen/${encodeURIComponent(station.code)}`);
  performance.mark("kds:snapshot"); // for the benchmark (bench/kitchen.py) and a technician
  board.setStation?.(data.station);
  board.load(data.tickets);
  performance.mark("kds:board");
  for (const alert of (data.alerts || []).filter(forTheKitchen)) alerts.set(alertKey(alert), alert);
  renderAlerts();
  return data.last_event;
}

function onEvent(name, data) {
  if (name === "ticket") board.update(data);
  else if (name === "course_complete") board.courseComplete?.(data);
  else if (name === "station_timing") board.stationTiming?.(data);
  else if (name === "ready") board.ready?.(data);
  else if (name === "served") board.served?.(data);
  else if (name === "alert" && forTheKitchen(data)) {
    alerts.set(alertKey(data), data);
    renderAlerts();
  } else if (name === "alert_cleared") {
    alerts.delete(alertKey(data));
    renderAlerts();
  }
}

/** A request that failed: signed out → the PIN pad; refused → its reason; no network → say so. */
function failed(error) {
  if (error instanceof ApiError && error.status === 401) return toSignin();
  toast(error instanceof ApiError ? error.message : t("needs_connection"), "error");
}

/** Signed out: a cook to the PIN pad; a paired screen that was revoked asks to be paired. */
function toSignin() {
  if (config.paired) location.reload();
  else location.assign(signinUrl(location.pathname));
}

// --- keys: a bump bar is a keyboard ---------------------------------------------------------
// 1–9 select a card of the page shown; ← → move the selection to the card before or after
// (the neighbouring column), ↑ ↓ to the card above or below in its column (past the page's
// edge, onto the next page; they first scroll a selected ticket taller than the board);
// Enter or Space bumps (expo: calls ready); R recalls the last bumped; PageDown / PageUp
// turn the pages (README: "Kitchen screens and printers").

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest?.("input, textarea, select, dialog")) return;
  const key = event.key;
  let handled = true;
  if (/^[1-9]$/.test(key)) board.selectIndex(Number(key) - 1);
  else if (key === "Enter" || key === " " || key === "Spacebar") board.bumpSelected();
  else if (key === "r" || key === "R") board.recallLast();
  else if (key === "ArrowLeft") board.move(-1);
  else if (key === "ArrowRight") board.move(1);
  else if (key === "ArrowUp") board.scrollSelected(-1) || board.moveInColumn(-1);
  else if (key === "ArrowDown") board.scrollSelected(1) || board.moveInColumn(1);
  else if (key === "PageDown") board.turnPage(1);
  else if (key === "PageUp") board.turnPage(-1);
  else handled = false;
  if (handled) event.preventDefault();
}

// --- start -----------------------------------------------------------------------------------

async function start() {
  const common = { board: document.getElementById("kds-board"), pager: document.getElementById("kds-pager"),
                   counts: document.querySelector("[data-counts]"), canBump: config.can_bump, toast, onError: failed };
  if (station.is_expo) {
    const { ExpoBoard } = await import("./expo.js");
    board = new ExpoBoard({ ...common, side: document.getElementById("kds-pass"), stations: config.stations });
  } else {
    const { StationBoard } = await import("./board.js");
    board = new StationBoard({ ...common, allDay: document.getElementById("kds-allday"),
                               recall: document.getElementById("kds-recall") });
  }
  let lastEvent;
  for (let attempt = 0; ; attempt++) {
    try {
      lastEvent = await loadSnapshot();
      break;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return toSignin();
      loading.querySelector("[data-loading-text]").textContent = t("cannot_reach");
      await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** attempt)));
    }
  }
  loading.hidden = true;
  // After the board: reading the storage the first time waits on the browser.
  setMuted(localStorage.getItem(MUTE_KEY) === "1");
  renderSound();

  live = connectLive("/kitchen", {
    lastEvent,
    auth: { station: station.code },
    onEvent,
    onSnapshotNeeded: loadSnapshot,
    onStatus: setLive,
    onRefused: toSignin,
  });

  setInterval(() => {
    board.tick();
    clockElement.textContent = clockNow();
  }, 1000);
  clockElement.textContent = clockNow();

  document.addEventListener("keydown", onKey);
  // Audio may start only after a touch or a key: the first one turns the sound on.
  const wake = () => {
    if (!isMuted()) unlock();
    setTimeout(renderSound, 100);
  };
  window.addEventListener("pointerdown", wake, { capture: true });
  window.addEventListener("keydown", wake, { capture: true });
  soundButton.addEventListener("click", () => {
    const state = soundButton.dataset.state;
    setMuted(state === "on");
    localStorage.setItem(MUTE_KEY, isMuted() ? "1" : "0");
    if (!isMuted()) unlock();
    setTimeout(renderSound, 100);
    renderSound();
  });

  if (config.me?.staff_id) {
    // A cook signed in by PIN is signed out when idle; a paired screen then shows on as itself.
    startIdleSignout({ onIdle: () => (config.paired ? location.reload() : toSignin()) });
  }
  document.querySelector("[data-sign-out]")?.addEventListener("click", async () => {
    live?.close();
    await signOut().catch(() => {});
    if (config.paired) location.reload(); else toSignin();
  });
  window.masaKitchen = { board }; // for the browser tests and a technician's console
}

start();
