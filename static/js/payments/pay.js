// Paying one bill: the tender, how much of the bill, the tip, and for cash what was handed
// over and the change. The same dialog on the cashier station and at the table.
//
// Pay makes one client id per intent (the same bill, tender and amounts): a double tap, a
// retry after a lost answer or a second tap on Pay after "not confirmed" all carry it, so
// the server takes the money once. A changed amount or tender is a new intent, a new id.
// A card may answer "pending": the dialog waits for the terminal (a "bills" event, or a
// slow look at the bills) and shows approved or declined.
//
// To a room: the room's in-house guests are looked up as its number is typed, the cashier
// taps the guest who signs, and the guest signs on the screen (or on paper: no signature).
// Past the stay's credit limit the server says so and a manager's PIN lets it through.
import { ApiError, get, isRetryable, post } from "../api.js";
import { SignaturePad } from "./signature.js";
import { button, openDialog } from "./dialog.js";
import { MoneyEntry, moneyPad } from "./money_pad.js";
import { amountText, h, icon, money, payments, percentText, t, uuid } from "./util.js";

export const TENDERS = ["cash", "card", "voucher", "room"];
const TENDER_ICONS = { cash: "cash", card: "card", voucher: "voucher", room: "room" };
const RETRY_MS = [400, 1000, 2000, 4000];
const POLL_MS = 3000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * payBill({state, number, title}) → Promise: the check's bills as they are after the
 * dialog (the same state when nothing was paid). `state` is GET /checks/<id>/bills.
 */
export function payBill({ state, number, title = "", tenders = TENDERS }) {
  return new PaymentDialog(state, number, title, tenders).result;
}

class PaymentDialog {
  constructor(state, number, title, tenders) {
    this.state = state;
    this.number = number;
    this.title = title;
    this.tenders = tenders;
    const bill = this.bill;
    this.tender = tenders[0];
    this.amount = new MoneyEntry(bill.due);
    this.tipChoice = "none"; // "none", a suggestion's percent_bp, or "custom"
    this.tip = new MoneyEntry(0);
    this.tendered = new MoneyEntry(bill.due);
    this.tenderedTouched = false;
    this.reference = "";
    this.roomStays = null; // the in-house stays of the typed room (GET /hotel/in-house)
    this.guest = null; // {stay_id, name, room}: who signs the room charge
    this.signature = new SignaturePad(() => this.renderButton());
    this.managerPin = null; // asked for once the charge passes the stay's credit limit
    this.target = this.tender === "cash" ? "tendered" : "amount";
    this.intent = null; // {key, clientId}: one client id per intent
    this.busy = false;
    this.waitingFor = null; // a card payment's client id, while the terminal decides

    this.message = h("p", { class: "dlg-message", role: "alert", dataset: { payMessage: "" } });
    this.problem = h("p", { class: "pay-problem", dataset: { payProblem: "" } });
    this.payButton = button("", { kind: "primary", iconName: "check",
                                  attrs: { dataset: { paySubmit: "" } },
                                  onclick: () => this.submit() });
    this.dialog = openDialog({ title: t("pay_bill", { n: number }), subtitle: this.subtitle(),
                               className: "dlg-pay" });
    this.result = this.dialog.result.then(() => {
      this.stopWatching();
      return this.state;
    });
    this.form = h("div", { class: "pay" });
    this.pad = moneyPad({ onKey: (key) => this.press(key), keyboardTarget: this.dialog.element });
    this.showForm();
  }

  get bill() {
    return this.state.bills.find((b) => b.number === this.number)
      || { number: this.number, due: 0, total: 0, tips: [] };
  }

  subtitle() {
    return [this.title, `${t("due")} ${money(this.bill.due)}`].filter(Boolean).join(" · ");
  }

  // --- the form ----------------------------------------------------------------------

  tipAmount() {
    if (this.tipChoice === "none") return 0;
    if (this.tipChoice === "custom") return this.tip.value;
    return this.bill.tips.find((s) => s.percent_bp === this.tipChoice)?.amount ?? 0;
  }

  handedOver() {
    return this.tenderedTouched ? this.tendered.value : this.amount.value + this.tipAmount();
  }

  change() {
    return this.handedOver() - this.amount.value - this.tipAmount();
  }

  /** What Pay sends, or a reason it cannot yet. */
  request() {
    const body = { bill: this.number, tender: this.tender, amount: this.amount.value,
                   tip: this.tipAmount() };
    if (body.amount <= 0) return { problem: "" };
    if (body.amount > this.bill.due) return { problem: t("more_than_due", { amount: money(this.bill.due) }) };
    if (this.tender === "cash") {
      body.tendered = this.handedOver();
      if (body.tendered < body.amount + body.tip) {
        return { problem: t("not_enough_cash", { amount: money(body.amount + body.tip) }) };
      }
    }
    if (this.tender === "voucher" || this.tender === "room") {
      if (!this.reference.trim()) return { problem: "" };
      body.reference = this.reference.trim();
    }
    if (this.tender === "room") {
      if (!this.guest) return { problem: "" };
      body.reference = this.guest.room;
      body.stay_id = this.guest.stay_id;
      body.guest_name = this.guest.name;
      const signature = this.signature.dataUrl();
      if (signature) body.signature = signature;
      if (this.managerPin !== null) {
        if (this.managerPin.length < 4) return { problem: "" };
        body.manager_pin = this.managerPin;
      }
    }
    return { body };
  }

  press(key) {
    if (this.busy || this.waitingFor) return;
    if (this.target === "tip") {
      this.tipChoice = "custom";
      this.tip.press(key);
    } else if (this.target === "tendered") {
      if (!this.tenderedTouched) this.tendered.set(this.handedOver());
      this.tenderedTouched = true;
      this.tendered.press(key);
    } else {
      this.amount.press(key);
    }
    this.message.textContent = "";
    this.renderForm();
  }

  choose(target) {
    this.target = target;
    if (target === "tip" && this.tipChoice !== "custom") {
      this.tipChoice = "custom";
      this.tip.set(this.tipAmount() || 0);
    }
    this.renderForm();
  }

  showForm() {
    this.dialog.setTitle(t("pay_bill", { n: this.number }), this.subtitle());
    this.dialog.setDismissable(true);
    this.dialog.body.replaceChildren(this.form, this.problem, this.message);
    this.dialog.setActions(button(t("cancel"), { onclick: () => this.dialog.close(null),
                                                attrs: { dataset: { payCancel: "" } } }),
                           this.payButton);
    this.renderForm();
  }

  renderForm() {
    const bill = this.bill;
    const cash = this.tender === "cash";
    if (!cash && this.target === "tendered") this.target = "amount";
    const field = (name, label, value, extra = null) => h("button", {
      type: "button", class: `pay-field${this.target === name ? " is-target" : ""}`,
      dataset: { payField: name }, "aria-pressed": String(this.target === name),
      onclick: () => this.choose(name),
    }, h("span", { class: "pay-field-label" }, label),
    h("span", { class: "pay-field-value", dataset: { value: "" } }, amountText(value)),
    extra ? h("span", { class: "pay-field-hint" }, extra) : null);

    const tenders = h("div", { class: "pay-tenders", role: "radiogroup", "aria-label": t("tender") },
      this.tenders.map((tender) => h("button", {
        type: "button", class: "pay-tender", role: "radio", dataset: { tender },
        "aria-checked": String(tender === this.tender),
        onclick: () => {
          this.tender = tender;
          this.target = tender === "cash" ? "tendered" : "amount";
          this.message.textContent = "";
          this.renderForm();
        },
      }, icon(TENDER_ICONS[tender], 26), h("span", {}, t(`tender_${tender}`)))));

    const tips = h("div", { class: "pay-tips", role: "group", "aria-label": t("tip") },
      h("span", { class: "pay-row-label" }, t("tip")),
      h("div", { class: "pay-chips" },
        this.tipChip("none", t("no_tip")),
        bill.tips.map((s) => this.tipChip(s.percent_bp, percentText(s.percent_bp), money(s.amount))),
        this.tipChip("custom", t("other_tip"), this.tipChoice === "custom" ? money(this.tip.value) : null)));

    const parts = [tenders, field("amount", t("amount"), this.amount.value,
                                  this.amount.value < bill.due ? t("amount_hint") : null), tips];
    if (cash) {
      const change = this.change();
      parts.push(
        field("tendered", t("handed_over"), this.handedOver()),
        h("div", { class: "pay-chips pay-notes" },
          h("button", { type: "button", class: "chip chip-lg", dataset: { note: "exact" },
                        "aria-pressed": String(!this.tenderedTouched),
                        onclick: () => this.handOver(null) }, t("exact")),
          (this.state.cash_quick_notes || []).map((note) => h("button", {
            type: "button", class: "chip chip-lg", dataset: { note },
            "aria-pressed": String(this.tenderedTouched && this.tendered.value === note),
            onclick: () => this.handOver(note),
          }, money(note)))),
        h("div", { class: `pay-change${change < 0 ? " is-short" : ""}` },
          h("span", { class: "pay-change-label" }, t("change")),
          h("output", { class: "pay-change-value", dataset: { change: "" } },
            change < 0 ? "—" : money(change))));
    } else if (this.tender === "voucher" || this.tender === "room") {
      const input = h("input", {
        class: "text-input", type: "text", maxlength: 60, value: this.reference,
        autocomplete: "off", dataset: { reference: "" },
        "aria-label": t(this.tender === "room" ? "room_number" : "voucher_code"),
      });
      input.addEventListener("input", () => {
        this.reference = input.value;
        if (this.tender === "room") this.lookUpRoom();
        this.renderButton();
      });
      parts.push(h("label", { class: "field pay-reference" },
        h("span", { class: "field-label" }, t(this.tender === "room" ? "room_number" : "voucher_code")), input));
      if (this.tender === "room") parts.push(this.roomGuests());
    }
    const display = h("div", { class: "pay-display" },
      h("span", { class: "pay-display-label" },
        t({ amount: "amount", tip: "tip", tendered: "handed_over" }[this.target])),
      h("output", { class: "pay-display-value", dataset: { payDisplay: "" } }, amountText(
        this.target === "tip" ? this.tip.value : this.target === "tendered" ? this.handedOver() : this.amount.value)));
    this.form.replaceChildren(h("div", { class: "pay-main" }, parts),
                              h("div", { class: "pay-side" }, display, this.pad));
    this.renderButton();
  }

  // --- to a room: the guest who signs ----------------------------------------------------

  /** The in-house guests of the typed room, or whose name holds the typed letters,
   * looked up a moment after the last key. */
  lookUpRoom() {
    clearTimeout(this.lookup);
    this.guest = null;
    this.managerPin = null;
    const typed = this.reference.trim();
    const byName = /\p{L}/u.test(typed);
    this.roomStays = typed && (!byName || typed.length >= 2) ? "looking" : null;
    if (!this.roomStays) return;
    this.lookup = setTimeout(async () => {
      let stays;
      try {
        stays = await get(`/hotel/in-house?${byName ? "name" : "room"}=${encodeURIComponent(typed)}`);
      } catch {
        stays = [];
      }
      if (this.reference.trim() !== typed || this.tender !== "room") return;
      this.roomStays = stays;
      const names = stays.flatMap((s) => s.guests);
      if (names.length === 1) this.guest = { stay_id: stays[0].stay_id, name: names[0], room: stays[0].room };
      this.renderForm();
    }, 250);
  }

  roomGuests() {
    const stays = this.roomStays;
    const box = h("div", { class: "pay-room", dataset: { roomGuests: "" } });
    if (stays === null) return box;
    if (stays === "looking") {
      box.append(h("p", { class: "pay-room-note" }, t("looking_up_room")));
      return box;
    }
    if (!stays.length) {
      box.append(h("p", { class: "pay-room-note is-problem", dataset: { noGuest: "" } }, t("nobody_in_room")));
      return box;
    }
    box.append(h("span", { class: "pay-row-label" }, t("who_signs")),
      h("div", { class: "pay-chips", role: "radiogroup", "aria-label": t("who_signs") },
        stays.flatMap((stay) => stay.guests.map((name) => h("button", {
          type: "button", class: "chip chip-lg pay-guest", role: "radio",
          dataset: { guest: name, stayId: stay.stay_id, room: stay.room },
          "aria-checked": String(this.guest?.room === stay.room && this.guest?.name === name),
          disabled: stay.no_post,
          onclick: () => {
            this.guest = { stay_id: stay.stay_id, name, room: stay.room };
            this.renderForm();
          },
        }, h("span", {}, stays.some((other) => other.room !== stay.room) ? t("guest_in_room", { name, room: stay.room }) : name),
        stay.no_post ? h("span", { class: "chip-aside" }, t("no_post"))
          : stay.credit_left !== null ? h("span", { class: "chip-aside" }, t("credit_left", { amount: money(stay.credit_left) }))
            : null)))));
    if (this.guest) {
      box.append(h("div", { class: "pay-signature" },
        h("span", { class: "pay-row-label" }, t("guest_signs", { name: this.guest.name })),
        this.signature.element,
        h("button", { type: "button", class: "button button-secondary pay-signature-clear", dataset: { signatureClear: "" },
                      onclick: () => this.signature.clear() }, icon("undo", 18), h("span", {}, t("sign_again")))));
    }
    if (this.managerPin !== null) {
      const pin = h("input", { class: "text-input", type: "password", inputmode: "numeric", maxlength: 8,
                               autocomplete: "off", value: this.managerPin, dataset: { roomManagerPin: "" },
                               "aria-label": t("manager_pin") });
      pin.addEventListener("input", () => {
        this.managerPin = pin.value.replace(/\D/g, "");
        this.renderButton();
      });
      box.append(h("label", { class: "field pay-reference" },
        h("span", { class: "field-label" }, t("manager_allows")), pin));
    }
    return box;
  }

  tipChip(choice, label, aside = null) {
    return h("button", {
      type: "button", class: "chip chip-lg pay-tip", dataset: { tip: choice },
      "aria-pressed": String(this.tipChoice === choice),
      onclick: () => {
        if (choice === "custom") {
          this.choose("tip");
          return;
        }
        this.tipChoice = choice;
        if (this.target === "tip") this.target = this.tender === "cash" ? "tendered" : "amount";
        this.renderForm();
      },
    }, h("span", {}, label), aside ? h("span", { class: "chip-aside" }, aside) : null);
  }

  handOver(note) {
    this.tenderedTouched = note !== null;
    this.tendered.set(note ?? 0);
    this.target = "tendered";
    this.renderForm();
  }

  renderButton() {
    const { body, problem } = this.request();
    const total = this.amount.value + this.tipAmount();
    this.payButton.querySelector("span").textContent = this.busy ? t("paying")
      : t("pay_amount", { amount: money(total) });
    this.payButton.disabled = this.busy || !body;
    this.problem.textContent = problem || "";
    for (const element of this.form.querySelectorAll("button, input")) element.disabled = this.busy;
  }

  // --- paying ------------------------------------------------------------------------

  async submit() {
    if (this.busy) return;
    const { body } = this.request();
    if (!body) return;
    const key = JSON.stringify(body);
    if (this.intent?.key !== key) this.intent = { key, clientId: uuid() };
    const { clientId } = this.intent;
    this.busy = true;
    this.dialog.setDismissable(false);
    this.say("");
    this.renderButton();
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await post(`/checks/${this.state.check_id}/payments`, { client_id: clientId, ...body });
        this.intent = null; // answered: the next Pay is a new intent
        this.busy = false;
        this.settled(answer, clientId, body);
        return;
      } catch (error) {
        if (isRetryable(error) && attempt < RETRY_MS.length) {
          this.say(t("retrying"), "retrying");
          await sleep(RETRY_MS[attempt]);
          continue;
        }
        this.busy = false;
        this.dialog.setDismissable(true);
        if (isRetryable(error)) {
          this.say(t("not_confirmed"), "error"); // the intent stays: Pay again sends the same id
        } else {
          this.intent = null;
          this.say(error instanceof ApiError ? error.message : t("failed"), "error");
          if (error instanceof ApiError && error.code === "check_closed") this.reload();
          if (error instanceof ApiError && error.code === "over_credit_limit" && this.managerPin === null) {
            this.managerPin = "";
            this.renderForm();
            const pin = this.form.querySelector("[data-room-manager-pin]");
            pin?.scrollIntoView({ block: "nearest" });
            pin?.focus();
          }
        }
        this.renderButton();
        return;
      }
    }
  }

  say(text, kind = "") {
    this.message.textContent = text;
    this.message.dataset.kind = kind;
  }

  settled(state, clientId, body) {
    this.state = state;
    const payment = state.payments.find((p) => p.client_id === clientId);
    if (payment?.status === "pending" || payment?.status === "unknown") {
      this.waitForTerminal(clientId, body);
    } else if (payment?.status === "declined") {
      this.showForm();
      this.say(payment.declined_reason || t(payment.tender === "room" ? "room_refused" : "declined"), "error");
    } else {
      this.showDone(payment, body);
    }
  }

  async reload() {
    try {
      this.state = await get(`/checks/${this.state.check_id}/bills`);
    } catch { /* the message already says what went wrong */ }
  }

  // --- a card: waiting for the terminal ------------------------------------------------

  waitForTerminal(clientId, body) {
    this.waitingFor = clientId;
    this.dialog.setDismissable(true);
    const pms = body.tender === "room";
    this.waitingHint = h("p", { class: "pay-waiting-hint", dataset: { waitingHint: "" } },
      t(pms ? "waiting_pms_hint" : "waiting_terminal_hint"));
    this.dialog.body.replaceChildren(h("div", { class: "pay-waiting", dataset: { payWaiting: "" }, role: "status" },
      h("span", { class: "spinner", "aria-hidden": "true" }),
      h("p", { class: "pay-waiting-title" }, t(pms ? "waiting_pms" : "waiting_terminal")),
      h("p", { class: "pay-waiting-amount" }, money(body.amount + body.tip)),
      this.waitingHint));
    this.dialog.setActions(button(t("close"), { onclick: () => this.dialog.close(null) }));
    this.onBills = (event) => {
      if (event.detail?.check_id === this.state.check_id) this.look(clientId, body);
    };
    payments.addEventListener("bills", this.onBills);
    this.poll = setInterval(() => this.look(clientId, body), POLL_MS);
  }

  async look(clientId, body) {
    let state;
    try {
      state = await get(`/checks/${this.state.check_id}/bills`);
    } catch {
      return; // the next event or poll looks again
    }
    const payment = state.payments.find((p) => p.client_id === clientId);
    if (this.waitingFor !== clientId || !payment) return;
    if (payment.status === "pending" || payment.status === "unknown") {
      // Unknown: the answer was lost and Masa asks the terminal. Paying again could
      // charge the card twice, so the dialog waits on.
      if (body.tender !== "room") {
        this.waitingHint.textContent = t(payment.status === "unknown" ? "status_unknown" : "waiting_terminal_hint");
      }
      return;
    }
    this.stopWatching();
    this.state = state;
    if (payment.status === "approved") {
      this.showDone(payment, body);
    } else {
      this.showForm();
      this.say(payment.declined_reason || t(payment.tender === "room" ? "room_refused" : "declined"), "error");
    }
  }

  stopWatching() {
    this.waitingFor = null;
    clearInterval(this.poll);
    if (this.onBills) payments.removeEventListener("bills", this.onBills);
    this.onBills = null;
  }

  // --- paid ----------------------------------------------------------------------------

  showDone(payment, body) {
    const state = this.state;
    const closed = state.check_status !== "open";
    const bill = state.bills.find((b) => b.number === this.number);
    const change = payment?.change ?? 0;
    const headline = closed ? t("check_paid")
      : bill?.paid ? t("bill_paid", { n: this.number })
        : t("part_paid", { amount: money(payment?.amount ?? body.amount), n: this.number });
    this.dialog.setDismissable(true);
    this.dialog.setTitle(closed ? t("paid") : t("pay_bill", { n: this.number }), this.title);
    this.dialog.body.replaceChildren(h("div", {
      class: "pay-done", role: "status", dataset: { payDone: closed ? "check" : bill?.paid ? "bill" : "part" },
    },
    h("span", { class: "pay-done-icon" }, icon("check", 44)),
    h("p", { class: "pay-done-title" }, headline),
    change > 0 ? h("div", { class: "pay-change-big" },
      h("span", { class: "pay-change-label" }, t("give_back")),
      h("output", { class: "pay-change-value", dataset: { change: "" } }, money(change))) : null,
    closed || !state.due ? null : h("p", { class: "pay-done-due" }, t("still_due", { amount: money(state.due) }))));
    this.dialog.setActions(button(t("done"), { kind: "primary", iconName: "check",
                                               attrs: { dataset: { payFinished: "" } },
                                               onclick: () => this.dialog.close(true) }));
    this.dialog.foot.querySelector("[data-pay-finished]").focus();
  }
}
