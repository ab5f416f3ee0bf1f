"""Languages: each staff member's own, else the venue's. Romanian and English ship."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request
from flask_babel import Babel, get_locale
from flask_babel import gettext as _

from pos.core.auth import Role, current_actor

LANGUAGES = ("ro", "en")
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    actor = current_actor()
    if actor is not None and actor.language in LANGUAGES:
        return actor.language
    asked = request.args.get("lang") if request else None
    if asked in LANGUAGES:
        return asked
    return current_app.config["MASA_LOCALE"].split("_")[0]


def init_i18n(app: Flask) -> None:
    Babel(app, locale_selector=select_locale,
          default_translation_directories=str(TRANSLATIONS))
    app.context_processor(lambda: {"locale": str(get_locale() or "en"), "languages": LANGUAGES,
                                   "role_label": role_label, "role_labels": role_labels})


def role_labels() -> dict[str, str]:
    """What each role is called on screen, in the current language."""
    labels = {
        Role.WAITER: _("Waiter"),
        Role.BARTENDER: _("Bartender"),
        Role.HOST: _("Host"),
        Role.CASHIER: _("Cashier"),
        Role.KITCHEN: _("Kitchen"),
        Role.FRONT_DESK: _("Front desk"),
        Role.MANAGER: _("Manager"),
        Role.ADMIN: _("Admin"),
    }
    return {role.value: label for role, label in labels.items()}


def role_label(role: Role | str) -> str:
    return role_labels().get(str(role), str(role))


def current_language(default: str = "ro") -> str:
    """The language of the screen being served (for names picked inside operations)."""
    from flask_babel import get_locale

    try:
        locale = get_locale()
    except RuntimeError:  # outside a request: the CLI, a benchmark
        locale = None
    return locale.language if locale else default
