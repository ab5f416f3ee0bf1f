"""Languages: each staff member's own, else the venue's. Romanian and English ship."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request
from flask_babel import Babel

from pos.core.auth import current_actor

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
