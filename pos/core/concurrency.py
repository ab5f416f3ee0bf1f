"""Calls that must not hold the server's event loop.

Under the production server (gevent, pos/server.py) every request shares one loop: a
20 ms argon2 PIN check, or a device call that blocks, would stall every screen for that
long. ``off_the_loop`` runs such a call on gevent's thread pool; without gevent (tests,
the command line, the development server) it simply calls it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def off_the_loop(function: Callable[..., T], *args: Any) -> T:
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)
