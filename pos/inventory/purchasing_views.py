"""Purchasing (STOCK: whoever handles the goods) and food cost (REPORTS_VIEW), as API
routes under /api/v1/inventory, and their two back-office pages."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_babel import force_locale, get_locale

from pos.core.api import API_PREFIX, api_route, current_db
from pos.core.auth import Permission
from pos.inventory import food_cost as cost
from pos.inventory import operations as ops
from pos.inventory import purchasing as po
from pos.inventory.purchasing_schemas import (
    FoodCostOut,
    FoodCostQuery,
    NewOrder,
    NewSupplier,
    OrderList,
    OrderOut,
    OrderQuery,
    OrdersFromSuggestions,
    PdfQuery,
    PrintedOut,
    PrintOrder,
    ReceiveOrder,
    Suggestions,
    SupplierChange,
    SupplierOut,
    ValuationOut,
)
from pos.staff.web import require_page
from pos.venue.operations import get_venue

api = Blueprint("purchasing_api", __name__, url_prefix=API_PREFIX + "/inventory")
pages = Blueprint("purchasing_office", __name__)
TAG = "purchasing"


# --- suppliers -----------------------------------------------------------------------------

@api_route(api, "/suppliers", summary="Every supplier and what each sells",
           permission=Permission.STOCK, response=SupplierOut, many=True, tag=TAG)
def list_suppliers(session, actor):
    return po.list_suppliers(session)


@api_route(api, "/suppliers", method="POST", summary="Add a supplier",
           permission=Permission.STOCK, body=NewSupplier, response=SupplierOut, status=201,
           tag=TAG)
def add_supplier(session, actor, body: NewSupplier):
    return po.supplier_view(po.add_supplier(session, actor, **body.model_dump(
        exclude={"items"}), items=body.items))


@api_route(api, "/suppliers/<int:supplier_id>", method="PATCH",
           summary="Change a supplier; items, when sent, replace what it sells",
           permission=Permission.STOCK, body=SupplierChange, response=SupplierOut, tag=TAG)
def change_supplier(session, actor, body: SupplierChange, supplier_id: int):
    supplier = po.get_supplier(session, supplier_id)
    return po.supplier_view(po.change_supplier(
        session, actor, supplier, body.model_dump(exclude_unset=True, exclude={"items"}),
        body.items))


# --- suggestions and orders ----------------------------------------------------------------

@api_route(api, "/purchase-suggestions", summary="What to order to bring stock back to par "
           "(venue-wide), by supplier, in whole packs", permission=Permission.STOCK,
           response=Suggestions, tag=TAG)
def suggestions(session, actor):
    return {"groups": po.suggestions(session)}


@api_route(api, "/purchase-orders/from-suggestions", method="POST",
           summary="A draft purchase order per supplier from the suggestions",
           permission=Permission.STOCK, body=OrdersFromSuggestions, response=OrderList,
           status=201, tag=TAG)
def orders_from_suggestions(session, actor, body: OrdersFromSuggestions):
    orders = po.orders_from_suggestions(session, actor, location_id=body.location_id,
                                        ingredient_ids=body.ingredient_ids)
    return {"orders": [po.order_view(session, order) for order in orders]}


@api_route(api, "/purchase-orders", summary="Purchase orders, newest first",
           permission=Permission.STOCK, query=OrderQuery, response=OrderList, tag=TAG)
def list_orders(session, actor, query: OrderQuery):
    return {"orders": po.list_orders(session, status=query.status, limit=query.limit)}


@api_route(api, "/purchase-orders", method="POST", summary="Write a purchase order (a draft)",
           permission=Permission.STOCK, body=NewOrder, response=OrderOut, status=201, tag=TAG)
def create_order(session, actor, body: NewOrder):
    order = po.create_order(session, actor, supplier_id=body.supplier_id,
                            location_id=body.location_id, lines=body.lines, note=body.note,
                            client_id=body.client_id)
    return po.order_view(session, order)


@api_route(api, "/purchase-orders/<int:order_id>", summary="One purchase order",
           permission=Permission.STOCK, response=OrderOut, tag=TAG)
def read_order(session, actor, order_id: int):
    return po.order_view(session, po.get_order(session, order_id))


@api_route(api, "/purchase-orders/<int:order_id>/send", method="POST",
           summary="Mark it sent to the supplier (its PDF downloaded or attached)",
           permission=Permission.STOCK, response=OrderOut, tag=TAG)
def send_order(session, actor, order_id: int):
    return po.order_view(session, po.send_order(session, actor,
                                                po.get_order(session, order_id)))


@api_route(api, "/purchase-orders/<int:order_id>/cancel", method="POST",
           summary="Cancel it: what was received stays, the rest is no longer expected",
           permission=Permission.STOCK, response=OrderOut, tag=TAG)
def cancel_order(session, actor, order_id: int):
    return po.order_view(session, po.cancel_order(session, actor,
                                                  po.get_order(session, order_id)))


@api_route(api, "/purchase-orders/<int:order_id>/receipts", method="POST",
           summary="Receive a delivery against it, in full or in part (a stock receipt "
           "with its cost: the moving average follows)", permission=Permission.STOCK,
           body=ReceiveOrder, response=OrderOut, status=201, tag=TAG)
def receive_order(session, actor, body: ReceiveOrder, order_id: int):
    order = po.receive_order(session, actor, po.get_order(session, order_id),
                             lines=body.lines, note=body.note, client_id=body.client_id)
    return po.order_view(session, order)


@api_route(api, "/purchase-orders/<int:order_id>/print", method="POST",
           summary="Print it on a till printer (through the print queue)",
           permission=Permission.STOCK, body=PrintOrder, response=PrintedOut, status=201,
           tag=TAG)
def print_order(session, actor, body: PrintOrder, order_id: int):
    job = po.print_order(session, actor, po.get_order(session, order_id),
                         printer_id=body.printer_id, language=body.language)
    return {"print_job_id": job.id}


@api_route(api, "/purchase-orders/<int:order_id>.pdf", summary="The purchase order as an A4 "
           "PDF, to send to the supplier", permission=Permission.STOCK, query=PdfQuery,
           tag=TAG)
def order_pdf(session, actor, query: PdfQuery, order_id: int) -> Response:
    from weasyprint import HTML

    order = po.order_view(session, po.get_order(session, order_id))
    supplier = po.get_supplier(session, order["supplier_id"])
    venue = get_venue(session)
    location = ops.get_location(session, order["location_id"])
    language = query.lang or str(get_locale() or "en")[:2]
    with force_locale(language):
        html = render_template("purchasing/order.html", order=order, supplier=supplier,
                               venue=venue, location=location, language=language)
    body = HTML(string=html).write_pdf()
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="purchase-order-{order_id}.pdf"',
        "Cache-Control": "private, no-store"})


# --- food cost -----------------------------------------------------------------------------

@api_route(api, "/food-cost", summary="Theoretical against actual usage over business days, "
           "variance by ingredient and by item, food cost % of sales",
           permission=Permission.REPORTS_VIEW, query=FoodCostQuery, response=FoodCostOut,
           tag=TAG)
def food_cost(session, actor, query: FoodCostQuery):
    if query.location_id is not None:
        ops.get_location(session, query.location_id)
    return cost.food_cost(session, query.first, query.last, location_id=query.location_id)


@api_route(api, "/valuation", summary="What the stock on hand is worth, per location, at "
           "the ledger's balances", permission=Permission.REPORTS_VIEW,
           response=ValuationOut, tag=TAG)
def valuation(session, actor):
    return cost.valuation(session)


# --- pages ---------------------------------------------------------------------------------

@pages.get("/office/purchasing")
def purchasing_page() -> Response | str:
    refused = require_page(Permission.STOCK)
    if refused is not None:
        return refused
    return render_template("office/purchasing.html", currency=venue_currency())


@pages.get("/office/food-cost")
def food_cost_page() -> Response | str:
    refused = require_page(Permission.REPORTS_VIEW)
    if refused is not None:
        return refused
    return render_template("office/food_cost.html", currency=venue_currency())


def venue_currency() -> str:
    with current_db().reading() as session:
        return get_venue(session).currency
