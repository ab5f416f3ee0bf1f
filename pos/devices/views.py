"""Alerts over the API: the back office's snapshot of what is up, and acknowledging one;
the card terminal: how it is, a status check and its end of day."""

from __future__ import annotations

from flask import Blueprint, current_app

from pos.core.api import API_PREFIX, api_route, current_db
from pos.core.auth import Permission
from pos.core.events import latest_event_id
from pos.devices import operations as ops
from pos.devices.schemas import AlertOut, AlertsOut, CardTerminalOut, TerminalReportOut
from pos.devices.terminals import AttemptState
from pos.devices.zvt import parse_address

api = Blueprint("devices_api", __name__, url_prefix=API_PREFIX)


@api_route(api, "/alerts", summary="Alerts still up (printers down, print jobs given up, "
           "wrong PINs); last_event is where the /office socket picks up",
           permission=Permission.OFFICE_VIEW, response=AlertsOut, tag="devices")
def show_alerts(session, actor):
    last_event = latest_event_id(session)  # first: anything later comes as an event
    return {"alerts": ops.open_alerts(session), "last_event": last_event}


@api_route(api, "/alerts/<int:alert_id>/acknowledge", method="POST", summary="Take an alert "
           "down once seen (a printer's offline alert clears itself when it answers)",
           permission=Permission.OFFICE_VIEW, response=AlertOut, idempotent=False,
           tag="devices")
def acknowledge_alert(session, actor, alert_id: int):
    return ops.acknowledge_alert(session, alert_id)


# --- the card terminal -----------------------------------------------------------------------

def card_desk():
    """The running card desk (pos.payments.cards), if a terminal is set up."""
    return current_app.extensions.get("masa_cards")


@api_route(api, "/card-terminal", summary="The card terminal: its address, whether a payment "
           "is at it now, payments awaiting its answer, the last end of day",
           permission=Permission.DEVICES_MANAGE, response=CardTerminalOut, tag="devices")
def show_card_terminal(session, actor):
    desk, address = card_desk(), current_app.config.get("MASA_CARD_TERMINAL")
    terminal = desk.terminal if desk is not None else None
    attempts = terminal.journal.unresolved(terminal.name) \
        if terminal is not None and hasattr(terminal, "journal") else []
    last = ops.last_end_of_day(session)
    return {"set_up": desk is not None, "kind": terminal_kind(address), "address": address,
            "busy": desk is not None and (desk.busy or any(
                a.state is AttemptState.SENT for a in attempts)),
            "awaiting_answer": sum(a.state is AttemptState.UNKNOWN for a in attempts),
            "last_end_of_day": {"at": last.at, "by": last.details.get("by"),
                                "ok": bool(last.details.get("ok")),
                                "total": last.details.get("total"),
                                "error": last.details.get("error")} if last else None}


def terminal_kind(address: str | None) -> str | None:
    if not address:
        return None
    if address == "simulator":
        return "simulator"
    try:
        return parse_address(address)[0]
    except ValueError:  # a port that is no number: shown as set, the driver says the rest
        return None


@api_route(api, "/card-terminal/check", method="POST", summary="Ask the card terminal how it "
           "is (ZVT status enquiry); 409 when none is set up, a payment is at it, or it does "
           "not answer", permission=Permission.DEVICES_MANAGE, response=TerminalReportOut,
           idempotent=False, waits_on_device=True, tag="devices")
def check_card_terminal(session, actor):
    report = ops.ask_terminal(card_desk(), "status_enquiry")
    ops.refuse_no_answer(report)
    return report


@api_route(api, "/card-terminal/end-of-day", method="POST", summary="The card terminal's end "
           "of day (ZVT): it sends the day's card payments to the bank. Audited; 409 when none "
           "is set up, a payment is at it or awaits its answer, or it does not answer",
           permission=Permission.DEVICES_MANAGE, response=TerminalReportOut, idempotent=False,
           waits_on_device=True, tag="devices")
def end_card_terminal_day(session, actor):
    desk = card_desk()
    report = ops.ask_terminal(desk, "end_of_day")
    with current_db().transaction() as writing:
        ops.record_end_of_day(writing, actor, desk.terminal.name, report)
    ops.refuse_no_answer(report)
    return report
