"""Moving-average cost, exact in integer minor units; counts post their variance (counted
minus the books); transfers move value with the stock; the balance table always equals
the ledger's sum (issue 13)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stock_kit import assert_ledger_equals_levels

from pos.inventory import operations as ops
from pos.inventory.ledger import Move, post
from pos.inventory.models import MovementKind

receipt = st.tuples(st.just("in"), st.integers(1, 50_000_000), st.integers(0, 10**9))
outgoing = st.tuples(st.just("out"), st.integers(1, 1_000_000), st.just(0))
drain = st.tuples(st.just("all"), st.just(0), st.just(0))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(receipt, outgoing, drain), min_size=1, max_size=25))
def test_moving_average_is_exact_in_integer_minor_units(db, steps):
    with db.transaction() as session:
        ingredient = ops.add_ingredient(session, None, names={"en": "Saffron"}, unit="g")
        location = ops.add_location(session, None, code=f"shelf-{ingredient.id}",
                                    names={"en": "Shelf"})
        key = (ingredient.id, location.id)
        quantity = value = 0
        for kind, amount, cost in steps:
            if kind == "in":
                moves = [Move(MovementKind.RECEIPT, *key, amount, value=cost)]
            elif quantity == 0:
                continue
            else:
                amount = quantity if kind == "all" else min(amount, quantity)
                moves = [Move(MovementKind.WASTE, *key, -amount)]
            [(before, after)] = post(session, moves, staff_id=None, device_id=None).values()
            assert (before.quantity, before.value) == (quantity, value)
            if kind == "in":
                assert after.value == value + cost  # a delivery adds exactly what it cost
            else:
                taken = value - after.value
                # its exact share, rounded half up: |taken − value × amount / quantity| ≤ ½
                assert abs(2 * taken * quantity - 2 * value * amount) <= quantity
            quantity, value = after.quantity, after.value
            assert value >= 0
            if quantity == 0:
                assert value == 0  # the last of it took the rest of the value
    assert_ledger_equals_levels(db)


def test_two_deliveries_average_and_a_sale_takes_its_share(tablet, stock, db):
    beef = stock.ingredient("Beef", "kg")
    stock.ok(stock.receive(beef, 2, "kg", 180_00), 201)  # 90.00 a kilo
    stock.ok(stock.receive(beef, 1, "kg", 120_00), 201)  # 120.00: 100.00 on average
    stock.ok(stock.recipe("item", tablet.items[401]["id"], (beef, 333, "g")))
    tablet.sent(tablet.seat(), tablet.line(401, "Medium rare", "French fries"))
    assert stock.level(beef) == (3_000_000 - 333_000, 300_00 - 33_30)


def count(client, location_id, *lines):
    return client.post("/api/v1/inventory/counts", json={
        "location_id": location_id,
        "lines": [{"ingredient_id": i, "quantity": q, "unit": u} for i, q, u in lines]})


def test_a_counts_variance_is_actual_minus_theoretical(tablet, stock, db):
    tripe, salt = stock.ingredient("Tripe"), stock.ingredient("Salt", "kg")
    stock.ok(stock.recipe("item", tablet.items[101]["id"], (tripe, 150, "g")))
    stock.ok(stock.receive(tripe, 3, "kg", 60_00), 201)
    stock.ok(stock.receive(salt, 1, "kg", 2_00), 201)
    tablet.sent(tablet.seat(), tablet.line(101, quantity=4))  # the books: 2.4 kg
    answer = stock.ok(count(stock.client, stock.kitchen, (tripe, 2.25, "kg"),
                            (salt, 1000, "g")), 201)
    assert [(m["kind"], m["thousandths"], m["value"]) for m in answer["movements"]] == [
        ("count_adjustment", 2_250_000 - 2_400_000, -3_00)]  # salt: no variance, no row
    assert stock.level(tripe) == (2_250_000, 45_00)
    assert_ledger_equals_levels(db)


def test_a_transfer_moves_quantity_and_value(stock, db):
    wine = stock.ingredient("Wine", "l")
    bar = stock.ok(stock.client.post("/api/v1/inventory/locations", json={
        "code": "upstairs-bar", "names": {"en": "Upstairs bar"}}), 201)["id"]
    stock.ok(stock.receive(wine, 3, "l", 100_00), 201)
    stock.ok(stock.client.post("/api/v1/inventory/transfers", json={
        "location_id": stock.kitchen, "to_location_id": bar,
        "lines": [{"ingredient_id": wine, "quantity": 1000, "unit": "ml"}]}), 201)
    assert stock.level(wine) == (2_000_000, 66_67)
    assert stock.level(wine, bar) == (1_000_000, 33_33)
    assert_ledger_equals_levels(db)


def test_waste_is_logged_with_its_reason(stock, db):
    milk = stock.ingredient("Milk", "l")
    stock.ok(stock.receive(milk, 10, "l", 50_00), 201)
    answer = stock.ok(stock.client.post("/api/v1/inventory/waste", json={
        "location_id": stock.kitchen, "reason": "Expired",
        "lines": [{"ingredient_id": milk, "quantity": 2, "unit": "l"}]}), 201)
    assert [(m["kind"], m["quantity"], m["value"], m["reason"])
            for m in answer["movements"]] == [("waste", -2.0, -10_00, "Expired")]
    too_much = stock.client.post("/api/v1/inventory/waste", json={
        "location_id": stock.kitchen, "reason": "Spilled",
        "lines": [{"ingredient_id": milk, "quantity": 9, "unit": "l"}]})
    assert too_much.status_code == 409
    assert too_much.get_json()["error"]["field"] == "lines.0.quantity"
    assert stock.level(milk) == (8_000_000, 40_00)


def test_the_demo_stock_depletes_as_the_demo_sends(tablet, db):
    """The demo's steak with fries takes its beef, potatoes and oil from the kitchen."""
    with db.reading() as session:
        before = {row["ingredient_id"]: row["thousandths"]
                  for row in ops.stock_levels(session)}
    tablet.sent(tablet.seat(), tablet.line(401, "Medium rare", "French fries"))
    with db.reading() as session:
        after = {row["ingredient_id"]: row["thousandths"] for row in ops.stock_levels(session)}
    assert sorted(before[i] - after[i] for i in before if before[i] != after[i]) == [
        20_000, 200_000, 350_000]
