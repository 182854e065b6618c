"""The files a command reads, so that nothing it writes can replace one of them.

Readers call ``note(path)``: every YAML file (scenario, challenge, plan, rules) through
``scenario.loading.read_yaml``, and ticket logs, column maps and surveys through their
commands. ``output.location.check_target`` checks each output against ``read()`` before
anything is simulated. Files are collected only inside ``recording()``, which the command
line enters around each command; outside it (a library user's script) ``note`` does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Input:
    """A file read: as the user named it (for messages) and made absolute when it was read."""

    shown: str
    path: Path


_read: ContextVar[dict[Path, Input] | None] = ContextVar("hallsim_inputs", default=None)


@contextmanager
def recording() -> Iterator[None]:
    """Collect the files read until the block ends (one command's worth)."""
    token = _read.set({})
    try:
        yield
    finally:
        _read.reset(token)


def note(*paths: str | os.PathLike | None) -> None:
    """Record files as read (``None`` is skipped, for options not given)."""
    found = _read.get()
    if found is None:
        return
    for path in paths:
        if path is not None:
            absolute = Path(os.path.abspath(os.fspath(path)))
            found.setdefault(absolute, Input(os.fspath(path), absolute))


def read() -> list[Input]:
    """The files recorded so far, in the order first read."""
    return list((_read.get() or {}).values())
