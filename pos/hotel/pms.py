"""Room charges to an external PMS (Opera and the like) over FIAS, when ``MASA_PMS`` names
one; Masa's own folios take them otherwise.

A room charge is then a pending payment and a row in ``pms_postings`` (its id is the P#),
written in one transaction. The FIAS link (pos/hotel/fias.py) sends the postings in P#
order whenever it is up, again with the same P# after a drop, and its answer settles the
payment: OK pays the bill; a refusal (NG, NP, CO, …) declines it, and the cashier is told
why. Who may sign comes from the PMS's own in-house list (GI/GO/GC, kept by the link).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from pos.core.alerts import raise_alert
from pos.core.auth import Actor, Role
from pos.core.db import Database, utcnow
from pos.core.errors import Conflict
from pos.hotel.fias import FiasClient, FiasGuest, FiasPosting
from pos.hotel.models import PmsPosting
from pos.hotel.operations import GuestToChoose, folded
from pos.ordering.models import Check, CheckStatus
from pos.payments.bills import BillFigures
from pos.payments.models import Payment, PaymentStatus, Refund, Tender
from pos.payments.operations import RoomRequest, announce_bills, bills_of, settle
from pos.venue.operations import get_venue

log = logging.getLogger(__name__)
QUEUE_HEAD = 200


def posting_of(row: PmsPosting) -> FiasPosting:
    details = row.details
    return FiasPosting(
        room=row.room, guest_number=row.guest_number, guest_name=row.guest_name,
        total=row.total, sales_outlet=details.get("outlet"), check_number=details.get("check"),
        table=details.get("table"), tip=details.get("tip") or None,
        subtotals={int(k): v for k, v in details.get("subtotals", {}).items()},
        taxes={int(k): v for k, v in details.get("taxes", {}).items()},
        at=datetime.fromisoformat(details["at"]))


class DatabasePostingStore:
    """The FIAS client's ``PostingStore``, in the database. The link's thread calls it;
    each call is its own transaction, in the app's context (an answer settles a payment,
    which prints its receipt)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.db: Database = app.extensions["masa_db"]
        self._lock = threading.Lock()
        self._head: list[tuple[int, FiasPosting]] = []

    def add(self, posting: FiasPosting) -> int:
        with self.db.transaction() as session:
            row = new_posting_row(posting, payment_id=None)
            session.add(row)
            session.flush()
            return row.id

    def pending(self) -> list[tuple[int, FiasPosting]]:
        """The head of the queue, in P# order, read in batches: the link sends one at a
        time, so a backlog of thousands is not read again for each."""
        with self._lock:
            if not self._head:
                with self.db.reading() as session:
                    rows = session.scalars(
                        select(PmsPosting).where(PmsPosting.status == "pending")
                        .order_by(PmsPosting.id).limit(QUEUE_HEAD))
                    self._head = [(row.id, posting_of(row)) for row in rows]
            return list(self._head)

    def answered(self, p_number: int, status: str, text: str | None) -> None:
        with self._lock:
            self._head = [(n, posting) for n, posting in self._head if n != p_number]
        with self.app.app_context(), self.db.transaction() as session:
            row = session.get(PmsPosting, p_number, with_for_update=True)
            if row is None or row.status != "pending":
                return
            row.status = "ok" if status == "OK" else "refused"
            row.answer, row.answer_text, row.answered_at = status, (text or "")[:200], utcnow()
            if row.payment_id is not None:
                apply_answer(session, row)

    def retry_later(self, p_number: int, until: datetime) -> None:
        with self.db.transaction() as session:
            row = session.get(PmsPosting, p_number)
            if row is not None:
                row.retry_after = until


def new_posting_row(posting: FiasPosting, payment_id: int | None) -> PmsPosting:
    return PmsPosting(
        payment_id=payment_id, room=posting.room, guest_number=posting.guest_number,
        guest_name=posting.guest_name, total=posting.total, status="pending",
        details={"outlet": posting.sales_outlet, "check": posting.check_number,
                 "table": posting.table, "tip": posting.tip or 0,
                 "subtotals": {str(k): v for k, v in posting.subtotals.items()},
                 "taxes": {str(k): v for k, v in posting.taxes.items()},
                 "at": posting.at.isoformat()})


def apply_answer(session: Session, row: PmsPosting) -> None:
    """The PMS's final answer for a room charge: it counts once, whenever it comes."""
    payment = session.get(Payment, row.payment_id, with_for_update=True)
    if payment is None or payment.status is not PaymentStatus.PENDING:
        return
    check = session.get(Check, payment.check_id, with_for_update=True)
    payment.decided_at = utcnow()
    if row.status != "ok":
        payment.status = PaymentStatus.DECLINED
        payment.declined_reason = row.answer_text
        raise_alert(session, kind="room_charge_refused", subject=f"payment:{payment.id}",
                    message={"room": row.room, "code": row.answer, "text": row.answer_text,
                             "check_id": check.id})
        announce_bills(session, bills_of(session, check))
        return
    payment.status = PaymentStatus.APPROVED
    if check.status is CheckStatus.OPEN:
        settle(session, Actor(role=Role.CASHIER, name="PMS", staff_id=payment.taken_by_id,
                              device_id=payment.taken_by_device_id), check, payment)
    else:
        announce_bills(session, bills_of(session, check))


def correct_at_the_pms(session: Session, actor: Actor, refund: Refund,
                       payment: Payment) -> None:
    """Money refunded on a charge the PMS booked goes to the same guest's folio there as
    a negative posting, through the same outbox."""
    if payment.tender is not Tender.ROOM:
        return
    charged = session.scalar(select(PmsPosting).where(PmsPosting.payment_id == payment.id)
                             .order_by(PmsPosting.id).limit(1))
    if charged is None:
        return
    posting = posting_of(charged)
    session.add(new_posting_row(replace(
        posting, total=-refund.amount, tip=None, subtotals={1: -refund.amount}, taxes={},
        at=datetime.now().replace(microsecond=0)), payment_id=None))
    session.flush()
    from flask import current_app

    link = current_app.extensions.get("masa_pms")
    if link is not None:
        event.listen(session, "after_commit", lambda _s: link.client.wake(), once=True)


def guest_card(guest: FiasGuest) -> dict[str, Any]:
    """A PMS guest as the cashier's room lookup shows a stay."""
    return {"stay_id": None, "guest_number": guest.guest_number, "room": guest.room,
            "status": "in_house", "guests": [guest_name(guest)],
            "departure": guest.departure.isoformat() if guest.departure else "",
            "no_post": not guest.may_charge, "credit_left": None}


def guest_name(guest: FiasGuest) -> str:
    return " ".join(part for part in (guest.first_name, guest.name) if part)


class PmsFolios:
    """The ``RoomCharges`` of a venue whose hotel runs an external PMS."""

    def __init__(self, client: FiasClient) -> None:
        self.client = client

    def in_house(self, *, room: str | None = None, name: str | None = None
                 ) -> list[dict[str, Any]]:
        if room is not None:
            guests = self.client.in_house(room.strip())
        else:
            wanted = folded(name or "")
            guests = [g for g in self.client.all_in_house()
                      if wanted in folded(guest_name(g))]
        return [guest_card(g) for g in guests]

    def charge(self, session: Session, actor: Actor, payment: Payment, check: Check,
               bill: BillFigures, room: RoomRequest) -> str:
        guests = self.client.in_house(room.room.strip())
        if not guests:
            raise Conflict(_("Nobody is staying in room %(room)s now.", room=room.room),
                           field="reference", code="not_in_house")
        cards = [guest_card(g) for g in guests]
        if room.guest_name is None:
            raise GuestToChoose(_("Confirm the guest: who is signing?"), field="guest_name",
                                code="confirm_guest", guests=cards)
        typed = folded(room.guest_name)
        matches = [g for g in guests if typed in (folded(guest_name(g)), folded(g.name))]
        if len(matches) != 1:
            raise GuestToChoose(_("%(name)s is not a guest of room %(room)s.",
                                  name=room.guest_name, room=room.room),
                                field="guest_name", code="wrong_guest", guests=cards)
        guest = matches[0]
        if not guest.may_charge:
            raise Conflict(_("Room %(room)s may not be charged (no post): ask the guest "
                             "to pay another way.", room=room.room),
                           field="reference", code="no_post")
        payment.status, payment.decided_at = PaymentStatus.PENDING, None
        rates = sorted({t.rate_bp for t in bill.tax}, reverse=True)
        posting = FiasPosting(
            room=guest.room, guest_number=guest.guest_number, guest_name=guest.name,
            total=payment.amount + payment.tip, sales_outlet=get_venue(session).name[:20],
            check_number=str(check.id), tip=payment.tip or None,
            subtotals={1: payment.amount},
            taxes={rates.index(t.rate_bp) + 1: t.tax for t in bill.tax if t.tax}
            if payment.amount == bill.total else {},
            at=datetime.now(ZoneInfo(get_venue(session).timezone)).replace(
                tzinfo=None, microsecond=0))
        session.add(new_posting_row(posting, payment.id))
        session.flush()
        event.listen(session, "after_commit", lambda _s: self.client.wake(), once=True)
        return guest.room


def start_pms_link(app: Flask) -> PmsFolios:
    """The link named by ``MASA_PMS``: ``host:port``, or ``simulator`` (a PMS simulator in
    this process holding the demo's in-house guests)."""
    address = app.config["MASA_PMS"]
    if address == "simulator":
        address = f"127.0.0.1:{start_simulator(app)}"
    host, _sep, port = address.rpartition(":")
    client = FiasClient(host, int(port), DatabasePostingStore(app),
                        workstation=app.config.get("MASA_PMS_WORKSTATION", "MASA1"))
    folios = PmsFolios(client)
    app.extensions["masa_pms"] = folios
    client.start()
    return folios


def start_simulator(app: Flask) -> int:
    from pos.hotel.fias_sim import PmsSimulator
    from pos.hotel.models import Stay, StayStatus

    simulator = PmsSimulator()
    with app.app_context(), app.extensions["masa_db"].reading() as session:
        for stay in session.scalars(select(Stay).where(Stay.status == StayStatus.IN_HOUSE)):
            simulator.check_in(stay.room.number, f"G{stay.id}", stay.guest.name,
                               arrival=stay.arrival, departure=stay.departure,
                               no_post=stay.no_post)
    app.extensions["masa_pms_simulator"] = simulator
    return simulator.serve(0)
