"""Transfers, line moves and merges: recorded, pushed to every screen, totals exact."""

from __future__ import annotations

from sqlalchemy import select
from support import STEAK, ScreenClient, Tablet, wait_until

from pos.ordering.models import CheckMove


def total_of(*checks) -> int:
    return sum(check["totals"]["total"] for check in checks)


def test_transferring_a_check_to_another_table_frees_the_first(tablet, db):
    check = tablet.sent(tablet.seat("5"), tablet.line(801))
    moved = tablet.post(check, "transfer", table_id=tablet.tables["12"])
    assert moved.status_code == 200
    assert moved.get_json()["table"] == "12"
    assert moved.get_json()["totals"] == check["totals"]
    states = {t["name"]: t["state"] for f in tablet.client.get("/api/v1/floor").get_json()[
        "floors"] for t in f["tables"]}
    assert (states["5"], states["12"]) == ("free", "ordered")
    with db.reading() as session:
        assert session.scalar(select(CheckMove.kind)) == "transfer_table"


def test_transferring_a_check_to_another_server(tablet, app):
    check = tablet.seat("5")
    mihai = 2
    moved = tablet.post(check, "transfer", server_id=mihai).get_json()
    assert moved["server"] == "Mihai Ionescu"


def test_moving_lines_between_checks_keeps_the_sum(tablet):
    first = tablet.sent(tablet.seat("5"), tablet.line(*STEAK), tablet.line(801, quantity=2),
                        tablet.line(102))
    second = tablet.seat("6")
    before = total_of(first, second)
    wine = first["lines"][1]
    response = tablet.post(first, "move-lines", line_ids=[wine["id"]], to_check_id=second["id"],
                           to_version=second["version"])
    assert response.status_code == 200
    source, target = response.get_json()["source"], response.get_json()["target"]
    assert [line["id"] for line in target["lines"]] == [wine["id"]]
    assert total_of(source, target) == before


def test_merging_two_tables_keeps_every_line_and_the_sum(tablet):
    first = tablet.sent(tablet.seat("5", guests=2), tablet.line(*STEAK))
    second = tablet.sent(tablet.seat("6", guests=3), tablet.line(801), tablet.line(102))
    before = total_of(first, second)
    merged = tablet.post(first, "merge", from_check_id=second["id"],
                         from_version=second["version"])
    assert merged.status_code == 200
    merged = merged.get_json()
    assert merged["guest_count"] == 5
    assert len(merged["lines"]) == 3
    assert merged["totals"]["total"] == before
    assert tablet.check(second["id"])["status"] == "merged"


def test_a_move_against_a_stale_target_is_refused(tablet, other_tablet):
    first = tablet.sent(tablet.seat("5"), tablet.line(801))
    second = tablet.seat("6")
    other_tablet.sent(second, other_tablet.line(802))  # the target changes meanwhile
    response = tablet.post(first, "move-lines", line_ids=[first["lines"][0]["id"]],
                           to_check_id=second["id"], to_version=second["version"])
    assert response.status_code == 409
    assert len(tablet.check(first["id"])["lines"]) == 1


def test_the_kitchen_sees_a_moved_ticket_with_its_new_table(live_server):
    tablet = Tablet(live_server.app.test_client(), "1111")
    grill = ScreenClient(live_server.url, "/kitchen", cookie=live_server.session_cookie("kitchen"),
                         station="grill").connect(last_event=0)
    check = tablet.sent(tablet.seat("5"), tablet.line(102))  # a soup: grill, fired
    wait_until(lambda: grill.ids("ticket"))
    assert grill.events[-1][2]["table"] == "5"
    tablet.post(check, "transfer", table_id=tablet.tables["14"])
    wait_until(lambda: grill.events[-1][2]["table"] == "14")
    grill.close()


def test_the_kitchen_sees_a_void_at_once(live_server):
    tablet = Tablet(live_server.app.test_client(), "9999")
    grill = ScreenClient(live_server.url, "/kitchen", cookie=live_server.session_cookie("kitchen"),
                         station="grill").connect(last_event=0)
    check = tablet.sent(tablet.seat("5"), tablet.line(102), tablet.line(103))
    wait_until(lambda: grill.ids("ticket"))
    soup = check["lines"][0]
    tablet.post(check, f"lines/{soup['id']}/void", reason="wrong soup")
    wait_until(lambda: grill.events[-1][2]["lines"][0]["status"] == "void")
    ticket = grill.events[-1][2]
    assert [line["status"] for line in ticket["lines"]] == ["void", "sent"]
    assert ticket["status"] == "fired"
    grill.close()


def test_the_floor_sees_a_table_change_state_live(live_server):
    floor = ScreenClient(live_server.url, "/floor", cookie=live_server.session_cookie("host"))
    floor.connect(last_event=0)
    tablet = Tablet(live_server.app.test_client(), "1111")
    check = tablet.seat("5", guests=3)
    wait_until(lambda: any(e[2].get("state") == "seated" for e in floor.events
                           if e[0] == "table"))
    tablet.sent(check, tablet.line(801))
    wait_until(lambda: floor.events and [e for e in floor.events if e[0] == "table"][-1][2][
        "state"] == "ordered")
    table_event = [e for e in floor.events if e[0] == "table"][-1][2]
    assert (table_event["guests"], table_event["server"]) == (3, "Ana Popescu")
    floor.close()
