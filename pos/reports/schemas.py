"""Requests and answers of the reports API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from pos.core.api import Id, Out, Schema
from pos.ordering.schemas import ClientId
from pos.staff.schemas import Language


class XQuery(Schema):
    shift_id: Id | None = Field(None, description="One drawer's X; none: the day so far")


class PdfQuery(Schema):
    lang: Language | None = Field(None, description="ro or en; none: the reader's")


class TakeZ(Schema):
    client_id: ClientId | None = Field(None, description="A retry takes no second Z")
    printer_id: Id | None = Field(None, description="Print it there too")
    language: Language | None = Field(None, description="Of the printed copy")
    business_day_id: Id | None = Field(None, description="The day to close; by default the "
                                       "oldest whose Z is owed, else the open day")


class NextZOut(Out):
    business_day_id: int
    opened_at: datetime
    closed_at: datetime | None = Field(description="Set when the day was closed earlier "
                                       "(ordering stopped) and its Z is owed")
    days_owed: int = Field(description="Closed days still without their Z")


class PrintReport(Schema):
    printer_id: Id
    shift_id: Id | None = None
    language: Language | None = None


class ZReportOut(Out):
    number: int
    business_day_id: int
    taken_at: datetime
    taken_by_id: int | None
    totals: dict[str, Any]
    pdf_url: str
    print_job_id: int | None = None


class PrintedOut(Out):
    print_job_id: int
