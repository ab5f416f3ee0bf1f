"""The venue's settings from the back office: each change audited with its value before
and after, bad input refused naming the field with nothing written, tax rates added,
changed and retired, a station's ticket colours."""

from __future__ import annotations

import pytest
from factories import make_check, make_item, make_venue
from sqlalchemy import select

from kitchen.models import Station
from pos.core.audit import AuditEntry
from pos.venue.models import TaxRate, Venue


@pytest.fixture
def admin(as_role):
    return as_role("admin")


def settings_entries(db) -> list[AuditEntry]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "settings.changed").order_by(AuditEntry.id)))


def test_every_setting_changes_and_is_audited_with_before_and_after(admin, db):
    make_venue(db, day_open=False)  # the currency changes only between business days
    changed = admin.patch("/api/v1/venue", json={
        "name": "Casa Veche", "address": "Str. Lipscani 5, București", "fiscal_code": "RO123456",
        "currency": "EUR", "locale": "en_GB", "timezone": "Europe/London",
        "tax_mode": "exclusive", "tip_suggestions_bp": [1500, 500, 1000], "tip_on_net": True,
        "tips_shared": True, "cash_quick_notes": [5_00, 20_00], "receipt_header": "Wi-Fi: masa",
        "receipt_footer": "Mulțumim!", "idle_signout_seconds": 60,
        "waiters_see_all_sections": False})
    assert changed.status_code == 200, changed.get_json()
    venue = changed.get_json()
    assert venue["tip_suggestions_bp"] == [500, 1000, 1500]
    assert (venue["currency"], venue["currency_exponent"], venue["tax_mode"]) == (
        "EUR", 2, "exclusive")
    assert venue["receipt_footer"] == "Mulțumim!"
    [entry] = settings_entries(db)
    assert entry.subject == "venue"
    assert entry.details["changes"]["name"][1] == "Casa Veche"
    assert entry.details["changes"]["tax_mode"] == ["inclusive", "exclusive"]
    assert entry.details["changes"]["receipt_header"] == ["", "Wi-Fi: masa"]


def test_the_currency_does_not_change_during_a_business_day(admin, db):
    refused = admin.patch("/api/v1/venue", json={"currency": "EUR", "name": "Renamed"})
    assert (refused.status_code, refused.get_json()["error"]["field"]) == (409, "currency")
    assert admin.get("/api/v1/venue").get_json()["currency"] == "RON"
    assert settings_entries(db) == []


def test_a_value_sent_unchanged_is_no_change(admin, db):
    name = admin.get("/api/v1/venue").get_json()["name"]
    assert admin.patch("/api/v1/venue", json={"name": name}).status_code == 200
    assert settings_entries(db) == []


@pytest.mark.parametrize(("body", "field"), [
    ({"currency": "LEI"}, "currency"),
    ({"timezone": "Europe/Nowhere"}, "timezone"),
    ({"locale": "romanian"}, "locale"),
    ({"tax_mode": "sometimes"}, "tax_mode"),
    ({"name": ""}, "name"),
    ({"tip_suggestions_bp": [500, 500]}, "tip_suggestions_bp"),
    ({"tip_suggestions_bp": [-100]}, "tip_suggestions_bp.0"),
    ({"tip_suggestions_bp": [1, 2, 3, 4, 5, 6, 7]}, "tip_suggestions_bp"),
    ({"receipt_footer": "x" * 501}, "receipt_footer"),
    ({"idle_signout_seconds": 5}, "idle_signout_seconds"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(admin, db, body, field):
    before = admin.get("/api/v1/venue").get_json()
    refused = admin.patch("/api/v1/venue", json={"address": "Somewhere else", **body})
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["error"]["field"] == field
    assert admin.get("/api/v1/venue").get_json() == before
    assert settings_entries(db) == []


def test_a_manager_changes_the_service_settings_audited_with_before_and_after(as_role, db):
    manager = as_role("manager")
    changed = manager.patch("/api/v1/venue", json={
        "tip_suggestions_bp": [1200, 700], "tip_on_net": True, "tips_shared": True,
        "cash_quick_notes": [20_00], "receipt_header": "Wi-Fi: masa",
        "receipt_footer": "Mulțumim!", "idle_signout_seconds": 300,
        "confirm_quantity_above": 30, "confirm_line_amount_above_minor": 250_000})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["tip_suggestions_bp"] == [700, 1200]
    [entry] = settings_entries(db)
    assert entry.details["changes"]["tip_suggestions_bp"] == [[500, 1000, 1500], [700, 1200]]
    assert entry.details["changes"]["idle_signout_seconds"] == [120, 300]
    with db.reading() as session:
        grill = session.scalar(select(Station).where(Station.code == "grill"))
    colours = manager.patch(f"/api/v1/stations/{grill.id}", json={"warn_after_seconds": 240})
    assert colours.status_code == 200, colours.get_json()
    assert settings_entries(db)[-1].details["changes"]["warn_after_seconds"][1] == 240
    assert as_role("waiter").patch("/api/v1/venue", json={
        "tip_suggestions_bp": [500]}).status_code == 403


@pytest.mark.parametrize(("field", "value"), [
    ("currency", "EUR"), ("name", "Casa Veche"), ("address", "Str. Lipscani 5"),
    ("fiscal_code", "RO1"), ("locale", "en_GB"), ("timezone", "Europe/London"),
    ("tax_mode", "exclusive"), ("pin_alert_failures", 1000),
    ("waiters_see_all_sections", False)])
def test_a_manager_is_refused_an_admin_s_setting_naming_it_and_nothing_is_written(
        as_role, db, field, value):
    manager = as_role("manager")
    before = manager.get("/api/v1/venue").get_json()
    refused = manager.patch("/api/v1/venue", json={"tip_suggestions_bp": [700], field: value})
    assert refused.status_code == 403, refused.get_json()
    assert refused.get_json()["error"]["field"] == field
    assert manager.get("/api/v1/venue").get_json() == before
    assert settings_entries(db) == []


def test_a_manager_does_not_change_tax_rates_and_an_admin_changes_the_currency(as_role, db):
    manager = as_role("manager")
    assert manager.post("/api/v1/tax-rates", json={"name": "Zero", "rate_bp": 0}).status_code \
        == 403
    assert manager.get("/api/v1/tax-rates").status_code == 403
    make_venue(db, day_open=False)  # the currency changes only between business days
    changed = as_role("admin").patch("/api/v1/venue", json={"currency": "EUR",
                                                            "tip_suggestions_bp": [700]})
    assert changed.status_code == 200, changed.get_json()
    [entry] = settings_entries(db)
    assert entry.details["changes"]["currency"] == ["RON", "EUR"]


def test_tax_rates_are_added_changed_and_retired(admin, db):
    added = admin.post("/api/v1/tax-rates", json={"name": "Reduced 5", "rate_bp": 500,
                                                  "code": "D"})
    assert added.status_code == 201, added.get_json()
    rate = added.get_json()
    changed = admin.patch(f"/api/v1/tax-rates/{rate['id']}", json={"rate_bp": 1100})
    assert changed.get_json()["rate_bp"] == 1100
    retired = admin.patch(f"/api/v1/tax-rates/{rate['id']}", json={"active": False})
    assert retired.get_json()["active"] is False
    assert rate["id"] not in [r["id"] for r in admin.get("/api/v1/venue").get_json()["tax_rates"]]
    assert rate["id"] in [r["id"] for r in admin.get("/api/v1/tax-rates").get_json()]
    subjects = [(e.subject, e.details["changes"]) for e in settings_entries(db)]
    assert (f"tax_rate:{rate['id']}", {"rate_bp": [500, 1100]}) in subjects
    assert (f"tax_rate:{rate['id']}", {"active": [True, False]}) in subjects


def test_a_bad_tax_rate_is_refused_naming_the_field(admin, db):
    with db.reading() as session:
        count = len(session.scalars(select(TaxRate)).all())
        taken = session.scalars(select(TaxRate.name).where(TaxRate.active.is_(True))).first()
    for body, field in [({"name": "Too much", "rate_bp": 10_001}, "rate_bp"),
                        ({"name": "", "rate_bp": 900}, "name"),
                        ({"name": taken, "rate_bp": 900}, "name")]:
        refused = admin.post("/api/v1/tax-rates", json=body)
        assert refused.status_code in (409, 422)
        assert refused.get_json()["error"]["field"] == field
    with db.reading() as session:
        assert len(session.scalars(select(TaxRate)).all()) == count
    assert admin.patch("/api/v1/tax-rates/999", json={"rate_bp": 900}).status_code == 404


def test_a_station_s_ticket_colours_change_and_yellow_comes_before_red(admin, db):
    with db.reading() as session:
        grill = session.scalar(select(Station).where(Station.code == "grill"))
    changed = admin.patch(f"/api/v1/stations/{grill.id}", json={"warn_after_seconds": 300,
                                                               "late_after_seconds": 600})
    assert changed.status_code == 200, changed.get_json()
    backwards = admin.patch(f"/api/v1/stations/{grill.id}", json={"late_after_seconds": 240})
    assert backwards.get_json()["error"]["field"] == "late_after_seconds"
    with db.reading() as session:
        assert session.get(Station, grill.id).late_after_seconds == 600
        assert session.get(Venue, 1) is not None
    [entry] = settings_entries(db)
    assert entry.details["changes"] == {"warn_after_seconds": [grill.warn_after_seconds, 300],
                                        "late_after_seconds": [grill.late_after_seconds, 600]}


def test_a_manager_s_new_tip_presets_reach_the_cashier_s_bill(as_role, db):
    assert as_role("manager").patch("/api/v1/venue", json={
        "tip_suggestions_bp": [800, 1200]}).status_code == 200
    waiter = as_role("waiter")
    check = make_check(waiter, lines=[make_item(db, price=50_00)])
    bills = as_role("cashier").get(f"/api/v1/checks/{check['id']}/bills").get_json()
    assert [(t["percent_bp"], t["amount"]) for t in bills["bills"][0]["tips"]] == [
        (800, 4_00), (1200, 6_00)]


def test_courses_are_renamed_reordered_and_added_with_the_change_audited(admin, as_role, db):
    courses = {c["code"]: c for c in admin.get("/api/v1/courses").get_json()}
    mains = courses["mains"]
    changed = admin.patch(f"/api/v1/courses/{mains['id']}", json={
        "names": {"ro": "Fel principal", "en": "Main course"}, "fires_immediately": True})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["names"]["en"] == "Main course"
    [entry] = settings_entries(db)
    assert (entry.subject, entry.details["changes"]["fires_immediately"]) == (
        "course:mains", [False, True])
    refused = admin.patch(f"/api/v1/courses/{mains['id']}", json={"names": {"ro": "Doar"}})
    assert refused.get_json()["error"]["field"] == "names"
    added = admin.post("/api/v1/courses", json={"code": "cheese", "position": 35,
                                               "names": {"ro": "Brânzeturi", "en": "Cheese"}})
    assert added.status_code == 201, added.get_json()
    again = admin.post("/api/v1/courses", json={"code": "cheese",
                                               "names": {"ro": "B", "en": "C"}})
    assert (again.status_code, again.get_json()["error"]["field"]) == (409, "code")
    assert as_role("manager").patch(f"/api/v1/courses/{mains['id']}",
                                    json={"position": 1}).status_code == 403


def test_the_settings_page_shows_a_manager_the_service_settings_only(as_role):
    page = as_role("manager").get("/office/settings").get_data(as_text=True)
    assert 'data-settings-form="tips"' in page and "data-stations" in page
    assert 'data-settings-form="venue"' not in page and "data-tax-rates" not in page
    assert 'name="pin_alert_failures"' not in page
    everything = as_role("admin").get("/office/settings").get_data(as_text=True)
    assert 'data-settings-form="venue"' in everything and "data-courses" in everything
    assert as_role("cashier").get("/office/settings").status_code == 403
