"""Run days: ``simulate`` (one day) and ``replicate`` (many, with confidence intervals)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property, partial
from typing import Any

import pandas as pd

from ..model.hall import Hall
from ..model.population import draw_population
from ..model.streams import Streams, check_seed
from ..results.intervals import day_intervals
from ..results.metrics import METRICS, day_metrics
from ..results.records import DayRecords, customers_frame, record_day
from ..results.summary import summary_document
from ..scenario.scenario import Scenario
from .arguments import DEFAULT_JOBS, DEFAULT_SEED, check_scenario, progress_callback, whole
from .precision import check_until, next_size, precision_met
from .tables import integer_counts
from .workers import WorkerPool


class Day:
    """One simulated day: ``.customers``, ``.intervals``, ``.staff``, ``.metrics``, ``.summary``.

    Made by ``simulate`` and ``replicate``; not built by hand. The tables' columns are
    listed in the API reference ("Columns").

    Attributes
    ----------
    scenario : Scenario
        The scenario simulated.
    seed : int
        The base seed.
    replication : int
        Which replication of that seed this day is (``simulate`` gives replication 0).
    """

    def __init__(self, scenario: Scenario, seed: int, replication: int, records: DayRecords):
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self._records: DayRecords | None = records

    @property
    def records(self) -> DayRecords:
        """The day's raw records (columnar customer records and the staff trace).

        Returns
        -------
        DayRecords
            Raises ``ValueError`` if the day kept only its metrics.
        """
        if self._records is None:
            raise ValueError(f"replication {self.replication} kept only its metrics "
                             "(replicate(..., keep_records=False)); customers, intervals and "
                             "staff need keep_records=True")
        return self._records

    def drop_records(self) -> Day:
        """Keep the metrics, let the per-customer records go (memory flat over many days).

        Returns
        -------
        Day
            This day, now without ``customers``, ``intervals`` and ``staff``.
        """
        _ = self.metrics
        self._records = None
        return self

    @cached_property
    def metrics(self) -> dict[str, float]:
        """The day's metrics.

        Returns
        -------
        dict
            ``{metric name: value}`` for every metric of the summary document.
        """
        return day_metrics(self.records, self.scenario)

    @cached_property
    def customers(self) -> pd.DataFrame:
        """One row per customer who arrived (the API reference's column dictionary, "customers").

        Returns
        -------
        pandas.DataFrame
        """
        return customers_frame(self.scenario, self.records.customers)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """One row per ``interval_minutes`` of the day (the column dictionary, "intervals").

        Returns
        -------
        pandas.DataFrame
        """
        return day_intervals(self.records, self.scenario)

    @property
    def staff(self) -> pd.DataFrame:
        """One row per staff member, with shift, role, times, busy and overtime minutes (the
        column dictionary, "staff").

        Returns
        -------
        pandas.DataFrame
        """
        return self.records.staff

    @property
    def summary(self) -> dict:
        """The summary document (of one replication, so every ``ci95`` is None).

        Returns
        -------
        dict
            ``{"scenario", "seed", "replications", "metrics", "coverage"}``.
        """
        return summary_document(self.scenario.name, self.seed, [self.metrics],
                                self.scenario.warmup_minutes)


def run_day(scenario: Scenario, seed: int, replication: int = 0) -> Day:
    """Replication ``replication`` of base seed ``seed``: the same day whatever else runs."""
    population = draw_population(scenario, Streams(seed, replication))
    hall = Hall(scenario, population).run()
    return Day(scenario, seed, replication, record_day(scenario, hall))


def simulate(scenario: Scenario, seed: int = DEFAULT_SEED) -> Day:
    """Simulate one day; the same day as replication 0 of ``replicate(scenario, seed=seed)``.

    Parameters
    ----------
    scenario : Scenario
        The hall and its plan (``load_scenario`` or ``Scenario.from_dict``).
    seed : int
        Base seed, a non-negative integer (default 1, as on the command line).

    Returns
    -------
    Day
        The day's customers, intervals, staff trace, metrics and summary.
    """
    return run_day(check_scenario(scenario), check_seed(seed), 0)


class Replications:
    """Several independent days of one scenario, summarised with 95% confidence intervals.

    Made by ``replicate``. Day k is replication k of ``seed``.

    Attributes
    ----------
    scenario : Scenario
        The scenario simulated.
    seed : int
        The base seed.
    days : list of Day
        The days, in replication order.
    until : dict or None
        The precision asked of ``replicate`` (``{metric: half-width}``), if any.
    """

    def __init__(self, scenario: Scenario, seed: int, days: list[Day],
                 until: dict[str, float] | None = None):
        self.scenario = scenario
        self.seed = seed
        self.days = days
        self.until = until

    @cached_property
    def runs(self) -> pd.DataFrame:
        """One row per replication, one column per metric.

        Returns
        -------
        pandas.DataFrame
            ``replication`` then every metric; counts are integers. A hall with counter
            groups or appointments adds ``groups.NAME.METRIC``, ``services.NAME.METRIC``
            and ``booked.METRIC`` after them.
        """
        zones = [k for k in (self.days[0].metrics if self.days else {}) if k not in METRICS]
        frame = integer_counts(pd.DataFrame([day.metrics for day in self.days],
                                            columns=[*METRICS, *zones]))
        frame.insert(0, "replication", [day.replication for day in self.days])
        return frame

    @property
    def met(self) -> bool | None:
        """Whether every half-width asked with ``until`` was reached (None without ``until``).

        Returns
        -------
        bool or None
        """
        if self.until is None:
            return None
        return precision_met(self.summary["metrics"], self.until)

    @cached_property
    def summary(self) -> dict:
        """The summary document, with the mean and 95% CI half-width of every metric.

        Returns
        -------
        dict
            ``{"scenario", "seed", "replications", "metrics", "coverage"}``.
        """
        return summary_document(self.scenario.name, self.seed, [d.metrics for d in self.days],
                                self.scenario.warmup_minutes)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """Every day's intervals stacked, with a leading ``replication`` column.

        Returns
        -------
        pandas.DataFrame
        """
        return _stack([d.intervals for d in self.days], self.days)

    @cached_property
    def customers(self) -> pd.DataFrame:
        """Every day's customers stacked, with a leading ``replication`` column.

        Returns
        -------
        pandas.DataFrame
        """
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


def replicate(scenario: Scenario, reps: int = 10, seed: int = DEFAULT_SEED,
              jobs: int = DEFAULT_JOBS, progress: Callable[[int], None] | bool | None = None,
              keep_records: bool = True, *, until: Mapping[str, float] | None = None,
              max_reps: int | None = None, first: int = 0) -> Replications:
    """Simulate independent days; replication k is the same day whatever ``reps`` or ``jobs``.

    Parameters
    ----------
    scenario : Scenario
        The hall and its plan.
    reps : int
        Replications (default 10). With ``until``, the first batch (at least 2).
    seed : int
        Base seed (default 1, as on the command line).
    jobs : int
        Worker processes (default 1; 0 means all cores). A worker that dies is replaced
        and its replication run again once; results do not depend on ``jobs``.
    progress : callable or bool, optional
        A function called with the number of days just finished, or True for a progress
        bar on stderr.
    keep_records : bool
        False keeps only each day's metrics (enough for ``.summary`` and ``.runs``), so
        memory stays flat whatever ``reps`` is; ``.customers`` and ``.intervals`` then raise.
    until : mapping, optional
        ``{metric: half-width}``: add replications until every named metric's 95% CI
        half-width is at most its target, e.g. ``{"mean_wait_min": 0.1}``.
    max_reps : int, optional
        With ``until``, never run more replications than this (default 1000). Check
        ``.met`` to see whether the targets were reached within it.
    first : int
        The days are replications ``first``, ``first + 1``, ... (default 0). A large
        ``first`` gives a family of days independent of replications 0, 1, ... of the
        same seed (the staffing advisor verifies its plan on such days).

    Returns
    -------
    Replications
        The days, ``.runs`` (one row per day) and ``.summary`` (the summary document).
    """
    if not isinstance(keep_records, bool):
        raise TypeError(f"'keep_records' must be True or False, got {keep_records!r}")
    check_scenario(scenario)
    reps, jobs = check_runs(reps, jobs)
    seed = check_seed(seed)
    targets, cap = check_until(until, max_reps, reps)
    first = whole(first, "first", 0)
    days: dict[int, Day] = {}
    one_day = run_day if keep_records else metrics_day
    with progress_callback(progress, cap if targets else reps, scenario.name) as advance, \
            Runner(partial(one_day, scenario, seed), min(jobs or os.cpu_count() or 1, cap)) as runner:
        wanted = reps
        while len(days) < wanted:
            for k, day in runner.run(range(first + len(days), first + wanted)):
                day.scenario = scenario  # not one unpickled copy of the scenario per day
                days[k - first] = day
                if advance:
                    advance(1)
            if targets:
                wanted = next_size([days[k].metrics for k in range(len(days))], targets, cap)
    return Replications(scenario, seed, [days[k] for k in range(len(days))],
                        until=dict(targets) if targets else None)


class Runner:
    """Runs ``one_day(k)`` for replications k in this process or in a ``WorkerPool``."""

    def __init__(self, one_day: Callable[[int], Day], jobs: int):
        self.one_day, self.jobs = one_day, jobs
        self.pool: WorkerPool | None = None

    def __enter__(self) -> Runner:
        if self.jobs > 1:
            self.pool = WorkerPool(self.one_day, self.jobs, chunk=None).__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.pool is not None:
            self.pool.__exit__(*exc)

    def run(self, replications: range) -> Iterator[tuple[int, Day]]:
        if self.pool is None or len(replications) == 1:
            for k in replications:
                yield k, self.one_day(k)
            return
        for k, day in self.pool.run(((k, (k,)) for k in replications), total=len(replications)):
            if isinstance(day, BaseException):
                raise day
            yield k, day
