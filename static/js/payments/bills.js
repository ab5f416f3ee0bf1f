// A check's bills side by side, as the cashier (or a bartender at the table) splits and
// pays them: by seat, evenly, by amount; a line moved to another bill or a new one (tap the
// line, tap the bill) or shared among bills; the split undone; Pay on each bill.
//
// Every change is the server's answer (GET/POST …/bills): the board never sums money
// itself. A "bills" event for this check (another screen split or took money) loads the
// bills again, after any request of ours in flight.
import { ApiError, get, post } from "../api.js";
import { button, openDialog } from "./dialog.js";
import { MoneyEntry, moneyPad } from "./money_pad.js";
import { payBill } from "./pay.js";
import { askRefund, askSettle, printPrebill, printReceiptAgain, refundable } from "./refund.js";
import { amountText, h, icon, money, payments, percentText, t, uuid } from "./util.js";

export class BillsBoard {
  /**
   * onState(state): after every change (ours or another screen's); onClosed(state): the
   * check was paid (or closed elsewhere); onError(error): a refusal to show (a toast);
   * onNotice(text): a printout or refund under way (a toast). `can`: the permissions the
   * actor holds ("cashier.print_bill", "cashier.refund", "approve"): what the bills offer
   * and whether a manager's PIN is asked for up front.
   */
  constructor(root, { title = () => "", onState = () => {}, onClosed = () => {}, onError = null,
                      onNotice = () => {}, can = [] } = {}) {
    this.root = root;
    this.title = title;
    this.onState = onState;
    this.onClosed = onClosed;
    this.onError = onError;
    this.onNotice = onNotice;
    this.can = new Set(can);
    this.state = null;
    this.checkId = null;
    this.moving = null; // {line_id, from_bill, name}: a line picked to move
    this.sharing = null; // Set of bill numbers ticked to share the picked line
    this.busy = 0;
    this.stale = false;
    this.paying = false;
    this.heard = []; // "bills" events heard while a request of ours was out
    this.onBills = (event) => {
      if (event.detail?.check_id !== this.checkId) return;
      if (this.busy || this.paying) this.heard.push(event.detail);
      else if (!this.shows(event.detail)) this.refresh();
    };
    payments.addEventListener("bills", this.onBills);
    root.classList.add("bills-board");
  }

  /** Stop following events (the board's element is going away). */
  destroy() {
    payments.removeEventListener("bills", this.onBills);
  }

  async load(checkId) {
    this.checkId = checkId;
    this.moving = this.sharing = null;
    this.state = null;
    this.heard = [];
    this.root.replaceChildren(h("div", { class: "bills-loading", role: "status" },
      h("span", { class: "spinner", "aria-hidden": "true" })));
    const state = await get(`/checks/${checkId}/bills`);
    if (this.checkId !== checkId) return null;
    this.show(state);
    return state;
  }

  /** Load again (an event said the bills changed); after our own request if one is out. */
  async refresh() {
    if (this.checkId === null) return;
    if (this.busy || this.paying) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const checkId = this.checkId;
    let state;
    try {
      state = await get(`/checks/${checkId}/bills`);
    } catch {
      return; // the next event or a reconnect's snapshot brings it
    }
    if (this.checkId !== checkId) return;
    this.show(state);
  }

  /** Does the board show what a "bills" event says (the echo of our own change)? */
  shows(announced) {
    const state = this.state;
    if (!state || announced.due !== state.due || announced.bills?.length !== state.bills.length) return false;
    // The event does not carry payments: one waiting for the terminal may have an answer.
    if (state.payments.some((p) => p.status === "pending" || p.status === "unknown")) return false;
    return announced.bills.every((b, i) => {
      const shown = state.bills[i];
      return b.number === shown.number && b.total === shown.total && b.paid === shown.paid
        && Boolean(b.printed) === Boolean(shown.printed);
    });
  }

  show(state) {
    this.state = state;
    if (this.moving && !this.openBill(this.moving.from_bill)?.lines.some((l) => l.line_id === this.moving.line_id)) {
      this.moving = this.sharing = null; // the line left that bill meanwhile
    }
    this.render();
    this.onState(state);
    if (state.check_status !== "open") this.onClosed(state);
  }

  openBill(number) {
    return this.state?.bills.find((b) => b.number === number && !b.paid) || null;
  }

  // --- drawing ---------------------------------------------------------------------------

  render() {
    const state = this.state;
    const open = state.bills.filter((b) => !b.paid);
    const partlyPaid = open.some((b) => b.due < b.total);
    const seats = state.bills.some((b) => b.lines.some((l) => l.seat));
    const closed = state.check_status !== "open";
    const idle = !this.moving && !closed && !this.busy;
    const tool = (how, label, iconName, attrs = {}) => h("button", {
      type: "button", class: "button button-secondary bills-tool", dataset: { split: how }, ...attrs,
      onclick: () => this.split(how),
    }, icon(iconName, 22), h("span", {}, label));
    const toolbar = h("div", { class: "bills-toolbar" },
      h("div", { class: "bills-tools", role: "group", "aria-label": t("split") },
        tool("seat", t("split_seat"), "seat", { disabled: !idle || !seats || partlyPaid || !open.length }),
        tool("even", t("split_even"), "even", { disabled: !idle || partlyPaid || !state.due }),
        tool("amount", t("split_amount"), "amount", { disabled: !idle || partlyPaid || !state.due }),
        tool("undo", t("undo_split"), "undo", { disabled: !idle || open.length < 2 || partlyPaid }),
        this.canHoldCard() ? h("button", {
          type: "button", class: "button button-secondary bills-tool", dataset: { holdCard: "" },
          disabled: !idle, onclick: () => this.holdCard(),
        }, icon("card", 22), h("span", {}, t("hold_card"))) : null),
      h("dl", { class: "bills-sums" },
        h("div", {}, h("dt", {}, t("total")), h("dd", { dataset: { checkTotal: "" } }, money(state.total))),
        h("div", { class: "is-due" }, h("dt", {}, t("due")), h("dd", { dataset: { checkDue: "" } }, money(state.due)))));

    this.message = h("p", { class: "bills-message", role: "alert", dataset: { billsMessage: "" } });
    const parts = [toolbar, this.modeBar(), this.message];
    if (!state.bills.length) {
      parts.push(h("p", { class: "bills-empty" }, t("empty_check")));
    } else {
      parts.push(h("div", { class: `bills-grid${this.moving ? " is-moving" : ""}`, dataset: { billCount: state.bills.length } },
        state.bills.map((bill) => this.billCard(bill))));
    }
    if (state.payments.length) parts.push(this.paymentsList());
    this.root.replaceChildren(...parts.filter(Boolean));
  }

  modeBar() {
    if (!this.moving) return null;
    const name = this.moving.name;
    if (this.sharing) {
      return h("div", { class: "bills-mode", role: "status", dataset: { mode: "share" } },
        h("span", { class: "bills-mode-text" }, t("share_hint", { name })),
        h("div", { class: "bills-mode-actions" },
          h("button", { type: "button", class: "button button-primary", dataset: { shareConfirm: "" },
                        disabled: this.sharing.size < 2 || this.busy > 0, onclick: () => this.share() },
            icon("share", 20), h("span", {}, t("share_n", { count: this.sharing.size }))),
          h("button", { type: "button", class: "button button-secondary", dataset: { moveCancel: "" },
                        onclick: () => this.cancelMove() }, t("cancel"))));
    }
    return h("div", { class: "bills-mode", role: "status", dataset: { mode: "move" } },
      h("span", { class: "bills-mode-text" }, t("move_hint", { name })),
      h("div", { class: "bills-mode-actions" },
        h("button", { type: "button", class: "button button-secondary", dataset: { moveNew: "" },
                      disabled: this.busy > 0, onclick: () => this.move(null) },
          icon("plus", 20), h("span", {}, t("new_bill"))),
        h("button", { type: "button", class: "button button-secondary", dataset: { shareStart: "" },
                      disabled: this.busy > 0 || this.state.bills.filter((b) => !b.paid).length < 2,
                      onclick: () => this.startShare() },
          icon("share", 20), h("span", {}, t("share"))),
        h("button", { type: "button", class: "button button-secondary", dataset: { moveCancel: "" },
                      onclick: () => this.cancelMove() }, t("cancel"))));
  }

  billCard(bill) {
    const moving = this.moving;
    const isSource = moving && moving.from_bill === bill.number;
    const isTarget = moving && !bill.paid && !isSource;
    const ticked = this.sharing?.has(bill.number);
    const heading = [t("bill_n", { n: bill.number }),
                     bill.seat ? t("seat_n", { n: bill.seat })
                       : bill.kind !== "whole" && bill.kind !== "seat" ? t(`kind_${bill.kind}`) : null]
      .filter(Boolean).join(" · ");
    const paidPart = bill.total - bill.due;
    const card = h("article", {
      class: `bill-card${bill.paid ? " is-paid" : ""}${isSource ? " is-source" : ""}${isTarget ? " is-target" : ""}${ticked ? " is-ticked" : ""}`,
      dataset: { bill: bill.number, paid: bill.paid ? "1" : "0" },
      "aria-label": heading,
    },
    h("header", { class: "bill-head" },
      h("h3", { class: "bill-title" }, heading),
      bill.paid ? h("span", { class: "bill-badge is-paid" }, icon("check", 16), t("paid"))
        : bill.printed ? h("span", { class: "bill-badge" }, icon("printer", 16)) : null,
      this.sharing && !bill.paid ? h("span", { class: "bill-tick", "aria-hidden": "true" }, ticked ? icon("check", 20) : null) : null),
    h("ul", { class: "bill-lines" }, bill.lines.map((line) => h("li", {},
      h("button", {
        type: "button", class: `bill-line${moving?.line_id === line.line_id && isSource ? " is-picked" : ""}`,
        dataset: { lineId: line.line_id, fraction: line.fraction },
        disabled: bill.paid || this.state.check_status !== "open" || Boolean(moving && !isSource),
        "aria-pressed": String(Boolean(isSource && moving.line_id === line.line_id)),
        onclick: (event) => { event.stopPropagation(); this.pickLine(bill, line); },
      },
      h("span", { class: "bill-line-qty" }, `${line.quantity}×`),
      h("span", { class: "bill-line-name" }, line.name),
      line.fraction !== "1" ? h("span", { class: "bill-line-fraction", dataset: { shareFraction: "" } }, line.fraction) : null,
      h("span", { class: "bill-line-amount" }, amountText(line.amount)))))),
    h("dl", { class: "bill-tax" }, bill.tax.filter((tax) => tax.tax || tax.net).map((tax) => h("div", {},
      h("dt", {}, t("tax_rate", { rate: percentText(tax.rate_bp).replace(/\s?%$/, "") })),
      h("dd", {}, amountText(tax.tax))))),
    h("div", { class: "bill-foot" },
      h("dl", { class: "bill-sums" },
        h("div", {}, h("dt", {}, t("total")), h("dd", { dataset: { billTotal: "" } }, money(bill.total))),
        bill.tip ? h("div", {}, h("dt", {}, t("tip")), h("dd", {}, money(bill.tip))) : null,
        !bill.paid && paidPart > 0 ? h("div", {}, h("dt", {}, t("paid")), h("dd", {}, money(paidPart))) : null,
        bill.paid ? null : h("div", { class: "is-due" }, h("dt", {}, t("due")), h("dd", { dataset: { billDue: "" } }, money(bill.due)))),
      bill.paid ? this.paidActions(bill) : h("div", { class: "bill-actions" },
        this.can.has("cashier.print_bill") ? h("button", {
          type: "button", class: "button button-secondary bill-print", dataset: { printBill: bill.number },
          disabled: Boolean(moving) || this.state.check_status !== "open",
          onclick: (event) => { event.stopPropagation(); this.printBill(bill.number); },
        }, icon("printer", 20), h("span", {}, t("print_bill"))) : null,
        h("button", {
          type: "button", class: "button button-primary button-lg bill-pay", dataset: { pay: bill.number },
          disabled: !bill.due || Boolean(moving) || this.busy > 0 || this.state.check_status !== "open",
          onclick: (event) => { event.stopPropagation(); this.pay(bill.number); },
        }, h("span", {}, t("pay_amount", { amount: money(bill.due) }))))));
    if (isTarget) {
      card.tabIndex = 0;
      card.setAttribute("role", "button");
      card.addEventListener("click", () => (this.sharing ? this.toggleShare(bill.number) : this.move(bill.number)));
      card.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          card.click();
        }
      });
    } else if (isSource && this.sharing) {
      card.addEventListener("click", () => this.toggleShare(bill.number));
    }
    return card;
  }

  /** A paid bill: its e-receipt (the guest's copy, at its unguessable address) and the
   * paper receipt again. */
  paidActions(bill) {
    if (!bill.receipt_url && !this.can.has("cashier.print_bill")) return null;
    return h("div", { class: "bill-actions" },
      bill.receipt_url ? h("a", { class: "button button-secondary bill-receipt", href: bill.receipt_url, target: "_blank",
                                  rel: "noopener", dataset: { receipt: bill.number } },
      icon("receipt", 20), h("span", {}, t("receipt"))) : null,
      this.can.has("cashier.print_bill") ? h("button", {
        type: "button", class: "button button-secondary bill-reprint", dataset: { printReceipt: bill.number },
        onclick: (event) => { event.stopPropagation(); this.printReceipt(bill.number); },
      }, icon("printer", 20), h("span", {}, t("print_again"))) : null);
  }

  paymentsList() {
    return h("section", { class: "bills-payments", "aria-label": t("payments") },
      h("h3", { class: "bills-payments-title" }, t("payments")),
      h("ul", {}, this.state.payments.map((p) => h("li", {
        class: `payment-row status-${p.status}`, dataset: { paymentId: p.id, status: p.status, tender: p.tender },
      },
      icon(p.tender, 20),
      h("span", { class: "payment-what" }, [t(`tender_${p.tender}`), p.bill ? t("bill_n", { n: p.bill }) : null,
                                              p.tender === "card" ? null : p.reference].filter(Boolean).join(" · ")),
      h("span", { class: "payment-amount" }, money(p.amount)),
      p.tip ? h("span", { class: "payment-extra" }, t("tip_n", { amount: money(p.tip) })) : null,
      p.change ? h("span", { class: "payment-extra" }, t("change_n", { amount: money(p.change) })) : null,
      p.refunded ? h("span", { class: "payment-extra payment-refunded", dataset: { refunded: p.refunded } },
        t("refunded_n", { amount: money(p.refunded) })) : null,
      p.status !== "approved" ? h("span", { class: "payment-status" }, t(`status_${p.status}`)) : null,
      p.status === "approved" && refundable(p) > 0 ? h("button", {
        type: "button", class: "button button-secondary payment-action", dataset: { refund: p.id },
        disabled: this.busy > 0, onclick: () => this.refund(p),
      }, icon("undo", 18), h("span", {}, t("refund"))) : null,
      p.status === "held" && this.state.check_status === "open" ? h("button", {
        type: "button", class: "button button-secondary payment-action", dataset: { release: p.id },
        disabled: this.busy > 0, onclick: () => this.releaseHold(),
      }, icon("undo", 18), h("span", {}, t("release_card"))) : null,
      p.status === "unknown" && p.tender === "card" ? h("button", {
        type: "button", class: "button button-secondary payment-action", dataset: { settle: p.id },
        disabled: this.busy > 0, onclick: () => this.settle(p),
      }, icon("alert", 18), h("span", {}, t("settle"))) : null))));
  }

  // --- after the money: printing, refunds ---------------------------------------------------

  async printBill(number) {
    await this.document(() => printPrebill(this.checkId, number));
  }

  async printReceipt(number) {
    await this.document(() => printReceiptAgain(this.checkId, number));
  }

  async document(print) {
    try {
      this.onNotice(await print());
    } catch (error) {
      this.failed(error);
    }
  }

  async refund(payment) {
    const refund = await askRefund({ payment, needPin: !this.can.has("cashier.refund") });
    if (!refund) return;
    this.onNotice(t(refund.status === "pending" ? "refund_pending" : "refund_done", { amount: money(refund.amount) }));
    await this.refresh();
    if (refund.status === "pending") this.watchRefund(payment.id, payment.refunded || 0);
  }

  /** A card refund is the terminal's to finish, and no event says when it has: look
   * again now and then until the payment shows it (or a minute has passed). */
  async watchRefund(paymentId, before) {
    const checkId = this.checkId;
    for (let look = 0; look < 40 && this.checkId === checkId; look++) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      if (this.checkId !== checkId) return;
      await this.refresh();
      const payment = this.state?.payments.find((p) => p.id === paymentId);
      if (!payment || (payment.refunded || 0) !== before) return;
    }
  }

  /** A bar tab opened on a card: the terminal holds an amount; paying by card books the
   * tab's total on it. Not twice, and only where there is a terminal. */
  canHoldCard() {
    const state = this.state;
    return state.kind === "bar_tab" && state.card_terminal && state.check_status === "open"
      && this.can.has("cashier.pay")
      && !state.payments.some((p) => p.is_hold && ["pending", "unknown", "held"].includes(p.status));
  }

  async holdCard() {
    const amount = await askHoldAmount();
    if (amount) await this.change("/card-hold", { client_id: uuid(), amount });
  }

  /** The tab will not be paid on its held card: the terminal lets the hold go. */
  async releaseHold() {
    if (await this.change("/card-hold/release", {})) this.onNotice(t("release_asked"));
  }

  async settle(payment) {
    const settled = await askSettle({ payment, needPin: !this.can.has("approve") });
    if (!settled) return;
    this.onNotice(t(settled.charged ? "settled_charged" : "settled_not_charged"));
    if (this.checkId === settled.state.check_id) this.show(settled.state);
  }

  // --- moving and sharing a line ---------------------------------------------------------

  pickLine(bill, line) {
    if (this.moving?.line_id === line.line_id && this.moving.from_bill === bill.number) {
      this.cancelMove();
      return;
    }
    this.moving = { line_id: line.line_id, from_bill: bill.number, name: line.name };
    this.sharing = null;
    this.render();
  }

  cancelMove() {
    this.moving = this.sharing = null;
    this.render();
  }

  startShare() {
    this.sharing = new Set([this.moving.from_bill]);
    this.render();
  }

  toggleShare(number) {
    if (this.sharing.has(number)) this.sharing.delete(number);
    else this.sharing.add(number);
    this.render();
  }

  async move(toBill) {
    const { line_id: lineId, from_bill: fromBill } = this.moving;
    await this.change("/bills/move", { line_id: lineId, from_bill: fromBill, to_bill: toBill });
  }

  async share() {
    await this.change("/bills/share", { line_id: this.moving.line_id, bills: [...this.sharing].sort((a, b) => a - b) });
  }

  // --- splitting -------------------------------------------------------------------------

  async split(how) {
    if (how === "seat") await this.change("/split", { how: "seat" });
    else if (how === "undo") await this.change("/split/undo", {});
    else if (how === "even") {
      const parts = await askParts();
      if (parts) await this.change("/split", { how: "even", parts });
    } else if (how === "amount") {
      const amounts = await askAmounts(this.state.due);
      if (amounts?.length) await this.change("/split", { how: "amount", amounts });
    }
  }

  /** One write on the bills; the answer is the bills as they are now. True if it went. */
  async change(path, body) {
    const checkId = this.checkId;
    this.busy++;
    this.render();
    try {
      const state = await post(`/checks/${checkId}${path}`, body);
      this.moving = this.sharing = null;
      if (this.checkId === checkId) this.show(state);
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    } finally {
      this.busy--;
      if (this.checkId === checkId && this.state) this.render();
      this.catchUp();
    }
  }

  /** After our own request: look again only if something else happened meanwhile (an
   * event that is not the echo of our change). */
  catchUp() {
    if (this.busy || this.paying) return;
    const heard = this.heard;
    this.heard = [];
    if (this.stale || heard.some((announced) => !this.shows(announced))) this.refresh();
  }

  failed(error) {
    const text = error instanceof ApiError ? error.message : t("needs_connection");
    if (this.onError) this.onError(error, text);
    if (this.message) this.message.textContent = text;
    if (error instanceof ApiError && error.status === 409) this.refresh(); // look as it is now
  }

  // --- paying ----------------------------------------------------------------------------

  async pay(number) {
    if (this.paying) return;
    this.paying = true;
    let state;
    try {
      state = await payBill({ state: this.state, number, title: this.title() });
    } finally {
      this.paying = false;
    }
    if (this.checkId !== state.check_id) return;
    this.show(state);
    this.catchUp(); // what another screen did while the dialog was open
  }
}

/** How many equal parts: one tap, 2 to 12. */
function askParts() {
  const dialog = openDialog({
    title: t("how_many_parts"), className: "dlg-parts",
    body: h("div", { class: "parts-grid" }, Array.from({ length: 11 }, (_, i) => i + 2).map((n) => h("button", {
      type: "button", class: "key parts-key", dataset: { parts: n }, onclick: () => dialog.close(n),
    }, String(n)))),
  });
  return dialog.result;
}

/** Amounts typed one bill at a time; what is left goes on one more bill. */
function askAmounts(due) {
  const amounts = [];
  const entry = new MoneyEntry(0);
  const display = h("output", { class: "pay-display-value", dataset: { amountDisplay: "" } });
  const list = h("div", { class: "pay-chips amounts-list" });
  const left = h("p", { class: "amounts-left", dataset: { amountsLeft: "" } });
  const add = button(t("add_bill"), { iconName: "plus", attrs: { dataset: { amountAdd: "" } } });
  const ok = button(t("make_bills"), { kind: "primary", attrs: { dataset: { amountsOk: "" } } });
  const rest = () => due - amounts.reduce((sum, a) => sum + a, 0);
  const render = () => {
    display.textContent = amountText(entry.value);
    list.replaceChildren(...amounts.map((amount, i) => h("button", {
      type: "button", class: "chip chip-lg", "aria-label": `${t("bill_n", { n: i + 1 })} ${money(amount)}`,
      onclick: () => { amounts.splice(i, 1); render(); },
    }, h("span", {}, t("bill_n", { n: i + 1 })), h("span", { class: "chip-aside" }, money(amount)), icon("close", 16))));
    left.textContent = t("left_to_split", { amount: money(rest()) });
    add.disabled = entry.value <= 0 || entry.value >= rest();
    ok.disabled = !amounts.length && (entry.value <= 0 || entry.value >= rest());
  };
  const addEntry = () => {
    if (entry.value <= 0 || entry.value >= rest()) return false;
    amounts.push(entry.value);
    entry.set(0);
    render();
    return true;
  };
  const dialog = openDialog({
    title: t("amounts_title"), subtitle: t("amounts_hint"), className: "dlg-amounts",
    body: h("div", { class: "amounts" },
      h("div", { class: "amounts-main" }, h("div", { class: "pay-display" }, display), list, left),
      moneyPad({ onKey: (key) => { entry.press(key); render(); } })),
  });
  dialog.setActions(button(t("cancel"), { onclick: () => dialog.close(null) }), add, ok);
  dialog.element.addEventListener("keydown", (event) => {
    if (/^\d$/.test(event.key) || event.key === "Backspace") {
      event.preventDefault();
      entry.press(event.key === "Backspace" ? "back" : event.key);
      render();
    }
  });
  add.addEventListener("click", addEntry);
  ok.addEventListener("click", () => {
    addEntry();
    if (amounts.length) dialog.close([...amounts]);
  });
  render();
  return dialog.result;
}

/** How much to hold on the tab's card: typed, or one of the usual amounts. */
function askHoldAmount() {
  const entry = new MoneyEntry(0);
  const display = h("output", { class: "pay-display-value", dataset: { holdDisplay: "" } });
  const ok = button(t("hold_card"), { kind: "primary", attrs: { dataset: { holdOk: "" } } });
  const render = () => {
    display.textContent = amountText(entry.value);
    ok.disabled = entry.value <= 0;
  };
  const quick = h("div", { class: "pay-chips" }, HOLD_AMOUNTS.map((amount) => h("button", {
    type: "button", class: "chip chip-lg", dataset: { holdQuick: amount },
    onclick: () => { entry.set(amount); render(); },
  }, money(amount))));
  const dialog = openDialog({
    title: t("hold_card"), subtitle: t("hold_hint"), className: "dlg-amounts",
    body: h("div", { class: "amounts" },
      h("div", { class: "amounts-main" }, h("div", { class: "pay-display" }, display), quick),
      moneyPad({ onKey: (key) => { entry.press(key); render(); } })),
  });
  dialog.setActions(button(t("cancel"), { onclick: () => dialog.close(null) }), ok);
  dialog.element.addEventListener("keydown", (event) => {
    if (/^\d$/.test(event.key) || event.key === "Backspace") {
      event.preventDefault();
      entry.press(event.key === "Backspace" ? "back" : event.key);
      render();
    }
  });
  ok.addEventListener("click", () => dialog.close(entry.value));
  render();
  return dialog.result;
}

const HOLD_AMOUNTS = [50_00, 100_00, 200_00];
