"""A 30-minute dinner service in accelerated time: 12 tables, 3 waiters, five kitchen
screens (four stations and expo, paired as wall screens are) and three tablets' floor
plans, all speaking the real HTTP API and real Socket.IO to a live server whose clock is
faked (``pos.core.db.clock``): a minute of service passes per step.

Each table is seated and sends drinks, starters, mains and desserts at once (mains and
desserts held); the stations bump what they made once its cooking time has passed on the
venue's clock, expo calls each course ready when every station has bumped it, the waiter
picks it up, fires the next course when the guests have eaten the one before and, when
they have eaten dessert, the cashier takes the money (every third table split by seat,
in cash with change, by voucher), and once the guests have left (a minute after paying)
the waiter clears the table.

Every five minutes and at the end, what each screen shows is checked against the
database: each station's snapshot (GET /api/v1/kitchen/<station>) and what its socket
accumulated from live events, expo's the same, and the floor snapshot (GET /api/v1/floor)
and each tablet's live floor. The database side is read from the rows (tickets, lines,
checks, tables), not through the code under test.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from factories import make_device
from sqlalchemy import func, select
from support import PINS, ScreenClient, wait_until

import pos.core.db
from kitchen.models import Station, Ticket, TicketLine
from pos.core.auth import Role
from pos.core.events import Event
from pos.floor.models import DiningTable
from pos.ordering.models import Check, CheckStatus, LineStatus, OrderLine
from pos.payments.models import Bill, Payment, PaymentStatus

WAITER_PINS = ("1111", "2222", "3333")  # Ana, Mihai, John
CASHIER_PIN = "6666"  # Radu
TABLES = [str(n) for n in range(1, 13)]
STATIONS = ("grill", "cold", "pastry", "bar")
SERVICE_MINUTES = 30
COOKING_MINUTES = {"drinks": 1, "starters": 3, "mains": 6, "desserts": 2}
EATING_MINUTES = {"starters": 3, "mains": 4, "desserts": 2}
NEXT_COURSE = {"starters": "mains", "mains": "desserts"}  # held until the one before is eaten


class FakeClock:
    """The server's clock, moved on by hand: a minute of service is one step."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.started = self.now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int = 1) -> None:
        self.now += timedelta(minutes=minutes)

    @property
    def minute(self) -> int:
        return int((self.now - self.started).total_seconds() // 60)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(pos.core.db, "clock", fake)
    return fake


class Api:
    """One screen's HTTP client: JSON in, JSON out, any refusal fails the test."""

    def __init__(self, base: str, *, token: str | None = None) -> None:
        self.base = base
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str) -> Any:
        response = self.http.get(self.base + path, timeout=10)
        assert response.status_code == 200, (path, response.text)
        return response.json()

    def post(self, path: str, body: dict | None = None, *, method: str = "POST") -> Any:
        response = self.http.request(method, self.base + path, json=body or {}, timeout=10)
        assert response.status_code in (200, 201), (path, body, response.text)
        return response.json()

    def cookie(self) -> str:
        return f"session={self.http.cookies['session']}"


@dataclass
class Table:
    """A party at one table, as its waiter follows it."""

    name: str
    table_id: int
    waiter: Waiter
    seat_at: int  # the service minute they sit down
    guests: int
    check_id: int | None = None
    picked_up: dict[str, int] = field(default_factory=dict)  # course code → minute
    fired: set[str] = field(default_factory=set)  # the held courses fired
    paid_at: int | None = None  # the service minute the cashier took the money
    cleared: bool = False


class Waiter:
    def __init__(self, base: str, pin: str) -> None:
        self.api = Api(base)
        self.me = self.api.post("/api/v1/session", {"pin": pin})["staff"]
        self.floor: ScreenClient | None = None


class KitchenScreen:
    def __init__(self, base: str, code: str, token: str) -> None:
        self.code = code
        self.api = Api(base, token=token)
        self.live = ScreenClient(base, "/kitchen", token=token, station=code)


@dataclass
class Menu:
    courses: dict[str, int]  # code → id
    items: dict[str, list[int]]  # course code → item ids that ask no questions


def read_menu(api: Api) -> Menu:
    menu = api.get("/api/v1/menu")
    required = {g["id"] for g in menu["modifier_groups"] if g["min_choices"] > 0}
    course_of_category = {c["id"]: c["default_course_id"] for c in menu["categories"]}
    courses = {c["code"]: c["id"] for c in menu["courses"]}
    items: dict[str, list[int]] = defaultdict(list)
    code_of = {course_id: code for code, course_id in courses.items()}
    for item in menu["items"]:
        if item["available"] and item["count_left"] is None and \
                not required & set(item["modifier_group_ids"]):
            course = item["course_id"] or course_of_category[item["category_id"]]
            items[code_of[course]].append(item["id"])
    return Menu(courses, dict(items))


# --- the restaurant at work -------------------------------------------------------------

class Service:
    def __init__(self, base: str, db, clock: FakeClock) -> None:
        self.base, self.db, self.clock = base, db, clock
        self.waiters = [Waiter(base, pin) for pin in WAITER_PINS]
        self.cashier = Waiter(base, CASHIER_PIN).api
        self.menu = read_menu(self.waiters[0].api)
        floor = self.waiters[0].api.get("/api/v1/floor")
        table_ids = {t["name"]: t["id"] for f in floor["floors"] for t in f["tables"]}
        self.tables = [Table(name, table_ids[name], self.waiters[i % 3], seat_at=i // 3,
                             guests=2 + i % 3) for i, name in enumerate(TABLES)]
        self.screens = {code: KitchenScreen(base, code,
                                            make_device(db, Role.KITCHEN, station=code).token)
                        for code in (*STATIONS, "expo")}
        self.called: set[tuple[int, int]] = set()  # (check, course) expo called ready

    def connect(self) -> None:
        for waiter in self.waiters:
            waiter.floor = ScreenClient(self.base, "/floor", cookie=waiter.api.cookie())
            waiter.floor.connect(last_event=0)
        for screen in self.screens.values():
            screen.live.connect(last_event=0)

    def close(self) -> None:
        for client in [w.floor for w in self.waiters] + [s.live for s in self.screens.values()]:
            if client is not None:
                client.close()

    # one minute of service, each role in turn
    def minute(self) -> None:
        for table in self.tables:
            self.waiter_tends(table)
        self.settle()
        for code in STATIONS:
            self.station_cooks(self.screens[code])
        self.settle()
        self.expo_calls()
        self.settle()

    def waiter_tends(self, table: Table) -> None:
        api, now = table.waiter.api, self.clock.minute
        if table.cleared or now < table.seat_at:
            return
        if table.check_id is None:
            self.seat_and_send(table)
            return
        for ready in api.get("/api/v1/kitchen/ready"):
            if ready["check_id"] == table.check_id:
                api.post("/api/v1/kitchen/served", {"check_id": table.check_id,
                                                    "course_id": ready["course"]["id"]})
                code = self.course_code(ready["course"]["id"])
                table.picked_up[code] = now
        for eaten, held in NEXT_COURSE.items():
            if held not in table.fired and self.eaten(table, eaten):
                check = api.get(f"/api/v1/checks/{table.check_id}")
                api.post(f"/api/v1/checks/{table.check_id}/courses/"
                         f"{self.menu.courses[held]}/fire", {"version": check["version"]})
                table.fired.add(held)
        if table.paid_at is not None and now > table.paid_at:
            api.post(f"/api/v1/tables/{table.table_id}/guests-left")
            api.post(f"/api/v1/tables/{table.table_id}/clear")
            table.cleared = True
        elif table.paid_at is None and "drinks" in table.picked_up and self.eaten(table,
                                                                                  "desserts"):
            self.cashier_takes_payment(table)
            table.paid_at = now

    def cashier_takes_payment(self, table: Table) -> None:
        """Every third table splits by seat; bills are paid in cash (a note, with change)
        or by voucher, in turn."""
        url = f"/api/v1/checks/{table.check_id}"
        state = self.cashier.get(url + "/bills")
        if table.table_id % 3 == 0:
            state = self.cashier.post(url + "/split", {"how": "seat"})
        for bill in state["bills"]:
            cash = bill["number"] % 2 == 1
            paid = self.cashier.post(url + "/payments", {
                "client_id": str(uuid.uuid4()), "bill": bill["number"],
                "tender": "cash" if cash else "voucher", "amount": bill["due"],
                "tendered": -(-bill["due"] // 50_00) * 50_00 if cash else None,
                "reference": None if cash else f"V-{table.check_id}"})
        assert paid["check_status"] == "paid" and paid["due"] == 0

    def eaten(self, table: Table, course: str) -> bool:
        picked_up = table.picked_up.get(course)
        return picked_up is not None and self.clock.minute - picked_up >= EATING_MINUTES[course]

    def seat_and_send(self, table: Table) -> None:
        api, items, n = table.waiter.api, self.menu.items, table.table_id
        check = api.post("/api/v1/checks", {"table_id": table.table_id,
                                            "guest_count": table.guests,
                                            "client_id": str(uuid.uuid4())})
        table.check_id = check["id"]
        lines = [{"item_id": pick(items["drinks"], n + seat), "seat": seat}
                 for seat in range(1, table.guests + 1)]
        lines += [{"item_id": pick(items["starters"], n + k), "seat": k} for k in (1, 2)]
        lines += [{"item_id": pick(items[course], n + seat), "seat": seat}
                  for course in ("mains", "desserts") for seat in range(1, table.guests + 1)]
        api.post(f"/api/v1/checks/{check['id']}/send", {
            "client_id": str(uuid.uuid4()), "version": check["version"], "lines": lines})

    def course_code(self, course_id: int) -> str:
        return next(code for code, id_ in self.menu.courses.items() if id_ == course_id)

    def station_cooks(self, screen: KitchenScreen) -> None:
        """Bump every fired ticket whose cooking time has passed on the venue's clock."""
        for ticket in screen.api.get(f"/api/v1/kitchen/{screen.code}")["tickets"]:
            if ticket["status"] != "fired":
                continue
            fired = datetime.fromisoformat(ticket["fired_at"])
            cooking = COOKING_MINUTES[ticket["course"]["code"]]
            if self.clock.now - fired >= timedelta(minutes=cooking):
                screen.api.post(f"/api/v1/kitchen/tickets/{ticket['id']}/bump",
                                {"client_id": str(uuid.uuid4())})

    def expo_calls(self) -> None:
        """Expo, from what its screen was told live: a course whose every ticket is
        bumped is at the pass; call it ready once."""
        expo = self.screens["expo"]
        courses: dict[tuple[int, int], list[dict]] = defaultdict(list)
        for ticket in latest_tickets(expo.live).values():
            if ticket["status"] != "void":
                courses[ticket["check_id"], ticket["course"]["id"]].append(ticket)
        for (check_id, course_id), tickets in sorted(courses.items()):
            if (check_id, course_id) not in self.called and all(
                    t["status"] == "bumped" for t in tickets):
                expo.api.post("/api/v1/kitchen/ready", {"check_id": check_id,
                                                        "course_id": course_id,
                                                        "client_id": str(uuid.uuid4())})
                self.called.add((check_id, course_id))

    def settle(self) -> None:
        """Wait until every screen has been told everything the database says happened in
        its rooms (the outbox's events), as a screen on a good network is within ms."""
        for screen in self.screens.values():
            rooms = ([f"station:{c}" for c in STATIONS] + ["expo"] if screen.code == "expo"
                     else [f"station:{screen.code}"])
            last = latest_event(self.db, "/kitchen", rooms)
            wait_until(lambda s=screen, last=last: (s.live.last_event or 0) >= last)
        for waiter in self.waiters:
            last = latest_event(self.db, "/floor", ["floor", f"staff:{waiter.me['id']}"])
            wait_until(lambda w=waiter, last=last: (w.floor.last_event or 0) >= last)


def pick(choices: list[int], n: int) -> int:
    return choices[n % len(choices)]


def latest_event(db, namespace: str, rooms: list[str]) -> int:
    with db.reading() as session:
        return session.scalar(select(func.max(Event.id)).where(
            Event.namespace == namespace, Event.room.in_(rooms))) or 0


def latest_tickets(client: ScreenClient) -> dict[int, dict]:
    """Each ticket as the screen was last told it (events come in outbox order)."""
    with client.lock:
        return {data["id"]: data for name, _id, data in client.events if name == "ticket"}


def waiting_at_the_pass(client: ScreenClient) -> set[tuple[int, int]]:
    """(check, course) expo was told are ready and not yet picked up."""
    waiting: set[tuple[int, int]] = set()
    with client.lock:
        for name, _id, data in client.events:
            course = data.get("course")
            key = (data["check_id"], course["id"] if isinstance(course, dict) else
                   data.get("course_id"))
            if name == "ready":
                waiting.add(key)
            elif name == "served":
                waiting.discard(key)
    return waiting


# --- what the database says -------------------------------------------------------------

def tickets_in_db(db) -> dict[int, dict]:
    with db.reading() as session:
        stations = {s.id: s.code for s in session.scalars(select(Station))}
        done = defaultdict(dict)
        for ticket_id, line_id, done_at in session.execute(
                select(TicketLine.ticket_id, TicketLine.line_id, TicketLine.done_at)):
            done[ticket_id][line_id] = done_at is not None
        return {t.id: {"station": stations[t.station_id], "status": t.status.value,
                       "check_id": t.check_id, "course_id": t.course_id,
                       "lines": done[t.id], "ready": t.ready_at is not None,
                       "served": t.served_at is not None}
                for t in session.scalars(select(Ticket))}


def table_states_in_db(db) -> dict[int, str]:
    """Each table's state from the rows: its open checks, their lines and tickets."""
    with db.reading() as session:
        states = {t.id: ("paid" if t.paid_at else "needs_clearing") if t.needs_clearing
                  else "free" for t in session.scalars(select(DiningTable))}
        for check in session.scalars(select(Check).where(Check.status == CheckStatus.OPEN,
                                                         Check.table_id.is_not(None))):
            waiting = session.scalar(select(func.count(Ticket.id)).where(
                Ticket.check_id == check.id, Ticket.ready_at.is_not(None),
                Ticket.served_at.is_(None)))
            sent = session.scalar(select(func.count(OrderLine.id)).where(
                OrderLine.check_id == check.id, OrderLine.status != LineStatus.NEW))
            state = "food_ready" if waiting else "ordered" if sent else "seated"
            order = ["needs_clearing", "paid", "free", "seated", "ordered", "food_ready"]
            states[check.table_id] = max(states[check.table_id], state, key=order.index)
        return states


def shown(ticket: dict) -> tuple:
    return ticket["status"], {line["line_id"]: line["done"] for line in ticket["lines"]}


def in_db(ticket: dict) -> tuple:
    return ticket["status"], ticket["lines"]


def assert_screens_agree(service: Service) -> None:
    db_tickets = tickets_in_db(service.db)
    on_the_line = {i: t for i, t in db_tickets.items() if t["status"] in ("held", "fired")}
    for code, screen in service.screens.items():
        mine = {i: t for i, t in db_tickets.items() if code == "expo" or t["station"] == code}
        snapshot = {t["id"]: t for t in screen.api.get(f"/api/v1/kitchen/{code}")["tickets"]}
        open_shown = {i: shown(t) for i, t in snapshot.items() if t["status"] in ("held", "fired")}
        assert open_shown == {i: in_db(t) for i, t in mine.items() if i in on_the_line}, code
        for i, ticket in snapshot.items():  # the bumped ones kept for a recall
            if ticket["status"] == "bumped":
                assert mine[i]["status"] == "bumped" and not mine[i]["served"], (code, i)
        live = latest_tickets(screen.live)
        assert {i: shown(t) for i, t in live.items()} == {i: in_db(t) for i, t in mine.items()}, \
            code
    waiting = {(t["check_id"], t["course_id"]) for t in db_tickets.values()
               if t["ready"] and not t["served"]}
    assert waiting_at_the_pass(service.screens["expo"].live) == waiting
    states = table_states_in_db(service.db)
    floor = service.waiters[0].api.get("/api/v1/floor")
    assert {t["id"]: t["state"] for f in floor["floors"] for t in f["tables"]} == states
    for waiter in service.waiters:
        live = {}
        with waiter.floor.lock:
            for name, _id, data in waiter.floor.events:
                if name == "table":
                    live[data["table_id"]] = data["state"]
        assert {i: live.get(i, "free") for i in states} == states, waiter.me["name"]


def test_a_thirty_minute_service_ends_with_every_screen_agreeing(live_server, db, clock):
    admin = Api(live_server.url)
    admin.post("/api/v1/session", {"pin": PINS["admin"]})
    # A minute passes per step; waiters tap every step anyway, but nobody is signed out.
    admin.post("/api/v1/venue", {"idle_signout_seconds": 3600}, method="PATCH")
    service = Service(live_server.url, db, clock)
    service.connect()
    try:
        while clock.minute <= SERVICE_MINUTES and not all(t.cleared for t in service.tables):
            service.minute()
            if clock.minute % 5 == 0:
                assert_screens_agree(service)
            clock.advance()
        assert_screens_agree(service)
    finally:
        service.close()

    assert all(table.cleared for table in service.tables), \
        [t.name for t in service.tables if not t.cleared]
    assert clock.minute <= SERVICE_MINUTES
    tickets = tickets_in_db(db)
    stations = {t["station"] for t in tickets.values()}
    assert stations == set(STATIONS)
    assert all(t["status"] == "bumped" and t["ready"] and t["served"] for t in tickets.values())
    assert set(table_states_in_db(db).values()) == {"free"}
    # Every tablet saw each table go through the evening: four courses at the pass, one by one.
    for waiter in service.waiters:
        seen = defaultdict(list)
        for name, _id, data in waiter.floor.events:
            if name == "table":
                seen[data["table_id"]].append(data["state"])
        for table in service.tables:
            states = [s for i, s in enumerate(seen[table.table_id])
                      if i == 0 or s != seen[table.table_id][i - 1]]
            assert states == ["seated", "ordered", *["food_ready", "ordered"] * 4,
                              "paid", "needs_clearing", "free"], (table.name, states)
    with db.reading() as session:
        checks = session.scalars(select(Check).where(Check.table_id.is_not(None))).all()
        assert len(checks) == 12 and {c.status for c in checks} == {CheckStatus.PAID}
        for check in checks:  # every check's money is in, to the ban
            paid = session.scalar(select(func.sum(Payment.amount)).where(
                Payment.check_id == check.id, Payment.status == PaymentStatus.APPROVED))
            total = session.scalar(select(func.sum(Bill.total)).where(
                Bill.check_id == check.id))
            assert paid == total > 0, check.id
        # The server ran on the faked clock: a main took its cooking time, in service minutes.
        mains = session.scalars(select(Ticket).where(Ticket.course_id == service.menu.courses[
            "mains"])).all()
        assert all(t.bumped_at - t.fired_at >= timedelta(minutes=COOKING_MINUTES["mains"])
                   for t in mains)
        assert max(t.served_at for t in mains) - clock.started <= timedelta(
            minutes=SERVICE_MINUTES)
