"""Configuration: defaults, then ``instance/config.py``, then ``MASA_*`` environment variables.

The secret key is never hard-coded: the first start writes a random one into the
instance folder and every later start reads it back, so sessions survive restarts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "MASA_DATABASE_URL": None,  # None: SQLite in the instance folder
    "MASA_MESSAGE_QUEUE": None,  # e.g. redis://127.0.0.1:6379/0 when several processes serve
    "MASA_MESSAGE_QUEUE_CHANNEL": "masa",  # one per venue when venues share a Redis
    "MASA_LOCALE": "ro_RO",
    "MASA_CURRENCY": "RON",
    "MASA_TIMEZONE": "Europe/Bucharest",
    "MASA_DEMO": True,  # create the demo venue on a first start with an empty database
    # The card terminal (ZVT): host[:port], a serial device (/dev/ttyUSB0[:baud]), or
    # "simulator" for a simulated one in the process; None: no card payments.
    "MASA_CARD_TERMINAL": None,
    # An external hotel PMS over FIAS: host:port, or "simulator" for a simulated one in the
    # process (the demo's guests); None: Masa's own folios take room charges.
    "MASA_PMS": None,
    "MASA_PMS_WORKSTATION": "MASA1",  # how this till names itself to the PMS (WS)
    # Where guests' phones reach the e-receipt (its QR code): else the till's own address.
    "MASA_RECEIPT_BASE_URL": None,
    "MASA_EVENT_RETENTION_HOURS": 48,
    # A retried request finds its first answer this long (a tablet back after an outage).
    "MASA_IDEMPOTENCY_KEEP_HOURS": 48,
    "MASA_RETENTION_SWEEP_SECONDS": 300,  # how often old events and keys are deleted; 0: never
    "MASA_PIN_MAX_FAILURES": 5,  # wrong PINs in a row on one PIN pad before it locks
    "MASA_PIN_LOCK_SECONDS": 30,  # doubles with each further lock, up to an hour
    # Wrong PINs one network address may make in a sliding window, whatever else it does:
    # a correct PIN does not reset it, so knowing one PIN buys no more guesses.
    "MASA_PIN_ADDRESS_FAILURES": 20,
    "MASA_PIN_ADDRESS_WINDOW_SECONDS": 3600,
    "MASA_MAX_REQUEST_BYTES": 1024 * 1024,  # a larger request body is refused (413)
    "MASA_PROXIES": 0,  # TLS proxies in front of Masa whose X-Forwarded-* to trust
    "MASA_SECURE_COOKIES": False,  # cookies only over HTTPS: set it when behind TLS
    "MASA_MAX_CONNECTIONS": 1000,  # open connections the server holds at once (screens too)
    "MASA_IDLE_CONNECTION_SECONDS": 75,  # a connection quiet this long is closed
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
    "JSON_SORT_KEYS": False,
}

ENVIRONMENT_KEYS = (
    "MASA_DATABASE_URL",
    "MASA_SECRET_KEY",
    "MASA_MESSAGE_QUEUE",
    "MASA_MESSAGE_QUEUE_CHANNEL",
    "MASA_LOCALE",
    "MASA_CURRENCY",
    "MASA_TIMEZONE",
    "MASA_DEMO",
    "MASA_CARD_TERMINAL",
    "MASA_PMS",
    "MASA_PMS_WORKSTATION",
    "MASA_RECEIPT_BASE_URL",
    "MASA_MAX_REQUEST_BYTES",
    "MASA_PROXIES",
    "MASA_SECURE_COOKIES",
    "MASA_MAX_CONNECTIONS",
    "MASA_IDLE_CONNECTION_SECONDS",
    "MASA_IDEMPOTENCY_KEEP_HOURS",
    "MASA_RETENTION_SWEEP_SECONDS",
)

SECRET_KEY_FILE = "secret_key"


def load_config(config: dict[str, Any], instance_path: str, test_config: dict | None) -> None:
    """Fill ``config`` (a Flask config) in the documented order of precedence."""
    config.update(DEFAULTS)
    instance_file = Path(instance_path) / "config.py"
    if test_config is None and instance_file.exists():
        values: dict[str, Any] = {}
        exec(compile(instance_file.read_text(), str(instance_file), "exec"), values)
        config.update({k: v for k, v in values.items() if k.isupper()})
    for key in ENVIRONMENT_KEYS:
        if key in os.environ:
            config[key] = _parse_env(os.environ[key])
    if test_config:
        config.update(test_config)
    if not config.get("MASA_DATABASE_URL"):
        config["MASA_DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "masa.sqlite")
    config["SECRET_KEY"] = config.get("MASA_SECRET_KEY") or read_or_create_secret_key(instance_path)


def _parse_env(value: str) -> Any:
    lowered = value.strip().lower()
    if lowered in ("0", "false", "no", "off"):
        return False
    if lowered in ("1", "true", "yes", "on"):
        return True
    return value


def read_or_create_secret_key(instance_path: str) -> str:
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
