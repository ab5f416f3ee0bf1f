"""Checks (tabs), their order lines with modifiers, and the sends that pass lines on.

A line is a snapshot: its names, prices and tax rate are copied from the menu when it
is added, so a later menu change never rewrites what a guest ordered.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import Base, BigId, text_enum, utcnow


class CheckKind(StrEnum):
    TABLE = "table"
    BAR_TAB = "bar_tab"
    TAKE_AWAY = "take_away"


class CheckStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    MERGED = "merged"  # its lines moved into another check
    CANCELLED = "cancelled"  # opened by mistake, nothing sent


class LineStatus(StrEnum):
    NEW = "new"  # on the check, not yet sent: edited freely
    SENT = "sent"
    VOID = "void"


class Check(Base):
    __tablename__ = "checks"
    __table_args__ = (
        CheckConstraint("guest_count >= 0", name="guests_not_negative"),
        CheckConstraint("(kind = 'table') = (table_id IS NOT NULL)", name="table_has_table"),
        Index("ix_checks_open_table", "status", "table_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    kind: Mapped[CheckKind] = mapped_column(text_enum(CheckKind))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("tables.id"))
    name: Mapped[str | None] = mapped_column(String(60))  # bar tab / take-away name
    guest_count: Mapped[int] = mapped_column(default=1)
    # None: opened by a device (a kiosk, online ordering) with no server set, for the floor
    # to assign.
    server_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    opened_by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    status: Mapped[CheckStatus] = mapped_column(text_enum(CheckStatus), default=CheckStatus.OPEN)
    # Every change bumps the version; a change made against an older one is refused (409).
    version: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # What the floor plan shows of the check: something was sent; a course waits at the pass.
    first_sent_at: Mapped[datetime | None]
    food_ready_at: Mapped[datetime | None]
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("checks.id"))
    # A discount on the whole check: a percentage (basis points) or an amount, not both.
    discount_bp: Mapped[int | None]
    discount_amount: Mapped[int | None]
    discount_reason: Mapped[str | None] = mapped_column(String(120))

    lines: Mapped[list[OrderLine]] = relationship(back_populates="check",
                                                  order_by="OrderLine.id",
                                                  cascade="all, delete-orphan")
    # The courses the server has fired or rushed (a course not in here is as the menu says).
    courses: Mapped[list[CheckCourse]] = relationship(order_by="CheckCourse.course_id",
                                                      cascade="all, delete-orphan")


class Send(Base):
    """One tap of Send: its client id makes a retried send change nothing."""

    __tablename__ = "sends"
    __table_args__ = (CheckConstraint("sent_by_id IS NOT NULL OR sent_by_device_id IS NOT NULL",
                                      name="sent_by_someone"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    sent_by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="price_not_negative"),
        CheckConstraint("added_by_id IS NOT NULL OR added_by_device_id IS NOT NULL",
                        name="added_by_someone"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_items.id"))
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    quantity: Mapped[int] = mapped_column(default=1)
    seat: Mapped[int | None]
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    note: Mapped[str | None] = mapped_column(String(200))
    allergens: Mapped[list[str]] = mapped_column(JSON, default=list)
    unit_price: Mapped[int]  # the item's price when ordered, before modifiers
    modifiers_price: Mapped[int] = mapped_column(default=0)  # per unit
    tax_rate_bp: Mapped[int]
    status: Mapped[LineStatus] = mapped_column(text_enum(LineStatus), default=LineStatus.NEW)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    added_by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    send_id: Mapped[int | None] = mapped_column(ForeignKey("sends.id"))
    held: Mapped[bool] = mapped_column(default=False)  # sent, its course not fired yet
    fired_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(String(120))
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    comped: Mapped[bool] = mapped_column(default=False)
    comp_reason: Mapped[str | None] = mapped_column(String(120))
    discount_bp: Mapped[int | None]
    discount_amount: Mapped[int | None]

    # The choices made, as ordered: [{"modifier_id", "group_id", "names", "price_delta"}].
    # A snapshot like the line's own names and price, kept on the line itself.
    modifiers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    check: Mapped[Check] = relationship(back_populates="lines")
    send: Mapped[Send | None] = relationship()

    @property
    def gross(self) -> int:
        """What the line costs before discounts and comps."""
        return (self.unit_price + self.modifiers_price) * self.quantity


class CheckMove(Base):
    """Every transfer, line move and merge, for the record and the screens."""

    __tablename__ = "check_moves"
    __table_args__ = (CheckConstraint("by_id IS NOT NULL OR by_device_id IS NOT NULL",
                                      name="moved_by_someone"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # transfer_table, transfer_server, lines, merge
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), index=True)
    to_check_id: Mapped[int | None] = mapped_column(ForeignKey("checks.id"))
    from_table_id: Mapped[int | None] = mapped_column(ForeignKey("tables.id"))
    to_table_id: Mapped[int | None] = mapped_column(ForeignKey("tables.id"))
    from_server_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    to_server_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    line_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))


class CourseProgress(StrEnum):
    """Where a sent course is in the kitchen, as the kitchen last said."""

    HELD = "held"  # waits for the server to fire it
    FIRED = "fired"  # the stations have it; nobody has started it
    COOKING = "cooking"  # a station has started (or finished) its part
    READY = "ready"  # expo called it: the plates wait at the pass
    PICKED_UP = "picked_up"  # the server took it to the table


class CheckCourse(Base):
    """A course of one check once the server has fired (or rushed) it, or the kitchen has
    said where it is."""

    __tablename__ = "check_courses"

    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"),
                                          primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True)
    fired_at: Mapped[datetime | None]
    fired_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    rushed: Mapped[bool] = mapped_column(default=False)
    # Written by the kitchen (through ``show_kitchen_state``), read by the tablets.
    kitchen_state: Mapped[CourseProgress | None] = mapped_column(text_enum(CourseProgress))
    kitchen_state_at: Mapped[datetime | None]
