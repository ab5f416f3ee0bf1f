"""Hotel rooms, guests and their stays (the folio comes with the front-desk work)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import Base, text_enum


class StayStatus(StrEnum):
    RESERVED = "reserved"
    IN_HOUSE = "in_house"
    CHECKED_OUT = "checked_out"


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="double")


class Guest(Base):
    __tablename__ = "guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(8))


class Stay(Base):
    __tablename__ = "stays"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("guests.id"))
    arrival: Mapped[date]
    departure: Mapped[date]
    status: Mapped[StayStatus] = mapped_column(text_enum(StayStatus),
                                              default=StayStatus.RESERVED)
    no_post: Mapped[bool] = mapped_column(default=False)  # charges to this stay are refused
    credit_limit: Mapped[int | None]  # minor units; None: no limit

    room: Mapped[Room] = relationship()
    guest: Mapped[Guest] = relationship()
