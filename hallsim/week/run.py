"""Run a week: every open day replicated on streams of its own, and the week summed up.

Day ``d`` of base seed ``s`` runs on the seed ``day_seed(s, d)``, derived from ``s`` and the
weekday's name alone: changing Saturday (its load, hours, plan) never changes Monday, and
replication k of Monday is the same day whatever else the week holds.

Replication k of the week is replication k of every open day. Its metrics: counts and hours
summed over the days (``customers``, ``served_*``, ``abandoned``, ``turned_away``,
``staff_hours``, ``overtime_min``, any ``*_hours``), ``max_wait_min`` the week's largest,
``counter_utilisation`` weighted by the days' scheduled counter hours, and every other metric
(rates, mean waits, percentiles) weighted by the days' customers. The week's summary gives
the mean and 95% interval of those over replications.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..model.streams import check_seed
from ..results.summary import summary_document
from ..runs.simulation import Replications, check_runs, replicate
from ..scenario.clock import format_clock
from ..scenario.scenario import Scenario
from .weekfile import Week, WeekDay

SUMMED = {"customers", "served_counter", "served_self_service", "diverted_online", "abandoned",
          "turned_away", "overtime_min"}


def day_seed(seed: int, day: str) -> int:
    """The base seed of weekday ``day`` in a week run with ``seed`` (independent per day)."""
    key = (zlib.crc32(f"day:{day}".encode()),)
    state = np.random.SeedSequence(check_seed(seed), spawn_key=key).generate_state(2, np.uint32)
    return int(state[0]) << 32 | int(state[1])


def counter_hours(sc: Scenario) -> float:
    """Scheduled counter hours of a day's plan, breaks deducted."""
    return sum(s.count * ((s.end - s.start) - sum(b.minutes for b in s.breaks))
               for s in sc.shifts if s.role == "counter") / 60.0


def week_metrics(days: Sequence[tuple[dict[str, float], float]]) -> dict[str, float]:
    """One replication of the week from its days' ``(metrics, counter hours)``."""
    customers = np.array([m["customers"] for m, _h in days], dtype=float)
    hours = np.array([h for _m, h in days], dtype=float)
    out: dict[str, float] = {}
    for name in days[0][0]:
        values = np.array([m[name] for m, _h in days], dtype=float)
        if name in SUMMED or name.endswith("_hours"):
            out[name] = float(values.sum())
        elif name.startswith("max_"):
            out[name] = float(values.max())
        elif name == "counter_utilisation":
            out[name] = float(values @ hours / hours.sum()) if hours.sum() > 0 else 0.0
        else:
            out[name] = float(values @ customers / customers.sum()) if customers.sum() > 0 else 0.0
    return out


@dataclass
class WeekRun:
    """A simulated week: every open day replicated, and the week summed up.

    Made by ``run_week``.

    Attributes
    ----------
    week : Week
        The week simulated.
    seed : int
        The base seed; each weekday runs on ``day_seed(seed, day)``.
    reps : int
        Replications of each open day.
    days : dict of str to Replications
        Weekday → that day's replications, open days only, Monday first.
    """

    week: Week
    seed: int
    reps: int
    days: dict[str, Replications]

    @cached_property
    def runs(self) -> pd.DataFrame:
        """Every simulated day's metrics.

        Returns
        -------
        pandas.DataFrame
            One row per (open day, replication): ``day``, ``replication``, then each metric.
        """
        frames = [r.runs.assign(day=d) for d, r in self.days.items()]
        frame = pd.concat(frames, ignore_index=True)
        return frame[["day", *[c for c in frame.columns if c != "day"]]]

    @cached_property
    def week_runs(self) -> list[dict[str, float]]:
        """The week's metrics, replication by replication (counts summed, rates and waits
        weighted by each day's customers).

        Returns
        -------
        list of dict
            One dict of metric → value per replication.
        """
        hours = {d: counter_hours(r.scenario) for d, r in self.days.items()}
        return [week_metrics([(r.days[k].metrics, hours[d]) for d, r in self.days.items()])
                for k in range(self.reps)]

    @cached_property
    def summary(self) -> dict:
        """The week's summary document (README, "A week"), per day and for the week.

        Returns
        -------
        dict
            ``week``, ``hall``, ``seed``, ``replications``, ``metrics`` (the week's, mean and
            ``ci95``), ``days`` (Monday to Sunday) and ``coverage``; strict JSON once dumped.
        """
        doc = summary_document(self.week.name, self.seed, self.week_runs,
                               self.week.hall.warmup_minutes)
        days = []
        for wd in self.week.days:
            entry: dict = {"day": wd.day, "type": wd.type, "closed": wd.closed}
            if wd.scenario is not None:
                sc = wd.scenario
                entry.update({
                    "load_factor": sc.load_factor,
                    "hours": {"open": format_clock(sc.hours.open),
                              "close": format_clock(sc.hours.close)},
                    "seed": day_seed(self.seed, wd.day),
                    "metrics": self.days[wd.day].summary["metrics"]})
            days.append(entry)
        return {"week": self.week.name, "hall": self.week.hall.name, "seed": self.seed,
                "replications": self.reps, "metrics": doc["metrics"], "days": days,
                "coverage": doc["coverage"]}

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """Every open day's intervals, replication by replication.

        Returns
        -------
        pandas.DataFrame
            The interval table of each day (see "Columns"), with a ``day`` column first.
        """
        frames = [r.intervals.assign(day=d) for d, r in self.days.items()]
        frame = pd.concat(frames, ignore_index=True)
        return frame[["day", *[c for c in frame.columns if c != "day"]]]


def run_week(week: Week, reps: int = 10, seed: int = 1, jobs: int = 1,
             progress: Callable[[int], None] | None = None,
             keep_records: bool = True) -> WeekRun:
    """Simulate every open day of a week, on random numbers of its own.

    Parameters
    ----------
    week : Week
        From ``load_week``.
    reps : int
        Replications of each open day (default 10).
    seed : int
        Base seed (default 1, as on the command line). Weekday ``d`` runs on
        ``day_seed(seed, d)``: changing Saturday never changes Monday.
    jobs : int
        Parallel processes per day (0: all cores).
    progress : callable, optional
        Called with 1 after each simulated day.
    keep_records : bool
        False keeps only each day's metrics (``.intervals`` then raises).

    Returns
    -------
    WeekRun
        ``.days`` (weekday → Replications), ``.runs``, ``.summary``, ``.intervals``.
    """
    if not isinstance(week, Week):
        raise TypeError(f"'week' must be a hallsim Week (hallsim.load_week(path)), got "
                        f"{type(week).__name__}")
    reps, jobs = check_runs(reps, jobs)
    seed = check_seed(seed)
    results: dict[str, Replications] = {}
    for wd in week.open_days:
        results[wd.day] = _replicate_day(wd, reps, seed, jobs, progress, keep_records)
    return WeekRun(week, seed, reps, results)


def _replicate_day(wd: WeekDay, reps: int, seed: int, jobs: int,
                   progress: Callable[[int], None] | None, keep_records: bool) -> Replications:
    assert wd.scenario is not None
    return replicate(wd.scenario, reps=reps, seed=day_seed(seed, wd.day), jobs=jobs,
                     progress=progress, keep_records=keep_records)


__all__ = ["WeekRun", "day_seed", "run_week", "week_metrics"]
