"""The ``stock`` fixture: a manager's API client building stock for a test. The manager
speaks English here, so a test can read the words of a refusal."""

from __future__ import annotations

import pytest
from stock_kit import Stock
from support import PINS


@pytest.fixture
def stock(manager_tablet, db) -> Stock:
    client = manager_tablet.client
    me = client.get("/api/v1/session").get_json()
    changed = client.patch(f"/api/v1/staff/{me['staff']['id']}", json={"language": "en"})
    assert changed.status_code == 200, changed.get_json()
    again = client.post("/api/v1/session", json={"pin": PINS["manager"]})  # speaks it now
    assert again.status_code == 200, again.get_json()
    return Stock(client, db)
