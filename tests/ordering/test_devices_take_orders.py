"""A paired device (a kiosk, online ordering, a bar screen) takes orders in its role: the
check records the device, and its server is the device's or left for the floor."""

from __future__ import annotations

from factories import make_device, make_staff
from sqlalchemy import select
from support import STEAK, Tablet

from kitchen.models import Ticket
from pos.core.auth import Role
from pos.ordering.models import Check, OrderLine, Send


def test_a_kiosk_opens_a_check_and_sends_it_to_the_kitchen(app, db):
    kiosk = Tablet(app.test_client(), token=make_device(db, Role.WAITER, label="Kiosk").token)
    check = kiosk.seat("6", guests=2)
    assert check["server_id"] is None and check["server"] == ""
    sent = kiosk.sent(check, kiosk.line(*STEAK), kiosk.line(801))
    assert {line["status"] for line in sent["lines"]} == {"sent"}
    with db.reading() as session:
        opened = session.get(Check, check["id"])
        send = session.scalar(select(Send).where(Send.check_id == check["id"]))
        lines = session.scalars(select(OrderLine).where(OrderLine.check_id == check["id"])).all()
        tickets = session.scalars(select(Ticket).where(Ticket.check_id == check["id"])).all()
    assert opened.opened_by_device_id is not None and opened.server_id is None
    assert send.sent_by_device_id == opened.opened_by_device_id and send.sent_by_id is None
    assert {line.added_by_device_id for line in lines} == {opened.opened_by_device_id}
    assert tickets
    table = next(t for f in kiosk.client.get("/api/v1/floor").get_json()["floors"]
                 for t in f["tables"] if t["name"] == "6")
    assert (table["state"], table["server_id"], table["checks"]) == ("ordered", None,
                                                                     [check["id"]])


def test_a_device_set_to_a_server_opens_checks_for_them(app, db):
    ana = make_staff(db, Role.WAITER, name="Ana")
    device = make_device(db, Role.BARTENDER, server_id=ana.id, label="Bar tablet")
    bar = Tablet(app.test_client(), token=device.token)
    answer = bar.client.post("/api/v1/checks", json={"kind": "bar_tab", "name": "Ion",
                                                      "client_id": "bar-tab-000001"})
    assert answer.status_code == 201
    assert (answer.get_json()["server_id"], answer.get_json()["server"]) == (ana.id, "Ana")


def test_a_device_moves_and_voids_lines_with_an_approval(app, db):
    manager = make_staff(db, Role.MANAGER)
    kiosk = Tablet(app.test_client(), token=make_device(db, Role.WAITER).token)
    check = kiosk.sent(kiosk.seat("9", 2), kiosk.line(101), kiosk.line(102))
    other = kiosk.seat("10", 2)
    moved = kiosk.client.post(f"/api/v1/checks/{check['id']}/move-lines", json={
        "version": check["version"], "line_ids": [check["lines"][0]["id"]],
        "to_check_id": other["id"], "to_version": other["version"]})
    assert moved.status_code == 200, moved.get_json()
    check = kiosk.check(check["id"])
    voided = kiosk.post(check, f"lines/{check['lines'][0]['id']}/void", reason="mistake",
                        manager_pin=manager.pin)
    assert voided.status_code == 200, voided.get_json()
