"""The kitchen's API: a station's tickets, line done, bump, recall, reprint, expo's ready.

Every tap carries the screen's ``client_id``: a tap repeated (a double tap, a retry after
the Wi-Fi dropped) answers as the first did and changes nothing, even after a later tap
(a bump repeated after a recall does not bump the ticket again)."""

from __future__ import annotations

from flask import Blueprint, Response

from kitchen import operations as ops
from kitchen.schemas import CourseCall, KitchenOut, LineDone, ReadyOut, Tap, TicketOut
from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission

api = Blueprint("kitchen_api", __name__, url_prefix=API_PREFIX + "/kitchen")
VIEW, BUMP = Permission.KITCHEN_VIEW, Permission.KITCHEN_BUMP


def ticket_out(ticket) -> dict:
    return {"id": ticket.id, "status": ticket.status.value,
            "bumped_at": ticket.bumped_at.isoformat() if ticket.bumped_at else None}


@api_route(api, "/<station>", summary="A station's open tickets (expo: every station's) and "
           "the last bumped ones; last_event is where the /kitchen socket picks up",
           permission=VIEW, response=KitchenOut, tag="kitchen")
def show_station(session, actor, station: str):
    return Response(ops.kitchen_snapshot_json(session, actor.station or station),
                    mimetype="application/json")


@api_route(api, "/tickets/<int:ticket_id>/lines/<int:line_id>/done", method="POST",
           summary="Mark a line made (or not)", permission=BUMP, body=LineDone,
           response=TicketOut, tag="kitchen")
def line_done(session, actor, body: LineDone, ticket_id: int, line_id: int):
    return ticket_out(ops.mark_line_done(session, actor, ticket_id, line_id, body.done))


@api_route(api, "/tickets/<int:ticket_id>/bump", method="POST", summary="Bump a ticket",
           permission=BUMP, body=Tap, response=TicketOut, tag="kitchen")
def bump(session, actor, body: Tap, ticket_id: int):
    return ticket_out(ops.bump_ticket(session, actor, ticket_id))


@api_route(api, "/tickets/<int:ticket_id>/recall", method="POST",
           summary="Bring a bumped ticket back", permission=BUMP, body=Tap, response=TicketOut,
           tag="kitchen")
def recall(session, actor, body: Tap, ticket_id: int):
    return ticket_out(ops.recall_ticket(session, actor, ticket_id))


@api_route(api, "/tickets/<int:ticket_id>/reprint", method="POST",
           summary="Print the ticket again, marked REPRINT", permission=BUMP, body=Tap,
           response=TicketOut, tag="kitchen")
def reprint(session, actor, body: Tap, ticket_id: int):
    ops.reprint_ticket(session, actor, ticket_id)
    return ticket_out(ops.ticket_for_change(session, ticket_id, actor))


@api_route(api, "/ready", method="POST", summary="Expo: a check's course is at the pass; "
           "the server's tablet is told", permission=BUMP, body=CourseCall, response=ReadyOut,
           tag="kitchen")
def ready(session, actor, body: CourseCall):
    return ops.call_ready(session, actor, body.check_id, body.course_id)


@api_route(api, "/ready", summary="My courses called ready and not yet picked up",
           permission=Permission.TAKE_ORDERS, response=ReadyOut, many=True, tag="kitchen")
def waiting_for_me(session, actor):
    return ops.waiting_at_the_pass(session, actor.staff_id)


@api_route(api, "/served", method="POST", summary="The server picked the course up",
           permission=Permission.TAKE_ORDERS, body=CourseCall,
           tag="kitchen")
def served(session, actor, body: CourseCall):
    ops.pick_up(session, actor, body.check_id, body.course_id)
    return {"check_id": body.check_id, "course_id": body.course_id}
