"""What the benchmarks share: the real server as a subprocess, and reading its memory."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """``python app.py`` as a subprocess, on its own instance folder and port."""

    def __init__(self, instance: Path, port: int, log: Path, *, python: str = sys.executable,
                 **env: str) -> None:
        self.instance, self.port, self.log_path, self.python = instance, port, log, python
        self.extra_env = env  # e.g. MASA_SERVER="development" for the previous server
        self.process: subprocess.Popen | None = None
        self.url = f"http://{HOST}:{port}"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MASA_")}
        env.update(MASA_INSTANCE_PATH=str(self.instance), MASA_HOST=HOST,
                   MASA_PORT=str(self.port), PYTHONUNBUFFERED="1", **self.extra_env)
        return env

    def start(self, timeout: float = 30.0) -> float:
        """Spawns the server; returns seconds from spawn until /healthz answered 200."""
        log = self.log_path.open("a")
        started = time.perf_counter()
        self.process = subprocess.Popen([self.python, "app.py"], cwd=ROOT,
                                        env=self.environment(), stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}\n"
                                   + self.log_tail())
            if healthz_ok(self.port):
                return time.perf_counter() - started
            time.sleep(0.01)
        raise RuntimeError(f"/healthz did not answer 200 within {timeout} s\n" + self.log_tail())

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server and its children have used so far."""
        assert self.process is not None
        return sum(cpu_ticks(pid) for pid in process_tree(self.process.pid)) / CLOCK_TICKS

    def rss_mb(self) -> float:
        """Resident memory of the server and any processes it started, in MB (MiB)."""
        assert self.process is not None
        return sum(vm_rss_kb(pid) for pid in process_tree(self.process.pid)) / 1024

    def stop(self) -> float:
        """Ctrl-C, as an operator would; returns how long the server took to exit."""
        if self.process is None or self.process.poll() is not None:
            return 0.0
        started = time.perf_counter()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            print("  (the server ignored Ctrl-C for 10 s; terminating it)")
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return time.perf_counter() - started

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def healthz_ok(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=1)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def process_tree(pid: int) -> list[int]:
    pids, pending = [], [pid]
    while pending:
        current = pending.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                pending.extend(int(c) for c in (task / "children").read_text().split())
    return pids


def vm_rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime
