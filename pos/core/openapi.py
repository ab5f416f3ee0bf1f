"""The OpenAPI 3 document, generated from the routes and schemas that ``api_route`` holds."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from pos.core.api import IDEMPOTENCY_HEADER, KEY_PATTERN, MAX_ID, ROUTES, ApiRoute

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_ERROR_REF = {"$ref": "#/components/schemas/Error"}
# A write that carries nothing still goes as JSON: the server takes only JSON (or the
# X-Masa-Request header) as the app's own request, never a form posted from another site.
EMPTY_JSON_BODY = {"required": True, "description": "An empty JSON object ({}).",
                   "content": {"application/json": {"schema": {"type": "object"}}}}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
                "retry_after": {"type": "integer"},
                "reason": {"type": "string"},
            },
        }
    },
}


def build_openapi(version: str) -> dict[str, Any]:
    models = {m for r in ROUTES for m in (r.body, r.response, r.query) if m is not None}
    refs, schema = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    components = dict(schema.get("$defs", {}))
    components["Error"] = ERROR_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        path, parameters = _openapi_path(route)
        operation = _operation(route, parameters, refs)
        paths.setdefault(path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Masa API", "version": version,
                 "description": "The point of sale's HTTP API: tablets, kiosks, online "
                                "ordering and hotel systems all use it."},
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": components,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                "device": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{"session": []}, {"device": []}],
    }


def _openapi_path(route: ApiRoute) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for converter, name in _CONVERTER.findall(route.rule):
        schema = ({"type": "integer", "minimum": 1, "maximum": MAX_ID} if converter == "int"
                  else {"type": "string"})
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _CONVERTER.sub(r"{\2}", route.rule), parameters


def _ref(refs: dict, model: type[BaseModel]) -> dict[str, str]:
    return refs[(model, "validation")]


def _operation(route: ApiRoute, parameters: list[dict], refs: dict) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": route.summary,
        "tags": [route.tag],
        "operationId": f"{route.method.lower()}_{route.rule}".replace("/", "_").replace("<", "")
        .replace(">", "").replace(":", "_").replace("-", "_"),
    }
    if route.permission:
        operation["description"] = f"Needs the permission `{route.permission}`."
    else:
        operation["security"] = []
    if route.query is not None:
        for name, info in route.query.model_fields.items():
            parameters.append({"name": name, "in": "query", "required": info.is_required(),
                               "schema": {"type": "string"}})
    if route.idempotent:
        parameters.append({"name": IDEMPOTENCY_HEADER, "in": "header", "required": False,
                           "description": "A client-generated id (UUID); a retry with the same "
                                          "key returns the first answer and changes nothing.",
                           "schema": {"type": "string", "minLength": 8, "maxLength": 100,
                                      "pattern": KEY_PATTERN.pattern}})
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _ref(refs, route.body)}}}
    elif route.method != "GET":
        operation["requestBody"] = EMPTY_JSON_BODY
    success: dict[str, Any] = {"description": "OK"}
    if route.response is not None:
        schema = _ref(refs, route.response)
        if route.many:
            schema = {"type": "array", "items": schema}
        success["content"] = {"application/json": {"schema": schema}}
    errors = {"description": "Error", "content": {"application/json": {"schema": _ERROR_REF}}}
    operation["responses"] = {str(route.status): success, "4XX": errors}
    return operation
