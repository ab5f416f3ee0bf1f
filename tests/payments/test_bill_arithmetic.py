"""Every way of splitting a check sums back to the check, to the ban and per tax rate,
and a paid bill never moves. Random checks and random splits (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.core.money import TaxMode
from pos.ordering.models import Check, LineStatus, OrderLine
from pos.ordering.totals import check_totals
from pos.payments.bills import figure_bills
from pos.payments.models import Bill, BillKind, BillPortion, BillStatus

RATES = [2100, 1100, 0]


@st.composite
def checks(draw):
    count = draw(st.integers(1, 12))
    lines = []
    for index in range(count):
        lines.append(OrderLine(
            id=index + 1, unit_price=draw(st.integers(0, 50_000)),
            modifiers_price=draw(st.integers(0, 500)), quantity=draw(st.integers(1, 6)),
            tax_rate_bp=draw(st.sampled_from(RATES)), seat=draw(st.none() | st.integers(1, 4)),
            status=draw(st.sampled_from([LineStatus.SENT] * 5 + [LineStatus.VOID])),
            comped=draw(st.booleans()) and draw(st.booleans()),
            discount_bp=draw(st.none() | st.integers(0, 10_000)), discount_amount=None))
    check = Check(id=1, lines=lines, discount_bp=draw(st.none() | st.integers(0, 5_000)),
                  discount_amount=None)
    return check


def bill(number: int, kind: BillKind, *, portions=(), fixed: int | None = None) -> Bill:
    return Bill(id=number, check_id=1, number=number, kind=kind, fixed_amount=fixed,
                status=BillStatus.OPEN, portions=[
                    BillPortion(line_id=line_id, numerator=f.numerator, denominator=f.denominator)
                    for line_id, f in portions])


@st.composite
def splits(draw, check: Check):
    """Bills as the cashier could make them: seats, picked lines and fractions, even
    parts, fixed amounts, in any mix."""
    lines = [line.id for line in check.lines]
    bills, number = [], 0
    held: dict[int, Fraction] = {}
    for _ in range(draw(st.integers(0, 4))):
        number += 1
        kind = draw(st.sampled_from([BillKind.ITEMS, BillKind.SEAT, BillKind.EVEN,
                                     BillKind.AMOUNT, BillKind.WHOLE]))
        if kind in (BillKind.ITEMS, BillKind.SEAT):
            portions = []
            for line_id in draw(st.lists(st.sampled_from(lines), unique=True, max_size=4)):
                free = 1 - held.get(line_id, Fraction(0))
                if free <= 0:
                    continue
                part = free * Fraction(draw(st.integers(1, 3)), 3)
                held[line_id] = held.get(line_id, Fraction(0)) + part
                portions.append((line_id, part))
            bills.append(bill(number, kind, portions=portions))
        elif kind is BillKind.AMOUNT:
            bills.append(bill(number, kind, fixed=draw(st.integers(0, 5_000))))
        else:
            bills.append(bill(number, kind))
    return bills


def assert_reconciles(check: Check, figures, mode: TaxMode) -> None:
    totals = check_totals(check, mode)
    for tax_line in totals.tax.lines:
        rate = tax_line.rate_bp
        assert sum(f.gross_by_rate.get(rate, 0) for f in figures) == tax_line.gross
        assert sum(f.tax_by_rate.get(rate, 0) for f in figures) == tax_line.tax
    assert sum(f.total for f in figures) == totals.total


@settings(max_examples=300, deadline=None)
@given(data=st.data(), mode=st.sampled_from(list(TaxMode)))
def test_any_split_sums_to_the_check_per_rate(data, mode):
    check = data.draw(checks())
    bills = data.draw(splits(check))
    assert_reconciles(check, figure_bills(check, bills, mode), mode)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), mode=st.sampled_from(list(TaxMode)))
def test_a_paid_bill_keeps_its_amounts_and_the_rest_still_sums(data, mode):
    check = data.draw(checks())
    bills = data.draw(splits(check))
    figures = figure_bills(check, bills, mode)
    paying = data.draw(st.sampled_from([f for f in figures if f.bill is not None])) \
        if any(f.bill is not None for f in figures) else None
    if paying is None:
        return
    paying.bill.status = BillStatus.PAID
    paying.bill.tax = [{"rate_bp": t.rate_bp, "net": t.net, "tax": t.tax} for t in paying.tax]
    paid_total = paying.total
    after = figure_bills(check, bills, mode)
    assert next(f for f in after if f.number == paying.number).total == paid_total
    assert_reconciles(check, after, mode)


def test_even_parts_differ_by_at_most_a_ban_per_rate():
    lines = [OrderLine(id=1, unit_price=10_00, modifiers_price=0, quantity=1, tax_rate_bp=2100,
                       status=LineStatus.SENT, comped=False, discount_bp=None,
                       discount_amount=None)]
    check = Check(id=1, lines=lines, discount_bp=None, discount_amount=None)
    figures = figure_bills(check, [bill(n, BillKind.EVEN) for n in (1, 2, 3)], TaxMode.INCLUSIVE)
    assert [f.total for f in figures] == [334, 333, 333]


def test_a_bottle_shared_by_three_is_a_third_on_each_bill():
    bottle = OrderLine(id=1, unit_price=100_00, modifiers_price=0, quantity=1, tax_rate_bp=2100,
                       status=LineStatus.SENT, comped=False, discount_bp=None,
                       discount_amount=None)
    check = Check(id=1, lines=[bottle], discount_bp=None, discount_amount=None)
    third = Fraction(1, 3)
    bills = [bill(n, BillKind.ITEMS, portions=[(1, third)]) for n in (1, 2, 3)]
    figures = figure_bills(check, bills, TaxMode.INCLUSIVE)
    assert [f.total for f in figures] == [33_34, 33_33, 33_33]
    assert all(f.lines[0].fraction == third for f in figures)
