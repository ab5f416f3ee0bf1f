"""ZVT framing, CRC and parsing against telegrams published with the specification's
implementations, never against vectors made by our own code. Both the driver
(``pos.devices.zvt``) and the simulator (``pos.devices.zvt_simulator``) must produce them:
they share no framing code, so each is held to the same outside reference."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.devices import zvt
from pos.devices import zvt_simulator as simulator
from pos.devices.terminals import Outcome, TerminalResult, last_four

# Serial frames ECR → PT from wirelane/ecrterm, ecrterm/tests/test_data_encoding.py
# (telegrams from terminal logs, "Unter docs/examples finden sich dateien mit logs"):
# (APDU, the whole frame as it goes on the line).
ECRTERM_FRAMES = [
    ("06 00 06 12 34 56 BA 09 78", "10 02 06 00 06 12 34 56 BA 09 78 10 03 24 C3"),  # registration
    ("06 93 03 12 34 56", "10 02 06 93 03 12 34 56 10 03 CA A4"),  # initialisation
    # authorisation of 110.00 EUR: the amount's 0x10 is sent twice on the line
    ("06 01 0A 04 00 00 00 01 10 00 49 09 78",
     "10 02 06 01 0A 04 00 00 00 01 10 10 00 49 09 78 10 03 F2 FF"),
    ("06 70 00", "10 02 06 70 00 10 03 D9 F9"),  # diagnosis
    ("80 00 00", "10 02 80 00 00 10 03 F5 1F"),  # "packet received"
    ("84 9C 00", "10 02 84 9C 00 10 03 C3 41"),  # "packet received", error 9C
    ("06 18 00", "10 02 06 18 00 10 03 56 3A"),  # reset terminal
    ("05 01 03 12 34 56", "10 02 05 01 03 12 34 56 10 03 E0 43"),  # status enquiry
]
# PT → ECR, from ecrterm/tests/test_parsing.py: a status enquiry's completion with the
# terminal's software version.
ECRTERM_VERSION_COMPLETION = "10 02 06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00 10 03 B1 11"


def h(text: str) -> bytes:
    return bytes.fromhex(text)


@pytest.mark.parametrize(("apdu", "on_the_line"), ECRTERM_FRAMES)
def test_the_driver_frames_the_published_telegrams(apdu, on_the_line):
    assert zvt.frame(h(apdu)) == h(on_the_line)


@pytest.mark.parametrize(("apdu", "on_the_line"), ECRTERM_FRAMES)
def test_the_simulator_frames_the_published_telegrams(apdu, on_the_line):
    assert simulator.wrap(h(apdu)) == h(on_the_line)


@pytest.mark.parametrize(("apdu", "on_the_line"), ECRTERM_FRAMES)
def test_the_crc_of_each_published_telegram(apdu, on_the_line):
    crc_low, crc_high = h(on_the_line)[-2:]
    assert zvt.crc16(h(apdu) + b"\x03") == crc_low | crc_high << 8
    assert simulator.checksum(h(apdu) + b"\x03") == crc_low | crc_high << 8


def test_a_terminal_frame_is_read_back_to_its_apdu():
    apdu = zvt.unframe(h(ECRTERM_VERSION_COMPLETION))
    assert apdu == h("06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00")
    assert zvt.parse_status_completion(zvt.split_apdu(apdu)[2]) == ("2.14.15", 0)


def test_a_doubled_dle_in_a_published_frame_is_read_as_one():
    assert zvt.unframe(h(ECRTERM_FRAMES[2][1])) == h(ECRTERM_FRAMES[2][0])


def test_a_frame_with_a_wrong_crc_is_refused():
    damaged = bytearray(h(ECRTERM_FRAMES[0][1]))
    damaged[-1] ^= 0x01
    with pytest.raises(zvt.FrameError):
        zvt.unframe(bytes(damaged))


def test_a_lone_dle_inside_a_frame_is_refused():
    with pytest.raises(zvt.FrameError):
        zvt.unframe(h("10 02 06 10 00 10 03 00 00"))


def test_the_commands_match_the_published_telegrams():
    assert zvt.registration(123456, 0xBA, 978) == h(ECRTERM_FRAMES[0][0])
    assert zvt.authorisation(11000, 978) == h(ECRTERM_FRAMES[2][0])
    assert zvt.status_enquiry(123456) == h(ECRTERM_FRAMES[7][0])


@given(st.binary(max_size=600))
def test_any_apdu_survives_dle_doubling(data):
    apdu = zvt.apdu(0x06, 0xD1, data)
    on_the_line = zvt.frame(apdu)
    body = on_the_line[2:-4]
    # inside the frame every DLE comes in pairs: DLE ETX can only be the real end
    assert body.replace(b"\x10\x10", b"").count(b"\x10") == 0
    assert zvt.unframe(on_the_line) == apdu
    assert zvt.split_apdu(apdu)[2] == data


@given(st.binary(max_size=300))
def test_driver_and_simulator_read_each_others_frames(data):
    apdu = zvt.apdu(0x04, 0x0F, data)
    assert zvt.unframe(simulator.wrap(apdu)) == apdu
    assert simulator.message(0x04, 0x0F, data) == apdu


def test_a_long_apdu_uses_the_extended_length():
    apdu = zvt.apdu(0x06, 0xD3, bytes(300))
    assert apdu[:5] == h("06 D3 FF 2C 01")  # FF, then 300 low byte first
    assert zvt.split_apdu(apdu)[2] == bytes(300)


# --- status information, from Portalum/Portalum.Zvt
# src/Portalum.Zvt.UnitTest/StatusInformationParserTest.cs (terminal traces) ------------

PAYMENT_GOOD = ("04 0F 77 27 00 04 00 00 00 00 20 40 0B 00 04 70 0C 22 39 53 0D 10 06 0E 25 12 "
                "17 00 01 19 70 22 F0 F8 EE EE EE EE EE EE 47 71 29 28 00 48 69 2A 31 30 30 34 "
                "36 31 37 36 33 20 20 20 20 20 20 3B 36 31 31 38 30 34 00 00 3C F0 F1 F4 47 45 "
                "4E 2E 4E 52 2E 3A 36 31 31 38 30 34 49 09 78 87 04 70 88 00 04 70 8A 2E 8B F1 "
                "F7 44 65 62 69 74 20 4D 61 73 74 65 72 63 61 72 64 00")
ABORT_BY_KEY = ("04 0F 1E 27 6C 29 28 00 48 69 3C F0 F1 F9 41 62 62 72 75 63 68 20 64 75 72 63 "
                "68 20 4B 75 6E 64 65")
WITH_TLV = ("04-0F-65-27-00-0C-23-13-55-0D-10-29-0E-99-99-22-F0-F8-EE-EE-EE-EE-EE-EE-47-71-A0-"
            "01-29-00-00-00-06-87-00-08-0B-00-00-00-8A-06-8B-F1-F1-4D-41-53-54-45-52-43-41-52-"
            "44-00-06-2E-2F-08-1F-12-01-02-1F-10-01-00-60-1B-43-07-A0-00-00-00-04-10-10-44-10-"
            "44-65-62-69-74-20-4D-61-73-74-65-72-63-61-72-64-1F-2B-04-10-01-50-08")
# from wirelane/ecrterm ecrterm/tests/test_parsing.py: a card number sent in clear,
# track-2 style ('D' ends it)
CLEAR_PAN = ("04 0F 37 27 00 04 00 00 00 00 40 00 49 09 78 0C 09 38 48 0D 04 25 22 F1 F1 59 66 "
             "66 66 66 D2 00 21 22 01 00 17 00 01 87 01 75 0B 61 39 95 19 40 29 60 09 99 14 0E "
             "05 12 8A 02")


def status(text: str) -> zvt.StatusInformation:
    cls, instr, data = zvt.split_apdu(h(text.replace("-", " ")))
    assert (cls, instr) == (0x04, 0x0F)
    return zvt.parse_status_information(data)


def test_an_approved_payment_is_read_from_a_terminal_trace():
    info = status(PAYMENT_GOOD)
    assert info.result_code == 0
    assert info.amount == 2040  # 20.40 EUR in cents
    assert info.currency == 978
    assert (info.trace_no, info.receipt_no, info.turnover_no) == (470, 470, 470)
    assert info.terminal_id == "28004869"
    assert info.card_brand == "Debit Mastercard"
    assert info.card_last4 == "4771"
    assert info.auth_code == "611804"
    assert info.text == "GEN.NR.:611804"
    assert info.time == "223953"


def test_an_abort_by_the_customer_is_read_from_a_terminal_trace():
    info = status(ABORT_BY_KEY)
    assert info.result_code == 0x6C
    assert info.text == "Abbruch durch Kunde"
    assert info.amount is None


def test_fields_after_a_tlv_container_position_are_still_read():
    info = status(WITH_TLV)
    assert info.card_brand == "MASTERCARD"
    assert info.card_last4 == "4771"
    assert info.receipt_no == 8
    assert info.terminal_id == "00000006"


def test_a_card_number_sent_in_clear_keeps_only_its_last_four_digits():
    info = status(CLEAR_PAN)
    assert info.card_last4 == "6666"
    assert info.amount == 4000
    assert (info.receipt_no, info.trace_no) == (175, 613995)
    assert "5966666666" not in repr(info)


def test_a_registration_completion_is_read_as_bitmaps():
    # ecrterm/tests/test_parsing.py
    _, _, data = zvt.split_apdu(h("06 0F 11 19 00 29 52 00 12 33 49 09 78 06 05 27 03 14 01 FF"))
    fields = zvt.parse_bitmaps(data)
    assert fields[0x19] == b"\x00"
    assert fields[0x29].hex() == "52001233"
    assert fields[0x49] == h("09 78")
    assert fields[0x06] == h("27 03 14 01 FF")


def test_a_result_never_keeps_a_full_card_number():
    result = TerminalResult(Outcome.APPROVED, 100, 100, card_last4="5413330089604111",
                            error="card 5413 3300 8960 4111 read")
    assert result.card_last4 == "4111"
    assert "5413" not in (result.error or "")
    assert last_four("EEEEEEEEEEEE4771") == "4771"
    assert last_four("12") is None
