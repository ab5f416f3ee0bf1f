"""Purchasing: who the venue buys from, what each supplier sells (in what pack, at what
price), and the purchase orders sent to them, received in full or in part.

Quantities are thousandths of the ingredient's base unit, as in the ledger; prices are
integer minor units. A delivery against an order is an ordinary stock receipt (the
ledger's own document); ``PurchaseReceipt`` only says which order it was for.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import Base, BigId, text_enum, utcnow
from pos.inventory.models import Quantity


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    contact: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)

    items: Mapped[list[SupplierItem]] = relationship(
        order_by="SupplierItem.id", cascade="all, delete-orphan")


class SupplierItem(Base):
    """An ingredient this supplier sells: by the pack (a 5 kg sack) if it says, and at
    what a pack costs."""

    __tablename__ = "supplier_items"
    __table_args__ = (
        UniqueConstraint("supplier_id", "ingredient_id"),
        CheckConstraint("pack_size IS NULL OR pack_size > 0", name="pack_positive"),
        CheckConstraint("pack_price IS NULL OR pack_price >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"),
                                             index=True)
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredients.id"), index=True)
    pack_size: Mapped[int | None] = mapped_column(Quantity)  # thousandths of the base unit
    pack_unit: Mapped[str] = mapped_column(String(8))  # as the pack was written (5 kg)
    # Minor units per pack (or per ``pack_unit`` without a pack).
    pack_price: Mapped[int | None] = mapped_column(Quantity)


class OrderStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    status: Mapped[OrderStatus] = mapped_column(text_enum(OrderStatus),
                                                default=OrderStatus.DRAFT)
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        order_by="PurchaseOrderLine.position", cascade="all, delete-orphan")


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("received >= 0 AND received <= quantity", name="received_in_range"),
        CheckConstraint("unit_cost >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(default=0)
    ingredient_id: Mapped[int] = mapped_column(ForeignKey("ingredients.id"))
    quantity: Mapped[int] = mapped_column(Quantity)  # thousandths of the base unit
    unit: Mapped[str] = mapped_column(String(8))  # as ordered (kg, piece)
    unit_cost: Mapped[int] = mapped_column(Quantity, default=0)  # expected, per ``unit``
    received: Mapped[int] = mapped_column(Quantity, default=0)


class PurchaseReceipt(Base):
    """A stock receipt (a delivery) made against a purchase order."""

    __tablename__ = "purchase_receipts"

    document_id: Mapped[int] = mapped_column(ForeignKey("stock_documents.id"),
                                             primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
