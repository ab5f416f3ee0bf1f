"""Who may do what: roles, the permission table, and the actor behind a request.

Every HTTP route and Socket.IO event names the permission it needs; the actor is
either a signed-in staff member or a paired device (a KDS on the wall) acting in
the role it was paired with.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import g
from flask_babel import gettext as _

from pos.core.errors import Forbidden, NotSignedIn


class Role(StrEnum):
    WAITER = "waiter"
    BARTENDER = "bartender"
    HOST = "host"
    CASHIER = "cashier"
    KITCHEN = "kitchen"
    FRONT_DESK = "front_desk"
    MANAGER = "manager"
    ADMIN = "admin"


class Permission(StrEnum):
    VENUE_VIEW = "venue.view"  # the venue's name, currency, tax rates: every role
    BUSINESS_DAY = "day.open_close"
    FLOOR_VIEW = "floor.view"  # see tables and their states
    SEAT_GUESTS = "floor.seat"
    TAKE_ORDERS = "order.take"
    VOID = "order.void"  # void a sent line without approval
    COMP = "order.comp"
    DISCOUNT = "order.discount"
    APPROVE = "approve"  # give a manager's approval on another's screen
    KITCHEN_VIEW = "kitchen.view"
    KITCHEN_BUMP = "kitchen.bump"
    TAKE_PAYMENT = "cashier.pay"
    REFUND = "cashier.refund"
    NO_SALE = "cashier.no_sale"
    FOLIO = "desk.folio"
    OFFICE_VIEW = "office.view"  # back office screens and alerts
    MENU_EDIT = "menu.edit"
    MENU_86 = "menu.86"  # mark an item out, or set how many portions are left
    STAFF_MANAGE = "staff.manage"
    DEVICES_MANAGE = "devices.manage"
    SETTINGS_EDIT = "settings.edit"
    REPORTS_VIEW = "reports.view"
    AUDIT_VIEW = "audit.view"


P = Permission
_SERVICE = {P.VENUE_VIEW, P.FLOOR_VIEW, P.TAKE_ORDERS}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.WAITER: frozenset(_SERVICE),
    Role.BARTENDER: frozenset(_SERVICE | {P.TAKE_PAYMENT, P.MENU_86}),
    Role.HOST: frozenset({P.VENUE_VIEW, P.FLOOR_VIEW, P.SEAT_GUESTS}),
    Role.CASHIER: frozenset({P.VENUE_VIEW, P.FLOOR_VIEW, P.TAKE_PAYMENT}),
    Role.KITCHEN: frozenset({P.VENUE_VIEW, P.KITCHEN_VIEW, P.KITCHEN_BUMP, P.MENU_86}),
    Role.FRONT_DESK: frozenset({P.VENUE_VIEW, P.FOLIO}),
    Role.MANAGER: frozenset(set(Permission) - {P.SETTINGS_EDIT}),
    Role.ADMIN: frozenset(Permission),
}


def role_can(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


@dataclass(frozen=True)
class Actor:
    """The one acting: a staff member (staff_id set) or an unattended paired device."""

    role: Role
    name: str
    staff_id: int | None = None
    device_id: int | None = None
    language: str | None = None
    station: str | None = None  # a kitchen screen paired to one station

    def can(self, permission: Permission) -> bool:
        return role_can(self.role, permission)


def current_actor() -> Actor | None:
    return g.get("actor")


def require(permission: Permission) -> Actor:
    """The current actor, if signed in and allowed ``permission``; else 401 or 403."""
    return allowed(current_actor(), permission)


def allowed(actor: Actor | None, permission: Permission) -> Actor:
    if actor is None:
        raise NotSignedIn(_("Sign in first."))
    if not actor.can(permission):
        raise Forbidden(_("Your role (%(role)s) may not do this (%(permission)s).",
                          role=actor.role.value, permission=permission.value))
    return actor
