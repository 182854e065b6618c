"""A process pool that survives its workers and never outlives its parent.

``concurrent.futures.ProcessPoolExecutor`` breaks as a whole when one worker dies (the
OOM killer, ``kill -9``): every pending task fails and the results are lost. Here each
worker has its own pipe; the parent watches the pipes and the processes' sentinels, so
a dead worker costs only the task it held. That task is retried once on a fresh worker,
then reported as failed with the reason (``WorkerDied``); the other tasks carry on.

* Bounded: tasks are drawn lazily from an iterable, one chunk in flight per worker, so
  memory does not grow with the number of tasks.
* Chunked: a worker gets several tasks per message when tasks are short (``chunk=None``
  sizes chunks from the measured time per task), so the round trip to the parent, which
  on a busy machine may wait for a core, is paid once per chunk rather than once per
  task. The worker still replies task by task, so a worker that dies costs only the task
  it was running: the tasks of its chunk not yet started are handed out again as they were.
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
import time
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
            chunk = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if chunk is None:
            return
        for args in chunk:  # one reply per task, as each finishes
            started = time.perf_counter()
            try:
                reply: tuple[str, Any, float] = ("ok", fn(*args), 0.0)
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
                reply = ("error", exc, 0.0)
            reply = (reply[0], reply[1], time.perf_counter() - started)
            try:
                conn.send(reply)
            except (EOFError, OSError):
                return
            except Exception as exc:  # noqa: BLE001 - a result or error that cannot be pickled
                conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), reply[2]))


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


Task = tuple[Any, tuple, int]   # (key, args, attempt)

TARGET_SECONDS = 0.1   # work per chunk: round trips then cost a few per cent at most
MAX_CHUNK = 256


class ChunkSizer:
    """How many tasks to send a worker at once (``chunk=None``): about ``TARGET_SECONDS`` of
    work by the mean time per task measured so far (one task until the first is timed), and
    never so many that the last chunks leave a worker idle while another still has a queue."""

    def __init__(self, chunk: int | None, jobs: int, total: int | None):
        self.fixed, self.jobs, self.total = chunk, jobs, total
        self.seconds, self.timed, self.drawn = 0.0, 0, 0

    def observe(self, seconds: float) -> None:
        self.seconds += seconds
        self.timed += 1

    def size(self) -> int:
        if self.fixed is not None:
            return self.fixed
        if not self.timed:
            return 1
        per_task = self.seconds / self.timed
        n = MAX_CHUNK if per_task <= 0 else max(1, min(MAX_CHUNK, int(TARGET_SECONDS / per_task)))
        if self.total is not None:
            n = min(n, max(1, (self.total - self.drawn) // (2 * self.jobs)))
        return n


class WorkerPool:
    """``with WorkerPool(fn, jobs) as pool: for key, outcome in pool.run(tasks): ...``

    ``tasks`` yields ``(key, args)``; each outcome is ``fn(*args)`` or the exception it
    raised (``WorkerDied`` if the worker died twice on it). Outcomes come as tasks finish.
    ``chunk``: tasks per message (default 1); None sizes chunks from measured task times.
    """

    def __init__(self, fn: Callable[..., Any], jobs: int, retries: int = 1, chunk: int | None = 1):
        self.fn, self.jobs, self.retries = fn, max(1, int(jobs)), retries
        self.chunk = chunk
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

    def run(self, tasks: Iterable[tuple[Key, tuple]], total: int | None = None
            ) -> Iterator[tuple[Key, Any]]:
        """Outcomes of ``tasks`` as they finish; ``total`` (how many tasks there are, if
        known) keeps automatic chunks small enough near the end to balance the workers."""
        queue = iter(tasks)
        retry: deque[Task] = deque()
        busy: dict[Connection, tuple[_Worker, deque[Task]]] = {}
        idle: list[_Worker] = []
        sizer = ChunkSizer(self.chunk, self.jobs, total)
        exhausted = False
        while True:
            while len(busy) < self.jobs:
                chunk: list[Task] = []
                if retry:  # a retried or handed-back task goes alone
                    chunk.append(retry.popleft())
                else:
                    wanted = sizer.size()
                    while len(chunk) < wanted and not exhausted:
                        item = next(queue, None)
                        if item is None:
                            exhausted = True
                            break
                        chunk.append((item[0], item[1], 0))
                        sizer.drawn += 1
                if not chunk:
                    break
                worker = self._fresh(idle)
                try:
                    worker.conn.send([args for _key, args, _attempt in chunk])
                except (OSError, ValueError):  # died while idle: start over on a fresh one
                    self._retire(worker)
                    retry.extendleft(reversed(chunk))
                    continue
                busy[worker.conn] = (worker, deque(chunk))
            if not busy:
                return
            sentinels = {w.process.sentinel: conn for conn, (w, _pending) in busy.items()}
            ready = wait_any([*busy, *sentinels])
            finished = {c for c in ready if c in busy}
            finished |= {sentinels[s] for s in ready if s in sentinels}
            for conn in finished:
                worker, pending = busy.pop(conn)
                died = False
                while pending:
                    try:
                        if not conn.poll():
                            died = not worker.process.is_alive()
                            break
                        _status, value, seconds = conn.recv()
                    except (EOFError, OSError):
                        died = True
                        break
                    key, _args, _attempt = pending.popleft()
                    sizer.observe(seconds)
                    yield key, value
                if not died:
                    if pending:
                        busy[conn] = (worker, pending)   # the rest of its chunk is coming
                    else:
                        idle.append(worker)
                    continue
                worker.process.join(timeout=10)
                reason = death_reason(worker.process.exitcode)
                self._retire(worker)
                key, args, attempt = pending.popleft()   # the task it was running
                retry.extendleft(reversed(pending))      # the rest never started
                if attempt < self.retries:
                    retry.append((key, args, attempt + 1))
                else:
                    yield key, WorkerDied(f"{reason}; tried {attempt + 1} times")
