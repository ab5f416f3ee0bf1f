"""The back office's staff screen: people, their roles and PINs, who is clocked in now, and
each person's shifts of the week with a manager's corrections."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from pos.core.auth import RANK, Permission, Role, current_actor
from pos.staff.web import require_page

bp = Blueprint("staff_office", __name__)


def grantable_roles(role: Role) -> list[str]:
    """The roles this manager may give (at or below their own), lowest first."""
    return [each.value for each in sorted(Role, key=lambda r: RANK[r]) if RANK[each] <= RANK[role]]


@bp.get("/office/staff")
def staff_page() -> Response | str:
    refused = require_page(Permission.STAFF_MANAGE)
    if refused is not None:
        return refused
    actor = current_actor()
    return render_template("office/staff.html", grantable=grantable_roles(actor.role),
                           me=actor.staff_id)
