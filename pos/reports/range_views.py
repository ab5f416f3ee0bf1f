"""Reports over a range of business days, over HTTP: sales broken down, the checks behind
a figure, adjustments with who approved them, and each as CSV or PDF."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _

from pos.core.api import api_route
from pos.core.auth import Permission
from pos.core.errors import InvalidInput
from pos.core.i18n import current_language
from pos.reports import analysis, exports, sales
from pos.reports.schemas import DrillQuery, ExportQuery, RangeQuery, SalesQuery
from pos.reports.views import api
from pos.venue.models import Venue


def language_of(query: RangeQuery) -> str:
    language = query.lang or current_language()
    return language if language in ("ro", "en") else "ro"


@api_route(api, "/reports/sales", summary="Sales over business days, broken down by day, "
           "hour, weekday, server, table, floor, item, category or tender; the previous "
           "period beside it with compare", permission=Permission.REPORTS_VIEW,
           query=SalesQuery, tag="reports")
def sales_report(session, actor, query: SalesQuery):
    return sales.sales_report(session, query.first, query.last, query.by,
                              compare=query.compare, language=language_of(query))


@api_route(api, "/reports/sales/checks", summary="The checks behind one figure of a sales "
           "report; their values add up to it", permission=Permission.REPORTS_VIEW,
           query=DrillQuery, tag="reports")
def sales_checks(session, actor, query: DrillQuery):
    try:
        return sales.drill_down(session, query.first, query.last, query.by, query.key,
                                limit=query.limit, language=language_of(query))
    except ValueError as error:
        raise InvalidInput(_("'key': not a key of the %(by)s report.", by=query.by),
                           field="key") from error


@api_route(api, "/reports/adjustments", summary="Discounts, comps, voids and refunds over "
           "business days, with who gave and who approved each", permission=Permission.REPORTS_VIEW,
           query=RangeQuery, tag="reports")
def adjustments(session, actor, query: RangeQuery):
    return sales.adjustments(session, query.first, query.last)


def attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})


@api_route(api, "/reports/kitchen", summary="Kitchen ticket times by station and item "
           "(average and p90, fired to bumped, bumped to picked up) and the slowest tickets",
           permission=Permission.REPORTS_VIEW, query=RangeQuery, tag="reports")
def kitchen(session, actor, query: RangeQuery):
    return analysis.kitchen_report(session, query.first, query.last,
                                   language=language_of(query))


@api_route(api, "/reports/labour", summary="Labour (the time clock's paid minutes) against "
           "sales, by hour of the day", permission=Permission.REPORTS_VIEW, query=RangeQuery,
           tag="reports")
def labour(session, actor, query: RangeQuery):
    return analysis.labour_report(session, query.first, query.last,
                                  language=language_of(query))


@api_route(api, "/reports/menu-engineering", summary="Each item's popularity and margin: "
           "stars, plowhorses, puzzles and dogs", permission=Permission.REPORTS_VIEW,
           query=RangeQuery, tag="reports")
def menu_engineering(session, actor, query: RangeQuery):
    return analysis.menu_engineering(session, query.first, query.last,
                                     language=language_of(query))


@api_route(api, "/reports/export.csv", summary="A report as CSV (money as plain decimals)",
           permission=Permission.REPORTS_VIEW, query=ExportQuery, tag="reports")
def export_csv(session, actor, query: ExportQuery) -> Response:
    body = exports.export(session, query.report, query, language_of(query), "csv")
    return attachment(body, "text/csv; charset=utf-8", file_name(query, "csv"))


@api_route(api, "/reports/export.pdf", summary="A report as an A4 PDF with its chart",
           permission=Permission.REPORTS_VIEW, query=ExportQuery, tag="reports")
def export_pdf(session, actor, query: ExportQuery) -> Response:
    body = exports.export(session, query.report, query, language_of(query), "pdf")
    return attachment(body, "application/pdf", file_name(query, "pdf"))


def file_name(query: ExportQuery, extension: str) -> str:
    by = f"-{query.by}" if query.report == "sales" else ""
    return f"{query.report}{by}-{query.first.isoformat()}-{query.last.isoformat()}.{extension}"


@api_route(api, "/reports/table", summary="A report laid out as on paper: its columns, rows "
           "as text, totals, facts and its chart as SVG (what the office screen shows)",
           permission=Permission.REPORTS_VIEW, query=ExportQuery, tag="reports")
def report_table(session, actor, query: ExportQuery):
    language = language_of(query)
    currency = session.get(Venue, 1).currency
    data = exports.build_report(session, query.report, query, language)
    table = exports.tabulate(data, currency, language)
    drill = query.report == "sales"
    return {
        "report": query.report, "by": query.by if drill else None, "title": table.title,
        "subtitle": table.subtitle, "currency": currency, "chart": table.chart,
        "facts": [{"label": label, "value": value} for label, value in table.facts],
        "notes": table.notes, "drill": drill,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "rows": [{"key": row.get("key"), "heading": bool(row.get("heading")),
                  "cells": [exports.cell(row.get(c.key), c, currency, language)
                            for c in table.columns]} for row in table.rows],
        "totals": [exports.cell(table.totals.get(c.key), c, currency, language)
                   for c in table.columns] if table.totals else None}
