"""The waiter's tablet: one page shell; its script works through the checks, floor and
menu API and the /floor socket, so the page itself carries only what the API cannot."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from sqlalchemy import select

from pos.core.api import current_db
from pos.core.auth import Permission, current_actor, role_can
from pos.staff.models import StaffMember
from pos.staff.views import require_page
from pos.venue.operations import get_venue

bp = Blueprint("tablet", __name__)


@bp.get("/tablet")
def tablet_page() -> Response | str:
    refused = require_page(Permission.TAKE_ORDERS)
    if refused is not None:
        return refused
    actor = current_actor()
    with current_db().reading() as session:
        venue = get_venue(session)
        # Who a check can be handed to; GET /api/v1/staff is for managers only.
        servers = [{"id": member.id, "name": member.name}
                   for member in session.scalars(select(StaffMember)
                                                 .where(StaffMember.active.is_(True))
                                                 .order_by(StaffMember.name))
                   if role_can(member.role, Permission.TAKE_ORDERS)]
        venue_language = venue.locale.split("_")[0]
    config = {
        "me": {"id": actor.staff_id, "name": actor.name, "role": str(actor.role)},
        "can": {"void": actor.can(Permission.VOID), "comp": actor.can(Permission.COMP),
                "discount": actor.can(Permission.DISCOUNT)},
        "servers": servers,
        "venue_language": venue_language,
    }
    return render_template("tablet/index.html", config=config)
