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
    confirm_quantity_above: int = Field(description="The tablet asks before adding a line of "
                                        "more portions than this")
    confirm_line_amount_above_minor: int = Field(description="The tablet asks before adding "
                                                 "a line worth more than this (minor units)")
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
    confirm_quantity_above: int | None = Field(None, ge=1, le=99, description="The tablet "
                                               "asks before adding a line of more portions "
                                               "than this (99 is the most a line holds)")
    confirm_line_amount_above_minor: int | None = Field(
        None, ge=1, le=100_000_000, description="The tablet asks before adding a line worth "
        "more than this, in the currency's minor units (100000 = 1,000.00 RON)")
