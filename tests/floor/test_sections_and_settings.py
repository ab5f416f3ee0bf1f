"""Sections (who covers which tables) and the venue settings the floor depends on."""

from __future__ import annotations

from sqlalchemy import select

from pos.core.audit import AuditEntry


def test_a_waiter_sees_which_sections_are_theirs(as_role):
    floor = as_role("waiter").get("/api/v1/floor").get_json()
    sections = as_role("waiter").get("/api/v1/sections").get_json()
    anas = [s["id"] for s in sections if 1 in s["staff_ids"]]
    assert floor["my_sections"] == anas and len(anas) == 1
    assert floor["see_all_sections"] is True


def test_the_host_moves_a_section_to_another_waiter(as_role):
    host = as_role("host")
    section = host.get("/api/v1/sections").get_json()[0]
    moved = host.put(f"/api/v1/sections/{section['id']}/servers", json={"staff_ids": [2, 3]})
    assert moved.status_code == 200
    assert moved.get_json()["staff_ids"] == [2, 3]
    assert section["id"] not in as_role("waiter").get("/api/v1/floor").get_json()["my_sections"]
    unknown = host.put(f"/api/v1/sections/{section['id']}/servers", json={"staff_ids": [999]})
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["field"] == "staff_ids"
    assert as_role("waiter").put(f"/api/v1/sections/{section['id']}/servers",
                                 json={"staff_ids": [1]}).status_code == 403


def test_only_an_admin_changes_the_sections_setting_and_it_is_audited(as_role, db):
    refused = as_role("manager").patch("/api/v1/venue", json={"waiters_see_all_sections": False})
    assert (refused.status_code, refused.get_json()["error"]["field"]) == (
        403, "waiters_see_all_sections")
    admin = as_role("admin")
    changed = admin.patch("/api/v1/venue", json={"waiters_see_all_sections": False,
                                                 "idle_signout_seconds": 300})
    assert changed.status_code == 200
    assert changed.get_json()["waiters_see_all_sections"] is False
    with db.reading() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "settings.changed")).one()
    assert entry.details["changes"]["idle_signout_seconds"] == [120, 300]
    assert admin.patch("/api/v1/venue", json={}).status_code == 422
    assert admin.patch("/api/v1/venue", json={"idle_signout_seconds": 5}).status_code == 422
