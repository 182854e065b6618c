"""Parameter sweeps: many combinations × replications, in parallel or on a Dask cluster.

Replication k of every combination runs on stream (seed, k), so every combination
sees the same customers for replication k (common random numbers): differences
between combinations are paired. Results never depend on execution order, on
``jobs`` or on where the runs happened.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

from ..errors import ScenarioError
from ..model.streams import check_seed
from ..results.metrics import METRICS
from ..scenario.scenario import Scenario
from .analysis import summarise  # noqa: F401 - where it was first defined
from .arguments import (
    DEFAULT_JOBS,
    DEFAULT_SEED,
    check_client,
    check_paths,
    check_progress,
    check_scenario,
    check_vary,
    progress_callback,
)
from .simulation import check_runs, run_day
from .tables import integer_counts
from .workers import ChunkSizer, WorkerDied, WorkerPool

Combination = dict[str, Any]


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep; ``partial`` holds the rows completed so far.

    Attributes
    ----------
    partial : pandas.DataFrame
        The rows finished before the interruption, in the layout ``sweep`` returns.
    """

    def __init__(self, partial: pd.DataFrame):
        super().__init__("sweep interrupted")
        self.partial = partial


class SweepFailed(RuntimeError):
    """Every run of a sweep failed: there is no row to return.

    Attributes
    ----------
    failures : list of dict
        Each failed combination: ``combination`` (its index), its parameters and ``reason``.
    bad_input : bool
        True when every combination was refused as a scenario (a value out of range), so
        the input, not the simulation, is at fault.
    """

    def __init__(self, failures: list[dict[str, Any]], bad_input: bool):
        reasons = sorted({str(f["reason"]) for f in failures})
        super().__init__("every run of the sweep failed: " + "; ".join(reasons))
        self.failures = failures
        self.bad_input = bad_input


def combinations(vary: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]) -> list[Combination]:
    """The full grid of a ``{path: values}`` mapping, or an explicit list of combinations."""
    vary = check_vary(vary)
    if isinstance(vary, Mapping):
        paths = list(vary)
        return [dict(zip(paths, combo, strict=True))
                for combo in itertools.product(*(vary[p] for p in paths))]
    return vary


# Worker side: each worker process rebuilds a combination's scenario once.
_SCENARIOS: dict[str, Scenario] = {}


def _run(raw: dict, origin: str, key: str, seed: int, replication: int) -> dict[str, float]:
    scenario = _SCENARIOS.get(key)
    if scenario is None:
        scenario = _SCENARIOS[key] = Scenario.from_dict(raw, origin)
        if len(_SCENARIOS) > 256:
            _SCENARIOS.clear()
    return run_day(scenario, seed, replication).metrics


Key = tuple[int, int]   # (combination, replication)
Row = dict[str, Any]


def sweep(scenario: Scenario, vary: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]],
          reps: int = 10, seed: int = DEFAULT_SEED, jobs: int = DEFAULT_JOBS, client: Any = None,
          progress: Callable[[int], None] | bool | None = None, *,
          on_row: Callable[[Row], None] | None = None,
          done: Mapping[Key, Mapping[str, float]] | None = None) -> pd.DataFrame:
    """Run every combination ``reps`` times; one row per (combination, replication).

    Replication k of every combination sees the same customers (common random numbers), so
    rows with the same ``replication`` are paired: compare them with ``contrasts``.

    Parameters
    ----------
    scenario : Scenario
        The scenario every combination changes.
    vary : mapping or list of mappings
        ``{path: [values, ...]}`` for the full grid (factorial design) of dotted paths, or
        an explicit list of ``{path: value}`` combinations (for example from ``design``).
        An unknown path raises ``ValueError`` before anything runs.
    reps : int
        Replications per combination (default 10).
    seed : int
        Base seed (default 1, as on the command line); replication k uses stream (seed, k).
    jobs : int
        Local worker processes (default 1; 0 means all cores). The table is the same
        whatever ``jobs`` is.
    client : dask.distributed.Client, optional
        Run on this Dask cluster instead of local processes (see docs/dask.md).
    progress : callable or bool, optional
        True for a progress bar on stderr (shown on a terminal), or a function called with
        the number of runs just finished (1, or ``reps`` for a combination that could not
        run). The command line shows a bar by default.
    on_row : callable, optional
        Called with each row (a dict) as it completes, to stream rows to a file.
    done : mapping, optional
        ``{(combination, replication): metrics}`` already computed (to resume).

    Returns
    -------
    pandas.DataFrame
        Columns: one per varied path, ``combination``, ``replication``, then every metric
        (counts as integers). Combinations that are invalid or fail are left out and
        listed in ``df.attrs["failures"]`` (each with its parameters and the reason). A
        worker process that dies costs only its run, which is tried once more.

    Raises
    ------
    ValueError
        An argument is wrong, or a path in ``vary`` names no field of the scenario.
    SweepFailed
        Every run failed (for example every value of ``vary`` is out of range).
    """
    check_scenario(scenario)
    reps, jobs = check_runs(reps, jobs)
    seed = check_seed(seed)
    check_client(client)
    check_progress(progress)
    combos = combinations(check_vary(vary))
    check_paths(scenario, combos)
    with progress_callback(progress, len(combos) * reps, scenario.name) as advance:
        return _sweep(scenario, combos, reps, seed, jobs, client, advance, on_row, done)


def _sweep(scenario: Scenario, combos: list[Combination], reps: int, seed: int, jobs: int,
           client: Any, progress: Callable[[int], None] | None,
           on_row: Callable[[Row], None] | None,
           done: Mapping[Key, Mapping[str, float]] | None) -> pd.DataFrame:
    failures: list[dict[str, Any]] = []
    results: dict[Key, Mapping[str, float]] = {
        key: metrics for key, metrics in (done or {}).items()
        if 0 <= key[0] < len(combos) and 0 <= key[1] < reps}
    failed: dict[int, str] = {}
    if progress and results:
        progress(len(results))

    def tasks() -> Iterator[tuple[Key, tuple]]:
        for index, combo in enumerate(combos):
            if all((index, k) in results for k in range(reps)):
                continue
            try:
                changed = scenario.with_changes(combo)
            except ScenarioError as exc:
                failures.append({"combination": index, **combo, "reason": str(exc)})
                if progress:
                    progress(reps)
                continue
            raw, key = changed.to_dict(), json.dumps(combo, sort_keys=True, default=str)
            for k in range(reps):
                if (index, k) not in results:
                    yield (index, k), (raw, changed.origin, key, seed, k)

    def finish(key: Key, outcome: Mapping[str, float] | BaseException) -> None:
        index, k = key
        if isinstance(outcome, BaseException):
            reason = str(outcome) if isinstance(outcome, WorkerDied) else \
                f"{type(outcome).__name__}: {outcome}"
            failed.setdefault(index, reason)
        else:
            results[key] = outcome
            if on_row is not None:
                on_row({**combos[index], "combination": index, "replication": k, **outcome})
        if progress:
            progress(1)

    total = len(combos) * reps - len(results)
    try:
        if client is not None:
            _on_dask(client, tasks(), finish, total)
        elif (jobs or os.cpu_count() or 1) == 1:
            for key, args in tasks():
                try:
                    outcome: Mapping[str, float] | BaseException = _run(*args)
                except Exception as exc:  # noqa: BLE001 - one bad combination must not stop the rest
                    outcome = exc
                finish(key, outcome)
        else:
            with WorkerPool(_run, jobs or os.cpu_count() or 1, chunk=None) as pool:
                for key, outcome in pool.run(tasks(), total=total):
                    finish(key, outcome)
    except KeyboardInterrupt:
        raise SweepInterrupted(_frame(combos, results, failures, failed)) from None
    refused = len(failures)
    frame = _frame(combos, results, failures, failed)
    if frame.empty and failures:
        raise SweepFailed(frame.attrs["failures"], bad_input=refused == len(failures))
    return frame


def _run_chunk(chunk: list[tuple]) -> list[tuple[str, Any, float]]:
    """On a Dask worker: several runs, each ``("ok", metrics, seconds)`` or ``("error",
    exception, seconds)``, so one failing run does not take its chunk's others with it."""
    replies: list[tuple[str, Any, float]] = []
    for args in chunk:
        started = time.perf_counter()
        try:
            replies.append(("ok", _run(*args), time.perf_counter() - started))
        except Exception as exc:  # noqa: BLE001 - reported per run, as in the local pool
            replies.append(("error", exc, time.perf_counter() - started))
    return replies


def _on_dask(client: Any, tasks: Iterator[tuple[Key, tuple]], finish: Callable, total: int) -> None:
    """Run on a Dask cluster: chunks of runs sized from the measured time per run (as in the
    local pool), a bounded number of chunks in flight (four per worker thread)."""
    from distributed import as_completed

    slots = max(1, sum(client.nthreads().values()))
    sizer = ChunkSizer(None, slots, total)
    futures: dict[Any, list[Key]] = {}

    def submit() -> Any:
        chunk: list[tuple[Key, tuple]] = []
        wanted = sizer.size()
        while len(chunk) < wanted:
            item = next(tasks, None)
            if item is None:
                break
            chunk.append(item)
            sizer.drawn += 1
        if not chunk:
            return None
        future = client.submit(_run_chunk, [args for _key, args in chunk], pure=False)
        futures[future] = [key for key, _args in chunk]
        return future

    first = [f for f in (submit() for _ in range(4 * slots)) if f is not None]
    try:
        running = as_completed(first)
        for future in running:
            keys = futures.pop(future)
            if future.status == "error":  # the chunk as a whole failed (a worker was lost)
                error = future.exception()
                for key in keys:
                    finish(key, error)
            else:
                for key, (_status, value, seconds) in zip(keys, future.result(), strict=True):
                    sizer.observe(seconds)
                    finish(key, value)
            following = submit()
            if following is not None:
                running.add(following)
    finally:
        client.cancel(list(futures))


def _frame(combos: list[Combination], results: dict, failures: list, failed: dict) -> pd.DataFrame:
    for index, reason in sorted(failed.items()):
        failures.append({"combination": index, **combos[index], "reason": reason})
    rows = []
    for (index, k), metrics in sorted(results.items()):
        if index in failed:
            continue
        rows.append({**combos[index], "combination": index, "replication": k, **metrics})
    paths = list(dict.fromkeys(p for c in combos for p in c))
    frame = integer_counts(pd.DataFrame(rows, columns=[*paths, "combination", "replication",
                                                       *METRICS]))
    frame.attrs["failures"] = sorted(failures, key=lambda f: f["combination"])
    return frame
