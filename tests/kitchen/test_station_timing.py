"""A station's colour times, changed in the back office, reach the kitchen screens already
open: one `station_timing` event to the station's room (expo joins every station's room),
so the tickets on screen recolour at once, not only the next ones."""

from __future__ import annotations

from sqlalchemy import select
from support import ScreenClient, sign_in, wait_until

from kitchen.models import Station
from pos.core.events import Event


def station_id(db, code: str) -> int:
    with db.reading() as session:
        return session.scalar(select(Station.id).where(Station.code == code))


def timing_events(db) -> list[Event]:
    with db.reading() as session:
        return list(session.scalars(select(Event).where(Event.name == "station_timing")))


def kds(server, station: str) -> ScreenClient:
    return ScreenClient(server.url, "/kitchen", cookie=server.session_cookie("kitchen"),
                        station=station).connect(last_event=0)


def timings(screen: ScreenClient) -> list[dict]:
    return [data for name, _id, data in screen.events if name == "station_timing"]


def test_new_colour_times_reach_the_open_station_and_expo_screens(live_server, db):
    grill, expo, cold = kds(live_server, "grill"), kds(live_server, "expo"), kds(live_server,
                                                                                 "cold")
    admin = sign_in(live_server.app.test_client(), "admin")
    changed = admin.patch(f"/api/v1/stations/{station_id(db, 'grill')}",
                          json={"warn_after_seconds": 300, "late_after_seconds": 600})
    assert changed.status_code == 200, changed.get_json()
    told = {"station": "grill", "warn_after_seconds": 300, "late_after_seconds": 600}
    wait_until(lambda: timings(grill) and timings(expo))
    assert timings(grill) == [told] and timings(expo) == [told]
    # A screen that reconnects after missing it is told again from the outbox.
    late = kds(live_server, "grill")
    wait_until(lambda: timings(late))
    assert timings(late) == [told]
    assert timings(cold) == []


def test_only_a_change_is_announced(as_role, db):
    admin = as_role("admin")
    with db.reading() as session:
        station = session.scalar(select(Station).where(Station.code == "grill"))
        same = {"warn_after_seconds": station.warn_after_seconds,
                "late_after_seconds": station.late_after_seconds}
    assert admin.patch(f"/api/v1/stations/{station.id}", json=same).status_code == 200
    backwards = admin.patch(f"/api/v1/stations/{station.id}",
                            json={"warn_after_seconds": 900, "late_after_seconds": 600})
    assert backwards.status_code == 422
    assert backwards.get_json()["error"]["field"] == "late_after_seconds"
    refused = as_role("waiter").patch(f"/api/v1/stations/{station.id}",
                                       json={"warn_after_seconds": 120})
    assert refused.status_code == 403
    assert timing_events(db) == []
    assert admin.patch(f"/api/v1/stations/{station.id}",
                       json={"warn_after_seconds": 120}).status_code == 200
    [event] = timing_events(db)
    assert (event.namespace, event.room) == ("/kitchen", "station:grill")
    assert event.data == {"station": "grill", "warn_after_seconds": 120,
                          "late_after_seconds": same["late_after_seconds"]}
