"""The whole menu as a file, out and back in: JSON (for another Masa, or a script) and CSV
(for a spreadsheet). Both say the same thing: categories, choice groups with their
choices, and items, which name their category and groups by the file's own ``ref``
numbers, and the venue's tax rates, courses and stations by name and code.

An import is all or nothing: every wrong line is named with its reason, and if there is
one, nothing is written. Items are matched by number (a known number is updated),
categories and choice groups by their names; what the file does not mention stays.
Exporting, importing into an empty venue and exporting again gives the same file.

Items' photos are not in the file: it stays text a spreadsheet opens, and a photo is
the venue's own (``pos.core.images``). An imported item keeps the photo it had; a new
one has none until it is given one in the menu editor."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Annotated, Any

from flask import Response
from flask_babel import gettext as _
from flask_babel import ngettext
from pydantic import Field, StringConstraints, ValidationError
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from pos.core.api import Amount, Schema
from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.errors import InvalidInput
from pos.menu.models import (
    Category,
    Course,
    ItemModifierGroup,
    MenuItem,
    MenuSchedule,
    ModifierGroup,
    ScheduleCategory,
    ScheduleItem,
    SchedulePrice,
)
from pos.menu.operations import announce_menu_change, replace_choices
from pos.menu.schedules import DAYS, clock_text, minute_of
from pos.menu.schemas import (
    Allergens,
    Choices,
    ClockTime,
    Color,
    Descriptions,
    Names,
    PriceDelta,
)
from pos.menu.stations import route_to_stations, routes_of, station_codes
from pos.venue.models import TaxRate, Venue
from pos.venue.reference import BUMPED_KEY, forget_cached

FILE_VERSION = 1
MAX_PROBLEMS = 100  # a file wrong on every line is named by its first hundred
Code = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Ref = Annotated[int, Field(ge=1, le=10**6)]


class FileCategory(Schema):
    ref: Ref
    names: Names
    color: Color = "#6b7280"
    tax_rate: Code = Field(description="A tax rate's name")
    default_course: Code | None = Field(None, description="A course's code")
    stations: list[Code] = Field(default_factory=list, max_length=20)
    active: bool = True


class FileModifier(Schema):
    names: Names
    price_delta: PriceDelta = 0
    allergens: Allergens = Field(default_factory=list)
    active: bool = True


class FileGroup(Schema):
    ref: Ref
    names: Names
    min_choices: Choices = 0
    max_choices: Choices = 1
    modifiers: list[FileModifier] = Field(default_factory=list, max_length=60)


class FileItem(Schema):
    number: int = Field(ge=1, le=999_999)
    category: Ref
    names: Names
    descriptions: Descriptions = Field(default_factory=dict)
    price: Amount
    tax_rate: Code | None = None
    course: Code | None = None
    allergens: Allergens = Field(default_factory=list)
    stations: list[Code] = Field(default_factory=list, max_length=20)
    modifier_groups: list[Ref] = Field(default_factory=list, max_length=20)
    active: bool = True


Number = Annotated[int, Field(ge=1, le=999_999)]


class FilePrice(Schema):
    number: Number
    price: Amount


class FileSchedule(Schema):
    """A menu schedule: its items by number, its categories by the file's refs."""

    names: Names
    days: list[str] = Field(min_length=1, max_length=7)
    starts: ClockTime
    ends: ClockTime
    active: bool = True
    categories: list[Ref] = Field(default_factory=list, max_length=1000)
    items: list[Number] = Field(default_factory=list, max_length=5000)
    prices: list[FilePrice] = Field(default_factory=list, max_length=5000)


class MenuFileRefused(InvalidInput):
    """Nothing was imported: the file's wrong lines, each with its reason."""

    code = "menu_file_refused"

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        first = problems[0]
        where = (_("line %(number)s", number=first["line"]) if first.get("line")
                 else first.get("where", ""))
        super().__init__(ngettext(
            "Nothing was imported: %(num)d line of the file is wrong (%(where)s: %(reason)s).",
            "Nothing was imported: %(num)d lines of the file are wrong (first, %(where)s: "
            "%(reason)s).", len(problems), where=where, reason=first["message"]),
            field="content")
        self.problems = problems[:MAX_PROBLEMS]

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["problems"] = self.problems
        return body


# --- export --------------------------------------------------------------------------------

def export_menu(session: Session) -> dict[str, Any]:
    """The menu as plain data, in the order the tablets show it; 86 and counts (live, of
    today's service) are not part of it."""
    rates = dict(session.execute(select(TaxRate.id, TaxRate.name)).all())
    courses = dict(session.execute(select(Course.id, Course.code)).all())
    category_routes, item_routes = routes_of(session, "category"), routes_of(session, "item")
    categories = session.scalars(select(Category).order_by(Category.position, Category.id)).all()
    category_ref = {category.id: ref for ref, category in enumerate(categories, 1)}
    groups = session.scalars(select(ModifierGroup).options(selectinload(ModifierGroup.modifiers))
                             .order_by(ModifierGroup.id)).all()
    group_ref = {group.id: ref for ref, group in enumerate(groups, 1)}
    groups_of: dict[int, list[int]] = defaultdict(list)
    for item_id, group_id in session.execute(
            select(ItemModifierGroup.item_id, ItemModifierGroup.group_id)
            .order_by(ItemModifierGroup.position, ItemModifierGroup.group_id)):
        groups_of[item_id].append(group_ref[group_id])
    items = sorted(session.scalars(select(MenuItem)),
                   key=lambda item: (category_ref[item.category_id], item.position, item.id))
    numbers = {item.id: item.number for item in items}
    return {
        "masa_menu": FILE_VERSION,
        "categories": [{
            "ref": category_ref[c.id], "names": c.names, "color": c.color,
            "tax_rate": rates[c.tax_rate_id], "default_course": courses.get(c.default_course_id),
            "stations": category_routes.get(c.id, []), "active": c.active}
            for c in categories],
        "modifier_groups": [{
            "ref": group_ref[g.id], "names": g.names, "min_choices": g.min_choices,
            "max_choices": g.max_choices,
            "modifiers": [{"names": m.names, "price_delta": m.price_delta,
                           "allergens": sorted(m.allergens), "active": m.active}
                          for m in g.modifiers]}
            for g in groups],
        "items": [{
            "number": i.number, "category": category_ref[i.category_id], "names": i.names,
            "descriptions": i.descriptions, "price": i.price,
            "tax_rate": rates.get(i.tax_rate_id), "course": courses.get(i.course_id),
            "allergens": sorted(i.allergens), "stations": item_routes.get(i.id, []),
            "modifier_groups": groups_of.get(i.id, []), "active": i.active}
            for i in items],
        "schedules": export_schedules(session, category_ref, numbers),
    }


def export_schedules(session: Session, category_ref: dict[int, int], numbers: dict[int, int]
                     ) -> list[dict[str, Any]]:
    links: dict[str, dict[int, list]] = {"categories": defaultdict(list),
                                         "items": defaultdict(list),
                                         "prices": defaultdict(list)}
    for schedule_id, category_id in session.execute(select(ScheduleCategory.schedule_id,
                                                           ScheduleCategory.category_id)):
        links["categories"][schedule_id].append(category_ref[category_id])
    for schedule_id, item_id in session.execute(select(ScheduleItem.schedule_id,
                                                       ScheduleItem.item_id)):
        links["items"][schedule_id].append(numbers[item_id])
    for schedule_id, item_id, price in session.execute(select(
            SchedulePrice.schedule_id, SchedulePrice.item_id, SchedulePrice.price)):
        links["prices"][schedule_id].append({"number": numbers[item_id], "price": price})
    return [{"names": s.names, "days": [day for day in DAYS if day in s.days],
             "starts": clock_text(s.starts_minute), "ends": clock_text(s.ends_minute),
             "active": s.active, "categories": sorted(links["categories"][s.id]),
             "items": sorted(links["items"][s.id]),
             "prices": sorted(links["prices"][s.id], key=lambda p: p["number"])}
            for s in session.scalars(select(MenuSchedule).order_by(MenuSchedule.starts_minute,
                                                                   MenuSchedule.id))]


def to_json(menu: dict[str, Any]) -> str:
    """One category, group or item a line: a diff between two exports reads line by line."""
    def entries(key: str) -> str:
        lines = [json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in menu[key]]
        return "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"

    return (f'{{"masa_menu": {menu["masa_menu"]},\n'
            f'"categories": {entries("categories")},\n'
            f'"modifier_groups": {entries("modifier_groups")},\n'
            f'"items": {entries("items")},\n'
            f'"schedules": {entries("schedules")}}}\n')


LIST_COLUMNS = ("stations", "allergens", "modifier_groups", "days", "categories", "items")
CSV_COLUMN = {"price_delta": "price", "default_course": "course"}  # one column, two kinds


def csv_columns(languages: list[str]) -> list[str]:
    return ["kind", "ref", "category", "number", *(f"name_{lang}" for lang in languages),
            *(f"description_{lang}" for lang in languages), "price", "tax_rate", "course",
            "stations", "allergens", "modifier_groups", "min_choices", "max_choices", "color",
            "active", "days", "starts", "ends", "categories", "items", "prices"]


def to_csv(menu: dict[str, Any]) -> str:
    """A row per category, choice group, choice (``ref``: its group's) and item."""
    languages = sorted({lang for key in ("categories", "modifier_groups", "items")
                        for entry in menu[key] for lang in entry["names"]}
                       | {lang for g in menu["modifier_groups"] for m in g["modifiers"]
                          for lang in m["names"]} | {"ro", "en"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_columns(languages), lineterminator="\n")
    writer.writeheader()

    def row(kind: str, entry: dict[str, Any], **more: Any) -> dict[str, Any]:
        cells: dict[str, Any] = {"kind": kind, **more}
        for lang, name in entry["names"].items():
            cells[f"name_{lang}"] = name
        for lang, text in entry.get("descriptions", {}).items():
            cells[f"description_{lang}"] = text
        for key, value in entry.items():
            if key in ("names", "descriptions", "modifiers"):
                continue
            if key in LIST_COLUMNS:
                value = ";".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            cells[CSV_COLUMN.get(key, key)] = "" if value is None else value
        return cells

    for category in menu["categories"]:
        writer.writerow(row("category", category))
    for group in menu["modifier_groups"]:
        writer.writerow(row("group", group))
        for modifier in group["modifiers"]:
            writer.writerow(row("modifier", modifier, ref=group["ref"]))
    for item in menu["items"]:
        writer.writerow(row("item", item))
    for schedule in menu.get("schedules", []):  # prices: "806:1200;807:1900"
        writer.writerow(row("schedule", {**schedule, "prices": ";".join(
            f"{p['number']}:{p['price']}" for p in schedule["prices"])}))
    return out.getvalue()


def download(text: str, kind: str) -> Response:
    mimetype = "application/json" if kind == "json" else "text/csv"
    return Response(text, mimetype=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="menu.{kind}"'})


# --- reading a file --------------------------------------------------------------------------

def problem(message: str, *, line: int | None = None, where: str | None = None,
            field: str | None = None) -> dict[str, Any]:
    return {"line": line, "where": where, "field": field, "message": message}


def validation_problems(error: ValidationError, **at: Any) -> list[dict[str, Any]]:
    found = []
    for detail in error.errors():
        field = ".".join(str(part) for part in detail["loc"]) or None
        message = ("unknown column or field" if detail["type"] == "extra_forbidden"
                   else "missing" if detail["type"] == "missing" else detail["msg"])
        found.append(problem(f"{field}: {message}" if field else message, field=field, **at))
    return found


PARTS = {"categories": FileCategory, "modifier_groups": FileGroup, "items": FileItem,
         "schedules": FileSchedule}


def read_json(content: str) -> tuple[dict[str, list], list[dict[str, Any]]]:
    """Each entry with where it is (``items[3]``), and the problems found."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        return {}, [problem(_("This is not JSON: %(reason)s.", reason=error.msg),
                            line=error.lineno)]
    except RecursionError:
        return {}, [problem(_("This is not a Masa menu file (it nests too deep)."), line=1)]
    if not isinstance(data, dict) or data.get("masa_menu") != FILE_VERSION:
        return {}, [problem(_("This is not a Masa menu file (it has no \"masa_menu\": 1)."),
                            line=1)]
    problems: list[dict[str, Any]] = []
    unknown = sorted(set(data) - {"masa_menu", *PARTS})
    if unknown:
        problems.append(problem(_("Unknown part %(name)s.", name=unknown[0]), line=1))
    menu: dict[str, list] = {}
    for key, model in PARTS.items():
        entries = data.get(key, [])
        if not isinstance(entries, list):
            problems.append(problem(_("%(name)s must be a list.", name=key), where=key))
            continue
        menu[key] = []
        for index, entry in enumerate(entries):
            at = {"where": f"{key}[{index}]"}
            try:
                menu[key].append((at, model.model_validate(entry)))
            except ValidationError as error:
                problems += validation_problems(error, **at)
    return menu, problems


def read_csv(content: str) -> tuple[dict[str, list], list[dict[str, Any]]]:
    """Each row with its line number, and the problems found."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")), restkey="_extra")
    try:
        return read_rows(reader)
    except csv.Error as error:
        return {}, [problem(_("This is not CSV: %(reason)s.", reason=str(error)),
                            line=reader.line_num or 1)]


def read_rows(reader: csv.DictReader) -> tuple[dict[str, list], list[dict[str, Any]]]:
    header = reader.fieldnames or []
    if "kind" not in header:
        return {}, [problem(_("The first line names the columns, \"kind\" among them."),
                            line=1)]
    known = set(csv_columns([])) | {c for c in header if c.startswith(("name_", "description_"))}
    problems = [problem(_("Unknown column %(name)s.", name=name), line=1, field=name)
                for name in header if name not in known]
    menu: dict[str, list] = {key: [] for key in PARTS}
    groups: dict[str, FileGroup] = {}
    line = 1
    for row in reader:
        at = {"line": line + 1}
        line = reader.line_num
        if row.get("_extra"):
            problems.append(problem(_("This line has more cells than the first names."), **at))
            continue
        kind = (row.get("kind") or "").strip()
        if kind not in ("category", "group", "modifier", "item", "schedule"):
            problems.append(problem(_("Unknown kind %(kind)s: a line is a category, a group, a "
                                      "modifier, an item or a schedule.", kind=repr(kind)),
                                    field="kind", **at))
            continue
        fields = csv_fields(kind, row)
        model = {"category": FileCategory, "group": FileGroup, "modifier": FileModifier,
                 "item": FileItem, "schedule": FileSchedule}[kind]
        try:
            entry = model.model_validate(fields, strict=False)
        except ValidationError as error:
            problems += validation_problems(error, **at)
            continue
        if kind == "modifier":
            group = groups.get((row.get("ref") or "").strip())
            if group is None:
                problems.append(problem(_("A modifier follows its group: there is no group %(ref)s "
                                          "above.", ref=repr(row.get("ref"))), field="ref", **at))
            else:
                group.modifiers.append(entry)
            continue
        if kind == "group":
            groups[str(entry.ref)] = entry
        menu[{"category": "categories", "group": "modifier_groups", "item": "items",
              "schedule": "schedules"}[kind]].append((at, entry))
    return menu, problems


# Which cells each kind of line uses (a modifier's ``ref`` is its group's, read apart).
CSV_FIELDS = {
    "category": ("ref", "color", "tax_rate", "default_course", "stations", "active"),
    "group": ("ref", "min_choices", "max_choices"),
    "modifier": ("price_delta", "allergens", "active"),
    "item": ("number", "category", "price", "tax_rate", "course", "allergens", "stations",
             "modifier_groups", "active"),
    "schedule": ("days", "starts", "ends", "active", "categories", "items", "prices"),
}


def csv_fields(kind: str, row: dict[str, str]) -> dict[str, Any]:
    cells = {key: (value or "").strip() for key, value in row.items() if key != "_extra"}
    fields: dict[str, Any] = {
        "names": {key[5:]: value for key, value in cells.items()
                  if key.startswith("name_") and value}}
    if kind == "item":
        fields["descriptions"] = {key[12:]: value for key, value in cells.items()
                                  if key.startswith("description_") and value}
    for name in CSV_FIELDS[kind]:
        value = cells.get(CSV_COLUMN.get(name, name), "")
        if name in LIST_COLUMNS:
            fields[name] = [part.strip() for part in value.split(";") if part.strip()]
        elif name == "prices" and kind == "schedule":
            fields[name] = [dict(zip(("number", "price"), part.strip().split(":", 1),
                                     strict=False))
                            for part in value.split(";") if part.strip()]
        elif value != "":
            fields[name] = value
        elif name in ("tax_rate", "course", "default_course"):
            fields[name] = None
    return fields


# --- checking it against the venue ------------------------------------------------------------

def check_references(session: Session, menu: dict[str, list]) -> list[dict[str, Any]]:
    """What each line names must exist: in the file (refs) or in the venue (rates,
    courses, stations); numbers and refs are unique; a group's min is not above its max."""
    rates = set(session.scalars(select(TaxRate.name).where(TaxRate.active.is_(True))))
    courses = set(session.scalars(select(Course.code)))
    stations = set(station_codes(session))
    problems: list[dict[str, Any]] = []

    def unknown(at: dict, field: str, value: Any, known: set) -> None:
        if value is not None and value not in known:
            problems.append(problem(_("There is no %(field)s %(value)s.", field=field,
                                      value=repr(value)), field=field, **at))

    category_refs: set[int] = set()
    for at, category in menu.get("categories", []):
        if category.ref in category_refs:
            problems.append(problem(_("Category ref %(ref)s is used twice.", ref=category.ref),
                                    field="ref", **at))
        category_refs.add(category.ref)
        unknown(at, "tax_rate", category.tax_rate, rates)
        unknown(at, "default_course", category.default_course, courses)
        for code in category.stations:
            unknown(at, "stations", code, stations)
    group_refs: set[int] = set()
    for at, group in menu.get("modifier_groups", []):
        if group.ref in group_refs:
            problems.append(problem(_("Group ref %(ref)s is used twice.", ref=group.ref),
                                    field="ref", **at))
        group_refs.add(group.ref)
        if group.max_choices < 1 or group.min_choices > group.max_choices:
            problems.append(problem(_("min_choices (%(min)s) cannot be above max_choices "
                                      "(%(max)s), which is at least 1.", min=group.min_choices,
                                      max=group.max_choices), field="min_choices", **at))
    numbers: set[int] = set()
    for at, item in menu.get("items", []):
        if item.number in numbers:
            problems.append(problem(_("Item number %(number)s is used twice.",
                                      number=item.number), field="number", **at))
        numbers.add(item.number)
        unknown(at, "category", item.category, category_refs)
        unknown(at, "tax_rate", item.tax_rate, rates)
        unknown(at, "course", item.course, courses)
        for code in item.stations:
            unknown(at, "stations", code, stations)
        for ref in item.modifier_groups:
            unknown(at, "modifier_groups", ref, group_refs)
    known_numbers = numbers | set(session.scalars(select(MenuItem.number)))
    schedule_names: set[str] = set()
    for at, schedule in menu.get("schedules", []):
        if names_key(schedule.names) in schedule_names:
            problems.append(problem(_("Schedule %(name)s is there twice.",
                                      name=next(iter(schedule.names.values()))),
                                    field="names", **at))
        schedule_names.add(names_key(schedule.names))
        for day in schedule.days:
            unknown(at, "days", day, set(DAYS))
        if schedule.starts == schedule.ends:
            problems.append(problem(_("A schedule ends at another time than it starts."),
                                    field="ends", **at))
        for ref in schedule.categories:
            unknown(at, "categories", ref, category_refs)
        for number in [*schedule.items, *(p.number for p in schedule.prices)]:
            unknown(at, "items", number, known_numbers)
        if len({p.number for p in schedule.prices}) != len(schedule.prices):
            problems.append(problem(_("An item is priced twice."), field="prices", **at))
    return problems


# --- writing it -----------------------------------------------------------------------------------

def names_key(names: dict[str, str]) -> str:
    return json.dumps(names, sort_keys=True, ensure_ascii=False)


def import_menu(session: Session, actor: Actor | None, kind: str, content: str
                ) -> dict[str, int]:
    menu, problems = read_json(content) if kind == "json" else read_csv(content)
    if menu:
        problems += check_references(session, menu)
    if problems:
        problems.sort(key=lambda p: (p["line"] or 0))
        raise MenuFileRefused(problems)
    counts = write_menu(session, {key: [entry for _at, entry in entries]
                                  for key, entries in menu.items()})
    record_audit(session, "menu.imported", actor=actor, subject="menu", format=kind, **counts)
    announce_menu_change(session, reload=True)
    return counts


def write_menu(session: Session, menu: dict[str, list]) -> dict[str, int]:
    rates = dict(session.execute(select(TaxRate.name, TaxRate.id)
                                 .where(TaxRate.active.is_(True))).all())
    courses = dict(session.execute(select(Course.code, Course.id)).all())
    categories = write_categories(session, menu["categories"], rates, courses)
    groups = write_groups(session, menu["modifier_groups"])
    write_items(session, menu["items"], categories, groups, rates, courses)
    write_schedules(session, menu.get("schedules", []), categories)
    return {"categories": len(menu["categories"]), "modifier_groups": len(groups),
            "items": len(menu["items"]), "schedules": len(menu.get("schedules", []))}


def write_schedules(session: Session, entries: list[FileSchedule],
                    categories: dict[int, int]) -> None:
    """Matched by their names; a schedule's links are the file's."""
    if not entries:
        return
    existing = {names_key(s.names): s for s in session.scalars(select(MenuSchedule))}
    item_ids = dict(session.execute(select(MenuItem.number, MenuItem.id)).all())
    for entry in entries:
        schedule = existing.get(names_key(entry.names))
        if schedule is None:
            schedule = MenuSchedule(names=entry.names)
            session.add(schedule)
        schedule.days = [day for day in DAYS if day in entry.days]
        schedule.starts_minute, schedule.ends_minute = minute_of(entry.starts), minute_of(
            entry.ends)
        schedule.active = entry.active
        session.flush()
        for model in (ScheduleCategory, ScheduleItem, SchedulePrice):
            for link in session.scalars(select(model).where(model.schedule_id == schedule.id)):
                session.delete(link)
        session.flush()
        session.add_all([ScheduleCategory(schedule_id=schedule.id, category_id=categories[ref])
                         for ref in sorted(set(entry.categories))])
        session.add_all([ScheduleItem(schedule_id=schedule.id, item_id=item_ids[number])
                         for number in sorted(set(entry.items))])
        session.add_all([SchedulePrice(schedule_id=schedule.id, item_id=item_ids[p.number],
                                       price=p.price) for p in entry.prices])
    session.flush()


def write_categories(session: Session, entries: list[FileCategory], rates: dict[str, int],
                     courses: dict[str, int]) -> dict[int, int]:
    """File ref → category id; the file's categories come first, in its order."""
    existing: dict[str, list[Category]] = defaultdict(list)
    others = session.scalars(select(Category).order_by(Category.position, Category.id)).all()
    for category in others:
        existing[names_key(category.names)].append(category)
    routes = routes_of(session, "category")
    by_ref, written = {}, set()
    for position, entry in enumerate(entries, 1):
        matches = existing[names_key(entry.names)]
        category = matches.pop(0) if matches else Category()
        if category.id is None:
            session.add(category)
        category.names, category.color = entry.names, entry.color.lower()
        category.tax_rate_id, category.active = rates[entry.tax_rate], entry.active
        category.default_course_id = courses.get(entry.default_course)
        category.position = position
        session.flush()
        if routes.get(category.id, []) != entry.stations:
            route_to_stations(session, "category", category.id, entry.stations)
        by_ref[entry.ref] = category.id
        written.add(category.id)
    for position, category in enumerate((c for c in others if c.id not in written),
                                        len(entries) + 1):
        category.position = position
    return by_ref


def write_groups(session: Session, entries: list[FileGroup]) -> dict[int, int]:
    existing: dict[str, list[ModifierGroup]] = defaultdict(list)
    for group in session.scalars(select(ModifierGroup).options(
            selectinload(ModifierGroup.modifiers)).order_by(ModifierGroup.id)):
        existing[names_key(group.names)].append(group)
    by_ref = {}
    for entry in entries:
        matches = existing[names_key(entry.names)]
        group = matches.pop(0) if matches else None
        if group is None:
            group = ModifierGroup(names=entry.names)
            session.add(group)
            session.flush()
        group.min_choices, group.max_choices = entry.min_choices, entry.max_choices
        own = {m.id: m for m in group.modifiers}
        by_names = {names_key(m.names): m.id for m in reversed(group.modifiers)}
        wanted = [{**choice.model_dump(), "id": by_names.pop(names_key(choice.names), None)}
                  for choice in entry.modifiers]
        replace_choices(session, group, own, wanted)
        by_ref[entry.ref] = group.id
    session.flush()
    return by_ref


def write_items(session: Session, entries: list[FileItem], categories: dict[int, int],
                groups: dict[int, int], rates: dict[str, int], courses: dict[str, int]) -> None:
    """Known numbers are updated through the unit of work; new items (all of them, into an
    empty venue) are inserted as rows in one statement, which keeps the write short."""
    existing = {item.number: item for item in session.scalars(select(MenuItem))}
    links: dict[int, list[int]] = defaultdict(list)
    for item_id, group_id in session.execute(
            select(ItemModifierGroup.item_id, ItemModifierGroup.group_id)
            .order_by(ItemModifierGroup.position, ItemModifierGroup.group_id)):
        links[item_id].append(group_id)
    routes = routes_of(session, "item")
    positions: dict[int, int] = defaultdict(int)
    written, new_rows, new_entries = [], [], []
    for entry in entries:
        category_id = categories[entry.category]
        positions[category_id] += 1
        fields = {"category_id": category_id, "position": positions[category_id],
                  "names": entry.names, "descriptions": entry.descriptions,
                  "price": entry.price, "tax_rate_id": rates.get(entry.tax_rate),
                  "course_id": courses.get(entry.course), "allergens": entry.allergens,
                  "active": entry.active}
        item = existing.get(entry.number)
        if item is None:
            new_rows.append({"number": entry.number, "available": True, "count_left": None,
                             **fields})
            new_entries.append(entry)
            continue
        for name, value in fields.items():
            setattr(item, name, value)
        written.append((item.id, entry))
    if new_rows:
        ids = session.scalars(NEW_ITEMS, new_rows).all()
        written += list(zip(ids, new_entries, strict=True))
        menu_changed(session)
    session.flush()
    new_links = []
    for item_id, entry in written:
        wanted = [groups[ref] for ref in entry.modifier_groups]
        if links.get(item_id, []) != wanted:
            if item_id in links:
                for link in session.scalars(select(ItemModifierGroup)
                                            .where(ItemModifierGroup.item_id == item_id)):
                    session.delete(link)
            new_links += [{"item_id": item_id, "group_id": group_id, "position": position}
                          for position, group_id in enumerate(wanted, 1)]
        if routes.get(item_id, []) != entry.stations:
            route_to_stations(session, "item", item_id, entry.stations)
    session.flush()
    if new_links:
        session.execute(insert(ItemModifierGroup.__table__), new_links)
        menu_changed(session)


NEW_ITEMS = insert(MenuItem.__table__).returning(MenuItem.__table__.c.id,
                                                 sort_by_parameter_order=True)


def menu_changed(session: Session) -> None:
    """Rows written past the unit of work: the cached menus (the tablets', ordering's, the
    kitchen's routes) are rebuilt, as any other change to the menu makes them."""
    if not session.info.get(BUMPED_KEY):
        session.execute(update(Venue).values(config_version=Venue.config_version + 1))
        session.info[BUMPED_KEY] = True
    forget_cached(session)
