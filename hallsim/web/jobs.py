"""Background work: runs and comparisons (at most ``max_runs`` at once, at most ``max_queue``
waiting or running: more get ``QueueFull``, 429) and the scoring of exercise plans, in a
lane of their own so that no pile of runs delays a team's scorecard. Each replication is a
task in one bounded process pool; a job keeps at most one task per worker in flight, so
jobs share the workers turn about instead of first come, first served.

A job's document is ``{"id", "kind", "status": queued|running|done|failed, "progress",
"summary", "error"}``. Runs and comparisons are kept in the database (their report in the
data folder's ``runs/<id>/``), so the run history outlives the server.

``close()`` stops everything within a second or two: no new task starts, queued jobs are
dropped, and the worker processes are killed (they also die with the server, however it
ends: ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import multiprocessing
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from ..i18n import _, current, language
from ..output.textsafe import dumps
from ..runs.compare import Comparison
from ..runs.simulation import Day, Replications, run_day
from ..runs.workers import die_with_parent
from ..scenario.scenario import Scenario
from .charts import chart_document
from .database import Database
from .replay import replay_document

STOPPED = "the server stopped before this run finished; start it again"


class QueueFull(Exception):
    """More runs are waiting than the server takes (HTTP 429)."""


class Cancelled(Exception):
    """The job was cancelled (superseded, or the server is stopping)."""


def _write_run_report(result: Replications, out: Path, lang: str) -> None:
    from ..output.report import write_run_report

    with language(lang):       # a worker process: the request's language travels with the job
        write_run_report(result, out)


def _write_compare_report(cmp: Comparison, out: Path, lang: str) -> None:
    from ..output.report import write_compare_report

    with language(lang):
        write_compare_report(cmp, out)


def _worker_start() -> None:
    """In a worker: leave Ctrl-C to the server, and die when the process that forked us does
    (the forkserver, which ends with the server)."""
    die_with_parent(os.getppid())


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
    replay: dict | None = None
    charts: dict | None = None     # a run's charts (charts.chart_document), not kept on disk
    report: Path | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    result: Any = None
    cancelled: bool = False
    report_written: threading.Event = field(default_factory=threading.Event)

    @property
    def progress(self) -> float:
        return 1.0 if self.status == "done" else round(self.done / max(self.total, 1), 3)

    def document(self) -> dict:
        return {"id": self.id, "kind": self.kind, "status": self.status,
                "progress": self.progress, "summary": self.summary, "error": self.error}


class Jobs:
    """The run queue. ``workers=0`` runs replications in the job's own thread."""

    def __init__(self, folder: Path, db: Database, max_runs: int = 2, workers: int = 2,
                 max_queue: int = 20, keep: int = 100, keep_seconds: float = 86400.0):
        self.folder, self.db = Path(folder), db
        self.max_queue, self.keep, self.keep_seconds = max_queue, keep, keep_seconds
        self._workers = workers
        self._in_flight = max(1, workers)
        self._lanes = {lane: ThreadPoolExecutor(max_workers=max_runs, thread_name_prefix=f"hallsim-{lane}")
                       for lane in ("run", "plan")}
        self._pool: Executor = (_Inline() if workers == 0 else ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("forkserver"),
            initializer=_worker_start))
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        with db.write() as sql:    # runs the last server did not finish will not finish now
            sql.execute("UPDATE runs SET status='failed', error=?, finished=? "
                        "WHERE status IN ('queued', 'running')", (STOPPED, time.time()))

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    # -- public ------------------------------------------------------------------------------
    def get(self, job_id: str) -> Job:
        with self._lock:
            if job_id in self._jobs:
                return self._jobs[job_id]
        row = self.db.row("SELECT * FROM runs WHERE id=?", (job_id,))
        if row is None:
            raise KeyError(job_id)
        job = Job(row["id"], row["kind"], self.folder / row["id"], status=row["status"],
                  total=row["total"], done=row["total"] if row["status"] == "done" else 0,
                  summary=json.loads(row["summary"]) if row["summary"] else None,
                  error=row["error"], replay=json.loads(row["replay"]) if row["replay"] else None,
                  created=row["created"], finished=row["finished"])
        report = job.folder / "report.html"
        job.report = report if report.is_file() else None
        job.report_written.set()
        return job

    def run(self, scenario: Scenario, reps: int, seed: int) -> Job:
        job, lang = self._new("run", total=reps + 1), current()

        def work() -> Callable[[], None]:
            result = self.replicate(job, scenario, reps, seed)
            job.summary = result.summary
            job.replay = replay_document(result.days[0])
            job.charts = chart_document(result)
            job.result = result.intervals          # the exports need not wait for the report
            return lambda: self._pool.submit(_write_run_report, result, job.folder, lang).result()

        return self._start(job, work)

    def compare(self, a: Scenario, b: Scenario, reps: int, seed: int,
                labels: tuple[str, str] | None = None) -> Job:
        job, lang = self._new("compare", total=2 * reps + 1), current()

        def work() -> Callable[[], None]:
            cmp = Comparison(self.replicate(job, a, reps, seed), self.replicate(job, b, reps, seed),
                             labels=labels)
            job.summary = cmp.summary
            return lambda: self._pool.submit(_write_compare_report, cmp, job.folder, lang).result()

        return self._start(job, work)

    def call(self, kind: str, total: int, work: Callable[[Job], dict]) -> Job:
        """A job in the runs' lane (``GET /api/runs/{id}``) whose work returns its summary and
        counts its own steps in ``job.done`` (the staffing advisor's draft)."""
        job = self._new(kind, total)

        def body() -> None:
            job.summary = work(job)

        return self._start(job, body)

    def in_worker(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` in a worker process (picklable arguments), waited for: for a job's
        heavy step that is not a replication (a ticket log's fit)."""
        return self._pool.submit(fn, *args).result()

    def task(self, kind: str, total: int, work: Callable[[Job], Any],
             done: Callable[[Job], None] | None = None) -> Job:
        """A job in the plans' lane whose work function calls ``replicate`` itself."""
        job = Job(secrets.token_hex(8), kind, self.folder / "unused", total=total)

        def body() -> None:
            job.result = work(job)

        return self._start(job, body, done, lane="plan")

    def cancel(self, job: Job) -> None:
        """Stop ``job`` at its next replication (at once, if it has not started)."""
        job.cancelled = True

    async def report(self, job: Job, timeout: float = 120.0) -> Path | None:
        """The job's report, waiting while it is being written (it follows the summary)."""
        waited = 0.0
        while not job.report_written.is_set() and waited < timeout and not self.stopping:
            await asyncio.sleep(0.1)
            waited += 0.1
        return job.report if job.report is not None and job.report.is_file() else None

    def replicate(self, job: Job, scenario: Scenario, reps: int, seed: int) -> Replications:
        """``reps`` days on the pool, a few at a time, counting each in ``job``'s progress."""
        days: dict[int, Day] = {}
        running: dict[Future, int] = {}
        todo = iter(range(reps))
        while True:
            if job.cancelled or self.stopping:
                for future in running:
                    future.cancel()
                raise Cancelled
            while len(running) < self._in_flight and (k := next(todo, None)) is not None:
                running[self._pool.submit(run_day, scenario, seed, k)] = k
            if not running:
                return Replications(scenario, seed, [days[k] for k in range(reps)])
            finished, _pending = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                days[running.pop(future)] = future.result()
                job.done += 1

    def warm(self) -> None:
        """Start the worker processes now, so that the first run does not wait for them; and
        import what the server process sums days up with (the t-interval's scipy.stats,
        a second's import) before the first run or quick estimate needs it."""
        threading.Thread(target=importlib.import_module, args=("scipy.stats",), daemon=True).start()
        if isinstance(self._pool, ProcessPoolExecutor):
            for _ in range(self._workers):
                self._pool.submit(_warm)

    def close(self) -> None:
        """Stop: drop queued jobs, interrupt running ones, kill the workers (never waits)."""
        self._stopping.set()
        for lane in self._lanes.values():
            lane.shutdown(wait=False, cancel_futures=True)
        if isinstance(self._pool, ProcessPoolExecutor):
            processes = getattr(self._pool, "_processes", None) or {}   # Python < 3.14
            for process in list(processes.values()):
                process.kill()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self.db.write() as sql:
            sql.execute("UPDATE runs SET status='failed', error=?, finished=? "
                        "WHERE status IN ('queued', 'running')", (STOPPED, time.time()))

    # -- internals ---------------------------------------------------------------------------
    def _new(self, kind: str, total: int) -> Job:
        self._expire()
        job = Job(secrets.token_hex(8), kind, self.folder, total=total)
        job.folder = self.folder / job.id
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.finished is None)
            if waiting >= self.max_queue:
                raise QueueFull(_("{n} runs are waiting or running (at most {limit}); try again "
                                  "when one has finished").format(n=waiting, limit=self.max_queue))
            self._jobs[job.id] = job
            with self.db.write() as sql:
                sql.execute("INSERT INTO runs (id, kind, status, total, created) VALUES (?,?,?,?,?)",
                            (job.id, kind, job.status, total, job.created))
        return job

    def _start(self, job: Job, work: Callable[[], Callable[[], None] | None],
               done: Callable[[Job], None] | None = None, lane: str = "run") -> Job:
        """Run ``work`` in turn; what it returns (writing the report) runs after the job is
        marked done, so that the numbers reach the page without waiting for the plots."""
        def body() -> None:
            job.status = "running"
            then = None
            try:
                if job.cancelled or self.stopping:
                    raise Cancelled
                then = work()
            except Cancelled:
                job.status, job.error = "cancelled", STOPPED if self.stopping else "superseded"
            except ScenarioError as exc:
                job.status, job.error = "failed", str(exc)
            except Exception as exc:  # noqa: BLE001 - reported in the job, never crashes the server
                job.status, job.error = (("cancelled", STOPPED) if self.stopping
                                         else ("failed", f"{type(exc).__name__}: {exc}"))
            else:
                job.status = "done"
            job.finished = time.time()
            if lane == "run":
                self._record(job)
            if done is not None:
                done(job)
            try:
                if then is not None and not self.stopping:
                    then()
                    job.report = job.folder / "report.html"
            except Exception as exc:  # noqa: BLE001 - the numbers stand without the report
                job.error = f"the report could not be written: {type(exc).__name__}: {exc}"
            finally:
                job.report_written.set()

        try:
            self._lanes[lane].submit(body)
        except RuntimeError:           # the lane has shut down: the server is stopping
            job.status, job.error, job.finished = "cancelled", STOPPED, time.time()
            job.report_written.set()
        return job

    def _record(self, job: Job) -> None:
        """Keep a finished run in the history (a stopping server leaves it to the next start)."""
        if job.status == "cancelled" and self.stopping:
            return
        with self.db.write() as sql:
            sql.execute("UPDATE runs SET status=?, summary=?, replay=?, error=?, finished=? "
                        "WHERE id=?",
                        (job.status, _json(job.summary), _json(job.replay), job.error,
                         job.finished, job.id))

    def _expire(self) -> None:
        """Forget finished runs older than ``keep_seconds`` or beyond the newest ``keep``."""
        now = time.time()
        rows = self.db.rows("SELECT id, finished FROM runs WHERE finished IS NOT NULL "
                            "ORDER BY finished DESC")
        stale = [r["id"] for i, r in enumerate(rows)
                 if i >= self.keep or now - r["finished"] > self.keep_seconds]
        if not stale:
            return
        with self.db.write() as sql:
            for job_id in stale:
                sql.execute("DELETE FROM runs WHERE id=?", (job_id,))
        with self._lock:
            for job_id in stale:
                self._jobs.pop(job_id, None)
        for job_id in stale:
            shutil.rmtree(self.folder / job_id, ignore_errors=True)


def _json(value: Any) -> str | None:
    return None if value is None else dumps(value)
