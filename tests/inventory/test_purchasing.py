"""Purchasing (issue 13): suppliers, suggestions from par levels in whole packs, purchase
orders from draft to received, each delivery a stock receipt at its cost (the moving
average exact), and bad input refused naming its field with nothing written."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from stock_kit import assert_ledger_equals_levels

from pos.core.audit import AuditEntry
from pos.inventory.models import StockDocument, StockMovement
from pos.inventory.purchasing_models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    Supplier,
)

INVENTORY = "/api/v1/inventory"


def supplier(stock, name: str, *items: dict) -> int:
    return stock.ok(stock.client.post(f"{INVENTORY}/suppliers", json={
        "name": name, "contact": "Ion", "email": "orders@example.ro", "phone": "0700 000 000",
        "items": list(items)}), 201)["id"]


def order(stock, supplier_id: int, *lines: tuple) -> dict:
    return stock.client.post(f"{INVENTORY}/purchase-orders", json={
        "client_id": str(uuid.uuid4()), "supplier_id": supplier_id,
        "location_id": stock.kitchen,
        "lines": [{"ingredient_id": i, "quantity": q, "unit": u, "unit_cost": c}
                  for i, q, u, c in lines]})


def receive(stock, order_id: int, *lines: tuple, client_id: str | None = None):
    return stock.client.post(f"{INVENTORY}/purchase-orders/{order_id}/receipts", json={
        "client_id": client_id or str(uuid.uuid4()),
        "lines": [{"line_id": line, "quantity": q, **({"total_cost": c} if c is not None
                                                       else {})} for line, q, c in lines]})


def act(stock, placed: dict, action: str):
    return stock.client.post(f"{INVENTORY}/purchase-orders/{placed['id']}/{action}", json={})


def written(db) -> tuple[int, ...]:
    with db.reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) for model in (
            Supplier, PurchaseOrder, PurchaseOrderLine, PurchaseReceipt, StockDocument,
            StockMovement, AuditEntry))


def refused(response, field: str, status: int = 422) -> str:
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["field"] == field, error
    return error["message"]


def test_suggestions_bring_stock_up_to_par_in_whole_packs_by_supplier(stock):
    flour = stock.ingredient("Flour", "kg", par_level=20, cost=3_00)
    oil = stock.ingredient("Oil", "l", par_level=6, cost=9_00)
    salt = stock.ingredient("Salt", "kg", par_level=1)
    stock.ingredient("Basil", "g")  # no par: never suggested
    stock.ok(stock.receive(flour, 3, "kg", 9_00), 201)
    stock.ok(stock.receive(salt, 2, "kg", 4_00), 201)  # above par
    yeast = stock.ingredient("Yeast", "g", par_level=1500)
    mill = supplier(stock, "Moara", {"ingredient_id": flour, "pack_size": 5, "pack_unit": "kg",
                                     "pack_price": 12_50},
                    {"ingredient_id": yeast, "pack_size": 1, "pack_unit": "kg",
                     "pack_price": 22_05})
    # Editing what a supplier sells replaces the list, the same ingredient included.
    stock.ok(stock.client.patch(f"{INVENTORY}/suppliers/{mill}", json={"items": [
        {"ingredient_id": flour, "pack_size": 5, "pack_unit": "kg", "pack_price": 12_50},
        {"ingredient_id": yeast, "pack_size": 1, "pack_unit": "kg", "pack_price": 22_05}]}))
    dear = supplier(stock, "Scump", {"ingredient_id": flour, "pack_size": 1000,
                                     "pack_unit": "g", "pack_price": 4_00})
    groups = stock.ok(stock.client.get(f"{INVENTORY}/purchase-suggestions"))["groups"]
    assert [(g["supplier_id"], [line["ingredient_id"] for line in g["lines"]])
            for g in groups] == [(mill, [flour, yeast]), (None, [oil])]
    flour_line, yeast_line = groups[0]["lines"]
    # Kept in grams, bought by the kilo: ordered in kg, so 22.05 a kilo keeps its bani.
    assert (yeast_line["packs"], yeast_line["quantity"], yeast_line["order_unit"],
            yeast_line["unit_cost"], yeast_line["total"]) == (2, 2.0, "kg", 22_05, 44_10)
    # 17 kg short; 5 kg sacks: four of them. 12.50 a sack is 2.50 a kilo.
    assert (flour_line["packs"], flour_line["quantity"], flour_line["unit_cost"],
            flour_line["total"]) == (4, 20.0, 2_50, 50_00)
    assert groups[1]["lines"][0]["quantity"] == 6.0 and groups[1]["lines"][0]["unit_cost"] == 9_00
    assert dear not in [g["supplier_id"] for g in groups]

    made = stock.ok(stock.client.post(f"{INVENTORY}/purchase-orders/from-suggestions",
                                      json={}), 201)["orders"]
    assert [(o["supplier_id"], o["status"], [(line["ingredient_id"], line["quantity"])
                                             for line in o["lines"]]) for o in made] == [
        (mill, "draft", [(flour, 20.0), (yeast, 2.0)])]
    assert made[0]["total"] == 50_00 + 44_10
    # What is on order counts: flour is no longer suggested.
    groups = stock.ok(stock.client.get(f"{INVENTORY}/purchase-suggestions"))["groups"]
    assert [g["supplier_id"] for g in groups] == [None]


def test_an_order_is_sent_received_in_part_then_in_full_at_its_cost(stock, db):
    beef = stock.ingredient("Beef", "kg")
    onion = stock.ingredient("Onion", "kg")
    stock.ok(stock.receive(beef, 2, "kg", 180_00), 201)  # 90.00 a kilo on hand
    butcher = supplier(stock, "Măcelăria", {"ingredient_id": beef})
    placed = stock.ok(order(stock, butcher, (beef, 4, "kg", 120_00), (onion, 10, "kg", 3_00)),
                      201)
    beef_line, onion_line = (line["id"] for line in placed["lines"])
    assert placed["status"] == "draft" and placed["total"] == 480_00 + 30_00
    sent = stock.ok(act(stock, placed, "send"))
    assert sent["status"] == "sent"

    first = stock.ok(receive(stock, placed["id"], (beef_line, 1, None), (onion_line, 2.5, 8_00)),
                     201)
    assert first["status"] == "partly_received"
    assert [(line["received"], line["due"]) for line in first["lines"]] == [(1.0, 3.0),
                                                                           (2.5, 7.5)]
    # 1 kg at the expected 120.00 joins 2 kg worth 180.00: 3 kg worth 300.00.
    assert stock.level(beef) == (3_000_000, 300_00)
    assert stock.level(onion) == (2_500_000, 8_00)
    assert stock.moved(beef, "receipt")[-1] == ("receipt", 1_000_000, 120_00)

    again = receive(stock, placed["id"], (beef_line, 3, 330_00), (onion_line, 7.5, None))
    done = stock.ok(again, 201)
    assert done["status"] == "received" and len(done["receipts"]) == 2
    assert stock.level(beef) == (6_000_000, 630_00)
    assert stock.level(onion) == (10_000_000, 8_00 + 22_50)
    with db.reading() as session:
        suppliers = set(session.scalars(select(StockDocument.supplier).where(
            StockDocument.id.in_(done["receipts"]))))
    assert suppliers == {"Măcelăria"}
    assert_ledger_equals_levels(db)
    refused(receive(stock, placed["id"], (beef_line, 1, None)), "status", 409)


def test_a_retried_delivery_is_received_once(stock):
    beef = stock.ingredient("Beef", "kg")
    butcher = supplier(stock, "Măcelăria")
    placed = stock.ok(order(stock, butcher, (beef, 4, "kg", 100_00)), 201)
    stock.ok(act(stock, placed, "send"))
    key = str(uuid.uuid4())
    line = placed["lines"][0]["id"]
    stock.ok(receive(stock, placed["id"], (line, 1, None), client_id=key), 201)
    stock.ok(receive(stock, placed["id"], (line, 1, None), client_id=key), 201)
    assert stock.level(beef) == (1_000_000, 100_00)


def test_the_purchase_order_pdf_is_a_pdf_naming_the_supplier(stock):
    beef = stock.ingredient("Beef", "kg")
    butcher = supplier(stock, "Măcelăria Popescu")
    placed = stock.ok(order(stock, butcher, (beef, 4, "kg", 120_00)), 201)
    response = stock.client.get(f"{INVENTORY}/purchase-orders/{placed['id']}.pdf?lang=ro")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("case", ["negative", "unknown_ingredient", "unknown_supplier",
                                  "bad_unit"])
def test_a_bad_purchase_order_is_refused_naming_its_field(stock, db, case):
    beef = stock.ingredient("Beef", "kg")
    butcher = supplier(stock, "Măcelăria")
    before = written(db)
    if case == "negative":
        refused(order(stock, butcher, (beef, -2, "kg", 100)), "lines.0.quantity")
    elif case == "unknown_ingredient":
        refused(order(stock, butcher, (beef, 2, "kg", 100), (99999, 1, "kg", 0)),
                "lines.1.ingredient_id")
    elif case == "unknown_supplier":
        refused(order(stock, 99999, (beef, 2, "kg", 100)), "supplier_id", 404)
    else:
        refused(order(stock, butcher, (beef, 2, "l", 100)), "lines.0.unit")
    assert written(db) == before


def test_bad_receipts_are_refused_naming_their_field_and_write_nothing(stock, db):
    beef, onion = stock.ingredient("Beef", "kg"), stock.ingredient("Onion", "kg")
    butcher = supplier(stock, "Măcelăria")
    placed = stock.ok(order(stock, butcher, (beef, 4, "kg", 100_00), (onion, 1, "kg", 0)), 201)
    beef_line, onion_line = (line["id"] for line in placed["lines"])
    before = written(db)
    assert "Send" in refused(receive(stock, placed["id"], (beef_line, 1, None)), "status", 409)
    stock.ok(act(stock, placed, "send"))
    before = written(db)
    # More than ordered: refused, even when another line of the delivery is good.
    refused(receive(stock, placed["id"], (onion_line, 1, None), (beef_line, 4.5, None)),
            "lines.1.quantity", 409)
    refused(receive(stock, placed["id"], (beef_line, -1, None)), "lines.0.quantity")
    refused(receive(stock, placed["id"], (123456, 1, None)), "lines.0.line_id")
    refused(stock.client.post(f"{INVENTORY}/purchase-orders/{placed['id']}/receipts", json={
        "lines": [{"line_id": beef_line, "quantity": 1, "total_cost": -5}]}),
        "lines.0.total_cost")
    assert written(db) == before
    assert stock.level(beef) == (0, 0)
    stock.ok(act(stock, placed, "cancel"))
    before = written(db)
    assert "cancelled" in refused(receive(stock, placed["id"], (beef_line, 1, None)),
                                  "status", 409)
    refused(act(stock, placed, "send"), "status", 409)
    assert written(db) == before


def test_bad_suppliers_are_refused_and_purchasing_needs_stock_permission(stock, tablet, db):
    before = written(db)
    refused(stock.client.post(f"{INVENTORY}/suppliers", json={"name": ""}), "name")
    refused(stock.client.post(f"{INVENTORY}/suppliers", json={
        "name": "X", "email": "not an address"}), "email")
    refused(stock.client.post(f"{INVENTORY}/suppliers", json={
        "name": "X", "items": [{"ingredient_id": 99999}]}), "items.0.ingredient_id")
    assert written(db) == before
    assert tablet.client.get(f"{INVENTORY}/suppliers").status_code == 403
    assert tablet.client.get(f"{INVENTORY}/purchase-suggestions").status_code == 403


def test_a_purchase_order_prints_through_the_print_queue(stock, db):
    from pos.devices.models import Printer, PrintJob

    with db.transaction() as session:
        printer = Printer(name="Office", kind="file", address="/dev/null")
        session.add(printer)
        session.flush()
        printer_id = printer.id
    beef = stock.ingredient("Beef", "kg")
    butcher = supplier(stock, "Măcelăria Popescu")
    placed = stock.ok(order(stock, butcher, (beef, 4, "kg", 120_00)), 201)
    refused(stock.client.post(f"{INVENTORY}/purchase-orders/{placed['id']}/print",
                              json={"printer_id": 99999}), "printer_id", 404)
    job = stock.ok(stock.client.post(f"{INVENTORY}/purchase-orders/{placed['id']}/print",
                                     json={"printer_id": printer_id, "language": "en"}), 201)
    with db.reading() as session:
        printed = session.get(PrintJob, job["print_job_id"])
        assert (printed.kind, printed.subject) == ("document", f"po:{placed['id']}")
        texts = [(line.get("text"), line.get("right")) for line in printed.document["lines"]]
    assert ("Supplier", "Măcelăria Popescu") in texts
    assert ("  4 kg × 120,00", "480,00") in texts
