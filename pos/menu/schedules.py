"""Menus by time of day and day of week: service periods (breakfast, lunch, happy hour).

A schedule runs on its days from its start to its end, in the venue's time zone; an end
before the start runs past midnight (Friday 22:00–02:00 is still Friday's at 01:30 on
Saturday). While it runs, the items and categories limited to it are offered (an item in
no schedule always is) and its price overrides are charged. An inactive schedule changes
nothing: its items are offered at their own prices. When two running schedules price one
item, the lower price counts (the guest is never charged more for an overlap).

The server is the authority: a line is priced, and refused when not offered, at the
moment the server first takes it (``pos.ordering.lines``); the tablet shows the same
figures from the same rules (``static/js/tablet/menu.js``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.audit import record_audit
from pos.core.auth import Actor
from pos.core.errors import Conflict, InvalidInput, NotFound
from pos.core.events import record_event
from pos.menu.models import (
    Category,
    MenuItem,
    MenuSchedule,
    ScheduleCategory,
    ScheduleItem,
    SchedulePrice,
)
from pos.venue.reference import register_reference_models

register_reference_models(MenuSchedule, ScheduleCategory, ScheduleItem, SchedulePrice)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday()'s order


def minute_of(text: str) -> int:
    """ "17:30" → 1050."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def clock_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


# --- when a schedule runs, and what it makes of an item ---------------------------------------

@dataclass(frozen=True)
class ScheduleShape:
    id: int
    days: frozenset[int]  # 0 Monday … 6 Sunday: the days it starts on
    starts: int  # minutes after local midnight
    ends: int

    def runs_at(self, local: datetime) -> bool:
        day, minute = local.weekday(), local.hour * 60 + local.minute
        if self.starts < self.ends:
            return day in self.days and self.starts <= minute < self.ends
        # Past midnight: tonight's from the start, last night's until the end.
        return ((day in self.days and minute >= self.starts)
                or ((day - 1) % 7 in self.days and minute < self.ends))


@dataclass(frozen=True)
class MenuTimes:
    """The active schedules as taking an order reads them (cached with the menu's shape)."""

    timezone: str = "UTC"
    schedules: tuple[ScheduleShape, ...] = ()
    item_limits: dict[int, frozenset[int]] = field(default_factory=dict)
    category_limits: dict[int, frozenset[int]] = field(default_factory=dict)
    prices: dict[int, dict[int, int]] = field(default_factory=dict)  # item → schedule → price

    def running(self, at: datetime) -> frozenset[int]:
        """The schedules running at ``at`` (an aware time, or UTC)."""
        if not self.schedules:
            return frozenset()
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        local = at.astimezone(venue_zone(self.timezone))
        return frozenset(s.id for s in self.schedules if s.runs_at(local))

    def offer(self, item_id: int, category_id: int, running: frozenset[int]
              ) -> tuple[bool, int | None]:
        """Is the item offered while ``running`` run, and at which override (None: its own
        price)?"""
        limits = self.item_limits.get(item_id, frozenset()) | self.category_limits.get(
            category_id, frozenset())
        if limits and not limits & running:
            return False, None
        own = self.prices.get(item_id)
        if not own or not running:
            return True, None
        prices = [price for schedule_id, price in own.items() if schedule_id in running]
        return True, (min(prices) if prices else None)

    def limited_to(self, item_id: int, category_id: int) -> frozenset[int]:
        return self.item_limits.get(item_id, frozenset()) | self.category_limits.get(
            category_id, frozenset())


def venue_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def menu_times(session: Session, timezone: str) -> MenuTimes:
    active = {s.id: s for s in session.scalars(select(MenuSchedule)
                                               .where(MenuSchedule.active.is_(True)))}
    if not active:
        return MenuTimes(timezone=timezone)
    item_limits: dict[int, set[int]] = {}
    for schedule_id, item_id in session.execute(select(ScheduleItem.schedule_id,
                                                       ScheduleItem.item_id)):
        if schedule_id in active:
            item_limits.setdefault(item_id, set()).add(schedule_id)
    category_limits: dict[int, set[int]] = {}
    for schedule_id, category_id in session.execute(select(ScheduleCategory.schedule_id,
                                                           ScheduleCategory.category_id)):
        if schedule_id in active:
            category_limits.setdefault(category_id, set()).add(schedule_id)
    prices: dict[int, dict[int, int]] = {}
    for schedule_id, item_id, price in session.execute(select(
            SchedulePrice.schedule_id, SchedulePrice.item_id, SchedulePrice.price)):
        if schedule_id in active:
            prices.setdefault(item_id, {})[schedule_id] = price
    return MenuTimes(
        timezone=timezone,
        schedules=tuple(ScheduleShape(s.id, frozenset(DAYS.index(d) for d in s.days),
                                      s.starts_minute, s.ends_minute)
                        for s in active.values()),
        item_limits={k: frozenset(v) for k, v in item_limits.items()},
        category_limits={k: frozenset(v) for k, v in category_limits.items()},
        prices=prices)


# --- what the editor, the tablets and the audit log see ---------------------------------------

def schedule_record(session: Session, schedule: MenuSchedule) -> dict[str, Any]:
    session.flush()
    return {
        "id": schedule.id, "names": schedule.names,
        "days": [day for day in DAYS if day in schedule.days],
        "starts": clock_text(schedule.starts_minute), "ends": clock_text(schedule.ends_minute),
        "active": schedule.active,
        "category_ids": sorted(session.scalars(select(ScheduleCategory.category_id).where(
            ScheduleCategory.schedule_id == schedule.id))),
        "item_ids": sorted(session.scalars(select(ScheduleItem.item_id).where(
            ScheduleItem.schedule_id == schedule.id))),
        "prices": [{"item_id": item_id, "price": price} for item_id, price in session.execute(
            select(SchedulePrice.item_id, SchedulePrice.price)
            .where(SchedulePrice.schedule_id == schedule.id).order_by(SchedulePrice.item_id))],
    }


def all_schedules(session: Session) -> list[dict[str, Any]]:
    """Every schedule, in the order of its start (the tablets' and the editor's list)."""
    categories: dict[int, list[int]] = {}
    for schedule_id, category_id in session.execute(select(
            ScheduleCategory.schedule_id, ScheduleCategory.category_id)
            .order_by(ScheduleCategory.category_id)):
        categories.setdefault(schedule_id, []).append(category_id)
    items: dict[int, list[int]] = {}
    for schedule_id, item_id in session.execute(select(
            ScheduleItem.schedule_id, ScheduleItem.item_id).order_by(ScheduleItem.item_id)):
        items.setdefault(schedule_id, []).append(item_id)
    prices: dict[int, list[dict[str, int]]] = {}
    for schedule_id, item_id, price in session.execute(select(
            SchedulePrice.schedule_id, SchedulePrice.item_id, SchedulePrice.price)
            .order_by(SchedulePrice.item_id)):
        prices.setdefault(schedule_id, []).append({"item_id": item_id, "price": price})
    return [{"id": s.id, "names": s.names, "days": [day for day in DAYS if day in s.days],
             "starts": clock_text(s.starts_minute), "ends": clock_text(s.ends_minute),
             "active": s.active, "category_ids": categories.get(s.id, []),
             "item_ids": items.get(s.id, []), "prices": prices.get(s.id, [])}
            for s in session.scalars(select(MenuSchedule).order_by(
                MenuSchedule.starts_minute, MenuSchedule.id))]


def items_named(session: Session, schedules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items the schedules name, as the editor shows them (number, names, own price)."""
    ids = {i for s in schedules for i in s["item_ids"]} | {
        p["item_id"] for s in schedules for p in s["prices"]}
    if not ids:
        return []
    return [{"id": item.id, "number": item.number, "names": item.names, "price": item.price}
            for item in session.scalars(select(MenuItem).where(MenuItem.id.in_(ids))
                                        .order_by(MenuItem.number))]


def announce_schedules(session: Session) -> None:
    """Every tablet takes the whole (short) list of schedules again."""
    session.flush()
    record_event(session, "/floor", "floor", "menu", {
        "categories": [], "modifier_groups": [], "items": [],
        "schedules": all_schedules(session)})


# --- checks that refuse bad input before anything is written -----------------------------------

def refuse_bad_days(days: list[str]) -> None:
    unknown = [day for day in days if day not in DAYS]
    if unknown:
        raise InvalidInput(_("There is no day %(day)s (use %(days)s).", day=unknown[0],
                             days=", ".join(DAYS)), field="days")
    if not days:
        raise InvalidInput(_("A schedule runs on at least one day."), field="days")


def refuse_empty_window(starts: str, ends: str) -> None:
    if minute_of(starts) == minute_of(ends):
        raise InvalidInput(_("A schedule ends at another time than it starts."), field="ends")


def refuse_taken_name(session: Session, names: dict[str, str],
                      schedule_id: int | None = None) -> None:
    wanted = {name.strip().casefold() for name in names.values()}
    for other in session.scalars(select(MenuSchedule)):
        if other.id != schedule_id and wanted & {n.strip().casefold()
                                                 for n in other.names.values()}:
            raise Conflict(_("Another schedule is already called %(name)s.",
                             name=other.label("ro")), field="names")


def refuse_unknown_ids(session: Session, model: type, ids: list[int], field: str) -> None:
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("Something is listed twice."), field=field)
    known = set(session.scalars(select(model.id).where(model.id.in_(ids)))) if ids else set()
    for index, thing_id in enumerate(ids):
        if thing_id not in known:
            message = (_("There is no item %(id)s.", id=thing_id) if model is MenuItem
                       else _("There is no category %(id)s.", id=thing_id))
            raise InvalidInput(message, field=f"{field}.{index}")


def refuse_bad_prices(session: Session, prices: list[dict[str, int]]) -> None:
    ids = [price["item_id"] for price in prices]
    known = set(session.scalars(select(MenuItem.id).where(MenuItem.id.in_(ids)))) if ids else set()
    seen: set[int] = set()
    for index, price in enumerate(prices):
        if price["item_id"] not in known:
            raise InvalidInput(_("There is no item %(id)s.", id=price["item_id"]),
                               field=f"prices.{index}.item_id")
        if price["item_id"] in seen:
            raise InvalidInput(_("This item has a price here already."),
                               field=f"prices.{index}.item_id")
        if price["price"] < 0:
            raise InvalidInput(_("A price is zero or more."), field=f"prices.{index}.price")
        seen.add(price["item_id"])


def refuse_bad_schedule(session: Session, fields: dict[str, Any],
                        schedule: MenuSchedule | None = None) -> None:
    for name in ("names", "days", "starts", "ends", "active", "item_ids", "category_ids",
                 "prices"):
        if name in fields and fields[name] is None:
            raise InvalidInput(_("'%(field)s' cannot be empty.", field=name), field=name)
    if "names" in fields:
        refuse_taken_name(session, fields["names"], schedule.id if schedule else None)
    if "days" in fields:
        refuse_bad_days(fields["days"])
    starts = fields.get("starts", schedule and clock_text(schedule.starts_minute))
    ends = fields.get("ends", schedule and clock_text(schedule.ends_minute))
    refuse_empty_window(starts, ends)
    refuse_unknown_ids(session, MenuItem, fields.get("item_ids") or [], "item_ids")
    refuse_unknown_ids(session, Category, fields.get("category_ids") or [], "category_ids")
    refuse_bad_prices(session, fields.get("prices") or [])


# --- the editor's operations ------------------------------------------------------------------

def get_schedule(session: Session, schedule_id: int) -> MenuSchedule:
    schedule = session.get(MenuSchedule, schedule_id)
    if schedule is None:
        raise NotFound(_("There is no such schedule."), field="schedule_id")
    return schedule


def replace_links(session: Session, schedule: MenuSchedule, fields: dict[str, Any]) -> None:
    for name, model, column in (("item_ids", ScheduleItem, "item_id"),
                                ("category_ids", ScheduleCategory, "category_id")):
        if name in fields:
            for link in session.scalars(select(model).where(model.schedule_id == schedule.id)):
                session.delete(link)
            session.flush()
            session.add_all([model(schedule_id=schedule.id, **{column: thing_id})
                             for thing_id in fields[name]])
    if "prices" in fields:
        for price in session.scalars(select(SchedulePrice)
                                     .where(SchedulePrice.schedule_id == schedule.id)):
            session.delete(price)
        session.flush()
        session.add_all([SchedulePrice(schedule_id=schedule.id, item_id=p["item_id"],
                                       price=p["price"]) for p in fields["prices"]])


def add_schedule(session: Session, actor: Actor | None, *, names: dict[str, str],
                 days: list[str], starts: str, ends: str, active: bool = True,
                 item_ids: list[int] = (), category_ids: list[int] = (),
                 prices: list[dict[str, int]] = ()) -> MenuSchedule:
    fields = {"names": names, "days": days, "starts": starts, "ends": ends,
              "item_ids": list(item_ids), "category_ids": list(category_ids),
              "prices": list(prices)}
    refuse_bad_schedule(session, fields)
    schedule = MenuSchedule(names=names, days=[d for d in DAYS if d in days],
                            starts_minute=minute_of(starts), ends_minute=minute_of(ends),
                            active=active)
    session.add(schedule)
    session.flush()
    replace_links(session, schedule, fields)
    record_audit(session, "menu.schedule_added", actor=actor,
                 subject=f"menu_schedule:{schedule.id}", after=schedule_record(session, schedule))
    announce_schedules(session)
    return schedule


def change_schedule(session: Session, actor: Actor | None, schedule: MenuSchedule,
                    changes: dict[str, Any]) -> MenuSchedule:
    """Only the fields given change; item, category and price lists are given whole."""
    refuse_bad_schedule(session, changes, schedule)
    before = schedule_record(session, schedule)
    for name in ("names", "active"):
        if name in changes:
            setattr(schedule, name, changes[name])
    if "days" in changes:
        schedule.days = [d for d in DAYS if d in changes["days"]]
    if "starts" in changes:
        schedule.starts_minute = minute_of(changes["starts"])
    if "ends" in changes:
        schedule.ends_minute = minute_of(changes["ends"])
    replace_links(session, schedule, changes)
    after = schedule_record(session, schedule)
    changed = sorted(key for key in after if before.get(key) != after[key])
    record_audit(session, "menu.schedule_changed", actor=actor,
                 subject=f"menu_schedule:{schedule.id}",
                 before={key: before[key] for key in changed},
                 after={key: after[key] for key in changed})
    announce_schedules(session)
    return schedule


def remove_schedule(session: Session, actor: Actor | None, schedule: MenuSchedule) -> None:
    """Its items are offered at their own prices again; lines already taken keep theirs."""
    before = schedule_record(session, schedule)
    for model in (ScheduleItem, ScheduleCategory, SchedulePrice):
        for link in session.scalars(select(model).where(model.schedule_id == schedule.id)):
            session.delete(link)
    session.flush()  # the links first: the database would cascade them away under the ORM
    session.delete(schedule)
    record_audit(session, "menu.schedule_removed", actor=actor,
                 subject=f"menu_schedule:{schedule.id}", before=before)
    announce_schedules(session)
