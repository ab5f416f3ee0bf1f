"""The venue: who we are, how we tax, and the business days we trade in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import Base, BigId, text_enum
from pos.core.money import TaxMode


class Venue(Base):
    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300), default="")
    fiscal_code: Mapped[str] = mapped_column(String(40), default="")
    currency: Mapped[str] = mapped_column(String(3), default="RON")
    locale: Mapped[str] = mapped_column(String(16), default="ro_RO")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Bucharest")
    tax_mode: Mapped[TaxMode] = mapped_column(text_enum(TaxMode), default=TaxMode.INCLUSIVE)
    idle_signout_seconds: Mapped[int] = mapped_column(default=120)
    waiters_see_all_sections: Mapped[bool] = mapped_column(default=True)
    # Wrong PINs across the venue within the PIN window that raise an alert to managers.
    pin_alert_failures: Mapped[int] = mapped_column(default=30)
    # The tablet asks the waiter before adding a line of more than this many portions, or
    # of more than this amount (minor units: 100000 = 1,000.00); the server refuses nothing.
    confirm_quantity_above: Mapped[int] = mapped_column(default=20, server_default="20")
    confirm_line_amount_above_minor: Mapped[int] = mapped_column(default=100_000,
                                                                 server_default="100000")
    # Tips the cashier and the card terminal suggest (basis points: 1000 = 10 %), worked
    # out on the bill's total, or on its net (before tax) where guests expect that.
    tip_suggestions_bp: Mapped[list[int] | None] = mapped_column(
        JSON, default=lambda: [500, 1000, 1500])
    tip_on_net: Mapped[bool] = mapped_column(default=False, server_default="0")
    # A tip is the check's server's; shared: split among everyone who ordered on the
    # check, by the value of what each ordered.
    tips_shared: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Banknotes the cash screen offers as one-tap amounts tendered (minor units).
    cash_quick_notes: Mapped[list[int] | None] = mapped_column(
        JSON, default=lambda: [10_00, 50_00, 100_00, 200_00])
    # Where pre-bills and receipts print when the cashier's open shift names no printer
    # (a waiter's tablet at the table): the till's receipt printer.
    receipt_printer_id: Mapped[int | None] = mapped_column(ForeignKey("printers.id"))
    # The venue's own lines above and below every receipt (opening hours, Wi-Fi, thanks).
    receipt_header: Mapped[str] = mapped_column(String(500), default="", server_default="")
    receipt_footer: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Printed at the top of every receipt and pre-bill (pos.core.images).
    logo_image_id: Mapped[int | None] = mapped_column(ForeignKey("images.id"))
    # Bumped by every change to the menu, routing, tables or staff: each process keeps
    # that reference data cached and rebuilds it when this moves (pos.ordering.reference).
    config_version: Mapped[int] = mapped_column(default=1)


class TaxRate(Base):
    __tablename__ = "tax_rates"
    __table_args__ = (CheckConstraint("rate_bp >= 0 AND rate_bp <= 10000", name="rate_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    rate_bp: Mapped[int]  # basis points: 2100 = 21 %
    code: Mapped[str] = mapped_column(String(8), default="")  # fiscal printer's tax group
    active: Mapped[bool] = mapped_column(default=True)


class BusinessDay(Base):
    """A trading day: opened in the morning, closed by the Z report (maybe after midnight)."""

    __tablename__ = "business_days"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # True while open, NULL once closed: the unique index allows one open day at a time.
    is_open: Mapped[bool | None] = mapped_column(unique=True, default=True)
