"""What a check would come to with the lines a waiter has tapped but not sent yet.

The tablet shows the server's figures, never its own sums: a tax-exclusive venue adds tax
on top, a discount on the whole check is shared over every line, and only
``check_totals`` knows both. A quote builds the draft lines as a send would (so an
invalid or 86'd line is refused naming ``lines.N.…``), prices them with the check's own
lines, and writes nothing: the lines are never added to the check or the session.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.core.errors import Conflict, NotFound
from pos.ordering.lines import (
    Availability,
    LineRequest,
    Portions,
    build_line,
    only_left,
    read_availability,
)
from pos.ordering.models import Check, CheckStatus, OrderLine
from pos.ordering.operations import refuse_when_day_closed
from pos.ordering.reference import Reference, reference
from pos.ordering.totals import CheckTotals, LineTotal, check_totals


@dataclass(frozen=True)
class QuotedLine:
    index: int  # where the line stood in the request
    client_id: str | None
    total: LineTotal


@dataclass(frozen=True)
class Quote:
    check: Check
    lines: tuple[QuotedLine, ...]  # the draft lines that would be added, as priced
    totals: CheckTotals


def quote_check(session: Session, actor: Actor, check_id: int,
                requests: list[LineRequest]) -> Quote:
    check = session.get(Check, check_id)
    if check is None:
        raise NotFound(_("There is no such check."), field="check_id")
    if check.status is not CheckStatus.OPEN:
        raise Conflict(_("This check is closed."), field="check_id", code="check_closed")
    refuse_when_day_closed(session)
    # As a send does: a line whose client id is already on a check is not added again
    # (its first send went through and only the answer was lost).
    indexed = list(enumerate(requests))
    known = {r.client_id for r in requests if r.client_id}
    if known:
        existing = set(session.scalars(select(OrderLine.client_id)
                                       .where(OrderLine.client_id.in_(known))))
        indexed = [(i, r) for i, r in indexed if r.client_id not in existing]
    ref = reference(session)
    live = read_availability(session, [r for _i, r in indexed])
    with session.no_autoflush:
        draft = [build_line(ref, live, request, check_id=check.id, actor=actor,
                            field_prefix=f"lines.{index}") for index, request in indexed]
    refuse_beyond_counts(ref, live, indexed)
    totals = check_totals(check, ref.tax_mode, list(check.lines) + draft)
    drafted = totals.lines[len(totals.lines) - len(draft):] if draft else ()
    return Quote(check=check, totals=totals, lines=tuple(
        QuotedLine(index, request.client_id, total)
        for (index, request), total in zip(indexed, drafted, strict=True)))


def refuse_beyond_counts(ref: Reference, live: Availability,
                         indexed: list[tuple[int, LineRequest]]) -> None:
    """Lines that each fit an 86 count may not fit it together: the send would refuse them
    (naming the first line of that item), so the quote does too, without counting down."""
    portions = Portions.of((index, r.item_id, r.quantity, r.modifier_ids)
                           for index, r in indexed).counted(live)
    for kind, wanted, counts, shapes in (
            ("item_id", portions.items, live.items, ref.items),
            ("modifier_ids", portions.modifiers, live.modifiers, ref.modifiers)):
        for thing_id, quantity in wanted.items():
            left = counts[thing_id][1]
            if left is not None and left < quantity:
                raise only_left(shapes[thing_id].names, left, portions.field(kind, thing_id),
                                thing_id=thing_id, kind=kind.split("_")[0])
