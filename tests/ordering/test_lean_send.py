"""A lean send: tablets hear about a table only when what it shows changes, the answer is
what the send changed (its size does not grow with the check), and the reference cache
answers what it can."""

from __future__ import annotations

import json

from sqlalchemy import select
from support import STEAK

from pos.core.events import Event


def events_after(db, last: int, name: str | None = None) -> list[Event]:
    with db.reading() as session:
        query = select(Event).where(Event.id > last).order_by(Event.id)
        if name:
            query = query.where(Event.name == name)
        return list(session.scalars(query))


def latest(db) -> int:
    with db.reading() as session:
        return session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)) or 0


def test_the_first_send_changes_the_table_and_a_second_round_does_not(tablet, db):
    check = tablet.seat("5")
    before_first = latest(db)
    check = tablet.sent(check, tablet.line(801))
    tables = [e.data for e in events_after(db, before_first, "table")]
    assert [(t["table_id"], t["state"]) for t in tables] == [(tablet.tables["5"], "ordered")]

    before_second = latest(db)
    tablet.sent(check, tablet.line(801), tablet.line(102))
    assert events_after(db, before_second, "table") == []
    assert [e.name for e in events_after(db, before_second, "check")] == ["check"]


def test_a_guest_count_change_announces_the_table_and_a_note_change_does_not(tablet, db):
    check = tablet.seat("5", guests=2)
    before = latest(db)
    check = tablet.client.patch(f"/api/v1/checks/{check['id']}", json={
        "version": check["version"], "guest_count": 4}).get_json()
    assert [e.data["guests"] for e in events_after(db, before, "table")] == [4]
    before = latest(db)
    added = tablet.client.post(f"/api/v1/checks/{check['id']}/lines", json={
        "version": check["version"], "lines": [tablet.line(801, note="no ice")]})
    assert added.status_code == 201, added.get_json()
    assert events_after(db, before, "table") == []  # still seated, nothing sent


def test_the_answer_to_a_send_holds_that_send_only_and_stays_small(tablet):
    check = tablet.seat()
    sizes = []
    for _round in range(6):
        response = tablet.send(check, *[tablet.line(801) for _ in range(10)])
        assert response.status_code == 200, response.get_json()
        answer = response.get_json()
        sizes.append(len(json.dumps(answer)))
        assert len(answer["lines"]) == 10 and all(
            line["status"] == "sent" and line["send_id"] == answer["send_id"]
            for line in answer["lines"])
        check = tablet.check(check["id"])
        assert answer["version"] == check["version"]
        assert answer["totals"] == check["totals"]  # the totals are the whole check's
    assert len(check["lines"]) == 60
    assert max(sizes) - min(sizes) < 100  # the sixth round answers like the first


def test_the_answer_names_the_stations_that_got_something(tablet):
    drinks_only = tablet.send(tablet.seat("5"), tablet.line(801)).get_json()
    assert [s["code"] for s in drinks_only["stations"]] == ["bar"]
    both = tablet.send(tablet.seat("6"), tablet.line(801), tablet.line(102)).get_json()
    assert sorted(s["code"] for s in both["stations"]) == ["bar", "grill"]
    assert all(set(s["names"]) == {"en", "ro"} for s in both["stations"])


def test_a_repeated_send_answers_as_the_first_with_the_same_lines_and_stations(tablet):
    check = tablet.seat()
    first = tablet.send(check, tablet.line(*STEAK), tablet.line(801), client_id="send-0001-aa")
    again = tablet.send(check, tablet.line(*STEAK), tablet.line(801), client_id="send-0001-aa")
    one, two = first.get_json(), again.get_json()
    assert two["send_id"] == one["send_id"]
    assert [line["id"] for line in two["lines"]] == [line["id"] for line in one["lines"]]
    assert two["stations"] == one["stations"] and two["tickets"] == one["tickets"]
