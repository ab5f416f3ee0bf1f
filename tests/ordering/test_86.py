"""86: an item (or a choice) marked out, or counted down to its last portions."""

from __future__ import annotations

from support import STEAK, ScreenClient, wait_until


def set_availability(client, kind, thing_id, **body):
    return client.post(f"/api/v1/menu/{kind}s/{thing_id}/availability", json=body)


def test_an_86d_item_cannot_be_ordered(tablet, manager_tablet, db):
    salmon = tablet.items[405]
    assert set_availability(manager_tablet.client, "item", salmon["id"],
                            available=False).status_code == 200
    response = tablet.send(tablet.seat(), tablet.line(405, "French fries"))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == ("86", "lines.0.item_id")
    assert "86" in error["message"]


def test_the_count_goes_down_with_each_send_and_stops_at_zero(tablet, manager_tablet):
    set_availability(manager_tablet.client, "item", tablet.items[401]["id"], available=True,
                     count_left=3)
    check = tablet.sent(tablet.seat(), tablet.line(*STEAK, quantity=2))
    menu = tablet.client.get("/api/v1/menu").get_json()
    assert next(i for i in menu["items"] if i["number"] == 401)["count_left"] == 1
    too_many = tablet.send(check, tablet.line(*STEAK, quantity=2))
    assert too_many.status_code == 409
    assert "1" in too_many.get_json()["error"]["message"]
    last = tablet.send(check, tablet.line(*STEAK))
    assert last.status_code == 200
    gone = tablet.send(tablet.check(last.get_json()["check_id"]), tablet.line(*STEAK))
    assert gone.status_code == 409


def test_an_86d_choice_cannot_be_picked(tablet, manager_tablet):
    fries = tablet.modifiers["French fries"]
    set_availability(manager_tablet.client, "modifier", fries, available=False)
    response = tablet.send(tablet.seat(), tablet.line(*STEAK))
    assert response.status_code == 409
    assert response.get_json()["error"]["field"] == "lines.0.modifier_ids"


def test_a_waiter_may_not_86_but_the_kitchen_may(tablet, app):
    assert set_availability(tablet.client, "item", tablet.items[401]["id"],
                            available=False).status_code == 403
    cook = app.test_client()
    cook.post("/api/v1/session", json={"pin": "7777"})
    assert set_availability(cook, "item", tablet.items[401]["id"],
                            available=False).status_code == 200


def test_every_tablet_hears_an_86_live(live_server):
    waiter_cookie = live_server.session_cookie("waiter")
    floor = ScreenClient(live_server.url, "/floor", cookie=waiter_cookie).connect(last_event=0)
    manager = live_server.app.test_client()
    manager.post("/api/v1/session", json={"pin": "9999"})
    set_availability(manager, "item", 1, available=True, count_left=5)
    wait_until(lambda: floor.ids("availability"))
    name, _id, data = floor.events[-1]
    assert data == {"kind": "item", "id": 1, "available": True, "count_left": 5}
    floor.close()
