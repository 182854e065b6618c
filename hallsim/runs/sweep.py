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
import signal
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

import pandas as pd

from ..errors import ScenarioError
from ..model.streams import check_seed
from ..results.metrics import METRICS
from ..results.summary import mean_ci95
from ..scenario.scenario import Scenario
from .simulation import check_runs, run_day

Combination = dict[str, Any]


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep; ``partial`` holds the rows completed so far."""

    def __init__(self, partial: pd.DataFrame):
        super().__init__("sweep interrupted")
        self.partial = partial


def combinations(vary: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]) -> list[Combination]:
    """The full grid of a ``{path: values}`` mapping, or an explicit list of combinations."""
    if isinstance(vary, Mapping):
        for path, values in vary.items():
            if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
                raise ValueError(f"vary[{path!r}] must be a list of values (got {values!r})")
        paths = list(vary)
        return [dict(zip(paths, combo, strict=True))
                for combo in itertools.product(*(list(vary[p]) for p in paths))]
    combos = [dict(c) for c in vary]
    if not combos:
        raise ValueError("'vary' needs at least one combination")
    return combos


# Worker side: each worker process rebuilds a combination's scenario once.
_SCENARIOS: dict[str, Scenario] = {}


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us


def _run(raw: dict, origin: str, key: str, seed: int, replication: int) -> dict[str, float]:
    scenario = _SCENARIOS.get(key)
    if scenario is None:
        scenario = _SCENARIOS[key] = Scenario.from_dict(raw, origin)
        if len(_SCENARIOS) > 256:
            _SCENARIOS.clear()
    return run_day(scenario, seed, replication).metrics


def sweep(scenario: Scenario, vary: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]],
          reps: int = 10, seed: int = 0, jobs: int = 0, client: Any = None,
          progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Run every combination ``reps`` times; one row per (combination, replication).

    Columns: one per varied path, ``combination``, ``replication``, then every metric.
    Combinations that are invalid or fail are left out and listed in
    ``df.attrs["failures"]`` (each with its parameters and the reason).
    ``jobs=0`` uses all cores; ``client`` (a ``dask.distributed.Client``) runs on Dask.
    """
    check_runs(reps, jobs)
    seed = check_seed(seed)
    combos = combinations(vary)
    failures: list[dict[str, Any]] = []
    tasks: list[tuple[int, int, tuple]] = []
    for index, combo in enumerate(combos):
        try:
            changed = scenario.with_changes(combo)
        except ScenarioError as exc:
            failures.append({"combination": index, **combo, "reason": str(exc)})
            continue
        raw, key = changed.to_dict(), json.dumps(combo, sort_keys=True, default=str)
        tasks += [(index, k, (raw, changed.origin, key, seed, k)) for k in range(reps)]

    results: dict[tuple[int, int], dict[str, float]] = {}
    failed: dict[int, str] = {}

    def done(index: int, k: int, outcome: dict[str, float] | BaseException) -> None:
        if isinstance(outcome, BaseException):
            failed.setdefault(index, f"{type(outcome).__name__}: {outcome}")
        else:
            results[(index, k)] = outcome
        if progress:
            progress(1)

    try:
        if client is not None:
            _on_dask(client, tasks, done)
        elif (jobs or os.cpu_count() or 1) == 1 or len(tasks) <= 1:
            for index, k, args in tasks:
                try:
                    outcome: dict[str, float] | BaseException = _run(*args)
                except Exception as exc:  # noqa: BLE001 - one bad combination must not stop the rest
                    outcome = exc
                done(index, k, outcome)
        else:
            _on_processes(jobs or os.cpu_count() or 1, tasks, done)
    except KeyboardInterrupt:
        raise SweepInterrupted(_frame(combos, results, failures, failed)) from None
    return _frame(combos, results, failures, failed)


def _on_processes(jobs: int, tasks: list, done: Callable) -> None:
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_ignore_sigint)
    try:
        # Keep a bounded number of runs in flight so Ctrl-C is prompt and memory stays flat.
        pending: dict[Future, tuple[int, int]] = {}
        queue = iter(tasks)
        limit = 4 * jobs
        while True:
            for index, k, args in itertools.islice(queue, limit - len(pending)):
                pending[pool.submit(_run, *args)] = (index, k)
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index, k = pending.pop(future)
                error = future.exception()
                done(index, k, error if error is not None else future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _on_dask(client: Any, tasks: list, done: Callable) -> None:
    from distributed import as_completed

    futures = {client.submit(_run, *args, pure=False): (index, k) for index, k, args in tasks}
    try:
        for future in as_completed(list(futures)):
            index, k = futures[future]
            error = future.exception() if future.status == "error" else None
            done(index, k, error if error is not None else future.result())
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
    frame = pd.DataFrame(rows, columns=[*paths, "combination", "replication", *METRICS])
    frame.attrs["failures"] = sorted(failures, key=lambda f: f["combination"])
    return frame


def summarise(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% CI half-width of every metric, one row per combination."""
    keys = [c for c in frame.columns if c not in METRICS and c != "replication"]
    rows = []
    for _, group in frame.groupby("combination", sort=True):
        row = {k: group[k].iloc[0] for k in keys}
        row["replications"] = len(group)
        for metric in METRICS:
            mean, half = mean_ci95(group[metric].to_numpy())
            row[metric] = mean
            row[f"{metric}_ci95"] = half
        rows.append(row)
    return pd.DataFrame(rows)
