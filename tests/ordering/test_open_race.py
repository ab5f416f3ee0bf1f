"""Two taps on "seat" (the same client id) racing into the server open one check, on
SQLite and on PostgreSQL, for a table and for a named tab; neither answers 5xx."""

from __future__ import annotations

import threading

import pytest
import requests
from sqlalchemy import func, select

from pos.floor.models import DiningTable
from pos.ordering.models import Check


def race(url: str, cookie: str, body: dict, taps: int = 6) -> list[requests.Response]:
    start = threading.Barrier(taps)
    answers: list[requests.Response] = []

    def tap() -> None:
        start.wait()
        answers.append(requests.post(f"{url}/api/v1/checks", json=body, timeout=30,
                                     headers={"Cookie": cookie}))

    threads = [threading.Thread(target=tap) for _ in range(taps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.parametrize("kind", ["table", "tab"])
def test_double_taps_racing_open_one_check(live_server, db, kind):
    cookie = live_server.session_cookie("waiter")
    with db.reading() as session:
        table_id = session.scalar(select(DiningTable.id).where(DiningTable.name == "5"))
    body = ({"table_id": table_id, "guest_count": 2, "client_id": f"race-{kind}-0001"}
            if kind == "table" else
            {"kind": "bar_tab", "name": "Bar 3", "guest_count": 1,
             "client_id": f"race-{kind}-0001"})
    answers = race(live_server.url, cookie, body)
    assert {a.status_code for a in answers} <= {200, 201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Check).where(
            Check.client_id == body["client_id"])) == 1
