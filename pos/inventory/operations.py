"""Inventory's operations: the back office's ingredients, locations and recipes, and the
stock documents (receiving, waste, counts, transfers), each posted to the ledger in one
transaction. Every refusal names its field and comes before anything is written.

What the screens will read is here too: levels, movements, recipes with their cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kitchen.models import Station
from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.inventory.ledger import Level, Move, post
from pos.inventory.models import (
    DocumentKind,
    Ingredient,
    MovementKind,
    Recipe,
    RecipeKind,
    RecipeLine,
    StockDocument,
    StockLevel,
    StockLocation,
    StockMovement,
)
from pos.inventory.reference import flatten_all
from pos.inventory.units import (
    UNITS,
    in_unit,
    measure_of,
    refuse_unconvertible,
    refuse_unknown_unit,
    round_half_up,
    to_thousandths,
)
from pos.menu.models import MenuItem, Modifier

# --- reading -------------------------------------------------------------------------------


def get_ingredient(session: Session, ingredient_id: int, field: str = "ingredient_id"
                   ) -> Ingredient:
    ingredient = session.get(Ingredient, ingredient_id)
    if ingredient is None:
        raise NotFound(_("There is no such ingredient."), field=field)
    return ingredient


def get_location(session: Session, location_id: int | None, field: str = "location_id"
                 ) -> StockLocation:
    location = session.get(StockLocation, location_id) if location_id is not None else None
    if location is None or not location.active:
        raise InvalidInput(_("There is no such stock location."), field=field)
    return location


def ingredient_view(ingredient: Ingredient) -> dict[str, Any]:
    return {"id": ingredient.id, "names": ingredient.names, "unit": ingredient.unit,
            "cost": ingredient.cost, "active": ingredient.active,
            "par_level": shown(ingredient.par_level, ingredient.unit),
            "reorder_point": shown(ingredient.reorder_point, ingredient.unit)}


def shown(thousandths: int | None, unit: str) -> float | None:
    return None if thousandths is None else in_unit(thousandths, unit)


def list_ingredients(session: Session) -> list[dict[str, Any]]:
    return [ingredient_view(i) for i in session.scalars(select(Ingredient).order_by(
        Ingredient.id))]


def list_locations(session: Session) -> list[StockLocation]:
    return list(session.scalars(select(StockLocation).order_by(StockLocation.id)))


def stock_levels(session: Session, *, location_id: int | None = None,
                 ingredient_id: int | None = None) -> list[dict[str, Any]]:
    query = select(StockLevel, Ingredient).join(Ingredient).order_by(
        StockLevel.location_id, StockLevel.ingredient_id)
    if location_id is not None:
        query = query.where(StockLevel.location_id == location_id)
    if ingredient_id is not None:
        query = query.where(StockLevel.ingredient_id == ingredient_id)
    return [{"ingredient_id": level.ingredient_id, "location_id": level.location_id,
             "unit": ingredient.unit, "quantity": in_unit(level.quantity, ingredient.unit),
             "thousandths": level.quantity, "value": level.value,
             "below_reorder_point": ingredient.reorder_point is not None
             and level.quantity < ingredient.reorder_point}
            for level, ingredient in session.execute(query)]


def movement_view(movement: StockMovement, unit: str) -> dict[str, Any]:
    return {"id": movement.id, "kind": movement.kind.value,
            "ingredient_id": movement.ingredient_id, "location_id": movement.location_id,
            "quantity": in_unit(movement.quantity, unit), "thousandths": movement.quantity,
            "value": movement.value, "at": movement.at, "by_staff_id": movement.by_staff_id,
            "line_id": movement.line_id, "document_id": movement.document_id,
            "reason": movement.reason}


def stock_movements(session: Session, *, location_id: int | None = None,
                    ingredient_id: int | None = None, kind: str | None = None,
                    before_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    query = select(StockMovement, Ingredient.unit).join(Ingredient).order_by(
        StockMovement.id.desc()).limit(limit)
    if location_id is not None:
        query = query.where(StockMovement.location_id == location_id)
    if ingredient_id is not None:
        query = query.where(StockMovement.ingredient_id == ingredient_id)
    if kind is not None:
        if kind not in set(MovementKind):
            raise InvalidInput(_("There is no such kind of movement."), field="kind")
        query = query.where(StockMovement.kind == MovementKind(kind))
    if before_id is not None:
        query = query.where(StockMovement.id < before_id)
    return [movement_view(m, unit) for m, unit in session.execute(query)]


# --- ingredients ---------------------------------------------------------------------------

def level_of(amount: float | None, unit: str, field: str) -> int | None:
    if amount is None:
        return None
    thousandths = to_thousandths(amount, unit, field)
    if thousandths < 0:
        raise InvalidInput(_("It cannot be negative."), field=field)
    return thousandths


def add_ingredient(session: Session, actor: Actor | None, *, names: dict[str, str], unit: str,
                   cost: int = 0, par_level: float | None = None,
                   reorder_point: float | None = None, active: bool = True) -> Ingredient:
    refuse_unknown_unit(unit, "unit")
    ingredient = Ingredient(names=names, unit=unit, cost=cost, active=active,
                            par_level=level_of(par_level, unit, "par_level"),
                            reorder_point=level_of(reorder_point, unit, "reorder_point"))
    session.add(ingredient)
    session.flush()
    record_audit(session, "inventory.ingredient_added", actor=actor,
                 subject=f"ingredient:{ingredient.id}", after=ingredient_view(ingredient))
    return ingredient


def change_ingredient(session: Session, actor: Actor | None, ingredient: Ingredient,
                      changes: dict[str, Any]) -> Ingredient:
    before = ingredient_view(ingredient)
    unit = changes.get("unit") or ingredient.unit
    if "unit" in changes:
        refuse_unconvertible(unit, ingredient.unit, "unit")  # the stock keeps its amounts
    for name in ("par_level", "reorder_point"):
        if name in changes:
            changes[name] = level_of(changes[name], unit, name)
    for name, value in changes.items():
        if value is None and name not in ("par_level", "reorder_point"):
            continue  # only the levels may be cleared
        setattr(ingredient, name, value)
    session.flush()
    after = ingredient_view(ingredient)
    changed = sorted(k for k in after if before.get(k) != after[k])
    record_audit(session, "inventory.ingredient_changed", actor=actor,
                 subject=f"ingredient:{ingredient.id}",
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return ingredient


# --- locations -----------------------------------------------------------------------------

def location_view(location: StockLocation) -> dict[str, Any]:
    return {"id": location.id, "code": location.code, "names": location.names,
            "is_default": location.is_default, "station_id": location.station_id,
            "active": location.active}


def refuse_location_fields(session: Session, location: StockLocation | None, *,
                           code: str | None = None, station_id: int | None = None) -> None:
    if code is not None and session.scalar(select(StockLocation.id).where(
            StockLocation.code == code)) is not None:
        raise InvalidInput(_("Another location has this code."), field="code")
    if station_id is not None:
        if session.get(Station, station_id) is None:
            raise InvalidInput(_("There is no such station."), field="station_id")
        other = session.scalar(select(StockLocation.id).where(
            StockLocation.station_id == station_id))
        if other is not None and (location is None or other != location.id):
            raise InvalidInput(_("Another location serves this station."), field="station_id")


def make_only_default(session: Session, location: StockLocation) -> None:
    session.execute(update(StockLocation).where(StockLocation.id != location.id)
                    .values(is_default=False))


def add_location(session: Session, actor: Actor | None, *, code: str, names: dict[str, str],
                 is_default: bool = False, station_id: int | None = None,
                 active: bool = True) -> StockLocation:
    refuse_location_fields(session, None, code=code, station_id=station_id)
    location = StockLocation(code=code, names=names, is_default=is_default,
                             station_id=station_id, active=active)
    session.add(location)
    session.flush()
    if is_default:
        make_only_default(session, location)
    record_audit(session, "inventory.location_added", actor=actor,
                 subject=f"location:{location.id}", after=location_view(location))
    return location


def change_location(session: Session, actor: Actor | None, location: StockLocation,
                    changes: dict[str, Any]) -> StockLocation:
    refuse_location_fields(session, location, station_id=changes.get("station_id"))
    before = location_view(location)
    for name, value in changes.items():
        if value is None and name != "station_id":
            continue
        setattr(location, name, value)
    session.flush()
    if location.is_default:
        make_only_default(session, location)
    after = location_view(location)
    changed = sorted(k for k in after if before.get(k) != after[k])
    record_audit(session, "inventory.location_changed", actor=actor,
                 subject=f"location:{location.id}",
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return location


# --- recipes -------------------------------------------------------------------------------

def recipe_lines_of(session: Session, recipe: Recipe | None, kind: RecipeKind,
                    lines: Sequence[Any]) -> list[RecipeLine]:
    """The lines as rows, each checked: an ingredient or a prep, a unit that converts to
    it, a quantity that is not zero (negative only for a choice that takes away), and no
    prep that uses, directly or through its own preps, the recipe being written."""
    rows = []
    _recipes, _flat = None, None
    for index, line in enumerate(lines):
        field = f"lines.{index}"
        if (line.ingredient_id is None) == (line.sub_recipe_id is None):
            raise InvalidInput(_("Give an ingredient or a prep, not both."),
                               field=f"{field}.ingredient_id")
        if line.ingredient_id is not None:
            ingredient = session.get(Ingredient, line.ingredient_id)
            if ingredient is None:
                raise InvalidInput(_("There is no such ingredient."),
                                   field=f"{field}.ingredient_id")
            into = ingredient.unit
        else:
            prep = session.get(Recipe, line.sub_recipe_id)
            if prep is None or prep.kind is not RecipeKind.PREP:
                raise InvalidInput(_("There is no such prep."), field=f"{field}.sub_recipe_id")
            if recipe is not None and uses(session, prep.id, recipe.id):
                raise InvalidInput(_("A recipe cannot use itself, even through another "
                                     "prep."), field=f"{field}.sub_recipe_id",
                                   code="recipe_uses_itself")
            into = prep.yield_unit
        refuse_unconvertible(line.unit, into, f"{field}.unit")
        quantity = to_thousandths(line.quantity, line.unit, f"{field}.quantity")
        if quantity == 0 or (quantity < 0 and kind is not RecipeKind.MODIFIER):
            raise InvalidInput(_("The quantity must be more than zero (only a choice may "
                                 "take away)."), field=f"{field}.quantity")
        rows.append(RecipeLine(position=index, ingredient_id=line.ingredient_id,
                               sub_recipe_id=line.sub_recipe_id, quantity=quantity,
                               unit=line.unit))
    return rows


def uses(session: Session, recipe_id: int, target_id: int) -> bool:
    """Does ``recipe_id`` use ``target_id``, itself being it or through its preps?"""
    seen, todo = set(), [recipe_id]
    while todo:
        current = todo.pop()
        if current == target_id:
            return True
        if current in seen:
            continue
        seen.add(current)
        todo.extend(session.scalars(select(RecipeLine.sub_recipe_id).where(
            RecipeLine.recipe_id == current, RecipeLine.sub_recipe_id.is_not(None))))
    return False


def recipe_of(session: Session, *, item_id: int | None = None,
              modifier_id: int | None = None) -> Recipe | None:
    if item_id is not None:
        return session.scalar(select(Recipe).where(Recipe.item_id == item_id))
    return session.scalar(select(Recipe).where(Recipe.modifier_id == modifier_id))


def set_recipe(session: Session, actor: Actor | None, *, item_id: int | None = None,
               modifier_id: int | None = None, lines: Sequence[Any]) -> Recipe | None:
    """What one portion of an item (or what one choice) takes; no lines removes it."""
    if item_id is not None:
        if session.get(MenuItem, item_id) is None:
            raise NotFound(_("There is no such item."), field="item_id")
        kind = RecipeKind.ITEM
    else:
        if session.get(Modifier, modifier_id) is None:
            raise NotFound(_("There is no such choice."), field="modifier_id")
        kind = RecipeKind.MODIFIER
    recipe = recipe_of(session, item_id=item_id, modifier_id=modifier_id)
    rows = recipe_lines_of(session, recipe, kind, lines)
    before = recipe_record(session, recipe) if recipe else None
    if not rows:
        if recipe is not None:
            session.delete(recipe)
        after = None
    else:
        if recipe is None:
            recipe = Recipe(kind=kind, item_id=item_id, modifier_id=modifier_id, names={})
            session.add(recipe)
        recipe.lines = rows
        session.flush()
        after = recipe_record(session, recipe)
    record_audit(session, "inventory.recipe_set", actor=actor,
                 subject=f"item:{item_id}" if item_id else f"modifier:{modifier_id}",
                 before=before, after=after)
    session.flush()
    return recipe if rows else None


def add_prep(session: Session, actor: Actor | None, *, names: dict[str, str],
             yield_quantity: float, yield_unit: str, lines: Sequence[Any]) -> Recipe:
    amount = prep_yield(yield_quantity, yield_unit)
    rows = recipe_lines_of(session, None, RecipeKind.PREP, lines)
    prep = Recipe(kind=RecipeKind.PREP, names=names, yield_quantity=amount,
                  yield_unit=yield_unit, lines=rows)
    session.add(prep)
    session.flush()
    record_audit(session, "inventory.prep_added", actor=actor, subject=f"prep:{prep.id}",
                 after=recipe_record(session, prep))
    return prep


def prep_yield(amount: float, unit: str) -> int:
    thousandths = to_thousandths(amount, unit, "yield_quantity")
    if thousandths <= 0:
        raise InvalidInput(_("A batch makes more than nothing."), field="yield_quantity")
    return thousandths


def get_prep(session: Session, prep_id: int) -> Recipe:
    prep = session.get(Recipe, prep_id)
    if prep is None or prep.kind is not RecipeKind.PREP:
        raise NotFound(_("There is no such prep."), field="prep_id")
    return prep


def change_prep(session: Session, actor: Actor | None, prep: Recipe,
                changes: dict[str, Any]) -> Recipe:
    before = recipe_record(session, prep)
    unit = changes.get("yield_unit") or prep.yield_unit
    if changes.get("yield_unit") is not None:
        refuse_unknown_unit(unit, "yield_unit")
        used = session.scalar(select(RecipeLine.id).where(RecipeLine.sub_recipe_id == prep.id)
                              .limit(1))
        if used is not None and measure_of(unit) != measure_of(prep.yield_unit):
            raise InvalidInput(_("%(unit)s does not convert to %(into)s.", unit=unit,
                                 into=prep.yield_unit), field="yield_unit",
                               code="unit_does_not_convert")
    if changes.get("yield_quantity") is not None or changes.get("yield_unit") is not None:
        quantity = changes.get("yield_quantity")
        prep.yield_quantity = prep_yield(
            quantity if quantity is not None else in_unit(prep.yield_quantity, prep.yield_unit),
            unit)
        prep.yield_unit = unit
    if changes.get("lines") is not None:
        prep.lines = recipe_lines_of(session, prep, RecipeKind.PREP, changes["lines"])
    if changes.get("names") is not None:
        prep.names = changes["names"]
    session.flush()
    record_audit(session, "inventory.prep_changed", actor=actor, subject=f"prep:{prep.id}",
                 before=before, after=recipe_record(session, prep))
    return prep


def recipe_record(session: Session, recipe: Recipe) -> dict[str, Any]:
    return {"id": recipe.id, "kind": recipe.kind.value, "item_id": recipe.item_id,
            "modifier_id": recipe.modifier_id, "names": recipe.names,
            "yield_quantity": shown(recipe.yield_quantity, recipe.yield_unit)
            if recipe.yield_unit else None, "yield_unit": recipe.yield_unit,
            "lines": [{"ingredient_id": line.ingredient_id,
                       "sub_recipe_id": line.sub_recipe_id,
                       "quantity": in_unit(line.quantity, line.unit), "unit": line.unit}
                      for line in recipe.lines]}


def list_recipes(session: Session) -> list[dict[str, Any]]:
    """Every recipe with what a portion (a prep: a batch) costs at the ingredients' costs."""
    recipes, flat = flatten_all(session)
    costs = {i.id: (i.cost, UNITS[i.unit][1]) for i in session.scalars(select(Ingredient))}
    answer = []
    for recipe in sorted(recipes.values(), key=lambda r: r.id):
        needs = flat.get(recipe.id, {})
        cost = sum((Fraction(costs[i][0]) * q / costs[i][1] for i, q in needs.items()
                    if q > 0), Fraction(0))
        answer.append({**recipe_record(session, recipe), "cost": round_half_up(cost)})
    return answer


# --- stock documents -----------------------------------------------------------------------

def open_document(session: Session, actor: Actor | None, kind: DocumentKind, *,
                  location_id: int, client_id: str | None = None, **fields: Any
                  ) -> StockDocument:
    document = StockDocument(kind=kind, location_id=location_id, client_id=client_id,
                             by_staff_id=actor.staff_id if actor else None,
                             by_device_id=actor.device_id if actor and actor.is_device
                             else None, **fields)
    session.add(document)
    session.flush()
    return document


def earlier_document(session: Session, client_id: str | None) -> StockDocument | None:
    if not client_id:
        return None
    return session.scalar(select(StockDocument).where(StockDocument.client_id == client_id))


def amounts(session: Session, lines: Sequence[Any], *, positive: bool = True
            ) -> list[tuple[Ingredient, int]]:
    """Each line's ingredient and amount in thousandths of its base unit, checked."""
    answer = []
    for index, line in enumerate(lines):
        field = f"lines.{index}"
        ingredient = session.get(Ingredient, line.ingredient_id)
        if ingredient is None:
            raise InvalidInput(_("There is no such ingredient."),
                               field=f"{field}.ingredient_id", code="unknown_ingredient")
        refuse_unconvertible(line.unit, ingredient.unit, f"{field}.unit")
        quantity = to_thousandths(line.quantity, line.unit, f"{field}.quantity")
        if quantity < 0 or (positive and quantity == 0):
            raise InvalidInput(_("The quantity must be more than zero."),
                               field=f"{field}.quantity", code="negative_quantity")
        answer.append((ingredient, quantity))
    return answer


def document_record(session: Session, document: StockDocument) -> dict[str, Any]:
    movements = session.execute(select(StockMovement, Ingredient.unit).join(Ingredient).where(
        StockMovement.document_id == document.id).order_by(StockMovement.id)).all()
    return {"id": document.id, "kind": document.kind.value,
            "location_id": document.location_id, "to_location_id": document.to_location_id,
            "supplier": document.supplier, "reason": document.reason, "note": document.note,
            "at": document.at, "movements": [movement_view(m, unit) for m, unit in movements]}


def short_in_stock(units: dict[int, str]):
    """A refusal naming the line that asks for more than the location holds."""
    def refusal(move: Move, on_hand: int) -> Conflict:
        unit = units.get(move.ingredient_id, "g")
        return Conflict(_("Only %(quantity)s %(unit)s is in stock there.",
                          quantity=f"{in_unit(on_hand, unit):g}", unit=unit),
                        field=move.field, code="not_enough_stock")
    return refusal


def post_document(session: Session, actor: Actor | None, moves: list[Move],
                  units: dict[int, str]) -> None:
    post(session, moves, staff_id=actor.staff_id if actor else None,
         device_id=actor.device_id if actor and actor.is_device else None,
         shortage=short_in_stock(units))


def receive_stock(session: Session, actor: Actor | None, *, location_id: int,
                  lines: Sequence[Any], supplier: str | None = None, note: str | None = None,
                  client_id: str | None = None) -> StockDocument:
    """A delivery: its stock and its cost come in, moving the average."""
    earlier = earlier_document(session, client_id)
    if earlier is not None:
        return earlier
    get_location(session, location_id)
    received = amounts(session, lines)
    document = open_document(session, actor, DocumentKind.RECEIPT, location_id=location_id,
                             client_id=client_id, supplier=supplier, note=note)
    post_document(session, actor, [
        Move(MovementKind.RECEIPT, ingredient.id, location_id, quantity,
             value=line.total_cost, document_id=document.id, field=f"lines.{index}.quantity")
        for index, ((ingredient, quantity), line) in enumerate(zip(received, lines,
                                                                   strict=True))],
        {i.id: i.unit for i, _q in received})
    record_audit(session, "stock.received", actor=actor, subject=f"stock:{document.id}",
                 location_id=location_id, supplier=supplier,
                 lines=[{"ingredient_id": i.id, "thousandths": q, "total_cost": line.total_cost}
                        for (i, q), line in zip(received, lines, strict=True)])
    return document


def record_waste(session: Session, actor: Actor | None, *, location_id: int,
                 lines: Sequence[Any], reason: str, note: str | None = None,
                 client_id: str | None = None) -> StockDocument:
    earlier = earlier_document(session, client_id)
    if earlier is not None:
        return earlier
    get_location(session, location_id)
    if not reason:
        raise InvalidInput(_("Say why it was thrown away."), field="reason")
    wasted = amounts(session, lines)
    document = open_document(session, actor, DocumentKind.WASTE, location_id=location_id,
                             client_id=client_id, reason=reason, note=note)
    post_document(session, actor, [
        Move(MovementKind.WASTE, ingredient.id, location_id, -quantity, reason=reason,
             document_id=document.id, field=f"lines.{index}.quantity")
        for index, (ingredient, quantity) in enumerate(wasted)],
        {i.id: i.unit for i, _q in wasted})
    record_audit(session, "stock.wasted", actor=actor, subject=f"stock:{document.id}",
                 location_id=location_id, reason=reason,
                 lines=[{"ingredient_id": i.id, "thousandths": q} for i, q in wasted])
    return document


def count_location(session: Session, actor: Actor | None, *, location_id: int,
                   lines: Sequence[Any], note: str | None = None,
                   client_id: str | None = None) -> StockDocument:
    """What was counted on the shelves: each ingredient's variance (counted minus what the
    ledger says) is posted as a count adjustment; ingredients not counted stay."""
    earlier = earlier_document(session, client_id)
    if earlier is not None:
        return earlier
    get_location(session, location_id)
    counted = amounts(session, lines, positive=False)
    seen: set[int] = set()
    for index, (ingredient, _quantity) in enumerate(counted):
        if ingredient.id in seen:
            raise InvalidInput(_("This ingredient is counted twice."),
                               field=f"lines.{index}.ingredient_id")
        seen.add(ingredient.id)
    document = open_document(session, actor, DocumentKind.COUNT, location_id=location_id,
                             client_id=client_id, note=note)
    books = theoretical(session, location_id, seen)
    moves = [Move(MovementKind.COUNT_ADJUSTMENT, ingredient.id, location_id,
                  quantity - books.get(ingredient.id, 0), document_id=document.id,
                  field=f"lines.{index}.quantity")
             for index, (ingredient, quantity) in enumerate(counted)
             if quantity != books.get(ingredient.id, 0)]
    post_document(session, actor, moves, {i.id: i.unit for i, _q in counted})
    record_audit(session, "stock.counted", actor=actor, subject=f"stock:{document.id}",
                 location_id=location_id,
                 lines=[{"ingredient_id": i.id, "counted": q, "books": books.get(i.id, 0)}
                        for i, q in counted])
    return document


def theoretical(session: Session, location_id: int, ingredient_ids: set[int]) -> dict[int, int]:
    """What the ledger says is there, read under the lock the count will post with."""
    rows = session.execute(select(StockLevel.ingredient_id, StockLevel.quantity).where(
        StockLevel.location_id == location_id, StockLevel.ingredient_id.in_(ingredient_ids))
        .with_for_update()).all()
    return dict(rows)


def transfer_stock(session: Session, actor: Actor | None, *, location_id: int,
                   to_location_id: int, lines: Sequence[Any], note: str | None = None,
                   client_id: str | None = None) -> StockDocument:
    """From one location to another, at its value there (the average moves with it)."""
    earlier = earlier_document(session, client_id)
    if earlier is not None:
        return earlier
    get_location(session, location_id)
    get_location(session, to_location_id, "to_location_id")
    if to_location_id == location_id:
        raise InvalidInput(_("Choose another location to move it to."),
                           field="to_location_id")
    moving = amounts(session, lines)
    document = open_document(session, actor, DocumentKind.TRANSFER, location_id=location_id,
                             to_location_id=to_location_id, client_id=client_id, note=note)
    units = {i.id: i.unit for i, _q in moving}
    out = [Move(MovementKind.TRANSFER_OUT, ingredient.id, location_id, -quantity,
                document_id=document.id, field=f"lines.{index}.quantity")
           for index, (ingredient, quantity) in enumerate(moving)]
    post_document(session, actor, out, units)
    # What went out, at the value it took, comes in at the other end.
    taken = session.execute(select(StockMovement.ingredient_id, StockMovement.quantity,
                                   StockMovement.value).where(
        StockMovement.document_id == document.id).order_by(StockMovement.id)).all()
    post_document(session, actor, [
        Move(MovementKind.TRANSFER_IN, ingredient_id, to_location_id, -quantity, value=-value,
             document_id=document.id) for ingredient_id, quantity, value in taken], units)
    record_audit(session, "stock.transferred", actor=actor, subject=f"stock:{document.id}",
                 location_id=location_id, to_location_id=to_location_id,
                 lines=[{"ingredient_id": i.id, "thousandths": q} for i, q in moving])
    return document


def level_at(session: Session, ingredient_id: int, location_id: int) -> Level:
    row = session.execute(select(StockLevel.quantity, StockLevel.value).where(
        StockLevel.ingredient_id == ingredient_id,
        StockLevel.location_id == location_id)).first()
    return Level(*row) if row else Level(0, 0)

