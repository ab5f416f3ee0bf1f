"""What recipe depletion costs a send, in-process (a benchmark: it prints figures).

Figures are this process's CPU time (steadier than the wall clock on a shared machine).

Two copies of the demo venue on SQLite, one with the demo's recipes and stock and one
with every recipe removed (no depletion). On each, with Flask's test client and a
signed-in waiter: open a bar tab and send the ordering benchmark's round (steak with
fries, burger with polenta and bacon, a glass of wine, water with ice), ``--sends``
times. The copies take turns, ``--rounds`` times, and the best round of each counts.

    python bench/inventory.py [--sends 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT))

SECRET = "bench-inventory-secret-0123456789abcdef"


def build(folder: Path) -> Path:
    from app import create_app
    from pos.core.db import Database
    from pos.core.migrate import upgrade
    from pos.demo import create_demo

    path = folder / "demo.sqlite"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    app = create_app({"MASA_DATABASE_URL": f"sqlite:///{path}", "MASA_SECRET_KEY": SECRET,
                      "MASA_SKIP_SCHEMA_CHECK": True, "INSTANCE_PATH": "/nonexistent",
                      "MASA_PRINT_WORKER": False, "MASA_SESSION_SWEEPER": False})
    with app.app_context():
        create_demo(db, SECRET)
    db.dispose()
    app.extensions["masa_db"].dispose()
    return path


def without_recipes(path: Path) -> None:
    from sqlalchemy import delete

    from pos.core.db import Database
    from pos.inventory.models import Recipe, RecipeLine

    db = Database(f"sqlite:///{path}")
    with db.transaction() as session:
        session.execute(delete(RecipeLine))
        session.execute(delete(Recipe))
    db.dispose()


def app_on(path: Path, instance: Path):
    from app import create_app

    return create_app({"TESTING": True, "MASA_DATABASE_URL": f"sqlite:///{path}",
                       "MASA_SECRET_KEY": SECRET, "MASA_DEMO": False,
                       "INSTANCE_PATH": str(instance), "MASA_PRINT_WORKER": False,
                       "MASA_SESSION_SWEEPER": False})


def the_round(menu: dict) -> list[dict]:
    items = {item["number"]: item["id"] for item in menu["items"]}
    choice = {m["names"]["en"]: m["id"] for g in menu["modifier_groups"] for m in g["modifiers"]}
    return [
        {"item_id": items[401], "seat": 1,
         "modifier_ids": [choice["Medium rare"], choice["French fries"]]},
        {"item_id": items[403], "seat": 2,
         "modifier_ids": [choice["Medium"], choice["Polenta"], choice["Bacon"]]},
        {"item_id": items[801], "seat": 1, "modifier_ids": []},
        {"item_id": items[706], "seat": 2, "modifier_ids": [choice["With ice"]]},
    ]


class Stopwatch:
    """Times the inventory's reactions inside each send (their share of the send)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self) -> None:
        from pos.inventory import reactions
        from pos.ordering import events

        for handlers in events._reactions.values():
            for index, handler in enumerate(handlers):
                if handler is reactions.deplete_stock_of_send:
                    handlers[index] = self.timed(handler)

    def timed(self, handler):
        def run(session, happening):
            started = time.process_time()
            try:
                return handler(session, happening)
            finally:
                self.seconds += time.process_time() - started
        return run


def time_sends(app, sends: int) -> tuple[float, float]:
    """CPU milliseconds per send, and per open + send."""
    client = app.test_client()
    assert client.post("/api/v1/session", json={"pin": "1111"}).status_code == 200
    lines = the_round(client.get("/api/v1/menu").get_json())
    send_seconds = 0.0
    started = time.process_time()
    for _ in range(sends):
        check = client.post("/api/v1/checks", json={
            "kind": "bar_tab", "name": "Bench", "guest_count": 2,
            "client_id": str(uuid.uuid4())}).get_json()
        before = time.process_time()
        sent = client.post(f"/api/v1/checks/{check['id']}/send", json={
            "client_id": str(uuid.uuid4()), "version": check["version"], "lines": lines})
        send_seconds += time.process_time() - before
        assert sent.status_code == 200, sent.get_json()
    total = time.process_time() - started
    return send_seconds / sends * 1000, total / sends * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sends", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        template = build(Path(folder))
        best: dict[str, tuple[float, float]] = {}
        watch = Stopwatch()
        watch.wrap()
        inside: list[float] = []
        pairs: list[float] = []  # each round's with / without
        for round_ in range(args.rounds):
            this_round: dict[str, float] = {}
            for label in ("without recipes", "with recipes"):
                path = Path(folder) / f"{label.replace(' ', '-')}-{round_}.sqlite"
                shutil.copy(template, path)
                if label == "without recipes":
                    without_recipes(path)
                app = app_on(path, Path(folder) / "instance")
                time_sends(app, 20)  # warm the caches
                watch.seconds = 0.0
                figures = time_sends(app, args.sends)
                if label == "with recipes":
                    inside.append(watch.seconds / args.sends * 1000 / figures[0])
                app.extensions["masa_db"].dispose()
                print(f"  round {round_ + 1} {label:<16} send {figures[0]:6.2f} ms   "
                      f"open + send {figures[1]:6.2f} ms")
                if label not in best or figures[0] < best[label][0]:
                    best[label] = figures
                this_round[label] = figures[0]
            pairs.append(this_round["with recipes"] / this_round["without recipes"] - 1)
        plain, depleting = best["without recipes"], best["with recipes"]
        print(f"best of {args.rounds}: send {plain[0]:.2f} ms without recipes, "
              f"{depleting[0]:.2f} ms with: depletion costs "
              f"{(depleting[0] / plain[0] - 1) * 100:+.1f} % of the send "
              f"(open + send {(depleting[1] / plain[1] - 1) * 100:+.1f} %)   (target < 10 %)")
        pairs.sort()
        print(f"round by round, the send with recipes costs {pairs[len(pairs) // 2] * 100:+.1f} %"
              f" (median; from {pairs[0] * 100:+.1f} % to {pairs[-1] * 100:+.1f} %)")
        print(f"inside the sends with recipes, depletion took {min(inside) * 100:.1f} % "
              f"(median {sorted(inside)[len(inside) // 2] * 100:.1f} %) of the send's CPU")


if __name__ == "__main__":
    main()
