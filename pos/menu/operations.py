"""Changing the menu."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.errors import Conflict, InvalidInput
from pos.menu.models import Category, Course, MenuItem
from pos.venue.models import TaxRate


def add_menu_item(session: Session, *, category_id: int, number: int, names: dict[str, str],
                  price: int, tax_rate_id: int | None = None, course_id: int | None = None,
                  allergens: list[str] | None = None) -> MenuItem:
    for model, key, field in ((Category, category_id, "category_id"),
                              (TaxRate, tax_rate_id, "tax_rate_id"),
                              (Course, course_id, "course_id")):
        if key is not None and session.get(model, key) is None:
            raise InvalidInput(_("There is no such %(field)s.", field=field), field=field)
    if session.scalar(select(MenuItem.id).where(MenuItem.number == number)) is not None:
        raise Conflict(_("Another item already has number %(number)s.", number=number),
                       field="number")
    item = MenuItem(category_id=category_id, number=number, names=names, price=price,
                    tax_rate_id=tax_rate_id, course_id=course_id, allergens=allergens or [])
    session.add(item)
    session.flush()
    return item
