"""Calls that must not hold the server's event loop.

Under the production server (gevent, pos/server.py) every request shares one loop: a
20 ms argon2 PIN check, or a device call that blocks, would stall every screen for that
long. ``off_the_loop`` runs such a call on gevent's thread pool; without gevent (tests,
the command line, the development server) it simply calls it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def off_the_loop(function: Callable[..., T], *args: Any) -> T:
    if under_gevent():
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)


def on_every_core(function: Callable[[Any], T], items: Sequence[Any]) -> list[T]:
    """``function`` over ``items`` on real threads, one a core: for C calls that leave the
    GIL (argon2 hashing the demo's ten PINs at the first start)."""
    if under_gevent():
        import gevent

        return list(gevent.get_hub().threadpool.map(function, items))
    with ThreadPoolExecutor(max_workers=max(1, min(len(items), os.cpu_count() or 1))) as pool:
        return list(pool.map(function, items))


def under_gevent() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("threading")
