"""X and Z reports as people read them: on the till's paper (a print-queue "document") and
as a PDF page (WeasyPrint), in Romanian or English.

Both are drawn from one list of sections made here, so the paper and the PDF can never
say different things. The language is the reader's (the printer's, or the one asked for),
not the request's, so these labels live here rather than in the screens' catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal, get_currency_precision
from flask import render_template

LANGUAGES = ("ro", "en")

LABELS: dict[str, dict[str, str]] = {
    "ro": {
        "z": "RAPORT Z", "x_day": "RAPORT X", "x_shift": "RAPORT X - TURĂ",
        "number": "Nr. {}", "fiscal_code": "CIF {}", "not_fiscal": "DOCUMENT NEFISCAL",
        "day_opened": "Zi deschisă", "day_closed": "Zi închisă", "printed": "Tipărit",
        "still_open": "în curs", "currency": "Monedă",
        "sales": "VÂNZĂRI PE COTE TVA", "rate": "TVA {} %", "net": "Valoare fără TVA",
        "tax": "TVA", "gross": "Total cu TVA", "total_sales": "TOTAL VÂNZĂRI",
        "tenders": "ÎNCASĂRI", "payments": "Plăți", "amount": "Încasat", "tips": "Bacșiș",
        "refunds": "Rambursări", "tender_total": "Net", "total_tenders": "TOTAL ÎNCASĂRI",
        "cash": "Numerar", "card": "Card", "voucher": "Voucher", "room": "Pe cameră",
        "categories": "CATEGORII", "no_category": "Fără categorie",
        "servers": "OSPĂTARI", "no_server": "Fără ospătar",
        "server_line": "Note: {} · persoane: {}",
        "control": "CONTROL", "discounts": "Reduceri", "comps": "Protocol (gratuit)",
        "voids": "Anulări (storno)", "refunds_total": "Rambursări",
        "tips_title": "BACȘIȘ", "tips_total": "Total bacșiș", "tips_cash": "Numerar",
        "tips_card": "Card", "tips_other": "Alte modalități",
        "drawers": "SERTARE DE NUMERAR", "drawer": "Tură {} - {}", "float": "Fond inițial",
        "cash_taken": "Numerar încasat", "paid_in": "Introduceri", "paid_out": "Extrageri",
        "tips_out": "Bacșiș plătit", "cash_refunds": "Rambursări numerar",
        "expected": "Sold scriptic", "counted": "Sold numărat", "over_short": "Plus/minus",
        "total_over_short": "TOTAL PLUS/MINUS", "drawer_open": "deschis (nenumărat)",
        "no_sales": "Deschideri fără vânzare",
        "checks_title": "NOTE", "checks": "Note plătite", "covers": "Persoane",
        "average_check": "Notă medie", "average_cover": "Medie pe persoană",
        "open_checks": "NOTE DESCHISE", "open_check": "Nota {}", "table": "masa {}",
        "waiting": "Plăți card în așteptare", "unsettled": "Plătit pe note încă deschise",
        "shift_cashier": "Casier", "shift_opened": "Deschisă", "shift_closed": "Închisă",
        "tips_by_server": "BACȘIȘ PE OSPĂTARI", "owed": "De plătit",
        "end": "*** SFÂRȘIT RAPORT ***",
    },
    "en": {
        "z": "Z REPORT", "x_day": "X REPORT", "x_shift": "X REPORT - SHIFT",
        "number": "No. {}", "fiscal_code": "Tax ID {}", "not_fiscal": "NOT A FISCAL DOCUMENT",
        "day_opened": "Day opened", "day_closed": "Day closed", "printed": "Printed",
        "still_open": "still open", "currency": "Currency",
        "sales": "SALES BY TAX RATE", "rate": "Tax {} %", "net": "Net",
        "tax": "Tax", "gross": "Gross", "total_sales": "TOTAL SALES",
        "tenders": "TENDERS", "payments": "Payments", "amount": "Taken", "tips": "Tips",
        "refunds": "Refunds", "tender_total": "Net", "total_tenders": "TOTAL TAKEN",
        "cash": "Cash", "card": "Card", "voucher": "Voucher", "room": "Room charge",
        "categories": "CATEGORIES", "no_category": "No category",
        "servers": "SERVERS", "no_server": "No server",
        "server_line": "Checks: {} · covers: {}",
        "control": "CONTROL", "discounts": "Discounts", "comps": "Comps",
        "voids": "Voids", "refunds_total": "Refunds",
        "tips_title": "TIPS", "tips_total": "Total tips", "tips_cash": "Cash",
        "tips_card": "Card", "tips_other": "Other tenders",
        "drawers": "CASH DRAWERS", "drawer": "Shift {} - {}", "float": "Opening float",
        "cash_taken": "Cash taken", "paid_in": "Paid in", "paid_out": "Paid out",
        "tips_out": "Tips paid out", "cash_refunds": "Cash refunds",
        "expected": "Expected", "counted": "Counted", "over_short": "Over/short",
        "total_over_short": "TOTAL OVER/SHORT", "drawer_open": "open (not counted)",
        "no_sales": "No sales",
        "checks_title": "CHECKS", "checks": "Checks paid", "covers": "Covers",
        "average_check": "Average check", "average_cover": "Average per cover",
        "open_checks": "OPEN CHECKS", "open_check": "Check {}", "table": "table {}",
        "waiting": "Card payments waiting", "unsettled": "Paid on checks still open",
        "shift_cashier": "Cashier", "shift_opened": "Opened", "shift_closed": "Closed",
        "tips_by_server": "TIPS BY SERVER", "owed": "Owed",
        "end": "*** END OF REPORT ***",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["ro"])


def money(amount: int | None, currency: str, language: str) -> str:
    """``123450`` → ``1.234,50`` (ro) or ``1,234.50`` (en): the currency is said once, at
    the top."""
    if amount is None:
        return ""
    digits = get_currency_precision(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(Decimal(amount).scaleb(-digits), format=pattern,
                          locale="ro_RO" if language == "ro" else "en_GB")


def signed_money(amount: int, currency: str, language: str) -> str:
    return ("+" if amount > 0 else "") + money(amount, currency, language)


def when(value: str | None, timezone: str, language: str) -> str:
    if not value:
        return ""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    moment = datetime.fromisoformat(value).astimezone(zone)
    return moment.strftime("%d.%m.%Y %H:%M" if language == "ro" else "%d/%m/%Y %H:%M")


def rate_text(rate_bp: int) -> str:
    return f"{rate_bp / 100:g}".replace(".", ",")


@dataclass
class Row:
    label: str
    value: str = ""
    bold: bool = False
    indent: bool = False


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Report:
    """A report ready to lay out: its heading lines and its sections."""

    title: str
    number: str
    venue: dict[str, str]
    facts: list[Row]
    sections: list[Section]
    footer: str
    language: str


def report_for(totals: dict[str, Any], language: str) -> Report:
    label = labels(language)
    currency = totals["currency"]
    timezone = totals.get("venue", {}).get("timezone") or "Europe/Bucharest"

    def m(amount: int | None) -> str:
        return money(amount, currency, language)

    if totals["kind"] == "Z":
        title, number = label["z"], label["number"].format(totals.get("number", ""))
    elif totals["scope"] == "shift":
        title, number = label["x_shift"], label["number"].format(totals["shift"]["id"])
    else:
        title, number = label["x_day"], ""
    facts: list[Row] = []
    if "business_day" in totals:
        day = totals["business_day"]
        facts += [Row(label["day_opened"], when(day["opened_at"], timezone, language)),
                  Row(label["day_closed"], when(day["closed_at"], timezone, language)
                      or label["still_open"])]
    if totals["scope"] == "shift":
        shift = totals["shift"]
        facts += [Row(label["shift_cashier"], shift["cashier"]),
                  Row(label["shift_opened"], when(shift["opened_at"], timezone, language)),
                  Row(label["shift_closed"], when(shift["closed_at"], timezone, language)
                      or label["still_open"])]
    facts += [Row(label["printed"], when(totals["printed_at"], timezone, language)),
              Row(label["currency"], currency)]

    sections: list[Section] = []
    if "sales" in totals:
        sales = Section(label["sales"])
        for rate in totals["sales"]["by_rate"]:
            code = f" ({rate['code']})" if rate.get("code") else ""
            sales.rows += [Row(label["rate"].format(rate_text(rate["rate_bp"])) + code,
                               m(rate["gross"]), bold=True),
                           Row(label["net"], m(rate["net"]), indent=True),
                           Row(label["tax"], m(rate["tax"]), indent=True)]
        sales.rows += [Row(label["net"], m(totals["sales"]["net"])),
                       Row(label["tax"], m(totals["sales"]["tax"])),
                       Row(label["total_sales"], m(totals["sales"]["gross"]), bold=True)]
        sections.append(sales)

    tenders = Section(label["tenders"])
    for tender in totals["tenders"]:
        name = label.get(tender["tender"], tender["tender"])
        tenders.rows.append(Row(name, m(tender["total"]), bold=True))
        tenders.rows.append(Row(label["payments"], str(tender["count"]), indent=True))
        tenders.rows.append(Row(label["amount"], m(tender["amount"]), indent=True))
        if tender["tips"]:
            tenders.rows.append(Row(label["tips"], m(tender["tips"]), indent=True))
        if tender["refunds"]:
            tenders.rows.append(Row(label["refunds"], m(-tender["refunds"]), indent=True))
    tenders.rows.append(Row(label["total_tenders"],
                            m(sum(t["total"] for t in totals["tenders"])), bold=True))
    if totals["payments"].get("waiting"):
        tenders.rows.append(Row(label["waiting"], str(totals["payments"]["waiting"])))
    if totals["payments"].get("not_on_paid_bills"):
        tenders.rows.append(Row(label["unsettled"],
                                m(totals["payments"]["not_on_paid_bills"])))
    sections.append(tenders)

    if "categories" in totals:
        categories = Section(label["categories"])
        for category in totals["categories"]:
            names = category.get("names") or {}
            name = (names.get(language) or names.get("ro") or next(iter(names.values()), "")
                    or label["no_category"])
            categories.rows.append(Row(f"{name} × {category['quantity']}",
                                       m(category["amount"])))
        sections.append(categories)

    if "servers" in totals:
        servers = Section(label["servers"])
        for server in totals["servers"]:
            servers.rows.append(Row(server["name"] or label["no_server"], m(server["sales"]),
                                    bold=True))
            servers.rows.append(Row(label["server_line"].format(server["checks"],
                                                                server["covers"]),
                                    indent=True))
            if server["tips"]:
                servers.rows.append(Row(label["tips"], m(server["tips"]), indent=True))
        sections.append(servers)

    if "discounts" in totals:
        sections.append(Section(label["control"], [
            Row(f"{label['discounts']} ({totals['discounts']['count']})",
                m(totals["discounts"]["amount"])),
            Row(f"{label['comps']} ({totals['comps']['count']})", m(totals["comps"]["amount"])),
            Row(f"{label['voids']} ({totals['voids']['quantity']})",
                m(totals["voids"]["amount"])),
            Row(f"{label['refunds_total']} ({totals['refunds']['count']})",
                m(totals["refunds"]["amount"]))]))

    if "tips" in totals:
        tips = totals["tips"]
        sections.append(Section(label["tips_title"], [
            Row(label["tips_cash"], m(tips["cash"])), Row(label["tips_card"], m(tips["card"])),
            Row(label["tips_other"], m(tips["other"])),
            Row(label["tips_total"], m(tips["total"]), bold=True)]))

    if totals["scope"] == "shift":
        sections.append(drawer_section(label, m, totals["shift"], None))
        owed = Section(label["tips_by_server"])
        for server in totals["shift"]["tips"]:
            owed.rows += [Row(server["name"] or label["no_server"], m(server["total"]),
                              bold=True),
                          Row(label["tips_out"], m(server["paid_out"]), indent=True),
                          Row(label["owed"], m(server["owed"]), indent=True)]
        if owed.rows:
            sections.append(owed)
    elif totals.get("cash", {}).get("shifts"):
        cash = totals["cash"]
        for shift in cash["shifts"]:
            sections.append(drawer_section(label, m, shift, shift["shift_id"]))
        sections.append(Section(label["drawers"], [
            Row(label["expected"], m(cash["expected"])),
            Row(label["counted"], m(cash["counted"])),
            Row(label["total_over_short"], signed_money(cash["over_short"], currency,
                                                        language), bold=True)]))

    if "checks" in totals:
        checks = totals["checks"]
        sections.append(Section(label["checks_title"], [
            Row(label["checks"], str(checks["count"])), Row(label["covers"], str(checks["covers"])),
            Row(label["average_check"], m(checks["average_check"])),
            Row(label["average_cover"], m(checks["average_cover"]))]))

    if totals.get("open_checks"):
        still = Section(label["open_checks"])
        for check in totals["open_checks"]:
            where = (label["table"].format(check["table"]) if check.get("table")
                     else check.get("name") or "")
            still.rows.append(Row(label["open_check"].format(check["check_id"]),
                                  f"{where} {check.get('server') or ''}".strip()))
        sections.append(still)

    return Report(title=title, number=number, venue=totals.get("venue", {}), facts=facts,
                  sections=sections, footer=label["not_fiscal"], language=language)


def drawer_section(label: dict[str, str], m, shift: dict[str, Any],
                   shift_id: int | None) -> Section:
    title = (label["drawer"].format(shift_id, shift.get("cashier", "")) if shift_id
             else label["drawers"])
    rows = [Row(label["float"], m(shift["opening_float"])),
            Row(label["cash_taken"], m(shift["cash_taken"])),
            Row(label["paid_in"], m(shift["paid_in"])),
            Row(label["paid_out"], m(-shift["paid_out"])),
            Row(label["tips_out"], m(-shift["tips_out"])),
            Row(label["cash_refunds"], m(-shift["cash_refunds"])),
            Row(label["expected"], m(shift["expected"]), bold=True)]
    if shift.get("no_sales"):
        rows.append(Row(label["no_sales"], str(shift["no_sales"])))
    if shift.get("open"):
        rows.append(Row(label["counted"], label["drawer_open"]))
    else:
        counted = shift.get("counted_total", shift.get("counted"))
        rows += [Row(label["counted"], m(counted)),
                 Row(label["over_short"], "" if shift["over_short"] is None else
                     money_sign(m, shift["over_short"]), bold=True)]
    return Section(title, rows)


def money_sign(m, amount: int) -> str:
    return ("+" if amount > 0 else "") + m(amount)


# --- paper --------------------------------------------------------------------------------


def paper_document(totals: dict[str, Any], language: str) -> dict[str, Any]:
    """The report as a print-queue "document" (``pos.devices.layouts``)."""
    report = report_for(totals, language)
    lines: list[dict[str, Any]] = []
    venue = report.venue
    if venue.get("name"):
        lines.append({"text": venue["name"], "align": "center", "bold": True, "size": "tall"})
    if venue.get("address"):
        lines.append({"text": venue["address"], "align": "center"})
    if venue.get("fiscal_code"):
        lines.append({"text": labels(language)["fiscal_code"].format(venue["fiscal_code"]),
                      "align": "center"})
    lines += [{"rule": "="},
              {"text": report.title, "align": "center", "bold": True, "size": "double"}]
    if report.number:
        lines.append({"text": report.number, "align": "center", "bold": True, "size": "tall"})
    lines.append({"rule": "="})
    lines += [{"text": row.label, "right": row.value} for row in report.facts]
    for section in report.sections:
        lines += [{"rule": "-"}, {"text": section.title, "bold": True}]
        for row in section.rows:
            line: dict[str, Any] = {"text": ("  " if row.indent else "") + row.label}
            if row.value:
                line["right"] = row.value
            if row.bold:
                line["bold"] = True
            lines.append(line)
    lines += [{"rule": "="}, {"text": report.footer, "align": "center", "bold": True},
              {"text": labels(language)["end"], "align": "center"}]
    return {"lines": lines, "cut": True}


# --- PDF ----------------------------------------------------------------------------------


def report_html(totals: dict[str, Any], language: str) -> str:
    return render_template("reports/z.html", report=report_for(totals, language),
                           totals=totals)


def report_pdf(totals: dict[str, Any], language: str) -> bytes:
    """One A4 document (WeasyPrint is imported here: only a PDF needs it)."""
    from weasyprint import HTML

    return HTML(string=report_html(totals, language)).write_pdf()
