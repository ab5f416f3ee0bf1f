// A stay's folio on the front desk: its entries (a restaurant charge opens to its lines,
// VAT per rate, tip and who signed), and the dialog that settles it (cash, card, or a
// transfer from a company). The host page (app.js) passes in its words (t) and toasts.
import { ApiError, NetworkError, post } from "../api.js";
import { h, icon, uuid } from "../dom.js";
import { venueFormat } from "../clock.js";
import { parseMoney } from "../money.js";
import { amountText, money, venue } from "../payments/util.js";
import { button, openDialog } from "../payments/dialog.js";

const lang = document.documentElement.lang || "ro";
const postedFormat = venueFormat({ day: "numeric", month: "short", hour: "2-digit",
                                   minute: "2-digit", hourCycle: "h23" });
const dayFormat = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short",
                                                  timeZone: "UTC" });
const rateFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });

/** "2026-12-01" → "1 dec." (a stay's dates are calendar days, not moments). */
export function dayText(iso) {
  return iso ? dayFormat.format(new Date(`${iso}T00:00:00Z`)) : "";
}

export function nightsOf(stay) {
  return Math.round((Date.parse(stay.departure) - Date.parse(stay.arrival)) / 86_400_000);
}

/** What an entry does to the balance: a charge adds, a payment or correction takes off;
 * a card payment counts only once the terminal approved it. */
export function signedAmount(entry) {
  if (entry.status !== "done") return 0;
  return entry.kind === "charge" ? entry.amount : -entry.amount;
}

/** What the folio still asks for: the balance less card payments still at the terminal. */
export function stillOwed(folio) {
  return folio.balance - (folio.awaiting || 0);
}

function detail(entry, t) {
  const rows = [];
  if (entry.lines.length) {
    rows.push(h("ul", { class: "entry-lines", "aria-label": t("lines") },
      entry.lines.map((line) => h("li", { class: "entry-line", dataset: { lineAmount: line.amount } },
        h("span", { class: "entry-line-qty" }, `${line.quantity}×`),
        h("span", { class: "entry-line-name" }, line.name,
          line.fraction && line.fraction !== "1" ? h("span", { class: "entry-line-part" }, ` (${line.fraction})`) : null),
        h("span", { class: "entry-line-amount" }, money(line.amount))))));
  }
  const facts = [];
  if (entry.tip) {
    facts.push(h("div", { class: "entry-fact", dataset: { tip: entry.tip } },
      h("dt", {}, t("tip")), h("dd", {}, money(entry.tip))));
  }
  for (const row of entry.tax) {
    facts.push(h("div", { class: "entry-fact", dataset: { rateBp: row.rate_bp, tax: row.tax } },
      h("dt", {}, t("vat_rate", { rate: rateFormat.format(row.rate_bp / 100) })),
      h("dd", {}, t("net_tax", { net: money(row.net), tax: money(row.tax) }))));
  }
  if (facts.length) rows.push(h("dl", { class: "entry-facts" }, facts));
  if (entry.signed_by) {
    rows.push(h("p", { class: "entry-signed", dataset: { signedBy: entry.signed_by } },
      icon("user", 18, "pay"), t("signed_by", { name: entry.signed_by }),
      entry.signed ? h("span", { class: "entry-signature" }, ` · ${t("signature_kept")}`) : null));
  }
  return rows;
}

/**
 * One entry of the folio. A charge with lines is a button that opens its detail;
 * `open` says which entries are open (kept across a live update).
 */
export function entryElement(entry, { t, open, fresh = false, onCorrect = null, onResolve = null }) {
  const expandable = entry.lines.length > 0 || entry.tax.length > 0 || entry.tip > 0;
  const isOpen = expandable && open.has(entry.id);
  const meta = [t(`kind_${entry.kind}`), entry.outlet,
                entry.check_id ? t("check_number", { number: entry.check_id }) : null]
    .filter(Boolean).join(" · ");
  const signed = signedAmount(entry);
  const waiting = entry.status !== "done";
  const parts = [
    h("span", { class: "entry-when" }, postedFormat.format(new Date(entry.posted_at))),
    h("span", { class: "entry-text" },
      h("span", { class: "entry-desc" }, entry.description),
      h("span", { class: "entry-meta" }, meta),
      waiting ? h("span", { class: `entry-status status-${entry.status}`, dataset: { status: entry.status } },
        t(`entry_${entry.status}`)) : null),
    h("span", { class: "entry-amount", dataset: { amount: signed } },
      entry.kind === "charge" ? money(entry.amount) : money(-entry.amount)),
    expandable ? h("span", { class: "entry-chevron", "aria-hidden": "true" }, icon("back", 18, "pay")) : null,
  ];
  const detailId = `entry-detail-${entry.id}`;
  const head = expandable
    ? h("button", { type: "button", class: "entry-head", "aria-expanded": String(isOpen),
                    "aria-controls": detailId, title: t("show_lines"), dataset: { expand: "" },
                    onclick: (event) => {
                      const element = event.currentTarget.closest(".entry");
                      const now = element.classList.toggle("is-open");
                      if (now) open.add(entry.id); else open.delete(entry.id);
                      event.currentTarget.setAttribute("aria-expanded", String(now));
                      element.querySelector(".entry-detail").hidden = !now;
                    } }, parts)
    : h("div", { class: "entry-head" }, parts);
  const correct = onCorrect && entry.kind === "charge" ? h("button", {
    type: "button", class: "button button-secondary entry-correct", dataset: { correct: entry.id },
    onclick: () => onCorrect(entry),
  }, icon("undo", 18, "pay"), h("span", {}, t("correct"))) : null;
  const resolve = onResolve && entry.status === "unknown" ? h("button", {
    type: "button", class: "button button-secondary entry-correct", dataset: { resolve: entry.id },
    onclick: () => onResolve(entry),
  }, icon("card", 18, "pay"), h("span", {}, t("resolve"))) : null;
  return h("article", {
    class: `entry kind-${entry.kind} status-${entry.status}${isOpen ? " is-open" : ""}${fresh ? " is-new" : ""}`,
    role: "listitem", dataset: { entryId: entry.id, kind: entry.kind, status: entry.status, checkId: entry.check_id ?? "" },
  }, head, expandable ? h("div", { class: "entry-detail", id: detailId, hidden: !isOpen }, detail(entry, t)) : null,
  correct, resolve);
}

/**
 * The settle dialog: the amount (the balance, to start with), how it is paid, and for a
 * transfer the company. Resolves with the folio as the server answers it after the
 * payment, or null when the receptionist closed the dialog.
 */
export function settleFolio(folio, { t }) {
  const clientId = uuid(); // one payment, however many times it is sent
  let how = "cash";
  const amountInput = h("input", {
    class: "text-input settle-amount-input", id: "settle-amount", inputmode: "decimal",
    autocomplete: "off", value: amountText(stillOwed(folio)), dataset: { settleAmount: "" },
  });
  const companyInput = h("input", {
    class: "text-input", id: "settle-company", autocomplete: "organization", maxlength: "120",
    dataset: { settleCompany: "" },
  });
  const company = h("div", { class: "settle-field", hidden: true },
    h("label", { class: "pay-row-label", for: "settle-company" }, t("company")),
    companyInput,
    h("p", { class: "field-hint" }, t("company_hint")));
  const message = h("p", { class: "dlg-message", role: "alert" });
  const tenders = ["cash", "card", "transfer"].map((value) => h("button", {
    type: "button", class: "pay-tender", role: "radio", dataset: { how: value },
    "aria-checked": String(value === how),
    onclick: () => choose(value),
  }, icon({ cash: "cash", card: "card", transfer: "share" }[value], 26, "pay"), t(`how_${value}`)));
  const submit = button("", { kind: "primary", attrs: { dataset: { settleSubmit: "" } } });

  function typed() {
    return parseMoney(amountInput.value, venue.exponent);
  }

  function refresh() {
    const amount = typed();
    submit.querySelector("span").textContent = amount && amount > 0
      ? t("settle_amount", { amount: money(amount) }) : t("settle");
  }

  function choose(value) {
    how = value;
    for (const element of tenders) element.setAttribute("aria-checked", String(element.dataset.how === value));
    company.hidden = value !== "transfer";
    if (value === "transfer") companyInput.focus();
  }

  const dialog = openDialog({
    title: t("settle_title", { room: folio.room }),
    subtitle: t("settle_owed", { amount: money(stillOwed(folio)) }),
    className: "dlg-settle-folio",
    body: [
      h("div", { class: "settle-field" },
        h("label", { class: "pay-row-label", for: "settle-amount" }, t("amount")),
        amountInput),
      h("div", { class: "settle-field" },
        h("span", { class: "pay-row-label", id: "settle-how" }, t("how")),
        h("div", { class: "pay-tenders settle-tenders", role: "radiogroup", "aria-labelledby": "settle-how" }, tenders)),
      company,
      message,
    ],
    actions: [
      button(t("cancel"), { attrs: { dataset: { settleCancel: "" } }, onclick: () => dialog.close(null) }),
      submit,
    ],
  });
  amountInput.addEventListener("input", refresh);
  amountInput.addEventListener("keydown", (event) => { if (event.key === "Enter") send(); });
  companyInput.addEventListener("keydown", (event) => { if (event.key === "Enter") send(); });
  submit.addEventListener("click", send);
  refresh();
  amountInput.select();

  async function send() {
    const amount = typed();
    if (!amount || amount <= 0 || amount > stillOwed(folio)) {
      message.textContent = t("amount_wrong", { amount: money(stillOwed(folio)) });
      amountInput.focus();
      return;
    }
    const reference = companyInput.value.trim();
    if (how === "transfer" && !reference) {
      message.textContent = t("company_needed");
      companyInput.focus();
      return;
    }
    message.textContent = "";
    submit.disabled = true;
    dialog.setDismissable(false);
    try {
      const answer = await post(`/stays/${folio.stay_id}/settle`, {
        client_id: clientId, amount, how, ...(how === "transfer" ? { reference } : {}),
      });
      dialog.close({ folio: answer, amount });
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message
        : error instanceof NetworkError ? t("cannot_reach") : String(error);
    } finally {
      submit.disabled = false;
      dialog.setDismissable(true);
    }
  }

  return dialog.result;
}

/**
 * A charge added by hand (minibar, laundry) or a correction of ``charge``: a description
 * and an amount. Resolves with the folio as the server answers, or null.
 */
export function addFolioEntry(folio, { t, charge = null }) {
  const clientId = uuid(); // one entry, however many times it is sent
  const correcting = charge !== null;
  const descriptionInput = h("input", {
    class: "text-input", id: "entry-description", maxlength: "120", autocomplete: "off",
    dataset: { entryDescription: "" },
  });
  const amountInput = h("input", {
    class: "text-input settle-amount-input", id: "entry-amount", inputmode: "decimal",
    autocomplete: "off", value: correcting ? amountText(charge.amount) : "",
    dataset: { entryAmount: "" },
  });
  const message = h("p", { class: "dlg-message", role: "alert" });
  const submit = button(t(correcting ? "correct" : "add_charge"),
                        { kind: "primary", attrs: { dataset: { entrySubmit: "" } } });
  const dialog = openDialog({
    title: correcting ? t("correct_title", { what: charge.description }) : t("add_charge_title", { room: folio.room }),
    className: "dlg-folio-entry",
    body: [
      h("div", { class: "settle-field" },
        h("label", { class: "pay-row-label", for: "entry-description" },
          t(correcting ? "correction_reason" : "charge_what")), descriptionInput),
      h("div", { class: "settle-field" },
        h("label", { class: "pay-row-label", for: "entry-amount" }, t("amount")), amountInput),
      message,
    ],
    actions: [
      button(t("cancel"), { attrs: { dataset: { entryCancel: "" } }, onclick: () => dialog.close(null) }),
      submit,
    ],
  });
  submit.addEventListener("click", send);
  descriptionInput.focus();

  async function send() {
    const amount = parseMoney(amountInput.value, venue.exponent);
    const description = descriptionInput.value.trim();
    if (!description) {
      message.textContent = t(correcting ? "correction_reason" : "charge_what");
      descriptionInput.focus();
      return;
    }
    if (!amount || amount <= 0) {
      message.textContent = t("amount");
      amountInput.focus();
      return;
    }
    message.textContent = "";
    submit.disabled = true;
    try {
      dialog.close(await post(`/stays/${folio.stay_id}/entries`, {
        client_id: clientId, kind: correcting ? "correction" : "charge", amount, description,
        ...(correcting ? { corrects_id: charge.id } : {}),
      }));
    } catch (error) {
      message.textContent = error instanceof ApiError ? error.message
        : error instanceof NetworkError ? t("cannot_reach") : String(error);
    } finally {
      submit.disabled = false;
    }
  }

  return dialog.result;
}
