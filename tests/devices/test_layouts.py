"""The generic print layouts, byte for byte where it matters: a receipt-style document
(sizes, alignment, an amount flush right, rules, a QR code the printer draws, the cut), a
drawer kick that is only ``ESC p``, a test page; and the queue that takes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from pos.devices.layouts import (
    PrintContext,
    PrinterInfo,
    drawer_kick_bytes,
    known_kinds,
    layout_for,
    print_document,
    print_drawer_kick,
    print_test_page,
)
from pos.devices.models import Printer, PrintJob
from pos.devices.print_queue import JOBS_QUEUED, queue_print

ESC, GS = b"\x1b", b"\x1d"
SELECT_CP852 = ESC + b"t\x12"
CENTER, LEFT = ESC + b"a\x01", ESC + b"a\x00"
DOUBLE, TALL, NORMAL = ESC + b"!\x30", ESC + b"!\x10", ESC + b"!\x00"
LARGE, LARGE_OFF = GS + b"!\x22", GS + b"!\x00"
BOLD_ON, INVERT_ON = ESC + b"E\x01", GS + b"B\x01"
QR = GS + b"(k"
CUT = GS + b"V"
NOW = datetime(2025, 3, 14, 19, 5, tzinfo=UTC)  # 21:05 in Bucharest


def context(kind: str = "document", language: str = "ro", **printer) -> PrintContext:
    fields = {"id": 1, "name": "Casa", "kind": "network", "address": "127.0.0.1:9100",
              "profile": "default", "diacritics": "cp852", "width": 42, "language": None,
              "drawer_pin": 2, "active": True, "online": True, "alerted": False, **printer}
    return PrintContext(kind=kind, printer=PrinterInfo(**fields), language=language,
                        timezone="Europe/Bucharest", now=NOW)


RECEIPT = {
    "lines": [
        {"text": "Bistro Masa", "size": "double", "align": "center", "bold": True},
        {"text": "CIF RO12345678", "align": "center"},
        {"rule": True},
        {"text": "2× Ciorbă de perișoare", "right": "36,00"},
        {"text": "+ smântână", "right": "4,00"},
        {"rule": "="},
        {"text": "TOTAL", "right": "40,00 lei", "bold": True, "size": "tall"},
        {},
        {"text": "NOTA", "size": "large", "align": "right", "invert": True},
        {"text": "Mulțumim!", "align": "center"},
    ],
    "qr": {"data": "https://masa.example/r/8c1f", "size": 6, "caption": "Bonul online"},
}


def test_a_document_prints_its_lines_in_cp852_with_sizes_alignment_and_amounts_flush_right():
    data = print_document(RECEIPT, context())
    assert data.startswith(ESC + b"@" + SELECT_CP852)
    name = data.index(b"Bistro Masa")
    assert data.rindex(DOUBLE, 0, name) > data.rindex(CENTER, 0, name) - 10
    assert data.rindex(BOLD_ON, 0, name) > 0
    assert b"CIF RO12345678" in data
    assert b"-" * 42 + b"\n" in data and b"=" * 42 + b"\n" in data
    soup = "2× Ciorbă de perişoare".encode("cp852")
    assert soup.ljust(42 - len(b"36,00") - 1) + b" 36,00\n" in data  # the amount flush right
    assert "+ smântână".encode("cp852").ljust(37) + b" 4,00\n" in data
    total = data.index(b"TOTAL")
    assert data.rindex(TALL, 0, total) > data.index(b"4,00")
    assert b"TOTAL".ljust(42 - 10) + b" 40,00 lei\n" in data
    large = data.index(b"NOTA")
    assert data.rindex(LARGE, 0, large) > total and data.index(LARGE_OFF, large) > large
    assert data.rindex(ESC + b"a\x02", 0, large) > total  # right-aligned
    assert data.rindex(INVERT_ON, 0, large) > total
    assert "Mulţumim!".encode("cp852") in data
    assert b"?" not in data[:data.index(QR)]


def test_a_document_s_qr_code_is_drawn_by_the_printer_after_the_lines_then_the_paper_is_cut():
    data = print_document(RECEIPT, context())
    qr = data.index(QR)
    assert qr > data.index("Mulţumim!".encode("cp852"))
    assert data.rindex(CENTER, 0, qr) > data.index("Mulţumim!".encode("cp852"))
    assert QR + b"\x04\x001A2\x00" in data  # model 2
    assert QR + b"\x03\x001C\x06" in data  # module size 6
    payload = b"https://masa.example/r/8c1f"
    assert QR + bytes((len(payload) + 3, 0)) + b"1P0" + payload in data  # store the data
    assert QR + b"\x03\x001Q0" in data  # print it
    assert data.index(b"Bonul online") > qr
    assert data.endswith(CUT + b"\x00") and data.count(CUT) == 1


def test_a_document_can_leave_the_paper_uncut_and_takes_a_plain_string_qr():
    data = print_document({"lines": [{"text": "Masa 5"}], "qr": "masa:5", "cut": False},
                          context())
    assert b"1P0masa:5" in data and CUT not in data


def test_a_long_name_wraps_and_keeps_its_amount_on_the_first_row():
    name = "Platou aperitive reci pentru patru persoane cu brânzeturi"
    data = print_document({"lines": [{"text": name, "right": "189,00"}]}, context(width=32))
    rows = [row for row in data.split(b"\n") if b"Platou" in row or b"persoane" in row
            or b"nzeturi" in row]
    assert rows[0].endswith(b" 189,00") and len(rows[0].split(b"Platou")[1]) <= 32
    assert all(b"189,00" not in row for row in rows[1:])


def test_a_document_line_with_letters_no_code_page_has_is_a_picture_with_its_amount():
    data = print_document({"lines": [{"text": "Smørrebrød", "right": "32,00"},
                                     {"text": "Pâine", "right": "5,00"}]}, context())
    assert data.count(GS + b"v0") == 1
    assert b"32,00" not in data  # drawn beside its name
    assert "Pâine".encode("cp852").ljust(37) + b" 5,00\n" in data


def test_a_possible_copy_of_a_document_is_headed_so_in_the_printer_s_language():
    copy = PrintContext(**{**context().__dict__, "possible_copy_at": NOW})
    data = print_document(RECEIPT, copy)
    mark = "POSIBILĂ COPIE".encode("cp852")
    assert data.index(mark) < data.index(b"Bistro Masa")
    assert "Retipărit la 21:05".encode("cp852") in data
    english = PrintContext(**{**copy.__dict__, "language": "en"})
    assert b"POSSIBLE COPY" in print_document(RECEIPT, english)
    assert mark not in print_document(RECEIPT, context())


def test_the_drawer_kick_is_esc_p_on_pin_2_by_default_or_the_printer_s_pin_and_cuts_nothing():
    assert print_drawer_kick({}, context("drawer_kick")) == bytes.fromhex("1b 70 00 19 fa")
    assert print_drawer_kick({}, context("drawer_kick", drawer_pin=5)) == bytes.fromhex(
        "1b 70 01 19 fa")
    assert print_drawer_kick({"pin": 5}, context("drawer_kick")) == bytes.fromhex(
        "1b 70 01 19 fa")
    assert drawer_kick_bytes(2, on_ms=100, off_ms=200) == bytes.fromhex("1b 70 00 32 64")
    kick = layout_for("drawer_kick")
    assert (kick.needs_paper, kick.reroutes, kick.repeat_when_unsure) == (False, False, False)


def test_the_test_page_says_which_printer_shows_each_size_and_a_qr_code_and_is_cut():
    data = print_test_page({}, context("test_page", name="Bar", width=32))
    assert b"PAGIN\xc5 DE TEST" in data or "PAGINĂ DE TEST".encode("cp852") in data
    assert b"Imprimanta: Bar (network)" in data
    assert b"12345678901234567890123456789012\n" in data  # where a line ends
    assert "ăâîşţ ĂÂÎŞŢ".encode("cp852") in data
    assert DOUBLE in data and TALL in data and LARGE in data and QR in data
    assert b"Tip\xc7rit la 21:05" in data
    assert data.endswith(CUT + b"\x00")
    assert b"TEST PAGE" in print_test_page({}, context("test_page", language="en"))


def test_the_devices_own_the_generic_kinds():
    assert {"document", "drawer_kick", "test_page"} <= set(known_kinds())


def test_queueing_is_part_of_the_caller_s_transaction_and_never_commits(db):
    with db.transaction() as session:
        casa = Printer(name="Casa", kind="network", address="127.0.0.1:9")
        session.add(casa)
        session.flush()
        casa_id = casa.id
    with pytest.raises(RuntimeError), db.transaction() as session:
        job = queue_print(session, casa_id, "document", {"lines": [{"text": "Nota 7"}]},
                          subject="bill:7")
        session.flush()
        assert job.id is not None and session.info[JOBS_QUEUED] is True
        raise RuntimeError("the payment failed")  # its receipt goes with it
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(PrintJob)) == 0
    with db.transaction() as session:
        queue_print(session, casa_id, "drawer_kick", {}, subject="drawer:1")
    with db.reading() as session:
        [job] = session.scalars(select(PrintJob)).all()
        assert (job.kind, job.subject, job.status.value) == ("drawer_kick", "drawer:1", "queued")


def test_a_kind_nothing_can_lay_out_is_refused_when_queued(db):
    with pytest.raises(ValueError, match="no layout"), db.transaction() as session:
        queue_print(session, 1, "recipt", {})
