"""What the server says while a waiter adds items: "only 2 left" with the number left and
what it is (so the tablet can offer to take them), the venue's limits above which the
tablet asks, who a check can be handed to, and a PIN pad asking who is signed in without
an error status."""

from __future__ import annotations

from support import STEAK, Tablet

from pos.staff.models import StaffMember


def set_left(manager: Tablet, kind: str, thing_id: int, count_left: int | None) -> None:
    response = manager.client.post(f"/api/v1/menu/{kind}s/{thing_id}/availability",
                                   json={"available": True, "count_left": count_left})
    assert response.status_code == 200, response.get_json()


def test_asking_for_more_than_is_left_says_how_many_are_left_and_of_what(tablet, manager_tablet,
                                                                         app):
    soup = tablet.items[102]
    set_left(manager_tablet, "item", soup["id"], 2)
    check = tablet.seat()
    for refused in (tablet.send(check, tablet.line(102, quantity=3)),
                    tablet.client.post(f"/api/v1/checks/{check['id']}/quote",
                                       json={"lines": [tablet.line(102, quantity=3)]})):
        assert refused.status_code == 409
        error = refused.get_json()["error"]
        assert error == {"code": "86", "field": "lines.0.item_id", "available": 2,
                         "item_id": soup["id"],
                         "message": "Au mai rămas doar 2 din Ciorbă de perișoare."}
    john = Tablet(app.test_client(), "3333")  # English
    english = john.send(john.seat("6"), john.line(102, quantity=3)).get_json()["error"]
    assert english["message"] == "Only 2 left of Sour soup with meatballs."
    assert tablet.send(check, tablet.line(102, quantity=2)).status_code == 200


def test_two_lines_together_beyond_the_count_name_the_first_line_and_what_is_left(
        tablet, manager_tablet):
    soup = tablet.items[102]
    set_left(manager_tablet, "item", soup["id"], 1)
    check = tablet.seat()
    refused = tablet.send(check, tablet.line(801), tablet.line(102, seat=1),
                          tablet.line(102, seat=2))
    error = refused.get_json()["error"]
    assert (refused.status_code, error["field"], error["available"], error["item_id"]) == (
        409, "lines.1.item_id", 1, soup["id"])
    assert error["message"] == "A mai rămas doar 1 din Ciorbă de perișoare."


def test_a_choice_with_too_few_left_names_the_choice(tablet, manager_tablet):
    fries = tablet.modifiers["French fries"]
    set_left(manager_tablet, "modifier", fries, 1)
    refused = tablet.send(tablet.seat(), tablet.line(*STEAK, quantity=2))
    error = refused.get_json()["error"]
    assert (refused.status_code, error["field"], error["available"], error["modifier_id"]) == (
        409, "lines.0.modifier_ids", 1, fries)
    assert "item_id" not in error


def test_nothing_left_still_says_it_is_out(tablet, manager_tablet):
    set_left(manager_tablet, "item", tablet.items[102]["id"], 0)
    error = tablet.send(tablet.seat(), tablet.line(102)).get_json()["error"]
    assert error["code"] == "86"
    assert error["message"] == "Ciorbă de perișoare s-a terminat (86)."
    assert not error.get("available")


def test_the_venue_says_above_what_the_tablet_asks_and_a_manager_may_change_it(
        tablet, manager_tablet, as_role):
    venue = tablet.client.get("/api/v1/venue").get_json()
    assert (venue["confirm_quantity_above"], venue["confirm_line_amount_above_minor"]) == (
        20, 100_000)
    admin = as_role("admin")
    for bad in ({"confirm_quantity_above": 0}, {"confirm_quantity_above": 100},
                {"confirm_line_amount_above_minor": 0},
                {"confirm_line_amount_above_minor": -5}):
        response = admin.patch("/api/v1/venue", json=bad)
        assert response.status_code == 422, bad
    changed = admin.patch("/api/v1/venue", json={"confirm_quantity_above": 30,
                                                 "confirm_line_amount_above_minor": 250_000})
    assert changed.status_code == 200, changed.get_json()
    assert tablet.client.get("/api/v1/venue").get_json()["confirm_quantity_above"] == 30
    assert tablet.client.patch("/api/v1/venue",
                               json={"confirm_quantity_above": 5}).status_code == 403
    # The confirmation is the tablet's: the server takes a line above the limits as it is.
    assert tablet.send(tablet.seat(), tablet.line(801, quantity=50)).status_code == 200


def test_a_check_is_handed_only_to_staff_who_serve(tablet, manager_tablet, app, db):
    names = {s["name"] for s in tablet.client.get("/api/v1/servers").get_json()}
    assert {"Ana Popescu", "Mihai Ionescu", "John Miller", "Ioana Dumitru"} <= names
    assert not names & {"Admin", "Andrei Matei", "Cristi Marin", "Elena Stan"}

    def offered_on_the_tablet() -> set[str]:
        page = tablet.client.get("/tablet").get_data(as_text=True)
        with db.reading() as session:
            everyone = {m.name for m in session.query(StaffMember)}
        return {name for name in everyone if f'"name": "{name}"' in page}

    assert not offered_on_the_tablet() & {"Admin", "Andrei Matei"}
    # A manager who takes a table tonight can be handed one.
    manager_tablet.seat("7", 2)
    assert "Andrei Matei" in offered_on_the_tablet()
    assert "Admin" not in offered_on_the_tablet()


def test_the_pin_pad_asks_who_is_signed_in_without_an_error_status(app):
    nobody = app.test_client()
    state = nobody.get("/api/v1/session/state")
    assert (state.status_code, state.get_json()) == (200, {"signed_in": False, "session": None})
    assert nobody.get("/api/v1/session").status_code == 401  # the tablet's check is unchanged
    ana = app.test_client()
    ana.post("/api/v1/session", json={"pin": "1111"})
    state = ana.get("/api/v1/session/state").get_json()
    assert state["signed_in"] is True
    assert state["session"]["staff"]["name"] == "Ana Popescu"
    ana.delete("/api/v1/session", json={})
    assert ana.get("/api/v1/session/state").get_json() == {"signed_in": False, "session": None}
