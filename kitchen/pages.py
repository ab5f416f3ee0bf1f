"""The kitchen display screen: one page shell per station; its script loads the station's
tickets from the kitchen API and follows the /kitchen socket."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, redirect, render_template
from flask_babel import ngettext
from sqlalchemy import select

from kitchen.models import Station
from pos.core.api import current_db
from pos.core.auth import Permission, current_actor
from pos.core.i18n import current_language
from pos.staff.views import require_page
from pos.venue.operations import get_venue

bp = Blueprint("kitchen", __name__)


@bp.get("/kitchen/<station>")
def kitchen_page(station: str) -> Response | str:
    refused = require_page(Permission.KITCHEN_VIEW)
    if refused is not None:
        return refused
    actor = current_actor()
    if actor.station and actor.station != station:
        # A screen paired to one station shows that station, whatever was typed.
        return redirect(f"/kitchen/{actor.station}")
    with current_db().reading() as session:
        stations = session.scalars(select(Station).order_by(Station.position, Station.id)).all()
        venue_language = get_venue(session).locale.split("_")[0]
        this = next((s for s in stations if s.code == station), None)
        if this is None:
            abort(404)
        config = {
            "station": {"code": this.code, "names": this.names, "is_expo": this.is_expo},
            "stations": [{"code": s.code, "names": s.names, "is_expo": s.is_expo}
                         for s in stations],
            "me": {"name": actor.name, "staff_id": actor.staff_id},
            "paired": actor.device_id is not None,
            "can_bump": actor.can(Permission.KITCHEN_BUMP),
            "venue_language": venue_language,
        }
        title = this.label(current_language(venue_language), venue_language)
    return render_template("kitchen/index.html", config=config, station_name=title,
                           is_expo=this.is_expo, plurals=plural_strings())


# Intl.PluralRules names the forms "one" (1), "few" (Romanian: 2–19) and "other" (20+):
# each plural is rendered once per form, with {count} left for the script to fill.
PLURAL_SAMPLES = (("one", 1), ("few", 2), ("other", 20))

PLURALS: dict[str, Callable[[int], str]] = {
    "guests_n": lambda n: ngettext("%(count)s guest", "%(count)s guests", n, count="{count}"),
    "tickets_n": lambda n: ngettext("%(count)s ticket", "%(count)s tickets", n, count="{count}"),
    "held_n": lambda n: ngettext("%(count)s held", "%(count)s held", n, count="{count}"),
    "courses_n": lambda n: ngettext("%(count)s course at work", "%(count)s courses at work", n,
                                    count="{count}"),
    "complete_n": lambda n: ngettext("%(count)s to call", "%(count)s to call", n,
                                     count="{count}"),
}


def plural_strings() -> dict[str, dict[str, str]]:
    return {key: {form: render(n) for form, n in PLURAL_SAMPLES}
            for key, render in PLURALS.items()}
