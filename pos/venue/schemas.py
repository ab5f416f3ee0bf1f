from __future__ import annotations

from datetime import datetime

from pos.core.api import Out
from pos.core.money import TaxMode


class TaxRateOut(Out):
    id: int
    name: str
    rate_bp: int
    code: str


class VenueOut(Out):
    name: str
    address: str
    fiscal_code: str
    currency: str
    locale: str
    timezone: str
    tax_mode: TaxMode
    idle_signout_seconds: int
    tax_rates: list[TaxRateOut]


class BusinessDayOut(Out):
    id: int
    opened_at: datetime
    closed_at: datetime | None
