"""The back office's home (/office): a manager or an admin sees the sections they may open,
each one a card and an entry of the menu; other roles are refused, and a screen nobody
signed in on goes to the PIN pad first."""

from __future__ import annotations

import re

from factories import make_staff, signed_in

from pos.core.auth import PERMISSIONS, Role
from pos.web import OFFICE_SECTIONS


def cards_on(html: str) -> list[str]:
    return re.findall(r'data-office-card="([a-z]+)"', html)


def test_a_manager_sees_every_built_section_open_to_managers_and_its_menu_entry(app, db):
    manager = signed_in(app, make_staff(db, "manager"))
    response = manager.get("/office?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    built = [s for s in OFFICE_SECTIONS if s.endpoint in app.view_functions]
    assert {"menu", "floor", "staff", "devices", "settings", "audit"} <= {s.key for s in built}
    mine = [s.key for s in built if s.permission in PERMISSIONS[Role.MANAGER]]
    assert cards_on(html) == mine
    for key in mine:
        assert f'data-office-section="{key}"' in html
    assert 'aria-current="page"' in html.split('data-office-section="home"')[1][:80]


def test_the_back_office_refuses_other_roles_and_sends_the_unsigned_to_the_pin_pad(app, db,
                                                                                    client):
    for role in ("waiter", "cashier", "kitchen", "front_desk"):
        refused = signed_in(app, make_staff(db, role)).get("/office")
        assert refused.status_code == 403, role
    unsigned = client.get("/office")
    assert unsigned.status_code == 302
    assert unsigned.headers["Location"].endswith("/signin?next=/office")
