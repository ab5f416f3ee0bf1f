// The card terminal's panel: whether a payment is at it, a status check and the end of day,
// each answered in the panel. The server refuses both while a payment holds the terminal
// or when the terminal does not answer, and says why; that reason is shown as it comes.
import { ApiError, api, get } from "../api.js";
import { venueFormat } from "../clock.js";
import { exponentOf, formatMoney } from "../money.js";
import { fill, readStrings } from "../session.js";

const panel = document.querySelector("[data-card-terminal]");
const strings = readStrings();
const words = strings.terminal;
const language = document.documentElement.lang;
const when = venueFormat({ dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });
const buttons = panel ? [...panel.querySelectorAll("[data-terminal-check], [data-terminal-end-of-day]")] : [];
const REFRESH_MS = 20000;
let currency = null;

function answer(text, kind) {
  const box = panel.querySelector("[data-terminal-answer]");
  box.hidden = !text;
  box.textContent = text || "";
  box.dataset.kind = kind;
}

function money(minor) {
  return currency ? formatMoney(minor, currency, exponentOf(currency), language) : String(minor);
}

function showState(terminal) {
  const pill = panel.querySelector("[data-terminal-state]");
  const [state, text] = !terminal.set_up ? ["offline", words.not_running]
    : terminal.busy ? ["busy", words.busy]
      : terminal.awaiting_answer ? ["offline", fill(words.awaiting, { count: terminal.awaiting_answer })]
        : ["online", words.free];
  pill.dataset.state = state;
  pill.textContent = text;
  const last = terminal.last_end_of_day;
  const who = last?.by || words.nobody;
  panel.querySelector("[data-terminal-last]").textContent = !last ? words.never
    : last.ok ? fill(words.last, { when: when.format(new Date(last.at)), who,
                                   total: last.total == null ? "—" : money(last.total) })
      : fill(words.last_failed, { when: when.format(new Date(last.at)), who, reason: last.error || "" });
}

async function refresh() {
  showState(await get("/card-terminal"));
}

/** One request at a time from this panel: both buttons wait for its answer. */
async function ask(path, waiting, timeout, said) {
  for (const button of buttons) button.disabled = true;
  answer(waiting, "info");
  try {
    said(await api("POST", path, {}, { timeout }));
  } catch (error) {
    answer(error instanceof ApiError ? error.message : strings.failed, "error");
  } finally {
    for (const button of buttons) button.disabled = false;
    refresh().catch(() => {});
  }
}

function check() {
  return ask("/card-terminal/check", words.checking, 60000, (report) => {
    if (report.ok) {
      answer(report.software ? fill(words.ready_software, { software: report.software }) : words.ready,
        "success");
    } else {
      answer(fill(words.not_ready, { reason: report.error || "" }), "error");
    }
  });
}

function endOfDay() {
  if (!window.confirm(words.confirm_end_of_day)) return null;
  return ask("/card-terminal/end-of-day", words.ending, 180000, (report) => {
    if (!report.ok) answer(fill(words.not_ended, { reason: report.error || "" }), "error");
    else if (report.total == null) answer(words.ended_no_total, "success");
    else answer(fill(words.ended, { total: money(report.total) }), "success");
  });
}

async function start() {
  panel.querySelector("[data-terminal-check]").addEventListener("click", check);
  panel.querySelector("[data-terminal-end-of-day]").addEventListener("click", endOfDay);
  currency = (await get("/venue")).currency;
  await refresh();
  // A payment at the terminal comes and goes: the state is asked again now and then.
  setInterval(() => { if (!document.hidden) refresh().catch(() => {}); }, REFRESH_MS);
}

if (panel?.querySelector("[data-terminal-check]")) {
  start().catch((error) => answer(error.message || strings.failed, "error"));
}
