"""A screen keeps every event across a restart of the server process."""

from __future__ import annotations

import requests
from factories import make_staff, session_cookie_at
from support import ScreenClient, wait_until

from pos.core.auth import Role
from pos.core.db import Database
from pos.core.events import record_event


def test_after_a_server_restart_a_screen_gets_every_event_it_missed_once_in_order(
        server_process, database_url, db):
    server = server_process.start()
    manager = session_cookie_at(server.url, make_staff(db, Role.MANAGER))
    screen = ScreenClient(server.url, "/office", cookie=manager).connect(last_event=0)

    closed = requests.post(server.url + "/api/v1/business-day/close", headers={"Cookie": manager},
                           json={}, timeout=5)
    assert closed.status_code == 200
    wait_until(lambda: screen.ids("business_day"))
    received_before = screen.ids()

    server.kill()
    db = Database(database_url)  # another process writes while this one is down
    with db.transaction() as session:
        missed = [record_event(session, "/office", "office", "note", {"n": n}) for n in range(4)]
    missed_ids = [event.id for event in missed]  # written with the commit
    db.dispose()

    server.start()  # same port: the screen reconnects by itself with its last event id
    wait_until(lambda: screen.ids() == received_before + missed_ids, timeout=15)

    opened = requests.post(server.url + "/api/v1/business-day/open",
                           headers={"Cookie": manager}, json={}, timeout=5)
    assert opened.status_code == 201
    wait_until(lambda: len(screen.ids()) == len(received_before) + 5)
    assert screen.ids()[:-1] == received_before + missed_ids
    assert len(set(screen.ids())) == len(screen.ids())
    assert screen.events[-1][2]["open"] is True
    screen.close()


def test_the_real_server_holds_many_screens_at_once(server_process, db):
    """``python app.py`` as a venue runs it: twenty screens connect, all hear one event."""
    server = server_process.start()
    manager = session_cookie_at(server.url, make_staff(db, Role.MANAGER))
    screens = [ScreenClient(server.url, "/office", cookie=manager).connect(last_event=0)
               for _ in range(20)]
    closed = requests.post(server.url + "/api/v1/business-day/close", headers={"Cookie": manager},
                           json={}, timeout=5)
    assert closed.status_code == 200
    for screen in screens:
        wait_until(lambda screen=screen: screen.ids("business_day"))
    for screen in screens:
        screen.close()
