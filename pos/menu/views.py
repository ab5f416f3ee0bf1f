from __future__ import annotations

from flask import Blueprint

from pos.core.api import API_PREFIX, api_route
from pos.core.auth import Permission
from pos.menu import operations as ops
from pos.menu.schemas import MenuItemOut, NewMenuItem

api = Blueprint("menu_api", __name__, url_prefix=API_PREFIX + "/menu")


@api_route(api, "/items", method="POST", summary="Add an item to the menu",
           permission=Permission.MENU_EDIT, body=NewMenuItem, response=MenuItemOut, status=201,
           tag="menu")
def add_menu_item(session, actor, body: NewMenuItem):
    return ops.add_menu_item(session, **body.model_dump())
