"""The checks API: what the waiter's tablet, a kiosk or online ordering call."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import NotFound
from pos.core.events import latest_event_id
from pos.floor.models import DiningTable, Floor
from pos.floor.operations import sections_of
from pos.floor.schemas import FloorOut, TableOut
from pos.ordering import adjustments, moves, quotes, tables
from pos.ordering import operations as ops
from pos.ordering.lines import LineRequest
from pos.ordering.models import Check, CheckStatus, OrderLine
from pos.ordering.reference import reference
from pos.ordering.schemas import (
    AddLines,
    ChangeCheck,
    CheckOut,
    ChecksQuery,
    CheckSummary,
    CompLine,
    Discount,
    EditLine,
    Merge,
    MoveLines,
    MoveOut,
    NewLine,
    OpenCheck,
    QuoteLines,
    QuoteOut,
    SendOrder,
    SendOut,
    Transfer,
    VersionOnly,
    VoidLine,
)
from pos.ordering.totals import CheckTotals, check_totals
from pos.staff.web import pin_check
from pos.venue.operations import current_business_day, get_venue

api = Blueprint("checks_api", __name__, url_prefix=API_PREFIX + "/checks")
tables_api = Blueprint("tables_api", __name__, url_prefix=API_PREFIX)
TAKE = Permission.TAKE_ORDERS


def line_request(line: NewLine) -> LineRequest:
    return LineRequest(item_id=line.item_id, quantity=line.quantity,
                       modifier_ids=tuple(line.modifier_ids), seat=line.seat,
                       course_id=line.course_id, note=line.note, client_id=line.client_id)


def check_view(session: Session, check: Check) -> dict[str, Any]:
    session.flush()
    ref = reference(session)
    totals = check_totals(check, ref.tax_mode)
    line_totals = {t.line_id: t.total for t in totals.lines}
    return {
        **{column: getattr(check, column) for column in (
            "id", "kind", "table_id", "name", "guest_count", "server_id", "status", "version",
            "opened_at", "discount_bp", "discount_amount", "discount_reason")},
        "table": ref.table_names.get(check.table_id),
        "server": ref.staff_names.get(check.server_id, ""),
        "lines": [{**line_columns(line), "total": line_totals.get(line.id, 0)}
                  for line in check.lines],
        "courses": check.courses,
        "totals": totals_out(totals),
    }


def totals_out(totals: CheckTotals) -> dict[str, Any]:
    return {"subtotal": totals.subtotal, "comps": totals.comps,
            "discounts": totals.discounts, "total": totals.total, "tax": totals.tax.lines}


def line_columns(line: OrderLine) -> dict[str, Any]:
    return {name: getattr(line, name) for name in (
        "id", "client_id", "item_id", "names", "quantity", "seat", "course_id", "note",
        "allergens", "unit_price", "modifiers_price", "modifiers", "status", "held", "send_id",
        "comped", "comp_reason", "discount_bp", "discount_amount", "void_reason")}


@api_route(api, "", summary="Open checks (optionally of one table)",
           permission=Permission.FLOOR_VIEW, query=ChecksQuery, response=CheckSummary, many=True)
def list_checks(session, actor, query: ChecksQuery):
    statement = select(Check).where(Check.status == CheckStatus.OPEN).order_by(Check.id)
    if query.table_id is not None:
        statement = statement.where(Check.table_id == query.table_id)
    checks = session.scalars(statement.options(selectinload(Check.lines))).all()
    tax_mode = get_venue(session).tax_mode
    return [{**{c: getattr(check, c) for c in CheckSummary.model_fields if c != "total"},
             "total": check_totals(check, tax_mode).total} for check in checks]


@api_route(api, "", method="POST", summary="Open a check on a table, or a bar tab or "
           "take-away by name", permission=TAKE, body=OpenCheck, response=CheckOut, status=201,
           operation_idempotent=True)
def open_check(session, actor, body: OpenCheck):
    check = ops.open_check(session, actor, kind=body.kind, table_id=body.table_id,
                           name=body.name, guest_count=body.guest_count, client_id=body.client_id,
                           expect_free=body.expect_free)
    return check_view(session, check)


@api_route(api, "/<int:check_id>", summary="A check with its lines and totals",
           permission=Permission.FLOOR_VIEW, response=CheckOut)
def show_check(session, actor, check_id: int):
    check = session.get(Check, check_id)
    if check is None:
        raise NotFound(_("There is no such check."), field="check_id")
    return check_view(session, check)


@api_route(api, "/<int:check_id>", method="PATCH", summary="Change guest count or tab name",
           permission=TAKE, body=ChangeCheck, response=CheckOut)
def change_check(session, actor, body: ChangeCheck, check_id: int):
    return check_view(session, ops.update_check(session, actor, check_id, body.version,
                                                guest_count=body.guest_count, name=body.name))


@api_route(api, "/<int:check_id>/cancel", method="POST", summary="Cancel a check opened by "
           "mistake (nothing sent yet)", permission=TAKE, body=VersionOnly, response=CheckOut,
           idempotent=False)
def cancel_check(session, actor, body: VersionOnly, check_id: int):
    return check_view(session, ops.cancel_check(session, actor, check_id, body.version))


@api_route(api, "/<int:check_id>/lines", method="POST", summary="Add lines (not sent yet)",
           permission=TAKE, body=AddLines, response=CheckOut, status=201)
def add_lines(session, actor, body: AddLines, check_id: int):
    requests = [line_request(line) for line in body.lines]
    return check_view(session, ops.add_lines(session, actor, check_id, body.version, requests))


@api_route(api, "/<int:check_id>/lines/<int:line_id>", method="PATCH",
           summary="Change a line that is not sent yet", permission=TAKE, body=EditLine,
           response=CheckOut)
def edit_line(session, actor, body: EditLine, check_id: int, line_id: int):
    check = ops.edit_line(session, actor, check_id, body.version, line_id, line_request(body))
    return check_view(session, check)


@api_route(api, "/<int:check_id>/send", method="POST", summary="Send the new lines to the "
           "kitchen and bar (later courses held until fired)", permission=TAKE, body=SendOrder,
           response=SendOut, operation_idempotent=True)
def send_order(session, actor, body: SendOrder, check_id: int):
    """The answer is what the send changed (its lines, the check's version, courses and
    totals), so it stays small however long the check grows."""
    result = ops.send_order(session, actor, check_id, body.version, body.client_id,
                            [line_request(line) for line in body.lines])
    check, totals = result.check, result.totals
    line_totals = {t.line_id: t.total for t in totals.lines}
    return {"send_id": result.send.id, "tickets": result.delivery.tickets,
            "stations": result.delivery.stations, "check_id": check.id,
            "version": check.version, "status": check.status,
            "lines": [{**line_columns(line), "total": line_totals.get(line.id, 0)}
                      for line in result.lines],
            "courses": result.courses, "totals": totals_out(totals)}


def course_route(rule: str, summary: str, operation):
    @api_route(api, f"/<int:check_id>/courses/<int:course_id>/{rule}", method="POST",
               summary=summary, permission=TAKE, body=VersionOnly, response=CheckOut,
               idempotent=False, endpoint=f"{rule}_course")
    def change_course(session, actor, body: VersionOnly, check_id: int, course_id: int):
        return check_view(session, operation(session, actor, check_id, body.version, course_id))


course_route("fire", "Fire a held course", ops.fire_course)
course_route("recall", "Hold a fired course again (before the kitchen starts it)",
             ops.recall_course)
course_route("rush", "Rush a course: its tickets go on top", ops.rush_course)


@api_route(api, "/<int:check_id>/lines/<int:line_id>/void", method="POST",
           summary="Void a line (a sent line needs a reason, and a manager's PIN for waiters)",
           permission=TAKE, body=VoidLine, response=CheckOut, idempotent=False)
def void_line(session, actor, body: VoidLine, check_id: int, line_id: int):
    check = adjustments.void_line(session, actor, check_id, body.version, line_id,
                                  reason=body.reason, quantity=body.quantity,
                                  manager_pin=body.manager_pin, pins=pin_check())
    return check_view(session, check)


@api_route(api, "/<int:check_id>/lines/<int:line_id>/comp", method="POST",
           summary="Give a line on the house", permission=TAKE, body=CompLine,
           response=CheckOut, idempotent=False)
def comp_line(session, actor, body: CompLine, check_id: int, line_id: int):
    check = adjustments.comp_line(session, actor, check_id, body.version, line_id,
                                  reason=body.reason, manager_pin=body.manager_pin,
                                  pins=pin_check())
    return check_view(session, check)


@api_route(api, "/<int:check_id>/discount", method="POST",
           summary="A discount on a line or the check", permission=TAKE, body=Discount,
           response=CheckOut, idempotent=False)
def discount(session, actor, body: Discount, check_id: int):
    check = adjustments.apply_discount(
        session, actor, check_id, body.version, line_id=body.line_id,
        percent_bp=body.percent_bp, amount=body.amount, reason=body.reason,
        manager_pin=body.manager_pin, pins=pin_check())
    return check_view(session, check)


@api_route(api, "/<int:check_id>/transfer", method="POST",
           summary="Move the check to another table or server", permission=TAKE,
           body=Transfer, response=CheckOut, idempotent=False)
def transfer(session, actor, body: Transfer, check_id: int):
    check = moves.transfer_check(session, actor, check_id, body.version,
                                 table_id=body.table_id, server_id=body.server_id)
    return check_view(session, check)


@api_route(api, "/<int:check_id>/move-lines", method="POST",
           summary="Move lines to another check", permission=TAKE, body=MoveLines,
           response=MoveOut, idempotent=False)
def move_lines(session, actor, body: MoveLines, check_id: int):
    source, target = moves.move_lines(session, actor, check_id, body.version,
                                      line_ids=body.line_ids, to_check_id=body.to_check_id,
                                      to_version=body.to_version)
    return {"source": check_view(session, source), "target": check_view(session, target)}


@api_route(api, "/<int:check_id>/merge", method="POST",
           summary="Merge another check into this one", permission=TAKE, body=Merge,
           response=CheckOut, idempotent=False)
def merge(session, actor, body: Merge, check_id: int):
    check = moves.merge_checks(session, actor, check_id, body.version,
                               from_check_id=body.from_check_id, from_version=body.from_version)
    return check_view(session, check)


@api_route(api, "/<int:check_id>/quote", method="POST",
           summary="What the check would come to with these lines added (writes nothing)",
           permission=TAKE, body=QuoteLines, response=QuoteOut, idempotent=False)
def quote(session, actor, body: QuoteLines, check_id: int):
    result = quotes.quote_check(session, actor, check_id,
                                [line_request(line) for line in body.lines])
    return {"check_id": result.check.id, "version": result.check.version,
            "lines": [{"index": line.index, "client_id": line.client_id,
                       "gross": line.total.gross, "comp": line.total.comp,
                       "discount": line.total.discount, "total": line.total.total}
                      for line in result.lines],
            "totals": totals_out(result.totals)}


# --- the floor plan with each table's live state (it follows the checks) -------------


@api_route(tables_api, "/floor", summary="Floors and tables with each table's live state; "
           "last_event is where the /floor socket picks up", permission=Permission.FLOOR_VIEW,
           response=FloorOut, tag="floor")
def show_floor(session, actor):
    last_event = latest_event_id(session)  # first: later changes arrive as events
    states = tables.table_states(session)
    floors = session.scalars(select(Floor).order_by(Floor.position)
                             .options(selectinload(Floor.tables))).all()
    day = current_business_day(session)
    return {
        "last_event": last_event,
        "business_day": {"id": day.id, "open": True} if day else None,
        "see_all_sections": get_venue(session).waiters_see_all_sections,
        "my_sections": sections_of(session, actor.staff_id) if actor.staff_id else [],
        "floors": [{"id": floor.id, "names": floor.names,
                    "tables": [table_out(table, states[table.id]) for table in floor.tables]}
                   for floor in floors],
    }


def table_out(table: DiningTable, state: dict) -> dict:
    return {**{c: getattr(table, c) for c in TableOut.model_fields if c not in state}, **state}


@api_route(tables_api, "/tables/<int:table_id>/clear", method="POST",
           summary="The table is cleared and reset for new guests",
           permission=Permission.FLOOR_VIEW, response=TableOut, idempotent=False, tag="floor")
def clear_table(session, actor, table_id: int):
    state = tables.clear_table(session, actor, table_id)
    return table_out(session.get(DiningTable, table_id), state)


@api_route(tables_api, "/tables/<int:table_id>/guests-left", method="POST",
           summary="The guests of a paid table have left: it needs clearing",
           permission=Permission.FLOOR_VIEW, response=TableOut, idempotent=False, tag="floor")
def guests_left(session, actor, table_id: int):
    state = tables.see_guests_leave(session, actor, table_id)
    return table_out(session.get(DiningTable, table_id), state)
