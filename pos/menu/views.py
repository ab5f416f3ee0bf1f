from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.core.errors import NotFound
from pos.menu import operations as ops
from pos.menu.models import MenuItem, Modifier
from pos.menu.schemas import Availability, AvailabilityOut, MenuItemOut, MenuOut, NewMenuItem

api = Blueprint("menu_api", __name__, url_prefix=API_PREFIX + "/menu")


@api_route(api, "", summary="The whole menu with availability; last_event is where the "
           "/floor socket picks up", permission=Permission.FLOOR_VIEW, response=MenuOut,
           tag="menu")
def show_menu(session, actor):
    return ops.read_menu(session)


@api_route(api, "/items", method="POST", summary="Add an item to the menu",
           permission=Permission.MENU_EDIT, body=NewMenuItem, response=MenuItemOut, status=201,
           tag="menu")
def add_menu_item(session, actor, body: NewMenuItem):
    return ops.add_menu_item(session, **body.model_dump())


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
