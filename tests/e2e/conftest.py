"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

Fixtures: ``browser`` (one per test session), ``page`` (a 768×1024 touch tablet),
``desktop_page`` (1280×800), ``screenshot(page, name)`` (saved in tests/e2e/screenshots/,
which git ignores). Every test here is marked ``browser``. Pair them with ``live_server``
from tests/conftest.py, or ``make_live_server(**config)`` for an app with other settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support import LiveServer, make_app

from e2e.screens import new_screen

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium) — "
                    "browser tests need Debian's Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A tablet: 768×1024 with touch, as a waiter holds it."""
    context, tablet = new_screen(browser, TABLET, touch=True)
    yield tablet
    context.close()


@pytest.fixture
def desktop_page(browser) -> Iterator:
    """A 1280×800 counter or office PC, with a mouse."""
    context, desktop = new_screen(browser, DESKTOP, touch=False)
    yield desktop
    context.close()


@pytest.fixture
def screenshot() -> Callable:
    """``screenshot(page, "signin-locked")`` → tests/e2e/screenshots/signin-locked.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str, *, full_page: bool = False) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return take


@pytest.fixture
def make_live_server(database_url, tmp_path) -> Iterator[Callable[..., LiveServer]]:
    """``make_live_server(MASA_PIN_LOCK_SECONDS=2)``: the demo app with other settings, served."""
    started: list[LiveServer] = []

    def start(**config) -> LiveServer:
        app = make_app(database_url, tmp_path / f"instance{len(started)}", **config)
        server = LiveServer(app).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        server.app.extensions["masa_db"].dispose()
