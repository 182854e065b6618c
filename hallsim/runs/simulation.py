"""Run days: ``simulate`` (one day) and ``replicate`` (many, with confidence intervals)."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property, partial

import pandas as pd

from ..model.hall import Hall
from ..model.population import draw_population
from ..model.streams import Streams, check_seed
from ..results.intervals import day_intervals
from ..results.metrics import day_metrics
from ..results.records import DayRecords, customers_frame, record_day
from ..results.summary import summary_document
from ..scenario.scenario import Scenario
from .arguments import check_progress, check_scenario, whole
from .workers import WorkerPool


class Day:
    """One simulated day: ``.customers``, ``.intervals``, ``.metrics`` and ``.summary``."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, records: DayRecords):
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self._records: DayRecords | None = records

    @property
    def records(self) -> DayRecords:
        if self._records is None:
            raise ValueError(f"replication {self.replication} kept only its metrics "
                             "(replicate(..., keep_records=False)); customers, intervals and "
                             "staff need keep_records=True")
        return self._records

    def drop_records(self) -> Day:
        """Keep the metrics, let the per-customer records go (memory flat over many days)."""
        _ = self.metrics
        self._records = None
        return self

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
    return run_day(check_scenario(scenario), check_seed(seed), 0)


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


def check_runs(reps: int, jobs: int) -> tuple[int, int]:
    """Check the number of replications and of parallel processes (numpy integers are
    fine); returns them as ints, or raises naming the argument."""
    return whole(reps, "reps", 1), whole(jobs, "jobs", 0, " (0 means all cores)")


def metrics_day(scenario: Scenario, seed: int, replication: int) -> Day:
    """A day that keeps only its metrics (what a summary needs)."""
    return run_day(scenario, seed, replication).drop_records()


def replicate(scenario: Scenario, reps: int = 10, seed: int = 0, jobs: int = 1,
              progress: Callable[[int], None] | None = None,
              keep_records: bool = True) -> Replications:
    """``reps`` independent days; replication k is the same day whatever ``reps`` or ``jobs``.

    With ``jobs`` > 1, at most one replication per process is in flight; a worker that dies
    is replaced and its replication run again once. ``keep_records=False`` keeps only each
    day's metrics (enough for ``.summary`` and ``.runs``), so memory stays flat whatever
    ``reps`` is; ``.customers`` and ``.intervals`` then raise.
    """
    if not isinstance(keep_records, bool):
        raise TypeError(f"'keep_records' must be True or False, got {keep_records!r}")
    check_scenario(scenario)
    reps, jobs = check_runs(reps, jobs)
    seed = check_seed(seed)
    check_progress(progress)
    jobs = min(jobs or os.cpu_count() or 1, reps)
    days: dict[int, Day] = {}
    if jobs == 1:
        for k in range(reps):
            days[k] = run_day(scenario, seed, k) if keep_records else metrics_day(scenario, seed, k)
            if progress:
                progress(1)
    else:
        one_day = run_day if keep_records else metrics_day
        with WorkerPool(partial(one_day, scenario, seed), jobs) as pool:
            for k, day in pool.run((k, (k,)) for k in range(reps)):
                if isinstance(day, BaseException):
                    raise day
                day.scenario = scenario  # not one unpickled copy of the scenario per day
                days[k] = day
                if progress:
                    progress(1)
    return Replications(scenario, seed, [days[k] for k in range(reps)])
