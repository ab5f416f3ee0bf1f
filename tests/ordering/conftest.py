"""Fixtures for order taking: tablets signed in as the demo's waiters and manager."""

from __future__ import annotations

import pytest
from support import PINS, Tablet


@pytest.fixture
def tablet(app) -> Tablet:
    return Tablet(app.test_client(), PINS["waiter"])


@pytest.fixture
def other_tablet(app) -> Tablet:
    return Tablet(app.test_client(), "2222")


@pytest.fixture
def manager_tablet(app) -> Tablet:
    return Tablet(app.test_client(), PINS["manager"])
