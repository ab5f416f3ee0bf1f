"""The printed kitchen ticket: a print job's document laid out as ESC/POS bytes, and
the kitchen's job kinds ("ticket", "void", "reprint") in the devices' layout registry.

Letters go through ``pos.devices.paper``: Romanian in CP852 (ș ț as ş ţ), a letter CP852
lacks as its base letter, a line with a letter that has none as a picture; a printer
set to ``"image"`` gets every line that is not plain ASCII as a picture.

Two headings protect the kitchen from making a dish twice or at the wrong station: a
ticket taken up again after its worker died (it may have printed already) starts with
POSSIBLE COPY and when it was printed again; a ticket on a backup printer starts with
the station it belongs to, in large type.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pos.devices.layouts import PrintContext, register_layout
from pos.devices.paper import PaperWriter, for_cp852  # noqa: F401  (for_cp852: the tests)

KINDS = ("ticket", "void", "reprint")

LABELS: dict[str, dict[str, str]] = {
    "ro": {
        "table": "MASA {}", "time": "Ora {}", "ticket": "Bon #{}", "server": "Ospătar: {}",
        "guests": "Persoane: {}", "check": "Nota: {}", "seat": "Loc {}", "note": "Notă: {}",
        "allergens": "ALERGENI: {}", "rush": "URGENT", "void": "STORNO",
        "reprint": "REIMPRIMARE", "voided": "STORNAT", "from": "Preluat de la imprimanta {}",
        "copy": "POSIBILĂ COPIE", "copy_at": "Retipărit la {}",
    },
    "en": {
        "table": "TABLE {}", "time": "Time {}", "ticket": "Ticket #{}", "server": "Server: {}",
        "guests": "Guests: {}", "check": "Check: {}", "seat": "Seat {}", "note": "Note: {}",
        "allergens": "ALLERGENS: {}", "rush": "RUSH", "void": "VOID",
        "reprint": "REPRINT", "voided": "VOID", "from": "From {} printer",
        "copy": "POSSIBLE COPY", "copy_at": "Printed again at {}",
    },
}

ALLERGEN_NAMES: dict[str, dict[str, str]] = {
    "ro": {"gluten": "gluten", "crustaceans": "crustacee", "eggs": "ouă", "fish": "pește",
           "peanuts": "arahide", "soy": "soia", "milk": "lapte", "nuts": "fructe cu coajă",
           "celery": "țelină", "mustard": "muștar", "sesame": "susan",
           "sulphites": "sulfiți", "lupin": "lupin", "molluscs": "moluște"},
    "en": {"gluten": "gluten", "crustaceans": "crustaceans", "eggs": "eggs", "fish": "fish",
           "peanuts": "peanuts", "soy": "soy", "milk": "milk", "nuts": "nuts",
           "celery": "celery", "mustard": "mustard", "sesame": "sesame",
           "sulphites": "sulphites", "lupin": "lupin", "molluscs": "molluscs"},
}


def render_ticket(document: Mapping[str, Any], *, kind: str | None = None,
                  profile: str = "default", diacritics: str = "cp852", width: int = 42,
                  language: str = "ro", timezone: str = "Europe/Bucharest",
                  possible_copy_at: datetime | None = None) -> bytes:
    """A print job's document (``kitchen.events.ticket_payload()`` plus ``kind``) as the
    bytes of one ticket, ending with a cut. ``kind``: ticket, void or reprint (defaults
    to the document's own). ``width``: characters a line in the normal font.
    ``possible_copy_at``: when a job whose worker died is printed again."""
    writer = PaperWriter(profile, width, diacritics)
    _lay_out(writer, document, kind or document.get("kind") or "ticket",
             LABELS.get(language, LABELS["ro"]), language, timezone, possible_copy_at)
    return writer.finish()


def print_ticket(document: Mapping[str, Any], context: PrintContext) -> bytes:
    """The layout the print worker calls for the kitchen's kinds."""
    printer = context.printer
    return render_ticket(document, kind=context.kind, profile=printer.profile,
                         diacritics=printer.diacritics, width=printer.width,
                         language=context.language, timezone=context.timezone,
                         possible_copy_at=context.possible_copy_at)


for _kind in KINDS:
    register_layout(_kind, print_ticket)


def _lay_out(out: PaperWriter, doc: Mapping[str, Any], kind: str, label: dict[str, str],
             language: str, timezone: str, possible_copy_at: datetime | None = None) -> None:
    rerouted = doc.get("rerouted_from")
    if rerouted:  # on another station's printer: whose ticket this is comes first
        names = doc.get("station_names") or {}
        station = _name(names, language) if names else str(doc.get("station") or "")
        if station:
            out.line(station.upper(), size="double", align="center", bold=True)
    if possible_copy_at is not None:
        out.line(f" {label['copy']} ", size="double", align="center", invert=True)
        out.line(label["copy_at"].format(_local_time(possible_copy_at, timezone)),
                 align="center", bold=True)
    table, check_name = doc.get("table"), doc.get("check_name")
    out.line(label["table"].format(table) if table else (check_name or "-"),
             size="double", align="center")
    course = doc.get("course")
    if course:
        out.line(_name(course.get("names"), language).upper(), size="double", align="center")
    if kind == "void":
        out.line(f" {label['void']} ", size="double", align="center", invert=True)
    elif kind == "reprint":
        out.line(f" {label['reprint']} ", size="double", align="center", invert=True)
    if doc.get("rush"):
        out.line(f" *** {label['rush']} *** ", size="double", align="center", invert=True)
    out.blank()
    when = _local_time(doc.get("fired_at") or doc.get("created_at"), timezone)
    head = [label["time"].format(when)] if when else []
    if doc.get("id") is not None:
        head.append(label["ticket"].format(doc["id"]))
    if head:
        out.line("   ".join(head))
    if doc.get("server"):
        out.line(label["server"].format(doc["server"]))
    if doc.get("guests"):
        out.line(label["guests"].format(doc["guests"]))
    if table and check_name:
        out.line(label["check"].format(check_name))
    if rerouted:
        out.line(label["from"].format(rerouted.get("printer", "?")), bold=True, invert=True)
    out.rule()

    lines = list(doc.get("lines") or ())
    if kind == "void":  # the lines this void took off (if the document says), else all void
        voided_now = set(doc.get("voided_line_ids") or ())
        lines = ([line for line in lines if line.get("line_id") in voided_now] if voided_now
                 else [line for line in lines if line.get("status") == "void"]) or lines
    for line in lines:
        voided = line.get("status") == "void"
        name = f"{line.get('quantity', 1)}× {_name(line.get('names'), language)}"
        if voided and kind != "void":
            name = f"[{label['voided']}] {name}"
        out.line(name, size="tall", bold=True)
        for modifier in line.get("modifiers") or ():
            out.line(f"+ {_name(modifier, language)}", indent=3)
        if line.get("seat"):
            out.line(label["seat"].format(line["seat"]), indent=3, bold=True)
        if line.get("note"):
            out.line(label["note"].format(line["note"]), indent=3, bold=True, invert=True)
        if line.get("allergens"):
            names = ALLERGEN_NAMES.get(language, ALLERGEN_NAMES["ro"])
            allergens = ", ".join(names.get(code, code) for code in line["allergens"])
            out.line(label["allergens"].format(allergens), indent=3, bold=True, invert=True)
    out.rule()
    if kind == "void":
        out.line(f" {label['void']} ", size="double", align="center", invert=True)


def _name(names: Any, language: str) -> str:
    if isinstance(names, Mapping):
        return names.get(language) or names.get("ro") or next(iter(names.values()), "")
    return str(names or "")


def _local_time(value: str | datetime | None, timezone: str) -> str:
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%H:%M")
