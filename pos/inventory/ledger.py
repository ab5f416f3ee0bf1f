"""The stock ledger: every change is a movement row, and each ingredient's level at a
location (quantity and value) follows in the same transaction.

``post(...)`` is the one way in: it locks the levels it touches (a second send racing
for the last portion waits here, then sees what the first left), refuses to take more
than is there (naming the field the caller gives), values what goes out at the moving
average (integer shares, so the value reaches 0 exactly with the quantity), writes the
levels and movements in one statement each, and then applies the real-time rules: an
alert below the reorder point, an 86 for whatever can no longer be made, and back again
when stock returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pos.core.alerts import Alert, announce_alert, open_alert, raise_alert
from pos.core.db import utcnow
from pos.core.errors import Conflict, MasaError
from pos.inventory.models import MovementKind, StockLevel, StockMovement, StockOut
from pos.inventory.reference import InventoryReference, inventory_reference
from pos.inventory.units import UNITS, round_half_up, share
from pos.menu.models import MenuItem, Modifier
from pos.menu.operations import announce_availability

ALERT_KIND = "low_stock"
ALERT_ROOMS = (("/office", "office"), ("/floor", "managers"))
LEVELS = StockLevel.__table__
MOVEMENTS = StockMovement.__table__
Key = tuple[int, int]  # (ingredient, location)


@dataclass
class Move:
    kind: MovementKind
    ingredient_id: int
    location_id: int
    quantity: int  # signed thousandths of the base unit
    # Its value: coming in, None is at the average; going out, None is its share.
    value: int | None = None
    line_id: int | None = None
    document_id: int | None = None
    reason: str | None = None
    field: str = "lines"  # what a refusal names


@dataclass(frozen=True)
class Level:
    quantity: int
    value: int


Shortage = Callable[[Move, int], MasaError]  # the move that cannot be covered, what is there


def not_enough(move: Move, on_hand: int) -> MasaError:
    return Conflict(_("There is not that much in stock."), field=move.field,
                    code="not_enough_stock")


READ_LEVELS = select(LEVELS.c.ingredient_id, LEVELS.c.location_id, LEVELS.c.quantity,
                     LEVELS.c.value).where(
    LEVELS.c.ingredient_id.in_(bindparam("ingredients", expanding=True)),
    LEVELS.c.location_id.in_(bindparam("locations", expanding=True))) \
    .order_by(LEVELS.c.ingredient_id, LEVELS.c.location_id)
# Always in the same order: two sends locking the same levels never deadlock.
LOCK_LEVELS = READ_LEVELS.with_for_update()
WRITE_LEVEL = update(LEVELS).where(LEVELS.c.ingredient_id == bindparam("k_ingredient"),
                                   LEVELS.c.location_id == bindparam("k_location")) \
    .values(quantity=bindparam("k_quantity"), value=bindparam("k_value"))
WRITE_MOVEMENTS = insert(MOVEMENTS)


def read_levels(session: Session, keys: Iterable[Key], *, lock: bool) -> dict[Key, Level]:
    keys = set(keys)
    if not keys:
        return {}
    connection = session.connection()
    ingredients = sorted({k[0] for k in keys})
    locations = sorted({k[1] for k in keys})
    mark = PLACEHOLDERS.get(connection.dialect.paramstyle)
    if mark is None:
        rows = connection.execute(LOCK_LEVELS if lock else READ_LEVELS, {
            "ingredients": ingredients, "locations": locations})
    else:  # as the driver takes it: a send reads its levels on every tap
        locking = " FOR UPDATE" if lock and connection.dialect.name == "postgresql" else ""
        rows = connection.exec_driver_sql(
            "SELECT ingredient_id, location_id, quantity, value FROM stock_levels "
            f"WHERE ingredient_id IN ({', '.join([mark] * len(ingredients))}) "
            f"AND location_id IN ({', '.join([mark] * len(locations))}) "
            f"ORDER BY ingredient_id, location_id{locking}", (*ingredients, *locations))
    return {(i, loc): Level(q, v) for i, loc, q, v in rows if (i, loc) in keys}


def create_missing_levels(session: Session, keys: set[Key]) -> None:
    """Levels start at nothing; two transactions creating the same one both go on."""
    dialect = session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert_(StockLevel).on_conflict_do_nothing(
        index_elements=["ingredient_id", "location_id"]),
        [{"ingredient_id": i, "location_id": loc, "quantity": 0, "value": 0}
         for i, loc in sorted(keys)])


def post(session: Session, moves: list[Move], *, staff_id: int | None,
         device_id: int | None, shortage: Shortage = not_enough,
         ref: InventoryReference | None = None) -> dict[Key, tuple[Level, Level]]:
    """Write ``moves`` to the ledger and the levels; each level's before and after."""
    if not moves:
        return {}
    ref = ref or inventory_reference(session)
    keys = {(m.ingredient_id, m.location_id) for m in moves}
    levels = lock_levels(session, keys)
    before = dict(levels)
    now = utcnow()
    rows = []
    for move in moves:
        key = (move.ingredient_id, move.location_id)
        level = levels[key]
        if move.quantity < 0:
            if level.quantity + move.quantity < 0:
                raise shortage(move, level.quantity)
            if level.quantity + move.quantity == 0:
                value = -level.value  # the last of it takes the rest of the value
            elif move.value is not None:  # going out as it came in (a void's waste)
                value = -min(move.value, level.value)
            else:
                value = -share(level.value, -move.quantity, level.quantity)
        elif move.value is not None:
            value = move.value
        else:
            value = value_at_average(ref, move, level)
        levels[key] = Level(level.quantity + move.quantity, level.value + value)
        rows.append((move.kind, move.ingredient_id, move.location_id, move.quantity, value,
                     now, staff_id, device_id, move.line_id, move.document_id, move.reason))
    write_rows(session.connection(), levels, sorted(keys), rows)
    changes = {key: (before[key], levels[key]) for key in keys}
    follow_stock(session, ref, changes)
    return changes


MOVEMENT_COLUMNS = ("kind", "ingredient_id", "location_id", "quantity", "value", "at",
                    "by_staff_id", "by_device_id", "line_id", "document_id", "reason")
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def write_rows(connection: Connection, levels: dict[Key, Level], keys: list[Key],
               rows: list[tuple]) -> None:
    """The levels, then the movements, each kind in one executemany. Handed to the driver
    as plain tuples: a send writes a dozen of each, and building SQLAlchemy's parameters
    for every row cost more than the writing (the values are bound as the columns' own
    types bind them)."""
    mark = PLACEHOLDERS.get(connection.dialect.paramstyle)
    if mark is None:  # a driver of another style: SQLAlchemy's own way
        connection.execute(WRITE_LEVEL, [
            {"k_ingredient": i, "k_location": loc, "k_quantity": levels[i, loc].quantity,
             "k_value": levels[i, loc].value} for i, loc in keys])
        connection.execute(WRITE_MOVEMENTS, [dict(zip(MOVEMENT_COLUMNS, row, strict=True))
                                             for row in rows])
        return
    connection.exec_driver_sql(
        f"UPDATE stock_levels SET quantity = {mark}, value = {mark} "
        f"WHERE ingredient_id = {mark} AND location_id = {mark}",
        [(levels[key].quantity, levels[key].value, *key) for key in keys])
    binders = [MOVEMENTS.c[name].type._cached_bind_processor(connection.dialect)
               for name in MOVEMENT_COLUMNS]
    for index, bind in enumerate(binders):
        if bind is not None:  # the kind and the time: a few values, each bound once
            bound = {value: bind(value) for value in {row[index] for row in rows}}
            rows = [(*row[:index], bound[row[index]], *row[index + 1:]) for row in rows]
    connection.exec_driver_sql(
        f"INSERT INTO stock_movements ({', '.join(MOVEMENT_COLUMNS)}) "
        f"VALUES ({', '.join([mark] * len(MOVEMENT_COLUMNS))})", rows)


def lock_levels(session: Session, keys: set[Key]) -> dict[Key, Level]:
    levels = read_levels(session, keys, lock=True)
    missing = keys - set(levels)
    if missing:
        create_missing_levels(session, missing)
        levels |= read_levels(session, missing, lock=True)
    return levels


def value_at_average(ref: InventoryReference, move: Move, level: Level) -> int:
    """Stock coming in with no price of its own (a void's return, a count finding more):
    at the average of what is there, else at the ingredient's cost."""
    if level.quantity > 0:
        return share(level.value, move.quantity, level.quantity)
    ingredient = ref.ingredients.get(move.ingredient_id)
    if ingredient is None:
        return 0
    return round_half_up(Fraction(ingredient.cost * move.quantity, UNITS[ingredient.unit][1]))


# --- the real-time rules ------------------------------------------------------------------

def follow_stock(session: Session, ref: InventoryReference,
                 changes: dict[Key, tuple[Level, Level]]) -> None:
    for (ingredient_id, location_id), (before, after) in sorted(changes.items()):
        ingredient = ref.ingredients.get(ingredient_id)
        if ingredient is not None and ingredient.reorder_point is not None:
            follow_reorder_point(session, ref, ingredient_id, location_id, before, after)
    fallen = {key: after.quantity for key, (before, after) in changes.items()
              if after.quantity < before.quantity}
    if fallen:
        eighty_six_what_cannot_be_made(session, ref, fallen)
    if any(after.quantity > before.quantity for before, after in changes.values()):
        bring_back_what_can_be_made(session, ref)


def alert_subject(ingredient_id: int, location_id: int) -> str:
    return f"stock:{ingredient_id}:{location_id}"


def follow_reorder_point(session: Session, ref: InventoryReference, ingredient_id: int,
                         location_id: int, before: Level, after: Level) -> None:
    """Crossing the reorder point raises (or clears) one alert, to the office and the
    managers' tablets; staying below it says nothing again."""
    ingredient = ref.ingredients.get(ingredient_id)
    if ingredient is None or ingredient.reorder_point is None:
        return
    point = ingredient.reorder_point
    if after.quantity < point <= before.quantity:
        raise_alert(session, kind=ALERT_KIND, subject=alert_subject(ingredient_id, location_id),
                    rooms=ALERT_ROOMS, message={
                        "key": ALERT_KIND, "ingredient_id": ingredient_id,
                        "ingredient": ingredient.names, "location_id": location_id,
                        "unit": ingredient.unit, "quantity": after.quantity,
                        "reorder_point": point})
    elif before.quantity < point <= after.quantity:
        alert = open_alert(session, alert_subject(ingredient_id, location_id))
        if alert is not None:
            clear_alert(session, alert)


def clear_alert(session: Session, alert: Alert) -> None:
    alert.cleared_at = utcnow()
    session.flush()
    announce_alert(session, alert, ALERT_ROOMS)


MODELS = {"item": MenuItem, "modifier": Modifier}


def eighty_six_what_cannot_be_made(session: Session, ref: InventoryReference,
                                   fallen: dict[Key, int]) -> None:
    """Whatever can no longer be made once more from the stock left is 86'd on every
    tablet at once (with the menu's own event), and remembered as inventory's 86."""
    short: dict[str, set[int]] = {"item": set(), "modifier": set()}
    for (ingredient_id, location_id), left in fallen.items():
        for user in ref.users.get(ingredient_id, ()):
            if user.location_id == location_id and user.need > left:
                short[user.kind].add(user.thing_id)
    for kind, ids in short.items():
        if not ids:
            continue
        model = MODELS[kind]
        table = model.__table__
        rows = session.execute(select(table.c.id, table.c.count_left).where(
            table.c.id.in_(sorted(ids)), table.c.available.is_(True))).all()
        for thing_id, count_left in rows:
            session.execute(update(table).where(table.c.id == thing_id)
                            .values(available=False))
            remember_out(session, kind, thing_id)
            announce_availability(session, model, thing_id, False, count_left)


def remember_out(session: Session, kind: str, thing_id: int) -> None:
    """Inventory 86'd it (kept once: a manager may have brought it back by hand since)."""
    column = "item_id" if kind == "item" else "modifier_id"
    dialect = session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert_(StockOut).values({column: thing_id, "at": utcnow()})
                    .on_conflict_do_nothing(index_elements=[column]))


def bring_back_what_can_be_made(session: Session, ref: InventoryReference) -> None:
    """What inventory 86'd comes back once its stock covers a portion again (a manager's
    own 86 is never undone here)."""
    outs = session.execute(select(StockOut.id, StockOut.item_id, StockOut.modifier_id)).all()
    if not outs:
        return
    wanted = []
    for out_id, item_id, modifier_id in outs:
        if item_id is not None:
            needs, location = ref.items.get(item_id, {}), ref.location_of(item_id)
        else:
            needs, location = ref.modifiers.get(modifier_id, {}), ref.default_location_id
        wanted.append((out_id, "item" if item_id else "modifier", item_id or modifier_id,
                       {i: q for i, q in needs.items() if q > 0}, location))
    keys = {(i, loc) for *_rest, needs, loc in wanted if loc is not None for i in needs}
    levels = read_levels(session, keys, lock=False)
    for out_id, kind, thing_id, needs, location in wanted:
        covered = location is not None and all(
            levels.get((i, location), Level(0, 0)).quantity >= need
            for i, need in needs.items())
        if not covered:
            continue
        session.execute(delete(StockOut.__table__).where(StockOut.__table__.c.id == out_id))
        table = MODELS[kind].__table__
        row = session.execute(select(table.c.available, table.c.count_left)
                              .where(table.c.id == thing_id)).first()
        if row is not None and not row[0]:
            session.execute(update(table).where(table.c.id == thing_id).values(available=True))
            announce_availability(session, MODELS[kind], thing_id, True, row[1])
