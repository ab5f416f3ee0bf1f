// Dialogs on the tablet: one frame (a native <dialog>, so focus and the back layer are the
// browser's), and the questions a waiter answers with a tap: how many guests, which check,
// which table, why, and — for what a waiter may not do alone — a manager's PIN.
import { ApiError } from "./api.js";
import { h, icon, money, nameOf, t } from "./util.js";

/**
 * openDialog({title, subtitle, body, actions, className}) → {element, close(value), result}
 * `result` resolves with the value given to close(), or null when dismissed.
 */
export function openDialog({ title, subtitle = "", body = [], actions = [], className = "",
                             dismissable = true, labelledBy = null }) {
  let resolve;
  const result = new Promise((r) => { resolve = r; });
  const titleId = `dlg-title-${Math.random().toString(36).slice(2, 8)}`;
  const closeButton = h("button", { type: "button", class: "dlg-close", "aria-label": t("close") },
                        icon("close", 24));
  const head = h("header", { class: "dlg-head" },
    h("div", { class: "dlg-titles" },
      h("h2", { class: "dlg-title", id: titleId }, title),
      subtitle ? h("p", { class: "dlg-subtitle" }, subtitle) : null),
    dismissable ? closeButton : null);
  const bodyElement = h("div", { class: "dlg-body" }, body);
  const foot = actions.length ? h("footer", { class: "dlg-foot" }, actions) : null;
  const element = h("dialog", { class: `dlg ${className}`, "aria-labelledby": labelledBy || titleId },
                    h("div", { class: "dlg-frame" }, head, bodyElement, foot));
  let done = false;
  const close = (value = null) => {
    if (done) return;
    done = true;
    element.close();
    element.remove();
    resolve(value);
  };
  closeButton.addEventListener("click", () => close(null));
  element.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (dismissable) close(null);
  });
  element.addEventListener("click", (event) => {
    if (event.target === element && dismissable) close(null); // a tap on the backdrop
  });
  document.body.append(element);
  element.showModal();
  return { element, body: bodyElement, foot, close, result };
}

export function button(label, { kind = "secondary", onclick, iconName = null, attrs = {} } = {}) {
  return h("button", { type: "button", class: `button button-${kind} button-lg`, onclick, ...attrs },
           iconName ? icon(iconName, 22) : null, h("span", {}, label));
}

/** Big buttons 1–8 and "more": how many guests sit down. */
export function askGuests({ title, subtitle = "", current = null }) {
  let more = Math.max(9, current && current > 8 ? current : 9);
  const moreValue = h("output", { class: "stepper-value" }, String(more));
  const dialog = openDialog({
    title, subtitle, className: "dlg-guests",
    body: [
      h("div", { class: "guest-grid", role: "group", "aria-label": title },
        [1, 2, 3, 4, 5, 6, 7, 8].map((n) => h("button", {
          type: "button", class: `guest-key${n === current ? " is-current" : ""}`,
          dataset: { guests: n }, onclick: () => dialog.close(n),
        }, String(n)))),
      h("div", { class: "guest-more" },
        h("span", { class: "guest-more-label" }, t("more_guests")),
        h("div", { class: "stepper" },
          h("button", { type: "button", class: "stepper-button", "aria-label": t("fewer"),
                        onclick: () => { more = Math.max(9, more - 1); moreValue.textContent = more; } },
            icon("minus", 22)),
          moreValue,
          h("button", { type: "button", class: "stepper-button", "aria-label": t("more"),
                        dataset: { more: "" },
                        onclick: () => { more = Math.min(99, more + 1); moreValue.textContent = more; } },
            icon("plus", 22))),
        h("button", { type: "button", class: "button button-secondary button-lg",
                      dataset: { guestsMore: "" }, onclick: () => dialog.close(more) }, t("ok"))),
    ],
  });
  return dialog.result;
}

/** A name for a bar tab or take-away. */
export function askName({ title, label, placeholder = "", value = "" }) {
  const input = h("input", { class: "text-input", type: "text", maxlength: 60, value,
                             placeholder, autocomplete: "off", enterkeyhint: "done",
                             "aria-label": label });
  const ok = button(t("open"), { kind: "primary", attrs: { disabled: !value, dataset: { ok: "" } } });
  const dialog = openDialog({
    title, className: "dlg-name",
    body: [h("label", { class: "field" }, h("span", { class: "field-label" }, label), input)],
    actions: [button(t("cancel"), { onclick: () => dialog.close(null) }), ok],
  });
  const submit = () => {
    const name = input.value.trim();
    if (name) dialog.close(name);
  };
  input.addEventListener("input", () => { ok.disabled = !input.value.trim(); });
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") submit(); });
  ok.addEventListener("click", submit);
  setTimeout(() => input.focus(), 30);
  return dialog.result;
}

/** A list of choices, one tap each (an action sheet). option: {label, detail, value, icon, kind}. */
export function choose({ title, subtitle = "", options, className = "" }) {
  const dialog = openDialog({
    title, subtitle, className: `dlg-choose ${className}`,
    body: h("div", { class: "choice-list" }, options.map((option) => h("button", {
      type: "button", class: `choice${option.kind ? ` choice-${option.kind}` : ""}`,
      dataset: { choice: option.value }, disabled: option.disabled || false,
      onclick: () => dialog.close(option.value),
    },
    option.icon ? h("span", { class: "choice-icon" }, icon(option.icon, 24)) : null,
    h("span", { class: "choice-text" },
      h("span", { class: "choice-label" }, option.label),
      option.detail ? h("span", { class: "choice-detail" }, option.detail) : null),
    option.aside ? h("span", { class: "choice-aside" }, option.aside) : null))),
  });
  return dialog.result;
}

/** A table on any floor (to move a check to). */
export function pickTable({ title, floors, currentTableId }) {
  const dialog = openDialog({
    title, className: "dlg-tables",
    body: floors.map((floor) => h("section", { class: "pick-floor" },
      h("h3", { class: "pick-floor-title" }, nameOf(floor.names)),
      h("div", { class: "pick-table-grid" }, floor.tables.map((table) => h("button", {
        type: "button", class: `pick-table state-${table.state}`,
        disabled: table.id === currentTableId, dataset: { tableId: table.id },
        onclick: () => dialog.close(table.id),
      }, h("span", { class: "pick-table-name" }, table.name),
      h("span", { class: "pick-table-state" }, t(`state_${table.state}`))))))),
  });
  return dialog.result;
}

/** A manager's PIN pad, inside another dialog. */
function pinPad() {
  let pin = "";
  const dots = h("div", { class: "mini-dots", "aria-live": "polite" });
  const render = () => {
    dots.replaceChildren(...Array.from({ length: Math.max(4, pin.length) }, (_, i) =>
      h("span", { class: i < pin.length ? "pin-dot is-filled" : "pin-dot" })));
    dots.setAttribute("aria-label", t("digits_typed", { count: pin.length }));
  };
  const press = (key) => {
    if (key === "clear") pin = "";
    else if (key === "back") pin = pin.slice(0, -1);
    else if (pin.length < 6) pin += key;
    render();
    pad.dispatchEvent(new Event("change"));
  };
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"];
  const pad = h("div", { class: "manager-pad" },
    h("p", { class: "manager-pad-title" }, icon("lock", 20), h("span", {}, t("manager_pin"))),
    dots,
    h("div", { class: "mini-keypad" }, keys.map((key) => h("button", {
      type: "button", class: `key mini-key${/\d/.test(key) ? "" : " key-action"}`,
      dataset: { pinKey: key }, onclick: () => press(key),
      "aria-label": key === "back" ? t("delete_digit") : null,
    }, key === "back" ? icon("backspace", 26) : key === "clear" ? t("clear") : key))));
  render();
  return {
    element: pad,
    get pin() { return pin; },
    reset() { pin = ""; render(); },
    shake() {
      pad.classList.remove("is-shaking");
      void pad.offsetWidth;
      pad.classList.add("is-shaking");
    },
  };
}

/**
 * Void, comp or discount: a reason (and how many, or how much), and a manager's PIN on
 * the same screen when the waiter may not do it alone.
 *
 * submit({reason, quantity, percent_bp, amount, manager_pin}) calls the API; a 403 on
 * manager_pin keeps the dialog open for another PIN. Resolves with submit's result.
 */
export function approve({ title, subtitle, reasons, needPin, verb, danger = false,
                          quantityMax = 0, discount = false, submit }) {
  let reason = null;
  let quantity = quantityMax;
  let percent = null;
  const other = h("input", { class: "text-input", type: "text", maxlength: 120,
                             placeholder: t("other_reason"), "aria-label": t("other_reason") });
  const message = h("p", { class: "dlg-message", role: "alert" });
  const reasonButtons = reasons.map((label) => h("button", {
    type: "button", class: "chip chip-lg", "aria-pressed": "false", dataset: { reason: label },
    onclick: () => { reason = label; other.value = ""; refresh(); },
  }, label));
  other.addEventListener("input", () => { reason = other.value.trim() || null; refresh(); });

  const quantityValue = h("output", { class: "stepper-value" }, String(quantity));
  const quantityBlock = quantityMax > 1 ? h("div", { class: "approve-row" },
    h("span", { class: "field-label" }, t("how_many")),
    h("div", { class: "stepper" },
      h("button", { type: "button", class: "stepper-button", "aria-label": t("fewer"),
                    onclick: () => { quantity = Math.max(1, quantity - 1); refresh(); } }, icon("minus", 22)),
      quantityValue,
      h("button", { type: "button", class: "stepper-button", "aria-label": t("more"),
                    onclick: () => { quantity = Math.min(quantityMax, quantity + 1); refresh(); } },
        icon("plus", 22)))) : null;

  const amountInput = h("input", { class: "text-input", type: "text", inputmode: "decimal",
                                   placeholder: t("amount_off"), "aria-label": t("amount_off") });
  const percents = [10, 15, 20, 25, 50, 100];
  const percentButtons = percents.map((p) => h("button", {
    type: "button", class: "chip chip-lg", "aria-pressed": "false", dataset: { percent: p },
    onclick: () => { percent = p; amountInput.value = ""; refresh(); },
  }, `${p} %`));
  amountInput.addEventListener("input", () => { percent = null; refresh(); });
  const discountBlock = discount ? h("div", { class: "approve-block" },
    h("span", { class: "field-label" }, t("discount_how_much")),
    h("div", { class: "chip-grid chip-grid-3" }, percentButtons),
    amountInput) : null;

  const pad = needPin ? pinPad() : null;
  const confirm = button(verb, { kind: danger ? "danger" : "primary", attrs: { dataset: { confirm: "" } } });
  const amountMinor = () => {
    const text = amountInput.value.replace(/\s/g, "").replace(",", ".");
    if (!/^\d+(\.\d{0,2})?$/.test(text)) return null;
    return Math.round(Number(text) * 100);
  };

  function refresh() {
    reasonButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.reason === reason)));
    percentButtons.forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.percent) === percent)));
    quantityValue.textContent = quantity;
    const howMuch = !discount || percent !== null || (amountMinor() ?? 0) > 0;
    const pinOk = !pad || pad.pin.length >= 4;
    confirm.disabled = !reason || !howMuch || !pinOk;
  }
  pad?.element.addEventListener("change", () => { message.textContent = ""; refresh(); });

  const dialog = openDialog({
    title, subtitle, className: `dlg-approve${pad ? " has-pin" : ""}`,
    body: h("div", { class: "approve-layout" },
      h("div", { class: "approve-main" },
        quantityBlock,
        discountBlock,
        h("div", { class: "approve-block" },
          h("span", { class: "field-label" }, t("reason")),
          h("div", { class: "chip-grid" }, reasonButtons),
          other),
        message),
      pad ? pad.element : null),
    actions: [button(t("cancel"), { onclick: () => dialog.close(null) }), confirm],
  });

  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    message.textContent = "";
    try {
      const result = await submit({
        reason,
        quantity: quantityMax > 1 && quantity < quantityMax ? quantity : undefined,
        percent_bp: discount && percent !== null ? percent * 100 : undefined,
        amount: discount && percent === null ? amountMinor() : undefined,
        manager_pin: pad ? pad.pin : undefined,
      });
      dialog.close(result ?? true);
    } catch (error) {
      if (error instanceof ApiError && error.field === "manager_pin" && pad) {
        message.textContent = error.message || t("wrong_manager_pin");
        pad.reset();
        pad.shake();
      } else if (error instanceof ApiError) {
        message.textContent = error.message;
        if (error.code === "stale_check") dialog.close(error);
      } else {
        message.textContent = t("needs_connection");
      }
      refresh();
    }
  });
  refresh();
  return dialog.result;
}

export function moneyLine(label, amount, className = "") {
  return h("div", { class: `money-line ${className}` }, h("span", {}, label),
           h("span", { class: "money" }, money(amount)));
}
