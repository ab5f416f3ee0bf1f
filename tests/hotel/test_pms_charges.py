"""Room charges when the hotel runs its own PMS (FIAS, the simulator over TCP): the pay is
pending until the PMS answers; OK pays the bill, a refusal declines it with the PMS's
reason; a drop after the request still books once; charges taken while the link is down
reach the PMS in order when it returns; a guest the PMS checked out cannot be charged."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from factories import make_check, make_item, make_staff, make_table, signed_in
from sqlalchemy import select

from pos.core.alerts import Alert
from pos.hotel.fias import FiasClient, FiasTimeouts
from pos.hotel.fias_sim import PmsSimulator
from pos.hotel.models import PmsPosting
from pos.hotel.pms import DatabasePostingStore, PmsFolios

FAST = FiasTimeouts(connect=1.0, handshake=1.0, heartbeat=0.1, alive=0.6, answer=1.0,
                    retry=0.2, backoff_first=0.05, backoff_max=0.2)


def eventually(condition, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition never held")


class Hotel:
    def __init__(self, app) -> None:
        self.app, self.pms = app, PmsSimulator()
        self.pms.check_in("204", "G204", "Dobre", first_name="Gabriela")
        self.pms.check_in("205", "G205", "O'Connor", first_name="James", no_post=True)
        self.port = self.pms.serve(0)
        self.client = FiasClient("127.0.0.1", self.port, DatabasePostingStore(app),
                                 workstation="TILL1", timeouts=FAST)
        app.extensions["masa_pms"] = PmsFolios(self.client)
        self.client.start()
        assert self.client.wait_link_up(3)
        eventually(lambda: self.client.in_house("204"))

    def restart_pms(self) -> None:
        """The PMS comes back (its guests with it) on the same port."""
        self.pms = PmsSimulator()
        self.pms.check_in("204", "G204", "Dobre", first_name="Gabriela")
        self.pms.serve(self.port)

    def close(self) -> None:
        self.client.stop()
        self.pms.stop()
        self.app.extensions.pop("masa_pms", None)


@pytest.fixture
def hotel(app) -> Iterator[Hotel]:
    hotel = Hotel(app)
    yield hotel
    hotel.close()


@pytest.fixture
def cashier(app, db):
    return signed_in(app, make_staff(db, "cashier"))


@pytest.fixture
def dinner(app, db):
    waiter = signed_in(app, make_staff(db, "waiter"))
    steak = make_item(db, price=89_00, rate_bp=2100)

    def new_dinner():
        return make_check(waiter, table=make_table(db), lines=[steak])

    return new_dinner


def charge(cashier, check, **fields):
    answer = cashier.post(f"/api/v1/checks/{check['id']}/payments", json={
        "client_id": str(uuid.uuid4()), "bill": 1, "tender": "room",
        "amount": check["totals"]["total"], "reference": "204",
        "guest_name": "Gabriela Dobre", **fields})
    return answer


def settled(cashier, check) -> dict:
    def final():
        state = cashier.get(f"/api/v1/checks/{check['id']}/bills").get_json()
        return state if state["payments"][-1]["status"] in ("approved", "declined") else None
    return eventually(final)


def test_the_cashier_sees_the_pms_guests_and_a_charge_is_paid_when_the_pms_says_ok(
        hotel, cashier, dinner):
    found = cashier.get("/api/v1/hotel/in-house?room=204").get_json()
    assert [(g["guests"], g["guest_number"], g["stay_id"]) for g in found] == [
        (["Gabriela Dobre"], "G204", None)]
    assert [g["room"] for g in cashier.get("/api/v1/hotel/in-house?name=dobre").get_json()] \
        == ["204"]
    check = dinner()
    answer = charge(cashier, check, tip=5_00)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["payments"][0]["status"] == "pending"
    state = settled(cashier, check)
    assert (state["payments"][0]["status"], state["check_status"]) == ("approved", "paid")
    [booked] = hotel.pms.folio("G204")
    assert booked.amount == 89_00 + 5_00


def test_a_refusal_declines_the_charge_and_tells_the_cashier_why(app, db, hotel, cashier,
                                                                 dinner):
    hotel.pms.next_answer("CO", "Guest checked out at 11:02")
    check = dinner()
    assert charge(cashier, check).status_code == 201
    state = settled(cashier, check)
    assert (state["payments"][0]["status"], state["check_status"]) == ("declined", "open")
    assert state["payments"][0]["declined_reason"] == "Guest checked out at 11:02"
    assert state["due"] == check["totals"]["total"]
    with db.reading() as session:
        alert = session.scalar(select(Alert).where(Alert.kind == "room_charge_refused"))
        assert alert.message["code"] == "CO"
        assert alert.message["text"] == "Guest checked out at 11:02"
    assert hotel.pms.folio("G204") == []


def test_a_no_post_guest_and_a_wrong_name_are_refused_before_anything_is_sent(
        db, hotel, cashier, dinner):
    check = dinner()
    blocked = charge(cashier, check, reference="205", guest_name="James O'Connor")
    assert blocked.status_code == 409 and blocked.get_json()["error"]["code"] == "no_post"
    wrong = charge(cashier, check, guest_name="Maria Dobre")
    assert wrong.status_code == 409 and wrong.get_json()["error"]["code"] == "wrong_guest"
    assert wrong.get_json()["error"]["guests"][0]["guests"] == ["Gabriela Dobre"]
    with db.reading() as session:
        assert session.scalars(select(PmsPosting)).all() == []


def test_a_link_dropped_after_the_request_still_books_the_charge_once(hotel, cashier, dinner):
    hotel.pms.drop_after_request()
    check = dinner()
    assert charge(cashier, check).status_code == 201
    assert settled(cashier, check)["check_status"] == "paid"
    assert len(hotel.pms.folio("G204")) == 1


def test_charges_taken_while_the_link_is_down_reach_the_pms_in_order(db, hotel, cashier,
                                                                     dinner):
    hotel.pms.stop()
    eventually(lambda: not hotel.client.link_up)
    checks = [dinner() for _ in range(3)]
    for check in checks:
        answer = charge(cashier, check)
        assert answer.status_code == 201, answer.get_json()
        assert answer.get_json()["payments"][0]["status"] == "pending"
    hotel.restart_pms()
    for check in checks:
        assert settled(cashier, check)["check_status"] == "paid"
    with db.reading() as session:
        numbers = session.scalars(select(PmsPosting.id).order_by(PmsPosting.id)).all()
    assert [c.p_number for c in hotel.pms.folio("G204")] == list(numbers)


def test_a_guest_the_pms_checks_out_can_no_longer_be_charged(hotel, cashier, dinner):
    hotel.pms.check_out("204")
    eventually(lambda: not hotel.client.in_house("204"))
    refused = charge(cashier, dinner())
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "not_in_house"


def test_a_refund_of_a_charge_the_pms_booked_goes_to_its_folio_as_a_correction(
        db, hotel, cashier, dinner):
    check = dinner()
    assert charge(cashier, check).status_code == 201
    payment = settled(cashier, check)["payments"][0]
    manager = make_staff(db, "manager", pin="4321")
    refund = cashier.post(f"/api/v1/payments/{payment['id']}/refund", json={
        "client_id": str(uuid.uuid4()), "amount": 10_00, "reason": "Cold steak",
        "manager_pin": "4321"})
    assert refund.status_code == 201, refund.get_json()
    eventually(lambda: len(hotel.pms.folio("G204")) == 2)
    assert [c.amount for c in hotel.pms.folio("G204")] == [89_00, -10_00]
    assert manager.id
