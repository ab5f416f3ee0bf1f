"""Pre-bills (the guest check) and receipts: what they say, then how each medium shows it.

A bill's paper is first built as a plain ``BillDocument`` (venue, table, lines with their
part on this bill, tax per rate, payments), then rendered three ways from that one
structure, so the paper, the page and the PDF never disagree:

- ``paper_document``: the print queue's generic ``"document"`` job (``pos.devices.layouts``),
  in the printer's width and language;
- ``render_html``: ``templates/receipts/receipt.html``, the e-receipt at ``/r/<token>``;
- ``render_pdf``: the same page through WeasyPrint.

The lines printed on a bill always add up to its total, per tax rate: a bill that holds a
third of the check, or a fixed amount, shows its share of each line (or of the check),
never numbers a guest cannot add up.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from flask import current_app, has_request_context, render_template, request
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.core.auth import Actor
from pos.core.db import utcnow
from pos.core.errors import Conflict, NotFound
from pos.core.images import StoredImage, paper_picture
from pos.core.money import TaxMode, divide_rounded, format_money, split_by_weights
from pos.devices.models import Printer, PrintJob
from pos.devices.print_queue import queue_print
from pos.floor.models import DiningTable
from pos.ordering.models import Check
from pos.ordering.totals import check_totals
from pos.payments import operations as ops
from pos.payments.bills import BillFigures, BillLine, figure_bills
from pos.payments.models import Bill, BillStatus, CashShift, Payment, PaymentStatus, Tender
from pos.staff.models import StaffMember
from pos.venue.models import TaxRate, Venue
from pos.venue.operations import get_venue

ROOT = Path(__file__).resolve().parent.parent.parent
RECEIPT_CSS = ROOT / "static" / "css" / "receipt.css"
# A4, as a guest prints it at home; the receipt keeps its narrow column.
PDF_PAGE_CSS = "@page { size: A4; margin: 15mm; } .receipt { max-width: 105mm; }"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
LANGUAGES = ("ro", "en")

Kind = Literal["prebill", "receipt"]


# --- what a bill's paper says ---------------------------------------------------------


@dataclass(frozen=True)
class Logo:
    """The venue's logo as its receipts carry it."""

    sha256: str
    content_type: str
    data: bytes = field(repr=False)

    @property
    def data_uri(self) -> str:
        """Inside the page: the guest's phone is signed in nowhere, the PDF asks nobody."""
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode()}"

    @property
    def paper(self) -> str:
        """Black and white, as a receipt printer draws it (base64 PNG)."""
        return paper_picture(self.sha256, self.data)


@dataclass(frozen=True)
class VenueHeader:
    name: str
    address: str
    fiscal_code: str
    header: str = ""  # the venue's own lines under its name (opening hours, Wi-Fi)
    footer: str = ""  # and at the end (thanks, a website)
    logo: Logo | None = None

    @property
    def header_lines(self) -> list[str]:
        return own_lines(self.header)

    @property
    def footer_lines(self) -> list[str]:
        return own_lines(self.footer)


def own_lines(text: str) -> list[str]:
    """The venue's text as lines, as it typed them (blank lines inside kept, not at the
    ends); each is wrapped to the paper's width when printed."""
    if not text.strip():
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    return [line.rstrip() for line in lines]


@dataclass(frozen=True)
class ItemLine:
    """One line of the check as far as it is on this bill."""

    line_id: int | None  # None: a share of the check (a bill of a fixed amount)
    name: str
    quantity: Fraction  # portions on this bill: 2, or 1/3 of a bottle
    amount: int  # what it comes to on this bill
    rate_bp: int
    modifiers: tuple[str, ...] = ()
    seat: int | None = None
    list_amount: int | None = None  # its price before a discount or comp, when shown

    @property
    def discount(self) -> int:
        return max((self.list_amount or 0) - self.amount, 0) if self.list_amount else 0


@dataclass(frozen=True)
class TaxRow:
    code: str  # the fiscal printer's tax group ("A")
    rate_bp: int
    net: int
    tax: int

    @property
    def gross(self) -> int:
        return self.net + self.tax


@dataclass(frozen=True)
class PaymentRow:
    tender: Tender
    amount: int
    tip: int
    tendered: int | None
    change: int
    refunded: int
    card_brand: str | None
    card_last4: str | None
    auth_code: str | None
    reference: str | None


@dataclass(frozen=True)
class BillDocument:
    """A pre-bill or a receipt, ready to render: no session, no request."""

    kind: Kind
    venue: VenueHeader
    currency: str
    locale: str  # the venue's: how money and dates are written
    language: str  # the words: "ro", "en"
    timezone: str
    at: datetime  # printed (pre-bill) or paid (receipt)
    check_id: int
    bill_id: int | None
    bill_number: int
    bill_count: int
    table: str | None
    check_name: str | None
    server: str | None
    guests: int
    lines: tuple[ItemLine, ...]
    tax: tuple[TaxRow, ...]
    total: int
    paid: int = 0  # of the total, so far
    due: int = 0
    tip: int = 0
    tips: tuple[tuple[int, int], ...] = ()  # suggested (basis points, amount)
    payments: tuple[PaymentRow, ...] = ()
    receipt_url: str | None = None
    copy: bool = False
    tax_inclusive: bool = True

    @property
    def change(self) -> int:
        return sum(p.change for p in self.payments)

    @property
    def refunded(self) -> int:
        return sum(p.refunded for p in self.payments)


# --- building it from the database ------------------------------------------------------


def prebill_document(session: Session, state: ops.CheckBills, number: int, *,
                     language: str | None = None, venue: Venue | None = None,
                     at: datetime | None = None) -> BillDocument:
    """The guest check of open bill ``number`` (it may be the rest bill nobody has used
    yet: it needs no row)."""
    venue = venue or get_venue(session)
    figure = figure_numbered(state, number)
    if figure.paid:
        raise Conflict(_("Bill %(number)s is paid: print its receipt.", number=number),
                       field="number", code="bill_paid")
    check = state.check
    lines = bill_lines(check, figure, venue, language_of(venue, language))
    return BillDocument(
        kind="prebill", **common_fields(session, venue, check, language),
        at=at or (figure.bill.printed_at if figure.bill and figure.bill.printed_at
                  else utcnow()),
        bill_id=figure.bill.id if figure.bill else None, bill_number=number,
        bill_count=len(state.bills), lines=tuple(reconciled(lines, figure.gross_by_rate)),
        tax=tax_rows(session, ((t.rate_bp, t.net, t.tax) for t in figure.tax)),
        total=figure.total, paid=state.paid_on(number), due=state.due_on(figure),
        tips=tuple((s["percent_bp"], s["amount"]) for s in ops.tip_suggestions(venue, figure)))


def receipt_document(session: Session, bill: Bill, *, language: str | None = None,
                     receipt_url: str | None = None, copy: bool = False,
                     venue: Venue | None = None) -> BillDocument:
    """The receipt of a paid bill, with the amounts it was paid at."""
    if bill.status is not BillStatus.PAID:
        raise Conflict(_("Bill %(number)s is not paid yet.", number=bill.number),
                       field="number", code="bill_not_paid")
    venue = venue or get_venue(session)
    check = session.get(Check, bill.check_id)
    gross = {entry["rate_bp"]: entry["net"] + entry["tax"] for entry in bill.tax or []}
    figure, count = figure_when_paid(session, check, bill, venue)
    lines = bill_lines(check, figure, venue, language_of(venue, language))
    payments = session.scalars(select(Payment).where(
        Payment.bill_id == bill.id, Payment.status == PaymentStatus.APPROVED)
        .order_by(Payment.id))
    rows = tuple(PaymentRow(p.tender, p.amount, p.tip, p.tendered, p.change, p.refunded,
                            p.card_brand, p.card_last4, p.auth_code, p.reference)
                 for p in payments)
    total = bill.total if bill.total is not None else sum(gross.values())
    return BillDocument(
        kind="receipt", **common_fields(session, venue, check, language),
        at=bill.paid_at or utcnow(), bill_id=bill.id, bill_number=bill.number,
        bill_count=count, lines=tuple(reconciled(lines, gross)),
        tax=tax_rows(session, ((e["rate_bp"], e["net"], e["tax"]) for e in bill.tax or [])),
        total=total, paid=total, due=0, tip=bill.tip, payments=rows,
        receipt_url=receipt_url, copy=copy)


def common_fields(session: Session, venue: Venue, check: Check,
                  language: str | None) -> dict[str, Any]:
    table = session.get(DiningTable, check.table_id) if check.table_id else None
    server = session.get(StaffMember, check.server_id) if check.server_id else None
    return {
        "venue": VenueHeader(venue.name, venue.address or "", venue.fiscal_code or "",
                             venue.receipt_header or "", venue.receipt_footer or "",
                             logo_of(session, venue)),
        "currency": venue.currency, "locale": venue.locale,
        "language": language_of(venue, language), "timezone": venue.timezone,
        "check_id": check.id, "table": table.name if table else None,
        "check_name": check.name, "server": server.name if server else None,
        "guests": check.guest_count, "tax_inclusive": venue.tax_mode is TaxMode.INCLUSIVE,
    }


def logo_of(session: Session, venue: Venue) -> Logo | None:
    if venue.logo_image_id is None:
        return None
    image = session.get(StoredImage, venue.logo_image_id)
    return Logo(image.sha256, image.content_type, image.data) if image else None


def language_of(venue: Venue, language: str | None) -> str:
    if language in LANGUAGES:
        return language
    venue_language = (venue.locale or "ro").split("_")[0]
    return venue_language if venue_language in LANGUAGES else "ro"


def figure_numbered(state: ops.CheckBills, number: int) -> BillFigures:
    figure = next((f for f in state.bills if f.number == number), None)
    if figure is None:
        raise NotFound(_("There is no bill %(number)s on this check.", number=number),
                       field="number")
    return figure


def figure_when_paid(session: Session, check: Check, bill: Bill,
                     venue: Venue) -> tuple[BillFigures, int]:
    """A paid bill's figures: its lines as it was paid with. (A bill paid before bills
    kept their lines has them worked out as the bills share the check with none of them
    paid, then brought to the amounts it was paid at: ``reconciled``.)"""
    rows = list(session.scalars(select(Bill).where(Bill.check_id == check.id)
                                .order_by(Bill.number)))
    if bill.lines is not None:
        paid = figure_bills(check, rows, venue.tax_mode)
        return next(f for f in paid if f.number == bill.number), len(rows)
    as_open = [SimpleNamespace(id=b.id, number=b.number, kind=b.kind, seat=b.seat,
                               fixed_amount=b.fixed_amount, status=BillStatus.OPEN,
                               portions=b.portions, tax=None) for b in rows]
    figures = figure_bills(check, as_open, venue.tax_mode)  # type: ignore[arg-type]
    figure = next((f for f in figures if f.number == bill.number), None)
    return figure or BillFigures(bill=None, number=bill.number, kind=bill.kind,
                                 seat=bill.seat, paid=True), len(rows)


def bill_lines(check: Check, figure: BillFigures, venue: Venue,
               language: str) -> list[ItemLine]:
    """The bill's part of each line (the same line's portions taken together), in the
    order the lines were ordered."""
    by_id = {line.id: line for line in check.lines}
    totals = {t.line_id: t for t in check_totals(check, venue.tax_mode).lines}
    merged: dict[int, BillLine] = {}
    for bill_line in figure.lines:
        if bill_line.line_id not in by_id:
            continue
        held = merged.get(bill_line.line_id)
        merged[bill_line.line_id] = bill_line if held is None else BillLine(
            held.line_id, held.fraction + bill_line.fraction, held.amount + bill_line.amount)
    out = []
    for line_id in sorted(merged):
        line, part = by_id[line_id], merged[line_id]
        line_total = totals.get(line_id)
        reduced = line_total is not None and (line_total.comp or line_total.discount)
        list_amount = None
        if reduced and venue.tax_mode is TaxMode.INCLUSIVE:
            list_amount = divide_rounded(line.gross * part.fraction.numerator,
                                         part.fraction.denominator)
        out.append(ItemLine(
            line_id=line_id, name=name_in(line.names, language),
            quantity=part.fraction * line.quantity, amount=part.amount,
            rate_bp=line.tax_rate_bp, seat=line.seat, list_amount=list_amount,
            modifiers=tuple(name_in(m.get("names") or {}, language)
                            for m in line.modifiers or ())))
    return out


def name_in(names: dict[str, str], language: str) -> str:
    return names.get(language) or names.get("ro") or next(iter(names.values()), "")


def reconciled(lines: Sequence[ItemLine], gross_by_rate: dict[int, int]) -> list[ItemLine]:
    """The lines with amounts that add up, per tax rate, to the bill's gross at that rate.

    Shares of a line pooled over even parts are rounded down, a fixed-amount bill holds
    no line at all, and a paid bill's lines are worked out again: each rate's gross is
    shared over its lines by their amounts (largest remainder), and a rate with no line
    gets one line, "share of the check"."""
    out: list[ItemLine] = []
    for rate in sorted(set(gross_by_rate) | {line.rate_bp for line in lines}, reverse=True):
        at_rate = [line for line in lines if line.rate_bp == rate]
        gross = gross_by_rate.get(rate, 0)
        weights = [max(line.amount, 0) for line in at_rate]
        if at_rate and sum(weights):
            shares = split_by_weights(gross, weights)
            out += [replace(line, amount=share, list_amount=(
                line.list_amount if line.list_amount and line.list_amount >= share else None))
                for line, share in zip(at_rate, shares, strict=True)]
        elif at_rate and not gross:
            out += at_rate
        elif gross:
            out += [line for line in at_rate]
            out.append(ItemLine(line_id=None, name="", quantity=Fraction(1), amount=gross,
                                rate_bp=rate))
    return sorted(out, key=lambda line: (line.line_id is None, line.line_id or 0))


def tax_rows(session: Session, entries: Iterable[tuple[int, int, int]]) -> tuple[TaxRow, ...]:
    codes = tax_codes(session)
    return tuple(TaxRow(codes.get(rate, ""), rate, net, tax)
                 for rate, net, tax in sorted(entries, reverse=True))


def tax_codes(session: Session) -> dict[int, str]:
    """Each rate's tax group on the fiscal printer ("A" for 21 %): an active rate's code
    first, else any rate's with that percentage."""
    codes: dict[int, str] = {}
    for rate in session.scalars(select(TaxRate).order_by(TaxRate.active.desc(), TaxRate.id)):
        if rate.code and rate.rate_bp not in codes:
            codes[rate.rate_bp] = rate.code
    return codes


# --- which printer ------------------------------------------------------------------------


def receipt_printer(session: Session, actor: Actor, printer_id: int | None = None) -> Printer:
    """Where this actor's pre-bills and receipts print: the printer asked for; else the
    one at the cashier's open shift (their till, whose drawer it kicks); else the venue's
    receipt printer (``Venue.receipt_printer_id``). Refuses (409) when there is none."""
    if printer_id is not None:
        printer = session.get(Printer, printer_id)
        if printer is None or not printer.active:
            raise NotFound(_("There is no such printer."), field="printer_id")
        return printer
    printer = find_receipt_printer(session, actor)
    if printer is None:
        raise Conflict(_("No receipt printer is set up: choose one in the venue's settings."),
                       field="printer_id", code="no_receipt_printer")
    return printer


def find_receipt_printer(session: Session, actor: Actor) -> Printer | None:
    """The till's receipt printer for ``actor``, or None (a payment still stands when
    there is no printer to print its receipt on)."""
    if actor.staff_id is not None:
        shift_printer = session.scalar(select(CashShift.printer_id).where(
            CashShift.cashier_id == actor.staff_id, CashShift.is_open.is_(True)))
        printer = session.get(Printer, shift_printer) if shift_printer else None
        if printer is not None and printer.active:
            return printer
    venue_printer = session.scalar(select(Venue.receipt_printer_id).where(Venue.id == 1))
    printer = session.get(Printer, venue_printer) if venue_printer else None
    return printer if printer is not None and printer.active else None


def printer_language(printer: Printer, venue: Venue) -> str:
    return language_of(venue, printer.language)


def queue_prebill(session: Session, state: ops.CheckBills, number: int, printer: Printer,
                  venue: Venue | None = None) -> PrintJob:
    venue = venue or get_venue(session)
    document = prebill_document(session, state, number, venue=venue,
                                language=printer_language(printer, venue))
    figure = figure_numbered(state, number)
    subject = f"bill:{figure.bill.id}" if figure.bill else f"check:{state.check.id}"
    job = queue_print(session, printer.id, "document", paper_document(document, printer.width),
                      subject=subject)
    session.flush()  # its id, for the answer
    return job


def queue_receipt(session: Session, bill: Bill, printer: Printer, *, receipt_url: str | None,
                  copy: bool = False, venue: Venue | None = None) -> PrintJob:
    """The customer receipt of a paid bill on ``printer`` (``copy``: a reprint, headed so)."""
    venue = venue or get_venue(session)
    document = receipt_document(session, bill, venue=venue, receipt_url=receipt_url,
                                copy=copy, language=printer_language(printer, venue))
    job = queue_print(session, printer.id, "document", paper_document(document, printer.width),
                      subject=f"bill:{bill.id}")
    session.flush()
    return job


def receipt_url(base_url: str, token: str) -> str:
    """The e-receipt's address (``/r/<token>``, ``pos.payments.receipt_views``)."""
    return f"{base_url.rstrip('/')}/r/{token}"


def public_receipt_url(token: str) -> str:
    """The receipt's address as the guest's phone reaches it: ``MASA_RECEIPT_BASE_URL``
    (the venue's public address) if set, else the address the till's request came to."""
    base = current_app.config.get("MASA_RECEIPT_BASE_URL") or (
        request.url_root if has_request_context() else "http://masa.local/")
    return receipt_url(base, token)


# --- words and numbers ------------------------------------------------------------------


class Words:
    """How a document writes its amounts, rates, times and tenders (its venue's locale);
    the words themselves are gettext's, in the language forced around the rendering."""

    def __init__(self, document: BillDocument, separator: str = " · ") -> None:
        self.doc = document
        self.separator = separator  # paper's code page has no "·"

    def money(self, amount: int) -> str:
        return format_money(amount, self.doc.currency, self.doc.locale).replace("\xa0", " ")

    def rate(self, rate_bp: int) -> str:
        return format_decimal(Decimal(rate_bp) / 100, locale=self.doc.locale) + " %"

    def quantity(self, quantity: Fraction) -> str:
        return str(quantity.numerator) if quantity.denominator == 1 else str(quantity)

    def when(self, moment: datetime) -> str:
        try:
            zone = ZoneInfo(self.doc.timezone)
        except (KeyError, ValueError):
            zone = ZoneInfo("UTC")
        return format_datetime(moment, "short", tzinfo=zone, locale=self.doc.locale)

    def item(self, line: ItemLine) -> str:
        name = line.name or _("Share of the check")
        return f"{self.quantity(line.quantity)} × {name}"

    def title(self) -> str:
        if self.doc.kind == "prebill":
            return _("Guest check")
        return _("Receipt")

    def where(self) -> list[str]:
        """Table (or tab) and bill n of m; server and guests; check number and time."""
        doc = self.doc
        first = [_("Table %(table)s", table=doc.table) if doc.table else (doc.check_name or "")]
        if doc.bill_count > 1:
            first.append(_("Bill %(number)s of %(count)s", number=doc.bill_number,
                           count=doc.bill_count))
        second = [_("Server: %(name)s", name=doc.server) if doc.server else "",
                  _("Guests: %(count)s", count=doc.guests) if doc.guests else ""]
        third = [_("Check %(number)s", number=doc.check_id), self.when(doc.at)]
        rows = (self.separator.join(part for part in row if part)
                for row in (first, second, third))
        return [row for row in rows if row]

    def tender(self, payment: PaymentRow) -> str:
        labels = {Tender.CASH: _("Cash"), Tender.CARD: _("Card"), Tender.VOUCHER: _("Voucher"),
                  Tender.ROOM: _("Room charge")}
        text = labels.get(payment.tender, str(payment.tender))
        if payment.tender is Tender.CARD and (payment.card_brand or payment.card_last4):
            text += " " + " ".join(part for part in (
                payment.card_brand, f"**** {payment.card_last4}" if payment.card_last4 else None)
                if part)
        elif payment.reference:
            text += f" {payment.reference}"
        return text

    def tax_row(self, row: TaxRow, *, short: bool = False) -> str:
        """"A VAT 21 % of 178,00 RON"; ``short`` (narrow paper): "A VAT 21 %"."""
        group = f"{row.code} " if row.code else ""
        if short:
            return _("%(group)sVAT %(rate)s", group=group, rate=self.rate(row.rate_bp))
        return _("%(group)sVAT %(rate)s of %(gross)s", group=group, rate=self.rate(row.rate_bp),
                 gross=self.money(row.gross))

    def tip_suggestion(self, percent_bp: int) -> str:
        return self.rate(percent_bp)


# --- (a) paper: the print queue's "document" job -------------------------------------------


def paper_document(document: BillDocument, width: int = 42) -> dict[str, Any]:
    """The ``"document"`` print job for a printer ``width`` characters wide, in the
    document's language."""
    with force_locale(document.language):
        return _paper(document, Words(document, separator=" - "), max(width, 24))


def _paper(doc: BillDocument, words: Words, width: int) -> dict[str, Any]:
    money = words.money
    lines: list[dict[str, Any]] = []
    add = lines.append
    if doc.copy:
        add({"text": f" {_('COPY')} ", "size": "double", "align": "center", "invert": True})
        add({})
    if doc.venue.logo is not None:
        add({"image": doc.venue.logo.paper})
    big = "double" if len(doc.venue.name) * 2 <= width else "tall"
    add({"text": doc.venue.name, "size": big, "align": "center", "bold": True})
    if doc.venue.address:
        add({"text": doc.venue.address, "align": "center"})
    if doc.venue.fiscal_code:
        add({"text": _("Fiscal code: %(code)s", code=doc.venue.fiscal_code), "align": "center"})
    if doc.venue.header_lines:
        add({})
        lines.extend({"text": text, "align": "center"} for text in doc.venue.header_lines)
    add({"rule": True})
    add({"text": words.title().upper(), "size": "tall", "align": "center", "bold": True})
    for text in words.where():
        add({"text": text, "align": "center"})
    add({"rule": True})
    for line in doc.lines:
        add({"text": words.item(line), "right": money(line.list_amount or line.amount)})
        for modifier in line.modifiers:
            add({"text": f"  + {modifier}"})
        if line.discount:
            add({"text": "  " + _("Discount"), "right": money(-line.discount)})
    add({"rule": "="})
    add({"text": _("TOTAL"), "right": money(doc.total), "size": "tall", "bold": True})
    if doc.tax:
        add({"text": _("Tax included:") if doc.tax_inclusive else _("Tax:")})
        for row in doc.tax:
            add({"text": "  " + words.tax_row(row, short=width < 40), "right": money(row.tax)})
    add({"rule": True})
    if doc.kind == "prebill":
        if doc.paid:
            add({"text": _("Paid so far"), "right": money(doc.paid)})
            add({"text": _("DUE"), "right": money(doc.due), "size": "tall", "bold": True})
        if doc.tips:
            add({})
            add({"text": _("Suggested tip:")})
            for percent_bp, amount in doc.tips:
                add({"text": "  " + words.tip_suggestion(percent_bp), "right": money(amount)})
        add({})
        add({"text": _("NOT A FISCAL RECEIPT"), "align": "center", "bold": True})
        add({})
        add_footer(lines, doc)
        return {"lines": lines, "cut": True}
    if doc.tip:
        add({"text": _("Tip"), "right": money(doc.tip)})
    add({"text": _("PAID"), "right": money(doc.total + doc.tip), "size": "tall", "bold": True})
    for payment in doc.payments:
        add({"text": "  " + words.tender(payment), "right": money(payment.amount + payment.tip)})
        if payment.auth_code:
            add({"text": "    " + _("Authorisation %(code)s", code=payment.auth_code)})
        if payment.tendered is not None and payment.tendered != payment.amount + payment.tip:
            add({"text": "    " + _("Tendered"), "right": money(payment.tendered)})
        if payment.refunded:
            add({"text": "    " + _("Refunded"), "right": money(-payment.refunded)})
        if payment.tender is Tender.ROOM:  # the voucher the guest signs on paper
            add({})
            add({"text": "    " + _("Guest's signature, charged to the room:")})
            add({})
            add({"text": "    " + "_" * (width - 8)})
    if doc.change:
        add({"text": pgettext("cash", "Change"), "right": money(doc.change), "size": "tall",
             "bold": True})
    add({})
    add({"text": _("The fiscal receipt is issued by the fiscal printer."), "align": "center"})
    add({"text": _("Thank you!"), "align": "center", "bold": True})
    add_footer(lines, doc)
    document: dict[str, Any] = {"lines": lines, "cut": True}
    if doc.receipt_url:
        document["qr"] = {"data": doc.receipt_url, "size": 6 if width >= 42 else 4,
                          "caption": _("This receipt online")}
    return document


def add_footer(lines: list[dict[str, Any]], doc: BillDocument) -> None:
    if doc.venue.footer_lines:
        lines.append({})
        lines.extend({"text": text, "align": "center"} for text in doc.venue.footer_lines)


# --- (b) the page and (c) the PDF ------------------------------------------------------------


def render_html(document: BillDocument, *, for_pdf: bool = False,
                pdf_url: str | None = None) -> str:
    """``templates/receipts/receipt.html`` for ``document`` in its language; ``for_pdf``
    leaves out what only a browser uses (the stylesheet link, the language links)."""
    with force_locale(document.language):
        return render_template("receipts/receipt.html", doc=document, words=Words(document),
                               qr=qr_svg(document.receipt_url) if document.receipt_url else None,
                               for_pdf=for_pdf, pdf_url=pdf_url)


def render_pdf(document: BillDocument) -> bytes:
    """The page as a PDF (A4, DejaVu Sans, the system's font: no @font-face to load),
    written by WeasyPrint: about 0.2 s once its stylesheets are parsed."""
    from weasyprint import HTML

    html = render_html(document, for_pdf=True)
    return HTML(string=html, base_url=str(ROOT / "static")).write_pdf(
        stylesheets=pdf_stylesheets())


@lru_cache(maxsize=1)
def pdf_stylesheets() -> list[Any]:
    """Parsed once per process."""
    from weasyprint import CSS

    return [CSS(filename=str(RECEIPT_CSS)), CSS(string=PDF_PAGE_CSS)]


@lru_cache(maxsize=256)
def qr_svg(data: str) -> Markup:
    """The QR code of ``data`` as inline SVG (no script, no request: the page's CSP holds)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8,
                        border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return Markup(svg)
