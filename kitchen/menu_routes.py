"""The kitchen's routes, lent to the menu's editor (``pos.menu.stations``): the back office
sets which stations make an item, or a whole category, as it edits the dish."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen.models import Station, StationRoute
from pos.menu.stations import StationRouting, register_station_routing


def routable_stations(session: Session) -> dict[str, dict[str, str]]:
    """Every station but the expo, which sees every ticket and is routed nothing."""
    return {station.code: dict(station.names) for station in session.scalars(
        select(Station).where(Station.is_expo.is_(False)).order_by(Station.position,
                                                                      Station.id))}


def _column(kind: str):
    return StationRoute.item_id if kind == "item" else StationRoute.category_id


def routes_of(session: Session, kind: str, ids: list[int] | None) -> dict[int, list[str]]:
    column = _column(kind)
    query = (select(column, Station.code).join(Station, Station.id == StationRoute.station_id)
             .where(column.is_not(None)).order_by(StationRoute.id))
    if ids is not None:
        query = query.where(column.in_(ids))
    routes: dict[int, list[str]] = defaultdict(list)
    for thing_id, code in session.execute(query):
        routes[thing_id].append(code)
    return dict(routes)


def route(session: Session, kind: str, thing_id: int, codes: list[str]) -> None:
    column = _column(kind)
    station_ids = dict(session.execute(select(Station.code, Station.id)
                                       .where(Station.code.in_(codes))).all())
    # Through the unit of work, so the kitchen's cached routes are rebuilt.
    for old in session.scalars(select(StationRoute).where(column == thing_id)):
        session.delete(old)
    session.add_all([StationRoute(station_id=station_ids[code], **{column.key: thing_id})
                     for code in codes])
    session.flush()


register_station_routing(StationRouting(routable_stations, routes_of, route))
