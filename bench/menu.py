"""A big menu (a benchmark: it prints figures): 20,000 items, generated and imported
through the back office's import, then

1. the tablet's menu load: ``GET /api/v1/menu`` as a waiter's tablet asks it (time per
   load, median of several, and the first; its size as sent and gzip-compressed);
2. the back office's item list: a page deep in the list, and searches by name and by
   number (time per answer; the first, which builds the search index, and the median).

Targets: the menu loads in under 1 s and under 1 MB compressed; the list pages and
searches in under 200 ms. ``python app.py`` serves on a fresh SQLite instance with the
demo venue; only 127.0.0.1 is contacted.

    python bench/menu.py [--items 20000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import HOST, Server, free_port

WAITER_PIN = "1111"
MANAGER_PIN = "9999"
CATEGORIES = 40
WORDS = ("ciorbă", "grătar", "salată", "paste", "pizza", "desert", "vin", "bere", "cafea",
         "supă", "friptură", "pește", "pui", "porc", "vită", "legume", "brânză", "ciuperci")


class Screen:
    """One keep-alive connection, signed in with a PIN."""

    def __init__(self, port: int, pin: str, *, gzip: bool = False) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=300)
        self.cookie = ""
        self.encoding = "gzip" if gzip else "identity"
        status, _body = self.request("POST", "/api/v1/session", {"pin": pin})
        assert status == 200, status

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json", "Accept-Encoding": self.encoding}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.connection.request(method, path, json.dumps(body) if body is not None else None,
                                headers)
        response = self.connection.getresponse()
        data = response.read()
        self.sent = len(data)  # as it came over the wire
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        if response.getheader("Set-Cookie", "").startswith("session="):
            self.cookie = response.getheader("Set-Cookie").split(";")[0]
        return response.status, data

    def timed(self, path: str) -> tuple[float, bytes]:
        """Seconds until the answer is received and unpacked (``self.parsed``: and parsed,
        as a screen does before it shows anything)."""
        began = time.perf_counter()
        status, data = self.request("GET", path)
        assert status == 200, (status, data[:300])
        received = time.perf_counter() - began
        json.loads(data)
        self.parsed = time.perf_counter() - began
        return received, data


def generated_menu(count: int) -> dict:
    """``count`` items in 40 categories, a third of them asking a choice group."""
    categories = [{"ref": ref, "names": {"ro": f"Categoria {ref}", "en": f"Category {ref}"},
                   "tax_rate": "TVA 11%", "default_course": "mains", "stations": ["grill"]}
                  for ref in range(1, CATEGORIES + 1)]
    groups = [{"ref": 1, "names": {"ro": "Garnitură", "en": "Side"}, "min_choices": 1,
               "max_choices": 1, "modifiers": [
                   {"names": {"ro": "Cartofi", "en": "Potatoes"}},
                   {"names": {"ro": "Orez", "en": "Rice"}, "price_delta": 200}]},
              {"ref": 2, "names": {"ro": "Extra", "en": "Extras"}, "max_choices": 3,
               "modifiers": [{"names": {"ro": "Cașcaval", "en": "Cheese"}, "price_delta": 500},
                             {"names": {"ro": "Ou", "en": "Egg"}, "price_delta": 300}]}]
    items = []
    for n in range(count):
        word = WORDS[n % len(WORDS)]
        items.append({
            "number": 10_000 + n, "category": n % CATEGORIES + 1,
            "names": {"ro": f"{word.capitalize()} nr. {n}", "en": f"Dish {n}"},
            "descriptions": {"ro": f"Rețeta casei {n % 97}"} if n % 5 == 0 else {},
            "price": 1500 + (n * 37) % 9000, "allergens": ["gluten"] if n % 4 == 0 else [],
            "modifier_groups": [1] if n % 3 == 0 else []})
    return {"masa_menu": 1, "categories": categories, "modifier_groups": groups, "items": items}


def timings(screen: Screen, path: str, repeat: int) -> tuple[float, float, bytes]:
    """The first answer's time, the median of the next ``repeat``, and the answer
    (``screen.parsed_median``: the median with parsing)."""
    first, data = screen.timed(path)
    rest, parsed = [], []
    for _ in range(repeat):
        rest.append(screen.timed(path)[0])
        parsed.append(screen.parsed)
    screen.parsed_median = statistics.median(parsed)
    return first, statistics.median(rest), data


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="masa-bench-menu-") as folder:
        work = Path(folder)
        server = Server(work / "instance", free_port(), work / "server.log")
        server.start()
        try:
            run(server, args.items, args.repeat)
        finally:
            server.stop()


def run(server: Server, count: int, repeat: int) -> None:
    manager = Screen(server.port, MANAGER_PIN)
    content = json.dumps(generated_menu(count), ensure_ascii=False)
    began = time.perf_counter()
    status, answer = manager.request("POST", "/api/v1/menu/import",
                                      {"format": "json", "content": content})
    assert status == 200, answer[:500]
    print(f"Imported {count:,} items (+ the demo's 63) in {time.perf_counter() - began:.1f} s "
          f"({len(content) / 1e6:.1f} MB of JSON)")

    tablet = Screen(server.port, WAITER_PIN, gzip=True)  # as Chromium asks it
    first, median, body = timings(tablet, "/api/v1/menu", repeat)
    menu = json.loads(body)
    print(f"\nTablet: GET /api/v1/menu ({len(menu['items']):,} items), received and unpacked")
    print(f"  load time      first {ms(first)} (builds the cached shape)   median of {repeat} "
          f"{ms(median)}   (target < 1000 ms)")
    print(f"                 median with Python parsing the 5 MB of JSON too "
          f"{ms(tablet.parsed_median)}")
    print(f"  size           {len(body) / 1e6:.2f} MB of JSON, sent gzipped: "
          f"{tablet.sent / 1e6:.2f} MB   (target < 1 MB compressed)")

    print("\nBack office: the item list (50 a page)")
    cases = [("page 1", "/api/v1/menu/items/page?limit=50"),
             ("page 200 (items 9,951–10,000)", "/api/v1/menu/items/page?offset=9950&limit=50"),
             ("search by name 'ciorba 1234'", "/api/v1/menu/items/page?q=ciorba%2012"),
             ("search by number '1234'", "/api/v1/menu/items/page?q=1234"),
             ("search with no match", "/api/v1/menu/items/page?q=nosuchdish"),
             ("one category, page 3", "/api/v1/menu/items/page?category_id=9&offset=100")]
    for label, path in cases:
        first, median, body = timings(manager, path, repeat)
        found = json.loads(body)["total"]
        print(f"  {label:<32} first {ms(first)}   median {ms(median)}   ({found:,} found)"
              f"   (target < 200 ms)")
    print("  (the first answer after a change rebuilds the list's search index)")

    print("\nOrdering after a menu change (ordering's own cached menu is rebuilt, not ours)")
    beer = next(i for i in menu["items"] if i["number"] == 801)
    for label, edit in (("first send after an edit", True), ("next send", False)):
        if edit:
            status, _ = manager.request("PATCH", f"/api/v1/menu/items/{beer['id']}",
                                        {"price": beer["price"] + 1})
            assert status == 200, status
        status, check = tablet.request("POST", "/api/v1/checks", {
            "kind": "bar_tab", "name": "Bench", "client_id": str(uuid.uuid4())})
        assert status == 201, check
        check = json.loads(check)
        began = time.perf_counter()
        status, sent = tablet.request("POST", f"/api/v1/checks/{check['id']}/send", {
            "client_id": str(uuid.uuid4()), "version": check["version"],
            "lines": [{"item_id": beer["id"], "client_id": str(uuid.uuid4())}]})
        assert status == 200, sent[:300]
        print(f"  {label:<32} {ms(time.perf_counter() - began)}")


if __name__ == "__main__":
    sys.exit(main())
