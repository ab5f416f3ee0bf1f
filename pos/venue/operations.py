"""Reading the venue's settings and opening and closing business days."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor, Permission
from pos.core.db import utcnow
from pos.core.errors import Conflict, Forbidden, NotFound
from pos.core.events import record_event
from pos.core.images import LOGO_HEIGHT, LOGO_WIDTH, image_url, store_image
from pos.core.money import TaxMode
from pos.venue.models import BusinessDay, TaxRate, Venue
from pos.venue.reference import day_is_open, forget_day

__all__ = ["day_is_open"]  # asked on every order; read with the config version


def get_venue(session: Session) -> Venue:
    venue = session.get(Venue, 1)
    if venue is None:
        raise NotFound(_("The venue is not set up yet."))
    return venue


def open_business_day(session: Session, actor: Actor | None) -> BusinessDay:
    if current_business_day(session) is not None:
        raise Conflict(_("A business day is already open."))
    day = BusinessDay(opened_at=utcnow(), opened_by_id=actor.staff_id if actor else None)
    session.add(day)
    session.flush()
    announce_business_day(session, day)
    return day


def current_business_day(session: Session) -> BusinessDay | None:
    return session.scalar(select(BusinessDay).where(BusinessDay.is_open.is_(True)))


def close_business_day(session: Session, actor: Actor | None) -> BusinessDay:
    day = current_business_day(session)
    if day is None:
        raise Conflict(_("No business day is open."))
    day.closed_at = utcnow()
    day.closed_by_id = actor.staff_id if actor else None
    day.is_open = None
    announce_business_day(session, day)
    return day


def announce_business_day(session: Session, day: BusinessDay) -> None:
    """Every screen learns the day opened or closed (tablets lock ordering once it is closed)."""
    forget_day(session)
    data = {"id": day.id, "open": day.is_open is True, "opened_at": day.opened_at.isoformat(),
            "closed_at": day.closed_at.isoformat() if day.closed_at else None}
    record_event(session, "/floor", "floor", "business_day", data)
    record_event(session, "/office", "office", "business_day", data)


def create_venue(session: Session, *, name: str, currency: str, locale: str, timezone: str,
                 tax_mode: TaxMode, tax_rates: list[tuple[str, int, str]]) -> Venue:
    """The one venue this database serves, with its tax rates."""
    if session.get(Venue, 1) is not None:
        raise Conflict(_("The venue is already set up."), field="name")
    venue = Venue(id=1, name=name, currency=currency, locale=locale, timezone=timezone,
                  tax_mode=tax_mode)
    session.add(venue)
    session.add_all([TaxRate(name=rate_name, rate_bp=rate_bp, code=code)
                     for rate_name, rate_bp, code in tax_rates])
    session.flush()
    return venue


def change_settings(session: Session, actor: Actor, changes: dict) -> Venue:
    """Change venue settings; each change is audited with its old and new value (a value
    sent unchanged is no change, and nothing is written for it)."""
    refuse_admin_fields(actor, changes)
    venue = get_venue(session)
    changed = {name: [getattr(venue, name), value] for name, value in changes.items()
               if getattr(venue, name) != value}
    if not changed:
        return venue
    if "currency" in changed and current_business_day(session) is not None:
        # Open checks hold amounts in the old currency's minor units.
        raise Conflict(_("Close the business day before changing the currency."),
                       field="currency")
    for name, (_before, value) in changed.items():
        setattr(venue, name, value)
    record_audit(session, "settings.changed", actor=actor, subject="venue", changes=changed)
    record_event(session, "/floor", "floor", "venue",
                 {name: value for name, (_before, value) in changed.items()})
    return venue


# What a manager changes during service, as the shift finds it: the tips and banknotes the
# cashier offers, the receipt's own lines, when a tablet signs out or asks twice. The rest
# (who the venue is on a fiscal receipt, its money, tax and time, how its PINs and sections
# are guarded) is the admin's: a manager changing them would change the books or the
# rules that watch the managers.
SERVICE_FIELDS = frozenset({
    "tip_suggestions_bp", "tip_on_net", "tips_shared", "cash_quick_notes", "receipt_header",
    "receipt_footer", "idle_signout_seconds", "confirm_quantity_above",
    "confirm_line_amount_above_minor"})


def refuse_admin_fields(actor: Actor, changes: dict) -> None:
    """A manager changes the service settings only (``SERVICE_FIELDS``): a change that
    carries any other is refused whole, naming that field."""
    if actor.can(Permission.SETTINGS_EDIT):
        return
    for name in sorted(changes):
        if name not in SERVICE_FIELDS:
            raise Forbidden(_("Only an admin changes this setting."), field=name)


def set_logo(session: Session, actor: Actor, data: str | None) -> Venue:
    """The venue's logo on its receipts (base64 PNG, JPEG or WebP, drawn again at most
    600 × 300 px), or none; audited with the picture's address before and after."""
    venue = get_venue(session)
    image = None if data is None else store_image(session, data, max_width=LOGO_WIDTH,
                                                  max_height=LOGO_HEIGHT)
    before = image_url(session, venue.logo_image_id)
    after = image.url if image else None
    if before != after:
        venue.logo_image_id = image.id if image else None
        record_audit(session, "settings.changed", actor=actor, subject="venue",
                     changes={"logo": [before, after]})
    return venue


# --- tax rates -------------------------------------------------------------------------------

def add_tax_rate(session: Session, actor: Actor, *, name: str, rate_bp: int,
                 code: str) -> TaxRate:
    refuse_taken_rate_name(session, name)
    rate = TaxRate(name=name, rate_bp=rate_bp, code=code, active=True)
    session.add(rate)
    session.flush()
    record_audit(session, "settings.changed", actor=actor, subject=f"tax_rate:{rate.id}",
                 changes={"name": [None, name], "rate_bp": [None, rate_bp],
                          "code": [None, code]})
    return rate


def change_tax_rate(session: Session, actor: Actor, rate_id: int, changes: dict) -> TaxRate:
    """A rate's new name, percentage, fiscal group or retirement (``active``: False). A
    retired rate stays on what was sold at it; the menu editor no longer offers it."""
    rate = session.get(TaxRate, rate_id, with_for_update=True)
    if rate is None:
        raise NotFound(_("No such tax rate."), field="rate_id")
    if "name" in changes and changes["name"] != rate.name:
        refuse_taken_rate_name(session, changes["name"])
    changed = {name: [getattr(rate, name), value] for name, value in changes.items()
               if getattr(rate, name) != value}
    for name, (_before, value) in changed.items():
        setattr(rate, name, value)
    if changed:
        record_audit(session, "settings.changed", actor=actor, subject=f"tax_rate:{rate.id}",
                     changes=changed)
    return rate


def refuse_taken_rate_name(session: Session, name: str) -> None:
    taken = session.scalar(select(TaxRate.id).where(TaxRate.name == name,
                                                    TaxRate.active.is_(True)))
    if taken is not None:
        raise Conflict(_("Another tax rate is called “%(name)s”.", name=name), field="name")
