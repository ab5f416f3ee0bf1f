// Money typed on a pad, in integer minor units: each digit shifts the amount one place,
// so with two decimals 1, 2, 5, 0 shows 0,01 → 0,12 → 1,25 → 12,50. No decimal point is
// ever typed and no float is ever made. A preset amount (what is due) is replaced by the
// first digit typed, as on a card terminal.
import { h, icon, t } from "./util.js";

const MAX_DIGITS = 10; // 99 999 999,99: more than any bill, far below 2^53

/** The amount after one key: a digit, "back" or "clear". */
export function typed(minor, key, fresh = false) {
  if (key === "clear") return 0;
  if (key === "back") return fresh ? 0 : Math.floor(minor / 10);
  if (!/^\d$/.test(key)) return minor;
  const start = fresh ? 0 : minor;
  const next = start * 10 + Number(key);
  return String(next).length > MAX_DIGITS ? minor : next;
}

/** One field of money a pad types into. */
export class MoneyEntry {
  constructor(value = 0) {
    this.set(value);
  }

  /** A preset value: the next digit replaces it. */
  set(value) {
    this.value = value;
    this.fresh = true;
  }

  press(key) {
    this.value = typed(this.value, key, this.fresh);
    this.fresh = false;
  }
}

/** The keys 1–9, clear, 0, delete; onKey(key) for each tap. Digits typed on a keyboard
 * count too while `keyboardTarget` (the dialog) holds the focus. */
export function moneyPad({ onKey, keyboardTarget = null }) {
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"];
  const pad = h("div", { class: "money-pad", role: "group" }, keys.map((key) => h("button", {
    type: "button", class: `key money-key${/\d/.test(key) ? "" : " key-action"}`,
    dataset: { moneyKey: key }, onclick: () => onKey(key),
    "aria-label": key === "back" ? t("delete_digit") : null,
  }, key === "back" ? icon("backspace", 26) : key === "clear" ? t("clear") : key)));
  keyboardTarget?.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest?.("input, textarea")) return;
    const key = /^\d$/.test(event.key) ? event.key
      : { Backspace: "back", Delete: "clear" }[event.key];
    if (!key) return;
    event.preventDefault();
    onKey(key);
  });
  return pad;
}
