// The cashier's drawer: open the shift with a float (on the printer the drawer hangs off),
// see what the drawer should hold and each server's tips, cash paid in and out with a
// reason, tips handed out, "no sale", and the count by denomination that closes it. The
// count is blind: what the drawer should hold shows only once it is closed, with over/short.
//
// Every figure is the server's (GET /shifts/current); the panel never sums money itself,
// except the count's running total (pieces × denomination, integers).
import { ApiError, get, isRetryable, post } from "../api.js";
import { button, openDialog } from "../payments/dialog.js";
import { MoneyEntry, moneyPad } from "../payments/money_pad.js";
import { amountText, h, icon, money, uuid } from "../payments/util.js";
import { venueTime } from "../clock.js";

/** Open the drawer panel; resolves when it closes. `can`: the actor's permissions. */
export function openDrawerPanel({ t, list, toast, config }) {
  return new DrawerPanel(t, list, toast, config).dialog.result;
}

class DrawerPanel {
  constructor(t, list, toast, config) {
    this.t = t;
    this.list = list;
    this.toast = toast;
    this.config = config;
    this.can = new Set(config.can || []);
    this.shift = null;
    this.denominations = null;
    this.busy = false;
    this.intent = null;
    this.dialog = openDialog({ title: t("drawer"), className: "dlg-drawer" });
    this.dialog.element.dataset.drawerPanel = "";
    this.message = h("p", { class: "dlg-message", role: "alert", dataset: { drawerMessage: "" } });
    this.load();
  }

  say(error) {
    this.message.textContent = error instanceof ApiError ? error.message
      : error ? this.t("cannot_reach") : "";
  }

  show(view, body, actions) {
    this.dialog.element.dataset.view = view;
    this.message.textContent = "";
    this.dialog.body.replaceChildren(...[body].flat().filter(Boolean), this.message);
    this.dialog.setActions(...actions);
  }

  async load() {
    this.dialog.body.replaceChildren(h("div", { class: "dlg-loading", role: "status" },
      h("span", { class: "spinner", "aria-hidden": "true" })));
    try {
      this.shift = await get("/shifts/current");
      this.summary();
    } catch (error) {
      if (error instanceof ApiError && error.code === "no_open_shift") {
        this.shift = null;
        this.opening();
      } else {
        this.show("error", [], [button(this.t("close"), { onclick: () => this.dialog.close(null) })]);
        this.say(error);
      }
    }
  }

  /** One write; a retry after a lost answer carries the same client id. */
  async write(path, body) {
    const key = path + JSON.stringify(body);
    if (this.intent?.key !== key) this.intent = { key, clientId: uuid() };
    this.busy = true;
    try {
      const answer = await post(path, { client_id: this.intent.clientId, ...body });
      this.intent = null;
      return answer;
    } catch (error) {
      if (!isRetryable(error)) this.intent = null;
      throw error;
    } finally {
      this.busy = false;
    }
  }

  // --- opening -----------------------------------------------------------------------------

  opening() {
    const t = this.t;
    const entry = new MoneyEntry(0);
    const printers = this.config.printers || [];
    let printerId = printers.some((p) => p.id === this.config.receipt_printer_id)
      ? this.config.receipt_printer_id : printers[0]?.id ?? null;
    const display = h("output", { class: "pay-display-value", dataset: { floatDisplay: "" } });
    const chips = h("div", { class: "pay-chips drawer-printers", role: "radiogroup", "aria-label": t("drawer_printer") });
    const submit = button("", { kind: "primary", iconName: "drawer", attrs: { dataset: { openShift: "" } },
                                onclick: async () => {
                                  submit.disabled = true;
                                  try {
                                    this.shift = await this.write("/shifts", { opening_float: entry.value, printer_id: printerId });
                                    this.summary();
                                  } catch (error) {
                                    this.say(error);
                                    render();
                                  }
                                } });
    const render = () => {
      display.textContent = amountText(entry.value);
      chips.replaceChildren(...[...printers, { id: null, name: t("no_printer") }].map((p) => h("button", {
        type: "button", class: "chip chip-lg", role: "radio", dataset: { printer: p.id ?? "none" },
        "aria-checked": String(p.id === printerId),
        onclick: () => { printerId = p.id; render(); },
      }, icon(p.id === null ? "close" : "printer", 18), h("span", {}, p.name))));
      submit.querySelector("span").textContent = t("open_with", { amount: money(entry.value) });
      submit.disabled = this.busy;
    };
    this.dialog.setTitle(t("open_drawer_title"), t("open_drawer_hint"));
    this.show("open", h("div", { class: "drawer-form" },
      h("div", { class: "drawer-form-main" },
        h("div", { class: "pay-field is-target" }, h("span", { class: "pay-field-label" }, t("opening_float")),
          h("span", { class: "pay-field-value" }, display)),
        h("div", { class: "field" }, h("span", { class: "field-label" }, t("drawer_printer")), chips)),
      h("div", { class: "pay-side" }, moneyPad({ onKey: (key) => { entry.press(key); render(); },
                                                 keyboardTarget: this.dialog.element }))),
    [button(t("cancel"), { onclick: () => this.dialog.close(null) }), submit]);
    render();
  }

  // --- the open drawer ---------------------------------------------------------------------

  summary() {
    const t = this.t;
    const shift = this.shift;
    this.dialog.setTitle(t("drawer_title", { name: shift.cashier }),
                         t("drawer_since", { time: venueTime(shift.opened_at) }));
    const figure = (key, label, amount, extra = null) => h("div", { class: "drawer-figure", dataset: { figure: key } },
      h("dt", {}, label), h("dd", {}, money(amount)), extra ? h("span", { class: "drawer-figure-extra" }, extra) : null);
    const figures = h("dl", { class: "drawer-figures" },
      figure("opening_float", t("float"), shift.opening_float),
      figure("cash_sales", t("cash_sales"), shift.cash_taken - shift.cash_tips,
             t("cash_payments_n", { count: shift.cash_payments })),
      figure("cash_tips", t("cash_tips"), shift.cash_tips),
      figure("paid_in", t("paid_in"), shift.paid_in),
      figure("paid_out", t("paid_out"), shift.paid_out),
      figure("tips_out", t("tips_out"), shift.tips_out),
      figure("cash_refunds", t("cash_refunds"), shift.cash_refunds),
      h("div", { class: "drawer-figure is-expected", dataset: { figure: "expected" } },
        h("dt", {}, t("expected")), h("dd", { dataset: { expected: shift.expected } }, money(shift.expected))));
    const tips = shift.tips.length ? h("table", { class: "drawer-tips" },
      h("thead", {}, h("tr", {}, [t("server"), t("tips_cash"), t("tips_card"), t("tips_other"), t("tips_paid"),
                                  t("tips_owed"), ""].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, shift.tips.map((row) => h("tr", { dataset: { tipsServer: row.server_id ?? "" } },
        h("th", { scope: "row" }, row.name || "—"),
        ...[row.cash, row.card, row.other, row.paid_out, row.owed].map((amount) => h("td", {}, money(amount))),
        h("td", {}, row.server_id !== null && row.owed > 0 ? h("button", {
          type: "button", class: "button button-secondary drawer-payout", dataset: { payOut: row.server_id },
          onclick: () => this.moving("tips_out", row),
        }, h("span", {}, t("pay_out"))) : null)))))
      : h("p", { class: "drawer-empty" }, t("no_tips"));
    this.show("summary", [figures, h("section", { class: "drawer-section" },
      h("h3", { class: "drawer-section-title" }, t("tips_per_server")), tips)], [
      h("div", { class: "drawer-actions" },
        button(t("paid_in"), { iconName: "plus", attrs: { dataset: { move: "paid_in" } }, onclick: () => this.moving("paid_in") }),
        button(t("paid_out"), { iconName: "minus", attrs: { dataset: { move: "paid_out" } }, onclick: () => this.moving("paid_out") }),
        button(t("no_sale"), { iconName: "drawer", attrs: { dataset: { noSale: "" } }, onclick: () => this.noSale() })),
      button(t("count_close"), { kind: "primary", iconName: "cash", attrs: { dataset: { countClose: "" } },
                                 onclick: () => this.counting() }),
    ]);
  }

  async reload() {
    try {
      this.shift = await get(`/shifts/${this.shift.id}`);
    } catch { /* the figures shown stay until the next look */ }
    this.summary();
  }

  // --- paid in, paid out, tips out ---------------------------------------------------------

  moving(kind, server = null) {
    const t = this.t;
    const entry = new MoneyEntry(kind === "tips_out" ? server.owed : 0);
    let reason = "";
    const display = h("output", { class: "pay-display-value", dataset: { moveDisplay: "" } });
    const input = h("input", { class: "text-input", type: "text", maxlength: 120, autocomplete: "off",
                               dataset: { moveReason: "" }, "aria-label": t("reason") });
    const reasons = h("div", { class: "pay-chips" }, this.list(`reasons_${kind}`).map((text) => h("button", {
      type: "button", class: "chip chip-lg", dataset: { reasonChip: text },
      onclick: () => { input.value = reason = text; render(); },
    }, text)));
    input.addEventListener("input", () => { reason = input.value; render(); });
    const submit = button("", { kind: "primary", iconName: "check", attrs: { dataset: { moveSubmit: kind } },
      onclick: async () => {
        submit.disabled = true;
        try {
          const body = { kind, amount: entry.value, reason: reason.trim() };
          if (kind === "tips_out") body.staff_id = server.server_id;
          await this.write(`/shifts/${this.shift.id}/movements`, body);
          this.toast(t("moved", { amount: money(entry.value) }), "success");
          await this.reload();
        } catch (error) {
          this.say(error);
          render();
        }
      } });
    const render = () => {
      display.textContent = amountText(entry.value);
      submit.querySelector("span").textContent = t("save_amount", { amount: money(entry.value) });
      submit.disabled = this.busy || entry.value <= 0 || (kind !== "tips_out" && !reason.trim());
      for (const chip of reasons.children) chip.setAttribute("aria-pressed", String(chip.dataset.reasonChip === reason));
    };
    const title = kind === "tips_out" ? t("move_tips_out", { name: server.name }) : t(`move_${kind}`);
    this.dialog.setTitle(title, t("drawer_title", { name: this.shift.cashier }));
    this.show(`move-${kind}`, h("div", { class: "drawer-form" },
      h("div", { class: "drawer-form-main" },
        h("div", { class: "pay-field is-target" }, h("span", { class: "pay-field-label" }, t("amount")),
          h("span", { class: "pay-field-value" }, display)),
        kind === "tips_out" ? null : h("label", { class: "field" }, h("span", { class: "field-label" }, t("reason")), input),
        kind === "tips_out" ? null : reasons),
      h("div", { class: "pay-side" }, moneyPad({ onKey: (key) => { entry.press(key); render(); },
                                                 keyboardTarget: this.dialog.element }))),
    [button(t("back"), { iconName: "back", attrs: { dataset: { drawerBack: "" } }, onclick: () => this.summary() }), submit]);
    render();
  }

  // --- no sale -----------------------------------------------------------------------------

  async noSale(pin = null) {
    const t = this.t;
    if (pin === null && !this.can.has("cashier.no_sale")) {
      this.askPin();
      return;
    }
    try {
      await this.write("/drawer/no-sale", pin ? { manager_pin: pin } : {});
      this.toast(t("no_sale_done"), "success");
      await this.reload();
    } catch (error) {
      if (error instanceof ApiError && error.field === "manager_pin" && pin === null) {
        this.askPin();
        return;
      }
      this.say(error);
    }
  }

  askPin(error = null) {
    const t = this.t;
    const input = h("input", { class: "text-input pin-input", type: "password", inputmode: "numeric",
                               autocomplete: "off", maxlength: 8, dataset: { managerPin: "" },
                               "aria-label": t("manager_pin") });
    const submit = button(t("no_sale_do"), { kind: "primary", iconName: "drawer", attrs: { dataset: { noSaleSubmit: "" } },
      onclick: async () => {
        submit.disabled = true;
        try {
          await this.write("/drawer/no-sale", { manager_pin: input.value });
          this.toast(t("no_sale_done"), "success");
          await this.reload();
        } catch (failure) {
          this.say(failure);
          input.value = "";
          input.focus();
        }
      } });
    submit.disabled = true;
    input.addEventListener("input", () => {
      input.value = input.value.replace(/\D/g, "");
      submit.disabled = input.value.length < 4;
    });
    this.dialog.setTitle(t("no_sale_title"), t("drawer_title", { name: this.shift.cashier }));
    this.show("no-sale", h("label", { class: "field manager-pin" },
      h("span", { class: "field-label" }, t("manager_pin")), input,
      h("span", { class: "field-hint" }, t("manager_pin_hint"))),
    [button(t("back"), { iconName: "back", attrs: { dataset: { drawerBack: "" } }, onclick: () => this.summary() }), submit]);
    this.say(error);
    input.focus();
  }

  // --- the count -----------------------------------------------------------------------------

  async counting() {
    const t = this.t;
    if (!this.denominations) {
      try {
        this.denominations = (await get("/drawer/denominations")).denominations;
      } catch (error) {
        this.say(error);
        return;
      }
    }
    const pieces = new Map(this.denominations.map((d) => [d.value, 0]));
    const total = h("output", { class: "pay-display-value", dataset: { countTotal: "" } });
    const submit = button("", { kind: "primary", iconName: "check", attrs: { dataset: { closeShift: "" } },
      onclick: async () => {
        submit.disabled = true;
        const counted = Object.fromEntries([...pieces].filter(([, n]) => n > 0).map(([v, n]) => [String(v), n]));
        try {
          this.shift = await this.write(`/shifts/${this.shift.id}/close`, { counted });
          this.closed();
        } catch (error) {
          this.say(error);
          render();
        }
      } });
    const sum = () => [...pieces].reduce((all, [value, n]) => all + value * n, 0);
    const render = () => {
      total.textContent = money(sum());
      submit.querySelector("span").textContent = t("close_drawer", { amount: money(sum()) });
      submit.disabled = this.busy;
    };
    const row = (d) => {
      const label = money(d.value); // read aloud with its currency; shown as the amount alone
      const input = h("input", { class: "text-input count-input", type: "text", inputmode: "numeric", value: "0",
                                 maxlength: 6, autocomplete: "off", dataset: { count: d.value },
                                 "aria-label": t("pieces_of", { value: label }) });
      const subtotal = h("span", { class: "count-subtotal", dataset: { subtotal: d.value } }, amountText(0));
      const set = (n) => {
        const value = Math.max(0, Math.min(100000, n));
        pieces.set(d.value, value);
        if (input.value !== String(value)) input.value = String(value);
        subtotal.textContent = amountText(value * d.value);
        render();
      };
      input.addEventListener("input", () => {
        input.value = input.value.replace(/\D/g, "");
        set(Number(input.value || 0));
      });
      input.addEventListener("focus", () => input.select());
      return h("div", { class: `count-row is-${d.kind}`, dataset: { denomination: d.value } },
        h("span", { class: "count-label", "aria-label": label }, amountText(d.value)),
        h("button", { type: "button", class: "key count-step", dataset: { less: d.value },
                      "aria-label": t("one_fewer", { value: label }), onclick: () => set(pieces.get(d.value) - 1) },
          icon("minus", 22)),
        input,
        h("button", { type: "button", class: "key count-step", dataset: { more: d.value },
                      "aria-label": t("one_more", { value: label }), onclick: () => set(pieces.get(d.value) + 1) },
          icon("plus", 22)),
        subtotal);
    };
    const group = (kind, title) => {
      const rows = this.denominations.filter((d) => d.kind === kind);
      return rows.length ? h("section", { class: "count-group", "aria-label": title },
        h("h3", { class: "drawer-section-title" }, title), rows.map(row)) : null;
    };
    this.dialog.setTitle(t("count_title"), t("count_hint"));
    this.show("count", [h("div", { class: "count-total" }, h("span", { class: "pay-display-label" }, t("counted")), total),
                        h("div", { class: "count-groups" }, group("note", t("notes")), group("coin", t("coins")))],
    [button(t("back"), { iconName: "back", attrs: { dataset: { drawerBack: "" } }, onclick: () => this.summary() }), submit]);
    render();
  }

  closed() {
    const t = this.t;
    const shift = this.shift;
    const overShort = shift.over_short ?? 0;
    const line = (key, label, amount, extra = "") => h("div", { class: `drawer-figure ${extra}`, dataset: { figure: key } },
      h("dt", {}, label), h("dd", {}, money(amount)));
    this.dialog.setTitle(t("closed_title"), t("drawer_title", { name: shift.cashier }));
    this.show("closed", [
      h("dl", { class: "drawer-figures drawer-result" },
        line("counted", t("counted"), shift.counted_total ?? 0),
        line("expected", t("expected"), shift.expected),
        h("div", { class: `drawer-figure is-over-short ${overShort < 0 ? "is-short" : overShort > 0 ? "is-over" : "is-even"}`,
                   dataset: { figure: "over_short", overShort } },
          h("dt", {}, overShort < 0 ? t("short") : overShort > 0 ? t("over") : t("over_short")),
          h("dd", {}, `${overShort > 0 ? "+" : ""}${money(overShort)}`))),
      overShort === 0 ? h("p", { class: "drawer-even" }, icon("check", 20), t("exact_count")) : null,
    ], [button(t("done"), { kind: "primary", iconName: "check", attrs: { dataset: { drawerDone: "" } },
                            onclick: () => this.dialog.close(shift) })]);
  }
}
