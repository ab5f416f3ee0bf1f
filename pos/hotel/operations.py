"""The hotel's folios and the restaurant's room charges.

A room charge is posted in the payment's own transaction: the bill is paid with the room
tender and the stay's folio gets the charge, itemised (outlet, check, lines, tax per rate,
tip), or neither happens. It is refused when the stay is not in house, is flagged "no
post", or the charge would pass its credit limit (a manager may pass it, audited). The
cashier confirms the guest by name: a name that is not on the stay is refused, and a room
asked for without a name answers with the guests who may sign.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pos.core.audit import record_audit
from pos.core.auth import Actor, Permission
from pos.core.db import utcnow
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.core.events import record_event
from pos.core.money import format_money
from pos.hotel.models import EntryKind, EntryStatus, FolioEntry, Guest, Room, Stay, StayStatus
from pos.ordering.models import Check
from pos.payments.bills import BillFigures
from pos.payments.models import Payment, Refund, Tender
from pos.payments.operations import RoomRequest
from pos.payments.receipts import name_in
from pos.staff.operations import approve_with_manager_pin
from pos.venue.operations import get_venue

MAX_FOUND = 20


class GuestToChoose(Conflict):
    """A room charge that needs the cashier to say who signs: it lists who may."""

    def __init__(self, message: str, *, code: str, field: str,
                 guests: list[dict[str, Any]]) -> None:
        super().__init__(message, field=field, code=code)
        self.guests = guests

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["guests"] = self.guests
        return body


# --- finding the guest ---------------------------------------------------------------------


def folded(text: str) -> str:
    """A name as the cashier may type it: no accents, no case, single spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def money_text(session: Session, amount: int) -> str:
    venue = get_venue(session)
    return format_money(amount, venue.currency, venue.locale)


def balance_of(session: Session, stay_id: int) -> int:
    """What the stay owes: its charges less corrections and payments (a card payment only
    once the terminal approved it)."""
    rows = session.execute(select(FolioEntry.kind, func.sum(FolioEntry.amount))
                           .where(FolioEntry.stay_id == stay_id,
                                  FolioEntry.status == EntryStatus.DONE)
                           .group_by(FolioEntry.kind))
    return sum(total if kind is EntryKind.CHARGE else -total for kind, total in rows)


def awaiting_terminal(session: Session, stay_id: int) -> int:
    """Card payments on the folio that the terminal has not answered for yet."""
    return session.scalar(select(func.coalesce(func.sum(FolioEntry.amount), 0)).where(
        FolioEntry.stay_id == stay_id,
        FolioEntry.status.in_([EntryStatus.PENDING, EntryStatus.UNKNOWN])))


def stay_card(session: Session, stay: Stay) -> dict[str, Any]:
    """What the cashier sees of a stay to confirm the guest: never the folio itself."""
    return {"stay_id": stay.id, "room": stay.room.number, "floor": stay.room.floor,
            "room_type": stay.room.kind, "status": stay.status.value,
            "guests": [guest.name for guest in stay.guests],
            "departure": stay.departure.isoformat(), "no_post": stay.no_post,
            "credit_left": (None if stay.credit_limit is None
                            else stay.credit_limit - balance_of(session, stay.id))}


def in_house(session: Session, *, room: str | None = None,
             name: str | None = None) -> list[dict[str, Any]]:
    """The in-house stays of a room, or whose guests' names hold ``name``."""
    statement = (select(Stay).join(Room, Room.id == Stay.room_id)
                 .where(Stay.status == StayStatus.IN_HOUSE)
                 .options(selectinload(Stay.companions), selectinload(Stay.guest),
                          selectinload(Stay.room)).order_by(Room.number, Stay.id))
    if room is not None:
        statement = statement.where(Room.number == room.strip())
    stays = list(session.scalars(statement))
    if name is not None:
        wanted = folded(name)
        stays = [s for s in stays if any(wanted in folded(g.name) for g in s.guests)]
    return [stay_card(session, stay) for stay in stays[:MAX_FOUND]]


def stay_for_charge(session: Session, request: RoomRequest) -> tuple[Stay, Guest]:
    """The stay and the guest who signs, as the cashier confirmed them, locked."""
    room = session.scalar(select(Room).where(Room.number == request.room.strip()))
    if room is None:
        raise NotFound(_("There is no room %(room)s.", room=request.room), field="reference",
                       code="unknown_room")
    stays = list(session.scalars(
        select(Stay).where(Stay.room_id == room.id, Stay.status == StayStatus.IN_HOUSE)
        .order_by(Stay.id).with_for_update()))
    if request.stay_id is not None:
        stay = session.get(Stay, request.stay_id)
        if stay is None or stay.room_id != room.id:
            raise NotFound(_("That stay is not in room %(room)s.", room=room.number),
                           field="stay_id")
        if stay.status is not StayStatus.IN_HOUSE:
            raise Conflict(_("The guests of that stay are not in house (%(status)s).",
                             status=stay.status.value), field="stay_id",
                           code="not_in_house")
        stays = [stay]
    if not stays:
        raise Conflict(_("Nobody is staying in room %(room)s now.", room=room.number),
                       field="reference", code="not_in_house")
    cards = [stay_card(session, stay) for stay in stays]
    if request.guest_name is None:
        raise GuestToChoose(_("Confirm the guest: who is signing?"), field="guest_name",
                            code="confirm_guest", guests=cards)
    typed = folded(request.guest_name)
    matches = [(stay, guest) for stay in stays for guest in stay.guests
               if folded(guest.name) == typed]
    if len(matches) != 1:
        raise GuestToChoose(_("%(name)s is not a guest of room %(room)s.",
                              name=request.guest_name, room=room.number),
                            field="guest_name", code="wrong_guest", guests=cards)
    return matches[0]


# --- posting -------------------------------------------------------------------------------


@dataclass
class HotelFolios:
    """The built-in folios: the ``RoomCharges`` the payments package calls."""

    def charge(self, session: Session, actor: Actor, payment: Payment, check: Check,
               bill: BillFigures, room: RoomRequest) -> str:
        stay, guest = stay_for_charge(session, room)
        if stay.no_post:
            raise Conflict(_("Room %(room)s may not be charged (no post): ask the guest "
                             "to pay another way.", room=stay.room.number),
                           field="reference", code="no_post")
        total = payment.amount + payment.tip
        approved_by = within_credit(session, actor, stay, total, room)
        entry = FolioEntry(
            stay_id=stay.id, client_id=f"payment:{payment.client_id}",
            kind=EntryKind.CHARGE, amount=total, tip=payment.tip,
            description=charge_description(session, check, bill),
            outlet=get_venue(session).name, check_id=check.id, payment_id=payment.id,
            guest_id=guest.id, lines=bill_lines(session, check, bill),
            tax=[{"rate_bp": t.rate_bp, "net": t.net, "tax": t.tax} for t in bill.tax],
            signature=room.signature, posted_by_id=actor.staff_id,
            approved_by_id=approved_by)
        session.add(entry)
        session.flush()
        record_audit(session, "folio.charged", actor=actor, approved_by=approved_by,
                     subject=f"stay:{stay.id}", check=check.id, payment=payment.id,
                     amount=total, guest=guest.name)
        announce_folio(session, stay, entry)
        return stay.room.number


def within_credit(session: Session, actor: Actor, stay: Stay, total: int,
                  room: RoomRequest) -> int | None:
    """None while the charge fits the stay's credit limit; past it, the manager whose
    approval passes it (the actor, or the PIN given)."""
    if stay.credit_limit is None:
        return None
    left = stay.credit_limit - balance_of(session, stay.id)
    if total <= left:
        return None
    if actor.can(Permission.APPROVE) and room.manager_pin is None:
        return actor.staff_id
    if room.manager_pin is None or room.pins is None:
        raise Conflict(_("This charge would pass room %(room)s's credit limit (%(left)s "
                         "left): a manager may allow it.", room=stay.room.number,
                         left=money_text(session, max(left, 0))), field="amount",
                       code="over_credit_limit")
    return approve_with_manager_pin(session, pin=room.manager_pin, check=room.pins,
                                    requester=actor).id


def charge_description(session: Session, check: Check, bill: BillFigures) -> str:
    where = get_venue(session).name
    return _("%(outlet)s, check %(check)s, bill %(bill)s", outlet=where, check=check.id,
             bill=bill.number)


def bill_lines(session: Session, check: Check, bill: BillFigures) -> list[dict[str, Any]]:
    language = get_venue(session).locale.split("_")[0]
    lines = {line.id: line for line in check.lines}
    return [{"name": name_in(lines[bl.line_id].names, language),
             "quantity": lines[bl.line_id].quantity, "fraction": str(bl.fraction),
             "amount": bl.amount} for bl in bill.lines if bl.line_id in lines]


def correct_for_refund(session: Session, actor: Actor, refund: Refund,
                       payment: Payment) -> None:
    """Money given back on a room charge comes off the same folio."""
    if payment.tender is not Tender.ROOM:
        return
    charge = session.scalar(select(FolioEntry).where(FolioEntry.payment_id == payment.id,
                                                     FolioEntry.kind == EntryKind.CHARGE))
    if charge is None:
        return
    entry = FolioEntry(stay_id=charge.stay_id, client_id=f"refund:{refund.client_id}",
                       kind=EntryKind.CORRECTION, amount=refund.amount,
                       description=_("Refund: %(reason)s", reason=refund.reason or ""),
                       outlet=charge.outlet, check_id=charge.check_id, payment_id=payment.id,
                       guest_id=charge.guest_id, posted_by_id=actor.staff_id,
                       approved_by_id=refund.approved_by_id, corrects_id=charge.id)
    session.add(entry)
    session.flush()
    announce_folio(session, session.get(Stay, charge.stay_id), entry)


def announce_stay(session: Session, stay: Stay) -> None:
    """A stay checked in or out: every front desk's lists follow, live."""
    record_event(session, "/desk", "desk", "stay", {
        "stay_id": stay.id, "room": stay.room.number, "status": stay.status.value})


def announce_folio(session: Session, stay: Stay, entry: FolioEntry) -> None:
    """An open folio on the front desk's screen follows, live."""
    record_event(session, "/desk", "desk", "folio", {
        "stay_id": stay.id, "room": stay.room.number, "entry_id": entry.id,
        "kind": entry.kind.value, "status": entry.status.value, "amount": entry.amount,
        "balance": balance_of(session, stay.id)})


# --- the front desk ------------------------------------------------------------------------


def venue_date(session: Session) -> date:
    return datetime.now(ZoneInfo(get_venue(session).timezone)).date()


def front_desk_list(session: Session, view: str, day: date | None = None
                    ) -> list[dict[str, Any]]:
    """The desk's lists for ``day`` (today at the venue): arrivals (reserved, due today or
    late), in house (departing today or later), departures (in house, due out by today)."""
    day = day or venue_date(session)
    statement = (select(Stay).join(Room, Room.id == Stay.room_id)
                 .options(selectinload(Stay.companions), selectinload(Stay.guest),
                          selectinload(Stay.room)).order_by(Room.number, Stay.id))
    if view == "arrivals":
        statement = statement.where(Stay.status == StayStatus.RESERVED, Stay.arrival <= day)
    elif view == "departures":
        statement = statement.where(Stay.status == StayStatus.IN_HOUSE, Stay.departure <= day)
    else:
        statement = statement.where(Stay.status == StayStatus.IN_HOUSE)
    return [{**stay_card(session, stay), "arrival": stay.arrival.isoformat(),
             "balance": balance_of(session, stay.id)}
            for stay in session.scalars(statement.limit(500))]


def read_stay(session: Session, stay_id: int, *, lock: bool = False) -> Stay:
    """The stay, or 404; ``lock``: held until the transaction ends (a desk changing it)."""
    stay = session.get(Stay, stay_id, with_for_update=lock)
    if stay is None:
        raise NotFound(_("There is no such stay."), field="stay_id")
    return stay


def folio(session: Session, stay_id: int) -> dict[str, Any]:
    stay = read_stay(session, stay_id)
    entries = list(session.scalars(select(FolioEntry).where(FolioEntry.stay_id == stay.id)
                                   .order_by(FolioEntry.id)))
    names = dict(session.execute(select(Guest.id, Guest.name).where(
        Guest.id.in_({e.guest_id for e in entries if e.guest_id}))).all())
    return {**stay_card(session, stay), "arrival": stay.arrival.isoformat(),
            "balance": balance_of(session, stay.id),
            "awaiting": awaiting_terminal(session, stay.id),
            "credit_limit": stay.credit_limit,
            "entries": [{"id": e.id, "kind": e.kind.value, "amount": e.amount, "tip": e.tip,
                         "description": e.description, "outlet": e.outlet,
                         "check_id": e.check_id, "payment_id": e.payment_id,
                         "status": e.status.value,
                         "signed_by": names.get(e.guest_id), "signed": e.signature is not None,
                         "lines": e.lines or [], "tax": e.tax or [],
                         "corrects_id": e.corrects_id, "posted_at": e.posted_at}
                        for e in entries]}


def check_in(session: Session, actor: Actor, stay_id: int) -> Stay:
    stay = read_stay(session, stay_id, lock=True)
    if stay.status is not StayStatus.RESERVED:
        raise Conflict(_("Only a reserved stay checks in (this one is %(status)s).",
                         status=stay.status.value), field="stay_id", code="not_reserved")
    taken = session.scalar(select(Stay.id).where(Stay.room_id == stay.room_id,
                                                 Stay.status == StayStatus.IN_HOUSE))
    if taken is not None:
        raise Conflict(_("Room %(room)s is still occupied.", room=stay.room.number),
                       field="stay_id", code="room_occupied")
    stay.status, stay.checked_in_at = StayStatus.IN_HOUSE, utcnow()
    record_audit(session, "stay.checked_in", actor=actor, subject=f"stay:{stay.id}",
                 room=stay.room.number)
    announce_stay(session, stay)
    return stay


def check_out(session: Session, actor: Actor, stay_id: int) -> Stay:
    """The guest leaves once the folio is settled (nothing owed, nothing owed back)."""
    stay = read_stay(session, stay_id, lock=True)
    if stay.status is not StayStatus.IN_HOUSE:
        raise Conflict(_("Only an in-house stay checks out (this one is %(status)s).",
                         status=stay.status.value), field="stay_id", code="not_in_house")
    balance = balance_of(session, stay.id)
    if balance:
        raise Conflict(_("The folio is not settled: %(balance)s is still open.",
                         balance=money_text(session, balance)), field="stay_id",
                       code="folio_open")
    stay.status, stay.checked_out_at = StayStatus.CHECKED_OUT, utcnow()
    record_audit(session, "stay.checked_out", actor=actor, subject=f"stay:{stay.id}",
                 room=stay.room.number)
    announce_stay(session, stay)
    return stay


def add_folio_entry(session: Session, actor: Actor, stay_id: int, *, client_id: str,
                    kind: EntryKind, amount: int, description: str,
                    corrects_id: int | None = None) -> FolioEntry:
    """A charge the desk adds by hand (minibar, laundry), or a correction of a charge (all
    of it or part), audited. A correction never takes back more than is left of its
    charge; a retry with the same client id adds nothing."""
    earlier = session.scalar(select(FolioEntry).where(
        FolioEntry.client_id == f"desk:{client_id}"))
    if earlier is not None:
        return earlier
    stay = read_stay(session, stay_id, lock=True)
    if stay.status is not StayStatus.IN_HOUSE:
        raise Conflict(_("Only an in-house stay's folio changes (this one is %(status)s).",
                         status=stay.status.value), field="stay_id", code="not_in_house")
    if amount <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    corrected = None
    if kind is EntryKind.CORRECTION:
        corrected = session.get(FolioEntry, corrects_id) if corrects_id else None
        if corrected is None or corrected.stay_id != stay.id \
                or corrected.kind is not EntryKind.CHARGE:
            raise NotFound(_("There is no such charge on this folio."), field="corrects_id")
        left = corrected.amount - (session.scalar(
            select(func.sum(FolioEntry.amount)).where(FolioEntry.corrects_id == corrected.id))
            or 0)
        if amount > left:
            raise InvalidInput(_("Only %(left)s of that charge is left to correct.",
                                 left=money_text(session, left)), field="amount",
                               code="more_than_charged")
    entry = FolioEntry(stay_id=stay.id, client_id=f"desk:{client_id}", kind=kind,
                       amount=amount, description=description, outlet=_("Front desk"),
                       posted_by_id=actor.staff_id,
                       corrects_id=corrected.id if corrected else None)
    session.add(entry)
    session.flush()
    record_audit(session, "folio.manual_entry", actor=actor, subject=f"stay:{stay.id}",
                 kind=kind.value, amount=amount, description=description,
                 corrects=entry.corrects_id)
    announce_folio(session, stay, entry)
    return entry


def settle_folio(session: Session, actor: Actor, stay_id: int, *, client_id: str,
                 amount: int, how: str, at_terminal: bool = False) -> FolioEntry:
    """A payment against the folio at the desk (cash, card, transfer to a company).
    ``at_terminal``: a card payment that waits for the venue's terminal (pending), and
    meanwhile holds its amount so the same money is not asked for twice."""
    earlier = session.scalar(select(FolioEntry).where(
        FolioEntry.client_id == f"settle:{client_id}"))
    if earlier is not None:
        return earlier
    stay = read_stay(session, stay_id, lock=True)
    owed = balance_of(session, stay.id) - awaiting_terminal(session, stay.id)
    if amount <= 0 or amount > owed:
        raise InvalidInput(_("More than nothing and at most the %(balance)s owed.",
                             balance=money_text(session, max(owed, 0))), field="amount",
                           code="more_than_owed")
    entry = FolioEntry(stay_id=stay.id, client_id=f"settle:{client_id}",
                       kind=EntryKind.PAYMENT, amount=amount,
                       status=EntryStatus.PENDING if at_terminal else EntryStatus.DONE,
                       description=_("Paid: %(how)s", how=how), posted_by_id=actor.staff_id)
    session.add(entry)
    session.flush()
    record_audit(session, "folio.settled", actor=actor, subject=f"stay:{stay.id}",
                 amount=amount, how=how)
    announce_folio(session, stay, entry)
    return entry
