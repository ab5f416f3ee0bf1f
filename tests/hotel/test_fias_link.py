"""Masa's FIAS link against the PMS simulator over real TCP on 127.0.0.1: the handshake,
heartbeat, resync of in-house guests, room charges and every way the PMS may refuse them,
and the link dropping at the worst moment."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest

from pos.hotel.fias import (
    FiasClient,
    FiasPosting,
    FiasTimeouts,
    LinkDown,
    MemoryPostingStore,
    NotInHouse,
)
from pos.hotel.fias_sim import PmsSimulator

FAST = FiasTimeouts(connect=1.0, handshake=1.0, heartbeat=0.1, alive=0.6, answer=1.0,
                    retry=0.2, backoff_first=0.05, backoff_max=0.2)


def eventually(condition: Callable[[], object], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition never held")
        time.sleep(0.01)


@dataclass
class Rig:
    pms: PmsSimulator
    port: int
    store: MemoryPostingStore
    client: FiasClient
    answers: list[tuple[int, str, str | None]] = field(default_factory=list)
    rooms_changed: list[frozenset[str]] = field(default_factory=list)

    def charge(self, room: str = "101", guest: str = "4711", total: int = 2850,
               **extra) -> int:
        return self.client.post(FiasPosting(room=room, guest_number=guest, total=total,
                                            sales_outlet="3", check_number="1234", **extra))

    def answer_for(self, p_number: int) -> tuple[str, str | None]:
        eventually(lambda: any(a[0] == p_number for a in self.answers))
        return next((status, text) for p, status, text in self.answers if p == p_number)

    def requests_for(self, p_number: int) -> list[dict[str, str]]:
        return [r for r in self.pms.records_from_pos("PR") if r.get("P#") == str(p_number)]


@pytest.fixture
def rig() -> Iterator[Rig]:
    pms = PmsSimulator()
    pms.check_in("101", "4711", "Popescu", first_name="Ana", language="RO",
                 arrival=date(2026, 12, 1), departure=date(2026, 12, 5))
    pms.check_in("102", "4712", "Ionescu", no_post=True)
    port = pms.serve()
    store = MemoryPostingStore()
    answers: list = []
    changed: list = []
    client = FiasClient("127.0.0.1", port, store, workstation="POS1", timeouts=FAST,
                        on_answer=lambda *a: answers.append(a),
                        on_guests_changed=changed.append)
    client.start()
    rig = Rig(pms, port, store, client, answers, changed)
    assert client.wait_link_up(3)
    eventually(lambda: client.in_house("101"))
    yield rig
    client.stop()
    rig.pms.stop()


def test_the_link_comes_up_after_masa_describes_itself(rig):
    kinds = [kind for kind, _ in rig.pms.received]
    assert kinds[:2] == ["LS", "LD"]
    first_la = kinds.index("LA")
    assert set(kinds[2:first_la]) == {"LR"}
    assert kinds[first_la + 1] == "DR"
    assert rig.pms.records_from_pos("LD")[0]["V#"]
    described = {fields["RI"] for fields in rig.pms.records_from_pos("LR")}
    assert {"PR", "PA", "PL", "GI", "GO", "GC", "DS", "DE"} <= described
    assert rig.client.link_up and rig.pms.linked


def test_link_alive_keeps_an_idle_link_up(rig):
    before = len(rig.pms.records_from_pos("LA"))
    time.sleep(0.8)  # longer than FAST.alive: only the PMS's answers to LA keep it up
    assert len(rig.pms.records_from_pos("LA")) >= before + 4
    assert rig.client.link_up
    assert rig.pms.connections == 1


def test_a_pms_that_falls_silent_is_dropped_and_the_link_rebuilt(rig):
    rig.pms.go_silent()
    eventually(lambda: not rig.client.link_up)
    rig.pms.speak_again()
    assert rig.client.wait_link_up(3)
    assert rig.pms.connections >= 2


def test_resync_fills_the_in_house_cache(rig):
    [guest] = rig.client.in_house("101")
    assert (guest.guest_number, guest.name, guest.first_name, guest.language) == (
        "4711", "Popescu", "Ana", "RO")
    assert (guest.arrival, guest.departure) == (date(2026, 12, 1), date(2026, 12, 5))
    [barred] = rig.client.in_house("102")
    assert barred.no_post and not barred.may_charge
    assert rig.client.in_house("999") == []
    assert rig.client.resynced_at is not None


def test_a_guest_checked_in_later_can_be_charged(rig):
    rig.pms.check_in("310", "5000", "Marin")
    eventually(lambda: rig.client.in_house("310"))
    assert frozenset({"310"}) in rig.rooms_changed
    assert rig.answer_for(rig.charge(room="310", guest="5000")) == ("OK", "Posting successful")


def test_a_room_charge_answered_ok_is_on_the_folio_once(rig):
    p_number = rig.charge(total=2850, subtotals={1: 1900, 2: 650}, tip=300)
    assert rig.answer_for(p_number) == ("OK", "Posting successful")
    [charge] = rig.pms.folio("4711")
    assert (charge.p_number, charge.amount, charge.room) == (p_number, 2850, "101")
    assert (charge.fields["S1"], charge.fields["TP"], charge.fields["WS"]) == ("1900", "300",
                                                                               "POS1")
    assert charge.fields["GN"] == "Popescu"
    assert rig.store.outcome(p_number) == ("OK", "Posting successful")


@pytest.mark.parametrize("status, text", [
    ("NG", "Guest not found"), ("NP", "No post allowed"), ("CO", "Guest checked out"),
    ("DM", "Posting denied"), ("UR", "Unprocessable request"), ("XQ", "Something new"),
])
def test_each_refusal_reaches_the_pos_with_the_pms_text(rig, status, text):
    rig.pms.next_answer(status, text)
    p_number = rig.charge()
    assert rig.answer_for(p_number) == (status, text)
    assert rig.store.outcome(p_number) == (status, text)
    assert rig.pms.folio("4711") == []
    time.sleep(0.1)
    assert len(rig.requests_for(p_number)) == 1


def test_a_refusal_without_clear_text_still_says_why(rig):
    rig.pms.next_answer("NP")
    rig.pms.next_answer("QQ")
    first, second = rig.charge(), rig.charge()
    assert rig.answer_for(first) == ("NP", "no posting allowed for this guest")
    assert rig.answer_for(second) == ("QQ", "refused by the PMS (QQ)")


def test_a_no_post_guest_is_refused_by_the_pms(rig):
    assert rig.answer_for(rig.charge(room="102", guest="4712")) == ("NP", "No post flag set")


def test_night_audit_and_retry_are_sent_again_until_posted(rig):
    rig.pms.next_answer("NA", "Night audit running").next_answer("RY")
    p_number = rig.charge()
    assert rig.answer_for(p_number) == ("OK", "Posting successful")
    assert [status for _, status, _ in rig.answers] == ["OK"]
    requests = rig.requests_for(p_number)
    assert len(requests) == 3 and requests[0] == requests[1] == requests[2]
    assert len(rig.pms.folio("4711")) == 1


def test_a_charge_in_night_audit_holds_the_later_ones_behind_it(rig):
    rig.pms.next_answer("NA")
    first, second = rig.charge(total=100), rig.charge(total=200)
    rig.answer_for(second)
    assert [p for p, _, _ in rig.answers] == [first, second]


def test_link_lost_between_request_and_answer_books_the_charge_exactly_once(rig):
    rig.pms.drop_after_request()
    p_number = rig.charge()
    assert rig.answer_for(p_number)[0] == "OK"
    assert rig.pms.connections == 2
    assert len(rig.pms.folio("4711")) == 1
    first, again = rig.requests_for(p_number)
    assert first == again  # the same P#, DA and TI: the PMS can recognise it


def test_charges_made_while_the_link_is_down_go_in_order_when_it_returns(rig):
    rig.pms.stop()
    eventually(lambda: not rig.client.link_up)
    numbers = [rig.charge(total=amount) for amount in (100, 200, 300)]
    assert numbers == sorted(numbers)
    pms = PmsSimulator()
    pms.check_in("101", "4711", "Popescu")
    pms.serve(rig.port)
    rig.pms = pms
    for p_number in numbers:
        assert rig.answer_for(p_number)[0] == "OK"
    assert [c.p_number for c in pms.folio("4711")] == numbers
    assert [c.amount for c in pms.folio("4711")] == [100, 200, 300]


def test_a_guest_checked_out_on_the_pms_can_no_longer_be_charged(rig):
    rig.pms.check_out("101", "4711")
    eventually(lambda: rig.client.in_house("101") == [])
    assert frozenset({"101"}) in rig.rooms_changed
    with pytest.raises(NotInHouse):
        rig.charge()
    assert rig.store.pending() == []


def test_a_malformed_frame_is_ignored_and_the_link_stays_up(rig):
    rig.pms.send_raw(b"\x02GARBAGE\x03\x02PA|A|\x03\x02ZZ|XX1|\x03\x02GI|\x03noise\x03")
    assert rig.answer_for(rig.charge()) == ("OK", "Posting successful")
    assert rig.client.link_up
    assert rig.pms.connections == 1


def test_a_room_move_follows_the_guest_to_the_new_room(rig):
    rig.pms.move("4711", "205")
    eventually(lambda: rig.client.in_house("205"))
    assert rig.client.in_house("101") == []
    [guest] = rig.client.in_house("205")
    assert (guest.guest_number, guest.name, guest.first_name) == ("4711", "Popescu", "Ana")
    assert rig.answer_for(rig.charge(room="205")) == ("OK", "Posting successful")
    with pytest.raises(NotInHouse):
        rig.charge(room="101")


def test_the_waiter_can_look_a_guest_up_by_room_or_name(rig):
    [by_room] = rig.client.inquire("101", timeout=2)
    assert (by_room.room, by_room.guest_number, by_room.name) == ("101", "4711", "Popescu")
    [by_name] = rig.client.inquire("ionesc", timeout=2)
    assert (by_name.room, by_name.guest_number) == ("102", "4712")
    assert rig.client.inquire("999", timeout=2) == []


def test_an_inquiry_with_the_link_down_says_so(rig):
    rig.pms.stop()
    eventually(lambda: not rig.client.link_up)
    with pytest.raises(LinkDown):
        rig.client.inquire("101", timeout=1)


def test_the_pms_restarting_the_link_gets_masa_described_again(rig):
    described = len(rig.pms.records_from_pos("LD"))
    rig.pms.send_raw(b"\x02LS|DA261201|TI134501|\x03")
    rig.pms.wait_until(lambda: len(rig.pms.records_from_pos("LD")) > described, 2)
    assert rig.client.wait_link_up(2)
    assert rig.answer_for(rig.charge())[0] == "OK"


def test_stopping_ends_the_link(rig):
    rig.client.stop()
    assert rig.pms.wait_until(lambda: rig.pms.records_from_pos("LE"), 2)
    assert not rig.client.link_up


def test_charges_from_two_tills_at_once_each_get_their_own_number(rig):
    numbers: list[int] = []
    lock = threading.Lock()

    def till() -> None:
        for _ in range(5):
            p_number = rig.charge(total=100)
            with lock:
                numbers.append(p_number)

    threads = [threading.Thread(target=till) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 11))
    eventually(lambda: len(rig.answers) == 10)
    assert [c.p_number for c in rig.pms.folio("4711")] == list(range(1, 11))
