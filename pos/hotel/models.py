"""Hotel rooms, guests, their stays, and each stay's folio: what the guest owes the hotel
(restaurant charges among it) and what was paid against it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos.core.db import Base, BigId, text_enum, utcnow


class StayStatus(StrEnum):
    RESERVED = "reserved"
    IN_HOUSE = "in_house"
    CHECKED_OUT = "checked_out"


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="double")  # the room type
    floor: Mapped[str | None] = mapped_column(String(20))


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
    guest_id: Mapped[int] = mapped_column(ForeignKey("guests.id"))  # who the folio is for
    arrival: Mapped[date]
    departure: Mapped[date]
    status: Mapped[StayStatus] = mapped_column(text_enum(StayStatus),
                                              default=StayStatus.RESERVED)
    no_post: Mapped[bool] = mapped_column(default=False)  # charges to this stay are refused
    credit_limit: Mapped[int | None]  # minor units; None: no limit
    checked_in_at: Mapped[datetime | None]
    checked_out_at: Mapped[datetime | None]

    room: Mapped[Room] = relationship()
    guest: Mapped[Guest] = relationship()
    companions: Mapped[list[Guest]] = relationship(secondary="stay_guests")

    @property
    def guests(self) -> list[Guest]:
        """Everyone on the stay, the folio's guest first."""
        return [self.guest, *(g for g in self.companions if g.id != self.guest_id)]


class StayGuest(Base):
    """Another guest sharing the stay (a couple, a family): each may sign a room charge."""

    __tablename__ = "stay_guests"

    stay_id: Mapped[int] = mapped_column(ForeignKey("stays.id"), primary_key=True)
    guest_id: Mapped[int] = mapped_column(ForeignKey("guests.id"), primary_key=True)


class EntryKind(StrEnum):
    CHARGE = "charge"  # the guest owes it: a meal charged to the room, a minibar
    CORRECTION = "correction"  # takes back (part of) a charge: a refund, a mistake
    PAYMENT = "payment"  # paid against the folio at the desk


class EntryStatus(StrEnum):
    DONE = "done"  # on the folio: it counts in the balance
    PENDING = "pending"  # a card payment the terminal has not answered yet
    DECLINED = "declined"  # the card was refused: kept on record, counts for nothing
    UNKNOWN = "unknown"  # the line dropped mid-payment: the terminal or a manager will say


class FolioEntry(Base):
    """One line of a stay's folio. Amounts are positive; a correction or a payment lowers
    the balance. A restaurant charge keeps what was eaten: its check, lines, tax per rate
    and tip, so the desk can show the guest exactly what they signed for."""

    __tablename__ = "folio_entries"
    __table_args__ = (UniqueConstraint("client_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stay_id: Mapped[int] = mapped_column(ForeignKey("stays.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(80))  # a repeat posts nothing twice
    kind: Mapped[EntryKind] = mapped_column(text_enum(EntryKind))
    status: Mapped[EntryStatus] = mapped_column(text_enum(EntryStatus), default=EntryStatus.DONE,
                                                server_default=EntryStatus.DONE.value)
    amount: Mapped[int]
    description: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str | None] = mapped_column(String(120))
    check_id: Mapped[int | None] = mapped_column(ForeignKey("checks.id"))
    payment_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("payments.id"))
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("guests.id"))  # who signed
    tip: Mapped[int] = mapped_column(default=0)
    lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    tax: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)  # the guest's, a PNG
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    corrects_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("folio_entries.id"))
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)


class PmsPosting(Base):
    """A room charge on its way to an external PMS over FIAS: the durable outbox. Its id is
    the posting's P#: written with the payment, sent when the link is up, sent again with
    the same P# after a drop, until the PMS answers."""

    __tablename__ = "pms_postings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    payment_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("payments.id"), index=True)
    room: Mapped[str] = mapped_column(String(12))
    guest_number: Mapped[str] = mapped_column(String(40))
    guest_name: Mapped[str | None] = mapped_column(String(120))
    total: Mapped[int]  # minor units, tip included
    details: Mapped[dict[str, Any]] = mapped_column(JSON)  # outlet, check, table, taxes, tip
    status: Mapped[str] = mapped_column(String(16), default="pending")  # → ok | refused
    answer: Mapped[str | None] = mapped_column(String(4))  # the PMS's status: OK, NP, …
    answer_text: Mapped[str | None] = mapped_column(String(200))
    retry_after: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
