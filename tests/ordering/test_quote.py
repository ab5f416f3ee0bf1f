"""POST /api/v1/checks/{id}/quote: the check's totals as they would be with the lines a
waiter has tapped and not sent — the server's figures (tax on top in a tax-exclusive
venue, a check discount shared over every line), and nothing written."""

from __future__ import annotations

import uuid

import pytest
from factories import make_item, make_staff, signed_in
from sqlalchemy import func, select

from kitchen.models import Ticket
from pos.core.api import IdempotencyKey
from pos.core.auth import Role
from pos.core.events import Event
from pos.core.money import TaxMode
from pos.menu.models import MenuItem
from pos.ordering.models import Check, OrderLine, Send
from pos.venue.models import Venue
from pos.venue.operations import current_business_day, open_business_day


def set_tax_mode(db, mode: TaxMode) -> None:
    with db.transaction() as session:
        session.get(Venue, 1).tax_mode = mode


def day_open(db) -> None:
    """Orders are taken in an open business day."""
    with db.transaction() as session:
        if current_business_day(session) is None:
            open_business_day(session, None)


def new_tab(client) -> dict:
    response = client.post("/api/v1/checks", json={"kind": "bar_tab", "name": "Quote",
                                                   "guest_count": 2, "client_id": uid()})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def uid() -> str:
    return str(uuid.uuid4())


def line(item_id: int, quantity: int = 1, **fields) -> dict:
    return {"item_id": item_id, "quantity": quantity, "client_id": uid(), **fields}


def send(client, check: dict, *lines: dict) -> dict:
    response = client.post(f"/api/v1/checks/{check['id']}/send", json={
        "client_id": uid(), "version": check["version"], "lines": list(lines)})
    assert response.status_code == 200, response.get_json()
    return client.get(f"/api/v1/checks/{check['id']}").get_json()


def quote(client, check_id: int, *lines: dict):
    return client.post(f"/api/v1/checks/{check_id}/quote", json={"lines": list(lines)})


def written(db, check_id: int) -> dict:
    """Everything a quote could have written, counted."""
    with db.reading() as session:
        counts = {model.__name__: session.scalar(select(func.count()).select_from(model))
                  for model in (OrderLine, Event, Send, Ticket, IdempotencyKey, Check)}
        check = session.get(Check, check_id)
        counts["version"] = check.version
        counts["discount"] = (check.discount_bp, check.discount_amount)
        counts["items"] = sorted(session.execute(
            select(MenuItem.id, MenuItem.available, MenuItem.count_left)).all())
    return counts


@pytest.fixture
def waiter(app, db):
    day_open(db)
    return signed_in(app, make_staff(db, Role.WAITER))


@pytest.fixture
def manager(app, db):
    return signed_in(app, make_staff(db, Role.MANAGER))


@pytest.mark.parametrize(("mode", "sent_total", "quoted_total", "lines_tax"), [
    # 10.00 at 21 % sent; two × 5.00 at 9 % tapped.
    (TaxMode.INCLUSIVE, 10_00, 20_00, [(2100, 8_26, 1_74), (900, 9_17, 83)]),
    (TaxMode.EXCLUSIVE, 12_10, 23_00, [(2100, 10_00, 2_10), (900, 10_00, 90)]),
])
def test_a_quote_is_the_checks_total_with_the_draft_lines_as_a_send_would_make_it(
        waiter, db, mode, sent_total, quoted_total, lines_tax):
    set_tax_mode(db, mode)
    wine, soup = make_item(db, 10_00, 2100).id, make_item(db, 5_00, 900).id
    check = send(waiter, new_tab(waiter), line(wine))
    assert check["totals"]["total"] == sent_total
    before = written(db, check["id"])
    draft = line(soup, 2, seat=1, note="hot")

    response = quote(waiter, check["id"], draft)

    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert (answer["check_id"], answer["version"]) == (check["id"], check["version"])
    assert answer["totals"]["total"] == quoted_total
    assert [(t["rate_bp"], t["net"], t["tax"]) for t in answer["totals"]["tax"]] == lines_tax
    assert answer["lines"] == [{"index": 0, "client_id": draft["client_id"], "gross": 10_00,
                                "comp": 0, "discount": 0, "total": 10_00}]
    assert written(db, check["id"]) == before
    # What the send then makes is what the quote said.
    assert send(waiter, check, draft)["totals"] == answer["totals"]


def test_a_check_discount_is_shared_with_the_draft_lines(waiter, manager, db):
    set_tax_mode(db, TaxMode.EXCLUSIVE)
    wine, soup = make_item(db, 10_00, 2100).id, make_item(db, 5_00, 900).id
    check = send(waiter, new_tab(waiter), line(wine))
    response = manager.post(f"/api/v1/checks/{check['id']}/discount", json={
        "version": check["version"], "percent_bp": 1000, "reason": "Regular guest"})
    assert response.status_code == 200, response.get_json()
    check = response.get_json()
    assert check["totals"]["total"] == 12_10 - 1_21
    before = written(db, check["id"])
    draft = line(soup, 2)

    answer = quote(waiter, check["id"], draft).get_json()

    # 10 % of 20.00 is 2.00, one each; then tax on top: 9.00 + 1.89 and 9.00 + 0.81.
    assert answer["totals"]["discounts"] == 2_00
    assert answer["totals"]["total"] == 9_00 + 1_89 + 9_00 + 81
    assert answer["lines"][0] | {"client_id": None} == {
        "index": 0, "client_id": None, "gross": 10_00, "comp": 0, "discount": 1_00,
        "total": 9_00}
    # The tablet's own sum (what it showed before) would have been wrong twice over.
    assert answer["totals"]["total"] != check["totals"]["total"] + 2 * 5_00
    assert written(db, check["id"]) == before
    assert send(waiter, check, draft)["totals"] == answer["totals"]


def test_no_lines_quote_the_check_as_it_is(waiter, db):
    wine = make_item(db, 10_00, 2100).id
    check = send(waiter, new_tab(waiter), line(wine, 3))
    answer = quote(waiter, check["id"]).get_json()
    assert answer["totals"] == check["totals"] and answer["lines"] == []


def test_a_line_already_on_the_check_is_not_counted_twice(waiter, db):
    """A send whose answer was lost is on the check; the tablet may still quote its lines."""
    wine, soup = make_item(db, 10_00, 2100).id, make_item(db, 5_00, 900).id
    landed = line(wine)
    check = send(waiter, new_tab(waiter), landed)
    waiting = line(soup)
    answer = quote(waiter, check["id"], landed, waiting).get_json()
    assert [(q["index"], q["client_id"]) for q in answer["lines"]] == [
        (1, waiting["client_id"])]
    assert answer["totals"]["total"] == 10_00 + 5_00


def test_an_invalid_or_86d_line_is_refused_naming_it_as_a_send_would(waiter, db):
    wine = make_item(db, 10_00, 2100).id
    out = make_item(db, 7_00, 900, name="Salmon", available=False).id
    two_left = make_item(db, 6_00, 900, name="Tiramisu", count_left=2).id
    check = send(waiter, new_tab(waiter), line(wine))
    before = written(db, check["id"])

    unknown = quote(waiter, check["id"], line(wine), {"item_id": 999_999})
    assert unknown.status_code == 422
    assert unknown.get_json()["error"]["field"] == "lines.1.item_id"

    bad_quantity = quote(waiter, check["id"], line(wine, 0))
    assert bad_quantity.status_code == 422
    assert bad_quantity.get_json()["error"]["field"] == "lines.0.quantity"

    sold_out = quote(waiter, check["id"], line(wine), line(out))
    assert sold_out.status_code == 409
    assert sold_out.get_json()["error"]["code"] == "86"
    assert sold_out.get_json()["error"]["field"] == "lines.1.item_id"
    assert "Salmon" in sold_out.get_json()["error"]["message"]

    # Each line fits the count; together they do not, and the send would say so too.
    together = [line(wine), line(two_left, 1), line(two_left, 2)]
    refused = quote(waiter, check["id"], *together)
    assert refused.status_code == 409
    assert refused.get_json()["error"] | {"message": ""} == {
        "code": "86", "field": "lines.1.item_id", "message": "", "available": 2,
        "item_id": two_left}
    sent = waiter.post(f"/api/v1/checks/{check['id']}/send", json={
        "client_id": uid(), "version": check["version"], "lines": together})
    assert (sent.status_code, sent.get_json()["error"]["field"]) == (409, "lines.1.item_id")
    assert quote(waiter, check["id"], line(two_left, 2)).status_code == 200

    assert written(db, check["id"]) == before


def test_a_quote_needs_an_open_check_and_the_right_to_take_orders(app, waiter, db):
    wine = make_item(db, 10_00, 2100).id
    assert quote(waiter, 999_999, line(wine)).status_code == 404
    check = new_tab(waiter)
    response = waiter.post(f"/api/v1/checks/{check['id']}/cancel",
                           json={"version": check["version"]})
    assert response.status_code == 200, response.get_json()
    closed = quote(waiter, check["id"], line(wine))
    assert (closed.status_code, closed.get_json()["error"]["code"]) == (409, "check_closed")

    open_one = new_tab(waiter)
    host = signed_in(app, make_staff(db, Role.HOST))
    assert quote(host, open_one["id"], line(wine)).status_code == 403
    assert quote(app.test_client(), open_one["id"], line(wine)).status_code == 401


def test_the_quote_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/checks/{check_id}/quote"]["post"]
    assert "writes nothing" in operation["summary"]
