"""The kitchen display screen: one page shell per station; its script loads the station's
tickets from the kitchen API and follows the /kitchen socket. A wall screen is paired once
by a manager's PIN typed on it (``/pair/kitchen``) and is never signed out after that."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from kitchen.models import Station
from pos.core.api import current_db
from pos.core.auth import Permission, Role, current_actor
from pos.core.i18n import current_language
from pos.core.security import safe_next
from pos.staff.web import require_page
from pos.venue.operations import get_venue

bp = Blueprint("kitchen", __name__)


def all_stations(session) -> list[Station]:
    return list(session.scalars(select(Station).order_by(Station.position, Station.id)))


def station_choices(stations: list[Station], language: str, venue_language: str) -> list[dict]:
    return [{"code": s.code, "name": s.label(language, venue_language), "is_expo": s.is_expo}
            for s in stations]


@bp.get("/kitchen")
def choose_station() -> Response | str:
    """Which station this screen shows; a paired screen goes straight to its own."""
    actor = current_actor()
    if actor is not None and actor.station:
        return redirect(f"/kitchen/{actor.station}")
    with current_db().reading() as session:
        venue_language = get_venue(session).locale.split("_")[0]
        stations = station_choices(all_stations(session), current_language(venue_language),
                                   venue_language)
    return render_template("kitchen/stations.html", stations=stations)


@bp.get("/kitchen/<station>")
def kitchen_page(station: str) -> Response | str:
    if current_actor() is None:
        # Nobody here: a wall screen is paired by a manager once, or a cook signs in.
        return redirect("/pair/kitchen?" + urlencode({"station": station}))
    refused = require_page(Permission.KITCHEN_VIEW)
    if refused is not None:
        return refused
    actor = current_actor()
    if actor.station and actor.station != station:
        # A screen paired to one station shows that station, whatever was typed.
        return redirect(f"/kitchen/{actor.station}")
    with current_db().reading() as session:
        stations = all_stations(session)
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


@bp.get("/pair/kitchen")
def pair_kitchen_screen() -> Response | str:
    """Pair this screen as a station's display: a manager's PIN, typed here, once."""
    actor = current_actor()
    if actor is not None and actor.is_device and actor.station:
        return redirect(f"/kitchen/{actor.station}")
    with current_db().reading() as session:
        venue_language = get_venue(session).locale.split("_")[0]
        stations = station_choices(all_stations(session), current_language(venue_language),
                                   venue_language)
    chosen = request.args.get("station")
    if chosen not in {s["code"] for s in stations}:
        chosen = None
    config = {"role": Role.KITCHEN.value, "choices": stations, "chosen": chosen,
              "next": "/kitchen/{code}"}
    signin_next = safe_next(f"/kitchen/{chosen}" if chosen else "/kitchen")
    return render_template("pair/screen.html", config=config, signin_next=signin_next,
                           what=_("Kitchen display"))


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
