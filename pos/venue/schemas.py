from __future__ import annotations

from datetime import datetime

from pydantic import Field

from pos.core.api import Out, Schema
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
    currency_exponent: int = Field(description="The currency's minor digits (ISO 4217: JPY 0, "
                                   "RON 2, KWD 3): every amount is an integer of those units")
    locale: str
    timezone: str
    tax_mode: TaxMode
    idle_signout_seconds: int
    waiters_see_all_sections: bool
    pin_alert_failures: int
    tax_rates: list[TaxRateOut]


class BusinessDayOut(Out):
    id: int
    opened_at: datetime
    closed_at: datetime | None


class VenueSettings(Schema):
    idle_signout_seconds: int | None = Field(None, ge=15, le=3600, description="A shared "
                                             "screen signs out after this long untouched")
    waiters_see_all_sections: bool | None = Field(None, description="Else a waiter's floor "
                                                  "plan opens on their own section")
    pin_alert_failures: int | None = Field(None, ge=1, le=10_000, description="Wrong PINs "
                                           "across the venue in an hour that alert managers")
