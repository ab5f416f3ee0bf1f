"""The back office's printers and stations: which stations print where, and when a
station's tickets turn yellow and red.

Printers are the devices' (``pos.devices.operations``); which station prints on which
printer is the kitchen's, so a printer and its stations change here, in one
transaction: a printer is never saved with half its stations moved."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _
from pydantic import Field, model_validator
from sqlalchemy import select

from kitchen.events import announce_station_timing
from kitchen.models import Station
from kitchen.reference import StationShape
from pos.core.api import API_PREFIX, Schema, api_route
from pos.core.audit import record_audit
from pos.core.auth import Actor, Permission
from pos.core.errors import InvalidInput, NotFound
from pos.devices import operations as printers
from pos.devices.models import Printer
from pos.devices.schemas import NewPrinter, PrinterChange, PrinterOut, TestPageOut

api = Blueprint("kitchen_office_api", __name__, url_prefix=API_PREFIX)
MANAGE = Permission.DEVICES_MANAGE


class StationTiming(Schema):
    warn_after_seconds: int | None = Field(None, ge=60, le=4 * 3600, description="A ticket "
                                           "turns yellow after this long")
    late_after_seconds: int | None = Field(None, ge=60, le=4 * 3600, description="A ticket "
                                           "turns red after this long")

    @model_validator(mode="after")
    def _at_least_one(self) -> StationTiming:
        if self.warn_after_seconds is None and self.late_after_seconds is None:
            raise ValueError("send warn_after_seconds or late_after_seconds")
        return self


def printer_out(printer: Printer, stations: list[Station], alerted: set[int]) -> dict:
    return {"id": printer.id, "name": printer.name, "kind": printer.kind,
            "address": printer.address, "backup_id": printer.backup_id,
            "online": printer.online and printer.id not in alerted,
            "alerted": printer.id in alerted,
            "stations": [s.id for s in stations if s.printer_id == printer.id]}


def all_stations(session) -> list[Station]:
    return list(session.scalars(select(Station).order_by(Station.position, Station.id)))


@api_route(api, "/printers", summary="The venue's printers, with the stations that print to "
           "each and whether it is online", permission=MANAGE, response=PrinterOut, many=True,
           tag="printers")
def list_printers(session, actor):
    stations, alerted = all_stations(session), printers.alerted_printers(session)
    return [printer_out(p, stations, alerted) for p in printers.active_printers(session)]


@api_route(api, "/printers", method="POST", summary="Add a printer, with the stations that "
           "print to it and its backup (audited)", permission=MANAGE, body=NewPrinter,
           response=PrinterOut, status=201, idempotent=False, tag="printers")
def add_printer(session, actor, body: NewPrinter):
    printer = printers.add_printer(session, actor, name=body.name, kind=body.kind,
                                   address=body.address, backup_id=body.backup_id)
    print_stations_on(session, actor, printer, body.stations)
    return printer_out(printer, all_stations(session), printers.alerted_printers(session))


@api_route(api, "/printers/<int:printer_id>", method="PATCH", summary="Change a printer: "
           "name, address, backup, its stations (audited with before and after)",
           permission=MANAGE, body=PrinterChange, response=PrinterOut, tag="printers")
def change_printer(session, actor, body: PrinterChange, printer_id: int):
    changes = body.model_dump(exclude_unset=True)
    stations = changes.pop("stations", None)
    if not changes and stations is None:
        raise InvalidInput(_("Nothing to change."), field="body")
    printer = printers.change_printer(session, actor, printer_id, changes)
    if stations is not None:
        print_stations_on(session, actor, printer, stations)
    return printer_out(printer, all_stations(session), printers.alerted_printers(session))


@api_route(api, "/printers/<int:printer_id>", method="DELETE", summary="Remove a printer: "
           "its stations print nowhere until given another; its queued jobs go to its backup",
           permission=MANAGE, response=PrinterOut, tag="printers")
def remove_printer(session, actor, printer_id: int):
    printer = printers.retire_printer(session, actor, printer_id)
    stations = all_stations(session)
    for station in stations:
        if station.printer_id == printer.id:
            station.printer_id = None
    return printer_out(printer, stations, set())


@api_route(api, "/printers/<int:printer_id>/test-page", method="POST", summary="Print a test "
           "page (through the print queue, as any ticket)", permission=MANAGE,
           response=TestPageOut, status=201, idempotent=False, tag="printers")
def print_test_page(session, actor, printer_id: int):
    job = printers.queue_test_page(session, printer_id, note=actor.name)
    return {"job_id": job.id, "printer_id": printer_id}


def print_stations_on(session, actor: Actor, printer: Printer, station_ids: list[int]) -> None:
    """Exactly these stations print on ``printer`` from now on (each moves off the printer
    it had); a station left out that printed here prints nowhere until given one."""
    stations = all_stations(session)
    known = {s.id for s in stations}
    unknown = [i for i in station_ids if i not in known]
    if unknown:
        raise InvalidInput(_("No station has the id %(id)s.", id=unknown[0]), field="stations")
    before = sorted(s.code for s in stations if s.printer_id == printer.id)
    for station in stations:
        if station.id in station_ids:
            station.printer_id = printer.id
        elif station.printer_id == printer.id:
            station.printer_id = None
    after = sorted(s.code for s in stations if s.id in station_ids)
    if before != after:
        record_audit(session, "printer.changed", actor=actor, subject=f"printer:{printer.id}",
                     changes={"stations": [before, after]})


@api_route(api, "/stations", summary="The kitchen's stations: their printer and ticket "
           "colour times", permission=Permission.OFFICE_VIEW, response=StationShape, many=True,
           tag="printers")
def list_stations(session, actor):
    return all_stations(session)


@api_route(api, "/stations/<int:station_id>", method="PATCH", summary="When a station's "
           "tickets turn yellow and red (audited with before and after)",
           permission=Permission.SERVICE_SETTINGS, body=StationTiming, response=StationShape,
           tag="printers")
def change_station_timing(session, actor, body: StationTiming, station_id: int):
    station = session.get(Station, station_id, with_for_update=True)
    if station is None:
        raise NotFound(_("No such station."), field="station_id")
    changes = body.model_dump(exclude_none=True)
    warn = changes.get("warn_after_seconds", station.warn_after_seconds)
    late = changes.get("late_after_seconds", station.late_after_seconds)
    if warn >= late:
        field = "late_after_seconds" if "late_after_seconds" in changes else "warn_after_seconds"
        raise InvalidInput(_("A ticket turns yellow before it turns red."), field=field)
    changed = {name: [getattr(station, name), value] for name, value in changes.items()
               if getattr(station, name) != value}
    for name, (_before, value) in changed.items():
        setattr(station, name, value)
    if changed:
        record_audit(session, "settings.changed", actor=actor, subject=f"station:{station.code}",
                     changes=changed)
        announce_station_timing(session, station)
    return station
