"""Run days: ``simulate`` (one day) and ``replicate`` (many, with confidence intervals)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import cached_property

import pandas as pd

from ..model.hall import Hall
from ..model.population import draw_population
from ..model.streams import Streams, check_seed
from ..results.intervals import day_intervals
from ..results.metrics import day_metrics
from ..results.records import DayRecords, customers_frame, record_day
from ..results.summary import summary_document
from ..scenario.scenario import Scenario


class Day:
    """One simulated day: ``.customers``, ``.intervals``, ``.metrics`` and ``.summary``."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, records: DayRecords):
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.records = records

    @cached_property
    def metrics(self) -> dict[str, float]:
        return day_metrics(self.records, self.scenario)

    @cached_property
    def customers(self) -> pd.DataFrame:
        return customers_frame(self.scenario, self.records.customers)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        return day_intervals(self.records, self.scenario)

    @property
    def staff(self) -> pd.DataFrame:
        return self.records.staff

    @property
    def summary(self) -> dict:
        return summary_document(self.scenario.name, self.seed, [self.metrics],
                                self.scenario.warmup_minutes)


def run_day(scenario: Scenario, seed: int, replication: int = 0) -> Day:
    """Replication ``replication`` of base seed ``seed``: the same day whatever else runs."""
    population = draw_population(scenario, Streams(seed, replication))
    hall = Hall(scenario, population).run()
    return Day(scenario, seed, replication, record_day(scenario, hall))


def simulate(scenario: Scenario, seed: int = 0) -> Day:
    """One day; the same as replication 0 of ``replicate(scenario, seed=seed)``."""
    return run_day(scenario, check_seed(seed), 0)


class Replications:
    """Several independent days of one scenario, summarised with 95% confidence intervals."""

    def __init__(self, scenario: Scenario, seed: int, days: list[Day]):
        self.scenario = scenario
        self.seed = seed
        self.days = days

    @cached_property
    def runs(self) -> pd.DataFrame:
        """One row per replication, one column per metric."""
        frame = pd.DataFrame([day.metrics for day in self.days])
        frame.insert(0, "replication", [day.replication for day in self.days])
        return frame

    @cached_property
    def summary(self) -> dict:
        return summary_document(self.scenario.name, self.seed, [d.metrics for d in self.days],
                                self.scenario.warmup_minutes)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        return _stack([d.intervals for d in self.days], self.days)

    @cached_property
    def customers(self) -> pd.DataFrame:
        return _stack([d.customers for d in self.days], self.days)


def _stack(frames: list[pd.DataFrame], days: list[Day]) -> pd.DataFrame:
    out = pd.concat(frames, keys=[d.replication for d in days], names=["replication", None])
    return out.reset_index(level=0).reset_index(drop=True)


def _run_task(args: tuple[Scenario, int, int]) -> Day:
    return run_day(*args)


def check_runs(reps: int, jobs: int) -> None:
    """Reject a bad number of replications or of parallel processes, naming it."""
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise ValueError(f"'reps' must be an integer >= 1 (got {reps!r})")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise ValueError(f"'jobs' must be an integer >= 0, 0 meaning all cores (got {jobs!r})")


def replicate(scenario: Scenario, reps: int = 10, seed: int = 0, jobs: int = 1,
              progress: Callable[[int], None] | None = None) -> Replications:
    """``reps`` independent days; replication k is the same day whatever ``reps`` or ``jobs``."""
    check_runs(reps, jobs)
    seed = check_seed(seed)
    jobs = jobs or os.cpu_count() or 1
    tasks = [(scenario, seed, k) for k in range(reps)]
    days: list[Day] = []
    if jobs == 1 or reps == 1:
        for task in tasks:
            days.append(_run_task(task))
            if progress:
                progress(1)
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, reps)) as pool:
            for day in pool.map(_run_task, tasks):
                days.append(day)
                if progress:
                    progress(1)
    return Replications(scenario, seed, days)
