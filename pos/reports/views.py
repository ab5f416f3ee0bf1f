"""X and Z reports over HTTP: read an X at any time, take the Z that closes the day, read
or print a Z again, and its PDF."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, url_for

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.i18n import current_language
from pos.payments.models import ZReport
from pos.reports import operations as ops
from pos.reports.rendering import LANGUAGES, report_pdf
from pos.reports.schemas import (
    NextZOut,
    PdfQuery,
    PrintedOut,
    PrintReport,
    TakeZ,
    XQuery,
    ZReportOut,
)

api = Blueprint("reports_api", __name__, url_prefix=API_PREFIX)


def z_out(report: ZReport, job_id: int | None = None) -> dict[str, Any]:
    return {"number": report.number, "business_day_id": report.business_day_id,
            "taken_at": report.taken_at, "taken_by_id": report.taken_by_id,
            "totals": report.totals, "print_job_id": job_id,
            "pdf_url": url_for("reports_api.z_pdf", number=report.number)}


@api_route(api, "/reports/x", summary="The X report: the day so far, or one drawer's shift",
           permission=Permission.REPORTS_VIEW, query=XQuery, tag="reports")
def x_report(session, actor, query: XQuery):
    return ops.x_report(session, actor, shift_id=query.shift_id)


@api_route(api, "/reports/x/print", method="POST", status=201, idempotent=False,
           summary="Print the X report on a printer", permission=Permission.REPORTS_VIEW,
           body=PrintReport, response=PrintedOut, tag="reports")
def print_x(session, actor, body: PrintReport):
    totals = ops.x_report(session, actor, shift_id=body.shift_id)
    printer = ops.printer_for(session, body.printer_id)
    job = ops.print_report(session, printer, totals, body.language)
    session.flush()
    return {"print_job_id": job.id}


@api_route(api, "/reports/z", method="POST", status=201,
           summary="Take the Z: close the business day (refused while checks or drawers are "
           "open, and for a day that has its Z)", permission=Permission.BUSINESS_DAY,
           body=TakeZ, response=ZReportOut, tag="reports")
def take_z(session, actor, body: TakeZ):
    report, job = ops.take_z(session, actor, printer_id=body.printer_id,
                             language=body.language, business_day_id=body.business_day_id)
    return z_out(report, job.id if job is not None else None)


@api_route(api, "/reports/z/next", summary="The day the next Z closes: the oldest whose Z "
           "is owed, else the open day", permission=Permission.BUSINESS_DAY,
           response=NextZOut, tag="reports")
def next_z(session, actor):
    day = ops.next_z_day(session)
    return {"business_day_id": day.id, "opened_at": day.opened_at, "closed_at": day.closed_at,
            "days_owed": len(ops.days_without_z(session))}


@api_route(api, "/reports/z/<int:number>", summary="A Z report, as it was taken",
           permission=Permission.REPORTS_VIEW, response=ZReportOut, tag="reports")
def show_z(session, actor, number: int):
    return z_out(ops.read_z(session, number))


@api_route(api, "/reports/z/<int:number>/print", method="POST", status=201, idempotent=False,
           summary="Print a Z report again", permission=Permission.REPORTS_VIEW,
           body=PrintReport, response=PrintedOut, tag="reports")
def print_z(session, actor, body: PrintReport, number: int):
    report = ops.read_z(session, number)
    printer = ops.printer_for(session, body.printer_id)
    job = ops.print_report(session, printer, report.totals, body.language)
    session.flush()
    return {"print_job_id": job.id}


@api_route(api, "/reports/z/<int:number>.pdf", summary="A Z report as an A4 PDF, in ?lang= "
           "or the reader's language", permission=Permission.REPORTS_VIEW, query=PdfQuery,
           tag="reports")
def z_pdf(session, actor, query: PdfQuery, number: int) -> Response:
    language = query.lang or current_language()
    totals = ops.read_z(session, number).totals
    pdf = report_pdf(totals, language if language in LANGUAGES else "ro")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="z-{number}.pdf"',
        "Cache-Control": "private, no-store"})


from pos.reports import daily, range_views  # noqa: E402, F401  (reports over days, here)

api.record_once(lambda state: daily.register(state.app, state.app.extensions["masa_db"]))
