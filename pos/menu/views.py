from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import NotFound
from pos.core.images import IMAGE_REQUEST_BYTES, ImageUpload
from pos.menu import listing, menu_io, schedules, snapshot
from pos.menu import operations as ops
from pos.menu.models import MenuItem, Modifier
from pos.menu.schemas import (
    Availability,
    AvailabilityOut,
    CategoryChange,
    CategoryEdit,
    CategoryOrder,
    ImportOut,
    ItemEdit,
    ItemPage,
    ItemQuery,
    MenuFileIn,
    MenuItemChange,
    MenuItemOut,
    MenuOut,
    MenuSetup,
    ModifierGroupChange,
    ModifierGroupEdit,
    NewCategory,
    NewMenuItem,
    NewModifierGroup,
    NewSchedule,
    ScheduleChange,
    ScheduleList,
    ScheduleOut,
)

api = Blueprint("menu_api", __name__, url_prefix=API_PREFIX + "/menu")


@api_route(api, "", summary="The whole menu with availability; last_event is where the "
           "/floor socket picks up", permission=Permission.FLOOR_VIEW, response=MenuOut,
           tag="menu")
def show_menu(session, actor):
    return snapshot.json_answer(snapshot.tablet_menu(session))


# --- the back office's editors ------------------------------------------------------------

@api_route(api, "/setup", summary="What the menu editor offers: every category and choice "
           "group (inactive too), courses, tax rates, stations",
           permission=Permission.MENU_EDIT, response=MenuSetup, tag="menu")
def show_setup(session, actor):
    return listing.menu_setup(session)


@api_route(api, "/categories", method="POST", summary="Add a category (last on the tablets)",
           permission=Permission.MENU_EDIT, body=NewCategory, response=CategoryEdit,
           status=201, tag="menu")
def add_category(session, actor, body: NewCategory):
    category = ops.add_category(session, actor, **body.model_dump())
    return {**ops.category_record(session, category), "item_count": 0}


@api_route(api, "/categories/<int:category_id>", method="PATCH",
           summary="Rename, recolour, reroute or (de)activate a category",
           permission=Permission.MENU_EDIT, body=CategoryChange, response=CategoryEdit,
           tag="menu")
def change_category(session, actor, body: CategoryChange, category_id: int):
    category = ops.change_category(session, actor, ops.get_category(session, category_id),
                                   body.model_dump(exclude_unset=True))
    return {**ops.category_record(session, category), "item_count": len(category.items)}


@api_route(api, "/categories/order", method="PUT", summary="Put the categories in this order",
           permission=Permission.MENU_EDIT, body=CategoryOrder, tag="menu")
def reorder_categories(session, actor, body: CategoryOrder):
    ops.reorder_categories(session, actor, body.ids)
    return {"ids": body.ids}


@api_route(api, "/items/page", summary="A page of items, found by name or number",
           permission=Permission.MENU_EDIT, query=ItemQuery, response=ItemPage, tag="menu")
def item_page(session, actor, query: ItemQuery):
    return listing.item_page(session, **query.model_dump())


@api_route(api, "/items", method="POST", summary="Add an item to the menu",
           permission=Permission.MENU_EDIT, body=NewMenuItem, response=MenuItemOut, status=201,
           tag="menu")
def add_menu_item(session, actor, body: NewMenuItem):
    return ops.add_menu_item(session, actor=actor, **body.model_dump())


@api_route(api, "/items/<int:item_id>", summary="An item as the editor shows it",
           permission=Permission.MENU_EDIT, response=ItemEdit, tag="menu")
def show_item(session, actor, item_id: int):
    return listing.item_for_editing(session, ops.get_item(session, item_id))


@api_route(api, "/items/<int:item_id>", method="PATCH", summary="Change an item",
           permission=Permission.MENU_EDIT, body=MenuItemChange, response=ItemEdit, tag="menu",
           endpoint="change_menu_item")
def change_menu_item(session, actor, body: MenuItemChange, item_id: int):
    item = ops.change_menu_item(session, actor, ops.get_item(session, item_id),
                                body.model_dump(exclude_unset=True))
    return listing.item_for_editing(session, item)


@api_route(api, "/items/<int:item_id>/image", method="PUT", summary="Give an item its photo "
           "on the tablets (base64 PNG, JPEG or WebP up to 2 MB), or none (null)",
           permission=Permission.MENU_EDIT, body=ImageUpload, response=ItemEdit, tag="menu",
           endpoint="set_item_image")
def set_item_image(session, actor, body: ImageUpload, item_id: int):
    item = ops.set_item_image(session, actor, ops.get_item(session, item_id), body.data)
    return listing.item_for_editing(session, item)


def group_out(session, group) -> dict:
    return {**ops.group_record(group), "item_count": 0,
            "modifiers": [{**choice, "available": m.available, "count_left": m.count_left}
                          for choice, m in zip(ops.group_record(group)["modifiers"],
                                               group.modifiers, strict=True)]}


@api_route(api, "/modifier-groups", method="POST", summary="Add a choice group and its choices",
           permission=Permission.MENU_EDIT, body=NewModifierGroup, response=ModifierGroupEdit,
           status=201, tag="menu")
def add_modifier_group(session, actor, body: NewModifierGroup):
    return group_out(session, ops.add_modifier_group(session, actor, **body.model_dump()))


@api_route(api, "/modifier-groups/<int:group_id>", method="PATCH",
           summary="Change a choice group; its choices are given whole, in order",
           permission=Permission.MENU_EDIT, body=ModifierGroupChange,
           response=ModifierGroupEdit, tag="menu")
def change_modifier_group(session, actor, body: ModifierGroupChange, group_id: int):
    group = ops.change_modifier_group(session, actor, ops.get_group(session, group_id),
                                      body.model_dump(exclude_unset=True))
    return group_out(session, group)


# --- menus by time of day and day of week ------------------------------------------------------

@api_route(api, "/schedules", summary="Every menu schedule (breakfast, happy hour …)",
           permission=Permission.MENU_EDIT, response=ScheduleList, tag="menu")
def list_schedules(session, actor):
    every = schedules.all_schedules(session)
    return {"schedules": every, "items": schedules.items_named(session, every)}


@api_route(api, "/schedules", method="POST", summary="Add a menu schedule: its days and hours, "
           "the items and categories limited to it, its prices",
           permission=Permission.MENU_EDIT, body=NewSchedule, response=ScheduleOut, status=201,
           tag="menu")
def add_schedule(session, actor, body: NewSchedule):
    schedule = schedules.add_schedule(session, actor, **body.model_dump())
    return schedules.schedule_record(session, schedule)


@api_route(api, "/schedules/<int:schedule_id>", method="PATCH",
           summary="Change a menu schedule (lists are given whole)",
           permission=Permission.MENU_EDIT, body=ScheduleChange, response=ScheduleOut,
           tag="menu")
def change_schedule(session, actor, body: ScheduleChange, schedule_id: int):
    schedule = schedules.change_schedule(session, actor,
                                         schedules.get_schedule(session, schedule_id),
                                         body.model_dump(exclude_unset=True))
    return schedules.schedule_record(session, schedule)


@api_route(api, "/schedules/<int:schedule_id>", method="DELETE",
           summary="Remove a menu schedule: its items are offered at their own prices again",
           permission=Permission.MENU_EDIT, tag="menu")
def remove_schedule(session, actor, schedule_id: int):
    schedules.remove_schedule(session, actor, schedules.get_schedule(session, schedule_id))
    return {"id": schedule_id}


# --- import and export ---------------------------------------------------------------------

MENU_FILE_BYTES = 24 * 1024 * 1024  # a 20,000-item menu is a few MB; other requests stay small


@api.before_request
def admit_a_menu_file() -> None:
    if request.endpoint == "menu_api.import_menu":
        request.max_content_length = MENU_FILE_BYTES
    elif request.endpoint == "menu_api.set_item_image":
        request.max_content_length = IMAGE_REQUEST_BYTES


@api_route(api, "/export.json", summary="The whole menu as a JSON file (import takes it back)",
           permission=Permission.MENU_EDIT, tag="menu")
def export_json(session, actor):
    return menu_io.download(menu_io.to_json(menu_io.export_menu(session)), "json")


@api_route(api, "/export.csv", summary="The whole menu as a CSV file (import takes it back)",
           permission=Permission.MENU_EDIT, tag="menu")
def export_csv(session, actor):
    return menu_io.download(menu_io.to_csv(menu_io.export_menu(session)), "csv")


@api_route(api, "/import", method="POST", summary="Import a menu file (JSON or CSV): all of it "
           "or, if any line is wrong, nothing (each wrong line is named)",
           permission=Permission.MENU_EDIT, body=MenuFileIn, response=ImportOut, tag="menu",
           idempotent=False)
def import_menu(session, actor, body: MenuFileIn):
    return menu_io.import_menu(session, actor, body.format, body.content)


# --- 86 and counts -----------------------------------------------------------------------------

def availability_route(kind: str, model: type[MenuItem] | type[Modifier]) -> None:
    @api_route(api, f"/{kind}s/<int:thing_id>/availability", method="POST",
               summary=f"86 a {kind}, bring it back, or set the portions left",
               permission=Permission.MENU_86, body=Availability, response=AvailabilityOut,
               idempotent=False, tag="menu", endpoint=f"set_{kind}_availability")
    def set_availability(session, actor, body: Availability, thing_id: int):
        thing = session.get(model, thing_id)
        if thing is None:
            raise NotFound(_("There is no such %(kind)s.", kind=kind), field=f"{kind}_id")
        ops.set_availability(session, thing, available=body.available,
                             count_left=body.count_left)
        return {"kind": kind, "id": thing.id, "available": thing.available,
                "count_left": thing.count_left}


availability_route("item", MenuItem)
availability_route("modifier", Modifier)
