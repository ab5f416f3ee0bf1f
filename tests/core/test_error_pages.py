"""Pages for 404, 405 and 500 in the screen's language, with a way back; the API keeps
answering JSON that names what is wrong."""

from __future__ import annotations

import re

import pytest
from factories import make_staff, signed_in

from pos.core.auth import Role


def heading(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True), re.S).group(1)


def actions(response) -> dict[str, str]:
    """The page's ways back: {data-action: href}."""
    found = re.findall(r'href="([^"]*)" data-action="(\w+)"', response.get_data(as_text=True))
    return {action: href for href, action in found}


def test_a_screen_not_built_yet_says_so_in_the_screens_language(client, a_screen_not_built_yet):
    path = a_screen_not_built_yet.path  # announced as the back office once was
    ro, en = "Ecranul „Administrare” nu este încă disponibil", "Back office is not available yet"
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert heading(response) == ro
    assert '<html lang="ro" ' in response.get_data(as_text=True)
    assert actions(response) == {"start": "/"}
    english = client.get(path + "?lang=en")
    assert english.status_code == 404
    assert heading(english) == en


def test_an_unknown_path_gets_a_page_with_the_way_to_the_start_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert heading(response) == "Această pagină nu există"
    assert "Eroare 404" in response.get_data(as_text=True)
    assert actions(response)["start"] == "/"
    assert "Werkzeug" not in response.get_data(as_text=True)


def test_a_page_speaks_the_signed_in_staff_members_language(app, db):
    english_waiter = signed_in(app, make_staff(db, Role.WAITER, language="en"))
    assert heading(english_waiter.get("/no-such-page")) == "This page does not exist"


def test_an_unknown_station_leads_back_to_the_list_of_stations(app, db):
    cook = signed_in(app, make_staff(db, Role.KITCHEN, language="en"))
    response = cook.get("/kitchen/no-such-station")
    assert response.status_code == 404
    assert actions(response) == {"screen": "/kitchen", "start": "/"}
    assert "Back to Kitchen display" in response.get_data(as_text=True)


def test_the_page_the_screen_came_from_is_offered_only_if_it_is_masas_own(client):
    came_from = client.get("/nope", headers={"Referer": "http://localhost/tablet#/check/3"})
    assert actions(came_from)["back"] == "/tablet"
    elsewhere = client.get("/nope", headers={"Referer": "http://evil.example/tablet"})
    assert "back" not in actions(elsewhere)


def test_a_wrong_method_on_a_page_gets_a_page(client):
    response = client.post("/", data="x", headers={"X-Masa-Request": "1"})
    assert response.status_code == 405
    assert heading(response) == "Această pagină nu se poate deschide așa"


@pytest.fixture
def failing_app(app):
    """The app with a page and an API route that fail as a bug would."""
    def fail():
        raise RuntimeError("secret detail of the failure")

    app.add_url_rule("/broken", "broken", fail)
    app.add_url_rule("/api/v1/broken", "api_broken", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_a_failing_page_gets_a_500_page_that_offers_to_try_again(failing_app):
    response = failing_app.test_client().get("/broken?lang=en")
    assert response.status_code == 500
    assert heading(response) == "Something went wrong on the server"
    assert actions(response) == {"retry": "/broken?lang=en", "start": "/"}
    assert "secret detail" not in response.get_data(as_text=True)


def test_a_failing_api_route_answers_json_without_the_details(failing_app):
    response = failing_app.test_client().get("/api/v1/broken")
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert error["code"] == "internal_server_error"
    assert "secret detail" not in error["message"]


def test_an_unknown_api_route_answers_json_naming_it(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found"
    assert "GET /api/v1/no-such-thing" in error["message"]


def test_a_wrong_api_method_answers_json_naming_the_methods_it_takes(client):
    response = client.put("/api/v1/session", json={})
    assert response.status_code == 405
    message = response.get_json()["error"]["message"]
    assert "PUT /api/v1/session" in message
    assert "POST" in message and "DELETE" in message
