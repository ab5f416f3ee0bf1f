"""Stock for a test, built through the API as a manager would: ingredients, preps,
recipes and deliveries (``stock.ingredient("Onion", "kg")``), and read back exactly."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from pos.inventory.models import StockLevel, StockLocation, StockMovement

INVENTORY = "/api/v1/inventory"


class Stock:
    def __init__(self, client, db) -> None:
        self.client, self.db = client, db
        with db.reading() as session:
            self.kitchen = session.scalar(select(StockLocation.id).where(
                StockLocation.is_default.is_(True)))

    def ok(self, response, status: int = 200) -> dict:
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def ingredient(self, name: str, unit: str = "g", **fields) -> int:
        return self.ok(self.client.post(f"{INVENTORY}/ingredients", json={
            "names": {"en": name, "ro": name}, "unit": unit, **fields}), 201)["id"]

    def prep(self, name: str, yield_quantity: float, yield_unit: str, *lines) -> int:
        return self.ok(self.client.post(f"{INVENTORY}/preps", json={
            "names": {"en": name}, "yield_quantity": yield_quantity, "yield_unit": yield_unit,
            "lines": [recipe_line(*line) for line in lines]}), 201)["id"]

    def recipe(self, kind: str, thing_id: int, *lines):
        return self.client.put(f"{INVENTORY}/{kind}s/{thing_id}/recipe", json={
            "lines": [recipe_line(*line) for line in lines]})

    def receive(self, ingredient_id: int, quantity: float, unit: str, total_cost: int,
                location_id: int | None = None):
        return self.client.post(f"{INVENTORY}/receipts", json={
            "client_id": str(uuid.uuid4()), "location_id": location_id or self.kitchen,
            "lines": [{"ingredient_id": ingredient_id, "quantity": quantity, "unit": unit,
                       "total_cost": total_cost}]})

    def level(self, ingredient_id: int, location_id: int | None = None) -> tuple[int, int]:
        """(thousandths, value) as the balance table says."""
        with self.db.reading() as session:
            row = session.execute(select(StockLevel.quantity, StockLevel.value).where(
                StockLevel.ingredient_id == ingredient_id,
                StockLevel.location_id == (location_id or self.kitchen))).first()
        return tuple(row) if row else (0, 0)

    def moved(self, ingredient_id: int, kind: str | None = None) -> list[tuple[str, int, int]]:
        with self.db.reading() as session:
            query = select(StockMovement.kind, StockMovement.quantity, StockMovement.value) \
                .where(StockMovement.ingredient_id == ingredient_id).order_by(StockMovement.id)
            if kind:
                query = query.where(StockMovement.kind == kind)
            return [(k.value, q, v) for k, q, v in session.execute(query)]


def recipe_line(what, quantity, unit) -> dict:
    """``(ingredient_id, 30, "g")``, or ``(("prep", id), 150, "ml")``."""
    if isinstance(what, tuple):
        return {"sub_recipe_id": what[1], "quantity": quantity, "unit": unit}
    return {"ingredient_id": what, "quantity": quantity, "unit": unit}


def assert_ledger_equals_levels(db) -> None:
    """Every balance row is exactly the sum of its ledger's movements."""
    with db.reading() as session:
        sums = {(i, loc): (q, v) for i, loc, q, v in session.execute(select(
            StockMovement.ingredient_id, StockMovement.location_id,
            func.sum(StockMovement.quantity), func.sum(StockMovement.value))
            .group_by(StockMovement.ingredient_id, StockMovement.location_id))}
        levels = {(i, loc): (q, v) for i, loc, q, v in session.execute(select(
            StockLevel.ingredient_id, StockLevel.location_id, StockLevel.quantity,
            StockLevel.value))}
    assert {k: v for k, v in levels.items() if v != (0, 0) or k in sums} == sums
