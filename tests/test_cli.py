"""The command line sets up a real venue without the demo."""

from __future__ import annotations

from support import make_app


def test_a_real_venue_is_set_up_from_the_command_line(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path, MASA_DEMO=False)
    runner = app.test_cli_runner()
    created = runner.invoke(args=["venue", "create", "Casa Veche", "--tax-rate", "TVA 21%:2100:A",
                                  "--tax-rate", "TVA 11%:1100:B"])
    assert created.exit_code == 0, created.output
    added = runner.invoke(args=["staff", "add", "Ioana", "admin", "--pin", "482913"])
    assert added.exit_code == 0, added.output
    client = app.test_client()
    assert client.post("/api/v1/session", json={"pin": "482913"}).status_code == 200
    venue = client.get("/api/v1/venue").get_json()
    assert venue["name"] == "Casa Veche"
    assert sorted(rate["rate_bp"] for rate in venue["tax_rates"]) == [1100, 2100]
    again = runner.invoke(args=["venue", "create", "Other"])
    assert again.exit_code != 0
    app.extensions["masa_db"].dispose()


def test_a_malformed_tax_rate_is_refused(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path, MASA_DEMO=False)
    result = app.test_cli_runner().invoke(args=["venue", "create", "X", "--tax-rate", "21%"])
    assert result.exit_code != 0
    assert "NAME:BASIS_POINTS:CODE" in result.output
    app.extensions["masa_db"].dispose()


def test_printers_are_added_for_stations_with_a_backup(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["printer", "add", "Bar", "network", "127.0.0.1:9101",
                               "--station", "bar"]).exit_code == 0
    added = runner.invoke(args=["printer", "add", "Grill", "network", "127.0.0.1:9100",
                                "--station", "grill", "--backup", "Bar"])
    assert added.exit_code == 0, added.output
    listing = runner.invoke(args=["printer", "list"]).output
    assert "Grill: network 127.0.0.1:9100 stations=grill backup=Bar" in listing
    unknown = runner.invoke(args=["printer", "add", "X", "network", "h:1", "--station", "moon"])
    assert unknown.exit_code != 0
