// After the money: a bill's pre-bill and a receipt printed again, money given back to the
// tender it came by (a refund), and a card payment the terminal cannot answer for settled
// by a manager. The same on the cashier station and at the table.
//
// A refund makes one client id per intent (the same amount and reason), as Pay does: a
// double tap or a retry gives the money back once. When the screen knows the cashier may
// not refund alone, the manager's PIN is asked for up front; a refusal that names the PIN
// (403, field manager_pin) shows the field too.
import { ApiError, isRetryable, post } from "../api.js";
import { button, openDialog } from "./dialog.js";
import { MoneyEntry, moneyPad } from "./money_pad.js";
import { amountText, h, icon, money, strings, t, uuid } from "./util.js";

/** POST …/bills/<n>/prebill: the guest check on the till's printer. Resolves with the
 * toast's text; throws ApiError (409 no_receipt_printer: its message says what to do). */
export async function printPrebill(checkId, number) {
  const answer = await post(`/checks/${checkId}/bills/${number}/prebill`, {});
  return t("bill_sent_to", { n: number, printer: answer.printer });
}

/** POST …/bills/<n>/receipt: a paid bill's receipt again, headed as a copy. */
export async function printReceiptAgain(checkId, number) {
  const answer = await post(`/checks/${checkId}/bills/${number}/receipt`, {});
  return t("receipt_sent_to", { n: number, printer: answer.printer });
}

/** What is left to give back on a payment (its amount and tip, less refunds done). */
export function refundable(payment) {
  return payment.amount + payment.tip - (payment.refunded || 0);
}

function pinField(onInput) {
  const input = h("input", {
    class: "text-input pin-input", type: "password", inputmode: "numeric", autocomplete: "off",
    maxlength: 8, pattern: "[0-9]*", dataset: { managerPin: "" }, "aria-label": t("manager_pin"),
  });
  input.addEventListener("input", () => {
    input.value = input.value.replace(/\D/g, "");
    onInput();
  });
  const label = h("label", { class: "field manager-pin", dataset: { pinField: "" } },
    h("span", { class: "field-label" }, t("manager_pin")), input,
    h("span", { class: "field-hint" }, t("manager_pin_hint")));
  return { label, input };
}

function paymentLabel(payment) {
  return [t(`tender_${payment.tender}`),
          payment.card_last4 ? t("card_n", { last4: payment.card_last4 }) : null,
          payment.bill ? t("bill_n", { n: payment.bill }) : null,
          money(payment.amount + payment.tip)].filter(Boolean).join(" · ");
}

/**
 * askRefund({payment, needPin}) → the refund ({id, amount, status: "done" | "pending"}) or
 * null. Amount (the whole by default) on a money pad, a reason, the manager's PIN.
 */
export function askRefund({ payment, needPin = false }) {
  const most = refundable(payment);
  const entry = new MoneyEntry(most);
  let reason = "";
  let pinShown = needPin;
  let intent = null;
  let busy = false;

  const display = h("output", { class: "pay-display-value", dataset: { refundDisplay: "" } });
  const problem = h("p", { class: "pay-problem", dataset: { refundProblem: "" } });
  const message = h("p", { class: "dlg-message", role: "alert", dataset: { refundMessage: "" } });
  const reasonInput = h("input", { class: "text-input", type: "text", maxlength: 200,
                                   autocomplete: "off", dataset: { refundReason: "" },
                                   "aria-label": t("refund_reason") });
  const chips = h("div", { class: "pay-chips refund-reasons" }, (strings.refund_reasons || []).map((text) => h("button", {
    type: "button", class: "chip chip-lg", dataset: { reasonChip: text },
    onclick: () => { reasonInput.value = text; reason = text; render(); },
  }, text)));
  reasonInput.addEventListener("input", () => { reason = reasonInput.value; render(); });
  const pin = pinField(() => render());
  const submit = button("", { kind: "primary", iconName: "undo", attrs: { dataset: { refundSubmit: "" } },
                              onclick: () => send() });

  const dialog = openDialog({ title: t("refund_title"), subtitle: paymentLabel(payment),
                              className: "dlg-refund" });
  const main = h("div", { class: "refund-main" },
    h("div", { class: "pay-field is-target refund-amount" },
      h("span", { class: "pay-field-label" }, t("refund_amount")),
      h("span", { class: "pay-field-value" }, display)),
    payment.tender === "card" || payment.tender === "cash"
      ? h("p", { class: "refund-note" }, t(payment.tender === "card" ? "refund_to_card" : "refund_in_cash")) : null,
    h("label", { class: "field" }, h("span", { class: "field-label" }, t("refund_reason")), reasonInput),
    chips, pin.label);
  const pad = moneyPad({ onKey: (key) => { if (!busy) { entry.press(key); render(); } },
                         keyboardTarget: dialog.element });
  dialog.body.replaceChildren(h("div", { class: "refund" }, main, h("div", { class: "pay-side" }, pad)),
                              problem, message);
  dialog.setActions(button(t("cancel"), { onclick: () => dialog.close(null) }), submit);

  function body() {
    const wanted = { amount: entry.value, reason: reason.trim() };
    if (pinShown) wanted.manager_pin = pin.input.value;
    return wanted;
  }

  function render() {
    display.textContent = amountText(entry.value);
    const over = entry.value > most;
    problem.textContent = over ? t("refund_at_most", { amount: money(most) }) : "";
    pin.label.hidden = !pinShown;
    submit.querySelector("span").textContent = t("refund_do", { amount: money(entry.value) });
    submit.disabled = busy || entry.value <= 0 || over || !reason.trim()
      || (pinShown && pin.input.value.length < 4);
    for (const chip of chips.children) chip.setAttribute("aria-pressed", String(chip.dataset.reasonChip === reason));
  }

  async function send() {
    if (busy) return;
    const wanted = body();
    const key = JSON.stringify(wanted);
    if (intent?.key !== key) intent = { key, clientId: uuid() };
    busy = true;
    dialog.setDismissable(false);
    message.textContent = "";
    render();
    try {
      const refund = await post(`/payments/${payment.id}/refund`, { client_id: intent.clientId, ...wanted });
      dialog.setDismissable(true);
      dialog.close(refund);
      return;
    } catch (error) {
      if (error instanceof ApiError && error.status === 403 && error.field === "manager_pin") {
        pinShown = true;
        intent = null;
      } else if (!isRetryable(error)) {
        intent = null;
      }
      message.textContent = error instanceof ApiError ? error.message : t("not_confirmed");
    }
    busy = false;
    dialog.setDismissable(true);
    render();
    if (pinShown) pin.input.focus();
  }

  render();
  return dialog.result;
}

/**
 * askSettle({payment, needPin}) → the check's bills after the manager settled a card
 * payment stuck "unknown" (charged or not, from the terminal's slip), or null. Another
 * card payment (a folio's at the desk) gives its own `url` and `subtitle`.
 */
export function askSettle({ payment, needPin = false, url = `/payments/${payment.id}/resolve`,
                            subtitle = paymentLabel(payment) }) {
  let charged = null;
  let pinShown = needPin;
  let busy = false;
  const message = h("p", { class: "dlg-message", role: "alert", dataset: { settleMessage: "" } });
  const pin = pinField(() => render());
  const choice = (value, label, iconName) => h("button", {
    type: "button", class: "pay-tender settle-choice", role: "radio", dataset: { charged: String(value) },
    onclick: () => { charged = value; render(); },
  }, icon(iconName, 26), h("span", {}, label));
  const choices = h("div", { class: "settle-choices", role: "radiogroup", "aria-label": t("settle") },
    choice(true, t("settle_charged"), "check"), choice(false, t("settle_not_charged"), "close"));
  const submit = button(t("settle_do"), { kind: "primary", iconName: "check", attrs: { dataset: { settleSubmit: "" } },
                                          onclick: () => send() });
  const dialog = openDialog({ title: t("settle_title"), subtitle, className: "dlg-settle",
    body: [h("p", { class: "settle-hint" }, t("settle_hint")), choices, pin.label, message] });
  dialog.setActions(button(t("cancel"), { onclick: () => dialog.close(null) }), submit);

  function render() {
    for (const element of choices.children) {
      element.setAttribute("aria-checked", String(element.dataset.charged === String(charged)));
    }
    pin.label.hidden = !pinShown;
    submit.disabled = busy || charged === null || (pinShown && pin.input.value.length < 4);
  }

  async function send() {
    if (busy) return;
    busy = true;
    render();
    message.textContent = "";
    try {
      const state = await post(url, pinShown
        ? { charged, manager_pin: pin.input.value } : { charged });
      dialog.close({ state, charged });
      return;
    } catch (error) {
      if (error instanceof ApiError && error.status === 403 && error.field === "manager_pin") pinShown = true;
      message.textContent = error instanceof ApiError ? error.message : t("needs_connection");
    }
    busy = false;
    render();
  }

  render();
  return dialog.result;
}
