"""Stations and the routing rules that say which station makes which item."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pos.core.db import Base
from pos.menu.models import Named


class Station(Named, Base):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # "grill": used in URLs and rooms
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    is_expo: Mapped[bool] = mapped_column(default=False)
    warn_after_seconds: Mapped[int] = mapped_column(default=8 * 60)  # ticket turns yellow
    late_after_seconds: Mapped[int] = mapped_column(default=12 * 60)  # ticket turns red


class StationRoute(Base):
    """Item (or, failing an item rule, its category) → station. An item may go to several."""

    __tablename__ = "station_routes"
    __table_args__ = (
        CheckConstraint("(item_id IS NULL) <> (category_id IS NULL)", name="item_or_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("menu_items.id", ondelete="CASCADE"),
                                                index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True)
