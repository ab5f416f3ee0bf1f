"""Pre-bills and receipts: on a (fake) network receipt printer, as the e-receipt page at its
unguessable address, as PDF, and as the record a fiscal device is given."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from factories import make_check, make_item, make_staff, make_table, signed_in
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "kitchen"))
from printer_fakes import FakeNetworkPrinter, add_printer  # noqa: E402

from pos.core.events import Event  # noqa: E402
from pos.devices.models import Printer  # noqa: E402
from pos.devices.print_worker import drain  # noqa: E402
from pos.ordering.models import OrderLine  # noqa: E402
from pos.payments.fiscal import EXTENSION, FileFiscalDevice, record_fiscal_receipt  # noqa: E402
from pos.payments.models import Bill, Tender  # noqa: E402
from pos.payments.receipts import PaymentRow  # noqa: E402
from pos.venue.models import Venue  # noqa: E402

SHOTS = Path("/tmp/shots/receipts")
QR = b"\x1d(k"  # GS ( k: a QR code the printer draws
ESC_T_CP852 = b"\x1bt\x12"


@pytest.fixture(autouse=True)
def no_background_print_worker(app):
    worker = app.extensions.get("masa_print_worker")
    if worker is not None:
        worker.stop()


@pytest.fixture
def till(db):
    """The till's receipt printer: a real TCP listener, printing in English."""
    printer = FakeNetworkPrinter("Till").start()
    printer_id = add_printer(db, "Till", "network", printer.address, language="en")
    with db.transaction() as session:
        session.get(Venue, 1).receipt_printer_id = printer_id
    yield printer
    printer.stop()


@pytest.fixture
def menu(db):
    return {"steak": make_item(db, price=89_00, rate_bp=2100, name="Rib-eye steak"),
            "water": make_item(db, price=9_50, rate_bp=1100, name="Still water")}


@pytest.fixture
def waiter(app, db):
    return signed_in(app, make_staff(db, "waiter", name="Ana Pop"))


@pytest.fixture
def cashier(app, db):
    return signed_in(app, make_staff(db, "cashier"))


def dinner(waiter, db, menu):
    """Table for two: two steaks (one medium rare, with fries) and a water."""
    table = make_table(db, "R7")
    check = make_check(waiter, table=table, guests=2, lines=[
        {"item_id": menu["steak"].id, "seat": 1, "quantity": 1},
        {"item_id": menu["steak"].id, "seat": 2, "quantity": 1},
        {"item_id": menu["water"].id, "seat": 1, "quantity": 1}])
    with db.transaction() as session:
        first = session.scalar(select(OrderLine).where(OrderLine.check_id == check["id"])
                               .order_by(OrderLine.id))
        first.modifiers = [{"modifier_id": 1, "group_id": 1, "price_delta": 0,
                            "names": {"en": "Medium rare", "ro": "În sânge"}},
                           {"modifier_id": 2, "group_id": 2, "price_delta": 0,
                            "names": {"en": "Fries", "ro": "Cartofi prăjiți"}}]
    return check


def pay(client, check_id, bill, amount, **fields):
    answer = client.post(f"/api/v1/checks/{check_id}/payments", json={
        "client_id": str(uuid.uuid4()), "bill": bill, "tender": fields.pop("tender", "cash"),
        "amount": amount, **fields})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def last_bills_event(db, check_id):
    with db.reading() as session:
        events = session.scalars(select(Event).where(Event.name == "bills")
                                 .order_by(Event.id.desc()))
        return next(e.data for e in events if e.data["check_id"] == check_id)


def paid_dinner(waiter, cashier, db, menu):
    """The dinner paid in cash: 187.50 with a 12.50 tip from 250, so 50 change."""
    check = dinner(waiter, db, menu)
    total = 89_00 * 2 + 9_50
    state = pay(cashier, check["id"], 1, total, tip=12_50, tendered=250_00)
    assert state["check_status"] == "paid"
    return check, state["bills"][0]


# --- the pre-bill ---------------------------------------------------------------------------


def test_a_waiter_prints_the_pre_bill_and_every_floor_plan_hears_bill_printed(
        waiter, db, menu, till):
    check = dinner(waiter, db, menu)
    printed = waiter.post(f"/api/v1/checks/{check['id']}/bills/1/prebill", json={})
    assert printed.status_code == 200, printed.get_json()
    assert printed.get_json()["printer"] == "Till"
    assert waiter.get(f"/api/v1/checks/{check['id']}/bills").get_json()["bills"][0]["printed"]
    assert last_bills_event(db, check["id"])["bills"][0]["printed"] is True

    assert drain(db) == 1
    [paper] = till.tickets
    assert paper.startswith(b"\x1b@") and ESC_T_CP852 in paper
    for text in (b"Bistro Masa", b"RO12345678", b"GUEST CHECK", b"Table R7", b"Ana Pop",
                 b"1 \x9e Rib-eye steak", b"+ Medium rare", b"+ Fries",
                 b"187,50 RON", b"A VAT 21 % of 178,00 RON", b"B VAT 11 % of 9,50 RON",
                 b"NOT A FISCAL RECEIPT", b"Suggested tip:", b"10 %", b"18,75 RON"):
        assert text in paper, text
    assert QR not in paper  # the guest check has no e-receipt yet


def test_a_printer_with_no_language_prints_the_venues_romanian(waiter, db, menu, till):
    with db.transaction() as session:
        session.get(Printer, session.get(Venue, 1).receipt_printer_id).language = None
    check = dinner(waiter, db, menu)
    assert waiter.post(f"/api/v1/checks/{check['id']}/bills/1/prebill",
                       json={}).status_code == 200
    drain(db)
    [paper] = till.tickets
    for text in ("NOTĂ DE PLATĂ", "Masa R7", "Ospătar: Ana Pop", "+ În sânge",
                 "A TVA 21 % din 178,00 RON", "NU ESTE BON FISCAL", "Bacşiş sugerat:"):
        assert text.encode("cp852") in paper, text


def test_the_pre_bill_of_the_rest_bill_makes_its_row(waiter, cashier, db, menu, till):
    check = dinner(waiter, db, menu)
    with db.reading() as session:
        assert session.scalars(select(Bill).where(Bill.check_id == check["id"])).all() == []
    assert waiter.post(f"/api/v1/checks/{check['id']}/bills/1/prebill",
                       json={}).status_code == 200
    with db.reading() as session:
        [bill] = session.scalars(select(Bill).where(Bill.check_id == check["id"]))
        assert bill.number == 1 and bill.printed_at is not None


def test_an_even_third_prints_a_third_of_each_line_and_adds_up(waiter, cashier, db, menu,
                                                               till):
    check = dinner(waiter, db, menu)
    split = cashier.post(f"/api/v1/checks/{check['id']}/split", json={"how": "even",
                                                                      "parts": 3})
    assert split.status_code == 200, split.get_json()
    third = split.get_json()["bills"][1]
    assert waiter.post(f"/api/v1/checks/{check['id']}/bills/2/prebill",
                       json={}).status_code == 200
    drain(db)
    [paper] = till.tickets
    assert b"Bill 2 of 3" in paper
    assert b"1/3 \x9e Rib-eye steak" in paper
    total = f"{third['total'] // 100},{third['total'] % 100:02d} RON".encode()
    assert total in paper


def test_a_bartender_with_an_open_drawer_prints_on_the_drawers_printer(app, waiter, db, menu,
                                                                      till):
    bartender = signed_in(app, make_staff(db, "bartender"))
    counter = FakeNetworkPrinter("Counter").start()
    try:
        counter_id = add_printer(db, "Counter", "network", counter.address, language="en")
        opened = bartender.post("/api/v1/shifts", json={"opening_float": 200_00,
                                                      "printer_id": counter_id})
        assert opened.status_code == 201, opened.get_json()
        check = dinner(waiter, db, menu)
        printed = bartender.post(f"/api/v1/checks/{check['id']}/bills/1/prebill", json={})
        assert printed.status_code == 200, printed.get_json()
        assert printed.get_json()["printer"] == "Counter"
        drain(db)
        assert len(counter.tickets) == 1 and b"GUEST CHECK" in counter.tickets[0]
        assert till.tickets == []
    finally:
        counter.stop()


def test_no_receipt_printer_set_up_is_a_clear_refusal(waiter, db, menu):
    check = dinner(waiter, db, menu)
    refused = waiter.post(f"/api/v1/checks/{check['id']}/bills/1/prebill", json={})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "no_receipt_printer"
    assert not waiter.get(f"/api/v1/checks/{check['id']}/bills").get_json()["bills"][0][
        "printed"]


def test_a_bill_that_is_not_there_is_not_found(waiter, db, menu, till):
    check = dinner(waiter, db, menu)
    missing = waiter.post(f"/api/v1/checks/{check['id']}/bills/9/prebill", json={})
    assert missing.status_code == 404


def test_the_pre_bill_as_pdf(waiter, db, menu):
    check = dinner(waiter, db, menu)
    answer = waiter.get(f"/api/v1/checks/{check['id']}/bills/1/prebill.pdf")
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert answer.data.startswith(b"%PDF")
    first_page_png(answer.data, "prebill")


# --- the receipt ----------------------------------------------------------------------------


def test_the_receipt_printed_again_says_copy_and_has_the_e_receipts_qr_code(
        waiter, cashier, db, menu, till):
    check, bill = paid_dinner(waiter, cashier, db, menu)
    again = cashier.post(f"/api/v1/checks/{check['id']}/bills/1/receipt", json={})
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["reprint"] is True
    drain(db)
    original, paper = till.tickets  # the one Pay printed, then the copy
    assert b"COPY" not in original and b"RECEIPT" in original
    for text in (b"COPY", b"Bistro Masa", b"Strada Francez", b"Fiscal code: RO12345678",
                 b"RECEIPT", b"+ Medium rare", b"A VAT 21 % of 178,00 RON",
                 b"B VAT 11 % of 9,50 RON", b"Cash", b"Tendered", b"250,00 RON",
                 b"Tip", b"12,50 RON", b"PAID", b"200,00 RON", b"Change", b"50,00 RON"):
        assert text in paper, text
    assert QR in paper
    token = bill["receipt_url"].rsplit("/", 1)[1]
    assert f"/r/{token}".encode() in paper  # the QR code's data


def test_only_a_paid_bill_has_a_receipt(waiter, cashier, db, menu, till):
    check = dinner(waiter, db, menu)
    refused = cashier.post(f"/api/v1/checks/{check['id']}/bills/1/receipt", json={})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "bill_not_paid"


def test_the_e_receipt_page_opens_at_its_token_only(app, waiter, cashier, db, menu):
    check, bill = paid_dinner(waiter, cashier, db, menu)
    guest = app.test_client()  # the guest's phone: nobody signed in
    page = guest.get(bill["receipt_url"] + "?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Bistro Masa", "RO12345678", "Rib-eye steak", "+ Medium rare", "50,00",
                 "12,50", "<svg"):
        assert text in html, text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    in_romanian = guest.get(bill["receipt_url"]).get_data(as_text=True)  # the venue's
    assert 'lang="ro"' in in_romanian and "+ În sânge" in in_romanian

    token = bill["receipt_url"].rsplit("/", 1)[1]
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for address in (f"/r/{wrong}", f"/r/{wrong}.pdf", "/r/", "/r/short"):
        assert guest.get(address).status_code == 404, address


def test_the_e_receipt_as_pdf(app, waiter, cashier, db, menu):
    check, bill = paid_dinner(waiter, cashier, db, menu)
    answer = app.test_client().get(bill["receipt_url"] + ".pdf")
    assert answer.status_code == 200
    assert answer.data.startswith(b"%PDF")
    first_page_png(answer.data, "receipt")


def first_page_png(pdf: bytes, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    source = SHOTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(source),
                    str(SHOTS / name)], check=True, timeout=60)
    [png] = SHOTS.glob(f"{name}-*1.png")
    assert png.stat().st_size > 1000
    return png


# --- the fiscal device ------------------------------------------------------------------------


def test_a_paid_bill_reaches_the_fiscal_device_once_after_the_commit(app, waiter, cashier, db,
                                                                     menu):
    check, _bill = paid_dinner(waiter, cashier, db, menu)  # Pay records it
    device = app.extensions[EXTENSION]
    assert isinstance(device, FileFiscalDevice)
    assert device.path.is_relative_to(Path(app.instance_path))
    assert len(device.receipts()) == 1
    for _time in range(2):  # recorded again, it is still declared once
        with app.test_request_context(), db.transaction() as session:
            bill = session.scalar(select(Bill).where(Bill.check_id == check["id"]))
            record_fiscal_receipt(session, bill)
    [record] = device.receipts()
    assert record["key"] == f"bill:{bill.id}" and record["fiscal_code"] == "RO12345678"
    assert record["total"] == 187_50 and record["tip"] == 12_50
    assert {(g["code"], g["gross"]) for g in record["tax_groups"]} == {("A", 178_00),
                                                                     ("B", 9_50)}
    assert sum(line["amount"] for line in record["lines"]) == 187_50
    assert {line["tax_group"] for line in record["lines"]} == {"A", "B"}
    assert record["payments"] == [{"tender": "cash", "amount": 187_50, "tip": 12_50,
                                   "tendered": 250_00, "change": 50_00}]
    assert json.loads(device.path.read_text().splitlines()[0])["number"] == 1


def test_a_rolled_back_payment_never_reaches_the_fiscal_device(app, waiter, cashier, db, menu,
                                                               monkeypatch):
    device = app.extensions[EXTENSION]
    check = dinner(waiter, db, menu)

    def fails(*_args):  # after the bill was paid and its fiscal receipt recorded
        raise RuntimeError("the payment failed after all")

    monkeypatch.setattr("pos.payments.operations.announce_bills", fails)
    with pytest.raises(RuntimeError):
        pay(cashier, check["id"], 1, 187_50)
    assert device.receipts() == []


def paper_of(app, payment, *, tip: int = 0, width: int = 42,
             receipt_url: str | None = None) -> dict:
    """The paper of a receipt for a bill of two soups paid by ``payment``, built from its
    document (no terminal, no printer needed)."""
    from datetime import UTC, datetime
    from fractions import Fraction

    from pos.payments.receipts import BillDocument, ItemLine, TaxRow, VenueHeader, paper_document

    document = BillDocument(
        kind="receipt", venue=VenueHeader("Bistro Masa", "", "RO12345678"), currency="RON",
        locale="ro_RO", language="en", timezone="Europe/Bucharest", at=datetime.now(UTC),
        check_id=3, bill_id=4, bill_number=1, bill_count=1, table="5", check_name=None,
        server=None, guests=2, lines=(ItemLine(1, "Soup", Fraction(2), 36_00, 1100),),
        tax=(TaxRow("B", 1100, 32_43, 3_57),), total=36_00, tip=tip, payments=(payment,),
        receipt_url=receipt_url)
    with app.test_request_context():
        return paper_document(document, width=width)


def test_a_card_payment_prints_its_brand_last_four_digits_and_authorisation(app):
    card = PaymentRow(Tender.CARD, 36_00, 4_00, None, 0, 0, "VISA", "4242", "A1B2C3", None)
    url = "https://masa.example/r/" + "x" * 43
    paper = paper_of(app, card, tip=4_00, receipt_url=url)
    texts = [(line.get("text"), line.get("right")) for line in paper["lines"]]
    assert ("  Card VISA **** 4242", "40,00 RON") in texts
    assert ("    Authorisation A1B2C3", None) in texts
    assert ("Tip", "4,00 RON") in texts
    assert paper["qr"]["data"].endswith("x" * 43)
    narrow = paper_of(app, card, tip=4_00, width=32, receipt_url=url)
    assert ("  B VAT 11 %", "3,57 RON") in [(line.get("text"), line.get("right"))
                                          for line in narrow["lines"]]
    assert narrow["qr"]["size"] < paper["qr"]["size"]


def test_a_room_charge_prints_a_line_for_the_guests_signature(app):
    """The receipt of a bill charged to a room is the voucher the guest may sign on paper."""
    room = PaymentRow(Tender.ROOM, 36_00, 0, None, 0, 0, None, None, None, "204")
    texts = [line.get("text") for line in paper_of(app, room)["lines"]]
    at = texts.index("  Room charge 204")
    assert "Guest's signature" in texts[at + 2] and texts[at + 4] == "    " + "_" * 34


# --- the venue's own lines and logo ------------------------------------------------------------


def give_the_venue_its_lines_and_logo(app, db) -> str:
    """Opening hours and Wi-Fi above, thanks below (Romanian letters, a line too long for
    the paper), and a black-on-white logo; the logo's address is returned."""
    import base64
    import io

    from PIL import Image, ImageDraw

    logo = Image.new("RGB", (900, 300), "white")
    ImageDraw.Draw(logo).rectangle((100, 50, 800, 250), fill="black")
    png = io.BytesIO()
    logo.save(png, "PNG")
    admin = signed_in(app, make_staff(db, "admin"))
    assert admin.patch("/api/v1/venue", json={
        "receipt_header": "Deschis zilnic 12-23\nWi-Fi: Masă / parola ștrudel și mai multe "
                          "cuvinte care nu încap pe un singur rând de hârtie",
        "receipt_footer": "Vă mulțumim!\n\nmasa.example"}).status_code == 200
    answer = admin.put("/api/v1/venue/logo",
                       json={"data": base64.b64encode(png.getvalue()).decode()})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["logo_url"]


def test_the_venues_header_footer_and_logo_print_on_paper_and_show_on_the_page(
        app, waiter, cashier, db, menu, till):
    give_the_venue_its_lines_and_logo(app, db)
    check = dinner(waiter, db, menu)
    assert waiter.post(f"/api/v1/checks/{check['id']}/bills/1/prebill",
                       json={}).status_code == 200
    state = pay(cashier, check["id"], 1, 187_50)
    drain(db)
    prebill, paper = till.tickets
    raster = b"\x1dv0"  # GS v 0: a raster picture, the logo
    for printed in (prebill, paper):
        assert printed.index(raster) < printed.index(b"Bistro Masa")
        header = printed.index(b"Deschis zilnic 12-23")
        assert printed.index(b"RO12345678") < header < printed.index(b"Table R7")
        assert b"Wi-Fi: Mas\xc7 / parola \xadtrudel" in printed  # CP852: ă, ş
        assert "rând de\nhârtie\n".encode("cp852") in printed  # wrapped, not cut
        footer = printed.index("Vă mulțumim!".replace("ț", "ţ").encode("cp852"))
        assert footer > printed.index(b"Check ") and b"masa.example" in printed[footer:]
    assert paper.index(b"Thank you!") < paper.index(b"masa.example")
    assert paper.count(raster) == 1

    html = app.test_client().get(state["bills"][0]["receipt_url"]).get_data(as_text=True)
    assert '<img class="receipt-logo" src="data:image/png;base64,' in html
    assert "Deschis zilnic 12-23<br>Wi-Fi: Masă / parola ștrudel" in html
    assert html.index("receipt-thanks") < html.index("Vă mulțumim!<br><br>masa.example")
    pdf = app.test_client().get(state["bills"][0]["receipt_url"] + ".pdf")
    assert pdf.status_code == 200
    first_page_png(pdf.data, "logo-on-a-receipt")


def test_a_venue_without_its_own_lines_or_logo_prints_as_before(app):
    card = PaymentRow(Tender.CARD, 36_00, 0, None, 0, 0, "VISA", "4242", "A1B2C3", None)
    paper = paper_of(app, card)
    assert not any("image" in line for line in paper["lines"])
    assert paper["lines"][-1]["text"] == "Thank you!"
