"""The waiter's tablet: one page shell; its script works through the checks, floor and
menu API and the /floor socket, so the page itself carries only what the API cannot."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, render_template
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.api import current_db
from pos.core.auth import Permission, current_actor
from pos.ordering.models import Check, CheckStatus
from pos.staff import operations as staff_ops
from pos.staff.models import StaffMember
from pos.staff.web import require_page
from pos.venue.operations import get_venue

bp = Blueprint("tablet", __name__)


def servers_on_the_floor(session: Session) -> list[StaffMember]:
    """Everyone who serves, and whoever holds an open check (a screen names them)."""
    serving = set(session.scalars(select(Check.server_id)
                                  .where(Check.status == CheckStatus.OPEN)))
    return staff_ops.servers(session, serving)


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
                   for member in servers_on_the_floor(session)]
        venue_language = venue.locale.split("_")[0]
    config = {
        "me": {"id": actor.staff_id, "name": actor.name, "role": str(actor.role)},
        "can": {"void": actor.can(Permission.VOID), "comp": actor.can(Permission.COMP),
                "discount": actor.can(Permission.DISCOUNT),
                "menu_86": actor.can(Permission.MENU_86)},
        "servers": servers,
        "venue_language": venue_language,
    }
    return render_template("tablet/index.html", config=config, plurals=plural_strings())


# Intl.PluralRules names the forms "one" (1), "few" (Romanian: 2–19) and "other" (20+):
# each plural is rendered once per form, with {count} left for the script to fill.
PLURAL_SAMPLES = (("one", 1), ("few", 2), ("other", 20))

PLURALS: dict[str, Callable[[int], str]] = {
    "sent_lines": lambda n: ngettext("Sent to the kitchen and bar: %(count)s item.",
                                     "Sent to the kitchen and bar: %(count)s items.", n,
                                     count="{count}"),
    "offline_pending": lambda n: ngettext(
        "Offline — %(count)s order will be sent when Masa is back.",
        "Offline — %(count)s orders will be sent when Masa is back.", n, count="{count}"),
    "left_unsent": lambda n: ngettext(
        "%(label)s: %(count)s item not sent yet. It is kept; send it from the check.",
        "%(label)s: %(count)s items not sent yet. They are kept; send them from the check.", n,
        count="{count}", label="{label}"),
    "lines_added": lambda n: ngettext("%(count)s item added", "%(count)s items added", n,
                                      count="{count}"),
    "lines_voided": lambda n: ngettext("%(count)s line voided", "%(count)s lines voided", n,
                                       count="{count}"),
    "guests_now": lambda n: ngettext("now %(count)s guest", "now %(count)s guests", n,
                                     count="{count}"),
    "guests_n": lambda n: ngettext("%(count)s guest", "%(count)s guests", n, count="{count}"),
    "seats_n": lambda n: ngettext("%(count)s seat", "%(count)s seats", n, count="{count}"),
    "lines_n": lambda n: ngettext("%(count)s line", "%(count)s lines", n, count="{count}"),
    "move_n_lines": lambda n: ngettext("Move %(count)s line", "Move %(count)s lines", n,
                                       count="{count}"),
    "lines_moved": lambda n: ngettext("%(count)s line moved to %(label)s.",
                                      "%(count)s lines moved to %(label)s.", n,
                                      count="{count}", label="{label}"),
    "tables_busy": lambda n: ngettext("%(count)s table taken", "%(count)s tables taken", n,
                                      count="{count}"),
}


def plural_strings() -> dict[str, dict[str, str]]:
    return {key: {form: render(n) for form, n in PLURAL_SAMPLES}
            for key, render in PLURALS.items()}
