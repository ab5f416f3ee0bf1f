// The signed-in person's own time clock, from the chip with their name in the top bar:
// where they stand (in, on a break, out), and one tap to clock in, take or end a break, or
// clock out (POST /api/v1/time-clock/me/*). A paired tablet with nobody signed in has no
// clock (the server says not_a_person): the chip then opens nothing.
import { ApiError, get, post } from "../api.js";
import { choose } from "./dialogs.js";
import { clock, t, uuid } from "./util.js";

const ACTIONS = {
  "clock-in": { label: "clock_in", icon: "check", done: "clocked_in_at" },
  "break-start": { label: "break_start", icon: "pause", done: "break_started_at" },
  "break-end": { label: "break_end", icon: "check", done: "break_ended_at" },
  "clock-out": { label: "clock_out", icon: "close", done: "clocked_out_at" },
};

/** "in", "break" or "out", from GET /time-clock/me. */
export function clockStateOf(state) {
  if (!state?.clocked_in_since) return "out";
  return state.on_break_since ? "break" : "in";
}

function stateText(state) {
  const where = clockStateOf(state);
  if (where === "break") return t("on_break_since", { time: clock(state.on_break_since) });
  if (where === "in") return t("clocked_in_since", { time: clock(state.clocked_in_since) });
  return t("not_clocked_in");
}

function actionsFor(where) {
  if (where === "out") return ["clock-in"];
  if (where === "break") return ["break-end", "clock-out"];
  return ["break-start", "clock-out"];
}

export class TimeClock {
  /** button: the chip ([data-person-menu]); me: {name}; toast(text, kind). */
  constructor(button, { me, toast }) {
    this.button = button;
    this.me = me;
    this.toast = toast;
    this.dot = button?.querySelector("[data-clock-dot]");
    button?.addEventListener("click", () => this.open());
  }

  /** Ask where the person stands, and mark the chip; null when there is no clock here. */
  async refresh() {
    if (!this.button) return null;
    try {
      const state = await get("/time-clock/me");
      this.show(state);
      return state;
    } catch (error) {
      if (error instanceof ApiError && error.code === "not_a_person") this.hide();
      throw error;
    }
  }

  show(state) {
    const where = clockStateOf(state);
    this.button.dataset.clock = where;
    if (this.dot) this.dot.hidden = where === "out";
  }

  hide() {
    this.button.hidden = true; // a paired screen: nobody to clock in
  }

  async open() {
    let state;
    try {
      state = await this.refresh();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "not_a_person")) this.failed(error);
      return;
    }
    const options = actionsFor(clockStateOf(state)).map((action) => ({
      value: action, label: t(ACTIONS[action].label), icon: ACTIONS[action].icon, kind: ACTIONS[action].kind,
    }));
    const action = await choose({ title: this.me.name, subtitle: stateText(state), options,
                                  className: "dlg-time-clock" });
    if (action) await this.punch(action);
  }

  async punch(action) {
    try {
      const punch = await post(`/time-clock/me/${action}`, { client_id: uuid() });
      this.toast(t(ACTIONS[action].done, { time: clock(punch.at) }), "success");
    } catch (error) {
      this.failed(error);
    }
    this.refresh().catch(() => {});
  }

  failed(error) {
    this.toast(error instanceof ApiError ? error.message : t("needs_connection"), "error");
  }
}
