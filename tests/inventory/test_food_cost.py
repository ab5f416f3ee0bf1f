"""Food cost (issue 13): theoretical usage is exactly the sales' depletions in the ledger,
actual usage is opening + receipts − closing (the count's figure), their variance is
actual − theoretical, shared among the items that used the ingredient, and valuation is
the sum of the ledger's balances."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from stock_kit import assert_ledger_equals_levels

from pos.inventory.models import MovementKind, StockLevel, StockMovement

INVENTORY = "/api/v1/inventory"


def days() -> dict:
    """A range around today that holds the test's business day, whatever the hour."""
    today = date.today()
    return {"first": (today - timedelta(days=2)).isoformat(),
            "last": (today + timedelta(days=1)).isoformat()}


def count(stock, *lines):
    return stock.client.post(f"{INVENTORY}/counts", json={
        "location_id": stock.kitchen,
        "lines": [{"ingredient_id": i, "quantity": q, "unit": u} for i, q, u in lines]})


def test_theoretical_is_the_sales_depletion_and_variance_is_actual_minus_it(
        tablet, stock, db, manager_tablet):
    tripe, salt = stock.ingredient("Tripe"), stock.ingredient("Salt", "kg")
    soup, steak = tablet.items[101]["id"], tablet.items[401]["id"]
    stock.ok(stock.recipe("item", soup, (tripe, 150, "g"), (salt, 5, "g")))
    stock.ok(stock.recipe("item", steak, (salt, 10, "g")))
    stock.ok(stock.receive(tripe, 3, "kg", 60_00), 201)  # 20.00 a kilo
    stock.ok(stock.receive(salt, 1, "kg", 2_00), 201)
    tablet.sent(tablet.seat(), tablet.line(101, quantity=4),
                tablet.line(*(401, "Medium rare", "French fries")))
    stock.ok(stock.client.post(f"{INVENTORY}/waste", json={
        "location_id": stock.kitchen, "reason": "spilled",
        "lines": [{"ingredient_id": tripe, "quantity": 100, "unit": "g"}]}), 201)
    # The books: 3 kg − 600 g sold − 100 g wasted = 2.3 kg; the shelf: 2.2 kg.
    stock.ok(count(stock, (tripe, 2.2, "kg"), (salt, 970, "g")), 201)

    report = stock.ok(manager_tablet.client.get(f"{INVENTORY}/food-cost", query_string=days()))
    rows = {row["ingredient_id"]: row for row in report["ingredients"]}
    with db.reading() as session:
        sold = dict(session.execute(select(
            StockMovement.ingredient_id, -func.sum(StockMovement.value)).where(
            StockMovement.kind == MovementKind.SALE).group_by(StockMovement.ingredient_id)).all())
        sold_quantity = dict(session.execute(select(
            StockMovement.ingredient_id, -func.sum(StockMovement.quantity)).where(
            StockMovement.kind == MovementKind.SALE).group_by(StockMovement.ingredient_id)).all())
    tripe_row = rows[tripe]
    assert tripe_row["theoretical_thousandths"] == sold_quantity[tripe] == 600_000
    assert tripe_row["theoretical_value"] == sold[tripe] == 12_00
    assert tripe_row["counts_thousandths"] == 2_200_000 - 2_300_000  # counted − books
    assert tripe_row["actual_thousandths"] == 0 + 3_000_000 - 2_200_000  # opening+in−closing
    assert tripe_row["variance_thousandths"] == 800_000 - 600_000
    for row in rows.values():
        assert row["variance_value"] == row["actual_value"] - row["theoretical_value"]
        assert row["variance_thousandths"] == (row["actual_thousandths"]
                                               - row["theoretical_thousandths"])
    assert report["theoretical"] == sum(sold.values())
    assert report["variance"] == report["actual"] - report["theoretical"]
    items = {row["item_id"]: row for row in report["items"]}
    # Tripe's variance is the soup's alone; salt's is shared by what each used of it.
    assert items[soup]["theoretical"] + items[steak]["theoretical"] == report["theoretical"]
    assert sum(row["variance"] for row in report["items"]) == report["variance"]
    assert items[soup]["variance"] >= tripe_row["variance_value"]
    assert items[soup]["quantity"] == 4 and items[soup]["sales"] > 0
    assert report["sales"] == sum(row["sales"] for row in report["items"])
    assert report["actual_percent_bp"] == (report["actual"] * 10_000 * 2 + report["sales"]) \
        // (2 * report["sales"])

    valuation = stock.ok(manager_tablet.client.get(f"{INVENTORY}/valuation"))
    with db.reading() as session:
        on_hand = session.scalar(select(func.sum(StockLevel.value)))
    assert valuation["value"] == on_hand == sum(p["value"] for p in valuation["locations"])
    kitchen = next(p for p in valuation["locations"] if p["location_id"] == stock.kitchen)
    assert {i["ingredient_id"]: i["thousandths"] for i in kitchen["ingredients"]
            if i["ingredient_id"] in (tripe, salt)} == {tripe: 2_200_000, salt: 970_000}
    assert_ledger_equals_levels(db)


def test_food_cost_refuses_a_bad_range_naming_the_field(manager_tablet, tablet):
    client = manager_tablet.client
    wrong_way = client.get(f"{INVENTORY}/food-cost", query_string={
        "first": "2026-03-10", "last": "2026-03-01"})
    assert wrong_way.status_code == 422 and wrong_way.get_json()["error"]["field"] == "last"
    too_long = client.get(f"{INVENTORY}/food-cost", query_string={
        "first": "2020-01-01", "last": "2026-01-01"})
    assert too_long.status_code == 422 and too_long.get_json()["error"]["field"] == "last"
    no_date = client.get(f"{INVENTORY}/food-cost", query_string={"first": "soon",
                                                                 "last": "2026-01-01"})
    assert no_date.status_code == 422 and no_date.get_json()["error"]["field"] == "first"
    nowhere = client.get(f"{INVENTORY}/food-cost", query_string={**days(),
                                                                 "location_id": 99999})
    assert nowhere.status_code == 422 and nowhere.get_json()["error"]["field"] == "location_id"
    assert tablet.client.get(f"{INVENTORY}/food-cost", query_string=days()).status_code == 403
    assert tablet.client.get(f"{INVENTORY}/valuation").status_code == 403
