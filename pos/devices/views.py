"""Alerts over the API: the back office's snapshot of what is up, and acknowledging one."""

from __future__ import annotations

from flask import Blueprint

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.events import latest_event_id
from pos.devices import operations as ops
from pos.devices.schemas import AlertOut, AlertsOut

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
