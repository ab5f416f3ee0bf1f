"""Every API route answers the permission table: for nobody, for each role signed in as a
person, and for each role as a paired device (which never holds a person-only permission).

The walk names ids that do not exist (999999), so an allowed request is refused for what
it says (404, 422) and nothing real is destroyed; what matters is that the role check
answers first and exactly (401 / 403), and that no request makes the server fail.
"""

from __future__ import annotations

import re

import pytest
from factories import make_device, make_staff, signed_in

from pos.core.api import API_PREFIX, ROUTES, ApiRoute
from pos.core.auth import DEVICE_ROLES, Actor, Role

MISSING_ID = "999999"
STATION = "grill"
_PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")

# Routes that end or replace the screen's sign-in: walked last, sign-out the very last.
_ENDS_SESSION = [("POST", f"{API_PREFIX}/devices/pair-here"), ("POST", f"{API_PREFIX}/session"),
                 ("DELETE", f"{API_PREFIX}/session")]

WHO = ([pytest.param("anonymous", None, id="anonymous")]
       + [pytest.param("person", role, id=f"person-{role.value}") for role in Role]
       + [pytest.param("device", role, id=f"device-{role.value}") for role in DEVICE_ROLES])


def concrete_path(rule: str) -> str:
    def fill(match: re.Match) -> str:
        converter, name = match.groups()
        if converter == "int":
            return MISSING_ID
        if converter is None and name == "station":
            return STATION
        raise AssertionError(f"no test value for <{match.group(0)}> in {rule}: add one")

    return _PLACEHOLDER.sub(fill, rule)


def walking_order(route: ApiRoute) -> int:
    key = (route.method, route.rule)
    return _ENDS_SESSION.index(key) + 1 if key in _ENDS_SESSION else 0


def actor_of(kind: str, role: Role | None) -> Actor | None:
    if kind == "person":
        return Actor(role=role, name="person", staff_id=1)
    if kind == "device":
        return Actor(role=role, name="device", device_id=1)
    return None


def client_of(app, db, kind: str, role: Role | None):
    if kind == "person":
        return signed_in(app, make_staff(db, role)), {}
    client = app.test_client()
    if kind == "device":
        station = STATION if role is Role.KITCHEN else None
        return client, make_device(db, role, station=station).bearer
    return client, {}


def send(client, route: ApiRoute, headers: dict[str, str]):
    kwargs = {"headers": headers}
    if route.method != "GET":
        kwargs["json"] = {}
    return client.open(concrete_path(route.rule), method=route.method, **kwargs)


def refusal(route: ApiRoute, actor: Actor | None, response) -> str | None:
    """What is wrong with ``response``, or None if it is the answer the table calls for."""
    status = response.status_code
    answer = response.get_json(silent=True)
    code = answer["error"].get("code") if isinstance(answer, dict) and "error" in answer else None
    if status >= 500:
        return f"server error {status}"
    if route.permission is None:
        return "403 on a route open to everyone" if status == 403 else None
    if actor is None:
        ok = status == 401 and code == "not_signed_in"
        return None if ok else f"{status} {code}, expected 401 not_signed_in"
    if not actor.can(route.permission):
        ok = status == 403 and code == "forbidden"
        return None if ok else f"{status} {code}, expected 403 forbidden ({route.permission})"
    if status in (401, 403):
        return f"{status} {code}, but {actor.role.value} holds {route.permission}"
    return None


@pytest.mark.parametrize(("kind", "role"), WHO)
def test_every_route_answers_the_permission_table_for_every_role_person_and_device(
        app, db, kind, role):
    client, headers = client_of(app, db, kind, role)
    actor = actor_of(kind, role)
    routes = sorted(ROUTES, key=walking_order)
    assert len(routes) > 40, "the routes were not registered"
    wrong = []
    for route in routes:
        try:
            response = send(client, route, headers)
        except Exception as error:  # a raised error is the 500 this walk looks for
            wrong.append(f"{route.method} {route.rule}: raised {error!r}")
            continue
        problem = refusal(route, actor, response)
        if problem:
            wrong.append(f"{route.method} {route.rule}: {problem}")
    assert not wrong, "\n".join(wrong)


def test_every_api_address_the_server_answers_is_in_the_permission_walk(app):
    """A route added to a blueprint by hand, not through ``api_route``, would escape the
    permission table and this walk; only the OpenAPI document itself is public by design."""
    walked = {(route.method, route.rule) for route in ROUTES}
    served = {(method, rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith(API_PREFIX + "/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served - walked == {("GET", f"{API_PREFIX}/openapi.json")}
