"""The fiscal device: where a paid bill becomes a fiscal receipt.

In Romania a sale is documented by the receipt of an approved fiscal device (AMEF, a
fiscal printer); Masa's own receipt does not replace it. ``FiscalDevice`` is where a real
driver plugs in (a Datecs, Tremol or Daisy printer speaks its own protocol): it is given
one ``FiscalReceipt`` per paid bill, with the lines, the tax groups (``TaxRate.code``, as
programmed in the device) and the payments, and says the number the device gave it.

Masa ships ``FileFiscalDevice``, which writes what it would send, one JSON line per
receipt, to ``instance/fiscal/receipts.jsonl``: a venue can see what would be declared,
and a driver's author has the exact input.

The receipt is handed to the device after the payment's transaction commits (a payment
that rolled back never reaches the fiscal memory), and each is keyed by its bill, so a
receipt handed over twice is written once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from pos.payments.models import Bill
from pos.payments.receipts import BillDocument, receipt_document

log = logging.getLogger(__name__)

PENDING_KEY = "masa_fiscal_receipts"  # session.info: receipts to hand over after commit
EXTENSION = "masa_fiscal_device"


@dataclass(frozen=True)
class FiscalLine:
    name: str
    quantity: str  # "2", "1/3"
    amount: int  # minor units, tax included
    tax_group: str  # the device's tax group ("A"), TaxRate.code
    rate_bp: int


@dataclass(frozen=True)
class FiscalTaxGroup:
    code: str
    rate_bp: int
    net: int
    tax: int
    gross: int


@dataclass(frozen=True)
class FiscalPayment:
    tender: str  # cash, card, voucher, room
    amount: int  # of the bill, tip not included
    tip: int
    tendered: int | None
    change: int


@dataclass(frozen=True)
class FiscalReceipt:
    """What a fiscal device is asked to print for one paid bill."""

    key: str  # "bill:17": the same bill is never declared twice
    bill_id: int
    check_id: int
    bill_number: int
    paid_at: str  # ISO 8601, UTC
    venue: str
    fiscal_code: str
    currency: str
    lines: tuple[FiscalLine, ...]
    tax_groups: tuple[FiscalTaxGroup, ...]
    payments: tuple[FiscalPayment, ...]
    total: int
    tip: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FiscalResult:
    key: str
    number: str | None  # the receipt number the device printed, if it says
    already: bool = False  # it had this receipt already: nothing was sent again


class FiscalDevice(Protocol):
    """An approved fiscal device (or what stands in for it)."""

    name: str

    def issue_receipt(self, receipt: FiscalReceipt) -> FiscalResult: ...


class FileFiscalDevice:
    """Writes each receipt it would send as one JSON line; a bill's receipt once."""

    name = "file"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def issue_receipt(self, receipt: FiscalReceipt) -> FiscalResult:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # another process on the same instance folder
            try:
                handle.seek(0)
                count = 0
                for count, text in enumerate(handle, start=1):  # noqa: B007
                    with contextlib.suppress(ValueError):
                        if json.loads(text).get("key") == receipt.key:
                            return FiscalResult(receipt.key, str(count), already=True)
                handle.seek(0, os.SEEK_END)
                handle.write(json.dumps({**receipt.as_json(), "number": count + 1},
                                        ensure_ascii=False, sort_keys=True) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
                return FiscalResult(receipt.key, str(count + 1))
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def receipts(self) -> list[dict[str, Any]]:
        """Every receipt written so far (for the tests and a curious manager)."""
        if not self.path.exists():
            return []
        return [json.loads(text) for text in self.path.read_text(encoding="utf-8").splitlines()
                if text.strip()]


# --- from a paid bill to the device -------------------------------------------------------


def fiscal_receipt(session: Session, bill: Bill) -> FiscalReceipt:
    """The fiscal receipt of a paid bill: its lines add up to its total per tax group."""
    return from_document(receipt_document(session, bill))


def from_document(doc: BillDocument) -> FiscalReceipt:
    groups = {row.rate_bp: row.code for row in doc.tax}
    share = "Share of the check" if doc.language == "en" else "Parte din notă"
    return FiscalReceipt(
        key=f"bill:{doc.bill_id}", bill_id=doc.bill_id or 0, check_id=doc.check_id,
        bill_number=doc.bill_number, paid_at=doc.at.isoformat(), venue=doc.venue.name,
        fiscal_code=doc.venue.fiscal_code, currency=doc.currency,
        lines=tuple(FiscalLine(
            name=line.name or share,
            quantity=str(line.quantity.numerator) if line.quantity.denominator == 1
            else str(line.quantity),
            amount=line.amount, tax_group=groups.get(line.rate_bp, ""), rate_bp=line.rate_bp)
            for line in doc.lines),
        tax_groups=tuple(FiscalTaxGroup(row.code, row.rate_bp, row.net, row.tax, row.gross)
                         for row in doc.tax),
        payments=tuple(FiscalPayment(str(p.tender), p.amount, p.tip, p.tendered, p.change)
                       for p in doc.payments),
        total=doc.total, tip=doc.tip)


def record_fiscal_receipt(session: Session, bill: Bill) -> FiscalReceipt:
    """Called by the payment flow once ``bill`` is paid (in its transaction): the receipt
    is built now, from what this transaction sees, and handed to the fiscal device after
    the commit (``hand_over_after_commit``)."""
    receipt = fiscal_receipt(session, bill)
    pending: list[FiscalReceipt] = session.info.setdefault(PENDING_KEY, [])
    if all(earlier.key != receipt.key for earlier in pending):
        pending.append(receipt)
    return receipt


def hand_over_after_commit(device: FiscalDevice) -> Callable[[Session], None]:
    """The after-commit step that gives ``device`` the receipts a transaction recorded.

    A device that fails is logged and the sale stands (the money was taken); the receipt
    stays keyed by its bill for the driver to be given again."""

    def hand_over(session: Session) -> None:
        for receipt in session.info.pop(PENDING_KEY, None) or ():
            try:
                device.issue_receipt(receipt)
            except Exception:  # noqa: BLE001 - a fiscal device down must not undo a payment
                log.exception("the fiscal device %s refused %s", device.name, receipt.key)

    return hand_over


def init_fiscal(app: Flask, device: FiscalDevice | None = None) -> FiscalDevice:
    """Give the app its fiscal device (the file one, in the instance folder, unless a
    driver is given) and hand it each receipt after its payment commits."""
    device = device or FileFiscalDevice(Path(app.instance_path) / "fiscal" / "receipts.jsonl")
    app.extensions[EXTENSION] = device
    app.extensions["masa_db"].after_commit.append(hand_over_after_commit(device))
    return device


def fiscal_device() -> FiscalDevice | None:
    return current_app.extensions.get(EXTENSION) if has_app_context() else None
