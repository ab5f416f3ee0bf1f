"""Summary tables behind the sales reports: each closed business day's figures, written
once when its Z is taken (``pos.reports.summaries``), so a year reads in seconds.

They hold nothing new: every figure is worked out from the same rows and the same rules as
the day's Z (``pos.reports.operations.day_totals``), and a report over days reconciles with
their Zs to the last ban. A day without a summary yet (the open day) is worked out live.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import Base, BigId, utcnow
from pos.ordering.models import Check

# A Z and the reports find a day's paid checks by when they were closed: without this
# each Z reads every check ever paid.
Index("ix_checks_status_closed_at", Check.status, Check.closed_at)


class ReportDay(Base):
    """A business day whose summary rows are written (they are complete)."""

    __tablename__ = "report_days"

    business_day_id: Mapped[int] = mapped_column(ForeignKey("business_days.id"),
                                                 primary_key=True)
    business_date: Mapped[date] = mapped_column(index=True)  # venue time, the day opened
    built_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportCheck(Base):
    """A paid check as the reports count it: the day it was paid in, who, where, when,
    what it came to and what was taken off it."""

    __tablename__ = "report_checks"
    __table_args__ = (Index("ix_report_checks_date_server", "business_date", "server_id"),)

    check_id: Mapped[int] = mapped_column(BigId, ForeignKey("checks.id"), primary_key=True)
    business_day_id: Mapped[int] = mapped_column(ForeignKey("business_days.id"), index=True)
    business_date: Mapped[date]
    hour: Mapped[int]  # venue time, when paid
    weekday: Mapped[int]  # of the business date: 0 Monday
    server_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("tables.id"))
    floor_id: Mapped[int | None] = mapped_column(ForeignKey("floors.id"))
    covers: Mapped[int]
    gross: Mapped[int]  # its paid bills' totals
    net: Mapped[int]
    tax: Mapped[int]
    discounts: Mapped[int]
    comps: Mapped[int]
    comp_count: Mapped[int]
    voids: Mapped[int]
    void_count: Mapped[int]
    void_quantity: Mapped[int]
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime]
    turn_seconds: Mapped[int]  # seated (opened) to paid


class ReportLine(Base):
    """One item on one paid check (its lines together): quantity, value before and after
    discounts and comps, what was voided."""

    __tablename__ = "report_lines"
    __table_args__ = (Index("ix_report_lines_date_item", "business_date", "item_id"),
                      Index("ix_report_lines_check", "check_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    check_id: Mapped[int] = mapped_column(BigId, ForeignKey("checks.id"))
    business_day_id: Mapped[int] = mapped_column(ForeignKey("business_days.id"))
    business_date: Mapped[date]
    item_id: Mapped[int | None] = mapped_column(ForeignKey("menu_items.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    quantity: Mapped[int]
    gross: Mapped[int]
    amount: Mapped[int]  # after discounts and comps
    comps: Mapped[int]
    void_quantity: Mapped[int]
    voids: Mapped[int]


class ReportTender(Base):
    """A day's payments and refunds of one tender (by the day they were taken in)."""

    __tablename__ = "report_tenders"

    business_day_id: Mapped[int] = mapped_column(ForeignKey("business_days.id"),
                                                 primary_key=True)
    tender: Mapped[str] = mapped_column(String(16), primary_key=True)
    business_date: Mapped[date] = mapped_column(index=True)
    count: Mapped[int]
    amount: Mapped[int]
    tips: Mapped[int]
    refund_count: Mapped[int]
    refunds: Mapped[int]


class ReportTip(Base):
    """A day's tips of one person (their shares of the day's payments' tips)."""

    __tablename__ = "report_tips"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    business_day_id: Mapped[int] = mapped_column(ForeignKey("business_days.id"), index=True)
    business_date: Mapped[date] = mapped_column(index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    amount: Mapped[int]
