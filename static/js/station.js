// What the cashier station and the front desk share: the page's strings (plural forms
// too), one toast at a time, and the live-connection pill and banner.
import { h, icon } from "./dom.js";
import { strings as paymentStrings, t as paymentText } from "./payments/util.js";
import { fill, readStrings } from "./session.js";

/** t(key, values): the page's strings, else the payment modules' (close, cancel…). */
export function pageText(strings = readStrings(), lang = document.documentElement.lang || "ro") {
  const pluralRules = new Intl.PluralRules(lang);
  return (key, values = {}) => {
    const text = strings[key];
    if (text === undefined) return key in paymentStrings ? paymentText(key, values) : key;
    if (typeof text === "object") {
      return fill(text[pluralRules.select(values.count ?? 0)] ?? text.other ?? "", values);
    }
    return fill(text, values);
  };
}

/** A toast in #toasts, replacing the one before; `iconName` for an information. */
export function toast(text, kind = "info", { iconName = "receipt",
                                             timeout = kind === "success" ? 3000 : 6000 } = {}) {
  const toasts = document.getElementById("toasts");
  const element = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" },
    icon({ success: "check", error: "alert", warning: "alert" }[kind] || iconName, 20, "pay"),
    h("span", { class: "toast-text" }, text));
  toasts.replaceChildren(element);
  setTimeout(() => {
    element.classList.add("is-leaving");
    setTimeout(() => element.remove(), 250);
  }, timeout);
}

/** The top bar's live pill and the offline banner. */
export function showOnline(online, t) {
  const pill = document.getElementById("live-status");
  const banner = document.getElementById("offline-banner");
  pill.dataset.state = online ? "live" : "offline";
  pill.querySelector("[data-status-label]").textContent = t(online ? "live" : "offline");
  banner.hidden = online;
  banner.querySelector("[data-banner-text]").textContent = t("offline_live");
}
