"""Money is exact: integer minor units, splits that sum to the whole, tax per rate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.core.money import (
    TaxMode,
    divide_rounded,
    format_money,
    from_decimal,
    percent_of,
    split_by_weights,
    split_evenly,
    tax_breakdown,
    tax_of,
)

amounts = st.integers(min_value=-10**12, max_value=10**12)
rates = st.sampled_from([0, 500, 900, 1100, 1900, 2100, 2500])


@given(amounts, st.integers(min_value=1, max_value=50))
def test_an_even_split_sums_to_the_whole_and_differs_by_at_most_one_unit(amount, parts):
    shares = split_evenly(amount, parts)
    assert sum(shares) == amount
    assert len(shares) == parts
    assert max(shares) - min(shares) <= 1


@given(amounts, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30)
       .filter(lambda ws: sum(ws) > 0))
def test_a_weighted_split_sums_to_the_whole_and_stays_within_a_unit_of_fair(amount, weights):
    shares = split_by_weights(amount, weights)
    assert sum(shares) == amount
    total = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share * total - amount * weight) < total  # off by less than one unit
        if weight == 0:
            assert share == 0


def test_the_first_parts_carry_the_extra_units():
    assert split_evenly(100, 3) == [34, 33, 33]
    assert split_evenly(-100, 3) == [-34, -33, -33]
    assert split_by_weights(1000, [1, 2]) == [333, 667]


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**8), rates), max_size=40))
def test_inclusive_tax_breakdown_reconciles_with_the_total(lines):
    breakdown = tax_breakdown(lines, TaxMode.INCLUSIVE)
    assert breakdown.gross == sum(amount for amount, _ in lines)
    assert breakdown.net + breakdown.tax == breakdown.gross
    for line in breakdown.lines:
        assert 0 <= line.tax <= line.gross


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**8), rates), max_size=40))
def test_exclusive_tax_is_added_on_top(lines):
    breakdown = tax_breakdown(lines, TaxMode.EXCLUSIVE)
    assert breakdown.net == sum(amount for amount, _ in lines)
    assert breakdown.gross == breakdown.net + breakdown.tax


def test_romanian_rates_on_a_receipt():
    # 121.00 RON of food at 21 % holds 21.00 tax; 11.10 RON at 11 % holds 1.10.
    breakdown = tax_breakdown([(12100, 2100), (1110, 1100)], TaxMode.INCLUSIVE)
    assert [(line.rate_bp, line.net, line.tax) for line in breakdown.lines] == [
        (2100, 10000, 2100), (1100, 1000, 110)]
    assert tax_of(1000, 2100, TaxMode.EXCLUSIVE) == 210


def test_tax_is_taken_once_per_rate_not_per_line():
    # Three 0.05 lines at 21 %: per line each rounds to 0.01 (0.03); on the sum, 0.15 → 0.03.
    assert tax_breakdown([(5, 2100)] * 3, TaxMode.INCLUSIVE).tax == tax_of(15, 2100,
                                                                           TaxMode.INCLUSIVE)


def test_rounding_is_half_away_from_zero():
    assert divide_rounded(5, 10) == 1
    assert divide_rounded(-5, 10) == -1
    assert divide_rounded(4, 10) == 0
    assert percent_of(1999, 1000) == 200


@pytest.mark.parametrize(("amount", "currency", "locale", "shown"), [
    (1250, "RON", "ro_RO", "12,50\xa0RON"),
    (123456, "RON", "ro_RO", "1.234,56\xa0RON"),
    (1250, "EUR", "en_IE", "€12.50"),
    (1250, "USD", "en_US", "$12.50"),
    (-99, "USD", "en_US", "-$0.99"),
    (1250, "JPY", "en_US", "¥1,250"),
])
def test_amounts_are_shown_in_the_venue_locale(amount, currency, locale, shown):
    assert format_money(amount, currency, locale) == shown


def test_parsing_refuses_fractions_of_a_minor_unit():
    assert from_decimal("12.50", "RON") == 1250
    assert from_decimal("1250", "JPY") == 1250
    with pytest.raises(ValueError):
        from_decimal("12.505", "RON")


@pytest.mark.parametrize("bad", [
    lambda: split_evenly(100, 0),
    lambda: split_by_weights(100, []),
    lambda: split_by_weights(100, [0, 0]),
    lambda: split_by_weights(100, [1, -1]),
    lambda: tax_of(100, -1, TaxMode.INCLUSIVE),
])
def test_nonsense_splits_are_refused(bad):
    with pytest.raises(ValueError):
        bad()
