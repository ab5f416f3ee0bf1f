"""A void returns the stock the kitchen had not started on, and records as waste (reason
"void") what it had: bumped, a line done, at the pass (issue 13)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from stock_kit import assert_ledger_equals_levels

from kitchen.models import Ticket
from pos.inventory.models import StockMovement

SOUP = 101


@pytest.fixture
def cook(app):
    client = app.test_client()
    assert client.post("/api/v1/session", json={"pin": "7777"}).status_code == 200
    return client


@pytest.fixture
def tripe(stock, tablet):
    """Tripe soup takes 150 g of tripe; 3 kg of it cost 75.00."""
    tripe = stock.ingredient("Tripe")
    stock.ok(stock.recipe("item", tablet.items[SOUP]["id"], (tripe, 150, "g")))
    stock.ok(stock.receive(tripe, 3000, "g", 75_00), 201)
    return tripe


def void(manager_tablet, check: dict, line_id: int, **body) -> dict:
    check = manager_tablet.check(check["id"])
    response = manager_tablet.post(check, f"lines/{line_id}/void", reason="Guest left", **body)
    assert response.status_code == 200, response.get_json()
    return manager_tablet.check(check["id"])


def test_a_void_before_the_kitchen_starts_returns_the_stock(tablet, manager_tablet, stock,
                                                            tripe, db):
    check = tablet.sent(tablet.seat(), tablet.line(SOUP, quantity=2))
    assert stock.level(tripe) == (3_000_000 - 300_000, 75_00 - 7_50)
    void(manager_tablet, check, check["lines"][0]["id"])
    assert stock.level(tripe) == (3_000_000, 75_00)
    assert [k for k, _q, _v in stock.moved(tripe)] == ["receipt", "sale", "void_return"]
    assert_ledger_equals_levels(db)


def test_a_void_after_the_station_bumped_it_is_waste(tablet, manager_tablet, cook, stock,
                                                     tripe, db):
    check = tablet.sent(tablet.seat(), tablet.line(SOUP, quantity=2))
    with db.reading() as session:
        ticket_id = session.scalar(select(Ticket.id).where(Ticket.check_id == check["id"]))
    bumped = cook.post(f"/api/v1/kitchen/tickets/{ticket_id}/bump",
                       json={"client_id": str(uuid.uuid4())})
    assert bumped.status_code == 200, bumped.get_json()
    after_sale = stock.level(tripe)
    void(manager_tablet, check, check["lines"][0]["id"])
    assert stock.level(tripe) == after_sale  # it was cooked: nothing comes back
    assert stock.moved(tripe)[-2:] == [("void_return", 300_000, 7_50),
                                       ("waste", -300_000, -7_50)]
    with db.reading() as session:
        reasons = session.scalars(select(StockMovement.reason).where(
            StockMovement.kind == "waste", StockMovement.ingredient_id == tripe)).all()
    assert reasons == ["void"]
    assert_ledger_equals_levels(db)


def test_a_line_voided_in_parts_returns_in_the_end_exactly_what_it_took(
        tablet, manager_tablet, stock, tripe, db):
    check = tablet.sent(tablet.seat(), tablet.line(SOUP, quantity=3))
    line_id = check["lines"][0]["id"]
    check = void(manager_tablet, check, line_id, quantity=1)
    assert stock.level(tripe)[0] == 3_000_000 - 300_000
    void(manager_tablet, check, line_id)
    assert stock.level(tripe) == (3_000_000, 75_00)
    returned = [(q, v) for _k, q, v in stock.moved(tripe, "void_return")]
    assert returned == [(150_000, 3_75), (300_000, 7_50)]
    assert_ledger_equals_levels(db)
