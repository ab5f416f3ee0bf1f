"""The ZVT driver against the simulator, over a pseudo-terminal (the driver opens it with
pyserial, which cannot set RTS/DTR on it) and over TCP on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

import pytest
import serial

from pos.devices import zvt
from pos.devices.terminals import (
    AttemptState,
    MemoryJournal,
    Outcome,
    RecoveryPending,
    Terminal,
    TerminalError,
)
from pos.devices.zvt import ZvtTerminal, ZvtTimeouts
from pos.devices.zvt_simulator import TerminalSimulator

FAST = ZvtTimeouts(connect=2.0, ack=1.0, answer=1.0, silence=1.0, transaction=1.5, abort=2.0)
S, C, U, A, D = (AttemptState.SENT, AttemptState.CREATED, AttemptState.UNKNOWN,
                 AttemptState.APPROVED, AttemptState.DECLINED)


@dataclass
class Rig:
    simulator: TerminalSimulator
    journal: MemoryJournal
    terminal: ZvtTerminal
    address: str

    def another_terminal(self, **options) -> ZvtTerminal:
        """The same terminal as a restarted server would open it."""
        return ZvtTerminal(self.address, self.journal, name=self.terminal.name,
                           timeouts=options.pop("timeouts", FAST), **options)

    def commands(self, prefix: str) -> list[bytes]:
        return [c for c in self.simulator.commands if c.startswith(bytes.fromhex(prefix))]


@pytest.fixture(params=["serial", "tcp"])
def rig(request):
    simulator = TerminalSimulator(status_interval=0.02, answer_timeout=2.0)
    address = simulator.serve_pty() if request.param == "serial" \
        else f"127.0.0.1:{simulator.serve_tcp()}"
    journal = MemoryJournal()
    yield Rig(simulator, journal, ZvtTerminal(address, journal, name="till-1", timeouts=FAST),
              address)
    simulator.stop()


def only_attempt(journal: MemoryJournal):
    (attempt,) = journal.attempts
    return attempt


def test_the_driver_is_a_terminal(rig):
    assert isinstance(rig.terminal, Terminal)


def test_an_approved_payment_is_charged_once_and_recorded(rig):
    result = rig.terminal.authorise(5000, "RON", "pay-1")
    assert result.outcome is Outcome.APPROVED
    assert (result.amount_requested, result.amount_approved) == (5000, 5000)
    assert result.card_brand == "MASTERCARD"
    assert result.card_last4 == "4111"
    assert result.auth_code and result.receipt_no and result.trace_no
    assert result.currency == "RON"
    assert [c.amount for c in rig.simulator.charged()] == [5000]
    attempt = only_attempt(rig.journal)
    assert rig.journal.states(attempt.id) == [C, S, A]
    assert attempt.result == result


def test_the_attempt_is_written_as_sent_before_the_terminal_hears_of_it(rig):
    seen_by_terminal_when_sent: list[int] = []
    record = rig.journal.record

    def watching(attempt):
        if attempt.state is AttemptState.SENT:
            seen_by_terminal_when_sent.append(len(rig.commands("06 01")))
        record(attempt)

    rig.journal.record = watching
    rig.terminal.authorise(1200, "RON", "pay-1")
    assert seen_by_terminal_when_sent == [0]
    assert len(rig.commands("06 01")) == 1


def test_a_declined_card_charges_nothing(rig):
    rig.simulator.next("decline", code=0x05)
    result = rig.terminal.authorise(5000, "RON", "pay-1")
    assert result.outcome is Outcome.DECLINED
    assert result.result_code == 0x05
    assert result.error == "ABGELEHNT"
    assert rig.simulator.charges == []
    assert rig.journal.states(only_attempt(rig.journal).id) == [C, S, D]


def test_a_partial_approval_says_how_much_the_card_covered(rig):
    rig.simulator.next("partial", amount=3000)
    result = rig.terminal.authorise(5000, "RON", "pay-1")
    assert result.outcome is Outcome.PARTIAL
    assert (result.amount_requested, result.amount_approved) == (5000, 3000)
    assert [c.amount for c in rig.simulator.charged()] == [3000]
    assert only_attempt(rig.journal).state is AttemptState.PARTIAL


def test_tips_asked_by_the_cashier_and_keyed_in_by_the_guest(rig):
    asked = rig.terminal.authorise(5000, "RON", "pay-1", tip=500)
    assert (asked.amount_requested, asked.amount_approved, asked.tip_amount) == (5500, 5500, 500)
    rig.simulator.next("approve", tip=300)
    keyed_in = rig.terminal.authorise(2000, "RON", "pay-2")
    assert keyed_in.outcome is Outcome.APPROVED
    assert (keyed_in.amount_approved, keyed_in.tip_amount) == (2300, 300)


def test_a_terminal_that_never_answers_is_asked_and_nothing_was_charged(rig):
    earlier = rig.terminal.authorise(800, "RON", "pay-0")
    rig.simulator.next("timeout")
    result = rig.terminal.authorise(5000, "RON", "pay-1")
    assert result.outcome is Outcome.DECLINED
    assert result.recovered
    assert [c.trace_no for c in rig.simulator.charges] == [earlier.trace_no]
    attempt = rig.journal.latest("till-1", "pay-1")
    assert rig.journal.states(attempt.id) == [C, S, U, D]
    assert len(rig.commands("06 20")) == 1  # the terminal was asked for its last result


def test_a_terminal_that_can_show_no_last_transaction_leaves_the_attempt_to_a_person(rig):
    rig.simulator.next("timeout")
    result = rig.terminal.authorise(5000, "RON", "pay-1")
    assert result.outcome is Outcome.UNKNOWN  # a fresh terminal: nothing to compare with
    with pytest.raises(RecoveryPending, match="journal by hand"):
        rig.terminal.authorise(700, "RON", "pay-2")
    assert len(rig.commands("06 01")) == 1
    assert rig.simulator.charges == []


def test_a_terminal_that_hangs_is_aborted_when_the_transaction_time_is_up(rig):
    rig.simulator.next("hang")
    result = rig.terminal.authorise(5000, "RON", "pay-1")
    assert result.outcome is Outcome.DECLINED
    assert result.result_code == 0x6C
    assert rig.simulator.charges == []


def test_the_cashier_can_abort_a_hanging_transaction(rig):
    rig.simulator.next("hang")
    patient = rig.another_terminal(timeouts=ZvtTimeouts(ack=1.0, answer=1.0, silence=2.0,
                                                        transaction=30.0, abort=2.0))
    statuses: list[int] = []
    patient.on_status = statuses.append
    results = []
    thread = threading.Thread(target=lambda: results.append(patient.authorise(5000, "RON", "p")))
    thread.start()
    for _ in range(500):  # until the terminal reports it is waiting for the card
        if statuses:
            break
        thread.join(0.02)
    assert patient.abort().ok
    thread.join(10)
    assert results and results[0].outcome is Outcome.DECLINED
    assert results[0].result_code == 0x6C
    assert rig.simulator.charges == []


def test_a_line_dropped_after_the_charge_ends_with_one_charge_and_one_approval(rig):
    rig.simulator.next("drop")
    result = rig.terminal.authorise(5000, "RON", "pay-1")
    assert result.outcome is Outcome.APPROVED
    assert result.recovered
    assert result.amount_approved == 5000
    assert result.card_last4 == "4111"
    assert len(rig.simulator.charged()) == 1
    attempt = only_attempt(rig.journal)
    assert rig.journal.states(attempt.id) == [C, S, U, A]
    assert attempt.result == result


def test_after_an_unknown_result_the_terminal_is_asked_before_anything_is_charged(rig):
    rig.simulator.next("drop", stay_offline=True)
    first = rig.terminal.authorise(5000, "RON", "pay-1")
    assert first.outcome is Outcome.UNKNOWN  # charged, but nobody could learn it yet
    assert only_attempt(rig.journal).state is AttemptState.UNKNOWN

    with pytest.raises(RecoveryPending):  # still unreachable: no second request goes out
        rig.terminal.authorise(5000, "RON", "pay-1")
    assert len(rig.commands("06 01")) == 1

    rig.simulator.back_online()
    restarted = rig.another_terminal()  # e.g. after a server restart: the journal remembers
    again = restarted.authorise(5000, "RON", "pay-1")
    assert again.outcome is Outcome.APPROVED
    assert again.recovered
    assert len(rig.simulator.charged()) == 1
    assert len(rig.commands("06 01")) == 1
    approved = [a for a in rig.journal.attempts if a.state is AttemptState.APPROVED]
    assert len(approved) == 1 and len(rig.journal.attempts) == 1


def test_a_new_payment_after_an_unknown_one_recovers_first(rig):
    rig.simulator.next("drop", stay_offline=True)
    rig.terminal.authorise(5000, "RON", "pay-1")
    rig.simulator.back_online()
    second = rig.terminal.authorise(700, "RON", "pay-2")
    assert second.outcome is Outcome.APPROVED
    commands = [c[:2].hex() for c in rig.simulator.commands]
    assert commands[-2:] == ["0620", "0601"]  # the last result asked before the new charge
    by_reference = {a.reference: a.state for a in rig.journal.attempts}
    assert by_reference == {"pay-1": AttemptState.APPROVED, "pay-2": AttemptState.APPROVED}
    assert [c.amount for c in rig.simulator.charged()] == [5000, 700]


def test_a_double_tap_is_charged_once(rig):
    first = rig.terminal.authorise(5000, "RON", "pay-1")
    second = rig.terminal.authorise(5000, "RON", "pay-1")
    assert second == first
    assert len(rig.simulator.charged()) == 1


def test_recover_returns_the_terminals_last_result(rig):
    assert rig.terminal.recover() is None  # nothing stored yet
    paid = rig.terminal.authorise(1500, "RON", "pay-1")
    last = rig.terminal.recover()
    assert last is not None and last.recovered
    assert (last.trace_no, last.amount_approved) == (paid.trace_no, 1500)
    assert len(rig.simulator.charged()) == 1


def test_registration_status_enquiry_end_of_day_and_abort(rig):
    registered = rig.terminal.register()
    assert registered.ok and registered.terminal_id == "52000123"
    status = rig.terminal.status_enquiry()
    assert status.ok and status.software == "MASA-SIM" and status.status == 0
    rig.terminal.authorise(5000, "RON", "pay-1")
    rig.terminal.authorise(2550, "RON", "pay-2")
    day = rig.terminal.end_of_day()
    assert day.ok and day.total == 7550
    assert rig.terminal.abort().ok


def test_a_reversal_cancels_the_payment_on_the_terminal(rig):
    paid = rig.terminal.authorise(5000, "RON", "pay-1")
    reversed_ = rig.terminal.reverse(paid.receipt_no, amount=5000, reference="void-1")
    assert reversed_.outcome is Outcome.APPROVED
    assert reversed_.amount_approved == 5000
    assert rig.simulator.charged() == []
    unknown_receipt = rig.terminal.reverse(9999, reference="void-2")
    assert unknown_receipt.outcome is Outcome.DECLINED
    assert unknown_receipt.result_code == 0xB5


def test_a_refund_goes_back_to_the_card(rig):
    refunded = rig.terminal.refund(1200, reference="refund-1")
    assert refunded.outcome is Outcome.APPROVED
    assert [c.amount for c in rig.simulator.charged("refund")] == [1200]
    assert only_attempt(rig.journal).operation == "refund"


def test_a_bar_tab_is_held_then_booked_at_its_final_total(rig):
    held = rig.terminal.pre_authorise(10000, reference="tab-1")
    assert held.outcome is Outcome.APPROVED
    booked = rig.terminal.book_total(held.receipt_no, 8450, trace_no=held.trace_no,
                                     reference="tab-1-close")
    assert booked.outcome is Outcome.APPROVED
    assert booked.amount_approved == 8450
    assert [c.amount for c in rig.simulator.charged("pre_authorisation")] == [10000]
    assert [c.amount for c in rig.simulator.charged("book_total")] == [8450]


def test_a_bar_tab_paid_otherwise_lets_its_hold_go_and_it_can_no_longer_be_booked(rig):
    held = rig.terminal.pre_authorise(10000, reference="tab-2")
    released = rig.terminal.release_hold(held.receipt_no, 10000, trace_no=held.trace_no,
                                         reference="tab-2-release")
    assert released.outcome is Outcome.APPROVED
    assert [(c.amount, c.ended) for c in rig.simulator.charged("pre_authorisation")] == [
        (10000, True)]
    assert [c.amount for c in rig.simulator.charged("release")] == [10000]
    booked = rig.terminal.book_total(held.receipt_no, 5000, trace_no=held.trace_no,
                                     reference="tab-2-close")
    assert booked.outcome is Outcome.DECLINED  # nothing held any more
    again = rig.terminal.release_hold(held.receipt_no, 10000, reference="tab-2-release-2")
    assert again.outcome is Outcome.DECLINED
    assert rig.simulator.charged("book_total") == [] and rig.simulator.charged() == []


def test_a_release_is_sent_as_a_pre_authorisation_reversal():
    assert zvt.pre_authorisation_reversal(12, 10000, 34) == bytes.fromhex(
        "06 25 0E 87 00 12 04 00 00 00 01 00 00 0B 00 00 34")


def test_a_card_number_sent_in_clear_is_cut_to_its_last_four_digits(rig):
    rig.simulator.next("approve", pan="5413330089604111")
    result = rig.terminal.authorise(5000, "RON", "pay-1")
    assert result.card_last4 == "4111"
    assert "541333" not in repr(rig.journal.attempts)


def test_an_unreachable_terminal_charges_nothing_and_says_so(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    journal = MemoryJournal()
    terminal = ZvtTerminal(f"127.0.0.1:{port}", journal, timeouts=FAST)
    with pytest.raises(TerminalError):
        terminal.authorise(5000, "RON", "pay-1")
    attempt = only_attempt(journal)
    assert journal.states(attempt.id) == [C, D]  # never marked sent: nothing went out


def test_a_pseudo_terminal_refuses_rts_and_dtr_and_the_driver_works_anyway():
    with TerminalSimulator() as simulator:
        device = simulator.serve_pty()
        with serial.Serial(device) as port, pytest.raises(OSError):
            port.rts = True
        terminal = ZvtTerminal(device, MemoryJournal(), timeouts=FAST)
        assert terminal.status_enquiry().ok
