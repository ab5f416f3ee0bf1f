"""What the tablet's page tells its script about the one using it: whether they may 86
(a long press on a tile then marks it out), and whether a person is there to clock in."""

from __future__ import annotations

import json
import re

from factories import make_device

from pos.core.auth import Role

CONFIG = re.compile(r'<script type="application/json" id="tablet-config">(.*?)</script>', re.S)


def tablet_page(client, **kw) -> tuple[dict, str]:
    response = client.get("/tablet", **kw)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return json.loads(CONFIG.search(page).group(1)), page


def test_the_tablet_knows_who_may_86_and_only_a_person_has_a_time_clock(app, db, as_role):
    for role, may_86 in (("bartender", True), ("manager", True), ("waiter", False)):
        config, page = tablet_page(as_role(role))
        assert config["can"]["menu_86"] is may_86, role
        assert "data-person-menu" in page, role
    for role, may_86 in ((Role.BARTENDER, True), (Role.WAITER, False)):
        screen = make_device(db, role)
        config, page = tablet_page(app.test_client(), headers=screen.bearer)
        assert config["can"]["menu_86"] is may_86, role
        assert "data-person-menu" not in page, role  # a screen on the wall clocks nobody in
