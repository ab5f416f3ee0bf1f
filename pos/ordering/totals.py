"""What a check comes to: per line, per tax rate, and in all.

Comps are recorded at full value and then taken off; discounts are taken off per line
first, then on the check, and a check discount is spread over the lines by their value
so each tax rate carries its fair share (the parts sum exactly to the whole).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos.core.money import TaxBreakdown, TaxMode, percent_of, split_by_weights, tax_breakdown
from pos.ordering.models import Check, LineStatus, OrderLine

if TYPE_CHECKING:
    from pos.ordering.lines import WrittenLine


@dataclass(frozen=True)
class LineTotal:
    line_id: int
    gross: int  # price with modifiers × quantity
    comp: int
    discount: int  # the line's own discount plus its share of the check's
    total: int


@dataclass(frozen=True)
class CheckTotals:
    lines: tuple[LineTotal, ...]
    subtotal: int
    comps: int
    discounts: int
    total: int
    tax: TaxBreakdown


def line_discount(line: OrderLine, gross: int) -> int:
    if line.discount_bp:
        return percent_of(gross, line.discount_bp)
    return min(line.discount_amount or 0, gross)


def check_totals(check: Check, tax_mode: TaxMode,
                 lines: Iterable[OrderLine | WrittenLine] | None = None) -> CheckTotals:
    """The check's totals; with ``lines``, as if those were its lines (a send's answer,
    a quote with draft lines)."""
    lines = [line for line in (check.lines if lines is None else lines)
             if line.status is not LineStatus.VOID]
    partial = []
    for line in lines:
        gross = line.gross
        comp = gross if line.comped else 0
        discount = 0 if line.comped else line_discount(line, gross)
        partial.append((line, gross, comp, discount))
    after_lines = sum(gross - comp - discount for _l, gross, comp, discount in partial)
    if check.discount_bp:
        check_discount = percent_of(after_lines, check.discount_bp)
    else:
        check_discount = min(check.discount_amount or 0, after_lines)
    weights = [gross - comp - discount for _l, gross, comp, discount in partial]
    shares = (split_by_weights(check_discount, weights) if check_discount and sum(weights)
              else [0] * len(partial))
    totals = tuple(
        LineTotal(line.id, gross, comp, discount + share, gross - comp - discount - share)
        for (line, gross, comp, discount), share in zip(partial, shares, strict=True))
    tax = tax_breakdown(((t.total, line.tax_rate_bp) for t, line in zip(totals, lines,
                                                                           strict=True)),
                        tax_mode)
    return CheckTotals(
        lines=totals,
        subtotal=sum(t.gross for t in totals),
        comps=sum(t.comp for t in totals),
        discounts=sum(t.discount for t in totals),
        total=tax.gross,
        tax=tax,
    )
