"""Two tablets on one check: every change is made against the check's version, so they
never overwrite each other; the loser gets 409 and reloads."""

from __future__ import annotations

import threading

from support import STEAK


def test_a_stale_change_is_refused_with_the_current_version(tablet, other_tablet):
    check = tablet.seat()
    mine = tablet.sent(check, tablet.line(801))
    stale = other_tablet.send(check, other_tablet.line(802))  # still holds the old version
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert (error["code"], error["field"]) == ("stale_check", "version")
    assert error["current_version"] == mine["version"]
    reloaded = other_tablet.check(check["id"])
    assert other_tablet.sent(reloaded, other_tablet.line(802))["version"] == mine["version"] + 1


def test_two_tablets_racing_end_in_a_consistent_check_with_one_409(tablet, other_tablet):
    check = tablet.seat()
    answers = {}
    start = threading.Barrier(2)

    def send(name, device, line):
        start.wait()
        answers[name] = device.send(check, line)

    racers = [threading.Thread(target=send, args=("ana", tablet, tablet.line(*STEAK))),
              threading.Thread(target=send, args=("mihai", other_tablet,
                                                  other_tablet.line(801)))]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    statuses = sorted(answer.status_code for answer in answers.values())
    assert statuses == [200, 409]
    final = tablet.check(check["id"])
    assert final["version"] == check["version"] + 1
    assert len(final["lines"]) == 1
    assert final["totals"]["total"] == final["lines"][0]["total"]


def test_a_change_to_a_closed_or_unknown_check_is_refused(tablet):
    response = tablet.send({"id": 9999, "version": 1}, tablet.line(801))
    assert response.status_code == 404
    assert response.get_json()["error"]["field"] == "check_id"


def test_guest_count_changes_need_the_current_version(tablet, other_tablet):
    check = tablet.seat(guests=2)
    first = tablet.client.patch(f"/api/v1/checks/{check['id']}",
                                json={"version": check["version"], "guest_count": 4})
    assert first.status_code == 200
    second = other_tablet.client.patch(f"/api/v1/checks/{check['id']}",
                                       json={"version": check["version"], "guest_count": 3})
    assert second.status_code == 409
    assert tablet.check(check["id"])["guest_count"] == 4
