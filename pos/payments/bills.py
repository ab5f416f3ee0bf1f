"""What each bill of a check comes to, to the last ban, per tax rate.

Per tax rate, the check's gross is first shared over its lines (largest remainder), then
each line's share over the bills holding a portion of it. Every bill gets exactly what
its portions cost (a seat, some items, a third of a bottle); a bill of a fixed amount
gets that amount, spread over the rates in proportion to what is left; the bills that
share the rest (the whole check, or n even parts) share it equally. Tax per rate is shared over
the open bills by their gross at that rate. Paid bills keep what they were paid at.

So, per rate, the bills' gross and tax always sum to the check's, whatever was split,
moved or paid in between.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from pos.core.money import TaxLine, TaxMode, split_by_weights, split_evenly
from pos.ordering.models import Check, LineStatus, OrderLine
from pos.ordering.totals import CheckTotals, check_totals
from pos.payments.models import Bill, BillKind, BillStatus

POOL_KINDS = (BillKind.WHOLE, BillKind.EVEN)  # they share what no bill holds


@dataclass
class BillLine:
    line_id: int
    fraction: Fraction  # of the line on this bill
    amount: int  # its gross on this bill


@dataclass
class BillFigures:
    """One bill as the cashier sees it. ``bill`` is None for the bill that the lines
    ordered after a split land on until it is first used (it is made then)."""

    bill: Bill | None
    number: int
    kind: BillKind
    seat: int | None
    paid: bool
    gross_by_rate: dict[int, int] = field(default_factory=dict)
    tax_by_rate: dict[int, int] = field(default_factory=dict)
    lines: list[BillLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.gross_by_rate.values())

    @property
    def tax(self) -> tuple[TaxLine, ...]:
        return tuple(TaxLine(rate_bp=rate, net=gross - self.tax_by_rate.get(rate, 0),
                             tax=self.tax_by_rate.get(rate, 0))
                     for rate, gross in sorted(self.gross_by_rate.items(), reverse=True))


def live_lines(check: Check) -> list[OrderLine]:
    return [line for line in check.lines if line.status is not LineStatus.VOID]


def figure_bills(check: Check, bills: Sequence[Bill], tax_mode: TaxMode,
                 totals: CheckTotals | None = None) -> list[BillFigures]:
    """Every bill of ``check`` with its amounts; the parts sum to the check per rate."""
    totals = totals or check_totals(check, tax_mode)
    lines = live_lines(check)
    rate_of = {line.id: line.tax_rate_bp for line in lines}
    line_gross = gross_per_line(totals, rate_of)
    check_gross = {t.rate_bp: t.gross for t in totals.tax.lines}
    check_tax = {t.rate_bp: t.tax for t in totals.tax.lines}
    rates = sorted(check_gross, reverse=True)

    figures = [BillFigures(bill=b, number=b.number, kind=b.kind, seat=b.seat,
                           paid=b.status is BillStatus.PAID) for b in bills]
    paid = [f for f in figures if f.paid]
    open_ = [f for f in figures if not f.paid]
    for figure in paid:
        for entry in figure.bill.tax or []:
            figure.gross_by_rate[entry["rate_bp"]] = entry["net"] + entry["tax"]
            figure.tax_by_rate[entry["rate_bp"]] = entry["tax"]
        figure.lines = [BillLine(e["line_id"], Fraction(e["fraction"]), e["amount"])
                        for e in figure.bill.lines or []]
    left = {rate: check_gross[rate] - sum(f.gross_by_rate.get(rate, 0) for f in paid)
            for rate in rates}
    tax_left = {rate: check_tax[rate] - sum(f.tax_by_rate.get(rate, 0) for f in paid)
                for rate in rates}

    pooled_units = share_lines(figures, line_gross, rate_of, lines)
    for figure in open_:
        for bill_line in figure.lines:
            rate = rate_of[bill_line.line_id]
            figure.gross_by_rate[rate] = figure.gross_by_rate.get(rate, 0) + bill_line.amount
    base = {rate: left[rate] - sum(f.gross_by_rate.get(rate, 0) for f in open_)
            for rate in rates}
    for figure in open_:
        if figure.kind is BillKind.AMOUNT and rates:
            weights = [max(base[rate], 0) for rate in rates]
            if not sum(weights):
                weights = [max(check_gross[rate], 0) for rate in rates]
            if not sum(weights):
                weights = [1] * len(rates)
            shares = split_by_weights(figure.bill.fixed_amount or 0, weights)
            for rate, share in zip(rates, shares, strict=True):
                figure.gross_by_rate[rate] = figure.gross_by_rate.get(rate, 0) + share
                base[rate] -= share
    pool = base
    pool_bills = [f for f in open_ if f.kind in POOL_KINDS]
    if not pool_bills and any(pool.values()):
        rest = BillFigures(bill=None, number=max((f.number for f in figures), default=0) + 1,
                           kind=BillKind.WHOLE, seat=None, paid=False)
        figures.append(rest)
        open_.append(rest)
        pool_bills = [rest]
    share_pool(pool_bills, pool, rates)
    for figure in pool_bills:
        figure.lines += [BillLine(line_id, Fraction(1, len(pool_bills)) * fraction,
                                  amount // len(pool_bills))
                         for line_id, (fraction, amount) in pooled_units.items()]
    share_tax(open_, tax_left, rates)
    return sorted(figures, key=lambda f: f.number)


def gross_per_line(totals: CheckTotals, rate_of: dict[int, int]) -> dict[int, int]:
    """Each line's part of its rate's gross (the gross includes tax added on top)."""
    gross: dict[int, int] = {}
    by_rate: dict[int, list[tuple[int, int]]] = {}
    for line_total in totals.lines:
        by_rate.setdefault(rate_of[line_total.line_id], []).append(
            (line_total.line_id, max(line_total.total, 0)))
    for tax_line in totals.tax.lines:
        entries = by_rate.get(tax_line.rate_bp, [])
        weights = [units for _id, units in entries]
        shares = (split_by_weights(tax_line.gross, weights) if sum(weights)
                  else [0] * len(entries))
        gross.update((line_id, share) for (line_id, _u), share in zip(entries, shares,
                                                                       strict=True))
    return gross


def share_lines(figures: list[BillFigures], line_gross: dict[int, int],
                rate_of: dict[int, int], lines: Iterable[OrderLine]
                ) -> dict[int, tuple[Fraction, int]]:
    """Split each line's gross over the bills holding portions of it; what no bill holds
    is pooled (line id → (fraction, gross)) for the bills that share the rest."""
    holders: dict[int, list[tuple[BillFigures, Fraction]]] = {}
    for figure in figures:
        for portion in (figure.bill.portions if figure.bill else []):
            if portion.line_id in rate_of:
                holders.setdefault(portion.line_id, []).append(
                    (figure, Fraction(portion.numerator, portion.denominator)))
    pooled: dict[int, tuple[Fraction, int]] = {}
    for line in lines:
        held = holders.get(line.id, [])
        unheld = max(Fraction(1) - sum((f for _b, f in held), Fraction(0)), Fraction(0))
        fractions = [f for _b, f in held] + [unheld]
        common = math.lcm(*(f.denominator for f in fractions))
        weights = [int(f * common) for f in fractions]
        gross = line_gross.get(line.id, 0)
        shares = split_by_weights(gross, weights) if sum(weights) else [0] * len(weights)
        for (figure, fraction), share in zip(held, shares, strict=False):
            if not figure.paid:  # a paid bill keeps the lines it was paid with
                figure.lines.append(BillLine(line.id, fraction, share))
        if unheld:
            pooled[line.id] = (unheld, shares[-1])
    return pooled


def share_pool(pool_bills: list[BillFigures], pool: dict[int, int], rates: list[int]) -> None:
    """The rest in equal parts (on top of any lines a part holds itself): each part's
    total first, then spread over the rates; the last part takes what rounding left at
    each rate."""
    if not pool_bills:
        return
    parts = split_evenly(sum(pool.values()), len(pool_bills))
    weights = [max(pool[rate], 0) for rate in rates]
    taken = dict.fromkeys(rates, 0)
    for figure, part in zip(pool_bills[:-1], parts, strict=False):
        shares = split_by_weights(part, weights) if sum(weights) else [0] * len(rates)
        if not sum(weights) and rates:
            shares[0] = part
        for rate, share in zip(rates, shares, strict=True):
            figure.gross_by_rate[rate] = figure.gross_by_rate.get(rate, 0) + share
            taken[rate] += share
    last = pool_bills[-1].gross_by_rate
    for rate in rates:
        last[rate] = last.get(rate, 0) + pool[rate] - taken[rate]


def share_tax(open_bills: list[BillFigures], tax_left: dict[int, int], rates: list[int]) -> None:
    if not open_bills:
        return
    for rate in rates:
        weights = [max(f.gross_by_rate.get(rate, 0), 0) for f in open_bills]
        if sum(weights):
            shares = split_by_weights(tax_left[rate], weights)
        else:
            shares = [tax_left[rate]] + [0] * (len(open_bills) - 1)
        for figure, share in zip(open_bills, shares, strict=True):
            figure.tax_by_rate[rate] = share
            figure.gross_by_rate.setdefault(rate, 0)
