"""Languages: each staff member's own, else the venue's. Romanian and English ship."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, request
from flask_babel import Babel, get_locale
from flask_babel import gettext as _

from pos.core.auth import SESSION_ENDED, Role, current_actor

LANGUAGES = ("ro", "en")
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    actor = current_actor()
    if actor is not None and actor.language in LANGUAGES:
        return actor.language
    asked = request.args.get("lang") if request else None
    if asked in LANGUAGES:
        return asked
    ended = g.get(SESSION_ENDED)  # speak to the one whose sign-in just ended
    if ended and ended.get("language") in LANGUAGES:
        return ended["language"]
    return current_app.config["MASA_LOCALE"].split("_")[0]


def init_i18n(app: Flask) -> None:
    Babel(app, locale_selector=select_locale,
          default_translation_directories=str(TRANSLATIONS))
    app.context_processor(lambda: {"locale": str(get_locale() or "en"), "languages": LANGUAGES,
                                   "role_label": role_label, "role_labels": role_labels,
                                   "pin_entry_strings": pin_entry_strings})


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


def pin_entry_strings() -> dict[str, str]:
    """What a PIN entry (static/js/keypad.js) says, in the current language."""
    return {
        "wrong_pin": _("Wrong PIN."),
        "too_short": _("A PIN is 4 to 6 digits."),
        "locked": _("Too many wrong PINs. Try again in %(seconds)s s.", seconds="{seconds}"),
        "unlocked": _("You can try again."),
        "checking": _("Checking…"),
        "offline": _("Masa cannot be reached. Check the Wi-Fi and try again."),
        "failed": _("Something went wrong. Try again."),
        "digits": _("Digits typed: %(count)s", count="{count}"),
    }


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
