"""The HTTP API's conventions, in one decorator.

``@api_route`` checks the actor's permission, validates the body (and query) with a
pydantic schema, runs the handler inside one write transaction, honours an
``Idempotency-Key`` (or a ``client_id`` in the body) on creating POSTs, and turns
errors into ``{"error": {"code", "message", "field"}}``. The same registry of routes
and schemas generates the OpenAPI 3 document, so the document cannot drift.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Annotated, Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import JSON, String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from pos.core.auth import Actor, Permission, current_actor, require
from pos.core.db import Base, Database, utcnow
from pos.core.errors import Conflict, InvalidInput, MasaError

API_PREFIX = "/api/v1"
IDEMPOTENCY_HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{8,100}$")


class Schema(BaseModel):
    """A request body: unknown fields, wrong types and coercions are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_nul_character(cls, value: Any) -> Any:
        """PostgreSQL cannot keep U+0000 in text (the insert would fail), and no name, note
        or code needs it: it is refused here, naming the field."""
        if holds_nul(value):
            raise PydanticCustomError("nul_character", NUL_REFUSED)
        return value


NUL_REFUSED = "text may not contain the NUL character (U+0000)"


def holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    return False


class Out(BaseModel):
    """A response body, read from ORM objects or dicts."""

    model_config = ConfigDict(from_attributes=True)


class IdempotencyKey(Base):
    """The answer given to a creating request, replayed if the same request comes again."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def prune_idempotency_keys(session: Session, older_than: timedelta, *,
                           limit: int | None = None) -> int:
    """Forget the answers given more than ``older_than`` ago (at most ``limit``, oldest
    first): a request retried after that is a new request. The window outlasts any Wi-Fi
    outage a tablet retries through."""
    old = IdempotencyKey.created_at < utcnow() - older_than
    if limit is not None:
        old = IdempotencyKey.key.in_(select(IdempotencyKey.key).where(old)
                                     .order_by(IdempotencyKey.created_at).limit(limit))
    return session.execute(delete(IdempotencyKey).where(old)
                           .execution_options(synchronize_session=False)).rowcount


@dataclass
class ApiRoute:
    rule: str
    method: str
    summary: str
    permission: Permission | None
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    idempotent: bool
    tag: str
    many: bool = False  # the response is a list of ``response``
    # The operation itself is idempotent on the body's client_id (a send, a new check):
    # only an explicit Idempotency-Key header goes through the generic key table.
    operation_idempotent: bool = False
    waits_on_device: bool = False  # runs without the write lock (see ``api_route``)


ROUTES: list[ApiRoute] = []


def current_db() -> Database:
    return current_app.extensions["masa_db"]


def api_route(blueprint: Blueprint, rule: str, *, method: str = "GET", summary: str,
              permission: Permission | None, body: type[BaseModel] | None = None,
              query: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
              many: bool = False, status: int = 200, idempotent: bool | None = None,
              tag: str | None = None, endpoint: str | None = None,
              operation_idempotent: bool = False, waits_on_device: bool = False) -> Callable:
    """Register ``handler(session, actor, body=..., query=..., **path)`` as an API route.

    A handler returns the response object, or returns (or raises, flagged
    ``keep_writes``) a ``MasaError`` to answer with that error while still committing
    what it wrote (a failed PIN attempt must be counted and audited).

    ``waits_on_device``: the handler waits on a device's answer (a card terminal's end of
    day), so it gets a reading session, never the write lock that would hold every order
    meanwhile; it records what it learnt in a transaction of its own, afterwards.
    """
    idempotent = method == "POST" if idempotent is None else idempotent
    route = ApiRoute(rule=(blueprint.url_prefix or "") + rule, method=method, summary=summary,
                     permission=permission, body=body, query=query, response=response,
                     status=status, idempotent=idempotent, tag=tag or blueprint.name, many=many,
                     operation_idempotent=operation_idempotent,
                     waits_on_device=waits_on_device)
    ROUTES.append(route)

    def decorator(handler: Callable) -> Callable:
        @wraps(handler)
        def view(**path: Any) -> Response | tuple[Response, int]:
            actor = require(permission) if permission else current_actor()
            for name, value in path.items():
                if holds_nul(value):
                    raise InvalidInput(f"'{name}': {NUL_REFUSED}.", field=name)
            kwargs: dict[str, Any] = dict(path)
            if body is not None:
                kwargs["body"] = parse_body(body)
            if query is not None:
                kwargs["query"] = parse_query(query)
            return run_in_transaction(route, handler, actor, kwargs)

        blueprint.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method])
        return handler

    return decorator


def run_in_transaction(route: ApiRoute, handler: Callable, actor: Actor | None,
                       kwargs: dict[str, Any]) -> Response | tuple[Response, int]:
    if route.method == "GET" or route.waits_on_device:
        return run_reading(route, handler, actor, kwargs)
    body = None if route.operation_idempotent else kwargs.get("body")
    key = idempotency_key(body) if route.idempotent else None
    with current_db().transaction() as session:
        claim = None
        if key:
            claim, first_time = claim_idempotency_key(session, key, request_fingerprint(actor))
            if not first_time:
                return replayed_response(claim)
        try:
            result = handler(session=session, actor=actor, **kwargs)
        except MasaError as refusal:
            if not refusal.keep_writes:
                raise
            result = refusal
        if isinstance(result, MasaError):
            if claim is not None:
                session.delete(claim)  # an error is not remembered: a retry runs again
            return error_response(result)
        payload = serialize(route.response, result, route.many)
        if claim is not None:
            claim.status, claim.response = route.status, payload
    return jsonify(payload), route.status


def run_reading(route: ApiRoute, handler: Callable, actor: Actor | None,
                kwargs: dict[str, Any]) -> Response | tuple[Response, int]:
    """A GET reads without the write lock: on SQLite (WAL) readers never wait for the
    writer, so a kitchen screen reloading its tickets holds no send behind it."""
    with current_db().reading() as session:
        result = handler(session=session, actor=actor, **kwargs)
        if isinstance(result, Response):  # already serialized (a cached snapshot)
            return result, route.status
        payload = serialize(route.response, result, route.many)
    return jsonify(payload), route.status


def serialize(model: type[BaseModel] | None, result: Any, many: bool = False) -> Any:
    if model is None:
        return result if result is not None else {}
    if many:
        return [model.model_validate(item).model_dump(mode="json") for item in result]
    return model.model_validate(result).model_dump(mode="json")


def parse_body(model: type[BaseModel]) -> BaseModel:
    if not request.is_json:
        raise InvalidInput(_("Send a JSON body (Content-Type: application/json)."), field="body",
                           code="unsupported_media_type", status=415)
    try:
        return model.model_validate_json(request.get_data() or b"")
    except ValidationError as error:
        raise validation_error(error) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    try:
        values = {k: v for k, v in request.args.items()}
        return model.model_validate(values, strict=False)
    except ValidationError as error:
        raise validation_error(error) from None


def validation_error(error: ValidationError) -> InvalidInput:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "body"
    if first["type"] == "json_invalid":
        return InvalidInput(f"The body is not valid JSON: {first['msg']}.", field="body",
                            code="malformed_json", status=400)
    if first["type"] == "extra_forbidden":
        return InvalidInput(f"Unknown field '{location}'.", field=location, code="unknown_field")
    if first["type"] == "missing":
        return InvalidInput(f"'{location}' is required.", field=location, code="missing")
    return InvalidInput(f"'{location}': {first['msg']}.", field=location)


def idempotency_key(body: BaseModel | None) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None and body is not None:
        key = getattr(body, "client_id", None)
        if key is not None:
            key = str(key)
    if key is None:
        return None
    if not KEY_PATTERN.match(key):
        raise InvalidInput(_("An idempotency key is 8–100 letters, digits, '-' or '_'."),
                           field=IDEMPOTENCY_HEADER)
    return key


def request_fingerprint(actor: Actor | None) -> str:
    who = f"{actor.staff_id}:{actor.device_id}" if actor else "-"
    raw = b"\n".join([request.method.encode(), request.path.encode(), who.encode(),
                      request.get_data() or b""])
    return hashlib.sha256(raw).hexdigest()


def claim_idempotency_key(session: Session, key: str,
                          fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """The row for ``key`` and whether this request is the first to bring it.

    The row is written before the handler runs: a second identical request racing
    on PostgreSQL waits on it until the first commits, then reads the first's answer.
    """
    earlier = session.get(IdempotencyKey, key)
    if earlier is None:
        claim = IdempotencyKey(key=key, request_hash=fingerprint, status=0, response={})
        try:
            with session.begin_nested():
                session.add(claim)
        except IntegrityError:
            earlier = session.get(IdempotencyKey, key, populate_existing=True)
        else:
            return claim, True
    if earlier.request_hash != fingerprint:
        raise Conflict(_("This idempotency key was used for a different request."),
                       field=IDEMPOTENCY_HEADER, code="idempotency_key_reused")
    return earlier, False


def replayed_response(earlier: IdempotencyKey) -> tuple[Response, int]:
    response = jsonify(earlier.response)
    response.headers["Idempotent-Replayed"] = "true"
    return response, earlier.status


def error_response(error: MasaError) -> tuple[Response, int]:
    response = jsonify(error.to_dict())
    if hasattr(error, "retry_after"):
        response.headers["Retry-After"] = str(error.retry_after)
    return response, error.status



Amount = Annotated[int, Field(ge=0, le=10**11, description="Minor units (bani, cents)")]
"""A money amount in a request: a whole, non-negative number of minor units."""

MAX_ID = 2**31 - 1
"""Every id a request names fits a 32-bit column; a larger one is refused, not overflowed."""
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


MAX_RANGE_DAYS = 3 * 366  # three years at most in one report


class DayRange(Schema):
    """Business days from ``first`` to ``last`` (the venue's calendar), for a report."""

    first: date = Field(description="The first business day (venue time), YYYY-MM-DD")
    last: date = Field(description="The last business day, included")

    @field_validator("last")
    @classmethod
    def within_range(cls, last: date, info: ValidationInfo) -> date:
        first = info.data.get("first")
        if first is not None and last < first:
            raise ValueError("the last day comes before the first")
        if first is not None and (last - first).days + 1 > MAX_RANGE_DAYS:
            raise ValueError(f"a report covers at most {MAX_RANGE_DAYS} days")
        return last
