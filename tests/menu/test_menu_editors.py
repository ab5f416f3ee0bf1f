"""The back office's menu editors: categories, items, choice groups and their choices.
Each change is audited with its before and after and reaches the tablets as a ``menu``
event; each refusal names its field and writes nothing."""

from __future__ import annotations

import gzip

import menu_helpers
from factories import make_staff, signed_in
from sqlalchemy import select
from support import ScreenClient, wait_until

from kitchen.models import Station, Ticket
from pos.core.audit import AuditEntry
from pos.core.auth import Role
from pos.core.events import Event
from pos.menu.models import MenuItem
from pos.menu.schemas import MenuOut

SOUPS = 1  # the demo's first category

office, nothing_written = menu_helpers.office, menu_helpers.nothing_written  # fixtures


def setup_of(client) -> dict:
    answer = client.get("/api/v1/menu/setup")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def tax_rate(client) -> int:
    return setup_of(client)["tax_rates"][0]["id"]


def new_group(client, **fields) -> dict:
    body = {"names": {"ro": "Sos", "en": "Sauce"}, "min_choices": 1, "max_choices": 1,
            "modifiers": [{"names": {"ro": "Usturoi", "en": "Garlic"}},
                          {"names": {"ro": "Smântână", "en": "Sour cream"}, "price_delta": 350}],
            **fields}
    answer = client.post("/api/v1/menu/modifier-groups", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def new_item(client, **fields) -> dict:
    body = {"category_id": SOUPS, "number": 777, "names": {"ro": "Ciorbă de fasole",
                                                           "en": "Bean soup"},
            "descriptions": {"ro": "cu afumătură", "en": "with smoked pork"}, "price": 2650,
            "allergens": ["celery"], **fields}
    answer = client.post("/api/v1/menu/items", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def tablet_menu(client) -> dict:
    return client.get("/api/v1/menu").get_json()


def audit_of(db, action: str) -> list[AuditEntry]:
    with db.reading() as session:
        return session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                               .order_by(AuditEntry.id)).all()


def menu_events(db) -> list[dict]:
    with db.reading() as session:
        return [e.data for e in session.scalars(select(Event).where(Event.name == "menu")
                                                .order_by(Event.id))]


def test_a_manager_adds_an_item_with_a_required_choice_group(office, db):
    group = new_group(office)
    assert [m["names"]["en"] for m in group["modifiers"]] == ["Garlic", "Sour cream"]
    item = new_item(office, modifier_group_ids=[group["id"]], stations=["cold"])
    menu = tablet_menu(office)
    shown = next(i for i in menu["items"] if i["number"] == 777)
    assert shown["modifier_group_ids"] == [group["id"]]
    assert shown["descriptions"]["en"] == "with smoked pork"
    [required] = [g for g in menu["modifier_groups"] if g["id"] == group["id"]]
    assert required["min_choices"] == 1
    editing = office.get(f"/api/v1/menu/items/{item['id']}").get_json()
    assert editing["stations"] == ["cold"] and editing["allergens"] == ["celery"]
    [added] = audit_of(db, "menu.item_added")
    assert added.details["after"]["number"] == 777 and added.subject == f"menu_item:{item['id']}"
    assert audit_of(db, "menu.group_added")[0].details["after"]["min_choices"] == 1
    events = menu_events(db)
    assert events[-1]["items"][0]["id"] == item["id"]
    assert events[-2]["modifier_groups"][0]["id"] == group["id"]


def test_the_new_item_is_made_at_its_station(office, tablet, db):
    item = new_item(office, stations=["bar"])
    check = tablet.sent(tablet.seat(), {"item_id": item["id"], "quantity": 1,
                                        "client_id": "b0a0c0d0-0000-4000-8000-000000000777"})
    with db.reading() as session:
        made_at = session.scalars(select(Station.code).join(Ticket, Ticket.station_id == Station.id)
                                  .where(Ticket.check_id == check["id"])).all()
    assert made_at == ["bar"]


def test_changing_an_item_audits_only_what_changed(office, db):
    item = new_item(office)
    answer = office.patch(f"/api/v1/menu/items/{item['id']}", json={
        "price": 2800, "names": {"ro": "Ciorbă de fasole", "en": "Bean sour soup"},
        "stations": ["grill"], "tax_rate_id": None, "modifier_group_ids": None})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["price"] == 2800 and answer.get_json()["stations"] == ["grill"]
    [changed] = audit_of(db, "menu.item_changed")
    assert changed.details["before"] == {"price": 2650, "stations": [], "names": {
        "ro": "Ciorbă de fasole", "en": "Bean soup"}}
    assert changed.details["after"]["price"] == 2800
    assert menu_events(db)[-1]["items"][0]["price"] == 2800


def test_a_hidden_item_leaves_the_tablets(office, db):
    item = new_item(office)
    office.patch(f"/api/v1/menu/items/{item['id']}", json={"active": False})
    assert item["id"] not in [i["id"] for i in tablet_menu(office)["items"]]
    assert menu_events(db)[-1]["items"][0]["active"] is False


def test_a_category_is_added_renamed_reordered_hidden_and_brought_back(office, db):
    rate = tax_rate(office)
    added = office.post("/api/v1/menu/categories", json={
        "names": {"ro": "Mic dejun", "en": "Breakfast"}, "tax_rate_id": rate,
        "color": "#AA5500", "stations": ["cold"]})
    assert added.status_code == 201, added.get_json()
    category = added.get_json()
    assert category["color"] == "#aa5500" and category["stations"] == ["cold"]
    renamed = office.patch(f"/api/v1/menu/categories/{category['id']}",
                           json={"names": {"ro": "Mic dejun", "en": "Breakfast all day"}})
    assert renamed.get_json()["names"]["en"] == "Breakfast all day"
    [change] = audit_of(db, "menu.category_changed")
    assert change.details == {"before": {"names": {"ro": "Mic dejun", "en": "Breakfast"}},
                              "after": {"names": {"ro": "Mic dejun",
                                                  "en": "Breakfast all day"}}}
    ids = [c["id"] for c in setup_of(office)["categories"]]
    order = [category["id"], *[i for i in ids if i != category["id"]]]
    assert office.put("/api/v1/menu/categories/order", json={"ids": order}).status_code == 200
    assert [c["id"] for c in tablet_menu(office)["categories"]] == order
    item = new_item(office, category_id=category["id"])
    office.patch(f"/api/v1/menu/categories/{category['id']}", json={"active": False})
    menu = tablet_menu(office)
    assert category["id"] not in [c["id"] for c in menu["categories"]]
    assert item["id"] not in [i["id"] for i in menu["items"]]
    office.patch(f"/api/v1/menu/categories/{category['id']}", json={"active": True})
    assert [i["id"] for i in menu_events(db)[-1]["items"]] == [item["id"]]  # given back


def test_a_groups_choices_are_kept_in_order_and_a_removed_one_is_deactivated(office, db):
    group = new_group(office)
    garlic, cream = group["modifiers"]
    answer = office.patch(f"/api/v1/menu/modifier-groups/{group['id']}", json={
        "max_choices": 2,
        "modifiers": [{"id": cream["id"], "names": cream["names"], "price_delta": 400},
                      {"names": {"ro": "Ardei iute", "en": "Hot pepper"}, "price_delta": 0}]})
    assert answer.status_code == 200, answer.get_json()
    choices = answer.get_json()["modifiers"]
    assert [(m["names"]["en"], m["active"]) for m in choices] == [
        ("Sour cream", True), ("Hot pepper", True), ("Garlic", False)]
    shown = next(g for g in tablet_menu(office)["modifier_groups"] if g["id"] == group["id"])
    assert [m["names"]["en"] for m in shown["modifiers"]] == ["Sour cream", "Hot pepper"]
    assert audit_of(db, "menu.group_changed")[0].details["before"]["max_choices"] == 1


def test_the_tablets_menu_has_the_apis_shape_its_live_state_and_comes_gzipped(office, db):
    office.post("/api/v1/menu/items/1/availability", json={"available": True, "count_left": 4})
    office.post("/api/v1/menu/items/2/availability", json={"available": False})
    plain = office.get("/api/v1/menu")
    menu = MenuOut.model_validate_json(plain.data)
    live = {item.id: (item.available, item.count_left) for item in menu.items}
    assert (live[1], live[2], live[3]) == ((True, 4), (False, None), (True, None))
    assert menu.items[0].names == {"ro": "Ciorbă de burtă", "en": "Tripe soup with sour cream"}
    assert "Content-Encoding" not in office.get("/api/v1/menu", headers={
        "Accept-Encoding": "gzip"}).headers  # a bistro's menu is small: sent as it is
    with db.transaction() as session:  # a big menu
        items = [MenuItem(category_id=1, number=30_000 + n, names={"ro": f"Fel {n}"}, price=100,
                          position=n) for n in range(2000)]
        session.add_all(items)
    zipped = office.get("/api/v1/menu", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    menu = MenuOut.model_validate_json(gzip.decompress(zipped.data))
    assert len(menu.items) == len(office.get("/api/v1/menu").get_json()["items"]) == 2063


def test_the_office_list_pages_and_searches(office):
    page = office.get("/api/v1/menu/items/page?limit=10").get_json()
    assert page["total"] == 63 and len(page["items"]) == 10
    second = office.get("/api/v1/menu/items/page?limit=10&offset=10").get_json()
    assert {i["id"] for i in page["items"]}.isdisjoint({i["id"] for i in second["items"]})
    found = office.get("/api/v1/menu/items/page?q=ciorba burta").get_json()["items"]
    assert [i["number"] for i in found] == [101]  # no diacritics needed
    assert [i["number"] for i in office.get(
        "/api/v1/menu/items/page?q=40").get_json()["items"]][:1] == [401]
    soups = office.get(f"/api/v1/menu/items/page?category_id={SOUPS}").get_json()
    assert {i["category_id"] for i in soups["items"]} == {SOUPS}
    new_item(office, names={"ro": "Supă nouă", "en": "New soup"})
    assert office.get("/api/v1/menu/items/page?q=new soup").get_json()["total"] == 1


REFUSALS = [
    ("POST", "/items", {"price": -1}, "price", 422),
    ("POST", "/items", {"number": 101}, "number", 409),
    ("POST", "/items", {"tax_rate_id": 99}, "tax_rate_id", 422),
    ("POST", "/items", {"stations": ["grill", "nosuch"]}, "stations", 422),
    ("POST", "/items", {"modifier_group_ids": [999]}, "modifier_group_ids", 422),
    ("POST", "/items", {"category_id": 999}, "category_id", 422),
    ("POST", "/items", {"course_id": 999}, "course_id", 422),
    ("POST", "/items", {"allergens": ["gluten", "glitter"]}, "allergens", 422),
    ("POST", "/items", {"names": {}}, "names", 422),
    ("PATCH", "/items/1", {"price": -5}, "price", 422),
    ("PATCH", "/items/1", {"number": 102}, "number", 409),
    ("PATCH", "/items/1", {"tax_rate_id": 99, "price": 100}, "tax_rate_id", 422),
    ("PATCH", "/items/1", {"stations": ["expo"]}, "stations", 422),
    ("PATCH", "/items/1", {"names": None}, "names", 422),
    ("POST", "/modifier-groups", {"min_choices": 3, "max_choices": 2}, "min_choices", 422),
    ("POST", "/modifier-groups", {"max_choices": 0, "min_choices": 0}, "max_choices", 422),
    ("POST", "/modifier-groups", {"modifiers": [{"names": {"ro": "X"}, "price_delta": "1"}]},
     "modifiers.0.price_delta", 422),
    ("PATCH", "/modifier-groups/1", {"min_choices": 2}, "min_choices", 422),
    ("PATCH", "/modifier-groups/1", {"modifiers": [{"id": 999, "names": {"ro": "X"}}]},
     "modifiers.0.id", 422),
    ("POST", "/categories", {"tax_rate_id": 99}, "tax_rate_id", 422),
    ("POST", "/categories", {"stations": ["nosuch"]}, "stations", 422),
    ("POST", "/categories", {"color": "red"}, "color", 422),
    ("PATCH", "/categories/1", {"tax_rate_id": None}, "tax_rate_id", 422),
    ("PUT", "/categories/order", {"ids": [1, 2]}, "ids", 422),
]
DEFAULTS = {
    "/items": {"category_id": SOUPS, "number": 778, "names": {"ro": "Nou"}, "price": 100},
    "/modifier-groups": {"names": {"ro": "Întrebare"}},
    "/categories": {"names": {"ro": "Nouă"}, "tax_rate_id": 1},
}


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(office,
                                                                      nothing_written):
    for method, path, fields, field, status in REFUSALS:
        body = {**DEFAULTS.get(path, {}), **fields} if method == "POST" else fields
        with nothing_written():
            answer = office.open(f"/api/v1/menu{path}", method=method, json=body)
        refusal = (method, path, fields, answer.status_code, answer.get_json()["error"]["field"])
        assert refusal == (method, path, fields, status, field), answer.get_json()


def test_a_waiter_may_not_edit_the_menu_nor_open_its_screen(app, db, nothing_written):
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    with nothing_written():
        assert waiter.post("/api/v1/menu/items", json=DEFAULTS["/items"]).status_code == 403
        assert waiter.get("/api/v1/menu/setup").status_code == 403
    assert waiter.get("/office/menu").status_code == 403


def test_the_office_page_is_in_the_back_office_menu(office):
    page = office.get("/office/menu?lang=en")
    assert page.status_code == 200
    assert b'data-office-section="menu"' in page.data
    assert b'aria-current="page"' in page.data


def test_open_tablets_hear_a_menu_change(live_server):
    floor = ScreenClient(live_server.url, "/floor",
                         cookie=live_server.session_cookie("waiter")).connect(last_event=0)
    manager = live_server.app.test_client()
    manager.post("/api/v1/session", json={"pin": "9999"})
    item = new_item(manager)
    wait_until(lambda: floor.ids("menu"))
    _name, _id, data = floor.events[-1]
    assert data["items"][0]["id"] == item["id"] and data["items"][0]["names"]["en"] == "Bean soup"
    floor.close()
