"""A Dask worker preload for tests/test_batch.py (not a test): each task a worker starts is
recorded as a file ``started-<pid>-<n>`` holding its key, in the folder named by
HALLSIM_TEST_SIGNALS; the first task of the whole cluster (claimed by creating ``claimed``)
also writes ``victim`` (the worker's pid, then the key) and holds its worker there until
the test kills it, so the kill always lands mid-hall."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

HOLD_S = 300.0          # a worker nobody kills is let go after this (the test then fails)


class Signals(WorkerPlugin):
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = itertools.count()

    def transition(self, key, start, finish, **kwargs) -> None:  # noqa: ANN001
        if finish != "executing":
            return
        pid = os.getpid()
        self._write(f"started-{pid}-{next(self.count)}", str(key))
        try:
            os.close(os.open(self.folder / "claimed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        self._write("victim", f"{pid}\n{key}")
        deadline = time.monotonic() + HOLD_S
        while time.monotonic() < deadline:
            time.sleep(0.05)        # held until killed (the test waits on the file, not a clock)

    def _write(self, name: str, text: str) -> None:
        tmp = self.folder / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.folder / name)


async def dask_setup(worker) -> None:  # noqa: ANN001
    await worker.plugin_add(Signals(Path(os.environ["HALLSIM_TEST_SIGNALS"])), name="signals")
