"""Alerts: what staff must see at once ("Grill printer offline — tickets going to Bar",
"Many wrong PINs tonight"). Each is a row, one open per subject, announced through the
outbox to the rooms that show it; the back office sees every alert."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from pos.core.db import Base, BigId, utcnow
from pos.core.events import record_event

OFFICE = ("/office", "office")


class Alert(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(60))  # e.g. "printer:3": one open alert each
    message: Mapped[dict[str, Any]] = mapped_column(JSON)  # names and values, per language
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None]

    def event_data(self) -> dict[str, Any]:
        """As the expo screen and the back office receive it."""
        return {"id": self.id, "kind": self.kind, "subject": self.subject,
                "message": self.message, "raised_at": self.raised_at.isoformat(),
                "cleared_at": self.cleared_at.isoformat() if self.cleared_at else None}


def open_alert(session: Session, subject: str) -> Alert | None:
    return session.scalars(select(Alert).where(Alert.subject == subject,
                                               Alert.cleared_at.is_(None))
                           .order_by(Alert.id).limit(1)).first()


def raise_alert(session: Session, *, kind: str, subject: str, message: dict[str, Any],
                rooms: Iterable[tuple[str, str]] = (OFFICE,),
                now: datetime | None = None) -> Alert | None:
    """A new alert, unless one for ``subject`` is open already (then None)."""
    if open_alert(session, subject) is not None:
        return None
    alert = Alert(kind=kind, subject=subject, message=message, raised_at=now or utcnow())
    session.add(alert)
    session.flush()
    announce_alert(session, alert, rooms)
    return alert


def announce_alert(session: Session, alert: Alert,
                   rooms: Iterable[tuple[str, str]] = (OFFICE,)) -> None:
    for namespace, room in rooms:
        record_event(session, namespace, room, "alert", alert.event_data())
