"""The EU allergens' names as screens show them, translated (one list for every screen)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pos.menu.models import ALLERGENS

ALLERGEN_NAMES = {
    "gluten": _l("Gluten"), "crustaceans": _l("Crustaceans"), "eggs": _l("Eggs"),
    "fish": _l("Fish"), "peanuts": _l("Peanuts"), "soy": _l("Soy"), "milk": _l("Milk"),
    "nuts": _l("Nuts"), "celery": _l("Celery"), "mustard": _l("Mustard"),
    "sesame": _l("Sesame"), "sulphites": _l("Sulphites"), "lupin": _l("Lupin"),
    "molluscs": _l("Molluscs"),
}
assert set(ALLERGEN_NAMES) == set(ALLERGENS)


def allergen_strings() -> dict[str, str]:
    """``{"allergen_gluten": "Gluten", …}`` in the page's language, for a page's strings."""
    return {f"allergen_{code}": str(name) for code, name in ALLERGEN_NAMES.items()}
