"""The inventory API: what dishes are made of (MENU_EDIT: whoever keeps the menu), and
the stock documents and levels (STOCK: the kitchen and managers, who handle the goods)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import NotFound
from pos.inventory import operations as ops
from pos.inventory.models import StockLocation
from pos.inventory.schemas import (
    CountIn,
    DocumentOut,
    IngredientChange,
    IngredientOut,
    LevelOut,
    LevelQuery,
    LocationChange,
    LocationOut,
    MovementOut,
    MovementQuery,
    NewIngredient,
    NewLocation,
    NewPrep,
    PrepChange,
    ReceiptIn,
    RecipeIn,
    RecipeList,
    RecipeOut,
    TransferIn,
    WasteIn,
)

api = Blueprint("inventory_api", __name__, url_prefix=API_PREFIX + "/inventory")
TAG = "inventory"


# --- ingredients and locations -------------------------------------------------------------

@api_route(api, "/ingredients", summary="Every ingredient (inactive too)",
           permission=Permission.STOCK, response=IngredientOut, many=True, tag=TAG)
def list_ingredients(session, actor):
    return ops.list_ingredients(session)


@api_route(api, "/ingredients", method="POST", summary="Add an ingredient",
           permission=Permission.MENU_EDIT, body=NewIngredient, response=IngredientOut,
           status=201, tag=TAG)
def add_ingredient(session, actor, body: NewIngredient):
    return ops.ingredient_view(ops.add_ingredient(session, actor, **body.model_dump()))


@api_route(api, "/ingredients/<int:ingredient_id>", method="PATCH",
           summary="Rename, re-cost, set par and reorder point, (de)activate",
           permission=Permission.MENU_EDIT, body=IngredientChange, response=IngredientOut,
           tag=TAG)
def change_ingredient(session, actor, body: IngredientChange, ingredient_id: int):
    ingredient = ops.get_ingredient(session, ingredient_id)
    return ops.ingredient_view(ops.change_ingredient(
        session, actor, ingredient, body.model_dump(exclude_unset=True)))


@api_route(api, "/locations", summary="The stock locations", permission=Permission.STOCK,
           response=LocationOut, many=True, tag=TAG)
def list_locations(session, actor):
    return ops.list_locations(session)


@api_route(api, "/locations", method="POST", summary="Add a stock location",
           permission=Permission.MENU_EDIT, body=NewLocation, response=LocationOut,
           status=201, tag=TAG)
def add_location(session, actor, body: NewLocation):
    return ops.add_location(session, actor, **body.model_dump())


@api_route(api, "/locations/<int:location_id>", method="PATCH",
           summary="Rename a location, make it the default, give it a station",
           permission=Permission.MENU_EDIT, body=LocationChange, response=LocationOut, tag=TAG)
def change_location(session, actor, body: LocationChange, location_id: int):
    location = session.get(StockLocation, location_id)
    if location is None:
        raise NotFound(_("There is no such stock location."), field="location_id")
    return ops.change_location(session, actor, location, body.model_dump(exclude_unset=True))


# --- recipes -------------------------------------------------------------------------------

@api_route(api, "/recipes", summary="Every recipe and prep, with what a portion costs",
           permission=Permission.MENU_EDIT, response=RecipeList, tag=TAG)
def list_recipes(session, actor):
    return {"recipes": ops.list_recipes(session)}


def recipe_answer(session, recipe) -> dict:
    if recipe is None:
        return {"recipes": []}
    return {"recipes": [r for r in ops.list_recipes(session) if r["id"] == recipe.id]}


@api_route(api, "/items/<int:item_id>/recipe", method="PUT",
           summary="What one portion of a menu item takes (no lines: none)",
           permission=Permission.MENU_EDIT, body=RecipeIn, response=RecipeList, tag=TAG)
def set_item_recipe(session, actor, body: RecipeIn, item_id: int):
    return recipe_answer(session, ops.set_recipe(session, actor, item_id=item_id,
                                                 lines=body.lines))


@api_route(api, "/modifiers/<int:modifier_id>/recipe", method="PUT",
           summary="What a choice adds (extra cheese) or takes away (no onion: negative)",
           permission=Permission.MENU_EDIT, body=RecipeIn, response=RecipeList, tag=TAG)
def set_modifier_recipe(session, actor, body: RecipeIn, modifier_id: int):
    return recipe_answer(session, ops.set_recipe(session, actor, modifier_id=modifier_id,
                                                 lines=body.lines))


@api_route(api, "/preps", method="POST", summary="Add a prep (a sub-recipe) with its yield",
           permission=Permission.MENU_EDIT, body=NewPrep, response=RecipeOut, status=201,
           tag=TAG)
def add_prep(session, actor, body: NewPrep):
    prep = ops.add_prep(session, actor, names=body.names, yield_quantity=body.yield_quantity,
                        yield_unit=body.yield_unit, lines=body.lines)
    return recipe_answer(session, prep)["recipes"][0]


@api_route(api, "/preps/<int:prep_id>", method="PATCH",
           summary="Rename a prep, change its yield or its lines",
           permission=Permission.MENU_EDIT, body=PrepChange, response=RecipeOut, tag=TAG)
def change_prep(session, actor, body: PrepChange, prep_id: int):
    prep = ops.change_prep(session, actor, ops.get_prep(session, prep_id),
                           body.model_dump(exclude_unset=True) | (
                               {"lines": body.lines} if body.lines is not None else {}))
    return recipe_answer(session, prep)["recipes"][0]


# --- stock ---------------------------------------------------------------------------------

@api_route(api, "/levels", summary="What is in stock, per ingredient and location, and its "
           "value", permission=Permission.STOCK, query=LevelQuery, response=LevelOut,
           many=True, tag=TAG)
def list_levels(session, actor, query: LevelQuery):
    return ops.stock_levels(session, **query.model_dump())


@api_route(api, "/movements", summary="The stock ledger, newest first",
           permission=Permission.STOCK, query=MovementQuery, response=MovementOut, many=True,
           tag=TAG)
def list_movements(session, actor, query: MovementQuery):
    return ops.stock_movements(session, **query.model_dump())


@api_route(api, "/receipts", method="POST", summary="Receive a delivery (quantity and total "
           "cost per line): the stock and its moving-average cost follow",
           permission=Permission.STOCK, body=ReceiptIn, response=DocumentOut, status=201,
           tag=TAG)
def receive(session, actor, body: ReceiptIn):
    document = ops.receive_stock(session, actor, location_id=body.location_id,
                                 lines=body.lines, supplier=body.supplier, note=body.note,
                                 client_id=body.client_id)
    return ops.document_record(session, document)


@api_route(api, "/waste", method="POST", summary="Log waste, with its reason",
           permission=Permission.STOCK, body=WasteIn, response=DocumentOut, status=201,
           tag=TAG)
def waste(session, actor, body: WasteIn):
    document = ops.record_waste(session, actor, location_id=body.location_id,
                                lines=body.lines, reason=body.reason, note=body.note,
                                client_id=body.client_id)
    return ops.document_record(session, document)


@api_route(api, "/counts", method="POST", summary="Count a location: each variance (counted "
           "minus the books) is posted as an adjustment", permission=Permission.STOCK,
           body=CountIn, response=DocumentOut, status=201, tag=TAG)
def count(session, actor, body: CountIn):
    document = ops.count_location(session, actor, location_id=body.location_id,
                                  lines=body.lines, note=body.note, client_id=body.client_id)
    return ops.document_record(session, document)


@api_route(api, "/transfers", method="POST", summary="Move stock between locations",
           permission=Permission.STOCK, body=TransferIn, response=DocumentOut, status=201,
           tag=TAG)
def transfer(session, actor, body: TransferIn):
    document = ops.transfer_stock(session, actor, location_id=body.location_id,
                                  to_location_id=body.to_location_id, lines=body.lines,
                                  note=body.note, client_id=body.client_id)
    return ops.document_record(session, document)
