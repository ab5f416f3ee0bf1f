"""FIAS records as the specification writes them, read and written by the POS's client
and, separately, by the PMS simulator: neither side's code is trusted to check the other."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pos.hotel import fias, fias_sim

AT = datetime(2026, 12, 1, 13, 45, 1)


# --- the client (pos.hotel.fias) -----------------------------------------------------------

def test_link_start_goes_out_framed_by_stx_and_etx():
    record = fias.build("LS", fias.stamp(AT))
    assert fias.frame(record) == b"\x02LS|DA261201|TI134501|\x03"


def test_link_description_names_masa_and_every_record_it_uses():
    records = fias.link_description(AT, "1.0", "WW")
    assert records[0] == "LD|DA261201|TI134501|V#1.0|IFWW|"
    assert "LR|RIPA|FLASP#RNG#CTWSDATI|" in records
    assert "LR|RIGI|FLRNG#GNGFGLGAGDGSNPDATI|" in records
    assert "LR|RIGC|FLRNROG#GNGFGLGAGDGSNPDATI|" in records
    assert "LR|RIGO|FLRNG#GSDATI|" in records
    assert {r[5:7] for r in records if r.startswith("LR|")} == {
        "PR", "PA", "PL", "GI", "GO", "GC", "DR", "DS", "DE"}
    assert records[-1] == "LA|DA261201|TI134501|"


def test_a_room_charge_is_a_posting_request_in_minor_units():
    posting = fias.FiasPosting(room="101", guest_number="4711", guest_name="Popescu",
                               total=2850, sales_outlet="3", check_number="1234",
                               table="12", subtotals={2: 650, 1: 1900}, taxes={1: 159, 2: 54},
                               tip=300, at=AT)
    assert fias.frame(fias.posting_request(12, posting, "POS1")) == (
        b"\x02PR|P#12|RN101|G#4711|GNPopescu|TA2850|PTC|SO3|CK1234|T#12|WSPOS1"
        b"|S11900|S2650|T1159|T254|TP300|DA261201|TI134501|\x03")


def test_a_name_holding_the_field_separator_cannot_break_the_record():
    posting = fias.FiasPosting(room="101", guest_number="1", guest_name="Ana|Maria\x03",
                               total=100, at=AT)
    record = fias.posting_request(1, posting, "POS1")
    assert "|GNAna/Maria |" in record
    assert fias.parse(record).get("GN") == "Ana/Maria "


def test_an_amount_that_is_not_whole_minor_units_is_refused():
    with pytest.raises(TypeError):
        fias.FiasPosting(room="101", guest_number="1", total=25.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fias.FiasPosting(room="101", guest_number="1", total=100, subtotals={10: 100})


def test_an_inquiry_asks_by_room_or_name():
    assert fias.inquiry("Popescu", "POS1", AT) == "PR|PIPopescu|WSPOS1|DA261201|TI134501|"


def test_a_posting_answer_is_matched_by_its_posting_number():
    record = fias.parse("PA|ASOK|RN2603|P#0001|DA100504|TI120619|CTPosting successful|")
    answer = fias.posting_answer(record)
    assert (answer.p_number, answer.status, answer.text, answer.room) == (
        1, "OK", "Posting successful", "2603")


def test_a_guest_in_record_describes_the_stay():
    record = fias.parse("GI|RN101|G#4711|GNPopescu|GFAna|GLRO|GA261201|GD261205|GSN|NPY|"
                        "DA261201|TI134501|")
    guest = fias.guest_from(record)
    assert guest == fias.FiasGuest(room="101", guest_number="4711", name="Popescu",
                                   first_name="Ana", language="RO",
                                   arrival=date(2026, 12, 1), departure=date(2026, 12, 5),
                                   sharer=False, no_post=True)
    assert not guest.may_charge


def test_a_room_move_changes_only_what_the_guest_change_carries():
    before = fias.guest_from(fias.parse("GI|RN101|G#4711|GNPopescu|GFAna|GLRO|"))
    after = fias.guest_from(fias.parse("GC|RN205|RO101|G#4711|"), before)
    assert (after.room, after.name, after.first_name, after.language) == (
        "205", "Popescu", "Ana", "RO")


def test_a_posting_list_names_each_guest_the_pms_found():
    caret = fias.parse("PL|RN101^101|G#4711^4712|GNPopescu^Ionescu|WSPOS1|DA261201|TI134501|")
    repeated = fias.parse("PL|RN101|G#4711|GNPopescu|RN101|G#4712|GNIonescu|DA261201|")
    for record in (caret, repeated):
        assert [(g.room, g.guest_number, g.name) for g in fias.guests_from_list(record)] == [
            ("101", "4711", "Popescu"), ("101", "4712", "Ionescu")]


@pytest.mark.parametrize("text", ["GARBAGE", "PA", "pa|ASOK|", "PA|ASOK", "PA|A|", "PAX|ASOK|"])
def test_what_is_not_a_record_is_recognised_as_malformed(text):
    with pytest.raises(fias.MalformedRecord):
        fias.parse(text)


def test_the_stream_is_cut_into_records_whatever_the_noise_and_the_reads():
    reader = fias.FrameReader()
    assert reader.feed(b"noise\x02LS|DA261201|TI134501|\x03\x02LA|DA2612") == [
        "LS|DA261201|TI134501|"]
    assert reader.feed(b"01|TI134502|\x03junk\x02cut short\x02DE|\x03") == [
        "LA|DA261201|TI134502|", "DE|"]


# --- the PMS simulator (pos.hotel.fias_sim) ---------------------------------------------------

def test_simulator_frames_a_link_start_as_the_specification_shows():
    assert fias_sim.record("LS", ("DA", "261201"), ("TI", "134501")) == \
        b"\x02LS|DA261201|TI134501|\x03"


def test_simulator_reads_a_posting_request_field_by_field():
    kind, fields = fias_sim.read_record(
        b"PR|P#12|RN101|G#4711|GNPopescu|TA2850|PTC|SO3|CK1234|T#12|WSPOS1"
        b"|S11900|S2650|T1159|T254|TP300|DA261201|TI134501|")
    assert kind == "PR"
    assert fields == {"P#": "12", "RN": "101", "G#": "4711", "GN": "Popescu", "TA": "2850",
                      "PT": "C", "SO": "3", "CK": "1234", "T#": "12", "WS": "POS1",
                      "S1": "1900", "S2": "650", "T1": "159", "T2": "54", "TP": "300",
                      "DA": "261201", "TI": "134501"}


def test_simulator_answers_a_posting_with_status_number_and_clear_text():
    answer = fias_sim.record("PA", ("AS", "OK"), ("RN", "2603"), ("P#", "0001"),
                             ("DA", "100504"), ("TI", "120619"), ("CT", "Posting successful"))
    assert answer == b"\x02PA|ASOK|RN2603|P#0001|DA100504|TI120619|CTPosting successful|\x03"


def test_simulator_describes_a_guest_in_with_stay_dates():
    simulator = fias_sim.PmsSimulator()
    stay = fias_sim.Stay("101", "4711", "Popescu", "Ana", "RO", date(2026, 12, 1),
                         date(2026, 12, 5))
    sent = simulator._guest_record("GI", stay)
    assert sent.startswith(b"\x02GI|RN101|G#4711|GNPopescu|GFAna|GLRO|GA261201|GD261205|"
                           b"GSN|NPN|DA")
    assert sent.endswith(b"|\x03")


def test_simulator_cuts_frames_and_keeps_a_partial_one():
    buffer = bytearray(b"xx\x02LS|DA261201|\x03\x02LA|")
    assert fias_sim.take_frames(buffer) == [b"LS|DA261201|"]
    assert buffer == bytearray(b"\x02LA|")


@pytest.mark.parametrize("payload", [b"GARBAGE", b"PA|ASOK", b"pa|ASOK|", b"PA|A|"])
def test_simulator_rejects_what_is_not_a_record(payload):
    with pytest.raises(ValueError):
        fias_sim.read_record(payload)
