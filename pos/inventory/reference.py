"""What dishes are made of, flattened and cached (``pos.venue.reference``): for every
menu item and choice with a recipe, the raw ingredients of one portion, sub-recipes
expanded by their yield, and the stock location a sale of it depletes. Recipes are
reference data; stock levels and movements are live and never cached.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen.reference import kitchen_reference
from pos.inventory.models import Ingredient, Recipe, RecipeKind, RecipeLine, StockLocation
from pos.inventory.units import round_half_up
from pos.venue.reference import ReferenceCache, register_reference_models

register_reference_models(Ingredient, Recipe, RecipeLine, StockLocation)

Needs = dict[int, Fraction]  # ingredient id → thousandths of its base unit, per portion


@dataclass(frozen=True)
class IngredientShape:
    id: int
    names: dict[str, str]
    unit: str
    cost: int
    reorder_point: int | None
    active: bool


@dataclass(frozen=True)
class User:
    """A menu item or choice that takes ``need`` of an ingredient per portion, from
    ``location_id``: when the stock there falls below ``need``, it is 86'd."""

    kind: str  # "item" or "modifier"
    thing_id: int
    need: int  # thousandths, rounded up: a portion needs all of it
    location_id: int


@dataclass(frozen=True)
class InventoryReference:
    ingredients: dict[int, IngredientShape]
    items: dict[int, Needs]  # a portion of the item, as its own recipe says
    modifiers: dict[int, Needs]  # what a choice adds (positive) or takes away (negative)
    item_locations: dict[int, int]  # where a sale of the item depletes
    default_location_id: int | None
    users: dict[int, tuple[User, ...]] = field(default_factory=dict)  # by ingredient
    # (item, choices, portions) → what a line takes, rounded: worked out once per process
    _taken: dict[tuple[int, tuple[int, ...], int], tuple[tuple[int, int], ...]] = field(
        default_factory=dict, compare=False, repr=False)

    @property
    def tracks_anything(self) -> bool:
        return bool(self.items or self.modifiers)

    def location_of(self, item_id: int) -> int | None:
        return self.item_locations.get(item_id, self.default_location_id)

    def line_needs(self, item_id: int, modifier_ids: list[int]) -> Needs:
        """One portion of a line: the item's recipe and its choices', each ingredient
        never below zero ("no onion" on a dish with no onion takes nothing)."""
        needs: dict[int, Fraction] = defaultdict(Fraction, self.items.get(item_id, {}))
        for modifier_id in modifier_ids:
            for ingredient_id, quantity in self.modifiers.get(modifier_id, {}).items():
                needs[ingredient_id] += quantity
        return {i: q for i, q in needs.items() if q > 0}

    def line_takes(self, item_id: int, modifier_ids: tuple[int, ...], portions: int
                   ) -> tuple[tuple[int, int], ...]:
        """(ingredient, thousandths) that ``portions`` of a line take, each rounded half up
        once for the whole line, in ingredient order (the send's hot path: memoised)."""
        key = (item_id, modifier_ids, portions)
        taken = self._taken.get(key)
        if taken is None:
            needs = self.line_needs(item_id, list(modifier_ids))
            taken = tuple((i, amount) for i, need in sorted(needs.items())
                          if (amount := round_half_up(need * portions)))
            if len(self._taken) < 100_000:
                self._taken[key] = taken
        return taken


def inventory_reference(session: Session) -> InventoryReference:
    return _cache.get(session)


def flatten_all(session: Session) -> tuple[dict[int, Recipe], dict[int, Needs]]:
    """Every recipe's raw ingredients (a prep's per one thousandth of its yield)."""
    recipes = {r.id: r for r in session.scalars(select(Recipe))}
    lines: dict[int, list[RecipeLine]] = defaultdict(list)
    for line in session.scalars(select(RecipeLine).order_by(RecipeLine.position,
                                                            RecipeLine.id)):
        lines[line.recipe_id].append(line)
    flat: dict[int, Needs] = {}

    def flatten(recipe_id: int, path: frozenset[int]) -> Needs:
        if recipe_id in flat:
            return flat[recipe_id]
        needs: dict[int, Fraction] = defaultdict(Fraction)
        for line in lines[recipe_id]:
            if line.ingredient_id is not None:
                needs[line.ingredient_id] += line.quantity
            elif line.sub_recipe_id not in path:  # a cycle is refused when written
                prep = recipes[line.sub_recipe_id]
                per = Fraction(line.quantity, prep.yield_quantity or 1)
                for ingredient_id, quantity in flatten(prep.id, path | {recipe_id}).items():
                    needs[ingredient_id] += quantity * per
        flat[recipe_id] = {i: q for i, q in needs.items() if q != 0}
        return flat[recipe_id]

    for recipe_id in recipes:
        flatten(recipe_id, frozenset())
    return recipes, flat


def build_inventory_reference(session: Session) -> InventoryReference:
    ingredients = {i.id: IngredientShape(i.id, i.names, i.unit, i.cost, i.reorder_point,
                                         i.active)
                   for i in session.scalars(select(Ingredient))}
    recipes, flat = flatten_all(session)
    locations = list(session.scalars(select(StockLocation).where(StockLocation.active)))
    default = next((loc.id for loc in locations if loc.is_default), None)
    by_station = {loc.station_id: loc.id for loc in locations if loc.station_id is not None}
    kitchen = kitchen_reference(session)
    items: dict[int, Needs] = {}
    modifiers: dict[int, Needs] = {}
    item_locations: dict[int, int] = {}
    for recipe in recipes.values():
        if recipe.kind is RecipeKind.ITEM and flat[recipe.id]:
            items[recipe.item_id] = flat[recipe.id]
            at = next((by_station[s] for s in kitchen.stations_of(recipe.item_id)
                       if s in by_station), default)
            if at is not None:
                item_locations[recipe.item_id] = at
        elif recipe.kind is RecipeKind.MODIFIER and flat[recipe.id]:
            modifiers[recipe.modifier_id] = flat[recipe.id]
    users: dict[int, list[User]] = defaultdict(list)
    for item_id, needs in items.items():
        if item_id in item_locations:
            for ingredient_id, need in needs.items():
                if need > 0:
                    users[ingredient_id].append(User("item", item_id, math.ceil(need),
                                                     item_locations[item_id]))
    for modifier_id, needs in modifiers.items():
        if default is not None:
            for ingredient_id, need in needs.items():
                if need > 0:
                    users[ingredient_id].append(User("modifier", modifier_id,
                                                     math.ceil(need), default))
    if default is None:
        items = {i: n for i, n in items.items() if i in item_locations}
    return InventoryReference(ingredients=ingredients, items=items, modifiers=modifiers,
                              item_locations=item_locations, default_location_id=default,
                              users={i: tuple(u) for i, u in users.items()})


_cache = ReferenceCache("inventory", build_inventory_reference)
