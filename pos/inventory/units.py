"""Units: what an ingredient is bought and kept in, and how amounts turn into the whole
thousandths of a base unit the ledger keeps (mg, µl, thousandths of a piece).

Thousandths, not grams, so that a sub-recipe's share of a portion (a sauce made in
batches) and a "0.015 l" of syrup stay whole numbers; grams would round them away.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from flask_babel import gettext as _

from pos.core.errors import InvalidInput

# unit → (what it measures, thousandths of the base unit in one of it)
UNITS: dict[str, tuple[str, int]] = {
    "g": ("mass", 1_000),
    "kg": ("mass", 1_000_000),
    "ml": ("volume", 1_000),
    "l": ("volume", 1_000_000),
    "piece": ("count", 1_000),
}
UNIT_NAMES = tuple(UNITS)


def measure_of(unit: str) -> str:
    return UNITS[unit][0]


def refuse_unknown_unit(unit: str, field: str) -> None:
    if unit not in UNITS:
        raise InvalidInput(_("The unit must be one of %(units)s.", units=", ".join(UNIT_NAMES)),
                           field=field, code="unknown_unit")


def refuse_unconvertible(unit: str, into: str, field: str) -> None:
    """``unit`` must measure what ``into`` measures: ml of something kept in grams has no
    weight Masa could know."""
    refuse_unknown_unit(unit, field)
    if measure_of(unit) != measure_of(into):
        raise InvalidInput(_("%(unit)s does not convert to %(into)s.", unit=unit, into=into),
                           field=field, code="unit_does_not_convert")


def to_thousandths(amount: int | float | str | Decimal, unit: str, field: str) -> int:
    """``amount`` of ``unit`` in thousandths of its base unit, exactly (finer is refused)."""
    refuse_unknown_unit(unit, field)
    try:
        exact = Decimal(str(amount)) * UNITS[unit][1]
    except InvalidOperation:
        raise InvalidInput(_("Give a number."), field=field) from None
    if not exact.is_finite() or exact != exact.to_integral_value():
        raise InvalidInput(_("Give the amount to a thousandth of a gram, millilitre or piece "
                             "at most."), field=field, code="too_precise")
    return int(exact)


def in_unit(thousandths: int | Fraction, unit: str) -> float:
    """For showing: the amount in ``unit`` (2,500,000 in kg: 2.5)."""
    return float(Fraction(thousandths) / UNITS[unit][1])


def round_half_up(value: Fraction) -> int:
    """The nearest whole number, a half going up (away from zero for negatives)."""
    if value >= 0:
        return int((value * 2 + 1) // 2)
    return -round_half_up(-value)


def share(whole: int, part: int, of: int) -> int:
    """``whole`` × ``part`` / ``of`` rounded half up, in integers: the value that goes
    with ``part`` of a stock of ``of``. All of it (``part == of``) takes all of it, so a
    stock's value reaches 0 exactly when its quantity does."""
    if of <= 0:
        return 0
    return (2 * whole * part + of) // (2 * of)
