"""Which host names the server answers to: the defence against DNS rebinding.

A page on ``attacker.example`` whose name the attacker re-points at 127.0.0.1 makes the
victim's browser send requests to a loopback server, with ``Host: attacker.example``.
So the server answers only to the address it serves (``--host``), to a loopback name
when it serves loopback, and, when it listens on every address (``0.0.0.0``, ``::``),
to any IP address and this computer's own names; ``--allow-host NAME`` adds a name
(a DNS name for the training PC, a reverse proxy's).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_name(header: bytes | str) -> str | None:
    """The name in a ``Host`` header (``[::1]:8000`` → ``::1``), lower-case; None if malformed."""
    text = header.decode("latin-1") if isinstance(header, bytes) else header
    if not text or any(c in text for c in "/?#@ \t\\"):
        return None
    try:
        name = urlsplit("//" + text).hostname
    except ValueError:
        return None
    return name.rstrip(".").lower() if name else None


class Hosts:
    """``Hosts("127.0.0.1").allows(b"localhost:8000")`` → True; ``b"attacker.example"`` → False."""

    def __init__(self, served: str, allow: Iterable[str] = ()):
        served = served.strip("[]").lower()
        self.names = {served, *(name.strip("[]").rstrip(".").lower() for name in allow)}
        if is_loopback(served):
            self.names |= set(LOOPBACK_NAMES)
        self.any_address = _is_ip(served) and ipaddress.ip_address(served).is_unspecified
        if self.any_address:
            self.names |= {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}

    def allows(self, header: bytes | str) -> bool:
        name = host_name(header)
        if name is None:
            return False
        return name in self.names or (self.any_address and _is_ip(name))
