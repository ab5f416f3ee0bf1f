from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from zoneinfo import available_timezones

from babel.numbers import list_currencies
from pydantic import Field, field_validator

from pos.core.api import Amount, Out, Schema
from pos.core.money import TaxMode


class TaxRateOut(Out):
    id: int
    name: str
    rate_bp: int
    code: str


class TaxRateAdmin(TaxRateOut):
    active: bool


class NewTaxRate(Schema):
    name: str = Field(min_length=1, max_length=60)
    rate_bp: int = Field(ge=0, le=10_000, description="Basis points: 2100 = 21 %")
    code: str = Field("", max_length=8, description="The fiscal printer's tax group")


class TaxRateChange(Schema):
    name: str | None = Field(None, min_length=1, max_length=60)
    rate_bp: int | None = Field(None, ge=0, le=10_000)
    code: str | None = Field(None, max_length=8)
    active: bool | None = Field(None, description="False takes it off the menu editor's "
                                "choices; what was sold at it keeps it")


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
    tip_suggestions_bp: list[int] | None
    tip_on_net: bool
    tips_shared: bool
    cash_quick_notes: list[int] | None
    receipt_header: str
    receipt_footer: str
    logo_url: str | None = Field(None, description="The logo on its receipts "
                                 "(/media/<sha256>.<ext>); none: no logo")
    tax_rates: list[TaxRateOut]


class BusinessDayOut(Out):
    id: int
    opened_at: datetime
    closed_at: datetime | None


TipPercent = Annotated[int, Field(ge=1, le=10_000)]
Banknote = Annotated[Amount, Field(ge=1)]


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
    name: str | None = Field(None, min_length=1, max_length=120)
    address: str | None = Field(None, max_length=300)
    fiscal_code: str | None = Field(None, max_length=40, description="CUI / VAT number")
    currency: str | None = Field(None, min_length=3, max_length=3, description="ISO 4217")
    locale: str | None = Field(None, min_length=2, max_length=16, description="ro_RO, en_GB")
    timezone: str | None = Field(None, min_length=1, max_length=64,
                                 description="IANA time zone: Europe/Bucharest")
    tax_mode: TaxMode | None = None
    tip_suggestions_bp: list[TipPercent] | None = Field(
        None, max_length=6, description="Tips the cashier suggests, in basis points "
        "(1000 = 10 %), up to six")
    tip_on_net: bool | None = Field(None, description="Suggested tips are worked out on the "
                                    "bill before tax")
    tips_shared: bool | None = Field(None, description="A tip is split among everyone who "
                                     "ordered on the check")
    cash_quick_notes: list[Banknote] | None = Field(None, max_length=8)
    receipt_header: str | None = Field(None, max_length=500)
    receipt_footer: str | None = Field(None, max_length=500)

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str | None) -> str | None:
        if value is not None and value not in KNOWN_CURRENCIES:
            raise ValueError("not an ISO 4217 currency code (RON, EUR, USD)")
        return value

    @field_validator("locale")
    @classmethod
    def _locale_shape(cls, value: str | None) -> str | None:
        if value is not None and not LOCALE.match(value):
            raise ValueError("a language and country such as ro_RO or en_GB")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in available_timezones():
            raise ValueError("not a time zone (Europe/Bucharest, Europe/London)")
        return value

    @field_validator("tip_suggestions_bp", "cash_quick_notes")
    @classmethod
    def _each_once(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("each value once")
        return sorted(value) if value is not None else None


KNOWN_CURRENCIES = frozenset(list_currencies())
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
