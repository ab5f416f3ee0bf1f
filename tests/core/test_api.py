"""The API's conventions: validation with the field named, nothing half-written,
idempotent creating POSTs, the OpenAPI document, and the health check."""

from __future__ import annotations

import re
import threading
import uuid

import pytest
from factories import make_staff, signed_in
from openapi_spec_validator import validate
from sqlalchemy import func, select, text

import pos.models  # noqa: F401
from pos.core.auth import Role
from pos.core.db import Base
from pos.menu.models import MenuItem


def row_counts(db) -> dict[str, int]:
    with db.reading() as session:
        return {name: session.scalar(select(func.count()).select_from(table))
                for name, table in Base.metadata.tables.items()}


def valid_item(**changes):
    item = {"category_id": 1, "number": 9001, "names": {"ro": "Supă nouă", "en": "New soup"},
            "price": 2450, "allergens": ["celery"]}
    item.update(changes)
    return {k: v for k, v in item.items() if v is not ...}


@pytest.fixture
def manager(app, db):
    return signed_in(app, make_staff(db, Role.MANAGER))


@pytest.mark.parametrize(("body", "field", "status"), [
    (valid_item(price=-1), "price", 422),
    (valid_item(price=12.5), "price", 422),
    (valid_item(price=12.0), "price", 422),
    (valid_item(price="2450"), "price", 422),
    (valid_item(price=10**12), "price", 422),
    (valid_item(number="12"), "number", 422),
    (valid_item(category_id=...), "category_id", 422),
    (valid_item(names={"ro": "x" * 81}), "names.ro", 422),
    (valid_item(names={}), "names", 422),
    (valid_item(allergens=["gluten", "kryptonite"]), "allergens", 422),
    (valid_item(colour="red"), "colour", 422),
    (valid_item(category_id=999), "category_id", 422),
    (valid_item(number=101), "number", 409),
])
def test_bad_input_names_the_field_and_writes_nothing(manager, db, body, field, status):
    before = row_counts(db)
    response = manager.post("/api/v1/menu/items", json=body)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["field"] == field
    assert error["code"] and error["message"]
    assert row_counts(db) == before


def test_a_malformed_body_is_refused(manager, db):
    before = row_counts(db)
    response = manager.post("/api/v1/menu/items", data='{"price": 1',
                            content_type="application/json")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["code"], error["field"]) == ("malformed_json", "body")
    response = manager.post("/api/v1/menu/items", data="price=1",
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.get_json()["error"]["field"] == "Content-Type"
    assert row_counts(db) == before


def test_a_valid_item_is_created(manager, db):
    response = manager.post("/api/v1/menu/items", json=valid_item())
    assert response.status_code == 201
    assert response.get_json()["price"] == 2450
    with db.reading() as session:
        assert session.scalar(select(MenuItem).where(MenuItem.number == 9001)).names["ro"] == \
            "Supă nouă"


def test_a_replayed_post_returns_the_first_answer_and_creates_nothing_new(manager, db):
    key = str(uuid.uuid4())
    first = manager.post("/api/v1/menu/items", json=valid_item(), headers={"Idempotency-Key": key})
    before = row_counts(db)
    again = manager.post("/api/v1/menu/items", json=valid_item(), headers={"Idempotency-Key": key})
    assert again.status_code == first.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert row_counts(db) == before


def test_a_key_reused_for_another_request_is_refused(manager):
    key = str(uuid.uuid4())
    manager.post("/api/v1/menu/items", json=valid_item(), headers={"Idempotency-Key": key})
    response = manager.post("/api/v1/menu/items", json=valid_item(number=9002),
                            headers={"Idempotency-Key": key})
    assert response.status_code == 409
    assert response.get_json()["error"]["field"] == "Idempotency-Key"


def test_a_malformed_idempotency_key_is_refused(manager, db):
    before = row_counts(db)
    response = manager.post("/api/v1/menu/items", json=valid_item(),
                            headers={"Idempotency-Key": "x"})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "Idempotency-Key"
    assert row_counts(db) == before


def test_a_failed_request_does_not_burn_its_key(manager):
    key = str(uuid.uuid4())
    refused = manager.post("/api/v1/menu/items", json=valid_item(category_id=999),
                           headers={"Idempotency-Key": key})
    assert refused.status_code == 422
    retried = manager.post("/api/v1/menu/items", json=valid_item(),
                           headers={"Idempotency-Key": key})
    assert retried.status_code == 201


def test_a_double_tap_from_two_threads_creates_one_item(app, db):
    """Both requests race with the same key; one creates, the other gets the same answer."""
    key = str(uuid.uuid4())
    manager = make_staff(db, Role.MANAGER)
    clients = [signed_in(app, manager), signed_in(app, manager)]
    answers = []
    barrier = threading.Barrier(2)

    def tap(client):
        barrier.wait()
        answers.append(client.post("/api/v1/menu/items", json=valid_item(),
                                   headers={"Idempotency-Key": key}))

    threads = [threading.Thread(target=tap, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].get_json() == answers[1].get_json()
    with db.reading() as session:
        assert session.scalar(select(func.count()).where(MenuItem.number == 9001)) == 1


def test_the_openapi_document_is_valid_and_covers_every_route(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    api_rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
                 for rule in app.url_map.iter_rules()
                 if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")}
    assert api_rules == set(document["paths"])
    item = document["paths"]["/api/v1/menu/items"]["post"]
    assert item["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/NewMenuItem")
    assert any(p["name"] == "Idempotency-Key" for p in item["parameters"])
    schema = document["components"]["schemas"]["NewMenuItem"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["price"]["minimum"] == 0


def test_an_unknown_api_route_answers_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_wrong_method_answers_json(client):
    response = client.put("/api/v1/session", json={})
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_health_reports_the_database_and_the_message_queue(client):
    health = client.get("/healthz").get_json()
    assert health["ok"] is True
    assert health["database"]["ok"] is True
    assert health["message_queue"]["ok"] is True


def test_health_fails_when_the_message_queue_is_unreachable(app, client):
    app.config["MASA_MESSAGE_QUEUE"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["message_queue"]["ok"] is False


def test_sqlite_runs_in_wal_mode_with_foreign_keys(db):
    if not db.is_sqlite:
        pytest.skip("SQLite only")
    with db.reading() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
