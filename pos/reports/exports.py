"""Every report as a table people read: on screen, as CSV (plain numbers, for a
spreadsheet) and as an A4 PDF with its chart drawn in SVG (WeasyPrint).

``build_report`` makes any report from one query; ``tabulate`` lays it out as columns and
rows; ``to_csv`` and ``to_pdf`` write that table out. Labels are in the language asked
for (the request's catalogue, forced to it)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from pos.reports import analysis, sales
from pos.reports.charts import bar_chart
from pos.reports.rendering import money
from pos.venue.operations import get_venue

REPORTS = ("sales", "adjustments", "kitchen", "labour", "menu")


@dataclass
class Column:
    key: str
    label: str
    kind: str = "int"  # text, int, money, minutes, seconds, bp


@dataclass
class Table:
    report: str
    title: str
    subtitle: str
    currency: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    chart: str = ""  # an SVG
    notes: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)


def build_report(session: Session, report: str, query: Any, language: str) -> dict[str, Any]:
    """The report named ``report`` for a range query (``first``, ``last``, ``by``,
    ``compare``)."""
    first, last = query.first, query.last
    if report == "sales":
        return sales.sales_report(session, first, last, query.by, compare=query.compare,
                                  language=language)
    if report == "adjustments":
        return {"report": "adjustments", **sales.adjustments(session, first, last)}
    if report == "kitchen":
        return analysis.kitchen_report(session, first, last, language=language)
    if report == "labour":
        return analysis.labour_report(session, first, last, language=language)
    return analysis.menu_engineering(session, first, last, language=language)


def by_names() -> dict[str, str]:
    return {"day": _("Day"), "hour": _("Hour"), "weekday": _("Weekday"),
            "server": _("Server"), "table": _("Table"), "floor": _("Floor"),
            "item": _("Item"), "category": _("Category"), "tender": _("Tender")}


def report_titles() -> dict[str, str]:
    return {"sales": _("Sales"), "adjustments": _("Discounts, comps, voids and refunds"),
            "kitchen": _("Kitchen times"), "labour": _("Labour against sales"),
            "menu": _("Menu engineering")}


def class_names() -> dict[str, str]:
    return {"star": _("Star"), "plowhorse": _("Plowhorse"), "puzzle": _("Puzzle"),
            "dog": _("Dog")}


def kind_names() -> dict[str, str]:
    return {"void": _("Void"), "comp": _("Comp"), "discount": _("Discount"),
            "refund": _("Refund")}


def tabulate(data: dict[str, Any], currency: str, language: str) -> Table:
    kind = data.get("report", "sales")
    title = report_titles()[kind]
    subtitle = f"{data['first']} – {data['last']}"
    if kind == "sales":
        return sales_table(data, title, subtitle, currency, language)
    if kind == "adjustments":
        columns = [Column("at", _("When"), "text"), Column("kind_label", _("What"), "text"),
                   Column("check_id", _("Check")), Column("by", _("By"), "text"),
                   Column("approved_by", _("Approved by"), "text"),
                   Column("reason", _("Reason"), "text"), Column("amount", _("Amount"), "money"),
                   Column("percent_bp", _("Percent"), "bp")]
        names = kind_names()
        rows = [{**entry, "kind_label": names[entry["kind"]]} for entry in data["entries"]]
        totals = data["totals"]
        facts = [(_("Discounts"), f"{totals['discounts']['count']} · "
                  f"{money(totals['discounts']['amount'], currency, language)}"),
                 (_("Comps"), f"{totals['comps']['count']} · "
                  f"{money(totals['comps']['amount'], currency, language)}"),
                 (_("Voids"), f"{totals['voids']['count']} · "
                  f"{money(totals['voids']['amount'], currency, language)}"),
                 (_("Refunds"), f"{totals['refunds']['count']} · "
                  f"{money(totals['refunds']['amount'], currency, language)}")]
        return Table(kind, title, subtitle, currency, columns, rows, facts=facts)
    if kind == "kitchen":
        columns = [Column("label", _("Station or item"), "text"),
                   Column("made_count", _("Tickets")),
                   Column("made_average", _("Fired → bumped, average"), "seconds"),
                   Column("made_p90", _("Fired → bumped, p90"), "seconds"),
                   Column("waited_average", _("Bumped → picked up, average"), "seconds"),
                   Column("waited_p90", _("Bumped → picked up, p90"), "seconds")]
        rows = []
        for group, heading in ((data["stations"], _("Stations")), (data["items"], _("Items"))):
            if group:
                rows.append({"label": heading, "heading": True})
            for entry in group:
                rows.append({"label": entry["label"], "key": entry["key"],
                             "made_count": entry["made"]["count"],
                             "made_average": entry["made"]["average"],
                             "made_p90": entry["made"]["p90"],
                             "waited_average": entry["waited"]["average"],
                             "waited_p90": entry["waited"]["p90"]})
        chart = bar_chart([s["label"] for s in data["stations"]],
                          [s["made"]["p90"] or 0 for s in data["stations"]],
                          text=seconds_text, title=_("Fired → bumped, p90")) \
            if data["stations"] else ""
        notes = [_("Slowest tickets") + ": " + "; ".join(
            f"#{t['check_id']} {t['table']} {t['station']} {seconds_text(t['seconds'])}"
            for t in data["slowest"])] if data["slowest"] else []
        return Table(kind, title, subtitle, currency, columns, rows, chart=chart, notes=notes)
    if kind == "labour":
        columns = [Column("label", _("Hour"), "text"), Column("gross", _("Sales"), "money"),
                   Column("checks", _("Checks")),
                   Column("labour_minutes", _("Labour"), "minutes"),
                   Column("sales_per_labour_hour", _("Sales per labour hour"), "money")]
        chart = bar_chart([r["label"] for r in data["rows"]], [r["gross"] for r in data["rows"]],
                          text=lambda v: money(v, currency, language), title=_("Sales"))
        totals = {"label": _("Total"), **data["totals"]}
        return Table(kind, title, subtitle, currency, columns, data["rows"], totals=totals,
                     chart=chart)
    columns = [Column("label", _("Item"), "text"), Column("quantity", _("Sold")),
               Column("mix_bp", _("Menu mix"), "bp"), Column("amount", _("Sales"), "money"),
               Column("food_cost", _("Food cost"), "money"),
               Column("margin", _("Margin"), "money"),
               Column("margin_each", _("Margin each"), "money"),
               Column("class_label", _("Class"), "text")]
    names = class_names()
    rows = [{**item, "class_label": names[item["class"]]} for item in data["items"]]
    notes = [] if data["cost_data"] else [
        _("No cost data: food costs are not known yet, so each margin is the price (cost 0).")]
    chart = bar_chart([i["label"] for i in data["items"][:40]],
                      [i["quantity"] for i in data["items"][:40]], title=_("Sold"))
    return Table("menu", title, subtitle, currency, columns, rows, chart=chart, notes=notes)


def sales_table(data: dict[str, Any], title: str, subtitle: str, currency: str,
                language: str) -> Table:
    by = data["by"]
    title = f"{title} — {by_names()[by]}"
    label = Column("label", by_names()[by], "text")
    if by in ("item", "category"):
        columns = [label, Column("quantity", _("Quantity")), Column("gross", _("Gross"), "money"),
                   Column("comps", _("Comps"), "money"), Column("amount", _("Sales"), "money"),
                   Column("void_quantity", _("Voided"))]
    elif by == "tender":
        columns = [label, Column("count", _("Payments")), Column("amount", _("Taken"), "money"),
                   Column("tips", _("Tips"), "money"), Column("refunds", _("Refunds"), "money"),
                   Column("total", _("Net"), "money")]
    else:
        columns = [label, Column("checks", _("Checks")), Column("covers", _("Covers")),
                   Column("gross", _("Sales"), "money"),
                   Column("average_check", _("Average check"), "money"),
                   Column("discounts", _("Discounts"), "money"),
                   Column("comps", _("Comps"), "money"), Column("voids", _("Voids"), "money"),
                   Column("turn_minutes", _("Turn (min)"), "minutes_whole")]
        if by == "server":
            columns.append(Column("tips", _("Tips"), "money"))
    value = data["value"]
    previous = data.get("previous")
    rows = data["rows"]
    if previous is not None:
        columns.append(Column("previous", _("Previous period"), "money"))
        rows = [{**row, "previous": (previous["rows"].get(row["key"]) or {}).get(value)}
                for row in rows]
    chart = bar_chart([r["label"] for r in rows[:60]], [r[value] for r in rows[:60]],
                      previous=[r.get("previous") for r in rows[:60]] if previous else None,
                      text=lambda v: money(v, currency, language), title=title)
    t = data["totals"]
    m = lambda amount: money(amount, currency, language)  # noqa: E731
    facts = [(_("Sales"), m(t["gross"])), (_("Net"), m(t["net"])), (_("Tax"), m(t["tax"])),
             (_("Checks"), str(t["checks"])), (_("Covers"), str(t["covers"])),
             (_("Average check"), m(t["average_check"])),
             (_("Average per cover"), m(t["average_cover"])),
             (_("Tips"), m(t["tips"])),
             (_("Discounts"), f"{t['discounts']['count']} · {m(t['discounts']['amount'])}"),
             (_("Comps"), f"{t['comps']['count']} · {m(t['comps']['amount'])}"),
             (_("Voids"), f"{t['voids']['count']} · {m(t['voids']['amount'])}"),
             (_("Refunds"), f"{t['refunds']['count']} · {m(t['refunds']['amount'])}")]
    if t["turn_minutes"] is not None:
        facts.append((_("Table turn (seated to paid)"), f"{t['turn_minutes']} min"))
    if previous is not None:
        p = previous["totals"]
        facts.append((_("Previous period") + f" ({previous['first']} – {previous['last']})",
                      f"{m(p['gross'])} · {p['checks']}"))
    return Table("sales", title, subtitle, currency, columns, rows, chart=chart, facts=facts)


def seconds_text(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


def cell(value: Any, column: Column, currency: str, language: str | None) -> str:
    """A cell as text: for a person (``language``) or, without one, for a spreadsheet
    (money as a plain decimal with a point)."""
    if value is None:
        return ""
    if column.kind == "money":
        if language is None:
            digits = get_currency_precision(currency)
            return str(Decimal(value).scaleb(-digits))
        return money(value, currency, language)
    if column.kind == "seconds":
        return str(value) if language is None else seconds_text(value)
    if column.kind == "minutes":
        return str(value) if language is None else f"{value // 60}:{value % 60:02d}"
    if column.kind == "bp":
        return str(Decimal(value).scaleb(-2)) + ("" if language is None else " %")
    return str(value)


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label + (f" ({table.currency})" if c.kind == "money" else "")
                     + (" (s)" if c.kind == "seconds" else "")
                     + (" (min)" if c.kind in ("minutes", "minutes_whole") else "")
                     for c in table.columns])
    for row in table.rows:
        if row.get("heading"):
            writer.writerow([row["label"]])
            continue
        writer.writerow([cell(row.get(c.key), c, table.currency, None) for c in table.columns])
    if table.totals:
        writer.writerow([cell(table.totals.get(c.key), c, table.currency, None)
                         for c in table.columns])
    return out.getvalue()


def export(session: Session, report: str, query: Any, language: str, fmt: str) -> bytes:
    """The report as CSV or PDF bytes, in ``language``."""
    venue = get_venue(session)
    with force_locale(language):
        data = build_report(session, report, query, language)
        table = tabulate(data, venue.currency, language)
        if fmt == "csv":
            return ("\ufeff" + to_csv(table)).encode()
        return to_pdf(table, venue, language)


def to_pdf(table: Table, venue: Any, language: str) -> bytes:
    from weasyprint import HTML

    rows = [{"heading": bool(row.get("heading")),
             "cells": [cell(row.get(c.key), c, table.currency, language) for c in table.columns]}
            for row in table.rows]
    totals = ([cell(table.totals.get(c.key), c, table.currency, language)
               for c in table.columns] if table.totals else None)
    html = render_template("reports/range.html", table=table, rows=rows, totals=totals,
                           venue=venue, language=language)
    return HTML(string=html).write_pdf()
