// X and Z for a manager at the cashier station. The X reads the day so far (changing
// nothing) and can print it; the Z closes the business day: asked for once more, refused
// with the checks and drawers still open listed, and once taken, its number and its PDF.
// Every figure is the server's report (pos/reports), shown as it comes.
import { ApiError, get, isRetryable, post } from "../api.js";
import { button, openDialog } from "../payments/dialog.js";
import { h, icon, money, percentText, t as pt, uuid } from "../payments/util.js";
import { venueTime } from "../clock.js";

function reportPrinter(config) {
  const printers = config.printers || [];
  return printers.find((p) => p.id === config.receipt_printer_id) || printers[0] || null;
}

/** The figures of an X or a Z, as cards: sales by VAT rate, tenders, checks, drawers. */
function figures(t, totals) {
  const row = (cells, attrs = {}) => h("tr", attrs, cells.map((cell, i) => (i === 0
    ? h("th", { scope: "row" }, cell) : h("td", {}, cell))));
  const card = (key, title, ...content) => h("section", { class: "report-card", dataset: { report: key } },
    h("h3", { class: "report-card-title" }, title), ...content);
  const pairs = (entries) => h("dl", { class: "report-pairs" }, entries.filter(Boolean).map(([key, label, value]) =>
    h("div", { dataset: { figure: key } }, h("dt", {}, label), h("dd", {}, value))));
  const sales = totals.sales;
  const parts = [
    card("sales", t("sales"),
      pairs([["gross", t("gross"), money(sales.gross)], ["net", t("net"), money(sales.net)],
             ["tax", t("tax"), money(sales.tax)]]),
      sales.by_rate.length ? h("table", { class: "report-table" },
        h("thead", {}, h("tr", {}, ["", t("net"), t("tax"), t("gross")].map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, sales.by_rate.map((rate) => row([
          t("vat_rate", { rate: `${rate.code ? `${rate.code} · ` : ""}${percentText(rate.rate_bp)}` }),
          money(rate.net), money(rate.tax), money(rate.gross)], { dataset: { rate: rate.rate_bp } })))) : null),
    card("tenders", t("tenders"), h("table", { class: "report-table" },
      h("thead", {}, h("tr", {}, ["", t("count"), t("amount"), t("tips"), t("refunds"), t("total")]
        .map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, totals.tenders.map((tender) => row([
        pt(`tender_${tender.tender}`), String(tender.count), money(tender.amount), money(tender.tips),
        money(tender.refunds), money(tender.total)], { dataset: { tender: tender.tender, total: tender.total } }))))),
  ];
  if (totals.checks) {
    parts.push(card("checks", t("checks"), pairs([
      ["checks", t("checks"), String(totals.checks.count)],
      ["covers", t("covers"), String(totals.checks.covers)],
      ["average_check", t("average_check"), money(totals.checks.average_check)],
      ["tips", t("tips"), money(totals.tips.total)],
      ["refunds", t("refunds"), money(totals.refunds.amount)],
    ])));
  }
  if (totals.cash) {
    parts.push(card("cash", t("cash_drawers"), pairs([
      ["paid_in", t("paid_in"), money(totals.cash.paid_in)],
      ["paid_out", t("paid_out"), money(totals.cash.paid_out)],
      ["tips_out", t("tips_out"), money(totals.cash.tips_out)],
      ["expected", t("expected"), money(totals.cash.expected)],
      ["counted", t("counted"), money(totals.cash.counted)],
      ["over_short", t("over_short"), money(totals.cash.over_short)],
    ])));
  }
  return h("div", { class: "report-cards" }, parts.filter(Boolean));
}

/** The X: the day so far, on screen; Print sends it to the till's printer. */
export async function showX({ t, toast, config }) {
  const printer = reportPrinter(config);
  const message = h("p", { class: "dlg-message", role: "alert", dataset: { reportMessage: "" } });
  const dialog = openDialog({ title: t("x_title"), className: "dlg-report" });
  dialog.element.dataset.reportDialog = "x";
  dialog.body.replaceChildren(h("div", { class: "dlg-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" })));
  const print = button(t("print"), { iconName: "printer", attrs: { dataset: { printX: "" }, disabled: !printer },
    onclick: async () => {
      print.disabled = true;
      try {
        await post("/reports/x/print", { printer_id: printer.id });
        toast(t("report_printing", { printer: printer.name }), "success");
      } catch (error) {
        message.textContent = error instanceof ApiError ? error.message : t("cannot_reach");
      }
      print.disabled = false;
    } });
  dialog.setActions(printer ? null : h("p", { class: "dlg-hint report-hint" }, t("no_report_printer")),
                    button(t("close"), { onclick: () => dialog.close(null) }), print);
  try {
    const totals = await get("/reports/x");
    dialog.setTitle(t("x_title"), t("day_opened_at", { time: venueTime(totals.business_day.opened_at) }));
    const open = totals.open_checks?.length || 0;
    dialog.body.replaceChildren(...[
      open ? h("p", { class: "report-note", dataset: { openChecks: open } }, icon("alert", 20), t("open_checks_n", { count: open })) : null,
      totals.payments.waiting ? h("p", { class: "report-note" }, icon("clock", 20), t("waiting_n", { count: totals.payments.waiting })) : null,
      figures(t, totals), message].filter(Boolean));
  } catch (error) {
    dialog.body.replaceChildren(message);
    message.textContent = error instanceof ApiError ? error.message : t("cannot_reach");
  }
  return dialog.result;
}

/** The Z: confirm; refused → what is still open; taken → its number and PDF. */
export function takeZ({ t, toast, config }) {
  const printer = reportPrinter(config);
  const message = h("p", { class: "dlg-message", role: "alert", dataset: { reportMessage: "" } });
  const dialog = openDialog({ title: t("z_confirm_title"), className: "dlg-report dlg-z" });
  dialog.element.dataset.reportDialog = "z";
  let clientId = uuid();
  let busy = false;

  let day = null; // the day this Z closes (GET /reports/z/next)
  const confirm = () => {
    dialog.element.dataset.view = "confirm";
    dialog.setTitle(t("z_confirm_title"));
    const time = day ? venueTime(day.opened_at) : "—";
    dialog.body.replaceChildren(h("p", { class: "report-confirm", dataset: { zDay: day?.business_day_id ?? "" } },
      day?.closed_at ? t("z_owed_text", { time, closed: venueTime(day.closed_at) }) : t("z_confirm_text", { time })), message);
    dialog.setActions(button(t("cancel"), { onclick: () => dialog.close(null) }),
                      button(t("take_z"), { kind: "primary", iconName: "day", attrs: { dataset: { takeZ: "" } },
                                            onclick: () => take() }));
  };

  const refused = (error) => {
    dialog.element.dataset.view = "refused";
    const checks = error.error.open_checks || [];
    const shifts = error.error.open_shifts || [];
    dialog.setTitle(t("z_refused_title"), error.message);
    dialog.body.replaceChildren(...[
      checks.length ? h("section", { class: "report-open" },
        h("h3", { class: "drawer-section-title" }, t("open_checks")),
        h("ul", { class: "report-open-list" }, checks.map((check) => h("li", { dataset: { openCheck: check.check_id } },
          h("span", { class: "report-open-name" }, check.table ? t("table_n", { name: check.table })
            : check.name || `#${check.check_id}`),
          h("span", { class: "report-open-detail" }, [check.server, check.guests ? t("guests_n", { count: check.guests }) : null,
                                                      t("opened_at", { time: venueTime(check.opened_at) })].filter(Boolean).join(" · ")))))) : null,
      shifts.length ? h("section", { class: "report-open" },
        h("h3", { class: "drawer-section-title" }, t("open_drawers")),
        h("ul", { class: "report-open-list" }, shifts.map((shift) => h("li", { dataset: { openShift: shift.shift_id } },
          h("span", { class: "report-open-name" }, shift.cashier),
          h("span", { class: "report-open-detail" }, t("opened_at", { time: venueTime(shift.opened_at) })))))) : null,
      message].filter(Boolean));
    dialog.setActions(button(t("close"), { onclick: () => dialog.close(null) }),
                      button(t("try_again"), { kind: "primary", iconName: "undo", attrs: { dataset: { zAgain: "" } },
                                               onclick: () => take() }));
  };

  const taken = (report) => {
    dialog.element.dataset.view = "taken";
    dialog.setTitle(t("z_done_title", { number: report.number }), t("z_done"));
    dialog.body.replaceChildren(
      h("p", { class: "report-z-number", dataset: { zNumber: report.number } }, `Z ${report.number}`),
      figures(t, report.totals), message);
    dialog.setActions(
      h("a", { class: "button button-secondary button-lg", href: report.pdf_url, target: "_blank", rel: "noopener",
               dataset: { zPdf: report.number } }, icon("report", 22), h("span", {}, t("open_pdf"))),
      button(t("done"), { kind: "primary", iconName: "check", attrs: { dataset: { zDone: "" } },
                          onclick: () => dialog.close(report) }));
    if (printer) toast(t("report_printing", { printer: printer.name }), "success");
  };

  const take = async () => {
    if (busy) return;
    busy = true;
    message.textContent = "";
    for (const element of dialog.foot.querySelectorAll("button")) element.disabled = true;
    try {
      const report = await post("/reports/z", { client_id: clientId, ...(day ? { business_day_id: day.business_day_id } : {}),
                                                ...(printer ? { printer_id: printer.id } : {}) });
      taken(report);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && (error.error.open_checks || error.error.open_shifts)) {
        clientId = uuid();
        refused(error);
      } else {
        if (!isRetryable(error)) clientId = uuid();
        message.textContent = error instanceof ApiError ? error.message : t("cannot_reach");
        for (const element of dialog.foot.querySelectorAll("button")) element.disabled = false;
      }
    } finally {
      busy = false;
    }
  };

  confirm();
  get("/reports/z/next").then((next) => {
    day = next;
    if (dialog.element.dataset.view === "confirm") confirm();
  }).catch(() => {});
  return dialog.result;
}
