"""The venue's settings and the business day, over the API."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from sqlalchemy import select

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import InvalidInput
from pos.core.images import IMAGE_REQUEST_BYTES, ImageUpload, image_url
from pos.core.money import minor_units
from pos.venue import operations as ops
from pos.venue.models import TaxRate
from pos.venue.schemas import (
    BusinessDayOut,
    NewTaxRate,
    TaxRateAdmin,
    TaxRateChange,
    VenueOut,
    VenueSettings,
)

api = Blueprint("venue_api", __name__, url_prefix=API_PREFIX)


@api_route(api, "/venue", summary="The venue: name, currency, locale, tax mode and rates",
           permission=Permission.VENUE_VIEW, response=VenueOut, tag="venue")
def show_venue(session, actor):
    return venue_out(session)


def venue_out(session) -> dict:
    venue = ops.get_venue(session)
    rates = session.scalars(select(TaxRate).where(TaxRate.active.is_(True))).all()
    computed = {"tax_rates": rates, "currency_exponent": minor_units(venue.currency),
                "logo_url": image_url(session, venue.logo_image_id)}
    return {**{c: getattr(venue, c) for c in VenueOut.model_fields if c not in computed},
            **computed}


@api_route(api, "/venue", method="PATCH", summary="Change the venue's settings (audited). A "
           "manager changes the service settings only (tips, cash notes, receipt text, sign-out "
           "and confirmations); any other field is an admin's: 403 naming it, nothing written",
           permission=Permission.SERVICE_SETTINGS, body=VenueSettings, response=VenueOut,
           tag="venue")
def change_venue(session, actor, body: VenueSettings):
    changes = body.model_dump(exclude_none=True)
    if not changes:
        raise InvalidInput(_("Nothing to change."), field="body")
    ops.change_settings(session, actor, changes)
    return venue_out(session)


@api.before_request
def admit_a_picture() -> None:
    if request.endpoint == "venue_api.set_logo":
        request.max_content_length = IMAGE_REQUEST_BYTES


@api_route(api, "/venue/logo", method="PUT", summary="The venue's logo on its receipts "
           "(base64 PNG, JPEG or WebP up to 2 MB), or none (null); audited",
           permission=Permission.SETTINGS_EDIT, body=ImageUpload, response=VenueOut,
           tag="venue", endpoint="set_logo")
def set_logo(session, actor, body: ImageUpload):
    ops.set_logo(session, actor, body.data)
    return venue_out(session)


@api_route(api, "/tax-rates", summary="Every tax rate, retired ones too",
           permission=Permission.SETTINGS_EDIT, response=TaxRateAdmin, many=True, tag="venue")
def list_tax_rates(session, actor):
    return session.scalars(select(TaxRate).order_by(TaxRate.active.desc(), TaxRate.rate_bp,
                                                    TaxRate.id)).all()


@api_route(api, "/tax-rates", method="POST", summary="Add a tax rate (audited)",
           permission=Permission.SETTINGS_EDIT, body=NewTaxRate, response=TaxRateAdmin,
           status=201, idempotent=False, tag="venue")
def add_tax_rate(session, actor, body: NewTaxRate):
    return ops.add_tax_rate(session, actor, name=body.name, rate_bp=body.rate_bp,
                            code=body.code)


@api_route(api, "/tax-rates/<int:rate_id>", method="PATCH", summary="Change or retire a tax "
           "rate (audited with before and after)", permission=Permission.SETTINGS_EDIT,
           body=TaxRateChange, response=TaxRateAdmin, tag="venue")
def change_tax_rate(session, actor, body: TaxRateChange, rate_id: int):
    changes = body.model_dump(exclude_none=True)
    if not changes:
        raise InvalidInput(_("Nothing to change."), field="body")
    return ops.change_tax_rate(session, actor, rate_id, changes)


@api_route(api, "/business-day/open", method="POST", summary="Open the business day",
           permission=Permission.BUSINESS_DAY, response=BusinessDayOut, status=201,
           tag="venue")
def open_business_day(session, actor):
    return ops.open_business_day(session, actor)


@api_route(api, "/business-day/close", method="POST", summary="Close the business day: "
           "ordering stops; its Z is still owed (POST /reports/z) before any later day's",
           permission=Permission.BUSINESS_DAY, response=BusinessDayOut, tag="venue")
def close_business_day(session, actor):
    return ops.close_business_day(session, actor)
