"""Several server processes share the database and Redis, behind the nginx configuration
the README gives: an event written through one reaches a screen on another, each device
stays on one process, and killing a process mid-service loses no acknowledged send."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import func, select
from support import PINS, ScreenClient, ServerProcess, free_port, wait_until

from app import ROOT
from pos.core.db import Database
from pos.ordering.models import Send

REDIS_URL = "redis://127.0.0.1:6379/0"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def redis_available():
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")


@pytest.fixture
def two_processes(redis_available, database_url, tmp_path):
    channel = f"masa-test-{uuid.uuid4()}"  # other runs on this Redis stay out
    servers = [ServerProcess(database_url, tmp_path / f"i{n}", MASA_MESSAGE_QUEUE=REDIS_URL,
                             MASA_MESSAGE_QUEUE_CHANNEL=channel, MASA_PROXIES="1")
               for n in range(2)]
    try:
        yield [server.start() for server in servers]
    finally:
        for server in servers:
            server.kill()


def readme_nginx_config() -> str:
    """The ```nginx block of the README's "Several processes" section, as written there."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Several processes"):]
    return re.search(r"```nginx\n(.*?)```", section, re.S).group(1)


class Nginx:
    """nginx running the README's configuration in front of the given processes."""

    def __init__(self, folder: Path, upstream_ports: list[int]) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = readme_nginx_config().replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        for default, port in zip((8001, 8002), upstream_ports, strict=True):
            config = config.replace(f"127.0.0.1:{default} ", f"127.0.0.1:{port} ")
        temp = folder / "temp"
        temp.mkdir(parents=True)
        (folder / "nginx.conf").write_text(
            f"daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "events {}\n"
            f"http {{\n access_log off;\n client_body_temp_path {temp};\n"
            f" proxy_temp_path {temp};\n fastcgi_temp_path {temp};\n uwsgi_temp_path {temp};\n"
            f" scgi_temp_path {temp};\n{config}\n}}\n")
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        self.process = subprocess.Popen([NGINX, "-c", str(self.folder / "nginx.conf"),
                                         "-p", str(self.folder)], stderr=subprocess.PIPE)
        wait_until(lambda: self._answers(), timeout=10)
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(self.process.stderr.read().decode())
        try:
            return requests.get(self.url + "/healthz", timeout=1).ok
        except requests.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def proxy(two_processes, tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run does)")
    nginx = Nginx(tmp_path / "nginx", [server.port for server in two_processes]).start()
    yield nginx
    nginx.stop()


class FromAddress(HTTPAdapter):
    """Requests sent from one loopback address: a device of its own, to the proxy."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def device_at(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


def process_of(session: requests.Session, url: str) -> int:
    return session.get(url + "/healthz", timeout=5).json()["process"]


def test_an_event_crosses_processes_through_redis(two_processes):
    first, second = two_processes
    manager = first.session_cookie("manager")
    screen = ScreenClient(second.url, "/office", cookie=second.session_cookie("manager"))
    screen.connect(last_event=0)
    assert requests.get(second.url + "/healthz", timeout=5).json()["message_queue"]["ok"]
    for action in ("open", "close"):  # whichever the day allows: either is an event
        response = requests.post(f"{first.url}/api/v1/business-day/{action}",
                                 headers={"Cookie": manager}, json={}, timeout=5)
        if response.ok:
            break
    assert response.ok, response.text
    wait_until(lambda: screen.ids("business_day"))
    assert len(screen.ids()) == 1
    screen.close()


def test_the_readme_proxy_keeps_each_device_on_one_process(proxy, two_processes):
    seen: dict[str, set[int]] = {}
    for host in range(2, 12):
        device = device_at(f"127.0.0.{host}")
        seen[f"127.0.0.{host}"] = {process_of(device, proxy.url) for _ in range(5)}
    assert all(len(processes) == 1 for processes in seen.values()), seen
    assert set.union(*seen.values()) == {server.process.pid for server in two_processes}


def tablet_on(proxy, two_processes, pid: int) -> requests.Session:
    """A waiter's tablet whose address the proxy sends to the process ``pid``."""
    for host in range(2, 60):
        device = device_at(f"127.0.0.{host}")
        if process_of(device, proxy.url) == pid:
            signed = device.post(proxy.url + "/api/v1/session", json={"pin": PINS["waiter"]},
                                 timeout=5)
            assert signed.status_code == 200, signed.text
            return device
    raise AssertionError("no address of 127.0.0.0/8 reached that process")


def kitchen_screen_through(proxy) -> ScreenClient:
    cook = requests.post(proxy.url + "/api/v1/session", json={"pin": PINS["kitchen"]}, timeout=5)
    return ScreenClient(proxy.url, "/kitchen", cookie=f"session={cook.cookies['session']}",
                        station="expo").connect(last_event=0)


def menu_line(tablet: requests.Session, url: str) -> list[dict]:
    menu = tablet.get(url + "/api/v1/menu", timeout=5).json()
    soup = next(item["id"] for item in menu["items"] if item["number"] == 102)
    return [{"item_id": soup}]


def test_a_send_through_one_process_reaches_a_kitchen_screen_on_the_other(proxy,
                                                                          two_processes):
    kds = kitchen_screen_through(proxy)  # from 127.0.0.1, through the proxy's WebSocket
    kds_process = process_of(requests.Session(), proxy.url)
    other = next(s.process.pid for s in two_processes if s.process.pid != kds_process)
    tablet = tablet_on(proxy, two_processes, other)
    lines = menu_line(tablet, proxy.url)
    check = tablet.post(proxy.url + "/api/v1/checks", json={"kind": "bar_tab", "name": "Ion"},
                        timeout=5).json()
    sent = tablet.post(f"{proxy.url}/api/v1/checks/{check['id']}/send", timeout=5, json={
        "client_id": str(uuid.uuid4()), "version": check["version"], "lines": lines})
    assert sent.status_code == 200, sent.text
    wait_until(lambda: any(data["check_id"] == check["id"]
                           for name, _id, data in kds.events if name == "ticket"))
    kds.close()


def test_killing_a_process_mid_service_loses_no_acknowledged_send(proxy, two_processes,
                                                                  database_url):
    """A tablet keeps sending, retrying each send with its client id until answered, while
    the process it talks to is killed: every answered send is there exactly once, and the
    kitchen screen on the surviving process gets each one's ticket."""
    victim, survivor = two_processes
    kds = ScreenClient(survivor.url, "/kitchen", cookie=survivor.session_cookie("kitchen"),
                       station="expo").connect(last_event=0)
    tablet = tablet_on(proxy, two_processes, victim.process.pid)
    lines = menu_line(tablet, proxy.url)
    acknowledged: list[int] = []
    killer = threading.Timer(1.0, victim.kill)
    killer.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 30 and time.monotonic() < deadline:
        acknowledged.append(send_until_answered(tablet, proxy.url, lines, deadline))
    killer.join()
    assert len(acknowledged) == 30
    db = Database(database_url)
    with db.reading() as session:
        sends = session.scalar(select(func.count()).select_from(Send)
                               .where(Send.check_id.in_(acknowledged)))
    db.dispose()
    assert sends == 30

    def kds_holds_every_ticket() -> bool:
        kds.heartbeat()  # a ticket whose publish died with the victim comes by the sync
        return {data["check_id"] for name, _i, data in kds.events if name == "ticket"} \
            >= set(acknowledged)

    wait_until(kds_holds_every_ticket, timeout=15, interval=0.5)
    kds.close()


def send_until_answered(tablet: requests.Session, url: str, lines: list[dict],
                        deadline: float) -> int:
    """Open a tab and send it as a tablet does: the same client ids on every retry."""
    open_id, send_id = str(uuid.uuid4()), str(uuid.uuid4())
    while time.monotonic() < deadline:
        try:
            opened = tablet.post(url + "/api/v1/checks", timeout=5, json={
                "kind": "bar_tab", "name": "Retry", "client_id": open_id})
            if opened.status_code == 401:  # the new process has no cached session: sign in
                tablet.post(url + "/api/v1/session", json={"pin": PINS["waiter"]}, timeout=5)
                continue
            if opened.status_code != 201:
                time.sleep(0.2)
                continue
            check = opened.json()
            sent = tablet.post(f"{url}/api/v1/checks/{check['id']}/send", timeout=5, json={
                "client_id": send_id, "version": check["version"], "lines": lines})
            if sent.status_code == 200:
                return check["id"]
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("a send was never answered")
