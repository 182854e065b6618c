"""Quick estimates in a lane of their own: one worker process that only simulates the few days
of a live estimate, so that a drop's numbers never queue behind runs or reports in the main
pool (``jobs.Jobs``). A hall too large to estimate within the time allowed has its worker
killed and replaced, so it cannot hold the lane. ``workers=0``: in the calling thread."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, wait

from ..results.summary import summary_document
from ..runs.simulation import run_day
from ..scenario.scenario import Scenario
from .jobs import _Inline, _worker_start


def _day_metrics(scenario: Scenario, seed: int, replication: int) -> dict[str, float]:
    """One day's metrics only: an estimate needs none of the day's records back."""
    return run_day(scenario, seed, replication).metrics


def _ready() -> None:
    """Nothing: submitted once so that the worker has started (and imported this module's
    simulation) before the first drop."""


class Busy(Exception):
    """As many estimates as the lane takes are waiting already (HTTP 429)."""


class Quick:
    """``estimate(scenario, reps, seed, timeout)``: the summary document of replications 0 to
    ``reps - 1`` of ``seed``, the first days of a run with the same seed. At most ``waiting``
    estimates wait at once (each holds a server thread): more raise ``Busy``."""

    def __init__(self, workers: int = 1, waiting: int = 4):
        self._inline = workers == 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(waiting)
        self._pool = self._new()

    def _new(self) -> Executor:
        if self._inline:
            return _Inline()
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=_worker_start)

    def warm(self) -> None:
        self._pool.submit(_ready)

    def estimate(self, scenario: Scenario, reps: int, seed: int, timeout: float) -> dict:
        """Raises ``TimeoutError`` (and replaces the worker) past ``timeout`` seconds."""
        if not self._slots.acquire(blocking=False):
            raise Busy
        try:
            return self._estimate(scenario, reps, seed, timeout)
        finally:
            self._slots.release()

    def _estimate(self, scenario: Scenario, reps: int, seed: int, timeout: float) -> dict:
        pool = self._pool
        futures = [pool.submit(_day_metrics, scenario, seed, k) for k in range(reps)]
        _done, pending = wait(futures, timeout=timeout)
        if pending:
            with self._lock:
                if self._pool is pool:
                    self._kill(pool)
                    self._pool = self._new()
            raise TimeoutError
        return summary_document(scenario.name, seed, [f.result() for f in futures],
                                scenario.warmup_minutes)

    def close(self) -> None:
        self._kill(self._pool)

    @staticmethod
    def _kill(pool: Executor) -> None:
        if isinstance(pool, ProcessPoolExecutor):
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
