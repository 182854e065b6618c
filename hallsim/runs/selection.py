"""Ranking and selection: which of these plans is best, with a stated confidence.

``select_best`` runs the fully sequential procedure of Kim and Nelson (2001, "A fully
sequential procedure for indifference-zone selection in simulation", ACM TOMACS 11(3)),
which suits hallsim because day k of every plan sees the same customers (common random
numbers): the procedure works on the paired differences between plans, so the customers'
day-to-day noise cancels, and a plan that is clearly worse is dropped after a few days
while close rivals get more.

The guarantee, in the planner's words: if the best plan is better than every other by at
least ``delta`` (the indifference zone: a difference too small to matter), it is the one
chosen with probability at least 1 − ``alpha``; when several plans are within ``delta`` of
the best, any of them may be chosen, which is fine since the difference does not matter.

Days are added to the surviving plans in rounds that grow with the days run so far (at
most a quarter more each round): checking eliminations less often than after every day
only removes chances to drop a plan, so the guarantee still holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model.streams import check_seed
from ..results.metrics import METRICS
from ..scenario.scenario import Scenario
from .arguments import DEFAULT_JOBS, DEFAULT_SEED, check_scenario, whole
from .compare import HIGHER_IS_BETTER, NO_DIRECTION
from .simulation import check_runs, replicate


@dataclass
class Selection:
    """What ``select_best`` found.

    Attributes: ``metric``, ``delta``, ``alpha``; ``names`` (one per plan, in the order
    given); ``days`` (days run per plan: a plan dropped early has fewer); ``means`` (each
    plan's mean of the metric over its own days); ``dropped_after`` (the day count at which
    each plan was dropped, None for survivors); ``survivors`` (the plans still in contention
    at the end: one when the selection settled).
    """

    metric: str
    delta: float
    alpha: float
    names: list[str]
    days: list[int]
    means: list[float]
    dropped_after: list[int | None]
    survivors: list[int] = field(default_factory=list)

    @property
    def settled(self) -> bool:
        """Whether one plan is left.

        Returns
        -------
        bool
            True when every other plan was dropped within ``max_reps`` days.
        """
        return len(self.survivors) == 1

    @property
    def best(self) -> str | None:
        """The chosen plan's name.

        Returns
        -------
        str or None
            The name of the one plan left, or None when several are still in contention
            (see ``survivors`` and ``sentence``).
        """
        return self.names[self.survivors[0]] if self.settled else None

    @property
    def table(self) -> pd.DataFrame:
        """One row per plan, best first.

        Returns
        -------
        pandas.DataFrame
            ``plan``, ``days``, the metric's mean, ``dropped_after`` (days; NA for plans
            still in contention) and ``chosen`` (True for the selected plan).
        """
        rows = pd.DataFrame({"plan": self.names, "days": self.days, self.metric: self.means,
                             "dropped_after": pd.array(self.dropped_after, dtype="Int64"),
                             "chosen": [self.settled and i in self.survivors
                                        for i in range(len(self.names))]})
        # Survivors first, then plans in the reverse order they were dropped.
        order = sorted(range(len(self.names)), key=lambda i: (
            self.dropped_after[i] is not None, -(self.dropped_after[i] or 0),
            -self.means[i] if self.metric in HIGHER_IS_BETTER else self.means[i]))
        return rows.iloc[order].reset_index(drop=True)

    @property
    def sentence(self) -> str:
        """The result in one sentence a planner reads.

        Returns
        -------
        str
            Which plan is best and how sure that is, or which plans are still too close
            to call.
        """
        confidence = f"{100 * (1 - self.alpha):g}%"
        if self.settled:
            i = self.survivors[0]
            return (f"{self.names[i]} is the best of {len(self.names)} plans on {self.metric} "
                    f"({self.means[i]:.3g} over {self.days[i]} days): {confidence} sure, "
                    f"unless another plan is within {self.delta:g} of it.")
        names = ", ".join(self.names[i] for i in self.survivors)
        return (f"Too close to call on {self.metric} after {max(self.days)} days: {names} are "
                f"still in contention (within {self.delta:g} of one another as far as the days "
                f"tell); raise max_reps or accept any of them.")


def kn_constants(plans: int, first: int, alpha: float) -> float:
    """h² of Kim and Nelson's procedure for ``plans`` plans, ``first`` days and ``alpha``.

    Parameters
    ----------
    plans : int
        Number of plans k (at least 2).
    first : int
        Days in the first stage, n0 (at least 2).
    alpha : float
        1 − the probability of a correct selection.

    Returns
    -------
    float
        h² = 2η(n0 − 1), with η = ((2α/(k − 1))^(−2/(n0 − 1)) − 1) / 2.
    """
    eta = 0.5 * ((2 * alpha / (plans - 1)) ** (-2 / (first - 1)) - 1)
    return 2 * eta * (first - 1)


def select_best(scenarios: Sequence[Scenario], metric: str = "mean_wait_min", delta: float = 0.5,
                alpha: float = 0.05, first: int = 10, max_reps: int = 400,
                seed: int = DEFAULT_SEED, jobs: int = DEFAULT_JOBS,
                names: Sequence[str] | None = None) -> Selection:
    """Choose the best of several plans, with a stated confidence (Kim–Nelson procedure).

    Parameters
    ----------
    scenarios : sequence of Scenario
        The plans (at least 2); day k of each sees the same customers.
    metric : str
        The summary metric to rank on (default ``mean_wait_min``). Lower is better, except
        for ``service_level``, ``promoter_rate`` and ``nps``.
    delta : float
        The indifference zone, in the metric's unit (default 0.5): a difference smaller than
        this does not matter to you.
    alpha : float
        1 − the probability of choosing the best when it is ``delta`` ahead (default 0.05).
    first : int
        Days every plan runs before any is dropped (default 10, at least 2).
    max_reps : int
        Never run a plan for more days than this (default 400); if several plans are still
        in contention then, the result says so rather than guessing.
    seed : int
        Base seed shared by all plans (default 1).
    jobs : int
        Worker processes (default 1; 0: all cores). Results do not depend on it.
    names : sequence of str, optional
        The plans' names in the result; None: their scenario names (numbered when repeated).

    Returns
    -------
    Selection
        ``best``, ``survivors``, ``table`` (one row per plan) and ``sentence``.
    """
    plans = list(scenarios)
    if len(plans) < 2:
        raise ValueError(f"'scenarios' must hold at least 2 plans to choose from, got {len(plans)}")
    for i, sc in enumerate(plans):
        check_scenario(sc, f"scenarios[{i}]")
    if metric not in METRICS or metric in NO_DIRECTION:
        ranked = [m for m in METRICS if m not in NO_DIRECTION]
        raise ValueError(f"'metric' must be one of {', '.join(ranked)}, got {metric!r}")
    for value, label, low, high in ((delta, "delta", 0.0, math.inf), (alpha, "alpha", 0.0, 0.5)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low < value < high:
            raise ValueError(f"'{label}' must be a number in ({low:g}, {high:g}), got {value!r}")
    first = whole(first, "first", 2)
    max_reps = whole(max_reps, "max_reps", first)
    seed = check_seed(seed)
    _reps, jobs = check_runs(first, jobs)
    labels = _labels(plans, names)

    sign = -1.0 if metric in HIGHER_IS_BETTER else 1.0   # the procedure below minimises
    values: list[list[float]] = [[] for _ in plans]

    def run(i: int, upto: int) -> None:
        have = len(values[i])
        days = replicate(plans[i], reps=upto - have, seed=seed, jobs=jobs, keep_records=False,
                         first=have)
        values[i].extend(sign * float(v) for v in days.runs[metric])

    dropped, alive = kn_procedure(values, run, first, max_reps, float(delta), float(alpha))
    return Selection(metric=metric, delta=float(delta), alpha=float(alpha), names=labels,
                     days=[len(v) for v in values],
                     means=[sign * float(np.mean(v)) for v in values],
                     dropped_after=dropped, survivors=alive)


def kn_procedure(values: list[list[float]], run: Callable[[int, int], None], first: int,
                 max_reps: int, delta: float, alpha: float) -> tuple[list[int | None], list[int]]:
    """Kim and Nelson's screening over the plans whose observations ``values`` holds,
    smaller being better.

    Parameters
    ----------
    values : list of lists of float
        One list per plan, empty at the start; ``run`` fills them.
    run : callable
        ``run(i, n)`` extends ``values[i]`` to plan i's first n days (day k of every plan
        on the same customers).
    first, max_reps : int
        First-stage days and most days per plan.
    delta, alpha : float
        Indifference zone and 1 − the probability of a correct selection.

    Returns
    -------
    (list, list)
        The day count at which each plan was dropped (None: not dropped) and the plans
        still in contention at the end.
    """
    plans = len(values)
    for i in range(plans):
        run(i, first)
    h2 = kn_constants(plans, first, alpha)
    first_stage = np.array([v[:first] for v in values])
    diffs = first_stage[:, None, :] - first_stage[None, :, :]
    s2 = diffs.var(axis=2, ddof=1)   # S²_il: variance of the paired differences

    alive = list(range(plans))
    dropped: list[int | None] = [None] * plans
    r = first
    while len(alive) > 1:
        means = {i: float(np.mean(values[i][:r])) for i in alive}
        # W_il(r): how far behind plan l plan i may be at r days and stay in contention.
        survivors = [i for i in alive if all(
            means[i] <= means[j] + max(0.0, delta / (2 * r) * (h2 * s2[i, j] / delta ** 2 - r))
            for j in alive if j != i)]
        for i in alive:
            if i not in survivors:
                dropped[i] = r
        alive = survivors
        if len(alive) <= 1 or r >= max_reps:
            break
        r = min(max_reps, r + max(1, r // 4))
        for i in alive:
            run(i, r)
    return dropped, alive


def _labels(plans: list[Scenario], names: Sequence[str] | None) -> list[str]:
    """The plans' names: given, or scenario names made unique with a number."""
    if names is not None:
        labels = [str(n) for n in names]
        if len(labels) != len(plans):
            raise ValueError(f"'names' must name each of the {len(plans)} plans, got {len(labels)}")
        if len(set(labels)) != len(labels):
            raise ValueError("'names' must be different from one another")
        return labels
    counts: dict[str, int] = {}
    for sc in plans:
        counts[sc.name] = counts.get(sc.name, 0) + 1
    seen: dict[str, int] = {}
    labels = []
    for sc in plans:
        if counts[sc.name] == 1:
            labels.append(sc.name)
        else:
            seen[sc.name] = seen.get(sc.name, 0) + 1
            labels.append(f"{sc.name} #{seen[sc.name]}")
    return labels
