"""The kitchen's reference data: its stations and which stations make each item.

Routing rules are data (``StationRoute``): an item's own rules win; an item without any
goes where its category goes. An item may go to several stations. The expo station is
not routed to: its screen joins every station's room and sees every ticket. Cached per
process like ordering's (``pos.venue.reference``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pydantic import ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen.models import Station, StationRoute
from pos.core.api import Out
from pos.menu.models import MenuItem
from pos.venue.reference import ReferenceCache, register_reference_models

register_reference_models(Station, StationRoute)


class StationShape(Out):
    """A station as the screens read it from the cache, and as the back office's API
    answers with it (frozen: the cache's copy is shared by every request)."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    code: str
    names: dict[str, str]
    is_expo: bool
    printer_id: int | None
    warn_after_seconds: int
    late_after_seconds: int


@dataclass(frozen=True)
class KitchenReference:
    stations: dict[int, StationShape]  # in screen order
    by_code: dict[str, StationShape]
    routes: dict[int, tuple[int, ...]]  # item id → the stations that make it

    def stations_of(self, item_id: int) -> tuple[int, ...]:
        return self.routes.get(item_id, ())


def kitchen_reference(session: Session) -> KitchenReference:
    return _cache.get(session)


def build_kitchen_reference(session: Session) -> KitchenReference:
    stations = {s.id: StationShape.model_validate(s)
                for s in session.scalars(select(Station).order_by(Station.position, Station.id))}
    by_item: dict[int, list[int]] = defaultdict(list)
    by_category: dict[int, list[int]] = defaultdict(list)
    for station_id, item_id, category_id in session.execute(select(
            StationRoute.station_id, StationRoute.item_id, StationRoute.category_id)
            .order_by(StationRoute.id)):
        if stations[station_id].is_expo:
            continue  # expo sees every ticket; nothing is routed to it
        (by_item[item_id] if item_id else by_category[category_id]).append(station_id)
    routes = {item_id: tuple(by_item.get(item_id) or by_category.get(category_id, ()))
              for item_id, category_id in session.execute(select(MenuItem.id,
                                                                 MenuItem.category_id))}
    return KitchenReference(stations=stations,
                            by_code={s.code: s for s in stations.values()}, routes=routes)


_cache = ReferenceCache("kitchen", build_kitchen_reference)
