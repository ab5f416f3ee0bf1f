"""A send depletes what its lines are made of, in the send's transaction: the item and its
choices, times the quantity, sub-recipes by their yield, to the gram (issue 13)."""

from __future__ import annotations

from factories import make_item, order_line
from sqlalchemy import func, select
from stock_kit import assert_ledger_equals_levels

from pos.inventory.models import StockMovement
from pos.ordering.models import OrderLine

BURGER = (403, "Medium", "Polenta")


def test_a_send_depletes_item_choices_and_sub_recipes_to_the_gram(tablet, stock, db):
    beef, cheese = stock.ingredient("Beef", "kg"), stock.ingredient("Cheese")
    onion, tomato = stock.ingredient("Onion"), stock.ingredient("Tomato", "kg")
    # 3 l of sauce from 1 kg of tomatoes and 100 g of onion: 100 ml holds a third of it.
    sauce = stock.prep("Sauce", 3, "l", (tomato, 1, "kg"), (onion, 100, "g"))
    stock.ok(stock.recipe("item", tablet.items[403]["id"], (beef, 180, "g"),
                          (cheese, 30, "g"), (onion, 40, "g"), (("prep", sauce), 100, "ml")))
    stock.ok(stock.recipe("modifier", tablet.modifiers["Extra cheese"], (cheese, 30, "g")))
    # More onion than the burger holds: the line takes none, never less than none.
    stock.ok(stock.recipe("modifier", tablet.modifiers["No onion"], (onion, -50, "g")))
    for ingredient, quantity, unit in ((beef, 10, "kg"), (cheese, 5000, "g"),
                                       (onion, 5000, "g"), (tomato, 10, "kg")):
        stock.ok(stock.receive(ingredient, quantity, unit, 100_00), 201)

    tablet.sent(tablet.seat(),
                tablet.line(*BURGER, "Extra cheese", "No onion", quantity=3),
                tablet.line(*BURGER))

    assert stock.level(beef)[0] == 10_000_000 - 720_000  # 10 kg less 720 g, in mg
    sold = {ingredient: sum(q for _k, q, _v in stock.moved(ingredient, "sale"))
            for ingredient in (beef, cheese, onion, tomato)}
    assert sold == {
        beef: -720_000,  # 4 × 180 g, in mg
        cheese: -210_000,  # 3 × (30 + 30) g + 30 g
        onion: -43_333,  # the plain burger's 40 g and a third of 10 g in its sauce
        tomato: -133_333,  # 3 × 33.333 g = 100 g exactly, and 33.333 g for the plain one
    }
    assert [q for _k, q, _v in stock.moved(tomato, "sale")] == [-100_000, -33_333]
    assert stock.level(cheese)[0] == 5_000_000 - 210_000
    assert_ledger_equals_levels(db)


def test_what_the_stock_cannot_cover_is_refused_naming_the_item_and_nothing_is_written(
        tablet, stock, db):
    flour = stock.ingredient("Flour")
    pie = make_item(db, name="Pie")
    stock.ok(stock.recipe("item", pie.id, (flour, 100, "g")))
    stock.ok(stock.receive(flour, 150, "g", 3_00), 201)
    check = tablet.seat()
    refused = tablet.send(check, order_line(pie, quantity=2))
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert (error["code"], error["field"], error["item_id"]) == ("86", "lines.0.item_id",
                                                                  pie.id)
    assert "Pie" in error["message"] and error["available"] == 1
    assert stock.level(flour) == (150_000, 3_00)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(OrderLine).where(
            OrderLine.check_id == check["id"])) == 0
        assert session.scalar(select(func.count()).select_from(StockMovement).where(
            StockMovement.kind == "sale", StockMovement.ingredient_id == flour)) == 0


def test_a_choice_the_stock_cannot_cover_is_named_as_the_choice(tablet, stock):
    cheese = stock.ingredient("Cheese")
    stock.ok(stock.recipe("item", tablet.items[403]["id"], (cheese, 30, "g")))
    stock.ok(stock.recipe("modifier", tablet.modifiers["Extra cheese"], (cheese, 30, "g")))
    stock.ok(stock.receive(cheese, 100, "g", 1_00), 201)
    refused = tablet.send(tablet.seat(), tablet.line(*BURGER, "Extra cheese", quantity=2))
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert (error["field"], error["modifier_id"]) == ("lines.0.modifier_ids",
                                                      tablet.modifiers["Extra cheese"])


def test_items_without_a_recipe_deplete_nothing(tablet, db):
    plain = make_item(db, name="Plain")
    with db.reading() as session:
        before = session.scalar(select(func.count()).select_from(StockMovement))
    tablet.sent(tablet.seat(), order_line(plain, quantity=3))
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(StockMovement)) == before
