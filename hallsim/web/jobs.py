"""Background runs: at most ``max_runs`` at once (the rest queued), each replication a task
in a bounded process pool so that progress can be reported; results expire.

A job's document is ``{"id", "kind", "status": queued|running|done|failed, "progress",
"summary", "error"}``; its report folder lives under the data folder's ``runs/``.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from ..runs.compare import Comparison
from ..runs.simulation import Day, Replications, run_day
from ..scenario.scenario import Scenario
from .replay import replay_document


def _write_run_report(result: Replications, out: Path) -> None:
    from ..output.report import write_run_report

    write_run_report(result, out)


def _write_compare_report(cmp: Comparison, out: Path) -> None:
    from ..output.report import write_compare_report

    write_compare_report(cmp, out)


def _warm() -> None:
    """Import the simulation and the report's plotting in a worker before the first run."""
    from ..output import report  # noqa: F401


class _Inline(Executor):
    """Runs each task at once in the calling thread (``workers=0``: tests, tiny machines).
    Matplotlib's pyplot is not thread-safe, so tasks take turns."""

    _lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        future: Future = Future()
        with self._lock:
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting job
                future.set_exception(exc)
        return future


@dataclass
class Job:
    id: str
    kind: str
    folder: Path
    status: str = "queued"
    total: int = 1
    done: int = 0
    summary: dict | None = None
    error: str | None = None
    errors: list | None = None
    replay: dict | None = None
    report: Path | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    result: Any = None
    report_written: threading.Event = field(default_factory=threading.Event)

    @property
    def progress(self) -> float:
        return 1.0 if self.status == "done" else round(self.done / max(self.total, 1), 3)

    def document(self) -> dict:
        return {"id": self.id, "kind": self.kind, "status": self.status,
                "progress": self.progress, "summary": self.summary, "error": self.error}


class Jobs:
    """The run queue. ``workers=0`` runs replications in the job's own thread."""

    def __init__(self, folder: Path, max_runs: int = 2, workers: int = 2, keep: int = 100,
                 keep_seconds: float = 3600.0):
        self.folder = Path(folder)
        self.keep, self.keep_seconds = keep, keep_seconds
        self._workers = workers
        self._threads = ThreadPoolExecutor(max_workers=max_runs, thread_name_prefix="hallsim-run")
        self._pool: Executor = (_Inline() if workers == 0 else ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("forkserver")))
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    # -- public ------------------------------------------------------------------------------
    def get(self, job_id: str) -> Job:
        with self._lock:
            return self._jobs[job_id]

    def run(self, scenario: Scenario, reps: int, seed: int) -> Job:
        job = self._new("run", total=reps + 1)

        def work() -> Callable[[], None]:
            result = self.replicate(job, scenario, reps, seed)
            job.summary = result.summary
            job.replay = replay_document(result.days[0])
            return lambda: self._pool.submit(_write_run_report, result, job.folder).result()

        return self._start(job, work)

    def compare(self, a: Scenario, b: Scenario, reps: int, seed: int) -> Job:
        job = self._new("compare", total=2 * reps + 1)

        def work() -> Callable[[], None]:
            cmp = Comparison(self.replicate(job, a, reps, seed), self.replicate(job, b, reps, seed))
            job.summary = cmp.summary
            return lambda: self._pool.submit(_write_compare_report, cmp, job.folder).result()

        return self._start(job, work)

    def task(self, kind: str, total: int, work: Callable[[Job], Any],
             done: Callable[[Job], None] | None = None) -> Job:
        """A job whose work function calls ``replicate`` itself (exercise rooms)."""
        job = self._new(kind, total=total)

        def body() -> None:
            job.result = work(job)

        return self._start(job, body, done)

    async def report(self, job: Job, timeout: float = 120.0) -> Path | None:
        """The job's report, waiting while it is being written (it follows the summary)."""
        waited = 0.0
        while not job.report_written.is_set() and waited < timeout:
            await asyncio.sleep(0.1)
            waited += 0.1
        return job.report if job.report is not None and job.report.is_file() else None

    def replicate(self, job: Job, scenario: Scenario, reps: int, seed: int) -> Replications:
        """``reps`` days on the pool, counting each finished day in ``job``'s progress."""
        futures = {self._pool.submit(run_day, scenario, seed, k): k for k in range(reps)}
        days: dict[int, Day] = {}
        for future in as_completed(futures):
            days[futures[future]] = future.result()
            job.done += 1
        return Replications(scenario, seed, [days[k] for k in range(reps)])

    def warm(self) -> None:
        """Start the worker processes now, so that the first run does not wait for them."""
        if isinstance(self._pool, ProcessPoolExecutor):
            for _ in range(self._workers):
                self._pool.submit(_warm)

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- internals ---------------------------------------------------------------------------
    def _new(self, kind: str, total: int) -> Job:
        self._expire()
        job_id = secrets.token_hex(8)
        job = Job(job_id, kind, self.folder / job_id, total=total)
        with self._lock:
            self._jobs[job_id] = job
        return job

    def _start(self, job: Job, work: Callable[[], Callable[[], None] | None],
               done: Callable[[Job], None] | None = None) -> Job:
        """Run ``work`` in turn; what it returns (writing the report) runs after the job is
        marked done, so that the numbers reach the page without waiting for the plots."""
        def body() -> None:
            job.status = "running"
            then = None
            try:
                then = work()
            except ScenarioError as exc:
                job.status, job.error = "failed", str(exc)
            except Exception as exc:  # noqa: BLE001 - reported in the job, never crashes the server
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
            else:
                job.status = "done"
            job.finished = time.time()
            if done is not None:
                done(job)
            try:
                if then is not None:
                    then()
                    job.report = job.folder / "report.html"
            except Exception as exc:  # noqa: BLE001 - the numbers stand without the report
                job.error = f"the report could not be written: {type(exc).__name__}: {exc}"
            finally:
                job.report_written.set()

        self._threads.submit(body)
        return job

    def _expire(self) -> None:
        """Forget finished jobs older than ``keep_seconds`` or beyond the newest ``keep``."""
        now = time.time()
        with self._lock:
            finished = sorted((j for j in self._jobs.values() if j.finished is not None),
                              key=lambda j: j.finished or 0.0, reverse=True)
            stale = [j for i, j in enumerate(finished)
                     if i >= self.keep or now - (j.finished or now) > self.keep_seconds]
            for job in stale:
                del self._jobs[job.id]
        for job in stale:
            shutil.rmtree(job.folder, ignore_errors=True)
