"""What the payments package asks of a card terminal, whatever protocol the terminal speaks.

A card payment is the one thing in a restaurant that must never happen twice and never
happen unrecorded. So a terminal driver writes each money attempt to an
``AttemptJournal`` before a byte leaves for the terminal (created → sent → approved |
declined | partial | unknown), and when an answer was lost (a time-out, a dropped line,
a restart) it asks the terminal for its last result before it does anything else. An
attempt whose reference was already approved is answered from the journal, never
charged again.

Only what a receipt may show is kept: the card's brand and last four digits, the
authorisation code and the terminal's own numbers. A full card number (PAN) never
reaches a ``TerminalResult``: ``last_four`` keeps the end of whatever the terminal sent.
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable


class Outcome(StrEnum):
    APPROVED = "approved"  # the whole amount was taken (or the operation was done)
    PARTIAL = "partial"  # the card covered less than asked: the rest needs another tender
    DECLINED = "declined"  # nothing was taken
    UNKNOWN = "unknown"  # the answer was lost; the terminal must be asked (``recover``)


class AttemptState(StrEnum):
    CREATED = "created"  # written, nothing sent yet
    SENT = "sent"  # bytes may be on the wire: from here on, only the terminal knows
    APPROVED = "approved"
    PARTIAL = "partial"
    DECLINED = "declined"
    UNKNOWN = "unknown"


FINAL_STATES = frozenset({AttemptState.APPROVED, AttemptState.PARTIAL, AttemptState.DECLINED})
UNRESOLVED_STATES = frozenset({AttemptState.SENT, AttemptState.UNKNOWN})


class Operation(StrEnum):
    AUTHORISE = "authorise"
    REFUND = "refund"
    REVERSE = "reverse"
    PRE_AUTHORISE = "pre_authorise"
    BOOK_TOTAL = "book_total"
    RELEASE_HOLD = "release_hold"


class TerminalError(Exception):
    """The terminal could not be used for this request (nothing was charged by it)."""


class TerminalBusy(TerminalError):
    """The terminal is taking a payment, a refund or a release: a request that moves no
    money (a status check, the end of day) is refused rather than queued behind it."""


class RecoveryPending(TerminalError):
    """An earlier attempt's result is still unknown and the terminal could not be asked for
    it: no new money request goes out until it can (a second charge could follow)."""


_DIGITS = re.compile(r"\d")
_CARD_NUMBER_IN_TEXT = re.compile(r"(?<!\d)(\d[ -]?){12,18}\d(?!\d)")


def last_four(card_number: str | None) -> str | None:
    """The last four digits of a (possibly masked) card number, ``None`` when it has none."""
    if not card_number:
        return None
    digits = "".join(_DIGITS.findall(card_number[-4:]))
    return digits if len(digits) == 4 else None


def without_card_numbers(text: str | None) -> str | None:
    """Terminal texts are free-form: a card number in one keeps only its last four digits."""
    if not text:
        return text

    def mask(match: re.Match[str]) -> str:
        digits = "".join(_DIGITS.findall(match.group(0)))
        return "*" * (len(digits) - 4) + digits[-4:]

    return _CARD_NUMBER_IN_TEXT.sub(mask, text)


@dataclass(frozen=True)
class TerminalResult:
    """The answer to one money request. Amounts are integer minor units.

    ``amount_requested`` is what the card was asked for (tip included);
    ``amount_approved`` what was taken. ``tip_amount`` is the tip inside the approved
    amount: the one the cashier asked for plus any the guest added on the terminal.
    """

    outcome: Outcome
    amount_requested: int
    amount_approved: int = 0
    currency: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    auth_code: str | None = None
    receipt_no: int | None = None
    trace_no: int | None = None
    terminal_id: str | None = None
    tip_amount: int = 0
    result_code: int | None = None  # the terminal's own code (ZVT BMP 27), 0 = no error
    error: str | None = None
    recovered: bool = False  # learnt afterwards by asking the terminal for its last result

    def __post_init__(self) -> None:
        # Whatever a driver passes, a full card number is never kept.
        if self.card_last4 is not None and not re.fullmatch(r"\d{4}", self.card_last4):
            object.__setattr__(self, "card_last4", last_four(self.card_last4))
        object.__setattr__(self, "error", without_card_numbers(self.error))

    @property
    def charged(self) -> bool:
        return self.outcome in (Outcome.APPROVED, Outcome.PARTIAL)


@dataclass(frozen=True)
class TerminalReport:
    """The answer to a request that moves no money: registration, status, end of day,
    abort."""

    ok: bool
    result_code: int | None = None
    terminal_id: str | None = None
    status: int | None = None  # the terminal's status byte, where it sends one
    software: str | None = None
    total: int | None = None  # end of day: the day's turnover, minor units
    error: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Attempt:
    """One money request to one terminal, as the journal keeps it."""

    terminal: str
    operation: Operation
    amount: int
    currency: str
    reference: str  # the caller's id for this payment (a retry reuses it)
    tip: int = 0
    previous_trace: int | None = None  # the terminal's last trace number before this one
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    state: AttemptState = AttemptState.CREATED
    result: TerminalResult | None = None
    created_at: datetime = field(default_factory=_now)
    updated_at: datetime = field(default_factory=_now)


class AttemptJournal(Protocol):
    """Where attempts are written; the payments package backs it with a table.

    ``record`` must be durable when it returns: the driver sends nothing until it has.
    """

    def record(self, attempt: Attempt) -> None:
        """Store the attempt in its current state (insert, or update by ``attempt.id``)."""

    def unresolved(self, terminal: str) -> list[Attempt]:
        """The terminal's attempts in state sent or unknown, oldest first."""

    def latest(self, terminal: str, reference: str) -> Attempt | None:
        """The newest attempt with this reference on this terminal."""

    def last_trace(self, terminal: str) -> int | None:
        """The trace number of the terminal's most recently finished attempt that has one."""


class MemoryJournal:
    """An ``AttemptJournal`` in memory, for tests and the simulator demo. ``history``
    keeps every state written, in order, so a test can see what was written when."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._attempts: dict[str, Attempt] = {}
        self._finished: list[str] = []  # attempt ids in the order they reached a final state
        self.history: list[tuple[str, AttemptState]] = []

    def record(self, attempt: Attempt) -> None:
        with self._lock:
            stored = replace(attempt, updated_at=_now())
            self._attempts[attempt.id] = stored
            self.history.append((attempt.id, attempt.state))
            if attempt.state in FINAL_STATES:
                if attempt.id in self._finished:
                    self._finished.remove(attempt.id)
                self._finished.append(attempt.id)

    def unresolved(self, terminal: str) -> list[Attempt]:
        with self._lock:
            return [replace(a) for a in self._attempts.values()
                    if a.terminal == terminal and a.state in UNRESOLVED_STATES]

    def latest(self, terminal: str, reference: str) -> Attempt | None:
        with self._lock:
            found = [a for a in self._attempts.values()
                     if a.terminal == terminal and a.reference == reference]
            return replace(found[-1]) if found else None

    def last_trace(self, terminal: str) -> int | None:
        with self._lock:
            for attempt_id in reversed(self._finished):
                attempt = self._attempts[attempt_id]
                if (attempt.terminal == terminal and attempt.result is not None
                        and attempt.result.trace_no is not None):
                    return attempt.result.trace_no
            return None

    @property
    def attempts(self) -> list[Attempt]:
        with self._lock:
            return [replace(a) for a in self._attempts.values()]

    def states(self, attempt_id: str) -> list[AttemptState]:
        return [state for seen, state in self.history if seen == attempt_id]


@runtime_checkable
class Terminal(Protocol):
    """A card terminal as the payments package uses it. Every call is bounded in time.

    Money calls return a ``TerminalResult`` and never raise for a card's answer; they
    raise ``TerminalError`` only when nothing was sent (terminal unreachable before the
    request went out) and ``RecoveryPending`` when an earlier result is still unknown.
    ``reference`` is the caller's id for the payment: calling again with the reference
    of an approved attempt returns that attempt's result and charges nothing. Currency is
    ISO 4217 ("RON"); ``None`` means the terminal's own.
    """

    name: str

    def register(self) -> TerminalReport: ...

    def authorise(self, amount: int, currency: str, reference: str, tip: int = 0
                  ) -> TerminalResult: ...

    def reverse(self, receipt_no: int, *, amount: int = 0, currency: str | None = None,
                reference: str | None = None) -> TerminalResult: ...

    def refund(self, amount: int, *, currency: str | None = None,
               reference: str | None = None) -> TerminalResult: ...

    def pre_authorise(self, amount: int, *, currency: str | None = None,
                      reference: str | None = None) -> TerminalResult: ...

    def book_total(self, receipt_no: int, amount: int, *, trace_no: int | None = None,
                   currency: str | None = None, reference: str | None = None
                   ) -> TerminalResult:
        """Charge the final amount of a pre-authorisation (a bar tab), found by the
        receipt number (and trace number) the pre-authorisation returned."""
        ...

    def release_hold(self, receipt_no: int, amount: int, *, trace_no: int | None = None,
                     currency: str | None = None, reference: str | None = None
                     ) -> TerminalResult:
        """Let go of a pre-authorisation that will not be booked (the tab was paid
        otherwise): the guest's card is free again. Approved means released."""
        ...

    def last_result(self) -> TerminalResult | None:
        """The last result this instance heard or recovered, without asking again."""
        ...

    def status_enquiry(self) -> TerminalReport: ...

    def end_of_day(self) -> TerminalReport: ...

    def abort(self) -> TerminalReport: ...

    def recover(self) -> TerminalResult | None:
        """Ask the terminal for its last result and settle every unresolved attempt with
        it; returns the last result (``None`` when the terminal has none)."""
        ...
