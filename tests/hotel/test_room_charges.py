"""A meal charged to a guest's room: the cashier names the room, confirms the guest by
name, the guest signs; the bill is paid with the room tender and the stay's folio gets the
charge, itemised, in one transaction, once. Refused, writing nothing, for a room nobody
stays in, a guest not on the stay, a "no post" stay, or past the credit limit (unless a
manager allows it). A refund comes off the same folio; the desk settles it and checks out."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta

import pytest
from factories import make_check, make_item, make_staff, make_stay, make_table, signed_in
from sqlalchemy import func, select

from pos.core.audit import AuditEntry
from pos.core.db import utcnow
from pos.hotel.models import FolioEntry, Stay, StayStatus
from pos.payments.models import Payment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40  # a signature, as the tablet sends it
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()
@pytest.fixture
def dinner(app, db):
    """A table's dinner: two steaks (89,00 at 21 %) and a water (9,50 at 11 %)."""
    waiter = signed_in(app, make_staff(db, "waiter"))
    steak, water = make_item(db, price=89_00, rate_bp=2100), make_item(db, price=9_50,
                                                                        rate_bp=1100)
    return make_check(waiter, table=make_table(db), lines=[steak, steak, water])


@pytest.fixture
def cashier(app, db):
    return signed_in(app, make_staff(db, "cashier"))


@pytest.fixture
def desk(app, db):
    return signed_in(app, make_staff(db, "front_desk"))


def charge(cashier, check, amount, **fields):
    return cashier.post(f"/api/v1/checks/{check['id']}/payments", json={
        "client_id": fields.pop("client_id", str(uuid.uuid4())), "bill": 1, "tender": "room",
        "amount": amount, **fields})


def written(db) -> tuple[int, int]:
    with db.reading() as session:
        return (session.scalar(select(func.count()).select_from(Payment)),
                session.scalar(select(func.count()).select_from(FolioEntry)))


def refused(response, status: int, code: str, field: str) -> dict:
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    return error


def test_a_dinner_charged_to_the_room_pays_the_bill_and_lands_itemised_on_the_folio(
        db, cashier, desk, dinner):
    stay = make_stay(db, "Ana Ionescu", "Mihai Ionescu")
    total = dinner["totals"]["total"]
    paid = charge(cashier, dinner, total, tip=10_00, reference=stay["room"],
                  guest_name="mihai IONESCU", signature=SIGNATURE)
    assert paid.status_code == 201, paid.get_json()
    state = paid.get_json()
    assert state["check_status"] == "paid"
    assert [(p["tender"], p["amount"], p["tip"], p["reference"]) for p in state["payments"]] \
        == [("room", total, 10_00, stay["room"])]

    folio = desk.get(f"/api/v1/stays/{stay['id']}/folio").get_json()
    [entry] = folio["entries"]
    assert (entry["kind"], entry["amount"], entry["tip"]) == ("charge", total + 10_00, 10_00)
    assert (entry["check_id"], entry["signed_by"], entry["signed"]) == (
        dinner["id"], "Mihai Ionescu", True)
    assert sorted((line["quantity"], line["amount"]) for line in entry["lines"]) == [
        (1, 9_50), (1, 89_00), (1, 89_00)]
    assert {t["rate_bp"] for t in entry["tax"]} == {2100, 1100}
    assert sum(t["net"] + t["tax"] for t in entry["tax"]) == total
    assert folio["balance"] == total + 10_00
    with db.reading() as session:
        assert session.scalar(select(FolioEntry.signature)) == PNG
        assert session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "folio.charged")) == "folio.charged"


def test_a_replayed_room_charge_posts_once(db, cashier, dinner):
    stay = make_stay(db, "Ana Ionescu")
    body = {"client_id": str(uuid.uuid4()), "reference": stay["room"],
            "guest_name": "Ana Ionescu"}
    first = charge(cashier, dinner, 20_00, **body)
    again = charge(cashier, dinner, 20_00, **body)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["payments"] == again.get_json()["payments"]
    assert written(db) == (1, 1)


def test_a_room_without_a_name_answers_with_who_may_sign(db, cashier, dinner):
    stay = make_stay(db, "Ana Ionescu", "Mihai Ionescu")
    error = refused(charge(cashier, dinner, 20_00, reference=stay["room"]), 409,
                    "confirm_guest", "guest_name")
    assert error["guests"][0]["guests"] == ["Ana Ionescu", "Mihai Ionescu"]
    assert written(db) == (0, 0)


def test_every_refusal_names_its_field_and_writes_nothing(db, cashier, dinner):
    two = make_stay(db, "Ana Ionescu", "Mihai Ionescu")
    gone = make_stay(db, "Ion Popa", status=StayStatus.CHECKED_OUT)
    blocked = make_stay(db, "James O'Connor", no_post=True)
    cases = [
        (dict(reference="999"), 404, "unknown_room", "reference"),
        (dict(reference=two["room"], guest_name="Maria Ionescu"), 409, "wrong_guest",
         "guest_name"),
        (dict(reference=gone["room"], guest_name="Ion Popa"), 409, "not_in_house",
         "reference"),
        (dict(reference=gone["room"], stay_id=gone["id"], guest_name="Ion Popa"), 409,
         "not_in_house", "stay_id"),
        (dict(reference=blocked["room"], guest_name="James O'Connor"), 409, "no_post",
         "reference"),
        (dict(reference=two["room"], guest_name="Ana Ionescu", signature="data:image/png;"
              "base64,bm90IGEgcG5n"), 422, "invalid", "signature"),
        (dict(), 422, "invalid", "reference"),
    ]
    for fields, status, code, field in cases:
        refused(charge(cashier, dinner, 20_00, **fields), status, code, field)
    assert written(db) == (0, 0)


def test_past_the_credit_limit_a_manager_allows_it_audited(app, db, cashier, dinner):
    stay = make_stay(db, "Alexandra Constantinescu", credit_limit=100_00)
    body = {"reference": stay["room"], "guest_name": "Alexandra Constantinescu"}
    assert charge(cashier, dinner, 60_00, **body).status_code == 201
    error = refused(charge(cashier, dinner, 50_00, **body), 409, "over_credit_limit",
                    "amount")
    assert "40,00" in error["message"]  # what is left, as money
    assert written(db) == (1, 1)
    manager = make_staff(db, "manager", pin="4321")
    allowed = charge(cashier, dinner, 50_00, manager_pin="4321", **body)
    assert allowed.status_code == 201, allowed.get_json()
    with db.reading() as session:
        entries = session.scalars(select(FolioEntry).order_by(FolioEntry.id)).all()
        assert [(e.amount, e.approved_by_id) for e in entries] == [
            (60_00, None), (50_00, manager.id)]


def test_a_refund_of_a_room_charge_comes_off_the_folio_and_the_desk_checks_out(
        db, cashier, desk, dinner):
    stay = make_stay(db, "Ana Ionescu")
    total = dinner["totals"]["total"]
    paid = charge(cashier, dinner, total, reference=stay["room"], guest_name="Ana Ionescu")
    payment = paid.get_json()["payments"][0]
    manager = make_staff(db, "manager", pin="4321")
    refund = cashier.post(f"/api/v1/payments/{payment['id']}/refund", json={
        "client_id": str(uuid.uuid4()), "amount": 9_50, "reason": "Water not served",
        "manager_pin": "4321"})
    assert refund.status_code == 201, refund.get_json()
    folio = desk.get(f"/api/v1/stays/{stay['id']}/folio").get_json()
    assert [(e["kind"], e["amount"]) for e in folio["entries"]] == [
        ("charge", total), ("correction", 9_50)]
    assert folio["entries"][1]["corrects_id"] == folio["entries"][0]["id"]
    owed = total - 9_50
    assert folio["balance"] == owed

    early = desk.post(f"/api/v1/stays/{stay['id']}/check-out", json={})
    refused(early, 409, "folio_open", "stay_id")
    too_much = desk.post(f"/api/v1/stays/{stay['id']}/settle", json={
        "client_id": str(uuid.uuid4()), "amount": owed + 1, "how": "cash"})
    refused(too_much, 422, "more_than_owed", "amount")
    settle = {"client_id": str(uuid.uuid4()), "amount": owed, "how": "transfer",
              "reference": "Acme SRL"}
    assert desk.post(f"/api/v1/stays/{stay['id']}/settle", json=settle).status_code == 201
    assert desk.post(f"/api/v1/stays/{stay['id']}/settle", json=settle).status_code == 201
    out = desk.post(f"/api/v1/stays/{stay['id']}/check-out", json={})
    assert out.status_code == 200, out.get_json()
    assert (out.get_json()["status"], out.get_json()["balance"]) == ("checked_out", 0)
    assert manager.id and len(out.get_json()["entries"]) == 3
    gone = charge(cashier, dinner, 1_00, reference=stay["room"], guest_name="Ana Ionescu")
    assert gone.status_code == 409


def test_the_cashier_finds_in_house_guests_by_room_or_name_and_only_they_see_it(
        db, cashier, desk, dinner):
    make_stay(db, "Ștefan Bălan", room="701")
    make_stay(db, "Dorin Vlad", status=StayStatus.RESERVED, room="702")
    by_room = cashier.get("/api/v1/hotel/in-house?room=701").get_json()
    assert [(s["room"], s["guests"]) for s in by_room] == [("701", ["Ștefan Bălan"])]
    by_name = cashier.get("/api/v1/hotel/in-house?name=stefan bal").get_json()
    assert [s["room"] for s in by_name] == ["701"]
    assert cashier.get("/api/v1/hotel/in-house?name=vlad").get_json() == []  # not in yet
    assert cashier.get("/api/v1/hotel/in-house").status_code == 422
    assert desk.get("/api/v1/hotel/in-house?room=701").status_code == 403
    assert cashier.get("/api/v1/stays/1/folio").status_code == 403


def test_the_desk_checks_in_a_reserved_stay_once_its_room_is_free(db, desk):
    staying = make_stay(db, "Ion Popa", room="703")
    arriving = make_stay(db, "Maria Pop", status=StayStatus.RESERVED, room="703")
    refused(desk.post(f"/api/v1/stays/{arriving['id']}/check-in", json={}), 409,
            "room_occupied", "stay_id")
    assert desk.post(f"/api/v1/stays/{staying['id']}/check-out", json={}).status_code == 200
    checked_in = desk.post(f"/api/v1/stays/{arriving['id']}/check-in", json={})
    assert checked_in.status_code == 200 and checked_in.get_json()["status"] == "in_house"
    refused(desk.post(f"/api/v1/stays/{arriving['id']}/check-in", json={}), 409,
            "not_reserved", "stay_id")


def test_the_desk_lists_arrivals_in_house_and_departures_for_today(db, desk):
    arriving = make_stay(db, "Dorin Vlad", status=StayStatus.RESERVED, room="704")
    staying = make_stay(db, "Ana Ionescu", room="705")
    with db.transaction() as session:
        session.get(Stay, staying["id"]).departure = utcnow().date() - timedelta(days=1)

    def rooms(view):
        answer = desk.get(f"/api/v1/stays?view={view}")
        assert answer.status_code == 200, answer.get_json()
        return {stay["room"] for stay in answer.get_json()}

    assert "704" in rooms("arrivals") and "704" not in rooms("in_house")
    assert "705" in rooms("departures") and "705" in rooms("in_house")
    assert "705" not in rooms("arrivals") and arriving["id"]
    assert desk.get("/api/v1/stays?view=nowhere").status_code == 422


def test_the_desk_adds_a_charge_by_hand_and_corrects_it_never_past_what_it_was(db, desk):
    stay = make_stay(db, "Ana Ionescu")
    entries = f"/api/v1/stays/{stay['id']}/entries"
    minibar = {"client_id": str(uuid.uuid4()), "kind": "charge", "amount": 42_00,
               "description": "Minibar"}
    first = desk.post(entries, json=minibar)
    assert first.status_code == 201, first.get_json()
    assert desk.post(entries, json=minibar).get_json() == first.get_json()  # a retry
    [charge_entry] = first.get_json()["entries"]
    correct = {"kind": "correction", "corrects_id": charge_entry["id"],
               "description": "Water not taken"}
    refused(desk.post(entries, json={**correct, "client_id": str(uuid.uuid4()),
                                     "amount": 42_01}), 422, "more_than_charged", "amount")
    fixed = desk.post(entries, json={**correct, "client_id": str(uuid.uuid4()),
                                     "amount": 12_00})
    assert fixed.status_code == 201
    assert fixed.get_json()["balance"] == 30_00
    refused(desk.post(entries, json={**correct, "client_id": str(uuid.uuid4()),
                                     "amount": 30_01}), 422, "more_than_charged", "amount")
    refused(desk.post(entries, json={**correct, "client_id": str(uuid.uuid4()),
                                     "amount": 1_00, "corrects_id": 999_999}), 404,
            "not_found", "corrects_id")
    refused(desk.post(entries, json={**minibar, "client_id": str(uuid.uuid4()),
                                     "amount": 0}), 422, "invalid", "amount")
    with db.reading() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.action == "folio.manual_entry")).all()
    assert len(actions) == 2
