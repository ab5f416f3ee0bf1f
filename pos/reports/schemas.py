"""Requests and answers of the reports API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from pos.core.api import DayRange, Id, Out, Schema
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


# --- reports over a range of business days ------------------------------------------------

SALES_BY = Literal["day", "hour", "weekday", "server", "table", "floor", "item", "category",
                   "tender"]


class RangeQuery(DayRange):
    compare: bool = Field(False, description="Add the previous period of the same length")
    lang: Language | None = Field(None, description="Names in ro or en; none: the reader's")


class SalesQuery(RangeQuery):
    by: SALES_BY = Field("day", description="What the sales are broken down by")


class DrillQuery(RangeQuery):
    by: SALES_BY = Field(description="The breakdown the figure is from")
    key: str = Field(min_length=1, max_length=40, description="The row's key as the report "
                     "gave it ('none' for no server, table …)")
    limit: int = Field(200, ge=1, le=5000, description="How many checks to list")


class ExportQuery(SalesQuery):
    report: Literal["sales", "adjustments", "kitchen", "labour", "menu"] = Field(
        "sales", description="Which report")
