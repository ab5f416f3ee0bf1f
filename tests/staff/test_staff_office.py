"""The back office's staff screen and the API it calls: people listed (active and not),
added with a chosen or a made PIN (shown once), a role changed within the trust rules, a
PIN reset, someone deactivated and back; each change audited with before and after."""

from __future__ import annotations

import pytest
from factories import make_staff, signed_in
from sqlalchemy import func, select

from pos.core.audit import AuditEntry
from pos.core.auth import Role
from pos.staff.models import StaffMember


@pytest.fixture
def manager(app, db):
    return signed_in(app, make_staff(db, Role.MANAGER, name="Maria Manager"))


def staff_count(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(StaffMember))


def audit(db, action: str) -> list[AuditEntry]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_staff_page_is_a_managers(app, db, manager):
    page = manager.get("/office/staff")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "data-staff-office" in html and "js/office/staff.js" in html
    assert 'data-office-section="staff"' in manager.get("/office").get_data(as_text=True)
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    assert waiter.get("/office/staff").status_code == 403
    nobody = app.test_client().get("/office/staff")
    assert nobody.status_code == 302 and "/signin?next=/office/staff" in nobody.location


def test_a_manager_is_offered_only_the_roles_they_may_give(app, db, manager):
    html = manager.get("/office/staff").get_data(as_text=True)
    assert "&#34;manager&#34;" in html and "&#34;admin&#34;" not in html
    admin = signed_in(app, make_staff(db, Role.ADMIN))
    assert "&#34;admin&#34;" in admin.get("/office/staff").get_data(as_text=True)


def test_a_made_pin_is_shown_once_and_signs_in(app, db, manager):
    added = manager.post("/api/v1/staff", json={"name": "Nou Ospătar", "role": "waiter",
                                                "language": "ro"})
    assert added.status_code == 201
    pin = added.get_json()["pin"]
    assert pin and pin.isdigit()
    listed = manager.get("/api/v1/staff").get_json()
    assert all("pin" not in person for person in listed)
    assert app.test_client().post("/api/v1/session", json={"pin": pin}).status_code == 200
    [entry] = [e for e in audit(db, "staff.created") if e.details["name"] == "Nou Ospătar"]
    assert entry.details["pin_generated"] is True


def test_a_chosen_pin_someone_holds_is_refused_and_nothing_is_added(app, db, manager):
    holder = make_staff(db, Role.WAITER, pin="482915")
    before = staff_count(db)
    answer = manager.post("/api/v1/staff", json={"name": "Copy", "role": "waiter",
                                                 "pin": holder.pin})
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (409, "pin_unavailable")
    assert answer.get_json()["error"]["field"] == "pin"
    assert staff_count(db) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "", "role": "waiter"}, "name"),
    ({"name": "X" * 81, "role": "waiter"}, "name"),
    ({"name": "Ok", "role": "chef"}, "role"),
    ({"name": "Ok", "role": "waiter", "pin": "12"}, "pin"),
    ({"name": "Ok", "role": "waiter", "language": "de"}, "language"),
])
def test_bad_input_is_refused_naming_the_field(db, manager, body, field):
    before = staff_count(db)
    answer = manager.post("/api/v1/staff", json=body)
    assert (answer.status_code, answer.get_json()["error"]["field"]) == (422, field)
    assert staff_count(db) == before


def test_a_manager_cannot_make_an_admin_nor_promote_to_one(db, manager):
    before = staff_count(db)
    made = manager.post("/api/v1/staff", json={"name": "Boss", "role": "admin"})
    assert (made.status_code, made.get_json()["error"]["code"]) == (403, "role_above_yours")
    assert staff_count(db) == before
    waiter = make_staff(db, Role.WAITER)
    promoted = manager.patch(f"/api/v1/staff/{waiter.id}", json={"role": "admin"})
    assert promoted.status_code == 403
    with db.reading() as session:
        assert session.get(StaffMember, waiter.id).role is Role.WAITER


def test_a_waiter_cannot_manage_staff(app, db):
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    other = make_staff(db, Role.WAITER)
    assert waiter.get("/api/v1/staff").status_code == 403
    assert waiter.post("/api/v1/staff", json={"name": "X", "role": "waiter"}).status_code == 403
    assert waiter.patch(f"/api/v1/staff/{other.id}", json={"active": False}).status_code == 403
    assert waiter.post(f"/api/v1/staff/{other.id}/pin", json={}).status_code == 403


def test_a_role_change_is_audited_with_before_and_after(db, manager):
    waiter = make_staff(db, Role.WAITER)
    answer = manager.patch(f"/api/v1/staff/{waiter.id}", json={"role": "bartender"})
    assert answer.get_json()["role"] == "bartender"
    [entry] = audit(db, "staff.changed")
    assert (entry.details["before"], entry.details["after"]) == ({"role": "waiter"},
                                                                 {"role": "bartender"})


def test_a_reset_pin_replaces_the_old_one(app, db, manager):
    waiter = make_staff(db, Role.WAITER)
    answer = manager.post(f"/api/v1/staff/{waiter.id}/pin", json={})
    new_pin = answer.get_json()["pin"]
    assert new_pin and new_pin != waiter.pin
    client = app.test_client()
    assert client.post("/api/v1/session", json={"pin": waiter.pin}).status_code == 401
    assert client.post("/api/v1/session", json={"pin": new_pin}).status_code == 200
    assert len(audit(db, "staff.pin_changed")) == 1


def test_deactivated_staff_stay_listed_and_can_come_back(app, db, manager):
    waiter = make_staff(db, Role.WAITER)
    off = manager.patch(f"/api/v1/staff/{waiter.id}", json={"active": False})
    assert off.get_json()["active"] is False
    listed = {p["id"]: p["active"] for p in manager.get("/api/v1/staff").get_json()}
    assert listed[waiter.id] is False
    assert app.test_client().post("/api/v1/session",
                                  json={"pin": waiter.pin}).status_code == 401
    manager.patch(f"/api/v1/staff/{waiter.id}", json={"active": True})
    assert app.test_client().post("/api/v1/session",
                                  json={"pin": waiter.pin}).status_code == 200
    changes = [(e.details["before"], e.details["after"]) for e in audit(db, "staff.changed")]
    assert changes == [({"active": True}, {"active": False}),
                       ({"active": False}, {"active": True})]
