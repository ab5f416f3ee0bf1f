"""Nobody grants more than they hold: staff and devices get a role at or below the
actor's rank, only staff at or below it are changed, and no device is ever admin."""

from __future__ import annotations

import pytest
from factories import make_device, make_staff, signed_in

from pos.core.auth import DEVICE_ROLES, PERMISSIONS, RANK, Permission, Role

PAIRS = [(actor, target) for actor in Role for target in Role]


def may_manage(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


@pytest.mark.parametrize(("actor_role", "target"), PAIRS,
                         ids=[f"{a.value}-adds-{t.value}" for a, t in PAIRS])
def test_adding_staff_follows_the_rank_table(app, db, actor_role, target):
    actor = signed_in(app, make_staff(db, actor_role))
    answer = actor.post("/api/v1/staff", json={"name": "New", "role": target.value})
    if not may_manage(actor_role, Permission.STAFF_MANAGE):
        assert answer.status_code == 403
    elif RANK[target] <= RANK[actor_role]:
        assert answer.status_code == 201
    else:
        assert answer.status_code == 403
        assert answer.get_json()["error"] == {
            "code": "role_above_yours", "field": "role",
            "message": answer.get_json()["error"]["message"]}


@pytest.mark.parametrize(("actor_role", "target"), PAIRS,
                         ids=[f"{a.value}-pairs-{t.value}" for a, t in PAIRS])
def test_pairing_devices_follows_the_rank_table(app, db, actor_role, target):
    actor = signed_in(app, make_staff(db, actor_role))
    answer = actor.post("/api/v1/devices", json={"label": "Screen", "role": target.value})
    allowed = (may_manage(actor_role, Permission.DEVICES_MANAGE) and target in DEVICE_ROLES
               and RANK[target] <= RANK[actor_role])
    assert answer.status_code == (201 if allowed else 403)


@pytest.mark.parametrize(("actor_role", "target"), PAIRS,
                         ids=[f"{a.value}-changes-{t.value}" for a, t in PAIRS])
def test_changing_someone_follows_the_rank_table(app, db, actor_role, target):
    """A change needs rank over the person as they are and over the role they get."""
    actor = signed_in(app, make_staff(db, actor_role))
    someone = make_staff(db, target)
    renamed = actor.patch(f"/api/v1/staff/{someone.id}", json={"name": "Renamed"})
    new_pin = actor.post(f"/api/v1/staff/{someone.id}/pin", json={})
    promoted = actor.patch(f"/api/v1/staff/{someone.id}", json={"role": "admin"})
    if not may_manage(actor_role, Permission.STAFF_MANAGE):
        assert (renamed.status_code, new_pin.status_code, promoted.status_code) == (403,) * 3
        return
    allowed = RANK[target] <= RANK[actor_role]
    assert renamed.status_code == (200 if allowed else 403)
    assert new_pin.status_code == (200 if allowed else 403)
    assert promoted.status_code == (200 if allowed and actor_role is Role.ADMIN else 403)


def test_a_manager_cannot_make_an_admin_nor_an_admin_device(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    assert manager.post("/api/v1/staff", json={"name": "Boss", "role": "admin",
                                               "pin": "864209"}).status_code == 403
    assert manager.post("/api/v1/devices", json={"label": "X", "role": "admin"}).status_code == 403


def test_not_even_an_admin_pairs_an_admin_device(app, db):
    admin = signed_in(app, make_staff(db, Role.ADMIN))
    answer = admin.post("/api/v1/devices", json={"label": "X", "role": "admin"})
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "role_not_for_devices"


def test_a_manager_device_may_not_hand_out_access(app, db):
    """A screen never pairs screens, adds staff or approves: only a person answers for that."""
    screen = make_device(db, Role.MANAGER)
    client = app.test_client()
    for method, path, body in (("post", "/api/v1/devices", {"label": "Y", "role": "waiter"}),
                               ("post", "/api/v1/staff", {"name": "Z", "role": "waiter"}),
                               ("get", "/api/v1/staff", None),
                               ("patch", "/api/v1/venue", {"idle_signout_seconds": 60})):
        answer = getattr(client, method)(path, json=body, headers=screen.bearer)
        assert answer.status_code == 403, (path, answer.get_json())


def test_a_manager_cannot_deactivate_or_demote_themself(app, db):
    me = make_staff(db, Role.MANAGER)
    manager = signed_in(app, me)
    assert manager.patch(f"/api/v1/staff/{me.id}", json={"active": False}).status_code == 403
    assert manager.patch(f"/api/v1/staff/{me.id}", json={"role": "waiter"}).status_code == 403
