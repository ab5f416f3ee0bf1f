"""Guessing PINs: knowing one PIN, rotating pads or asking for approvals buys no guesses
beyond the address's window (20 an hour); the venue's total alerts its managers."""

from __future__ import annotations

from datetime import timedelta

from factories import make_check, make_item, make_staff, make_table, make_venue, pin_pad, signed_in
from sqlalchemy import func, select

from pos.core.alerts import Alert
from pos.core.audit import AuditEntry
from pos.core.auth import Role
from pos.core.db import utcnow
from pos.core.events import Event
from pos.staff.models import PinFailure
from pos.staff.operations import sign_in_with_pin
from pos.staff.pins import PinCheck, PinPolicy
from pos.venue.models import Venue

WRONG = "0000"
ADDRESS_LIMIT = 20


def test_knowing_one_pin_does_not_reset_the_count(app, db):
    """Four guesses and one's own PIN, over and over: the 20th guess locks the address."""
    waiter = make_staff(db, Role.WAITER)
    pad = pin_pad(app)
    answers = []
    for round_ in range(10):
        for guess in range(4):
            answers.append(pad.post("/api/v1/session", json={"pin": f"{round_:02d}{guess:02d}"})
                           .status_code)
        pad.post("/api/v1/session", json={"pin": waiter.pin})
    assert answers[:ADDRESS_LIMIT - 1] == [401] * (ADDRESS_LIMIT - 1)
    assert set(answers[ADDRESS_LIMIT - 1:]) == {429}
    # Now even the right PIN is refused from this address until the window moves on.
    own = pad.post("/api/v1/session", json={"pin": waiter.pin})
    assert own.status_code == 429
    assert own.get_json()["error"]["retry_after"] > 3500


def test_fresh_pads_from_the_server_do_not_add_guesses(app):
    """Each guess from a new, properly issued pad: still 20 for the address."""
    answers = [pin_pad(app).post("/api/v1/session", json={"pin": f"{n:04d}"}).status_code
               for n in range(ADDRESS_LIMIT + 5)]
    assert answers.count(401) == ADDRESS_LIMIT - 1
    assert answers[ADDRESS_LIMIT - 1:] == [429] * 6


def test_another_address_is_not_locked_by_the_first(app, db):
    waiter = make_staff(db, Role.WAITER)
    for n in range(ADDRESS_LIMIT):
        pin_pad(app).post("/api/v1/session", json={"pin": f"{n:04d}"})
    other = app.test_client()
    answer = other.post("/api/v1/session", json={"pin": waiter.pin},
                        environ_base={"REMOTE_ADDR": "10.0.0.42"})
    assert answer.status_code == 200


def test_guesses_per_hour_with_one_valid_pin_and_rotating_pads(app, db):
    """The brute-force figure: an attacker who holds a valid PIN, takes a new pad for every
    try and signs in with their own PIN after every four guesses, one try every 10 s for
    three hours of clock. A guess counts when its PIN was checked (not refused unread)."""
    waiter = make_staff(db, Role.WAITER)
    address = "10.9.9.9"
    check = PinCheck(app.config["SECRET_KEY"], PinPolicy(), address=address)
    start = utcnow()
    guesses_per_hour = [0, 0, 0]
    with app.test_request_context():
        for tries in range(3 * 360):
            moment = start + timedelta(seconds=10 * tries)
            own_turn = tries % 5 == 4
            with db.transaction() as session:
                sign_in_with_pin(session, pin=waiter.pin if own_turn else f"{tries:04d}",
                                 pad=f"pad:rotating-{tries}", check=check,
                                 device_label="attacker", now=moment)
                checked = session.scalar(select(func.count()).select_from(PinFailure).where(
                    PinFailure.address == address, PinFailure.at == moment))
            guesses_per_hour[tries // 360] += checked
    print(f"\nPIN guesses per hour with one valid PIN and rotating pads: {guesses_per_hour}")
    assert guesses_per_hour == [ADDRESS_LIMIT] * 3


def test_a_venue_under_guessing_alerts_its_managers(app, db):
    with db.transaction() as session:
        session.get(Venue, 1).pin_alert_failures = 6
    for n in range(6):  # two guesses from each of three addresses
        app.test_client().post("/api/v1/session", json={"pin": f"{n:04d}"},
                               environ_base={"REMOTE_ADDR": f"10.0.1.{n // 2}"})
    with db.reading() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == "pin_guessing")).all()
        rooms = set(session.execute(select(Event.namespace, Event.room)
                                    .where(Event.name == "alert")).all())
    assert len(alerts) == 1 and alerts[0].message["failures"] == 6
    assert {("/office", "office"), ("/floor", "managers")} <= rooms
    app.test_client().post("/api/v1/session", json={"pin": "9998"},
                           environ_base={"REMOTE_ADDR": "10.0.1.9"})
    with db.reading() as session:  # one alert for the hour, not one per guess
        assert session.scalar(select(func.count()).select_from(Alert)) == 1


def test_wrong_manager_pins_for_an_approval_count_against_the_address(app, db):
    make_venue(db, day_open=True)
    tablet = signed_in(app, make_staff(db, Role.WAITER))
    sent = make_check(tablet, table=make_table(db), lines=[make_item(db)])
    line = sent["lines"][0]
    for n in range(5):
        refused = tablet.post(f"/api/v1/checks/{sent['id']}/lines/{line['id']}/void", json={
            "version": sent["version"], "reason": "mistake", "manager_pin": f"{n:04d}"})
        assert refused.get_json()["error"]["field"] == "manager_pin"  # each was checked
    for n in range(ADDRESS_LIMIT - 6):
        pin_pad(app).post("/api/v1/session", json={"pin": f"55{n:02d}"})
    last = pin_pad(app).post("/api/v1/session", json={"pin": "5599"})
    assert last.status_code == 429  # 5 approvals + 15 sign-ins = the address's 20


def test_choosing_a_taken_pin_counts_as_a_wrong_guess(app, db):
    manager = signed_in(app, make_staff(db, Role.MANAGER))
    taken = make_staff(db, Role.WAITER, pin="4321")
    answers = [manager.post("/api/v1/staff", json={"name": f"New {n}", "role": "waiter",
                                                   "pin": taken.pin}).status_code
               for n in range(6)]
    assert answers == [409] * 4 + [429, 429]
    with db.reading() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "staff.pin_taken"))
    assert audited == 5
    # A PIN nobody holds is still refused while the streak is locked: no oracle.
    assert manager.post("/api/v1/staff", json={"name": "X", "role": "waiter",
                                               "pin": "86420"}).status_code == 429


def test_guesses_sent_all_at_once_still_stop_at_the_limit(app, db):
    """Forty guesses racing from eight threads: twenty are checked, the rest refused."""
    from concurrent.futures import ThreadPoolExecutor

    def guess(n: int) -> int:
        return pin_pad(app).post("/api/v1/session", json={"pin": f"{n:04d}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(guess, range(2 * ADDRESS_LIMIT)))
    with db.reading() as session:
        checked = session.scalar(select(func.count()).select_from(PinFailure))
    assert checked == ADDRESS_LIMIT
    assert answers.count(401) == ADDRESS_LIMIT - 1
