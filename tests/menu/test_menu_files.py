"""The whole menu as a file: exported as JSON or CSV, imported back into an empty venue,
and exported again to the same file. A wrong file is refused line by line, each with its
reason, and nothing of it is written."""

from __future__ import annotations

import menu_helpers
import pytest
from factories import make_staff, signed_in
from support import make_app

import pos.demo_data as demo
from kitchen.models import Station
from pos.core.auth import Role
from pos.core.money import TaxMode
from pos.demo import create_courses
from pos.venue.operations import create_venue

office, nothing_written = menu_helpers.office, menu_helpers.nothing_written  # fixtures


@pytest.fixture
def empty_office(empty_database_url, tmp_path):
    """Another venue, set up with the demo's tax rates, courses and stations but no menu:
    its manager's office PC."""
    app = make_app(empty_database_url, tmp_path / "empty-venue")
    db = app.extensions["masa_db"]
    with db.transaction() as session:
        create_venue(session, name="Empty", currency="RON", locale="ro_RO",
                     timezone="Europe/Bucharest", tax_mode=TaxMode.INCLUSIVE,
                     tax_rates=list(demo.TAX_RATES))
        create_courses(session)
        session.add_all([Station(code=code, names=names, position=position, is_expo=is_expo)
                         for code, names, position, is_expo, _warn, _late in demo.STATIONS])
    yield signed_in(app, make_staff(db, Role.MANAGER))
    db.dispose()


def export(client, kind: str) -> str:
    answer = client.get(f"/api/v1/menu/export.{kind}")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == f'attachment; filename="menu.{kind}"'
    return answer.get_data(as_text=True)


def import_file(client, kind: str, content: str):
    return client.post("/api/v1/menu/import", json={"format": kind, "content": content})


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_export_import_into_an_empty_venue_and_export_again_gives_the_same_file(
        office, empty_office, kind):
    # Besides the demo's happy hour, a late-night menu limited to a category and an item.
    answer = office.post("/api/v1/menu/schedules", json={
        "names": {"ro": "Noapte", "en": "Late night"}, "days": ["fri", "sat"],
        "starts": "22:00", "ends": "02:00", "active": False, "category_ids": [1],
        "item_ids": [office.get("/api/v1/menu").get_json()["items"][-1]["id"]]})
    assert answer.status_code == 201, answer.get_json()
    exported = export(office, kind)
    assert "Late night" in exported and "807:1900" in exported.replace('"number": 807, '
                                                                       '"price": ', "807:")
    assert empty_office.get("/api/v1/menu").get_json()["items"] == []
    answer = import_file(empty_office, kind, exported)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"categories": 8, "modifier_groups": 8, "items": 63,
                                 "schedules": 2}
    assert export(empty_office, kind) == exported
    def steak(client):
        menu = client.get("/api/v1/menu").get_json()
        item = next(i for i in menu["items"] if i["number"] == 401)
        return [next(g for g in menu["modifier_groups"] if g["id"] == group_id)["names"]
                for group_id in item["modifier_group_ids"]]

    assert steak(empty_office) == steak(office)  # its choice groups, in order
    schedules = [{key: s[key] for key in ("names", "days", "starts", "ends", "active")}
                 for s in empty_office.get("/api/v1/menu").get_json()["schedules"]]
    assert schedules == [{key: s[key] for key in ("names", "days", "starts", "ends", "active")}
                         for s in office.get("/api/v1/menu").get_json()["schedules"]]
    # Importing the same file again changes nothing.
    assert import_file(empty_office, kind, exported).status_code == 200
    assert export(empty_office, kind) == exported


def test_an_import_updates_known_numbers_and_adds_new_ones(office):
    exported = export(office, "csv")
    lines = exported.splitlines()
    soup = next(i for i, line in enumerate(lines) if line.startswith("item,,1,101,"))
    lines[soup] = lines[soup].replace(",3200,", ",3300,")
    lines.append(lines[soup].replace("item,,1,101,", "item,,1,199,"))
    assert import_file(office, "csv", "\n".join(lines) + "\n").status_code == 200
    items = {i["number"]: i for i in office.get("/api/v1/menu").get_json()["items"]}
    assert items[101]["price"] == 3300 and items[199]["price"] == 3300


def test_a_malformed_csv_is_refused_line_by_line_and_nothing_is_written(office,
                                                                        nothing_written):
    lines = export(office, "csv").splitlines()
    first_item = next(i for i, line in enumerate(lines) if line.startswith("item,"))
    lines[first_item] = lines[first_item].replace(",3200,", ",-3200,")  # line first_item + 1
    lines[first_item + 1] = lines[first_item + 1].replace("item,,1,102,", "item,,1,103,")
    lines[1] = lines[1].replace("TVA 11%", "TVA 5%")  # a rate the venue does not have
    lines.append("dish,,,,")
    group = next(i for i, line in enumerate(lines) if line.startswith("group,"))
    lines[group] = lines[group].replace(",1,1,,", ",2,1,,")
    with nothing_written():
        answer = import_file(office, "csv", "\n".join(lines) + "\n")
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["code"] == "menu_file_refused" and error["field"] == "content"
    found = {(p["line"], p["field"]) for p in error["problems"]}
    assert found == {(2, "tax_rate"), (group + 1, "min_choices"), (first_item + 1, "price"),
                     (first_item + 3, "number"), (len(lines), "kind")}
    assert all(p["message"] for p in error["problems"])


def test_a_malformed_json_file_is_refused_naming_where(office, nothing_written):
    with nothing_written():
        broken = import_file(office, "json", '{"masa_menu": 1,\n"items": [\n{"number": }]}')
    assert broken.status_code == 422
    assert broken.get_json()["error"]["problems"][0]["line"] == 3
    exported = export(office, "json").replace('"price": 3200', '"price": "lots"', 1)
    exported = exported.replace('"stations": ["bar"]', '"stations": ["cellar"]', 1)
    with nothing_written():
        answer = import_file(office, "json", exported)
    problems = answer.get_json()["error"]["problems"]
    assert {(p["where"].split("[")[0], p["field"]) for p in problems} == {
        ("items", "price"), ("categories", "stations")}
    error = answer.get_json()["error"]
    assert error["code"] == "menu_file_refused" and problems[0]["where"] in error["message"]


def test_a_file_that_is_no_menu_is_refused(office):
    answer = import_file(office, "json", '{"hello": 1}')
    assert answer.status_code == 422
    assert answer.get_json()["error"]["problems"][0]["line"] == 1
    answer = import_file(office, "csv", "a,b\n1,2\n")
    assert answer.get_json()["error"]["problems"][0]["line"] == 1
