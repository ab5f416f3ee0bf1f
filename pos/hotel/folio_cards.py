"""A folio paid by card at the front desk, through the venue's card terminal.

The payment is written as a pending folio entry and the desk answers at once; the card
desk (pos.payments.cards) then asks the terminal for the money under the reference
``folio:<entry id>``, and the terminal's final answer, heard at once or learnt after a
restart, settles the entry exactly once: done (it counts in the balance) or declined. A
line dropped mid-payment leaves it unknown until the terminal or a manager says.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.errors import Conflict, NotFound
from pos.devices.terminals import TerminalResult
from pos.hotel.models import EntryKind, EntryStatus, FolioEntry, Stay
from pos.hotel.operations import announce_folio
from pos.payments.cards import settle_attempts_by_hand

log = logging.getLogger(__name__)
FOLIO_CARD = "folio:"
WAITING = (EntryStatus.PENDING, EntryStatus.UNKNOWN)


def terminal_reference(entry: FolioEntry) -> str:
    return f"{FOLIO_CARD}{entry.id}"


def entry_of(session: Session, reference: str) -> FolioEntry | None:
    number = reference.removeprefix(FOLIO_CARD)
    if not number.isdigit():
        return None
    return session.get(FolioEntry, int(number), with_for_update=True)


def card_description(result: TerminalResult) -> str:
    card = " ".join(part for part in (result.card_brand, result.card_last4 and
                                      f"•••• {result.card_last4}") if part)
    text = _("Paid: %(how)s", how=_("Card"))
    if card:
        text += f" ({card})"
    if result.auth_code:
        text += " · " + _("auth. %(code)s", code=result.auth_code)
    return text


class FolioCardPayments:
    """The hotel's answer for ``folio:`` references at the card terminal."""

    prefix = FOLIO_CARD

    def amount_due(self, session: Session, reference: str) -> int | None:
        entry = entry_of(session, reference)
        return entry.amount if entry is not None and entry.status is EntryStatus.PENDING \
            else None

    def apply(self, session: Session, reference: str, result: TerminalResult | None) -> None:
        entry = entry_of(session, reference)
        if entry is None or entry.status not in WAITING:
            return
        if result is None or not result.charged:
            entry.status = EntryStatus.DECLINED
            entry.description = _("Card declined")
        else:
            if result.amount_approved != entry.amount:  # a partial approval pays what it paid
                log.warning("folio card %s: %s approved of %s", reference,
                            result.amount_approved, entry.amount)
            entry.amount = min(result.amount_approved, entry.amount)
            entry.status = EntryStatus.DONE
            entry.description = card_description(result)
        announce_folio(session, session.get(Stay, entry.stay_id), entry)

    def unknown(self, session: Session, reference: str) -> None:
        entry = entry_of(session, reference)
        if entry is not None and entry.status is EntryStatus.PENDING:
            entry.status = EntryStatus.UNKNOWN
            announce_folio(session, session.get(Stay, entry.stay_id), entry)


def resolve_folio_card(session: Session, actor: Actor, stay_id: int, entry_id: int, *,
                       charged: bool, approved_by: int | None) -> FolioEntry:
    """A manager settles a desk card payment the terminal cannot answer for: from the
    terminal's slip or its end-of-day list, the card was charged or it was not."""
    entry = session.get(FolioEntry, entry_id, with_for_update=True)
    if entry is None or entry.stay_id != stay_id or entry.kind is not EntryKind.PAYMENT:
        raise NotFound(_("There is no such payment on this folio."), field="entry_id")
    if entry.status is not EntryStatus.UNKNOWN:
        raise Conflict(_("The terminal has already answered for this payment."),
                       field="entry_id", code="not_unknown")
    reference = terminal_reference(entry)
    result = settle_attempts_by_hand(session, reference, charged=charged, amount=entry.amount)
    record_audit(session, "folio.card_resolved", actor=actor, approved_by=approved_by,
                 subject=f"stay:{stay_id}", entry=entry.id, charged=charged,
                 amount=entry.amount)
    FolioCardPayments().apply(session, reference, result)
    return entry
