"""The demo's stock: a few dishes with recipes (a soup, the steak and the burger with their
choices, a pasta with a house sauce made in batches, a glass of wine, a bottle of water),
their ingredients in three locations, and a first delivery, so a send shows depletion.

The delivery is deep (some 25,000 portions of each): benchmarks and long demos send
thousands of rounds and must not run out.
"""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen.models import Station
from pos.inventory.operations import (
    add_ingredient,
    add_location,
    add_prep,
    receive_stock,
    set_recipe,
)
from pos.menu.models import MenuItem, Modifier

# code → (names, unit, cost per unit in bani, reorder point, delivered), in its unit
INGREDIENTS = {
    "ribeye": ({"ro": "Antricot de vită", "en": "Beef rib-eye"}, "kg", 95_00, 10, 9000),
    "ground_beef": ({"ro": "Carne tocată de vită", "en": "Ground beef"}, "kg", 45_00, 5, 5000),
    "bun": ({"ro": "Chiflă brioșă", "en": "Brioche bun"}, "piece", 2_50, 40, 25000),
    "cheddar": ({"ro": "Cheddar", "en": "Cheddar"}, "kg", 48_00, 2, 1600),
    "onion": ({"ro": "Ceapă", "en": "Onion"}, "kg", 3_50, 3, 2000),
    "pickles": ({"ro": "Castraveți murați", "en": "Pickles"}, "kg", 12_00, 2, 1000),
    "bacon": ({"ro": "Bacon", "en": "Bacon"}, "kg", 42_00, 2, 1000),
    "potatoes": ({"ro": "Cartofi", "en": "Potatoes"}, "kg", 3_00, 20, 5000),
    "oil": ({"ro": "Ulei de floarea-soarelui", "en": "Sunflower oil"}, "l", 9_00, 10, 1000),
    "tripe": ({"ro": "Burtă de vită", "en": "Beef tripe"}, "kg", 28_00, 5, 4000),
    "sour_cream": ({"ro": "Smântână", "en": "Sour cream"}, "kg", 18_00, 3, 1000),
    "penne": ({"ro": "Penne", "en": "Penne"}, "kg", 14_00, 3, 3000),
    "tomatoes": ({"ro": "Roșii", "en": "Tomatoes"}, "kg", 8_00, 5, 3000),
    "olive_oil": ({"ro": "Ulei de măsline", "en": "Olive oil"}, "l", 45_00, 2, 200),
    "parmesan": ({"ro": "Parmezan", "en": "Parmesan"}, "kg", 120_00, 1, 800),
    "wine_red": ({"ro": "Fetească Neagră", "en": "Fetească Neagră"}, "l", 40_00, 10, 4000),
    "water": ({"ro": "Apă plată 750 ml", "en": "Still water 750 ml"}, "piece", 3_00, 48, 25000),
}
# Where each is kept: the bar's own stock, else the kitchen.
AT_THE_BAR = ("wine_red", "water")

# House tomato sauce: 2 l a batch.
SAUCE = (2, "l", (("tomatoes", 1.6, "kg"), ("onion", 200, "g"), ("olive_oil", 50, "ml")))

# PLU → lines of (ingredient code or "sauce", quantity, unit)
RECIPES = {
    101: (("tripe", 150, "g"), ("sour_cream", 40, "g")),
    401: (("ribeye", 350, "g"),),
    403: (("ground_beef", 180, "g"), ("bun", 1, "piece"), ("cheddar", 30, "g"),
          ("onion", 40, "g"), ("pickles", 20, "g")),
    502: (("penne", 120, "g"), ("sauce", 150, "ml"), ("parmesan", 10, "g")),
    801: (("wine_red", 150, "ml"),),
    706: (("water", 1, "piece"),),
}
# A choice's English name → what it adds (or, negative, takes away)
MODIFIER_RECIPES = {
    "French fries": (("potatoes", 200, "g"), ("oil", 20, "ml")),
    "Country-style potatoes": (("potatoes", 220, "g"), ("oil", 15, "ml")),
    "Extra cheese": (("cheddar", 30, "g"),),
    "Bacon": (("bacon", 40, "g"),),
    "No onion": (("onion", -40, "g"),),
    "No sour cream": (("sour_cream", -40, "g"),),
    "Extra parmesan": (("parmesan", 15, "g"),),
}


def line(ingredients: dict, sauce_id: int | None, code: str, quantity: float, unit: str):
    if code == "sauce":
        return SimpleNamespace(ingredient_id=None, sub_recipe_id=sauce_id, quantity=quantity,
                               unit=unit)
    return SimpleNamespace(ingredient_id=ingredients[code].id, sub_recipe_id=None,
                           quantity=quantity, unit=unit)


def create_inventory(session: Session) -> None:
    bar = session.scalar(select(Station).where(Station.code == "bar"))
    kitchen = add_location(session, None, code="kitchen", is_default=True,
                           names={"ro": "Bucătărie", "en": "Kitchen"})
    bar_stock = add_location(session, None, code="bar", names={"ro": "Bar", "en": "Bar"},
                             station_id=bar.id if bar else None)
    add_location(session, None, code="cellar", names={"ro": "Pivniță", "en": "Cellar"})
    ingredients = {code: add_ingredient(session, None, names=names, unit=unit, cost=cost,
                                        reorder_point=reorder, par_level=reorder * 3)
                   for code, (names, unit, cost, reorder, _delivered) in INGREDIENTS.items()}
    batch, unit, sauce_lines = SAUCE
    sauce = add_prep(session, None, names={"ro": "Sos de roșii al casei",
                                           "en": "House tomato sauce"},
                     yield_quantity=batch, yield_unit=unit,
                     lines=[line(ingredients, None, *spec) for spec in sauce_lines])
    items = {item.number: item.id for item in session.scalars(select(MenuItem))}
    for number, lines in RECIPES.items():
        set_recipe(session, None, item_id=items[number],
                   lines=[line(ingredients, sauce.id, *spec) for spec in lines])
    modifiers = {m.names["en"]: m.id for m in session.scalars(select(Modifier))}
    for name, lines in MODIFIER_RECIPES.items():
        set_recipe(session, None, modifier_id=modifiers[name],
                   lines=[line(ingredients, sauce.id, *spec) for spec in lines])
    for location, codes in ((kitchen, [c for c in INGREDIENTS if c not in AT_THE_BAR]),
                            (bar_stock, list(AT_THE_BAR))):
        receive_stock(session, None, location_id=location.id, supplier="Metro Cash & Carry",
                      lines=[SimpleNamespace(
                          ingredient_id=ingredients[code].id,
                          quantity=INGREDIENTS[code][4], unit=INGREDIENTS[code][1],
                          total_cost=INGREDIENTS[code][2] * INGREDIENTS[code][4])
                          for code in codes])
