"""Which kitchen station makes an item is the kitchen's data (its routes), but the menu's
editor sets it with the item. The menu sits below the kitchen, so the kitchen lends its
routes here (``kitchen.menu_routes`` registers them) instead of the menu importing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class StationRouting:
    # {code: names} of the stations an item or a category may be routed to (not the expo)
    stations: Callable[[Session], dict[str, dict[str, str]]]
    # {id: [codes]} of the items (kind "item") or categories (kind "category") asked for
    routes_of: Callable[[Session, str, list[int] | None], dict[int, list[str]]]
    # route an item or a category to these stations (none: an item follows its category)
    route: Callable[[Session, str, int, list[str]], None]


_routing: list[StationRouting] = []


def register_station_routing(routing: StationRouting) -> None:
    _routing[:] = [routing]


def station_routing() -> StationRouting | None:
    return _routing[0] if _routing else None


def station_codes(session: Session) -> dict[str, dict[str, str]]:
    routing = station_routing()
    return routing.stations(session) if routing else {}


def routes_of(session: Session, kind: str, ids: list[int] | None = None) -> dict[int, list[str]]:
    routing = station_routing()
    return routing.routes_of(session, kind, ids) if routing else {}


def route_to_stations(session: Session, kind: str, thing_id: int, codes: list[str]) -> None:
    routing = station_routing()
    if routing is not None:
        routing.route(session, kind, thing_id, codes)
