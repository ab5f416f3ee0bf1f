"""What ``python app.py`` prints: every screen's URL at the address other devices use."""

from __future__ import annotations

import socket
import subprocess
import sys

import pos.web
from app import ROOT
from pos.web import lan_address, server_address, welcome_lines

STATIONS = ("grill", "cold", "pastry", "bar", "expo")  # the demo's


def urls(lines: list[str]) -> list[str]:
    return [line.split()[0] for line in lines if line.strip().startswith("http://")]


def test_every_screen_is_printed_at_the_servers_network_address(app):
    printed = urls(welcome_lines(app, "0.0.0.0", 5000, "192.168.1.20"))
    base = "http://192.168.1.20:5000"
    assert printed == [base + path for path in (
        "/", "/signin", "/tablet", "/kitchen", *(f"/kitchen/{code}" for code in STATIONS),
        "/pair/kitchen", "/cashier", "/office", "/desk", "/api/v1/openapi.json", "/healthz")]


def test_no_url_names_localhost_or_a_screen_not_built_yet(app, a_screen_not_built_yet):
    lines = welcome_lines(app, "0.0.0.0", 5000, "10.0.0.7")
    assert not any("localhost" in url or "0.0.0.0" in url for url in urls(lines))
    for screen in pos.web.SCREENS:
        assert (f"10.0.0.7:5000{screen.path} " in "\n".join(lines)) == screen.ready
    assert "Not built yet: Back office." in lines  # /later, announced by that name


def test_each_station_says_what_it_is(app):
    lines = welcome_lines(app, "0.0.0.0", 5000, "10.0.0.7")
    station = {line.split()[0].rsplit("/", 1)[1]: line for line in lines
               if "/kitchen/" in line}
    assert station["grill"].endswith("Grill — station screen")
    assert station["expo"].endswith("Expo — the pass, sees every station")


def test_a_loopback_address_is_said_to_reach_only_this_machine(app):
    lines = welcome_lines(app, "127.0.0.1", 5000, "127.0.0.1")
    assert any(line.startswith("Only this machine can open these") for line in lines)
    assert not any(line.startswith("Only this machine") for line in
                   welcome_lines(app, "0.0.0.0", 5000, "192.168.1.20"))


def test_listening_on_every_interface_prints_the_lan_address():
    assert server_address("0.0.0.0") == lan_address()
    assert server_address("::") == lan_address()
    assert server_address("192.168.1.20") == "192.168.1.20"
    assert server_address("fd00::5") == "[fd00::5]"


def test_the_lan_address_is_this_machines_own_or_the_loopback():
    address = lan_address()
    socket.inet_aton(address)
    if address != "127.0.0.1":  # a machine with a network: the address is one of its own
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((address, 0))


def test_without_a_network_the_address_falls_back_to_the_loopback(monkeypatch):
    def unreachable(self, address):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(socket.socket, "connect", unreachable)
    assert lan_address() == "127.0.0.1"


def test_python_app_py_shows_no_development_server_warning(server_process):
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py")],
                               env={**server_process.env, "PYTHONUNBUFFERED": "1"},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        server_process.process = process
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("  http://") and "/healthz" in line:
                break
    finally:
        process.kill()
        rest = process.communicate(timeout=10)[0]
    output = "".join(lines) + rest
    assert f"http://127.0.0.1:{server_process.port}/tablet" in output
    assert "development server" not in output.lower()
    assert "WARNING" not in output
