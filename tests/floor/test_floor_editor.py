"""The floor editor's API: a manager places, sizes, turns and names tables, keeps floors and
sections; every change is audited and heard by the tablets as a layout event; bad input is
refused with the field named and writes nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from pos.core.audit import AuditEntry
from pos.core.events import Event
from pos.floor.models import DiningTable, Floor, Section


def layout_of(manager) -> dict:
    return manager.get("/api/v1/floors").get_json()


def demo_table(manager, name: str) -> dict:
    return next(t for f in layout_of(manager)["floors"] for t in f["tables"] if t["name"] == name)


def written(db) -> tuple[int, int, list]:
    """What a refusal must not touch: audit entries, events and every table as it stands."""
    with db.reading() as session:
        tables = session.execute(select(DiningTable.id, DiningTable.name, DiningTable.x,
                                        DiningTable.y, DiningTable.width, DiningTable.height,
                                        DiningTable.rotation, DiningTable.section_id,
                                        DiningTable.removed_at)
                                 .order_by(DiningTable.id)).all()
        return (session.scalar(select(func.count(AuditEntry.id))),
                session.scalar(select(func.count(Event.id))), tables)


def layout_events(db) -> list[dict]:
    with db.reading() as session:
        return [e.data for e in session.scalars(select(Event).where(Event.name == "layout")
                                                .order_by(Event.id))]


def audited(db, subject: str) -> list[dict]:
    with db.reading() as session:
        return [e.details for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "floor.changed", AuditEntry.subject == subject))]


def test_a_manager_moves_turns_and_renames_a_table_and_the_tablets_hear_it(as_role, db):
    manager = as_role("manager")
    five = demo_table(manager, "5")
    moved = manager.patch(f"/api/v1/tables/{five['id']}",
                          json={"x": 70, "y": 80, "rotation": 45, "name": "5A", "seats": 6})
    assert moved.status_code == 200, moved.get_json()
    assert {k: moved.get_json()[k] for k in ("x", "y", "rotation", "name", "seats")} == {
        "x": 70, "y": 80, "rotation": 45, "name": "5A", "seats": 6}
    waiter_plan = as_role("waiter").get("/api/v1/floor").get_json()
    shown = next(t for f in waiter_plan["floors"] for t in f["tables"] if t["id"] == five["id"])
    assert (shown["name"], shown["x"], shown["y"], shown["rotation"]) == ("5A", 70, 80, 45)
    assert shown["state"] == "free"  # the live state is ordering's, untouched
    [event] = layout_events(db)
    assert event["what"] == "table" and event["table"]["name"] == "5A"
    assert event["table"]["x"] == 70 and "state" not in event["table"]
    [entry] = audited(db, f"table:{five['id']}")
    assert entry["before"] == {"name": "5", "x": 66, "y": 5, "rotation": 0, "seats": 4}
    assert entry["after"]["name"] == "5A"


def test_a_drag_that_changes_nothing_writes_nothing(as_role, db):
    manager = as_role("manager")
    five = demo_table(manager, "5")
    before = written(db)
    assert manager.patch(f"/api/v1/tables/{five['id']}",
                         json={"x": five["x"], "y": five["y"]}).status_code == 200
    assert written(db) == before


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"x": 95}, 422, "x"),  # 95 + 10 wide: off the floor's right edge
    ({"width": 40}, 422, "width"),  # at x 66, 40 wide runs off the floor
    ({"y": 101}, 422, "y"),
    ({"x": -1}, 422, "x"),
    ({"width": -10}, 422, "width"),
    ({"height": 0}, 422, "height"),
    ({"rotation": 360}, 422, "rotation"),
    ({"rotation": -5}, 422, "rotation"),
    ({"name": "4"}, 409, "name"),  # table 4 stands on the same floor
    ({"name": "13"}, 409, "name"),  # and 13 on the terrace: names are the venue's
    ({"name": ""}, 422, "name"),
    ({"name": "A name far too long"}, 422, "name"),
    ({"name": None}, 422, "name"),
    ({"seats": 0}, 422, "seats"),
    ({"shape": "hexagon"}, 422, "shape"),
    ({"x": 10.5}, 422, "x"),
    ({"x": 90, "rotation": 45}, 422, "x"),  # turned, its corners reach past the edge
    ({"floor_id": 999}, 404, "floor_id"),
    ({"section_id": 999}, 422, "section_id"),
    ({"colour": "red"}, 422, "colour"),
])
def test_a_bad_change_is_refused_with_its_field_and_writes_nothing(as_role, db, change,
                                                                   status, field):
    manager = as_role("manager")
    five = demo_table(manager, "5")
    before = written(db)
    refused = manager.patch(f"/api/v1/tables/{five['id']}", json=change)
    assert refused.status_code == status, refused.get_json()
    assert refused.get_json()["error"]["field"] == field
    assert written(db) == before


def test_a_table_turned_past_the_floors_edge_is_refused_and_a_turn_that_fits_is_not(as_role,
                                                                                    db):
    manager = as_role("manager")
    seven = demo_table(manager, "7")  # 18 × 10 at (6, 28)
    corner = manager.patch(f"/api/v1/tables/{seven['id']}", json={"x": 0, "y": 0})
    assert corner.status_code == 200
    before = written(db)
    refused = manager.patch(f"/api/v1/tables/{seven['id']}", json={"rotation": 90})
    assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "rotation"
    assert written(db) == before
    turned = manager.patch(f"/api/v1/tables/{seven['id']}",
                           json={"x": 10, "y": 10, "rotation": 90})
    assert turned.status_code == 200 and turned.get_json()["rotation"] == 90


def test_a_table_moved_to_a_section_of_another_floor_is_refused(as_role, db):
    manager = as_role("manager")
    layout = layout_of(manager)
    terrace_section = next(s for s in layout["sections"] if s["name"] == "Terasă")
    five = demo_table(manager, "5")
    before = written(db)
    refused = manager.patch(f"/api/v1/tables/{five['id']}",
                            json={"section_id": terrace_section["id"]})
    assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "section_id"
    assert written(db) == before
    # Carried to the terrace with its section, and taken out of any section: both fine.
    terrace = next(f for f in layout["floors"] if f["names"]["en"] == "Terrace")
    assert manager.patch(f"/api/v1/tables/{five['id']}", json={
        "floor_id": terrace["id"], "section_id": terrace_section["id"]}).status_code == 200
    out = manager.patch(f"/api/v1/tables/{five['id']}", json={"section_id": None})
    assert out.status_code == 200 and out.get_json()["section_id"] is None


def test_only_a_manager_or_an_admin_edits_the_floor(as_role):
    for role in ("waiter", "host", "cashier"):
        client = as_role(role)
        table = client.get("/api/v1/floor").get_json()["floors"][0]["tables"][0]
        assert client.patch(f"/api/v1/tables/{table['id']}", json={"x": 1}).status_code == 403
        assert client.get("/api/v1/floors").status_code == 403
    assert as_role("admin").patch(f"/api/v1/tables/{table['id']}",
                                  json={"x": 1}).status_code == 200


def test_a_manager_adds_a_table_and_bad_new_tables_write_nothing(as_role, db):
    manager = as_role("manager")
    salon = layout_of(manager)["floors"][0]
    fresh = {"floor_id": salon["id"], "name": "40", "seats": 2, "shape": "round",
             "x": 84, "y": 80, "width": 8, "height": 8, "rotation": 0}
    before = written(db)
    for change, field in [({"name": "7"}, "name"), ({"x": 95}, "x"), ({"height": 30}, "y"),
                          ({"rotation": 400}, "rotation"), ({"width": -8}, "width"),
                          ({"floor_id": 999}, "floor_id"), ({"seats": 100}, "seats")]:
        refused = manager.post("/api/v1/tables", json={**fresh, **change})
        assert refused.status_code in (404, 409, 422), change
        assert refused.get_json()["error"]["field"] == field, change
    assert written(db) == before
    added = manager.post("/api/v1/tables", json=fresh)
    assert added.status_code == 201, added.get_json()
    table = added.get_json()
    assert (table["name"], table["x"], table["shape"]) == ("40", 84, "round")
    plan = as_role("waiter").get("/api/v1/floor").get_json()
    assert any(t["name"] == "40" and t["state"] == "free" for t in plan["floors"][0]["tables"])
    assert layout_events(db)[-1]["table"]["id"] == table["id"]
    assert audited(db, f"table:{table['id']}")[0]["change"] == "table.added"


def test_a_table_with_an_open_check_stays_and_a_new_one_goes(as_role, tablet, db):
    manager = as_role("manager")
    tablet.seat("5")
    five = demo_table(manager, "5")
    before = written(db)
    refused = manager.delete(f"/api/v1/tables/{five['id']}", json={})
    assert refused.status_code == 409 and refused.get_json()["error"]["field"] == "table_id"
    assert written(db) == before
    salon = layout_of(manager)["floors"][0]
    new = manager.post("/api/v1/tables", json={"floor_id": salon["id"], "name": "41"}).get_json()
    assert manager.delete(f"/api/v1/tables/{new['id']}", json={}).status_code == 200
    with db.reading() as session:
        assert session.get(DiningTable, new["id"]) is None
    assert layout_events(db)[-1] == {"what": "table_removed", "id": new["id"],
                                     "floor_id": salon["id"]}
    assert manager.delete(f"/api/v1/tables/{new['id']}", json={}).status_code == 404


def test_a_table_named_by_past_checks_leaves_the_plan_and_comes_back_by_its_name(
        as_role, tablet, db):
    manager = as_role("manager")
    check = tablet.seat("5")
    moved = tablet.client.post(f"/api/v1/checks/{check['id']}/transfer", json={
        "version": check["version"], "table_id": tablet.tables["6"]})
    assert moved.status_code == 200, moved.get_json()
    five = demo_table(manager, "5")
    assert manager.delete(f"/api/v1/tables/{five['id']}", json={}).status_code == 200
    with db.reading() as session:
        assert session.get(DiningTable, five["id"]).removed_at is not None  # the move names it
    plan = as_role("waiter").get("/api/v1/floor").get_json()
    assert "5" not in {t["name"] for f in plan["floors"] for t in f["tables"]}
    salon = layout_of(manager)["floors"][0]
    back = manager.post("/api/v1/tables", json={"floor_id": salon["id"], "name": "5",
                                                 "x": 80, "y": 80})
    assert back.status_code == 201 and back.get_json()["id"] == five["id"]
    assert demo_table(manager, "5")["x"] == 80


def test_a_manager_adds_renames_orders_and_removes_floors(as_role, db):
    manager = as_role("manager")
    added = manager.post("/api/v1/floors", json={"names": {"ro": "Grădină", "en": "Garden"}})
    assert added.status_code == 201, added.get_json()
    garden = added.get_json()
    assert manager.patch(f"/api/v1/floors/{garden['id']}", json={
        "names": {"ro": "Curte", "en": "Courtyard"}}).get_json()["names"]["en"] == "Courtyard"
    ids = [f["id"] for f in layout_of(manager)["floors"]]
    before = written(db)
    for wrong in ([ids[0], ids[1]], [*ids, ids[0]], [*ids, 999]):
        refused = manager.put("/api/v1/floors/order", json={"ids": wrong})
        assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "ids"
    assert manager.patch(f"/api/v1/floors/{garden['id']}",
                         json={"names": {}}).get_json()["error"]["field"] == "names"
    assert manager.post("/api/v1/floors", json={"names": {"ro": ""}}).status_code == 422
    salon = ids[0]
    refused = manager.delete(f"/api/v1/floors/{salon}", json={})
    assert refused.status_code == 409 and refused.get_json()["error"]["field"] == "floor_id"
    assert written(db) == before
    reordered = manager.put("/api/v1/floors/order", json={"ids": ids[::-1]}).get_json()
    assert [f["id"] for f in reordered["floors"]] == ids[::-1]
    plan = as_role("waiter").get("/api/v1/floor").get_json()
    assert [f["id"] for f in plan["floors"]] == ids[::-1]
    section = manager.post("/api/v1/sections", json={"floor_id": garden["id"], "name": "Curte"})
    assert section.status_code == 201
    assert manager.delete(f"/api/v1/floors/{garden['id']}", json={}).status_code == 200
    with db.reading() as session:
        assert session.get(Floor, garden["id"]) is None
        assert session.get(Section, section.get_json()["id"]) is None
    assert layout_events(db)[-1]["what"] == "floors"
    assert [d["change"] for d in audited(db, f"floor:{garden['id']}")] == [
        "floor.added", "floor.renamed", "floor.removed"]


def test_a_manager_keeps_sections_and_their_servers(as_role, db):
    manager = as_role("manager")
    layout = layout_of(manager)
    salon = layout["floors"][0]
    added = manager.post("/api/v1/sections", json={"floor_id": salon["id"], "name": "Terasa mică"})
    assert added.status_code == 201
    section = added.get_json()
    five = demo_table(manager, "5")
    assert manager.patch(f"/api/v1/tables/{five['id']}",
                         json={"section_id": section["id"]}).status_code == 200
    servers = manager.put(f"/api/v1/sections/{section['id']}/servers", json={"staff_ids": [2]})
    assert servers.get_json()["staff_ids"] == [2]
    renamed = manager.patch(f"/api/v1/sections/{section['id']}", json={"name": "Colț"})
    assert renamed.get_json()["name"] == "Colț"
    before = written(db)
    for body, field in [({"name": ""}, "name"), ({"name": "x" * 61}, "name")]:
        refused = manager.patch(f"/api/v1/sections/{section['id']}", json=body)
        assert refused.status_code == 422 and refused.get_json()["error"]["field"] == field
    refused = manager.post("/api/v1/sections", json={"floor_id": 999, "name": "Nowhere"})
    assert refused.status_code == 404 and refused.get_json()["error"]["field"] == "floor_id"
    assert written(db) == before
    assert manager.delete(f"/api/v1/sections/{section['id']}", json={}).status_code == 200
    assert demo_table(manager, "5")["section_id"] is None
    assert section["id"] not in [s["id"] for s in manager.get("/api/v1/sections").get_json()]
    assert [d["change"] for d in audited(db, f"section:{section['id']}")] == [
        "section.added", "section.renamed", "section.removed"]


def test_the_floor_editor_page_is_a_managers(as_role, client):
    assert as_role("manager").get("/office/floor").status_code == 200
    assert as_role("waiter").get("/office/floor").status_code == 403
    assert client.get("/office/floor").status_code == 302
    assert b'href="/office/floor"' in as_role("manager").get("/office").data


def test_an_idempotency_key_adds_a_table_once(as_role, db):
    manager = as_role("manager")
    salon = layout_of(manager)["floors"][0]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"floor_id": salon["id"], "name": "30"}
    first = manager.post("/api/v1/tables", json=body, headers=key)
    again = manager.post("/api/v1/tables", json=body, headers=key)
    assert first.status_code == 201 and again.get_json() == first.get_json()
