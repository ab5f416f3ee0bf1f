"""Who opens the inventory's screens: the back office's page and the count on a tablet are
for whoever handles the goods (STOCK: the kitchen too); what dishes are made of is shown
to whoever keeps the menu; a waiter is refused both, and nobody signed in goes to the PIN
pad, which brings a cook back to the count."""

from __future__ import annotations

import pytest
from factories import make_staff, signed_in

from pos.core.auth import Role

PAGES = ("/office/inventory", "/office/inventory/count")


@pytest.mark.parametrize("path", PAGES)
def test_a_waiter_is_refused_and_nobody_goes_to_the_pin_pad(app, db, path):
    waiter = signed_in(app, make_staff(db, Role.WAITER))
    assert waiter.get(path).status_code == 403
    nobody = app.test_client().get(path)
    assert nobody.status_code == 302 and nobody.location.endswith(f"/signin?next={path}")


def test_a_cook_may_count_but_not_edit_recipes(app, db):
    cook = signed_in(app, make_staff(db, Role.KITCHEN))
    count = cook.get("/office/inventory/count")
    assert count.status_code == 200
    html = count.get_data(as_text=True)
    assert "data-count-form" in html and "js/office/inventory_count.js" in html
    assert 'href="/office/inventory"' not in html  # the back office is not a cook's
    stock = cook.get("/office/inventory").get_data(as_text=True)
    assert 'data-tab="stock"' in stock and 'data-tab="recipes"' not in stock
    assert "data-ingredient-dialog" not in stock
    # The PIN pad sends a cook who signs in back to the count.
    pad = app.test_client().get("/signin?next=/office/inventory/count").get_data(as_text=True)
    assert 'data-next-url="/office/inventory/count"' in pad


def test_a_manager_sees_every_part_and_the_section(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    html = manager.get("/office/inventory").get_data(as_text=True)
    for tab in ("stock", "documents", "recipes", "ingredients", "locations"):
        assert f'data-tab="{tab}"' in html
    assert "data-location-dialog" in html and "js/office/inventory.js" in html
    assert 'data-office-section="inventory"' in manager.get("/office").get_data(as_text=True)
    assert manager.get("/office/inventory/count").status_code == 200
