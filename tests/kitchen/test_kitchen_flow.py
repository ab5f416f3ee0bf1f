"""Tickets through the kitchen: each station hears only its own, bumps are idempotent,
expo calls a course ready and the server's tablet hears it, kitchen times are kept."""

from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import select
from support import STEAK, ScreenClient, Tablet, wait_until

from kitchen.models import Station, Ticket, TicketStatus
from pos.devices.models import Printer, PrinterKind, PrintJob


def kds(server, station: str, role: str = "kitchen") -> ScreenClient:
    return ScreenClient(server.url, "/kitchen", cookie=server.session_cookie(role),
                        station=station).connect(last_event=0)


def tickets_of(screen: ScreenClient) -> dict[int, dict]:
    """The screen's tickets as it would show them: the latest state of each."""
    latest = {}
    for name, _event_id, data in screen.events:
        if name == "ticket":
            latest[data["id"]] = data
    return latest


@pytest.fixture
def cook(app):
    client = app.test_client()
    client.post("/api/v1/session", json={"pin": "7777"})
    return client


def bump(client, ticket_id):
    return client.post(f"/api/v1/kitchen/tickets/{ticket_id}/bump",
                       json={"client_id": str(uuid.uuid4())})


def test_each_station_gets_only_its_own_tickets(live_server):
    grill, bar = kds(live_server, "grill"), kds(live_server, "bar")
    tablet = Tablet(live_server.app.test_client(), "1111")
    tablet.sent(tablet.seat("5"), tablet.line(102), tablet.line(801))  # soup → grill, wine → bar
    wait_until(lambda: tickets_of(grill) and tickets_of(bar))
    assert {t["station"] for t in tickets_of(grill).values()} == {"grill"}
    assert {t["station"] for t in tickets_of(bar).values()} == {"bar"}
    [soup] = tickets_of(grill).values()
    assert soup["table"] == "5" and soup["server"] == "Ana Popescu" and soup["guests"] == 3
    assert soup["lines"][0]["names"]["ro"] == "Ciorbă de perișoare"
    grill.close()
    bar.close()


def test_expo_sees_every_station(live_server):
    expo = kds(live_server, "expo")
    tablet = Tablet(live_server.app.test_client(), "1111")
    tablet.sent(tablet.seat("5"), tablet.line(102), tablet.line(801))
    wait_until(lambda: len(tickets_of(expo)) == 2)
    assert {t["station"] for t in tickets_of(expo).values()} == {"grill", "bar"}
    expo.close()


def test_a_kds_gets_every_ticket_it_missed_across_a_drop_and_a_server_restart(server_process):
    server = server_process.start()
    grill = kds(server, "grill")
    waiter = requests.Session()
    waiter.post(server.url + "/api/v1/session", json={"pin": "1111"}, timeout=5)
    menu = waiter.get(server.url + "/api/v1/menu", timeout=5).json()
    soup = next(item["id"] for item in menu["items"] if item["number"] == 102)

    def send_soup(table_id):
        check = waiter.post(server.url + "/api/v1/checks", json={"table_id": table_id},
                            timeout=5).json()
        sent = waiter.post(f"{server.url}/api/v1/checks/{check['id']}/send", json={
            "client_id": str(uuid.uuid4()), "version": check["version"],
            "lines": [{"item_id": soup}]}, timeout=5)
        assert sent.status_code == 200, sent.text
        return check["id"]

    first = send_soup(1)
    wait_until(lambda: len(tickets_of(grill)) == 1)
    grill.go_offline()  # the KDS's Wi-Fi drops…
    missed = [send_soup(2), send_soup(3)]
    server.kill()  # …the server restarts between the sends and the bump…
    server.start()
    grill.come_back()  # …and the KDS asks for what came after the last event it holds
    wait_until(lambda: len(tickets_of(grill)) == 3)
    ticket_ids = list(tickets_of(grill))
    cook = requests.Session()
    cook.post(server.url + "/api/v1/session", json={"pin": "7777"}, timeout=5)
    bumped = cook.post(f"{server.url}/api/v1/kitchen/tickets/{ticket_ids[0]}/bump",
                       json={"client_id": "bump-after-restart"}, timeout=5)
    assert bumped.status_code == 200
    wait_until(lambda: tickets_of(grill)[ticket_ids[0]]["status"] == "bumped")
    ids = grill.ids("ticket")
    assert ids == sorted(ids) and len(ids) == len(set(ids))  # in order, each once
    assert [t["check_id"] for t in tickets_of(grill).values()] == [first, *missed]
    grill.close()


def test_a_bump_is_idempotent_and_keeps_the_kitchen_times(tablet, cook, db):
    tablet.sent(tablet.seat(), tablet.line(102))
    with db.reading() as session:
        ticket = session.scalar(select(Ticket))
    first = bump(cook, ticket.id)
    again = bump(cook, ticket.id)
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()
    with db.reading() as session:
        ticket = session.get(Ticket, ticket.id)
    assert ticket.status is TicketStatus.BUMPED
    assert ticket.fired_at <= ticket.first_line_done_at <= ticket.bumped_at


def test_a_held_ticket_cannot_be_bumped_until_fired(tablet, cook, db):
    sent = tablet.sent(tablet.seat(), tablet.line(*STEAK))
    with db.reading() as session:
        ticket = session.scalar(select(Ticket))
    assert bump(cook, ticket.id).get_json()["error"]["code"] == "ticket_held"
    tablet.post(sent, f"courses/{tablet.courses['mains']}/fire")
    assert bump(cook, ticket.id).status_code == 200


def test_lines_are_marked_done_and_a_ticket_is_recalled(tablet, cook, db):
    sent = tablet.sent(tablet.seat(), tablet.line(102), tablet.line(103))
    with db.reading() as session:
        ticket = session.scalar(select(Ticket))
    line = sent["lines"][0]["id"]
    done = cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/lines/{line}/done",
                     json={"done": True})
    assert done.status_code == 200
    snapshot = cook.get("/api/v1/kitchen/grill").get_json()
    assert [ln["done"] for ln in snapshot["tickets"][0]["lines"]] == [True, False]
    bump(cook, ticket.id)
    recalled = cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/recall", json={})
    assert recalled.get_json()["status"] == "fired"


def test_a_waiter_cannot_bump(tablet, db):
    tablet.sent(tablet.seat(), tablet.line(102))
    with db.reading() as session:
        ticket = session.scalar(select(Ticket))
    assert bump(tablet.client, ticket.id).status_code == 403


def test_a_screen_paired_to_the_grill_cannot_touch_the_bars_tickets(tablet, app, db):
    manager = app.test_client()
    manager.post("/api/v1/session", json={"pin": "9999"})
    token = manager.post("/api/v1/devices", json={"label": "Grill KDS", "role": "kitchen",
                                                  "station": "grill"}).get_json()["token"]
    tablet.sent(tablet.seat(), tablet.line(801))  # wine: the bar's
    with db.reading() as session:
        ticket = session.scalar(select(Ticket))
    screen = app.test_client()
    response = screen.post(f"/api/v1/kitchen/tickets/{ticket.id}/bump", json={},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404


def test_expo_calls_a_course_ready_and_the_servers_tablet_hears_it(live_server):
    app = live_server.app
    waiter_screen = ScreenClient(live_server.url, "/floor",
                                 cookie=live_server.session_cookie("waiter")).connect(last_event=0)
    expo = kds(live_server, "expo")
    tablet = Tablet(app.test_client(), "1111")
    check = tablet.sent(tablet.seat("5"), tablet.line(301))  # Caesar: cold and grill
    mains_of = tablet.courses["starters"]
    cook = app.test_client()
    cook.post("/api/v1/session", json={"pin": "7777"})
    wait_until(lambda: len(tickets_of(expo)) == 2)
    first, second = tickets_of(expo)
    call = {"check_id": check["id"], "course_id": mains_of}
    assert cook.post("/api/v1/kitchen/ready", json=call).get_json()["error"]["code"] == \
        "course_not_complete"
    bump(cook, first)
    bump(cook, second)
    wait_until(lambda: expo.ids("course_complete"))
    ready = cook.post("/api/v1/kitchen/ready", json=call)
    assert ready.status_code == 200
    wait_until(lambda: waiter_screen.ids("ready"))
    notice = [data for name, _i, data in waiter_screen.events if name == "ready"][0]
    assert (notice["table"], notice["course"]["names"]["en"]) == ("5", "Starters")
    def last_table_state():  # the table event comes right after the notice
        return [data for name, _i, data in waiter_screen.events if name == "table"][-1]["state"]

    wait_until(lambda: last_table_state() == "food_ready")
    waiting = tablet.client.get("/api/v1/kitchen/ready").get_json()  # after a tablet reload
    assert [(w["check_id"], w["course"]["id"]) for w in waiting] == [(check["id"], mains_of)]
    assert tablet.client.post("/api/v1/kitchen/served", json=call).status_code == 200
    assert tablet.client.get("/api/v1/kitchen/ready").get_json() == []
    states = {t["name"]: t["state"] for f in tablet.client.get("/api/v1/floor").get_json()[
        "floors"] for t in f["tables"]}
    assert states["5"] == "ordered"
    waiter_screen.close()
    expo.close()


def give_the_grill_a_printer(db) -> int:
    with db.transaction() as session:
        printer = Printer(name="Grill", kind=PrinterKind.NETWORK, address="127.0.0.1:9")
        session.add(printer)
        session.flush()
        session.scalar(select(Station).where(Station.code == "grill")).printer_id = printer.id
        return printer.id


def test_a_send_queues_print_jobs_for_fired_tickets_only(tablet, db):
    printer_id = give_the_grill_a_printer(db)
    sent = tablet.sent(tablet.seat(), tablet.line(102), tablet.line(*STEAK))  # soup now, steak held
    with db.reading() as session:
        jobs = session.scalars(select(PrintJob)).all()
    assert [(job.printer_id, job.kind) for job in jobs] == [(printer_id, "ticket")]
    assert jobs[0].document["lines"][0]["names"]["ro"] == "Ciorbă de perișoare"
    tablet.post(sent, f"courses/{tablet.courses['mains']}/fire")
    with db.reading() as session:
        assert session.query(PrintJob).count() == 2


def test_a_void_prints_a_void_ticket_and_a_reprint_is_marked(tablet, manager_tablet, cook, db):
    give_the_grill_a_printer(db)
    sent = tablet.sent(tablet.seat(), tablet.line(102))
    soup = sent["lines"][0]
    manager_tablet.post(sent, f"lines/{soup['id']}/void", reason="wrong table")
    with db.reading() as session:
        ticket = session.scalar(select(Ticket))
    cook.post(f"/api/v1/kitchen/tickets/{ticket.id}/reprint", json={})
    with db.reading() as session:
        kinds = [job.kind for job in session.scalars(select(PrintJob).order_by(PrintJob.id))]
    assert kinds == ["ticket", "void", "reprint"]


def test_the_kds_snapshot_has_open_tickets_and_the_last_bumped(tablet, cook, db):
    tablet.sent(tablet.seat(), tablet.line(102), tablet.line(*STEAK))
    snapshot = cook.get("/api/v1/kitchen/grill").get_json()
    assert snapshot["station"]["code"] == "grill"
    assert {t["status"] for t in snapshot["tickets"]} == {"fired", "held"}
    assert snapshot["last_event"] > 0
    assert cook.get("/api/v1/kitchen/nowhere").status_code == 404


def test_an_open_printer_alert_is_in_the_snapshot_until_cleared(cook, db):
    from pos.core.alerts import Alert

    with db.transaction() as session:
        session.add(Alert(kind="printer_offline", subject="printer:1",
                          message={"key": "printer_offline", "printer": "Grill",
                                   "backup": "Bar"}))
    alerts = cook.get("/api/v1/kitchen/expo").get_json()["alerts"]
    assert [a["message"]["printer"] for a in alerts] == ["Grill"]
