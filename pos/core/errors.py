"""Errors that a screen or an integration can act on.

Operations raise these; the HTTP layer turns them into
``{"error": {"code", "message", "field"}}`` with the status they carry.
"""

from __future__ import annotations


class MasaError(Exception):
    status = 400
    code = "bad_request"
    # A refusal that must still commit what was written before it (a counted wrong PIN).
    keep_writes = False

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        if status:
            self.status = status

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class InvalidInput(MasaError):
    status = 422
    code = "invalid"


class NotSignedIn(MasaError):
    status = 401
    code = "not_signed_in"
    reason: str | None = None  # why a sign-in ended: idle, signed_out, pin_changed…

    def to_dict(self) -> dict:
        body = super().to_dict()
        if self.reason:
            body["error"]["reason"] = self.reason
        return body


class Forbidden(MasaError):
    status = 403
    code = "forbidden"


class NotFound(MasaError):
    status = 404
    code = "not_found"


class Conflict(MasaError):
    """The thing changed under the caller (a stale version, a reused idempotency key)."""

    status = 409
    code = "conflict"


class Locked(MasaError):
    status = 429
    code = "locked"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["retry_after"] = self.retry_after
        return body
