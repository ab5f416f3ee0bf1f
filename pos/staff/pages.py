"""The back office's devices and printers: paired screens (who paired what, when it was
last seen; renaming and revoking one, whose live connection closes at once), the
printers per station with their backups and test pages, the alerts the print queue
raises, live, and the card terminal the server is set up with."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask_babel import gettext as _
from pydantic import Field

from pos.core.api import API_PREFIX, Schema, api_route
from pos.core.audit import record_audit
from pos.core.auth import Permission
from pos.core.errors import NotFound
from pos.staff.models import Device, StaffMember
from pos.staff.operations import require_rank
from pos.staff.schemas import DeviceOut
from pos.staff.web import require_page

bp = Blueprint("staff_pages", __name__)


class DeviceName(Schema):
    label: str = Field(min_length=1, max_length=80)


@bp.get("/office/devices")
def paired_screens() -> Response | str:
    refused = require_page(Permission.DEVICES_MANAGE)
    if refused is not None:
        return refused
    return render_template("office/devices.html",
                           card_terminal=card_terminal(current_app.config))


def card_terminal(config) -> dict[str, str] | None:
    """What the server's MASA_CARD_TERMINAL names, shown (not changed) in the back office:
    the terminal is set where the server runs, beside its network address."""
    address = config.get("MASA_CARD_TERMINAL")
    if not address:
        return None
    if address == "simulator":
        return {"kind": _("Simulated terminal (demo)"), "address": address}
    if address.startswith("/"):
        return {"kind": _("ZVT over a serial line"), "address": address}
    return {"kind": _("ZVT over the network"), "address": address}


@api_route(bp, API_PREFIX + "/devices/<int:device_id>", method="PATCH", summary="Rename a "
           "paired device (audited)", permission=Permission.DEVICES_MANAGE, body=DeviceName,
           response=DeviceOut, tag="staff")
def rename_device(session, actor, body: DeviceName, device_id: int):
    device = session.get(Device, device_id, with_for_update=True)
    if device is None:
        raise NotFound(_("No such device."), field="device_id")
    require_rank(actor, device.role, field="device_id")
    if device.label != body.label:
        record_audit(session, "device.renamed", actor=actor, subject=f"device:{device.id}",
                     changes={"label": [device.label, body.label]})
        device.label = body.label
    paired_by = session.get(StaffMember, device.paired_by_id)
    return DeviceOut.of(device, {device.paired_by_id: paired_by.name} if paired_by else None)
