"""What the browser tests share: Debian's Chromium driven by Playwright, a hallsim server in a
thread on a port of its own, and a page's console errors."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def free_port(host: str = "127.0.0.1") -> int:
    """A port free now, for a process run alone that takes a port number (benchmarks/bench_web.py's
    server). Tests do not use it: run side by side, another could bind the port before the server
    does; `serving` below keeps its socket bound, and tests/hostile/server.py starts `hallsim
    serve` on port 0 and reads the port back."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, host: str = "127.0.0.1") -> Iterator[str]:
    """``app`` served by uvicorn in a thread; yields its base URL.

    The socket is bound to port 0 here and handed to uvicorn still bound: a port picked, let go
    and bound again could be taken in between by another test process (pytest-xdist's workers
    run side by side)."""
    import uvicorn

    sock = socket.socket()
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                           timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


class Console:
    """Collects a page's script errors and failed loads."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
