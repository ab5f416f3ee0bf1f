"""Menus by time of day and day of week: a happy hour prices a beer while it runs, a
late-night menu runs past midnight in the venue's own time zone, an item outside its
schedule is refused, and every edit is audited, announced, and refused naming its field
when wrong. The server's clock is fixed (``pos.core.db.clock``), never the real one."""

from __future__ import annotations

from datetime import UTC, datetime

import menu_helpers
import pytest
from factories import make_staff, signed_in
from sqlalchemy import event, func, select
from support import PINS, Tablet

import pos.core.db
from pos.core.audit import AuditEntry
from pos.core.auth import Role
from pos.core.events import Event
from pos.menu.models import MenuSchedule, ScheduleItem, SchedulePrice
from pos.menu.schedules import MenuTimes, ScheduleShape
from pos.venue.models import Venue

office = menu_helpers.office  # fixture

BEER, IPA, SOUP = 806, 807, 102  # the demo's draught lager (18,00), craft IPA, a soup
# The demo venue is in Europe/Bucharest: UTC+2 in winter.
WEDNESDAY_1730 = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)
WEDNESDAY_1900 = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
SATURDAY_1730 = datetime(2026, 12, 5, 15, 30, tzinfo=UTC)


@pytest.fixture
def at(app, monkeypatch):
    """``at(moment)``: the server's clock stands at ``moment`` from now on; the answer is
    a waiter's tablet signed in then (a session signed in at another time would be idle)."""
    def stand(moment: datetime) -> Tablet:
        monkeypatch.setattr(pos.core.db, "clock", lambda: moment)
        return Tablet(app.test_client(), PINS["waiter"])
    return stand


def add_schedule(client, **fields) -> dict:
    body = {"names": {"ro": "Bere ieftină", "en": "Cheap beer"},
            "days": ["mon", "tue", "wed", "thu", "fri"], "starts": "17:00", "ends": "19:00",
            **fields}
    answer = client.post("/api/v1/menu/schedules", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def price_sent(tablet, number: int) -> int:
    check = tablet.sent(tablet.seat(), tablet.line(number))
    [line] = check["lines"]
    assert check["totals"]["total"] == line["unit_price"]  # the bill charges the line's price
    return line["unit_price"]


def test_a_happy_hour_prices_a_beer_while_it_runs_and_only_then(office, tablet, at):
    beer = tablet.items[BEER]
    add_schedule(office, prices=[{"item_id": beer["id"], "price": 1200}])
    tablet = at(WEDNESDAY_1730)
    assert price_sent(tablet, BEER) == 1200
    assert price_sent(tablet, SOUP) == tablet.items[SOUP]["price"]  # no override: its own
    tablet = at(WEDNESDAY_1900)  # the end is when it stops
    assert price_sent(tablet, BEER) == 1800
    tablet = at(SATURDAY_1730)  # not one of its days
    assert price_sent(tablet, BEER) == 1800


def test_a_quote_and_an_added_line_are_priced_as_a_send_would(office, tablet, at):
    beer = tablet.items[BEER]
    add_schedule(office, prices=[{"item_id": beer["id"], "price": 1200}])
    tablet = at(WEDNESDAY_1730)
    check = tablet.seat()
    quote = tablet.client.post(f"/api/v1/checks/{check['id']}/quote",
                               json={"lines": [tablet.line(BEER, quantity=2)]})
    assert quote.status_code == 200, quote.get_json()
    assert quote.get_json()["totals"]["total"] == 2400


def test_a_late_night_menu_runs_past_midnight_in_the_venues_time_zone(office, tablet, db, at):
    soup = tablet.items[SOUP]
    add_schedule(office, names={"ro": "Noapte", "en": "Late night"}, days=["fri"],
                 starts="22:00", ends="02:00", item_ids=[soup["id"]])
    tablet = at(datetime(2026, 12, 4, 23, 30, tzinfo=UTC))  # Saturday 01:30 in Bucharest
    assert price_sent(tablet, SOUP) == soup["price"]
    tablet = at(datetime(2026, 12, 5, 0, 0, tzinfo=UTC))  # Saturday 02:00: over
    refused = tablet.send(tablet.seat(), tablet.line(SOUP))
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["field"] == "lines.0.item_id" and error["code"] == "not_offered"
    assert soup["names"]["ro"] in error["message"]
    # The same instant in Lisbon is Saturday 00:00, inside the night that began on Friday.
    with db.transaction() as session:
        session.get(Venue, 1).timezone = "Europe/Lisbon"
    assert price_sent(tablet, SOUP) == soup["price"]


def test_an_item_in_no_running_schedule_is_refused_and_its_category_limits_it_too(
        office, tablet, at):
    soup = tablet.items[SOUP]
    add_schedule(office, names={"ro": "Prânz", "en": "Lunch"}, days=["wed"],
                 starts="12:00", ends="16:00", category_ids=[soup["category_id"]])
    tablet = at(WEDNESDAY_1730)
    refused = tablet.send(tablet.seat(), tablet.line(BEER), tablet.line(SOUP))
    assert refused.status_code == 409
    assert refused.get_json()["error"]["field"] == "lines.1.item_id"
    tablet = at(datetime(2026, 12, 2, 11, 0, tzinfo=UTC))  # Wednesday 13:00
    assert price_sent(tablet, SOUP) == soup["price"]


def test_an_inactive_schedule_changes_nothing_and_overlaps_charge_the_lower_price(
        app, db, office, tablet, at):
    beer = tablet.items[BEER]
    first = add_schedule(office, prices=[{"item_id": beer["id"], "price": 1500}])
    add_schedule(office, names={"ro": "Miercuri", "en": "Wednesday"}, days=["wed"],
                 starts="17:00", ends="18:00", prices=[{"item_id": beer["id"], "price": 1300}])
    tablet = at(WEDNESDAY_1730)
    assert price_sent(tablet, BEER) == 1300
    office = signed_in(app, make_staff(db, Role.MANAGER, name="Manager later"))
    answer = office.patch(f"/api/v1/menu/schedules/{first['id']}",
                          json={"active": False, "prices": []})
    assert answer.status_code == 200, answer.get_json()
    assert price_sent(tablet, BEER) == 1300


def test_edits_are_audited_announced_and_reach_the_tablets_menu(office, tablet, db):
    beer, ipa = tablet.items[BEER], tablet.items[IPA]
    made = add_schedule(office, prices=[{"item_id": beer["id"], "price": 1200}])
    assert made["days"] == ["mon", "tue", "wed", "thu", "fri"] and made["starts"] == "17:00"
    menu = tablet.client.get("/api/v1/menu").get_json()
    [shown] = [s for s in menu["schedules"] if s["id"] == made["id"]]
    assert shown["prices"] == [{"item_id": beer["id"], "price": 1200}]
    answer = office.patch(f"/api/v1/menu/schedules/{made['id']}", json={
        "ends": "20:00", "prices": [{"item_id": beer["id"], "price": 1200},
                                    {"item_id": ipa["id"], "price": 1900}]})
    assert answer.status_code == 200, answer.get_json()
    listed = office.get("/api/v1/menu/schedules").get_json()
    assert [s["ends"] for s in listed["schedules"] if s["id"] == made["id"]] == ["20:00"]
    assert {i["number"] for i in listed["items"]} >= {BEER, IPA}
    assert office.delete(f"/api/v1/menu/schedules/{made['id']}", json={}).status_code == 200
    with db.reading() as session:
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("menu.schedule_%")).order_by(AuditEntry.id)).all()
        events = [e.data for e in session.scalars(
            select(Event).where(Event.name == "menu").order_by(Event.id))]
        assert session.scalar(select(func.count()).select_from(SchedulePrice)) == 2  # the demo's
    assert [e.action for e in entries] == ["menu.schedule_added", "menu.schedule_changed",
                                           "menu.schedule_removed"]
    assert entries[1].details["before"] == {
        "ends": "19:00", "prices": [{"item_id": beer["id"], "price": 1200}]}
    assert entries[1].details["after"]["ends"] == "20:00"
    assert entries[2].details["before"]["names"]["en"] == "Cheap beer"
    assert [len(e["schedules"]) for e in events[-3:]] == [2, 2, 1]  # and the demo's
    assert made["id"] not in [s["id"] for s in tablet.client.get("/api/v1/menu").get_json()[
        "schedules"]]


def statements_of_a_send(db, tablet, number: int) -> list[str]:
    """The SQL statements one send of ``number`` runs, once the caches are warm."""
    tablet.sent(tablet.seat("6"), tablet.line(number))
    check, seen = tablet.seat("7"), []

    def count(_connection, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert tablet.send(check, tablet.line(number)).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return seen


def test_pricing_by_schedule_adds_no_query_to_a_send(app, db, office, at):
    tablet = at(WEDNESDAY_1730)  # the demo's happy hour runs: the IPA is 19,00
    with_schedules = statements_of_a_send(db, tablet, IPA)
    office = signed_in(app, make_staff(db, Role.MANAGER, name="Manager later"))
    for schedule in office.get("/api/v1/menu/schedules").get_json()["schedules"]:
        assert office.delete(f"/api/v1/menu/schedules/{schedule['id']}", json={}).status_code == 200
    assert not [s for s in with_schedules if "menu_schedule" in s]  # the cache holds them
    assert len(statements_of_a_send(db, tablet, IPA)) == len(with_schedules)


def written(db) -> tuple[int, ...]:
    with db.reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (MenuSchedule, ScheduleItem, SchedulePrice, AuditEntry, Event))


@pytest.mark.parametrize(("fields", "status", "field"), [
    ({"days": ["mon", "funday"]}, 422, "days"),
    ({"days": []}, 422, "days"),
    ({"starts": "18:00", "ends": "18:00"}, 422, "ends"),
    ({"starts": "25:00"}, 422, "starts"),
    ({"prices": [{"item_id": 1, "price": -1}]}, 422, "prices.0.price"),
    ({"prices": [{"item_id": 999999, "price": 100}]}, 422, "prices.0.item_id"),
    ({"prices": [{"item_id": 1, "price": 100}, {"item_id": 1, "price": 90}]}, 422,
     "prices.1.item_id"),
    ({"item_ids": [999999]}, 422, "item_ids.0"),
    ({"category_ids": [999999]}, 422, "category_ids.0"),
    ({"names": {"ro": "CHEAP beer "}}, 409, "names"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(office, db, fields,
                                                                       status, field):
    made = add_schedule(office)
    before = written(db)
    body = {"names": {"ro": "Alta", "en": "Another"}, "days": ["sat"], "starts": "10:00",
            "ends": "12:00", **fields}
    answer = office.post("/api/v1/menu/schedules", json=body)
    assert answer.status_code == status, answer.get_json()
    assert answer.get_json()["error"]["field"] == field
    if field != "names":  # a change to the schedule itself refuses the same
        changed = office.patch(f"/api/v1/menu/schedules/{made['id']}", json=fields)
        assert changed.status_code == status, changed.get_json()
        assert changed.get_json()["error"]["field"] == field
    assert written(db) == before


def test_a_waiter_may_not_edit_schedules(app, db):
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    assert waiter.get("/api/v1/menu/schedules").status_code == 403
    assert waiter.post("/api/v1/menu/schedules", json={}).status_code == 403
    assert waiter.delete("/api/v1/menu/schedules/1", json={}).status_code == 403


def test_a_schedule_runs_on_its_days_from_its_start_until_its_end():
    night = ScheduleShape(1, frozenset({4}), 22 * 60, 2 * 60)  # Friday 22:00–02:00
    lunch = ScheduleShape(2, frozenset({0, 1, 2, 3, 4}), 12 * 60, 15 * 60)
    times = MenuTimes("Europe/Bucharest", (night, lunch))

    local = MenuTimes("UTC", (night, lunch))
    assert set(local.running(datetime(2026, 12, 11, 22, 0, tzinfo=UTC))) == {1}  # Fri 22:00
    assert set(local.running(datetime(2026, 12, 12, 1, 59, tzinfo=UTC))) == {1}  # Sat 01:59
    assert set(local.running(datetime(2026, 12, 12, 2, 0, tzinfo=UTC))) == set()
    assert set(local.running(datetime(2026, 12, 11, 1, 0, tzinfo=UTC))) == set()  # Fri 01:00
    assert set(local.running(datetime(2026, 12, 11, 12, 0, tzinfo=UTC))) == {2}
    assert set(local.running(datetime(2026, 12, 11, 14, 59, tzinfo=UTC))) == {2}
    assert set(local.running(datetime(2026, 12, 12, 12, 0, tzinfo=UTC))) == set()  # Sat
    # In Bucharest (UTC+2) Friday 22:00 is 20:00 UTC.
    assert set(times.running(datetime(2026, 12, 11, 20, 0, tzinfo=UTC))) == {1}
    assert set(times.running(datetime(2026, 12, 11, 19, 59, tzinfo=UTC))) == set()
