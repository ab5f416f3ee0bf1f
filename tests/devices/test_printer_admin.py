"""Printers set up from the back office: added with the stations that print on them and a
backup, changed, removed; a bad address is refused naming the field and nothing is
written; a test page goes through the print queue to the printer; alerts are listed and
acknowledged."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from factories import make_device, make_staff, signed_in
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "kitchen"))
from printer_fakes import CUT, FakeNetworkPrinter, add_printer  # noqa: E402

from kitchen.models import Station  # noqa: E402
from pos.core.alerts import raise_alert  # noqa: E402
from pos.core.audit import AuditEntry  # noqa: E402
from pos.devices.models import Printer  # noqa: E402
from pos.devices.print_worker import drain, printer_subject  # noqa: E402


@pytest.fixture
def manager(as_role):
    return as_role("manager")


@pytest.fixture
def fake_printer():
    printer = FakeNetworkPrinter("Pass").start()
    yield printer
    printer.stop()


def station_ids(db) -> dict[str, int]:
    with db.reading() as session:
        return dict(session.execute(select(Station.code, Station.id)).all())


def printer_count(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Printer))


def audit_of(db, action: str) -> list[AuditEntry]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)))


def test_a_manager_adds_a_printer_for_two_stations_with_a_backup(manager, db):
    stations = station_ids(db)
    backup = manager.post("/api/v1/printers", json={
        "name": "Bar printer", "kind": "network", "address": "192.168.1.61:9100"})
    assert backup.status_code == 201, backup.get_json()
    added = manager.post("/api/v1/printers", json={
        "name": "Kitchen printer", "kind": "network", "address": "192.168.1.60",
        "backup_id": backup.get_json()["id"],
        "stations": [stations["grill"], stations["cold"]]})
    assert added.status_code == 201, added.get_json()
    printer = added.get_json()
    assert printer["backup_id"] == backup.get_json()["id"]
    assert sorted(printer["stations"]) == sorted([stations["grill"], stations["cold"]])
    listed = {p["name"]: p for p in manager.get("/api/v1/printers").get_json()}
    assert listed["Kitchen printer"]["online"] is True
    with db.reading() as session:
        grill = session.scalar(select(Station).where(Station.code == "grill"))
        assert grill.printer_id == printer["id"]
    entry = audit_of(db, "printer.added")[-1]
    assert entry.details["changes"]["address"] == [None, "192.168.1.60"]


@pytest.mark.parametrize(("kind", "address"), [
    ("network", "192.168.1.60:99999"), ("network", "192.168.1.60:abc"),
    ("network", "printer at the bar:9100"), ("network", "a:b:c"), ("network", ":9100"),
    ("serial", "ttyUSB0"), ("serial", "/dev/ttyUSB0:1234"),
])
def test_an_address_a_printer_cannot_have_is_refused_and_nothing_is_written(manager, db,
                                                                            kind, address):
    before = printer_count(db)
    stations = station_ids(db)
    refused = manager.post("/api/v1/printers", json={
        "name": "Grill printer 2", "kind": kind, "address": address,
        "stations": [stations["grill"]]})
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["error"]["field"] == "address"
    assert printer_count(db) == before
    assert audit_of(db, "printer.added") == []


def test_a_change_that_fails_anywhere_writes_nothing(manager, db):
    first = manager.post("/api/v1/printers", json={
        "name": "One", "kind": "network", "address": "10.0.0.1:9100"}).get_json()
    second = manager.post("/api/v1/printers", json={
        "name": "Two", "kind": "network", "address": "10.0.0.2:9100",
        "backup_id": first["id"]}).get_json()
    circle = manager.patch(f"/api/v1/printers/{first['id']}", json={"backup_id": second["id"]})
    assert circle.status_code == 422
    assert circle.get_json()["error"]["field"] == "backup_id"
    unknown_station = manager.patch(f"/api/v1/printers/{first['id']}",
                                    json={"name": "Renamed", "stations": [99_999]})
    assert unknown_station.get_json()["error"]["field"] == "stations"
    taken = manager.patch(f"/api/v1/printers/{first['id']}", json={"name": "Two"})
    assert (taken.status_code, taken.get_json()["error"]["field"]) == (409, "name")
    empty = manager.patch(f"/api/v1/printers/{first['id']}", json={"address": None})
    assert empty.get_json()["error"]["field"] == "address"
    with db.reading() as session:
        one = session.get(Printer, first["id"])
        assert (one.name, one.backup_id) == ("One", None)


def test_changing_a_printer_moves_its_stations_and_is_audited_with_before_and_after(manager,
                                                                                   db):
    stations = station_ids(db)
    printer = manager.post("/api/v1/printers", json={
        "name": "Hot", "kind": "network", "address": "10.0.0.5:9100",
        "stations": [stations["grill"]]}).get_json()
    changed = manager.patch(f"/api/v1/printers/{printer['id']}", json={
        "address": "10.0.0.6:9100", "stations": [stations["cold"]]})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["stations"] == [stations["cold"]]
    changes = [e.details["changes"] for e in audit_of(db, "printer.changed")]
    assert {"address": ["10.0.0.5:9100", "10.0.0.6:9100"]} in changes
    assert {"stations": [["grill"], ["cold"]]} in changes


def test_removing_a_printer_takes_it_off_its_stations_and_out_of_the_backup_chain(manager, db):
    stations = station_ids(db)
    last = manager.post("/api/v1/printers", json={
        "name": "Last", "kind": "network", "address": "10.0.0.9"}).get_json()
    middle = manager.post("/api/v1/printers", json={
        "name": "Middle", "kind": "network", "address": "10.0.0.8", "backup_id": last["id"],
        "stations": [stations["grill"]]}).get_json()
    first = manager.post("/api/v1/printers", json={
        "name": "First", "kind": "network", "address": "10.0.0.7",
        "backup_id": middle["id"]}).get_json()
    assert manager.delete(f"/api/v1/printers/{middle['id']}", json={}).status_code == 200
    listed = {p["name"]: p for p in manager.get("/api/v1/printers").get_json()}
    assert "Middle" not in listed
    assert listed["First"]["backup_id"] == last["id"]
    with db.reading() as session:
        assert session.scalar(select(Station.printer_id)
                              .where(Station.code == "grill")) is None
    assert manager.post(f"/api/v1/printers/{middle['id']}/test-page", json={}).status_code == 404
    assert audit_of(db, "printer.removed")[-1].subject == f"printer:{middle['id']}"
    assert first["id"]


def test_a_test_page_reaches_the_printer_through_the_print_queue(manager, db, fake_printer):
    printer = manager.post("/api/v1/printers", json={
        "name": "Pass printer", "kind": "network", "address": fake_printer.address})
    printer_id = printer.get_json()["id"]
    queued = manager.post(f"/api/v1/printers/{printer_id}/test-page", json={})
    assert queued.status_code == 201, queued.get_json()
    assert drain(db) == 1
    [page] = fake_printer.tickets
    assert b"Pass printer" in page
    assert fake_printer.address.encode() in page
    assert page.endswith(CUT + b"\x00") or CUT in page


def test_only_a_person_who_manages_devices_sets_up_printers(as_role, app, db):
    waiter = as_role("waiter")
    assert waiter.get("/api/v1/printers").status_code == 403
    assert waiter.post("/api/v1/printers", json={
        "name": "Mine", "kind": "network", "address": "10.0.0.1"}).status_code == 403
    wall = make_device(db, "manager", label="Office wall")  # a screen answers for nothing
    assert app.test_client().get("/api/v1/printers", headers=wall.bearer).status_code == 403


def test_alerts_are_listed_and_a_manager_acknowledges_one(manager, db):
    printer_id = add_printer(db, "Grill", "network", "127.0.0.1:9")
    with db.transaction() as session:
        job_alert = raise_alert(session, kind="print_job_failed", subject="print_job:77",
                                message={"key": "print_job_failed", "printer": "Grill",
                                         "kind": "ticket"}).id
        down = raise_alert(session, kind="printer_offline", subject=printer_subject(printer_id),
                           message={"key": "printer_offline", "printer": "Grill",
                                    "printer_id": printer_id, "backup": None}).id
    shown = manager.get("/api/v1/alerts").get_json()
    assert {a["id"] for a in shown["alerts"]} >= {job_alert, down}
    assert shown["last_event"] > 0
    listed = {p["id"]: p for p in manager.get("/api/v1/printers").get_json()}
    assert listed[printer_id]["online"] is False
    assert manager.post(f"/api/v1/alerts/{job_alert}/acknowledge", json={}).status_code == 200
    refused = manager.post(f"/api/v1/alerts/{down}/acknowledge", json={})
    assert refused.status_code == 409
    assert {a["id"] for a in manager.get("/api/v1/alerts").get_json()["alerts"]} == {down}


def test_a_paired_screen_is_renamed_and_the_change_audited(app, db):
    manager = signed_in(app, make_staff(db, "manager"))
    screen = make_device(db, "kitchen", station="grill", label="Grill screen")
    renamed = manager.patch(f"/api/v1/devices/{screen.id}", json={"label": "Grill, left"})
    assert renamed.status_code == 200, renamed.get_json()
    assert renamed.get_json()["label"] == "Grill, left"
    assert audit_of(db, "device.renamed")[-1].details["changes"]["label"] == [
        "Grill screen", "Grill, left"]
    blank = manager.patch(f"/api/v1/devices/{screen.id}", json={"label": ""})
    assert blank.get_json()["error"]["field"] == "label"


def test_the_devices_page_shows_the_card_terminal_the_server_is_set_up_with(app, as_role):
    manager = as_role("manager")
    assert "data-terminal-address" not in manager.get("/office/devices").get_data(as_text=True)
    app.config["MASA_CARD_TERMINAL"] = "192.168.1.80:20007"
    page = manager.get("/office/devices").get_data(as_text=True)
    assert 'data-terminal-address>192.168.1.80:20007<' in page
    assert as_role("waiter").get("/office/devices").status_code == 403
