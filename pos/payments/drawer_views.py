"""The cash drawer over HTTP: shifts, paid-ins and paid-outs, tips out, no sale, the count."""

from __future__ import annotations

from flask import Blueprint

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.payments import drawers as ops
from pos.payments.drawer_schemas import (
    CloseShift,
    DenominationsOut,
    MoveCash,
    MovementOut,
    NoSale,
    NoSaleOut,
    OpenShift,
    ShiftOut,
)
from pos.payments.models import CashMovementKind
from pos.staff.web import pin_check
from pos.venue.operations import get_venue

api = Blueprint("drawers_api", __name__, url_prefix=API_PREFIX)


def shift_answer(session, shift) -> dict:
    session.flush()
    return ops.shift_out(ops.drawer_figures(session, shift))


@api_route(api, "/drawer/denominations", summary="The notes and coins a drawer is counted "
           "in, in the venue's currency", permission=Permission.TAKE_PAYMENT,
           response=DenominationsOut, tag="drawers")
def list_denominations(session, actor):
    currency = get_venue(session).currency
    return {"currency": currency, "denominations": ops.denominations(currency)}


@api_route(api, "/shifts", method="POST", status=201, summary="Open your drawer with a float",
           permission=Permission.TAKE_PAYMENT, body=OpenShift, response=ShiftOut,
           tag="drawers")
def open_shift(session, actor, body: OpenShift):
    shift = ops.open_shift(session, actor, opening_float=body.opening_float,
                           printer_id=body.printer_id)
    return shift_answer(session, shift)


@api_route(api, "/shifts/current", summary="Your open drawer: what it should hold so far, "
           "tips per server", permission=Permission.TAKE_PAYMENT, response=ShiftOut,
           tag="drawers")
def show_current_shift(session, actor):
    return shift_answer(session, ops.shift_in_hand(session, actor, None))


@api_route(api, "/shifts/<int:shift_id>", summary="A drawer: float, cash in and out, "
           "expected, count, over/short", permission=Permission.TAKE_PAYMENT,
           response=ShiftOut, tag="drawers")
def show_shift(session, actor, shift_id: int):
    return shift_answer(session, ops.shift_in_hand(session, actor, shift_id))


@api_route(api, "/shifts/<int:shift_id>/movements", method="POST", status=201,
           summary="Cash paid in or out with a reason, or tips paid to a server",
           permission=Permission.TAKE_PAYMENT, body=MoveCash, response=MovementOut,
           operation_idempotent=True, tag="drawers")
def move_cash(session, actor, body: MoveCash, shift_id: int):
    return ops.move_cash(session, actor, shift_id, client_id=body.client_id,
                         kind=CashMovementKind(body.kind.value), amount=body.amount,
                         reason=body.reason, staff_id=body.staff_id)


@api_route(api, "/shifts/<int:shift_id>/close", method="POST",
           summary="Close a drawer with its count by denomination; over/short recorded",
           permission=Permission.TAKE_PAYMENT, body=CloseShift, response=ShiftOut,
           tag="drawers")
def close_shift(session, actor, body: CloseShift, shift_id: int):
    figures = ops.close_shift(session, actor, shift_id, body.counted)
    return shift_answer(session, figures.shift)


@api_route(api, "/drawer/no-sale", method="POST", status=201,
           summary="Open the drawer with no money moving (the right, or a manager's PIN)",
           permission=Permission.TAKE_PAYMENT, body=NoSale, response=NoSaleOut,
           operation_idempotent=True, tag="drawers")
def no_sale(session, actor, body: NoSale):
    movement, job = ops.no_sale(session, actor, body.shift_id, client_id=body.client_id,
                                reason=body.reason, manager_pin=body.manager_pin,
                                pins=pin_check())
    session.flush()
    return {"movement": movement, "shift_id": movement.shift_id,
            "print_job_id": job.id if job is not None else None,
            "approved_by_id": movement.approved_by_id}
