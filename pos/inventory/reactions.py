"""How stock follows what ordering did, in ordering's transaction: a send depletes what
its lines are made of (item and choices, times the quantity, sub-recipes by their
yield), refusing a line the stock cannot cover (409 naming the item: the second of two
tablets racing for the last portion); a void returns what the kitchen had not started,
and records as waste what it had. Registered with ``pos.ordering.events`` when the app
is made."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from kitchen.models import Ticket, TicketLine
from pos.core.errors import MasaError
from pos.inventory.ledger import Move, post
from pos.inventory.models import MovementKind, StockMovement
from pos.inventory.reference import InventoryReference, inventory_reference
from pos.inventory.units import round_half_up
from pos.menu.models import MenuItem, Modifier
from pos.ordering.events import Delivery, LineSplit, LinesSent, LineVoided, reacting_to
from pos.ordering.lines import only_left
from pos.ordering.models import CourseProgress, OrderLine

SPLIT_FROM = "masa_inventory_split_from"
VOID_REASON = "void"


@reacting_to(LinesSent)
def deplete_stock_of_send(session: Session, sent: LinesSent) -> Delivery:
    ref = inventory_reference(session)
    if not ref.tracks_anything:
        return Delivery()
    moves: list[Move] = []
    whose: dict[int, tuple[int, object]] = {}  # id(move) → (line index, line)
    for index, line in enumerate(sent.lines):
        for move in line_moves(ref, line, MovementKind.SALE, line.quantity, -1,
                               field=f"lines.{index}.item_id"):
            whose[id(move)] = (index, line)
            moves.append(move)
    if moves:
        send = sent.send
        post(session, moves, staff_id=send.sent_by_id, device_id=send.sent_by_device_id,
             ref=ref, shortage=lambda move, on_hand: short_of(ref, session, move, on_hand,
                                                             *whose[id(move)]))
    return Delivery()


def modifier_ids_of(line) -> list[int]:
    return [m["modifier_id"] for m in line.modifiers or ()]


def line_moves(ref: InventoryReference, line, kind: MovementKind, quantity: int, sign: int,
               *, field: str) -> list[Move]:
    """The movements ``quantity`` portions of ``line`` make, rounded per ingredient."""
    location = ref.location_of(line.item_id)
    if location is None:
        return []
    return [Move(kind, ingredient_id, location, sign * amount, line_id=line.id, field=field)
            for ingredient_id, amount in ref.line_takes(
                line.item_id, tuple(modifier_ids_of(line)), quantity)]


def short_of(ref: InventoryReference, session: Session, move: Move, on_hand: int, index: int,
             line) -> MasaError:
    """The refusal names what cannot be made: the item, or the choice that asks for more
    than the item alone (extra cheese), with how many portions the stock still covers."""
    own = ref.items.get(line.item_id, {}).get(move.ingredient_id, Fraction(0))
    if own > 0 and own * line.quantity > on_hand:
        kind, thing_id, model, field = "item", line.item_id, MenuItem, move.field
    else:
        modifier_id = next((m for m in modifier_ids_of(line)
                            if ref.modifiers.get(m, {}).get(move.ingredient_id, 0) > 0),
                           None)
        if modifier_id is None:
            kind, thing_id, model, field = "item", line.item_id, MenuItem, move.field
        else:
            kind, thing_id, model = "modifier", modifier_id, Modifier
            field = move.field.rsplit(".", 1)[0] + ".modifier_ids"
    per_portion = ref.line_needs(line.item_id, modifier_ids_of(line)).get(move.ingredient_id)
    left = int(on_hand // per_portion) if per_portion else 0
    names = session.scalar(select(model.names).where(model.id == thing_id)) or {"en": "?"}
    return only_left(names, min(left, line.quantity - 1) if left else 0, field,
                     thing_id=thing_id, kind=kind)


@reacting_to(LineSplit)
def remember_split(session: Session, split: LineSplit) -> None:
    """A part voided in this transaction was sold as part of its line."""
    session.info.setdefault(SPLIT_FROM, {})[split.part.id] = split.line.id


@reacting_to(LineVoided)
def return_or_waste_voided_stock(session: Session, voided: LineVoided) -> None:
    """Not yet started in the kitchen: the stock goes back (void_return). Started, done,
    at the pass or served: it was used, so it goes back and out again as waste with the
    reason "void" (the sale is undone; the food cost sees the waste). Both refer to the
    line that was sold, so a line voided in parts returns, in the end, exactly its sale."""
    line = voided.line
    sold_as = session.info.get(SPLIT_FROM, {}).get(line.id, line.id)
    rows = session.execute(select(StockMovement.kind, StockMovement.ingredient_id,
                                  StockMovement.location_id, StockMovement.quantity,
                                  StockMovement.value).where(
        StockMovement.line_id == sold_as,
        StockMovement.kind.in_((MovementKind.SALE, MovementKind.VOID_RETURN)))).all()
    if not rows:
        return
    still_sold: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for _kind, ingredient_id, location_id, quantity, value in rows:
        still_sold[ingredient_id, location_id][0] -= quantity
        still_sold[ingredient_id, location_id][1] -= value
    portions = line.quantity if sold_as == line.id else (
        session.get(OrderLine, sold_as).quantity + line.quantity)
    prepared = was_prepared(session, voided.check, sold_as)
    moves = []
    for (ingredient_id, location_id), (quantity, value) in sorted(still_sold.items()):
        back = round_half_up(Fraction(quantity * line.quantity, portions))
        if back <= 0:
            continue
        worth = round_half_up(Fraction(value * back, quantity))
        moves.append(Move(MovementKind.VOID_RETURN, ingredient_id, location_id, back,
                          value=worth, line_id=sold_as))
        if prepared:
            moves.append(Move(MovementKind.WASTE, ingredient_id, location_id, -back,
                              value=worth, line_id=sold_as, reason=VOID_REASON))
    post(session, moves, staff_id=getattr(line, "voided_by_id", None), device_id=None,
         ref=inventory_reference(session))


def was_prepared(session: Session, check, line_id: int) -> bool:
    """The kitchen has started it: its station marked it (or its ticket) done, bumped it,
    expo called it, or its course is cooking or further on."""
    rows = session.execute(select(TicketLine.done_at, Ticket.first_line_done_at,
                                  Ticket.bumped_at, Ticket.ready_at, Ticket.served_at,
                                  Ticket.course_id)
                           .join(Ticket, Ticket.id == TicketLine.ticket_id)
                           .where(TicketLine.line_id == line_id)).all()
    if any(any(row[:5]) for row in rows):
        return True
    started = (CourseProgress.COOKING, CourseProgress.READY, CourseProgress.PICKED_UP)
    courses = {row[5] for row in rows if row[5] is not None}
    return any(c.course_id in courses and c.kitchen_state in started for c in check.courses)
