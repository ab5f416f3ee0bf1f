"""Bad input is refused naming its field, and nothing is written: a recipe that uses
itself (directly or through a sub-recipe), a unit that does not convert, a negative
receipt, a count of an unknown ingredient (issue 13); and who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos.core.audit import AuditEntry
from pos.inventory.models import Recipe, RecipeLine, StockDocument, StockLevel, StockMovement

INVENTORY = "/api/v1/inventory"


def written(db) -> tuple[int, ...]:
    with db.reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) for model in (
            Recipe, RecipeLine, StockDocument, StockMovement, StockLevel, AuditEntry))


def refused(response, field: str, status: int = 422) -> str:
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["field"] == field, error
    return error["message"]


def test_a_prep_that_uses_itself_directly_or_through_another_is_refused(stock, db):
    tomato = stock.ingredient("Tomato")
    sauce = stock.prep("Sauce", 1, "l", (tomato, 800, "g"))
    ragu = stock.prep("Ragu", 2, "l", (("prep", sauce), 500, "ml"))
    before = written(db)
    itself = stock.client.patch(f"{INVENTORY}/preps/{sauce}", json={"lines": [
        {"ingredient_id": tomato, "quantity": 800, "unit": "g"},
        {"sub_recipe_id": sauce, "quantity": 100, "unit": "ml"}]})
    assert "itself" in refused(itself, "lines.1.sub_recipe_id")
    through = stock.client.patch(f"{INVENTORY}/preps/{sauce}", json={"lines": [
        {"sub_recipe_id": ragu, "quantity": 100, "unit": "ml"}]})
    assert "itself" in refused(through, "lines.0.sub_recipe_id")
    assert written(db) == before


@pytest.mark.parametrize(("unit", "kept_in"), [("ml", "g"), ("piece", "g"), ("kg", "l")])
def test_a_unit_that_does_not_convert_is_refused(stock, tablet, db, unit, kept_in):
    onion = stock.ingredient("Onion", kept_in)
    before = written(db)
    response = stock.recipe("item", tablet.items[403]["id"], (onion, 40, unit))
    assert unit in refused(response, "lines.0.unit")
    receipt = stock.receive(onion, 1, unit, 1_00)
    refused(receipt, "lines.0.unit")
    assert written(db) == before


def test_a_negative_receipt_is_refused(stock, db):
    onion = stock.ingredient("Onion")
    before = written(db)
    refused(stock.receive(onion, -5, "g", 1_00), "lines.0.quantity")
    refused(stock.receive(onion, 5, "g", -1_00), "lines.0.total_cost")
    assert written(db) == before


def test_a_count_of_an_unknown_ingredient_is_refused_and_nothing_is_counted(stock, db):
    onion = stock.ingredient("Onion")
    stock.ok(stock.receive(onion, 1000, "g", 3_00), 201)
    before = written(db)
    response = stock.client.post(f"{INVENTORY}/counts", json={
        "location_id": stock.kitchen, "lines": [
            {"ingredient_id": onion, "quantity": 500, "unit": "g"},
            {"ingredient_id": 999_999, "quantity": 1, "unit": "g"}]})
    refused(response, "lines.1.ingredient_id")
    assert written(db) == before
    assert stock.level(onion) == (1_000_000, 3_00)


def test_finer_than_a_thousandth_is_refused(stock, db):
    salt = stock.ingredient("Salt")
    refused(stock.receive(salt, 0.0001, "g", 1), "lines.0.quantity")


def test_the_kitchen_keeps_stock_but_only_the_menu_editors_write_recipes(app, stock, tablet):
    cook = app.test_client()
    assert cook.post("/api/v1/session", json={"pin": "7777"}).status_code == 200
    onion = stock.ingredient("Onion")
    assert cook.post(f"{INVENTORY}/waste", json={
        "location_id": stock.kitchen, "reason": "Dropped",
        "lines": [{"ingredient_id": onion, "quantity": 0, "unit": "g"}]}).status_code == 422
    assert cook.put(f"{INVENTORY}/items/{tablet.items[403]['id']}/recipe",
                    json={"lines": []}).status_code == 403
    assert tablet.client.post(f"{INVENTORY}/receipts", json={}).status_code == 403
    assert tablet.client.get(f"{INVENTORY}/levels").status_code == 403
    assert cook.get(f"{INVENTORY}/levels").status_code == 200
