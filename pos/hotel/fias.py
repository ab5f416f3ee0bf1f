"""Masa's link to a hotel PMS (Opera, Suite8, Fidelio) over FIAS, Oracle Hospitality's
Fidelio Interface Application Specification, on TCP: Masa is the interface and connects,
the PMS listens.

Framing. Every record travels as ``STX <record> ETX`` (02 … 03); on TCP there is no LRC.
A record is a two-letter record type, ``|``, then fields, each a two-character field id
followed by its value and ended by ``|``: ``LS|DA261201|TI134501|``. Dates are YYMMDD,
times HHMMSS, amounts integers in minor units.

Link. Masa sends Link Start (LS); the PMS answers LS; Masa then describes itself with
Link Description (LD) and one Link Record (LR) per record type it sends or wants, and
ends the description with Link Alive (LA); the PMS's LA brings the link up. Masa then
asks for a database resync (DR), which the PMS answers with DS, one GI per in-house
guest, and DE. Each side sends LA when it has been quiet; a PMS that says nothing at all
for ``FiasTimeouts.alive`` is taken for gone and the link is built again. An LS from the
PMS at any time restarts the description.

Guests. GI (guest in), GO (guest out) and GC (guest change; a room move carries the old
room in RO) keep an in-house cache, room → guests. It answers who may be charged.

Postings. A room charge is a Posting Request (PR) carrying a posting sequence number
(P#), answered by a Posting Answer (PA) with the same P# and an answer status (AS). An
inquiry is a PR with PI (room number or name), answered by a Posting List (PL). Postings
go out one at a time, in P# order, from a durable ``PostingStore``; one whose PA never
came is sent again, byte for byte with the same P#, after the link is rebuilt, so that
the PMS can recognise it. NA (night audit) and RY (retry) hold the queue and are sent
again after ``FiasTimeouts.retry``; OK posts; every other status refuses.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

log = logging.getLogger(__name__)

STX, ETX = b"\x02", b"\x03"
MAX_RECORD = 8192  # bytes; a longer run without ETX is noise
POLL = 0.05  # seconds between looks at the queue and the clocks

ANSWER_TEXTS = {
    "OK": "posted",
    "NG": "guest not found",
    "NP": "no posting allowed for this guest",
    "CO": "guest has checked out",
    "DM": "posting denied by the PMS",
    "NA": "night audit in progress, try later",
    "RY": "PMS busy, try again",
    "UR": "request the PMS cannot process",
}
RETRY_STATUSES = frozenset({"NA", "RY"})

# Field lists Masa announces in its Link Records (LR): what it sends and what it reads.
LINK_RECORDS: tuple[tuple[str, str], ...] = (
    ("PR", "P#PIRNG#GNTAPTSOCKT#WS" + "".join(f"S{n}T{n}D{n}" for n in range(1, 10))
     + "TPSCDATI"),
    ("PA", "ASP#RNG#CTWSDATI"),
    ("PL", "P#RNG#GNGFWSDATI"),
    ("GI", "RNG#GNGFGLGAGDGSNPDATI"),
    ("GO", "RNG#GSDATI"),
    ("GC", "RNROG#GNGFGLGAGDGSNPDATI"),
    ("DR", "DATI"),
    ("DS", "DATI"),
    ("DE", "DATI"),
)


class FiasError(Exception):
    """The PMS could not be asked, or did not answer."""


class LinkDown(FiasError):
    """The FIAS link to the PMS is not up."""


class NotInHouse(FiasError):
    """The guest is not in house by the PMS's last word: the charge may not go to the room."""


class MalformedRecord(ValueError):
    """Bytes between STX and ETX that are not a FIAS record."""


# --- records and framing ----------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    """One FIAS record: its type and its fields in the order they came (a field id may
    repeat, as in a Posting List with one group per guest)."""

    kind: str
    fields: tuple[tuple[str, str], ...] = ()

    def get(self, field_id: str, default: str | None = None) -> str | None:
        for name, value in self.fields:
            if name == field_id:
                return value
        return default

    def all(self, field_id: str) -> list[str]:
        return [value for name, value in self.fields if name == field_id]


def _clean(value: object) -> str:
    """A value as it may travel: no field separator, no control characters."""
    return "".join(" " if ch < " " else ch for ch in str(value)).replace("|", "/")


def build(kind: str, fields: Iterable[tuple[str, object]] = ()) -> str:
    parts = [kind] + [f"{name}{_clean(value)}" for name, value in fields if value is not None]
    return "|".join(parts) + "|"


def frame(record: str, encoding: str = "cp1252") -> bytes:
    return STX + record.encode(encoding, errors="replace") + ETX


def _is_id(text: str) -> bool:
    return len(text) == 2 and all(ch.isupper() or ch.isdigit() or ch == "#" for ch in text)


def parse(text: str) -> Record:
    """A record's text (without STX/ETX); ``MalformedRecord`` if it is not one."""
    kind, bar, rest = text.partition("|")
    if not (bar and len(kind) == 2 and kind.isalpha() and kind.isupper()):
        raise MalformedRecord(f"no record type: {text[:40]!r}")
    if rest and not rest.endswith("|"):
        raise MalformedRecord(f"last field not ended by '|': {text[-40:]!r}")
    fields = []
    for part in rest.split("|")[:-1] if rest else []:
        if not part:
            continue
        if len(part) < 2 or not _is_id(part[:2]):
            raise MalformedRecord(f"bad field {part[:20]!r} in {kind}")
        fields.append((part[:2], part[2:]))
    return Record(kind, tuple(fields))


class FrameReader:
    """Cuts a byte stream into records: what lies outside STX … ETX is dropped, an STX
    inside a frame starts it again."""

    def __init__(self, encoding: str = "cp1252") -> None:
        self.encoding = encoding
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[str]:
        self._buffer += data
        records = []
        while True:
            start = self._buffer.find(STX)
            if start < 0:
                self._buffer.clear()
                return records
            del self._buffer[:start]
            end = self._buffer.find(ETX)
            restart = self._buffer.find(STX, 1)
            if 0 < restart < (end if end >= 0 else len(self._buffer)):
                log.warning("FIAS: frame without ETX dropped")
                del self._buffer[:restart]
                continue
            if end < 0:
                if len(self._buffer) > MAX_RECORD:
                    log.warning("FIAS: %d bytes without ETX dropped", len(self._buffer))
                    self._buffer.clear()
                return records
            records.append(bytes(self._buffer[1:end]).decode(self.encoding, errors="replace"))
            del self._buffer[:end + 1]


def stamp(at: datetime) -> list[tuple[str, str]]:
    return [("DA", at.strftime("%y%m%d")), ("TI", at.strftime("%H%M%S"))]


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%y%m%d").date()
    except ValueError:
        log.warning("FIAS: date %r is not YYMMDD", value)
        return None


# --- guests -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FiasGuest:
    """An in-house guest as the PMS describes them (GI, GC, PL)."""

    room: str
    guest_number: str  # G#, the PMS's reservation number
    name: str = ""  # GN
    first_name: str | None = None  # GF
    language: str | None = None  # GL
    arrival: date | None = None  # GA
    departure: date | None = None  # GD
    sharer: bool = False  # GS: shares the room with the main guest
    no_post: bool = False  # NP: the PMS refuses charges to this guest

    @property
    def may_charge(self) -> bool:
        return not self.no_post


def guest_from(record: Record, base: FiasGuest | None = None) -> FiasGuest:
    """The guest a GI or GC describes; a GC changes only the fields it carries."""
    def text(field_id: str, old: str | None) -> str | None:
        value = record.get(field_id)
        return old if value is None else value

    def flag(field_id: str, old: bool) -> bool:
        value = record.get(field_id)
        return old if value is None else value.strip().upper() in ("Y", "1")

    old = base or FiasGuest(room="", guest_number="")
    arrival, departure = record.get("GA"), record.get("GD")
    return FiasGuest(
        room=text("RN", old.room) or "",
        guest_number=text("G#", old.guest_number) or "",
        name=text("GN", old.name) or "",
        first_name=text("GF", old.first_name),
        language=text("GL", old.language),
        arrival=old.arrival if arrival is None else _date(arrival),
        departure=old.departure if departure is None else _date(departure),
        sharer=flag("GS", old.sharer),
        no_post=flag("NP", old.no_post),
    )


def guests_from_list(record: Record) -> list[FiasGuest]:
    """The guests of a Posting List. The specification lists several guests with ``^``
    between the entries of each field (``RN101^102|G#7^8|GNA^B``); some PMS instead repeat
    the RN/G#/GN group: both are read."""
    rooms = record.all("RN")
    if len(rooms) > 1:
        guests = []
        current: dict[str, str] = {}
        for name, value in record.fields:
            if name == "RN" and current:
                guests.append(current)
                current = {}
            if name in ("RN", "G#", "GN", "GF"):
                current[name] = value
        guests.append(current)
        return [FiasGuest(room=g.get("RN", ""), guest_number=g.get("G#", ""),
                          name=g.get("GN", ""), first_name=g.get("GF")) for g in guests]
    columns = {name: (record.get(name) or "").split("^") for name in ("RN", "G#", "GN", "GF")}
    count = max(len(columns["RN"]), len(columns["G#"]), len(columns["GN"]))

    def at(name: str, index: int) -> str:
        values = columns[name]
        return values[index] if index < len(values) else values[-1] if len(values) == 1 else ""

    return [FiasGuest(room=at("RN", i), guest_number=at("G#", i), name=at("GN", i),
                      first_name=at("GF", i) or None)
            for i in range(count) if at("RN", i) or at("G#", i)]


# --- postings -----------------------------------------------------------------------------

@dataclass(frozen=True)
class FiasPosting:
    """One charge to a guest's folio. ``total`` (TA) is everything the folio gets, tip
    and service charge included; the rest is its breakdown, by the PMS's own subtotal
    (S1–S9), tax (T1–T9) and discount (D1–D9) buckets, as the venue maps them.
    ``at`` is when the sale happened; it goes out as DA/TI, the same on every re-send."""

    room: str
    guest_number: str
    total: int  # minor units
    guest_name: str | None = None
    posting_type: str = "C"  # PT: C, a direct charge
    sales_outlet: str | None = None  # SO
    check_number: str | None = None  # CK
    table: str | None = None  # T#
    subtotals: Mapping[int, int] = field(default_factory=dict)  # S1–S9
    taxes: Mapping[int, int] = field(default_factory=dict)  # T1–T9
    discounts: Mapping[int, int] = field(default_factory=dict)  # D1–D9
    tip: int | None = None  # TP
    service_charge: int | None = None  # SC
    at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def __post_init__(self) -> None:
        amounts = [self.total, self.tip, self.service_charge, *self.subtotals.values(),
                   *self.taxes.values(), *self.discounts.values()]
        if any(a is not None and (isinstance(a, bool) or not isinstance(a, int))
               for a in amounts):
            raise TypeError("FIAS amounts are integers in minor units")
        for buckets in (self.subtotals, self.taxes, self.discounts):
            if any(not 1 <= n <= 9 for n in buckets):
                raise ValueError("subtotal, tax and discount buckets are numbered 1 to 9")


def posting_request(p_number: int, posting: FiasPosting, workstation: str) -> str:
    fields: list[tuple[str, object]] = [
        ("P#", p_number), ("RN", posting.room), ("G#", posting.guest_number),
        ("GN", posting.guest_name), ("TA", posting.total), ("PT", posting.posting_type),
        ("SO", posting.sales_outlet), ("CK", posting.check_number), ("T#", posting.table),
        ("WS", workstation),
    ]
    for prefix, buckets in (("S", posting.subtotals), ("T", posting.taxes),
                            ("D", posting.discounts)):
        fields += [(f"{prefix}{n}", buckets[n]) for n in sorted(buckets)]
    fields += [("TP", posting.tip), ("SC", posting.service_charge), *stamp(posting.at)]
    return build("PR", fields)


def inquiry(room_or_name: str, workstation: str, at: datetime) -> str:
    return build("PR", [("PI", room_or_name), ("WS", workstation), *stamp(at)])


def link_description(at: datetime, version: str, interface_family: str) -> list[str]:
    """LD, one LR per record type, and the LA that ends the description."""
    return ([build("LD", [*stamp(at), ("V#", version), ("IF", interface_family)])]
            + [build("LR", [("RI", kind), ("FL", fields)]) for kind, fields in LINK_RECORDS]
            + [build("LA", stamp(at))])


@dataclass(frozen=True)
class PostingAnswer:
    p_number: int | None
    status: str
    text: str | None
    room: str | None = None
    guest_number: str | None = None


def posting_answer(record: Record) -> PostingAnswer:
    raw = (record.get("P#") or "").strip()
    status = (record.get("AS") or "").strip().upper()
    if not status:
        raise MalformedRecord("PA without an answer status")
    return PostingAnswer(p_number=int(raw) if raw.isdigit() else None, status=status,
                         text=record.get("CT") or None, room=record.get("RN"),
                         guest_number=record.get("G#"))


# --- the durable queue of postings ----------------------------------------------------------

class PostingStore(Protocol):
    """Where postings wait for the PMS; the database one must survive a restart.

    - ``add(posting)`` keeps a new posting and returns its P#: the next number, never
      reused, increasing in the order postings were added.
    - ``pending()`` lists ``(p_number, posting)`` for every posting without a final
      answer, in P# order (those held for a retry included).
    - ``answered(p_number, status, text)`` records the final answer: ``"OK"`` posted,
      any other status refused, with the PMS's clear text (or ``None``).
    - ``retry_later(p_number, until)`` notes that the PMS asked to be asked again (NA,
      RY) not before ``until`` (aware UTC); the posting stays pending.
    """

    def add(self, posting: FiasPosting) -> int: ...

    def pending(self) -> list[tuple[int, FiasPosting]]: ...

    def answered(self, p_number: int, status: str, text: str | None) -> None: ...

    def retry_later(self, p_number: int, until: datetime) -> None: ...


@dataclass
class StoredPosting:
    posting: FiasPosting
    status: str | None = None
    text: str | None = None
    retry_until: datetime | None = None


class MemoryPostingStore:
    """A ``PostingStore`` in memory, for tests and the demo."""

    def __init__(self, first_number: int = 1) -> None:
        self._numbers = itertools.count(first_number)
        self._lock = threading.Lock()
        self.postings: dict[int, StoredPosting] = {}

    def add(self, posting: FiasPosting) -> int:
        with self._lock:
            number = next(self._numbers)
            self.postings[number] = StoredPosting(posting)
            return number

    def pending(self) -> list[tuple[int, FiasPosting]]:
        with self._lock:
            return [(number, stored.posting) for number, stored in sorted(self.postings.items())
                    if stored.status is None]

    def answered(self, p_number: int, status: str, text: str | None) -> None:
        with self._lock:
            stored = self.postings[p_number]
            stored.status, stored.text, stored.retry_until = status, text, None

    def retry_later(self, p_number: int, until: datetime) -> None:
        with self._lock:
            self.postings[p_number].retry_until = until

    def outcome(self, p_number: int) -> tuple[str, str | None] | None:
        with self._lock:
            stored = self.postings[p_number]
            return None if stored.status is None else (stored.status, stored.text)


# --- the client -----------------------------------------------------------------------------

@dataclass(frozen=True)
class FiasTimeouts:
    """Seconds. ``alive``: the PMS's longest silence before the link is rebuilt;
    ``answer``: the longest wait for a PA before the link is rebuilt and the posting
    sent again; ``retry``: the hold after NA or RY."""

    connect: float = 5.0
    handshake: float = 10.0
    heartbeat: float = 30.0
    alive: float = 90.0
    answer: float = 30.0
    retry: float = 60.0
    backoff_first: float = 1.0
    backoff_max: float = 60.0


class _LinkLost(Exception):
    pass


AnswerCallback = Callable[[int, str, "str | None"], None]
GuestsCallback = Callable[[frozenset[str]], None]


@dataclass
class _Inquiry:
    done: threading.Event = field(default_factory=threading.Event)
    guests: list[FiasGuest] = field(default_factory=list)
    error: FiasError | None = None


class FiasClient:
    """The FIAS link of one Masa server to one PMS, run by a background thread.

    ``on_answer(p_number, status, text)`` hears each posting's final answer (OK or a
    refusal; NA and RY are not final); ``on_guests_changed(rooms)`` hears which rooms'
    guests changed. Both are called on the link's thread and must not block.
    """

    def __init__(self, host: str, port: int, store: PostingStore, *, workstation: str,
                 on_guests_changed: GuestsCallback | None = None,
                 on_answer: AnswerCallback | None = None,
                 timeouts: FiasTimeouts = FiasTimeouts(), version: str = "1.0",
                 interface_family: str = "WW", encoding: str = "cp1252") -> None:
        self.host, self.port, self.store = host, port, store
        self.workstation = workstation
        self.on_guests_changed, self.on_answer = on_guests_changed, on_answer
        self.timeouts, self.version = timeouts, version
        self.interface_family, self.encoding = interface_family, encoding
        self._stopping = threading.Event()
        self._linked = threading.Event()
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._rooms: dict[str, dict[str, FiasGuest]] = {}
        self._resync: dict[str, dict[str, FiasGuest]] | None = None
        self._inquiry_lock = threading.Lock()
        self._inquiry: _Inquiry | None = None
        self._work = threading.Event()
        self._outstanding: tuple[int, float] | None = None  # P#, monotonic time sent
        self._state = "started"  # → "described" (LD/LR/LA sent) → "up" (the PMS's LA)
        self._heard = self._said = self._handshake_deadline = 0.0
        self._hold: dict[int, float] = {}  # P# → monotonic time before which it waits
        self._held_until = 0.0  # the queue's head waits until then
        self.resynced_at: datetime | None = None

    # --- life ---

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="fias-link", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the link with LE and stop the thread."""
        self._stopping.set()
        if self._linked.is_set():
            with contextlib.suppress(OSError, FiasError):
                self._send(build("LE", stamp(datetime.now())))
        sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def __enter__(self) -> FiasClient:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def link_up(self) -> bool:
        return self._linked.is_set()

    def wait_link_up(self, timeout: float) -> bool:
        return self._linked.wait(timeout)

    # --- what the POS asks ---

    def in_house(self, room: str) -> list[FiasGuest]:
        with self._cache_lock:
            return list(self._rooms.get(room, {}).values())

    def all_in_house(self) -> list[FiasGuest]:
        """Every guest the PMS last said is in house, by room."""
        with self._cache_lock:
            return [guest for room in sorted(self._rooms)
                    for guest in self._rooms[room].values()]

    def guest_checked_out(self, room: str, guest_number: str | None = None) -> None:
        """Forget a guest (every guest of the room without ``guest_number``): no more
        charges go to them."""
        with self._cache_lock:
            self._check_out(self._rooms, room, guest_number)
            if self._resync is not None:
                self._check_out(self._resync, room, guest_number)
        self._tell_guests({room})

    def inquire(self, room_or_name: str, timeout: float) -> list[FiasGuest]:
        """Ask the PMS who may be charged (PR with PI → PL); ``[]`` when it knows no one."""
        if not self.link_up:
            raise LinkDown("the PMS link is down")
        with self._inquiry_lock:
            waiter = self._inquiry = _Inquiry()
            try:
                try:
                    self._send(inquiry(room_or_name, self.workstation, datetime.now()))
                except OSError as error:
                    raise LinkDown(f"the PMS link went down: {error}") from error
                if not waiter.done.wait(timeout):
                    raise FiasError(f"the PMS did not answer the inquiry for {room_or_name!r}")
            finally:
                self._inquiry = None
            if waiter.error is not None:
                raise waiter.error
            return waiter.guests

    def wake(self) -> None:
        """Postings were added to the store by someone else: send them when the link is up."""
        self._work.set()

    def post(self, posting: FiasPosting) -> int:
        """Queue a charge for the PMS and return its P#. Refused at once when the guest
        is not in house in that room by the PMS's last word."""
        with self._cache_lock:
            guest = self._rooms.get(posting.room, {}).get(posting.guest_number)
        if guest is None:
            raise NotInHouse(f"guest {posting.guest_number} is not in house in room "
                             f"{posting.room}")
        if posting.guest_name is None:
            posting = replace(posting, guest_name=guest.name)
        p_number = self.store.add(posting)
        self._work.set()
        return p_number

    # --- the link's thread ---

    def _run(self) -> None:
        backoff = self.timeouts.backoff_first
        while not self._stopping.is_set():
            try:
                sock = socket.create_connection((self.host, self.port),
                                                timeout=self.timeouts.connect)
            except OSError as error:
                log.info("FIAS: cannot reach the PMS at %s:%s: %s", self.host, self.port, error)
            else:
                was_up = self._converse(sock)
                if was_up:
                    backoff = self.timeouts.backoff_first
            if self._stopping.wait(backoff):
                break
            backoff = min(backoff * 2, self.timeouts.backoff_max)

    def _converse(self, sock: socket.socket) -> bool:
        """Run one connection until it is lost; whether the link came up on it."""
        self._sock, reader = sock, FrameReader(self.encoding)
        sock.settimeout(POLL)
        came_up = False
        now = time.monotonic()
        self._heard = self._said = now
        self._handshake_deadline = now + self.timeouts.handshake
        self._state = "started"
        try:
            self._send(build("LS", stamp(datetime.now())))
            while not self._stopping.is_set():
                self._keep_time()
                came_up = came_up or self.link_up
                try:
                    data = sock.recv(4096)
                except TimeoutError:
                    continue
                if not data:
                    raise _LinkLost("the PMS closed the connection")
                self._heard = time.monotonic()
                for text in reader.feed(data):
                    self._receive(text)
        except (_LinkLost, OSError) as error:
            if not self._stopping.is_set():
                log.warning("FIAS: link to %s:%s lost: %s", self.host, self.port, error)
        finally:
            self._linked.clear()
            self._sock = None
            self._outstanding = None
            with self._cache_lock:
                self._resync = None
            waiter = self._inquiry
            if waiter is not None:
                waiter.error = LinkDown("the PMS link went down")
                waiter.done.set()
            with contextlib.suppress(OSError):
                sock.close()
        return came_up

    def _keep_time(self) -> None:
        now = time.monotonic()
        if not self.link_up and now > self._handshake_deadline:
            raise _LinkLost("no link start from the PMS")
        if now - self._heard > self.timeouts.alive:
            raise _LinkLost(f"nothing from the PMS for {self.timeouts.alive:g} s")
        if not self.link_up:
            return
        if now - self._said >= self.timeouts.heartbeat:
            self._send(build("LA", stamp(datetime.now())))
        if self._outstanding is not None:
            if now - self._outstanding[1] > self.timeouts.answer:
                raise _LinkLost(f"no answer to posting {self._outstanding[0]}")
        else:
            self._send_next_posting(now)

    def _send_next_posting(self, now: float) -> None:
        if not self._work.is_set() or self._held_until > now:
            return
        self._work.clear()
        pending = self.store.pending()
        if not pending:
            return
        p_number, posting = pending[0]
        if self._hold.get(p_number, 0) > now:
            self._held_until = self._hold[p_number]
            self._work.set()
            return
        self._hold.pop(p_number, None)
        self._send(posting_request(p_number, posting, self.workstation))
        self._outstanding = (p_number, now)

    def _send(self, record: str) -> None:
        sock = self._sock
        if sock is None:
            raise LinkDown("not connected to the PMS")
        with self._send_lock:
            sock.sendall(frame(record, self.encoding))
        self._said = time.monotonic()
        log.debug("FIAS → %s", record)

    def _receive(self, text: str) -> None:
        log.debug("FIAS ← %s", text)
        try:
            record = parse(text)
            handler = self._handlers().get(record.kind)
            if handler is None:
                log.info("FIAS: record %s ignored", record.kind)
                return
            handler(record)
        except (MalformedRecord, ValueError) as error:
            log.warning("FIAS: malformed record ignored (%s): %r", error, text[:80])

    def _handlers(self) -> dict[str, Callable[[Record], None]]:
        return {"LS": self._on_link_start, "LA": self._on_link_alive,
                "LE": self._on_link_end, "DS": self._on_resync_start,
                "DE": self._on_resync_end, "GI": self._on_guest_in, "GO": self._on_guest_out,
                "GC": self._on_guest_change, "PA": self._on_posting_answer,
                "PL": self._on_posting_list}

    def _on_link_start(self, record: Record) -> None:
        self._linked.clear()
        self._state = "described"
        self._handshake_deadline = time.monotonic() + self.timeouts.handshake
        for text in link_description(datetime.now(), self.version, self.interface_family):
            self._send(text)

    def _on_link_alive(self, record: Record) -> None:
        """LA answers our description and brings the link up; an LA before the PMS
        answered our LS is taken as that answer."""
        if self._state == "up":
            return
        if self._state == "started":
            self._on_link_start(record)
            return
        self._state = "up"
        self._linked.set()
        self._work.set()
        log.info("FIAS: link to %s:%s up", self.host, self.port)
        self._send(build("DR", stamp(datetime.now())))

    def _on_link_end(self, record: Record) -> None:
        raise _LinkLost("the PMS ended the link (LE)")

    def _on_resync_start(self, record: Record) -> None:
        with self._cache_lock:
            self._resync = {}

    def _on_resync_end(self, record: Record) -> None:
        with self._cache_lock:
            if self._resync is None:
                return
            changed = set(self._rooms) | set(self._resync)
            self._rooms, self._resync = self._resync, None
        self.resynced_at = datetime.now(UTC)
        self._tell_guests(changed)

    def _on_guest_in(self, record: Record) -> None:
        guest = guest_from(record)
        if not guest.room:
            raise MalformedRecord("GI without a room number")
        with self._cache_lock:
            rooms = self._resync if self._resync is not None else self._rooms
            rooms.setdefault(guest.room, {})[guest.guest_number] = guest
        self._tell_guests({guest.room})

    def _on_guest_out(self, record: Record) -> None:
        room = record.get("RN")
        if not room:
            raise MalformedRecord("GO without a room number")
        self.guest_checked_out(room, record.get("G#") or None)

    def _on_guest_change(self, record: Record) -> None:
        room, old_room = record.get("RN"), record.get("RO") or None
        number = record.get("G#") or None
        if not room:
            raise MalformedRecord("GC without a room number")
        with self._cache_lock:
            for rooms in filter(None, (self._rooms, self._resync)):
                self._change(rooms, record, room, old_room or room, number)
        self._tell_guests({room, old_room or room})

    @staticmethod
    def _change(rooms: dict[str, dict[str, FiasGuest]], record: Record, room: str,
                old_room: str, number: str | None) -> None:
        moving = rooms.get(old_room, {})
        numbers = [number] if number else list(moving)
        for each in numbers:
            old = moving.pop(each, None)
            guest = guest_from(record, old) if old else guest_from(record)
            rooms.setdefault(room, {})[guest.guest_number] = guest
        if old_room in rooms and not rooms[old_room]:
            del rooms[old_room]

    @staticmethod
    def _check_out(rooms: dict[str, dict[str, FiasGuest]], room: str,
                   guest_number: str | None) -> None:
        guests = rooms.get(room, {})
        if guest_number is None:
            guests.clear()
        else:
            guests.pop(guest_number, None)
        if room in rooms and not guests:
            del rooms[room]

    def _on_posting_answer(self, record: Record) -> None:
        answer = posting_answer(record)
        outstanding = self._outstanding
        if outstanding is not None and answer.p_number == outstanding[0]:
            self._outstanding = None
            self._settle(answer)
            return
        waiter = self._inquiry
        if waiter is not None and answer.p_number is None:
            if answer.status != "NG":
                waiter.error = FiasError(f"inquiry refused: {answer.status} "
                                         f"{answer.text or ANSWER_TEXTS.get(answer.status, '')}")
            waiter.done.set()
            return
        log.warning("FIAS: answer %s for posting %s that is not outstanding ignored",
                    answer.status, answer.p_number)

    def _settle(self, answer: PostingAnswer) -> None:
        assert answer.p_number is not None
        text = answer.text or ANSWER_TEXTS.get(answer.status)
        self._work.set()
        if answer.status in RETRY_STATUSES:
            until = datetime.now(UTC) + timedelta(seconds=self.timeouts.retry)
            self._hold[answer.p_number] = time.monotonic() + self.timeouts.retry
            self.store.retry_later(answer.p_number, until)
            log.info("FIAS: posting %s held (%s %s)", answer.p_number, answer.status, text)
            return
        if answer.status not in ANSWER_TEXTS:
            text = answer.text or f"refused by the PMS ({answer.status})"
        self.store.answered(answer.p_number, answer.status, text)
        if self.on_answer is not None:
            try:
                self.on_answer(answer.p_number, answer.status, text)
            except Exception:
                log.exception("FIAS: on_answer failed for posting %s", answer.p_number)

    def _on_posting_list(self, record: Record) -> None:
        waiter = self._inquiry
        if waiter is None:
            log.info("FIAS: posting list nobody asked for ignored")
            return
        waiter.guests = guests_from_list(record)
        waiter.done.set()

    def _tell_guests(self, rooms: set[str]) -> None:
        if self.on_guests_changed is None:
            return
        try:
            self.on_guests_changed(frozenset(rooms))
        except Exception:
            log.exception("FIAS: on_guests_changed failed")
