"""Card payments through the venue's terminal, never charged twice, never unrecorded.

Pay by card writes the payment as pending and answers at once; the terminal is driven
outside any request (a guest may take a minute over their PIN). Each attempt is written
to ``terminal_attempts`` before a byte goes out (``DatabaseJournal``), and whenever an
attempt reaches its final answer, whether heard at once or learnt later by asking the
terminal for its last result, the same journal write applies it to the payment: so a
charge the terminal made always ends as exactly one recorded payment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Protocol

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor, Role
from pos.core.db import Database, utcnow
from pos.core.errors import Conflict, NotFound
from pos.devices.terminals import (
    Attempt,
    AttemptState,
    Operation,
    Outcome,
    Terminal,
    TerminalBusy,
    TerminalError,
    TerminalResult,
)
from pos.ordering.models import Check, CheckStatus
from pos.payments.models import Payment, PaymentStatus, Refund, TerminalAttempt
from pos.payments.operations import announce_bills, bills_of, settle

log = logging.getLogger(__name__)
FINAL = {AttemptState.APPROVED, AttemptState.PARTIAL, AttemptState.DECLINED}


class TerminalCharges(Protocol):
    """Money the terminal takes for something other than a check (a hotel folio paid at
    the desk). The package that owns it registers in ``OTHER_CHARGES`` and answers for the
    references that start with its ``prefix``; this module never imports it."""

    prefix: str

    def amount_due(self, session: Session, reference: str) -> int | None:
        """What to ask of the card, or None when it is no longer waiting for the terminal."""

    def apply(self, session: Session, reference: str, result: TerminalResult | None) -> None:
        """The terminal's final answer (None: nothing was charged); it counts once."""

    def unknown(self, session: Session, reference: str) -> None:
        """Nothing final was heard: the terminal (after a restart) or a manager will say."""


OTHER_CHARGES: list[TerminalCharges] = []


def other_charges_for(reference: str) -> TerminalCharges | None:
    return next((c for c in OTHER_CHARGES if reference.startswith(c.prefix)), None)


class DatabaseJournal:
    """The ``AttemptJournal`` of pos.devices.terminals, kept in the database. Each write is
    its own transaction, committed before the driver sends anything."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, attempt: Attempt) -> None:
        with self.db.transaction() as session:
            row = session.scalar(select(TerminalAttempt).where(TerminalAttempt.key == attempt.id))
            if row is None:
                row = TerminalAttempt(key=attempt.id, terminal=attempt.terminal,
                                      reference=attempt.reference,
                                      operation=attempt.operation.value, amount=attempt.amount,
                                      tip=attempt.tip, currency=attempt.currency,
                                      previous_trace=attempt.previous_trace,
                                      payment_id=payment_id_for(session, attempt.reference))
                session.add(row)
            row.state = attempt.state.value
            row.result = result_record(attempt.result) if attempt.result else None
            row.updated_at = utcnow()
            other = other_charges_for(attempt.reference)
            if other is not None:
                if attempt.state in FINAL:
                    other.apply(session, attempt.reference, attempt.result)
                elif attempt.state is AttemptState.UNKNOWN:
                    other.unknown(session, attempt.reference)
            elif attempt.state in FINAL and attempt.operation in (Operation.AUTHORISE,
                                                                Operation.BOOK_TOTAL):
                apply_result(session, attempt.reference, attempt.result)
            elif attempt.state in FINAL and attempt.operation is Operation.PRE_AUTHORISE:
                apply_hold_result(session, attempt.reference, attempt.result)
            elif attempt.state in FINAL and attempt.operation is Operation.RELEASE_HOLD:
                apply_release_result(session, attempt.reference, attempt.result)
            elif attempt.state in FINAL and attempt.operation is Operation.REFUND:
                apply_refund_result(session, attempt.reference, attempt.result)
            elif attempt.state is AttemptState.UNKNOWN:
                mark_unknown(session, attempt.reference)

    def unresolved(self, terminal: str) -> list[Attempt]:
        with self.db.reading() as session:
            rows = session.scalars(select(TerminalAttempt).where(
                TerminalAttempt.terminal == terminal,
                TerminalAttempt.state.in_([AttemptState.SENT.value, AttemptState.UNKNOWN.value]))
                .order_by(TerminalAttempt.id))
            return [attempt_of(row) for row in rows]

    def latest(self, terminal: str, reference: str) -> Attempt | None:
        with self.db.reading() as session:
            row = session.scalar(select(TerminalAttempt).where(
                TerminalAttempt.terminal == terminal, TerminalAttempt.reference == reference)
                .order_by(TerminalAttempt.id.desc()).limit(1))
            return attempt_of(row) if row else None

    def last_trace(self, terminal: str) -> int | None:
        with self.db.reading() as session:
            rows = session.scalars(select(TerminalAttempt.result).where(
                TerminalAttempt.terminal == terminal,
                TerminalAttempt.state.in_([s.value for s in FINAL]))
                .order_by(TerminalAttempt.id.desc()).limit(20))
            return next((r["trace_no"] for r in rows if r and r.get("trace_no")), None)


def payment_id_for(session: Session, reference: str) -> int | None:
    return session.scalar(select(Payment.id).where(Payment.client_id == reference))


def result_record(result: TerminalResult) -> dict:
    return {key: value for key, value in asdict(result).items() if value is not None}


def result_of(record: dict | None) -> TerminalResult | None:
    if not record:
        return None
    return TerminalResult(**{**record, "outcome": Outcome(record["outcome"])})


def attempt_of(row: TerminalAttempt) -> Attempt:
    return Attempt(terminal=row.terminal, operation=Operation(row.operation), amount=row.amount,
                   currency=row.currency, reference=row.reference, tip=row.tip,
                   previous_trace=row.previous_trace, id=row.key,
                   state=AttemptState(row.state), result=result_of(row.result),
                   created_at=row.created_at or datetime.min, updated_at=row.updated_at)


def terminal_actor(payment: Payment) -> Actor:
    return Actor(role=Role.CASHIER, name="card terminal", staff_id=payment.taken_by_id,
                 device_id=payment.taken_by_device_id)


def apply_result(session: Session, reference: str, result: TerminalResult | None) -> None:
    """The terminal's final answer for a payment: it counts once, whenever it comes."""
    payment = session.scalar(select(Payment).where(Payment.client_id == reference)
                             .with_for_update())
    if payment is None or payment.status not in (PaymentStatus.PENDING, PaymentStatus.UNKNOWN):
        return
    check = session.get(Check, payment.check_id, with_for_update=True)
    payment.decided_at = utcnow()
    if result is None or not result.charged:
        payment.status = PaymentStatus.DECLINED
        announce_bills(session, bills_of(session, check))
        return
    # The bill gets what was asked of it at most; whatever the card gave beyond that is
    # tip (the cashier's, or one the guest keyed in on the terminal).
    approved = result.amount_approved
    payment.amount = min(approved, payment.amount)
    payment.tip = approved - payment.amount
    payment.status = PaymentStatus.APPROVED
    payment.card_brand, payment.card_last4 = result.card_brand, result.card_last4
    payment.auth_code = result.auth_code
    payment.terminal_ref = str(result.receipt_no or result.trace_no or "") or None
    if session.scalar(select(TerminalAttempt.operation).where(
            TerminalAttempt.reference == reference).order_by(TerminalAttempt.id.desc())
            .limit(1)) == Operation.BOOK_TOTAL.value:
        release_hold_booked(session, check.id)
    if check.status is CheckStatus.OPEN:
        settle(session, terminal_actor(payment), check, payment)
    else:  # paid meanwhile by other means: the charge is kept on record, to refund
        announce_bills(session, bills_of(session, check))


def apply_hold_result(session: Session, reference: str,
                      result: TerminalResult | None) -> None:
    """The terminal holds the tab's card (or would not)."""
    hold = session.scalar(select(Payment).where(Payment.client_id == reference)
                          .with_for_update())
    if hold is None or hold.status not in (PaymentStatus.PENDING, PaymentStatus.UNKNOWN):
        return
    hold.decided_at = utcnow()
    if result is not None and result.charged:
        hold.status, hold.amount = PaymentStatus.HELD, result.amount_approved
        hold.card_brand, hold.card_last4 = result.card_brand, result.card_last4
        hold.auth_code = result.auth_code
        hold.terminal_ref = str(result.receipt_no) if result.receipt_no is not None else None
        hold.reference = str(result.trace_no) if result.trace_no is not None else None
    else:
        hold.status = PaymentStatus.DECLINED
    announce_bills(session, bills_of(session, session.get(Check, hold.check_id)))


def release_hold_booked(session: Session, check_id: int) -> None:
    """The tab's total was booked against its hold: the hold has done its work."""
    for hold in session.scalars(select(Payment).where(
            Payment.check_id == check_id, Payment.is_hold.is_(True),
            Payment.status == PaymentStatus.HELD).with_for_update()):
        hold.status = PaymentStatus.RELEASED


RELEASE = "release:"


def apply_release_result(session: Session, reference: str,
                         result: TerminalResult | None) -> None:
    """The terminal let go of the tab's hold (or would not: it stays held, to try again).
    A release's reference at the terminal is ``release:<the hold's payment id>``."""
    hold = session.get(Payment, int(reference.removeprefix(RELEASE)), with_for_update=True)
    if hold is None or hold.status is not PaymentStatus.HELD:
        return
    if result is not None and result.charged:
        hold.status, hold.decided_at = PaymentStatus.RELEASED, utcnow()
    else:
        log.warning("the terminal kept the card hold of check %s: %s", hold.check_id,
                    result.error if result else "no answer")
    announce_bills(session, bills_of(session, session.get(Check, hold.check_id)))


def apply_refund_result(session: Session, reference: str,
                        result: TerminalResult | None) -> None:
    """The terminal gave a card refund back (or would not): it counts once."""
    refund = session.scalar(select(Refund).where(Refund.client_id == reference)
                            .with_for_update())
    if refund is None or refund.status not in ("pending", "unknown"):
        return
    payment = session.get(Payment, refund.payment_id, with_for_update=True)
    if result is not None and result.charged:
        refund.status = "done"
        payment.refunded += refund.amount
    else:
        refund.status = "declined"
    announce_bills(session, bills_of(session, session.get(Check, payment.check_id)))


def mark_unknown(session: Session, reference: str) -> None:
    refund = session.scalar(select(Refund).where(Refund.client_id == reference))
    if refund is not None and refund.status == "pending":
        refund.status = "unknown"
        return
    payment = session.scalar(select(Payment).where(Payment.client_id == reference))
    if payment is not None and payment.status is PaymentStatus.PENDING:
        payment.status = PaymentStatus.UNKNOWN
        announce_bills(session, bills_of(session, session.get(Check, payment.check_id)))


class CardDesk:
    """The venue's card terminal and the worker threads that talk to it, one at a time,
    in the app's context (a payment's receipt and fiscal record are made there)."""

    def __init__(self, app: Flask, make_terminal: Callable[[DatabaseJournal], Terminal],
                 currency: str) -> None:
        self.app = app
        self.db: Database = app.extensions["masa_db"]
        self.terminal = make_terminal(DatabaseJournal(self.db))
        self.currency = currency
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        """A payment, refund or release of this process is at the terminal right now."""
        return self._lock.locked()

    @contextmanager
    def idle_terminal(self) -> Iterator[Terminal]:
        """The terminal, held for a request that moves no money (the back office's status
        check or end of day), only if nothing else is using it: ``TerminalBusy`` at once
        otherwise (a guest may be entering a PIN; no payment waits behind the office)."""
        if not self._lock.acquire(blocking=False):
            raise TerminalBusy(_("A card payment is in progress at the terminal."))
        try:
            yield self.terminal
        finally:
            self._lock.release()

    def in_background(self, work: Callable[..., object], *args: object, name: str) -> None:
        def run() -> None:
            with self.app.app_context():
                work(*args)

        threading.Thread(target=run, daemon=True, name=name).start()

    def charge(self, payment_id: int) -> None:
        """Ask the terminal for a pending payment's money, in the background."""
        self.in_background(self._charge, payment_id, name=f"card-{payment_id}")

    def _charge(self, payment_id: int) -> None:
        with self._lock:
            with self.db.reading() as session:
                payment = session.get(Payment, payment_id)
                if payment is None or payment.status is not PaymentStatus.PENDING:
                    return
                amount, tip, reference = payment.amount, payment.tip, payment.client_id
                hold = None if payment.is_hold else session.scalar(select(Payment).where(
                    Payment.check_id == payment.check_id,
                    Payment.status == PaymentStatus.HELD))
                held = (int(hold.terminal_ref), int(hold.reference) if hold.reference else None
                        ) if hold is not None and hold.terminal_ref else None
            try:
                if payment.is_hold:
                    self.terminal.pre_authorise(amount, currency=self.currency,
                                                reference=reference)
                elif held is not None:  # the tab's card was held: book the total on it
                    self.terminal.book_total(held[0], amount + tip, trace_no=held[1],
                                             currency=self.currency, reference=reference)
                else:
                    self.terminal.authorise(amount, self.currency, reference, tip=tip)
            except TerminalError as error:
                log.warning("card payment %s: %s", payment_id, error)
                self._unresolved(reference)
            except Exception:  # a driver fault must not leave the cashier waiting
                log.exception("card payment %s", payment_id)
                self._unresolved(reference)

    def take(self, reference: str) -> None:
        """Ask the terminal for money owed elsewhere than on a check (``OTHER_CHARGES``)."""
        self.in_background(self._take, reference, name=f"card-{reference}")

    def _take(self, reference: str) -> None:
        other = other_charges_for(reference)
        with self._lock:
            with self.db.reading() as session:
                amount = other.amount_due(session, reference) if other else None
            if amount is None:
                return
            try:
                self.terminal.authorise(amount, self.currency, reference)
            except Exception as error:  # the journal knows what went out; recovery settles it
                log.warning("card payment %s: %s", reference, error)
                self._unresolved(reference)

    def give_back(self, refund_id: int) -> None:
        """Refund a card payment through the terminal, in the background."""
        self.in_background(self._give_back, refund_id, name=f"card-refund-{refund_id}")

    def _give_back(self, refund_id: int) -> None:
        with self._lock:
            with self.db.reading() as session:
                refund = session.get(Refund, refund_id)
                if refund is None or refund.status != "pending":
                    return
                amount, reference = refund.amount, refund.client_id
            try:
                self.terminal.refund(amount, currency=self.currency, reference=reference)
            except Exception:  # the journal knows what went out; recovery settles it
                log.exception("card refund %s", refund_id)
                with self.db.transaction() as session:
                    mark_unknown(session, reference)

    def release(self, hold_id: int) -> None:
        """Let go of a tab's card hold at the terminal, in the background."""
        self.in_background(self._release, hold_id, name=f"card-release-{hold_id}")

    def _release(self, hold_id: int) -> None:
        with self._lock:
            with self.db.reading() as session:
                hold = session.get(Payment, hold_id)
                if hold is None or hold.status is not PaymentStatus.HELD or not hold.terminal_ref:
                    return
                receipt_no, amount = int(hold.terminal_ref), hold.amount
                trace_no = int(hold.reference) if hold.reference else None
            try:
                self.terminal.release_hold(receipt_no, amount, trace_no=trace_no,
                                           currency=self.currency,
                                           reference=f"{RELEASE}{hold_id}")
            except Exception:  # the hold stays held: the cashier can release it again
                log.exception("card hold %s: release", hold_id)

    def _unresolved(self, reference: str) -> None:
        """Nothing final was heard: pending stays unknown until the terminal is asked."""
        with self.db.transaction() as session:
            attempt = session.scalar(select(TerminalAttempt.state).where(
                TerminalAttempt.reference == reference).order_by(TerminalAttempt.id.desc())
                .limit(1))
            never_sent = attempt in (None, AttemptState.CREATED.value)
            other = other_charges_for(reference)
            if other is not None:
                if never_sent:
                    other.apply(session, reference, None)
                else:
                    other.unknown(session, reference)
                return
            payment = session.scalar(select(Payment).where(Payment.client_id == reference))
            if payment is None or payment.status is not PaymentStatus.PENDING:
                return
            if never_sent:
                payment.status, payment.decided_at = PaymentStatus.DECLINED, utcnow()
            else:
                payment.status = PaymentStatus.UNKNOWN
            announce_bills(session, bills_of(session, session.get(Check, payment.check_id)))

    def recover(self) -> TerminalResult | None:
        """Ask the terminal what became of the last attempt (after a restart, a lost line)."""
        with self._lock, self.app.app_context():
            try:
                return self.terminal.recover()
            except TerminalError as error:
                log.warning("card terminal recovery: %s", error)
                return None


def start_card_desk(app) -> CardDesk:
    """The terminal named by ``MASA_CARD_TERMINAL``: ``host[:port]`` (ZVT over TCP), a
    serial device, or ``simulator`` (a simulated terminal in this process, for the demo)."""
    from pos.devices.zvt import ZvtTerminal

    address = app.config["MASA_CARD_TERMINAL"]
    if address == "simulator":
        from pos.devices.zvt_simulator import TerminalSimulator

        simulator = TerminalSimulator()
        app.extensions["masa_terminal_simulator"] = simulator
        address = f"127.0.0.1:{simulator.serve_tcp(0)}"
    currency = app.config.get("MASA_CURRENCY", "RON")
    desk = CardDesk(app, lambda journal: ZvtTerminal(address, journal, name="counter",
                                                     currency=currency), currency)
    app.extensions["masa_cards"] = desk
    if desk.terminal.journal.unresolved("counter"):  # a restart while a card was out
        threading.Thread(target=desk.recover, daemon=True, name="card-recovery").start()
    return desk


def at_the_terminal_after_commit(session: Session, work: str, row_id: int | str) -> None:
    """Once the transaction is committed, the card desk does ``work`` (its method
    ``charge``, ``release``, ``give_back`` or ``take``) for the row, in the background.
    Nothing happens where no terminal is set up."""
    from flask import current_app

    desk: CardDesk | None = current_app.extensions.get("masa_cards")
    if desk is None:
        return
    event.listen(session, "after_commit", lambda _session: getattr(desk, work)(row_id),
                 once=True)


def charge_after_commit(session: Session, payment: Payment) -> None:
    """The pending payment: the terminal is asked for the money."""
    at_the_terminal_after_commit(session, "charge", payment.id)


def release_after_commit(session: Session, hold: Payment) -> None:
    """The tab's card hold: the terminal lets it go."""
    at_the_terminal_after_commit(session, "release", hold.id)


def refund_after_commit(session: Session, refund: Refund) -> None:
    """The pending card refund: the terminal gives the money back."""
    at_the_terminal_after_commit(session, "give_back", refund.id)


def take_after_commit(session: Session, reference: str) -> None:
    """Money owed elsewhere (``OTHER_CHARGES``): the terminal is asked for it."""
    at_the_terminal_after_commit(session, "take", reference)


def settle_attempts_by_hand(session: Session, reference: str, *, charged: bool, amount: int,
                            tip: int = 0) -> TerminalResult:
    """A manager's word on what the terminal cannot answer for (from its slip or its
    end-of-day list): the open attempts of ``reference`` end, so the terminal is free."""
    result = TerminalResult(outcome=Outcome.APPROVED if charged else Outcome.DECLINED,
                            amount_requested=amount, amount_approved=amount if charged else 0,
                            tip_amount=tip if charged else 0, error="settled by a manager")
    for attempt in session.scalars(select(TerminalAttempt).where(
            TerminalAttempt.reference == reference,
            TerminalAttempt.state.in_([AttemptState.SENT.value, AttemptState.UNKNOWN.value]))):
        attempt.state = (AttemptState.APPROVED if charged else AttemptState.DECLINED).value
        attempt.result, attempt.updated_at = result_record(result), utcnow()
    return result


def resolve_card_payment(session: Session, actor: Actor, payment_id: int, *, charged: bool,
                         approved_by: int | None) -> Payment:
    """A manager settles a card payment the terminal cannot answer for (it keeps no last
    transaction to repeat): from the terminal's own slip or its end-of-day list, the card
    was charged or it was not. Its attempt is settled too, so the terminal is free again."""
    payment = session.get(Payment, payment_id, with_for_update=True)
    if payment is None or payment.tender.value != "card":
        raise NotFound(_("There is no such card payment."), field="payment_id")
    if payment.status is not PaymentStatus.UNKNOWN:
        raise Conflict(_("The terminal has already answered for this payment."),
                       field="payment_id", code="not_unknown")
    total = payment.amount + payment.tip
    result = settle_attempts_by_hand(session, payment.client_id, charged=charged, amount=total,
                                     tip=payment.tip)
    record_audit(session, "payment.resolved", actor=actor, approved_by=approved_by,
                 subject=f"check:{payment.check_id}", payment=payment.id, charged=charged,
                 amount=total)
    apply_result(session, payment.client_id, result)
    return payment
