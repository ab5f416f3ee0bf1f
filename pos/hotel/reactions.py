"""The hotel plugs into payments: the room tender posts to Masa's own folios, or to the
external PMS when one is linked (``MASA_PMS``); money refunded on a room charge comes off
the folio it went to; the card terminal answers the desk for a folio paid by card."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.hotel.folio_cards import FolioCardPayments
from pos.hotel.operations import HotelFolios, correct_for_refund
from pos.hotel.pms import correct_at_the_pms
from pos.ordering.models import Check
from pos.payments import operations as payments
from pos.payments.bills import BillFigures
from pos.payments.cards import OTHER_CHARGES
from pos.payments.models import Payment

BUILT_IN = HotelFolios()


def room_charges():
    """This app's folios: the PMS link's when there is one."""
    return current_app.extensions.get("masa_pms") or BUILT_IN


class RoomChargeDesk:
    def charge(self, session: Session, actor: Actor, payment: Payment, check: Check,
               bill: BillFigures, room: payments.RoomRequest) -> str:
        return room_charges().charge(session, actor, payment, check, bill, room)


if not any(isinstance(desk, RoomChargeDesk) for desk in payments.ROOM_CHARGES):
    payments.ROOM_CHARGES.append(RoomChargeDesk())
for hook in (correct_for_refund, correct_at_the_pms):
    if hook not in payments.AFTER_REFUND:
        payments.AFTER_REFUND.append(hook)
if not any(isinstance(other, FolioCardPayments) for other in OTHER_CHARGES):
    OTHER_CHARGES.append(FolioCardPayments())
