"""Helpers for the server's hostile cases: an app under Starlette's test client, and a real
``hallsim serve`` process on a port of its own."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "scenarios" / "exercise"


def plan(counter: int = 1, team: str | None = None) -> str:
    """quiet_day's reference plan with ``counter`` staff on its first counter shift."""
    text = (EXERCISE / "quiet_day.reference.yaml").read_text(encoding="utf-8")
    text = text.replace("team: trainer's reference\n", "" if team is None else f"team: {team}\n")
    first = "start: \"09:00\", end: \"18:00\", count: 1,"
    return text.replace(first, f"start: \"09:00\", end: \"18:00\", count: {counter},", 1)


def listening_port(pid: int) -> int | None:
    """The TCP port process ``pid`` listens on, once it does (a server started on port 0)."""
    import psutil

    ports = [c.laddr.port for c in psutil.Process(pid).net_connections("tcp")
             if c.status == psutil.CONN_LISTEN]
    return ports[0] if ports else None


def wait_until(check, timeout: float = 60.0, step: float = 0.05):
    """``check()``'s first truthy value, polling; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not within {timeout} s: {check}")


class Served:
    """``hallsim serve`` in a child process, with JSON calls to it."""

    def __init__(self, data: Path, *args: str):
        # Port 0: the server binds a port the system gives it, read back from its listening
        # socket. A port picked here and bound later by the child could be taken in between by
        # another test process (pytest-xdist's workers run side by side).
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hallsim", "serve", "--data", str(data), "--port", "0", *args],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        self.port = wait_until(self._listening, timeout=60)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_until(self._up, timeout=60)

    def _listening(self) -> int | None:
        if self.process.poll() is not None:
            raise AssertionError(f"hallsim serve exited: {self.process.stderr.read()}")
        return listening_port(self.process.pid)

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"hallsim serve exited: {self.process.stderr.read()}")
        try:
            urllib.request.urlopen(self.base + "/static/hallsim.css", timeout=2).close()
        except OSError:
            return False
        return True

    def call(self, method: str, path: str, body: dict | None = None,
             headers: dict | None = None) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + quote(path, safe="/?=&"), data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def open_stream(self, path: str) -> http.client.HTTPConnection:
        """A server-sent event stream, open, its first event read."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path)
        answer = conn.getresponse()
        assert answer.status == 200
        assert answer.readline().startswith(b"event:")
        return conn

    def stop(self, how: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            self.process.send_signal(how)
            self.process.wait(30)
        if self.process.stderr is not None:
            self.process.stderr.close()
