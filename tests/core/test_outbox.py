"""The outbox: a screen that was away gets every event it missed, in order, once."""

from __future__ import annotations

from datetime import timedelta

from factories import make_staff, make_station, session_cookie, write_events
from support import ScreenClient, wait_until

from pos.core.auth import Role
from pos.core.events import (
    latest_event_id,
    prune_events,
    record_event,
    replay_events,
    write_pending_events,
)


def office_screen(live_server, **kw) -> ScreenClient:
    manager = make_staff(live_server.app.extensions["masa_db"], Role.MANAGER)
    return ScreenClient(live_server.url, "/office",
                        cookie=session_cookie(live_server.app, manager), **kw)


def latest(db) -> int:
    """The last event written so far: a screen that saw it waits only for what comes next."""
    with db.reading() as session:
        return latest_event_id(session)


def test_an_event_is_published_to_its_room_after_commit(live_server, db):
    screen = office_screen(live_server).connect(last_event=latest(db))
    [event_id] = write_events(db, 1)
    wait_until(lambda: screen.ids() == [event_id])
    screen.close()


def test_a_rolled_back_transaction_publishes_nothing(live_server, db):
    screen = office_screen(live_server).connect(last_event=latest(db))
    try:
        with db.transaction() as session:
            record_event(session, "/office", "office", "note", {"n": "never"})
            raise RuntimeError("the operation failed")
    except RuntimeError:
        pass
    [later] = write_events(db, 1)
    wait_until(lambda: screen.ids())
    assert screen.ids() == [later]
    screen.close()


def test_a_screen_reconnecting_gets_what_it_missed_in_order_once(live_server, db):
    screen = office_screen(live_server).connect(last_event=latest(db))
    first = write_events(db, 2)
    wait_until(lambda: screen.ids() == first)
    screen.close()

    missed = write_events(db, 5)
    screen.connect()  # sends its last event id, as a screen does
    wait_until(lambda: len(screen.ids()) == 7)
    assert screen.ids() == first + missed
    assert screen.replays[-1]["replayed"] == 5
    screen.close()


def test_a_dropped_connection_heals_itself(live_server, db):
    screen = office_screen(live_server).connect(last_event=latest(db))
    before = write_events(db, 1)
    wait_until(lambda: screen.ids() == before)
    screen.drop_connection()
    after = write_events(db, 3)
    wait_until(lambda: len(screen.ids()) == 4)
    assert screen.ids() == before + after
    screen.close()


def test_a_screen_gets_only_its_own_rooms(live_server, db):
    cook = session_cookie(live_server.app, make_staff(db, Role.KITCHEN))
    grill_code, bar_code = make_station(db), make_station(db)
    grill = ScreenClient(live_server.url, "/kitchen", cookie=cook,
                         station=grill_code).connect(last_event=latest(db))
    bar = ScreenClient(live_server.url, "/kitchen", cookie=cook,
                       station=bar_code).connect(last_event=latest(db))
    [for_grill] = write_events(db, 1, room=f"station:{grill_code}", namespace="/kitchen")
    [for_bar] = write_events(db, 1, room=f"station:{bar_code}", namespace="/kitchen")
    wait_until(lambda: grill.ids() and bar.ids())
    write_events(db, 1, room="office", namespace="/office")
    grill.close()
    bar.close()
    assert grill.ids() == [for_grill]
    assert bar.ids() == [for_bar]


def test_a_fresh_screen_gets_the_floor_not_the_history(live_server, db):
    write_events(db, 3)
    screen = office_screen(live_server).connect()  # no last_event: it loads a snapshot instead
    assert screen.ids() == []
    assert screen.replays[0]["floor"] >= 3
    screen.close()


def test_the_heartbeat_fills_a_gap_left_by_a_lost_publish(live_server, db):
    """A process that died between commit and publish leaves a gap; the next sync fills it."""
    screen = office_screen(live_server).connect(last_event=latest(db))
    floor = screen.replays[-1]["floor"]
    with db.transaction() as session:  # committed, but its publish is lost
        lost = record_event(session, "/office", "office", "note", {"n": "lost"})
        write_pending_events(session)
        session.info.clear()
    [seen] = write_events(db, 1)
    wait_until(lambda: screen.ids() == [seen])
    answer = screen.sio.call("sync", {"last_event": floor, "seen": screen.ids()},
                             namespace="/office")
    wait_until(lambda: lost.id in screen.ids())
    assert screen.ids() == [seen, lost.id]
    assert answer["floor"] >= seen
    screen.close()


def test_sync_refuses_a_malformed_heartbeat(live_server, db):
    screen = office_screen(live_server).connect(last_event=latest(db))
    answer = screen.sio.call("sync", {"last_event": "ten"}, namespace="/office")
    assert answer["error"]["field"] == "last_event"
    answer = screen.sio.call("sync", {"last_event": 0, "seen": ["x"]}, namespace="/office")
    assert answer["error"]["field"] == "seen"
    screen.close()


def test_events_past_retention_ask_for_a_snapshot(db):
    old = write_events(db, 2)
    with db.transaction() as session:
        assert prune_events(session, timedelta(seconds=-1)) >= 2
    with db.reading() as session:
        replay = replay_events(session, "/office", ["office"], after=old[0] - 1)
    assert replay.snapshot_required
    assert replay.events == []
