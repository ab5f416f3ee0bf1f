"""Money in integer minor units (bani, cents), never floats.

Amounts are plain ``int``. Tax rates are basis points (2100 = 21 %). Prices are
tax-inclusive by default; a venue may be tax-exclusive. Every split hands out the
remainder one minor unit at a time so the parts always sum to the whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from babel.numbers import format_currency, get_currency_precision

BASIS_POINTS = 10_000


class TaxMode(StrEnum):
    INCLUSIVE = "inclusive"  # menu prices already contain tax (EU, Romania)
    EXCLUSIVE = "exclusive"  # tax is added on top of menu prices (US)


@dataclass(frozen=True, slots=True)
class TaxLine:
    """The tax of all lines sold at one rate."""

    rate_bp: int
    net: int
    tax: int

    @property
    def gross(self) -> int:
        return self.net + self.tax


@dataclass(frozen=True, slots=True)
class TaxBreakdown:
    lines: tuple[TaxLine, ...]

    @property
    def net(self) -> int:
        return sum(line.net for line in self.lines)

    @property
    def tax(self) -> int:
        return sum(line.tax for line in self.lines)

    @property
    def gross(self) -> int:
        return sum(line.gross for line in self.lines)


def divide_rounded(numerator: int, denominator: int) -> int:
    """Integer division rounding half away from zero (the rounding on a till receipt)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def tax_of(amount: int, rate_bp: int, mode: TaxMode) -> int:
    """The tax inside (inclusive) or on top of (exclusive) ``amount`` at ``rate_bp``."""
    if rate_bp < 0:
        raise ValueError("tax rate cannot be negative")
    if mode is TaxMode.INCLUSIVE:
        return divide_rounded(amount * rate_bp, BASIS_POINTS + rate_bp)
    return divide_rounded(amount * rate_bp, BASIS_POINTS)


def tax_breakdown(amounts: Iterable[tuple[int, int]], mode: TaxMode) -> TaxBreakdown:
    """Per-rate totals for ``(amount, rate_bp)`` pairs.

    Tax is computed once per rate on the rate's total, as a fiscal receipt shows it,
    not per line (which would drift by a unit per line).
    """
    totals: dict[int, int] = {}
    for amount, rate_bp in amounts:
        totals[rate_bp] = totals.get(rate_bp, 0) + amount
    lines = []
    for rate_bp in sorted(totals, reverse=True):
        amount = totals[rate_bp]
        tax = tax_of(amount, rate_bp, mode)
        net = amount - tax if mode is TaxMode.INCLUSIVE else amount
        lines.append(TaxLine(rate_bp=rate_bp, net=net, tax=tax))
    return TaxBreakdown(tuple(lines))


def split_evenly(amount: int, parts: int) -> list[int]:
    """``amount`` in ``parts`` as equal as can be; the first parts carry the extra units."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    return split_by_weights(amount, [1] * parts)


def split_by_weights(amount: int, weights: Sequence[int]) -> list[int]:
    """``amount`` in proportion to ``weights`` (largest remainder); the parts sum to ``amount``.

    Negative amounts (refunds) split like positive ones, with the sign carried over.
    """
    if not weights:
        raise ValueError("at least one weight is needed")
    if any(w < 0 for w in weights):
        raise ValueError("weights cannot be negative")
    total_weight = sum(weights)
    if total_weight == 0:
        raise ValueError("weights cannot all be zero")
    sign = -1 if amount < 0 else 1
    whole = abs(amount)
    shares = [whole * w // total_weight for w in weights]
    remainders = [whole * w % total_weight for w in weights]
    short = whole - sum(shares)
    # Largest remainder first; ties go to the earlier part so the result is stable.
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:short]:
        shares[index] += 1
    return [sign * share for share in shares]


def percent_of(amount: int, percent_bp: int) -> int:
    """``percent_bp`` basis points of ``amount``, rounded (a 10 % discount is 1000)."""
    return divide_rounded(amount * percent_bp, BASIS_POINTS)


def minor_units(currency: str) -> int:
    return get_currency_precision(currency)


def to_decimal(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-minor_units(currency))


def from_decimal(value: Decimal | str, currency: str) -> int:
    """Parse a major-unit amount ("12.50") exactly; refuses more decimals than the currency has."""
    quantized = Decimal(value).scaleb(minor_units(currency))
    if quantized != quantized.to_integral_value():
        raise ValueError(f"{value} has more decimals than {currency} allows")
    return int(quantized)


def format_money(amount: int, currency: str, locale: str) -> str:
    """``1250, "RON", "ro_RO"`` → ``"12,50 RON"``; ``1250, "USD", "en_US"`` → ``"$12.50"``."""
    return format_currency(to_decimal(amount, currency), currency, locale=locale)
