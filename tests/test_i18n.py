"""Romanian and English: which language a page or an API error speaks, and the catalogues."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from factories import Person, make_staff

from pos.core.auth import Permission, Role
from pos.core.i18n import LANGUAGES, TRANSLATIONS, role_labels
from pos.staff.web import require_page
from pos.web import SCREENS, lan_address, print_welcome

WRONG = "0000"  # nobody's: Masa makes 6-digit PINs


@pytest.fixture
def ana(db) -> Person:
    """A waiter who works in Romanian."""
    return make_staff(db, Role.WAITER, language="ro")


@pytest.fixture
def john(db) -> Person:
    """A waiter who works in English."""
    return make_staff(db, Role.WAITER, language="en")


def html_lang(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True)).group(1)


def page_strings(response) -> dict:
    text = response.get_data(as_text=True)
    blob = re.search(r'<script type="application/json" id="strings">(.*?)</script>', text, re.S)
    return json.loads(blob.group(1))


def signed_in(client, pin: str):
    response = client.post("/api/v1/session", json={"pin": pin})
    assert response.status_code == 200, response.get_json()
    return client


def test_start_page_speaks_romanian_by_default(client, a_screen_not_built_yet):
    response = client.get("/")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html_lang(response) == "ro"
    assert "Bistro Masa" in text
    for title in ("Tabletă ospătar", "Ecran bucătărie", "Casierie", "Administrare",
                  "Recepție hotel", "Tastatură PIN"):
        assert title in text
    assert all(screen.ready for screen in SCREENS)
    not_built = [a_screen_not_built_yet]
    assert text.count("În curând") == len(not_built)  # what is not built yet says so
    assert 'href="/healthz"' in text and 'href="/api/v1/openapi.json"' in text


def test_start_page_in_english_when_asked(client, a_screen_not_built_yet):
    response = client.get("/?lang=en")
    text = response.get_data(as_text=True)
    assert html_lang(response) == "en"
    assert "Waiter tablet" in text and "Coming soon" in text and "PIN pad" in text
    assert "În curând" not in text
    assert 'href="/signin?lang=en"' in text  # the PIN pad keeps the language asked for


def test_pin_pad_speaks_romanian_by_default_and_english_when_asked(client):
    response = client.get("/signin?next=/office")
    assert response.status_code == 200
    assert html_lang(response) == "ro"
    assert "Introduceți PIN-ul" in response.get_data(as_text=True)
    strings = page_strings(response)
    assert strings["pin"]["wrong_pin"] == "PIN greșit."
    assert strings["pin"]["locked"] == ("Prea multe PIN-uri greșite. Încercați din nou în "
                                        "{seconds} s.")
    assert strings["roles"]["waiter"] == "Ospătar"

    response = client.get("/signin?next=/office&lang=en")
    assert html_lang(response) == "en"
    assert "Enter your PIN" in response.get_data(as_text=True)
    assert page_strings(response)["pin"]["wrong_pin"] == "Wrong PIN."
    assert page_strings(response)["roles"]["waiter"] == "Waiter"


@pytest.mark.parametrize(("lang", "asked"), [("en", "ro"), ("ro", "en")])
def test_a_signed_in_staff_members_language_wins(client, db, lang, asked):
    signed_in(client, make_staff(db, Role.WAITER, language=lang).pin)
    for path in ("/signin", "/"):
        response = client.get(f"{path}?lang={asked}")
        assert html_lang(response) == lang, path


def test_the_pads_language_follows_fast_switching(client, ana, john):
    signed_in(client, john.pin)
    assert html_lang(client.get("/signin")) == "en"
    signed_in(client, ana.pin)
    assert html_lang(client.get("/signin")) == "ro"
    client.delete("/api/v1/session", json={})
    assert html_lang(client.get("/signin")) == "ro"  # the venue's language again


def test_a_wrong_pin_is_refused_in_the_pads_language(client):
    response = client.post("/api/v1/session", json={"pin": WRONG})
    assert response.status_code == 401
    assert response.get_json() == {"error": {"code": "wrong_pin", "message": "PIN greșit.",
                                             "field": "pin"}}

    response = client.post("/api/v1/session?lang=en", json={"pin": WRONG})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Wrong PIN."


def test_a_wrong_pin_on_a_pad_signed_in_in_english_answers_in_english(client, john):
    signed_in(client, john.pin)
    response = client.post("/api/v1/session", json={"pin": WRONG})
    assert response.get_json()["error"] == {"code": "wrong_pin", "message": "Wrong PIN.",
                                            "field": "pin"}


def test_the_lock_message_is_translated(client):
    for _attempt in range(4):
        client.post("/api/v1/session", json={"pin": WRONG})
    response = client.post("/api/v1/session", json={"pin": WRONG})
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "locked"
    assert error["message"] == "Prea multe PIN-uri greșite. Încercați din nou în 30 s."
    assert error["retry_after"] == 30


def test_the_forbidden_page_speaks_the_staff_members_language(app, client, ana, john):
    def office_only():
        return require_page(Permission.OFFICE_VIEW) or "office"

    app.add_url_rule("/office-only", view_func=office_only)
    signed_in(client, ana.pin)
    response = client.get("/office-only?table=7")
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert html_lang(response) == "ro"
    assert "Rolul dumneavoastră nu poate deschide acest ecran" in text
    assert f"{ana.name} (Ospătar)" in text
    assert 'href="/signin?next=/office-only?table%3D7"' in text

    signed_in(client, john.pin)
    text = client.get("/office-only").get_data(as_text=True)
    assert "Your role may not open this screen" in text
    assert f"{john.name} is signed in as Waiter." in text


def test_every_role_has_a_name_on_screen(app):
    for language in LANGUAGES:
        with app.test_request_context(f"/?lang={language}"):
            app.preprocess_request()
            labels = role_labels()
            assert set(labels) == {role.value for role in Role}
            assert all(labels.values())


def test_the_console_lists_only_screens_that_work(app, capsys):
    print_welcome(app, "0.0.0.0", 5000)
    out = capsys.readouterr().out
    address = lan_address()  # other devices cannot open localhost
    assert f"http://{address}:5000/signin" in out
    for screen in SCREENS:
        assert (f"{address}:5000{screen.path} " in out) == screen.ready


# The catalogues: what is committed is what the app reads.

CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def read_catalogue(po: Path):
    with po.open("rb") as handle:
        return read_po(handle, locale=po.parent.parent.name)


def test_both_languages_ship():
    assert {po.parent.parent.name for po in CATALOGUES} == set(LANGUAGES)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parent.parent.name)
def test_each_mo_is_its_po_compiled(po):
    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(po))
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `flask --app app translations compile`"
    assert mo.read_bytes() == compiled.getvalue(), (
        f"{mo} is stale: run `flask --app app translations compile` and commit it")


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parent.parent.name)
def test_no_entry_is_fuzzy_or_has_broken_placeholders(po):
    catalogue = read_catalogue(po)
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert fuzzy == [], f"{po}: check these and remove their '#, fuzzy' flag"
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalogue.check()]
    assert problems == []


def test_every_romanian_entry_is_translated():
    catalogue = read_catalogue(TRANSLATIONS / "ro" / "LC_MESSAGES" / "messages.po")
    untranslated = [m.id for m in catalogue
                    if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
    assert untranslated == [], "translate these in pos/translations/ro/LC_MESSAGES/messages.po"
    assert len(catalogue) > 50


def test_the_kitchen_screen_speaks_the_cooks_language(client, db):
    signed_in(client, make_staff(db, Role.KITCHEN, language="ro").pin)
    response = client.get("/kitchen/grill")
    assert response.status_code == 200
    assert html_lang(response) == "ro"
    text = response.get_data(as_text=True)
    assert "Grătar" in text and "Total de făcut" in text and "readu ultimul" in text
    strings = page_strings(response)
    assert (strings["bump"], strings["rush"], strings["void"], strings["allergen_milk"]) == (
        "Gata", "Urgent", "Stornat", "Lapte")
    assert strings["tickets_n"] == {"one": "{count} bon", "few": "{count} bonuri",
                                    "other": "{count} de bonuri"}
    response = client.get("/kitchen/expo?lang=en")
    assert html_lang(response) == "ro"  # the signed-in cook's language wins
    assert page_strings(response)["ready"] == "Gata de servit"
    signed_in(client, make_staff(db, Role.ADMIN, language="en").pin)
    response = client.get("/kitchen/expo")
    assert html_lang(response) == "en" and "At the pass" in response.get_data(as_text=True)
    strings = page_strings(response)
    assert (strings["ready"], strings["bump"], strings["rush"]) == ("Ready", "Bump", "Rush")


def test_the_tablets_ready_notice_is_translated(client, ana, john):
    signed_in(client, john.pin)
    strings = page_strings(client.get("/tablet"))
    assert strings["ready_table"] == "Table {table} — {course} ready"
    assert strings["state_food_ready"] == "Food ready"
    signed_in(client, ana.pin)
    strings = page_strings(client.get("/tablet"))
    assert strings["ready_table"] == "Masa {table} — {course} gata"
    assert strings["picked_up"] == "Am preluat"
