"""Real-time stock rules: the last portion 86's the item on every tablet at once (two
tablets racing for it: one gets it, the other a 409 naming it), receiving brings it back
(never a manager's own 86), and crossing the reorder point alerts the office and the
managers' tablets (issue 13)."""

from __future__ import annotations

import threading
import uuid

import requests
from factories import make_item, order_line
from sqlalchemy import select
from stock_kit import Stock

from pos.core.alerts import Alert
from pos.core.events import Event


def menu_item(tablet, item_id: int) -> dict:
    menu = tablet.client.get("/api/v1/menu").get_json()
    return next(i for i in menu["items"] if i["id"] == item_id)


def availability_events(db, item_id: int) -> list[tuple[str, str, bool]]:
    with db.reading() as session:
        return [(e.namespace, e.room, e.data["available"]) for e in session.scalars(
            select(Event).where(Event.name == "availability").order_by(Event.id))
            if e.data["kind"] == "item" and e.data["id"] == item_id]


def a_pie_with_portions(db, stock, portions: int, **ingredient):
    flour = stock.ingredient("Flour", **ingredient)
    pie = make_item(db, name="Pie")
    stock.ok(stock.recipe("item", pie.id, (flour, 100, "g")))
    stock.ok(stock.receive(flour, 100 * portions, "g", portions * 1_00), 201)
    return flour, pie


def test_the_last_portion_86s_the_item_and_receiving_brings_it_back(tablet, stock, db):
    flour, pie = a_pie_with_portions(db, stock, 3)
    tablet.sent(tablet.seat(), order_line(pie, quantity=2))
    assert menu_item(tablet, pie.id)["available"] is True  # one portion left
    tablet.sent(tablet.seat(), order_line(pie))
    assert menu_item(tablet, pie.id)["available"] is False
    assert availability_events(db, pie.id) == [("/floor", "floor", False)]
    refused = tablet.send(tablet.seat(), order_line(pie))
    assert refused.status_code == 409
    assert refused.get_json()["error"]["field"] == "lines.0.item_id"
    assert "Pie" in refused.get_json()["error"]["message"]

    stock.ok(stock.receive(flour, 50, "g", 50), 201)  # not a portion yet
    assert menu_item(tablet, pie.id)["available"] is False
    stock.ok(stock.receive(flour, 50, "g", 50), 201)
    assert menu_item(tablet, pie.id)["available"] is True
    assert availability_events(db, pie.id)[-1] == ("/floor", "floor", True)


def test_receiving_never_undoes_a_managers_own_86(tablet, manager_tablet, stock, db):
    flour, pie = a_pie_with_portions(db, stock, 1)
    tablet.sent(tablet.seat(), order_line(pie))  # inventory 86'd it
    cake = make_item(db, name="Cake")
    stock.ok(stock.recipe("item", cake.id, (flour, 100, "g")))
    assert manager_tablet.client.post(f"/api/v1/menu/items/{cake.id}/availability",
                                      json={"available": False}).status_code == 200
    stock.ok(stock.receive(flour, 1000, "g", 10_00), 201)
    assert menu_item(tablet, pie.id)["available"] is True
    assert menu_item(tablet, cake.id)["available"] is False


def test_two_tablets_racing_for_the_last_portion_one_gets_it(live_server, db):
    client = live_server.app.test_client()
    client.post("/api/v1/session", json={"pin": "9999"})
    _flour, pie = a_pie_with_portions(db, Stock(client, db), 1)
    cookies = [live_server.session_cookie("waiter") for _ in range(2)]
    checks = []
    for cookie in cookies:
        opened = requests.post(f"{live_server.url}/api/v1/checks", timeout=30, json={
            "kind": "bar_tab", "name": "Race", "guest_count": 1,
            "client_id": str(uuid.uuid4())}, headers={"Cookie": cookie})
        assert opened.status_code == 201, opened.text
        checks.append(opened.json())
    start = threading.Barrier(2)
    answers: list[requests.Response] = []

    def send(cookie: str, check: dict) -> None:
        start.wait()
        answers.append(requests.post(
            f"{live_server.url}/api/v1/checks/{check['id']}/send", timeout=30,
            headers={"Cookie": cookie}, json={"client_id": str(uuid.uuid4()),
                                              "version": check["version"],
                                              "lines": [order_line(pie)]}))

    threads = [threading.Thread(target=send, args=pair) for pair in zip(cookies, checks,
                                                                         strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    error = next(a for a in answers if a.status_code == 409).json()["error"]
    assert (error["code"], error["field"]) == ("86", "lines.0.item_id")
    assert "Pie" in error["message"]


def test_crossing_the_reorder_point_alerts_the_office_and_managers_once(tablet, stock, db):
    flour, pie = a_pie_with_portions(db, stock, 5, reorder_point=250)
    tablet.sent(tablet.seat(), order_line(pie, quantity=2))  # 300 g left: above
    tablet.sent(tablet.seat(), order_line(pie))  # 200 g: below
    tablet.sent(tablet.seat(), order_line(pie))  # still below: no second alert
    with db.reading() as session:
        [alert] = session.scalars(select(Alert).where(Alert.kind == "low_stock")).all()
        assert alert.cleared_at is None and alert.message["ingredient_id"] == flour
        rooms = {(e.namespace, e.room) for e in session.scalars(select(Event).where(
            Event.name == "alert"))}
    assert rooms == {("/office", "office"), ("/floor", "managers")}
    stock.ok(stock.receive(flour, 1, "kg", 10_00), 201)
    with db.reading() as session:
        assert session.scalar(select(Alert.cleared_at).where(Alert.id == alert.id))
