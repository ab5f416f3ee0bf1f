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
    FLOOR_EDIT = "floor.edit"  # place, size and name tables; floors and sections
    SEAT_GUESTS = "floor.seat"
    TAKE_ORDERS = "order.take"
    VOID = "order.void"  # void a sent line without approval
    COMP = "order.comp"
    DISCOUNT = "order.discount"
    APPROVE = "approve"  # give a manager's approval on another's screen
    KITCHEN_VIEW = "kitchen.view"
    KITCHEN_BUMP = "kitchen.bump"
    TAKE_PAYMENT = "cashier.pay"
    PRINT_BILL = "cashier.print_bill"  # a pre-bill for the guests, a receipt again
    REFUND = "cashier.refund"
    NO_SALE = "cashier.no_sale"
    FOLIO = "desk.folio"
    OFFICE_VIEW = "office.view"  # back office screens and alerts
    MENU_EDIT = "menu.edit"
    MENU_86 = "menu.86"  # mark an item out, or set how many portions are left
    # Receive deliveries, log waste, count a location, move stock between locations.
    # What dishes are made of (ingredients, recipes, locations) is MENU_EDIT's.
    STOCK = "inventory.stock"
    STAFF_MANAGE = "staff.manage"
    DEVICES_MANAGE = "devices.manage"
    SETTINGS_EDIT = "settings.edit"  # the venue's identity, money, tax and security rules
    SERVICE_SETTINGS = "settings.service"  # tips, cash notes, receipt text, ticket colours
    REPORTS_VIEW = "reports.view"
    AUDIT_VIEW = "audit.view"


P = Permission
_SERVICE = {P.VENUE_VIEW, P.FLOOR_VIEW, P.TAKE_ORDERS, P.PRINT_BILL}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.WAITER: frozenset(_SERVICE),
    Role.BARTENDER: frozenset(_SERVICE | {P.TAKE_PAYMENT, P.MENU_86}),
    Role.HOST: frozenset({P.VENUE_VIEW, P.FLOOR_VIEW, P.SEAT_GUESTS}),
    Role.CASHIER: frozenset({P.VENUE_VIEW, P.FLOOR_VIEW, P.TAKE_PAYMENT, P.PRINT_BILL}),
    Role.KITCHEN: frozenset({P.VENUE_VIEW, P.KITCHEN_VIEW, P.KITCHEN_BUMP, P.MENU_86,
                             P.STOCK}),
    Role.FRONT_DESK: frozenset({P.VENUE_VIEW, P.FOLIO}),
    Role.MANAGER: frozenset(set(Permission) - {P.SETTINGS_EDIT}),
    Role.ADMIN: frozenset(Permission),
}


# What only a person answers for: a screen on the wall may show and take orders in its
# role, but never approves, hands out access or changes the rules.
PERSON_ONLY: frozenset[Permission] = frozenset({
    P.APPROVE, P.STAFF_MANAGE, P.DEVICES_MANAGE, P.SETTINGS_EDIT, P.SERVICE_SETTINGS,
    P.AUDIT_VIEW})

# Who outranks whom. Staff and devices are created, changed or paired only at or below
# the actor's own rank, and only staff of a rank at or below it are changed.
RANK: dict[Role, int] = {
    Role.WAITER: 1, Role.BARTENDER: 1, Role.HOST: 1, Role.CASHIER: 1, Role.KITCHEN: 1,
    Role.FRONT_DESK: 1, Role.MANAGER: 2, Role.ADMIN: 3,
}
DEVICE_ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.ADMIN)


def role_can(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


def outranks_or_equals(role: Role, other: Role) -> bool:
    """May one in ``role`` give ``other`` to someone, or change someone who holds it?"""
    return RANK[other] <= RANK[role]


@dataclass(frozen=True)
class Actor:
    """The one acting: a staff member (staff_id set) or an unattended paired device."""

    role: Role
    name: str
    staff_id: int | None = None
    device_id: int | None = None
    language: str | None = None
    station: str | None = None  # a kitchen screen paired to one station
    session_id: int | None = None  # the server-side sign-in session of a staff member
    server_id: int | None = None  # a device's checks belong to this server, if set

    @property
    def is_device(self) -> bool:
        return self.staff_id is None

    def can(self, permission: Permission) -> bool:
        if self.is_device and permission in PERSON_ONLY:
            return False
        return role_can(self.role, permission)

    def may_grant(self, role: Role) -> bool:
        """Staff and devices get a role at or below the actor's own; devices never admin."""
        return outranks_or_equals(self.role, role)


# In ``g``: why the sign-in this request's cookie named no longer holds, and whose language
# it spoke ({"reason", "language"}), so the answer can say so to the one who was there.
SESSION_ENDED = "masa_session_ended"


def current_actor() -> Actor | None:
    return g.get("actor")


def require(permission: Permission) -> Actor:
    """The current actor, if signed in and allowed ``permission``; else 401 or 403."""
    return allowed(current_actor(), permission)


def not_signed_in() -> NotSignedIn:
    ended = g.get(SESSION_ENDED) if g else None
    if ended and ended.get("reason") == "idle":
        error = NotSignedIn(_("You were signed out after a while without a tap. Enter your "
                              "PIN to go on; nothing is lost."), code="session_ended")
    elif ended and ended.get("reason") not in (None, "unknown"):
        error = NotSignedIn(_("You were signed out. Enter your PIN to go on."),
                            code="session_ended")
    else:
        return NotSignedIn(_("Sign in first."))
    error.reason = ended["reason"]
    return error


def allowed(actor: Actor | None, permission: Permission) -> Actor:
    if actor is None:
        raise not_signed_in()
    if not actor.can(permission):
        raise Forbidden(_("Your role (%(role)s) may not do this (%(permission)s).",
                          role=actor.role.value, permission=permission.value))
    return actor
