"""The web's doors: writes only as JSON from this origin, bounded requests and ids, safe
redirects, and the headers that keep pages from being framed, sniffed or fed scripts.

A browser can post a form or ``text/plain`` to any site without asking it first; it
cannot send ``application/json`` (or a custom header) across origins without a CORS
preflight, which Masa never grants. So every state-changing request must be JSON (or
carry ``X-Masa-Request``), and one that names another origin is refused outright.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from pos.core.api import MAX_ID
from pos.core.errors import Forbidden, InvalidInput

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CUSTOM_HEADER = "X-Masa-Request"

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class BoundedId(IntegerConverter):
    """``<int:…>`` in a URL: an id too large for any table is simply not found (404)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_security(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedId
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MASA_MAX_REQUEST_BYTES"])
    if app.config.get("MASA_PROXIES"):
        # Behind a TLS proxy: trust its X-Forwarded-For/-Proto/-Host for this many hops,
        # so the throttle sees the tablet's address and the origin check sees https.
        hops = int(app.config["MASA_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if app.config.get("MASA_SECURE_COOKIES"):
        app.config["SESSION_COOKIE_SECURE"] = True
    app.before_request(refuse_cross_site_writes)
    app.after_request(add_security_headers)


def refuse_cross_site_writes() -> None:
    if request.method not in STATE_CHANGING or request.routing_exception is not None:
        return  # a path or method that does not exist is answered 404 or 405 as it is
    if not (request.is_json or request.headers.get(CUSTOM_HEADER)):
        raise InvalidInput(_("Send the request as JSON (Content-Type: application/json)."),
                           field="Content-Type", code="unsupported_media_type", status=415)
    origin = request.headers.get("Origin")
    if origin is not None and origin != own_origin():
        raise Forbidden(_("Requests from another site are refused."), field="Origin",
                        code="cross_origin")
    if origin is None and request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        raise Forbidden(_("Requests from another site are refused."), field="Origin",
                        code="cross_origin")


def own_origin() -> str:
    return f"{request.scheme}://{request.host}"


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.mimetype == "application/json":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def safe_next(url: str | None) -> str:
    """Where to go after the PIN: a path on this server, else the start page.

    Browsers read ``/\\host`` and ``/<tab>/host`` as another site, so any backslash,
    control character or white space refuses the whole address."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return "/"
    if any(ch == "\\" or ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return "/"
    return url

