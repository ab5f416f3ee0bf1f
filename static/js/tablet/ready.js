// "Table 5 — mains ready": expo called a course of one of this waiter's checks. Every
// course waiting at the pass is one row of one list, in a strip between the top bar and the
// screen: it pushes the floor or the order down and never lies over Send, the total or the
// table's name. A row stays (with a chime) until the waiter taps "Picked up", which tells
// expo and the floor.
import { chimeReady } from "../kitchen/sound.js";
import { ApiError, NetworkError, get, post } from "../api.js";
import { clock, h, icon, nameOf, t } from "./util.js";

const keyOf = (checkId, courseId) => `${checkId}:${courseId ?? "-"}`;

export class ReadyNotices {
  constructor({ toast, onOpen }) {
    this.toast = toast;
    this.onOpen = onOpen;
    this.notices = new Map(); // check:course → {data, element}
    this.root = h("section", { class: "ready-notices", id: "ready-notices", role: "list",
                               "aria-live": "assertive", "aria-label": t("ready_list"), hidden: true });
    document.getElementById("tablet").before(this.root); // in the page's flow, above the screen
  }

  /** After a reload: what is still waiting at the pass for this waiter, quietly. */
  async restore() {
    try {
      for (const data of await get("/kitchen/ready")) this.show(data, { quiet: true });
    } catch { /* offline: the live events bring new ones */ }
  }

  /** A `ready` event on /floor (the waiter's own room). */
  show(data, { quiet = false } = {}) {
    const key = keyOf(data.check_id, data.course?.id);
    this.notices.get(key)?.element.remove();
    const element = this.notice(data, key);
    this.notices.set(key, { data, element });
    this.root.prepend(element);
    this.root.hidden = false;
    if (!quiet) chimeReady();
  }

  notice(data, key) {
    const course = data.course ? nameOf(data.course.names) : null;
    const text = data.table
      ? t(course ? "ready_table" : "ready_table_food", { table: data.table, course })
      : t(course ? "ready_tab" : "ready_tab_food", { name: data.check_name || t("check_n", { id: data.check_id }), course });
    return h("div", { class: "ready-notice", role: "listitem", dataset: { readyCheck: data.check_id, readyKey: key } },
      h("button", { type: "button", class: "ready-open", onclick: () => this.onOpen(data.check_id) },
        h("span", { class: "ready-icon" }, icon("bell", 26)),
        h("span", { class: "ready-text" },
          h("span", { class: "ready-title" }, text),
          h("span", { class: "ready-detail" }, t("ready_at_pass", { time: clock(data.ready_at) })))),
      h("button", { type: "button", class: "button ready-picked", dataset: { pickedUp: "" },
                    onclick: (event) => this.pickUp(key, event.currentTarget) },
        icon("check", 22), h("span", {}, t("picked_up"))));
  }

  async pickUp(key, button) {
    const notice = this.notices.get(key);
    if (!notice) return;
    button.disabled = true;
    try {
      await post("/kitchen/served", { check_id: notice.data.check_id, course_id: notice.data.course?.id ?? null });
      this.remove(key);
    } catch (error) {
      button.disabled = false;
      if (error instanceof NetworkError || (error instanceof ApiError && error.retryable)) {
        this.toast(t("needs_connection"), "error");
      } else {
        this.remove(key); // already picked up (another tablet) or never called: nothing to wait for
        if (error instanceof ApiError) this.toast(error.message, "warning");
      }
    }
  }

  remove(key) {
    this.notices.get(key)?.element.remove();
    this.notices.delete(key);
    this.root.hidden = this.notices.size === 0;
  }

  /** A `course` event: a course no longer at the pass (recalled by the kitchen, picked up
   * from another tablet) is no longer the waiter's to fetch. */
  courseChanged(course) {
    if (course.kitchen_state !== "ready") this.remove(keyOf(course.check_id, course.course_id));
  }

  /** A table no longer waiting for pickup (picked up elsewhere, moved, paid): its notices go. */
  tableChanged(table) {
    if (table.state === "food_ready") return;
    for (const [key, notice] of this.notices) {
      if (notice.data.table_id === table.table_id) this.remove(key);
    }
  }
}
