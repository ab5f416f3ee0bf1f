"""The demo venue "Bistro Masa": what a newcomer sees on a first start must be a working bistro."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import func, select

from kitchen.models import Station, StationRoute
from pos.core.audit import AuditEntry
from pos.demo import DEMO_STAFF
from pos.floor.models import DiningTable, Floor, Section
from pos.hotel.models import Room, Stay, StayStatus
from pos.menu.models import (
    ALLERGENS,
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    Modifier,
    ModifierGroup,
)
from pos.staff.models import StaffMember
from pos.venue.models import TaxRate

AISLE = 4  # plan units a waiter needs between two tables


def items_by_name(session) -> dict[str, MenuItem]:
    return {item.names["en"]: item for item in session.scalars(select(MenuItem))}


def effective_rate_bp(session, item: MenuItem) -> int:
    return session.get(TaxRate, item.tax_rate_id or item.category.tax_rate_id).rate_bp


def stations_for(session) -> dict[int, set[str]]:
    """Item id → station codes, as the routing rules say: the item's own, else its category's."""
    codes = {station.id: station.code for station in session.scalars(select(Station))}
    by_item, by_category = defaultdict(set), defaultdict(set)
    for route in session.scalars(select(StationRoute)):
        if route.item_id:
            by_item[route.item_id].add(codes[route.station_id])
        else:
            by_category[route.category_id].add(codes[route.station_id])
    return {item.id: by_item.get(item.id) or by_category.get(item.category_id, set())
            for item in session.scalars(select(MenuItem))}


def test_the_menu_is_eight_categories_of_a_bistro_sized_menu(db):
    with db.reading() as session:
        categories = session.scalars(select(Category).order_by(Category.position)).all()
        assert len(categories) == 8
        assert [c.names["ro"] for c in categories][0] == "Ciorbe & supe"
        assert all(c.items and c.default_course_id and c.color.startswith("#")
                   for c in categories)
        assert 55 <= session.scalar(select(func.count()).select_from(MenuItem)) <= 65


def test_every_item_has_both_languages_a_price_and_known_allergens(db):
    with db.reading() as session:
        items = session.scalars(select(MenuItem)).all()
        modifiers = session.scalars(select(Modifier)).all()
        for item in items:
            assert item.names.get("ro") and item.names.get("en"), item.number
            assert item.price > 0 and isinstance(item.price, int), item.names
            assert set(item.allergens) <= set(ALLERGENS), item.names
        assert len({item.number for item in items}) == len(items)
        for modifier in modifiers:
            assert modifier.names.get("ro") and modifier.names.get("en")
            assert modifier.price_delta >= 0
            assert set(modifier.allergens) <= set(ALLERGENS), modifier.names


def test_romanian_is_written_with_comma_below_diacritics(db):
    with db.reading() as session:
        romanian = [row.names["ro"] for model in (Category, MenuItem, ModifierGroup, Modifier,
                                                  Floor, Station, Course)
                    for row in session.scalars(select(model))]
    text = " ".join(romanian)
    assert not set("şţŞŢ") & set(text), "cedilla ş/ţ instead of comma-below ș/ț"
    assert {"ă", "â", "î", "ș", "ț"} <= set(text)
    assert "Ciorbă de burtă" in romanian and "Terasă" in romanian


def test_food_and_soft_drinks_are_taxed_at_11_and_alcohol_at_21_percent(db):
    with db.reading() as session:
        items = items_by_name(session)
        assert effective_rate_bp(session, items["Tripe soup with sour cream"]) == 1100
        assert effective_rate_bp(session, items["Rib-eye steak (300 g)"]) == 1100
        assert effective_rate_bp(session, items["Cappuccino"]) == 1100
        assert effective_rate_bp(session, items["Draught lager (500 ml)"]) == 2100
        assert effective_rate_bp(session, items["Fetească Neagră, bottle (750 ml)"]) == 2100
        # Item rules beat the category's: whiskey in the coffee, no alcohol in the beer.
        assert effective_rate_bp(session, items["Irish coffee"]) == 2100
        assert effective_rate_bp(session, items["Alcohol-free beer (330 ml)"]) == 1100


def test_drinks_and_starters_fire_at_once_and_later_courses_are_held(db):
    with db.reading() as session:
        courses = {c.code: c for c in session.scalars(select(Course))}
        assert list(sorted(courses, key=lambda code: courses[code].position)) == [
            "drinks", "starters", "mains", "desserts"]
        assert courses["drinks"].fires_immediately and courses["starters"].fires_immediately
        assert not courses["mains"].fires_immediately
        assert not courses["desserts"].fires_immediately
        items = items_by_name(session)
        steak, tiramisu = items["Rib-eye steak (300 g)"], items["Tiramisu"]
        assert steak.category.default_course_id == courses["mains"].id
        assert tiramisu.category.default_course_id == courses["desserts"].id


def test_every_item_goes_to_a_kitchen_or_bar_station(db):
    with db.reading() as session:
        routes = stations_for(session)
        items = items_by_name(session)
        for item_id, stations in routes.items():
            assert stations, f"item {item_id} goes to no station"
            assert "expo" not in stations
        assert routes[items["Rib-eye steak (300 g)"].id] == {"grill"}
        assert routes[items["Greek salad"].id] == {"cold"}
        assert routes[items["Tiramisu"].id] == {"pastry"}
        assert routes[items["Espresso"].id] == {"bar"}
        # Item rules: the mici are a starter off the grill; the Caesar needs both stations.
        assert routes[items["Grilled mici with mustard (4 pcs)"].id] == {"grill"}
        assert routes[items["Chicken Caesar salad"].id] == {"cold", "grill"}


def test_the_kitchen_has_its_stations_and_an_expo(db):
    with db.reading() as session:
        stations = {s.code: s for s in session.scalars(select(Station))}
        assert set(stations) == {"grill", "cold", "pastry", "bar", "expo"}
        assert [code for code, s in stations.items() if s.is_expo] == ["expo"]
        assert all(s.warn_after_seconds < s.late_after_seconds for s in stations.values())


def test_every_modifier_group_can_be_answered(db):
    with db.reading() as session:
        groups = session.scalars(select(ModifierGroup)).all()
        attached = set(session.scalars(select(ItemModifierGroup.group_id)))
        for group in groups:
            choices = [m for m in group.modifiers if m.active]
            assert group.id in attached, group.names
            assert 0 <= group.min_choices <= group.max_choices <= len(choices), group.names
            positions = [m.position for m in group.modifiers]
            assert len(set(positions)) == len(positions)


def test_steaks_ask_the_cooking_degree_and_a_side(db):
    with db.reading() as session:
        steak = items_by_name(session)["Rib-eye steak (300 g)"]
        doneness, side, sauce = steak.modifier_groups
        assert doneness.names["en"] == "Cooking degree"
        assert (doneness.min_choices, doneness.max_choices) == (1, 1)
        assert [m.names["en"] for m in doneness.modifiers] == [
            "Rare", "Medium rare", "Medium", "Well done"]
        assert side.required and side.max_choices == 1
        assert any(m.price_delta > 0 for m in side.modifiers)
        assert any(m.price_delta == 0 for m in side.modifiers)
        assert not sauce.required


def test_extras_cost_money_and_removals_are_free(db):
    with db.reading() as session:
        groups = {g.names["en"]: g for g in session.scalars(select(ModifierGroup))}
        extras, without = groups["Extras"], groups["Without"]
        assert not extras.required and extras.max_choices == 3
        assert all(m.price_delta > 0 for m in extras.modifiers)
        assert not without.required and without.max_choices > 1
        assert all(m.price_delta == 0 for m in without.modifiers)
        assert "No onion" in [m.names["en"] for m in without.modifiers]
        milk = groups["Milk"]
        assert milk.required and milk.max_choices == 1
        assert {"milk", "soy", "nuts"} <= {a for m in milk.modifiers for a in m.allergens}
        burger = items_by_name(session)["Masa dry-aged beef burger"]
        assert {"Extras", "Without"} <= {g.names["en"] for g in burger.modifier_groups}


def test_twenty_tables_over_the_salon_and_the_terrace(db):
    with db.reading() as session:
        floors = session.scalars(select(Floor).order_by(Floor.position)).all()
        tables = session.scalars(select(DiningTable)).all()
        sections = {s.id: s for s in session.scalars(select(Section))}
        assert [f.names for f in floors] == [{"ro": "Salon", "en": "Dining room"},
                                             {"ro": "Terasă", "en": "Terrace"}]
        assert sorted(t.name for t in tables) == sorted(str(n) for n in range(1, 21))
        assert {t.seats for t in tables} == {2, 4, 6, 8}
        assert all(len(f.tables) >= 5 for f in floors)
        assert 2 <= len(sections) <= 3
        for table in tables:
            assert sections[table.section_id].floor_id == table.floor_id, table.name
        table_5 = next(t for t in tables if t.name == "5")
        assert table_5.seats >= 2


def test_tables_fit_their_plan_without_overlapping_and_leave_aisles(db):
    with db.reading() as session:
        tables = session.scalars(select(DiningTable)).all()
        for t in tables:
            assert min(t.x, t.y) >= 0, t.name
            assert max(t.x + t.width, t.y + t.height) <= 100, t.name
        for a in tables:
            for b in tables:
                if a.id >= b.id or a.floor_id != b.floor_id:
                    continue
                apart = (a.x + a.width + AISLE <= b.x or b.x + b.width + AISLE <= a.x
                         or a.y + a.height + AISLE <= b.y or b.y + b.height + AISLE <= a.y)
                assert apart, f"tables {a.name} and {b.name} overlap or block the aisle"


def test_the_hotel_has_twelve_rooms_and_guests_in_house_today(db, demo_day):
    today = demo_day
    with db.reading() as session:
        rooms = session.scalars(select(Room)).all()
        stays = session.scalars(select(Stay)).all()
        in_house = [s for s in stays if s.status == StayStatus.IN_HOUSE]
        assert len(rooms) == 12
        assert {r.kind for r in rooms} == {"single", "double", "suite"}
        assert {"101", "106", "201", "206"} <= {r.number for r in rooms}
        assert len(in_house) >= 8
        for stay in in_house:
            assert stay.arrival <= today < stay.departure, stay.guest.name
            assert stay.guest.name
        # One in-house stay per room.
        assert max(Counter(s.room_id for s in in_house).values()) == 1
        # Cases for the folio: a stay that refuses charges, and one with a credit limit.
        assert any(s.no_post for s in in_house)
        assert any(s.credit_limit for s in in_house)
        names = {s.guest.name for s in stays}
        assert any(set(name) & set("ăâîșț") for name in names)
        assert any(s.guest.language not in ("ro", None) for s in stays)


def test_every_demo_staff_member_signs_in_with_their_pin(app):
    for name, role, pin, language in DEMO_STAFF:
        response = app.test_client().post("/api/v1/session", json={"pin": pin})
        assert response.status_code == 200, (name, response.get_json())
        body = response.get_json()
        assert body["staff"]["name"] == name
        assert body["staff"]["role"] == role.value
        assert body["language"] == language


COUNTED = (Category, MenuItem, ModifierGroup, Modifier, ItemModifierGroup, Course, Floor,
           Section, DiningTable, Station, StationRoute, Room, Stay, StaffMember, TaxRate)


def counts(db) -> dict[str, int]:
    with db.reading() as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in COUNTED}


def test_demo_reset_rebuilds_the_same_venue(app, db, client):
    before = counts(db)
    with db.transaction() as session:
        session.get(MenuItem, 1).price = 1
        session.delete(session.scalars(select(DiningTable).where(DiningTable.name == "20")).one())

    result = app.test_cli_runner().invoke(args=["demo", "--reset"])

    assert result.exit_code == 0, result.output
    assert "Demo venue created" in result.output
    assert counts(db) == before
    with db.reading() as session:
        assert session.get(MenuItem, 1).price > 1
        assert session.scalars(select(DiningTable).where(DiningTable.name == "20")).one()
        first = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).first()
        assert first.action == "demo.reset"
    response = client.post("/api/v1/session", json={"pin": DEMO_STAFF[0][2]})
    assert response.status_code == 200
