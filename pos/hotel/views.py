"""The hotel over HTTP: the room's guests for a room charge, a stay's folio, check-in,
settling the folio and check-out."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_babel import gettext as _

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import InvalidInput
from pos.hotel import operations as ops
from pos.hotel.folio_cards import resolve_folio_card, terminal_reference
from pos.hotel.models import EntryStatus
from pos.hotel.schemas import (
    DeskStayOut,
    FolioOut,
    InHouseQuery,
    NewFolioEntry,
    ResolveFolioCard,
    SettleFolio,
    StayCardOut,
    StaysQuery,
)
from pos.ordering.adjustments import approval
from pos.payments.cards import take_after_commit
from pos.staff.web import pin_check

api = Blueprint("hotel_api", __name__, url_prefix=API_PREFIX)


@api_route(api, "/hotel/in-house", summary="In-house stays of a room, or by a guest's name: "
           "who may sign a room charge", permission=Permission.TAKE_PAYMENT,
           query=InHouseQuery, response=StayCardOut, many=True, tag="hotel")
def in_house(session, actor, query: InHouseQuery):
    if query.room is None and query.name is None:
        raise InvalidInput(_("Give a room number or a guest's name."), field="room")
    pms = current_app.extensions.get("masa_pms")
    if pms is not None:
        return pms.in_house(room=query.room, name=query.name)
    return ops.in_house(session, room=query.room, name=query.name)


@api_route(api, "/stays", summary="The front desk's lists for today: arrivals, in house, "
           "departures, each stay with its balance", permission=Permission.FOLIO,
           query=StaysQuery, response=DeskStayOut, many=True, tag="hotel")
def list_stays(session, actor, query: StaysQuery):
    return ops.front_desk_list(session, query.view)


@api_route(api, "/stays/<int:stay_id>/folio", summary="A stay's folio: every charge, "
           "correction and payment, a restaurant charge down to its lines",
           permission=Permission.FOLIO, response=FolioOut, tag="hotel")
def show_folio(session, actor, stay_id: int):
    return ops.folio(session, stay_id)


@api_route(api, "/stays/<int:stay_id>/check-in", method="POST", idempotent=False,
           summary="Check a reserved stay in", permission=Permission.FOLIO,
           response=FolioOut, tag="hotel")
def check_in(session, actor, stay_id: int):
    ops.check_in(session, actor, stay_id)
    return ops.folio(session, stay_id)


@api_route(api, "/stays/<int:stay_id>/entries", method="POST", status=201,
           summary="Add a charge by hand (minibar, laundry) or correct a charge, audited",
           permission=Permission.FOLIO, body=NewFolioEntry, response=FolioOut,
           operation_idempotent=True, tag="hotel")
def add_entry(session, actor, body: NewFolioEntry, stay_id: int):
    ops.add_folio_entry(session, actor, stay_id, client_id=body.client_id,
                        kind=ops.EntryKind(body.kind), amount=body.amount,
                        description=body.description, corrects_id=body.corrects_id)
    return ops.folio(session, stay_id)


@api_route(api, "/stays/<int:stay_id>/settle", method="POST", status=201,
           summary="Pay (part of) the folio at the desk: cash, card or transfer to a company. "
           "Where the venue has a card terminal, a card payment waits for it (pending)",
           permission=Permission.FOLIO, body=SettleFolio, response=FolioOut,
           operation_idempotent=True, tag="hotel")
def settle(session, actor, body: SettleFolio, stay_id: int):
    how = {"cash": _("Cash"), "card": _("Card"), "transfer": _("Transfer")}[body.how]
    if body.reference is not None:
        how = f"{how} ({body.reference})"
    at_terminal = body.how == "card" and "masa_cards" in current_app.extensions
    entry = ops.settle_folio(session, actor, stay_id, client_id=body.client_id,
                             amount=body.amount, how=how, at_terminal=at_terminal)
    if entry.status is EntryStatus.PENDING:
        take_after_commit(session, terminal_reference(entry))
    return ops.folio(session, stay_id)


@api_route(api, "/stays/<int:stay_id>/entries/<int:entry_id>/resolve", method="POST",
           idempotent=False, summary="Settle a desk card payment the terminal cannot answer "
           "for (charged or not, from its slip); a manager approves",
           permission=Permission.FOLIO, body=ResolveFolioCard, response=FolioOut, tag="hotel")
def resolve_card(session, actor, body: ResolveFolioCard, stay_id: int, entry_id: int):
    approved_by = approval(session, actor, Permission.APPROVE, body.manager_pin, pin_check())
    resolve_folio_card(session, actor, stay_id, entry_id, charged=body.charged,
                       approved_by=approved_by)
    return ops.folio(session, stay_id)


@api_route(api, "/stays/<int:stay_id>/check-out", method="POST", idempotent=False,
           summary="Check out a stay whose folio is settled", permission=Permission.FOLIO,
           response=FolioOut, tag="hotel")
def check_out(session, actor, stay_id: int):
    ops.check_out(session, actor, stay_id)
    return ops.folio(session, stay_id)
