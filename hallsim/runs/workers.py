"""A process pool that survives its workers and never outlives its parent.

``concurrent.futures.ProcessPoolExecutor`` breaks as a whole when one worker dies (the
OOM killer, ``kill -9``): every pending task fails and the results are lost. Here each
worker has its own pipe; the parent watches the pipes and the processes' sentinels, so
a dead worker costs only the task it held. That task is retried once on a fresh worker,
then reported as failed with the reason (``WorkerDied``); the other tasks carry on.

* Bounded: tasks are drawn lazily from an iterable, one in flight per worker, so memory
  does not grow with the number of tasks.
* No orphans: a worker asks Linux to kill it when its parent dies (``PR_SET_PDEATHSIG``)
  and, everywhere, exits when the parent's end of its pipe closes.
* Ctrl-C and SIGTERM go to the parent, which stops the workers on the way out.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_any
from typing import Any, TypeVar

Key = TypeVar("Key", bound=Hashable)

PR_SET_PDEATHSIG = 1


class WorkerDied(RuntimeError):
    """A worker process died while running a task (killed, out of memory, crashed)."""


def die_with_parent(parent_pid: int) -> None:
    """In a worker: ignore Ctrl-C (the parent handles it) and die when the parent does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _serve(conn: Connection, fn: Callable[..., Any], parent_pid: int) -> None:
    die_with_parent(parent_pid)
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if args is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
            reply = ("error", exc)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a result or error that cannot be pickled
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def death_reason(exitcode: int | None) -> str:
    """Plain words for how a worker process ended."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory, or killed)" if -exitcode == signal.SIGKILL else ""
        return f"worker process was killed by {name}{hint}"
    return f"worker process exited unexpectedly (status {exitcode})"


class _Worker:
    def __init__(self, fn: Callable[..., Any]):
        self.conn, child = mp.Pipe()
        self.process = mp.Process(target=_serve, args=(child, fn, os.getpid()), daemon=True)
        self.process.start()
        child.close()

    def stop(self, force: bool) -> None:
        if force:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                self.process.kill()
        self.process.join(timeout=None if force else 10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class WorkerPool:
    """``with WorkerPool(fn, jobs) as pool: for key, outcome in pool.run(tasks): ...``

    ``tasks`` yields ``(key, args)``; each outcome is ``fn(*args)`` or the exception it
    raised (``WorkerDied`` if the worker died twice on it). Outcomes come as tasks finish.
    """

    def __init__(self, fn: Callable[..., Any], jobs: int, retries: int = 1):
        self.fn, self.jobs, self.retries = fn, max(1, int(jobs)), retries
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        for worker in self._workers:
            worker.stop(force=kind is not None)
        self._workers = []

    def _fresh(self, idle: list[_Worker]) -> _Worker:
        while idle:
            worker = idle.pop()
            if worker.process.is_alive():
                return worker
            self._retire(worker)
        worker = _Worker(self.fn)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.process.join(timeout=10)
        worker.conn.close()
        self._workers.remove(worker)

    def run(self, tasks: Iterable[tuple[Key, tuple]]) -> Iterator[tuple[Key, Any]]:
        queue = iter(tasks)
        retry: deque[tuple[Key, tuple, int]] = deque()
        busy: dict[Connection, tuple[_Worker, Key, tuple, int]] = {}
        idle: list[_Worker] = []
        exhausted = False
        while True:
            while len(busy) < self.jobs:
                if retry:
                    key, args, attempt = retry.popleft()
                elif not exhausted:
                    item = next(queue, None)
                    if item is None:
                        exhausted = True
                        break
                    (key, args), attempt = item, 0
                else:
                    break
                worker = self._fresh(idle)
                try:
                    worker.conn.send(args)
                except (OSError, ValueError):  # died while idle: start over on a fresh one
                    self._retire(worker)
                    retry.appendleft((key, args, attempt))
                    continue
                busy[worker.conn] = (worker, key, args, attempt)
            if not busy:
                return
            sentinels = {w.process.sentinel: conn for conn, (w, *_rest) in busy.items()}
            ready = wait_any([*busy, *sentinels])
            finished = {c for c in ready if c in busy}
            finished |= {sentinels[s] for s in ready if s in sentinels}
            for conn in finished:
                worker, key, args, attempt = busy.pop(conn)
                try:
                    status, value = conn.recv() if conn.poll() else ("died", None)
                except (EOFError, OSError):
                    status, value = "died", None
                if status != "died":
                    idle.append(worker)
                    yield key, value
                    continue
                worker.process.join(timeout=10)
                reason = death_reason(worker.process.exitcode)
                self._retire(worker)
                if attempt < self.retries:
                    retry.append((key, args, attempt + 1))
                else:
                    yield key, WorkerDied(f"{reason}; tried {attempt + 1} times")
