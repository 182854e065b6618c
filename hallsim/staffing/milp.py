"""The cheapest plan of allowed shifts that covers a requirement (scipy's milp, HiGHS).

    minimise   Σ_c (hours_c + w·overtime_c) · x_c  +  ε Σ_c x_c  +  M Σ_k u_k
    subject to (1 − shrinkage) Σ_c present_cs · x_c + u_k(s) >= need_k(s)   every stretch s
               Σ_c present_cs · x_c <= cap                                   every stretch s
               Σ_c resting_cs · x_c <= max_on_break                          every stretch s
               Σ_{c part-time} x_c <= part_time.max_count
               x_c whole numbers >= 0,  u_k >= 0

``x_c`` is how many staff work candidate shift c. Coverage is held minute by minute: a
stretch is the time between any two changes of anyone's duty (a start, an end, a break),
so a break inside an interval counts for the minutes it lasts, not averaged over the
interval. ``u_k`` is what interval k is left short at its thinnest minute; its price ``M``
exceeds any plan's cost, so the program covers all it can before it saves an hour, and it
always has a solution: when the rules cannot cover the requirement it returns the best
partial plan and the shortfall says where. ``overtime_c`` is the expected overtime of a
member of shift c (hours; ``overtime.py``), priced at ``overtime_weight``. ε prefers fewer
people among plans of equal cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from ..planning.rules import PlanningRules
from ..scenario.schema import ScenarioModel
from .candidates import Candidate, coverage, segments

TIME_LIMIT_S = 30.0
PER_STAFF = 1e-3


@dataclass
class Cover:
    candidates: list[Candidate]
    counts: np.ndarray           # staff per candidate
    need: np.ndarray             # the requirement per interval (staff available)
    scheduled: np.ndarray        # staff on duty per interval, time-averaged
    lowest: np.ndarray           # staff available per interval at its thinnest minute
    optimal: bool

    @property
    def shortfall(self) -> np.ndarray:
        return np.maximum(self.need - self.lowest, 0.0)

    @property
    def staff_hours(self) -> float:
        return float(sum(n * c.paid_minutes for n, c in zip(self.counts, self.candidates,
                                                            strict=True)) / 60.0)

    @property
    def chosen(self) -> list[tuple[Candidate, int]]:
        return [(c, int(n)) for c, n in zip(self.candidates, self.counts, strict=True) if n > 0]


def part_time(cands: list[Candidate], rules: PlanningRules) -> np.ndarray:
    """Mask of the candidates that are part-time shifts under ``rules.part_time``."""
    if rules.part_time is None:
        return np.zeros(len(cands), dtype=bool)
    limit = rules.part_time.max_hours * 60 + 1e-9
    return np.array([c.paid_minutes <= limit for c in cands], dtype=bool)


def solve(cands: list[Candidate], sc: ScenarioModel, need: np.ndarray, cap: int,
          rules: PlanningRules | None = None, overtime: np.ndarray | None = None) -> Cover:
    """The cheapest cover of ``need`` by ``cands`` under ``rules``, at most ``cap`` on duty."""
    rules = rules or PlanningRules()
    need = np.asarray(need, dtype=float)
    k = len(need)
    if not cands:
        return Cover([], np.zeros(0, dtype=int), need, np.zeros(k), np.zeros(k), True)
    cut = segments(cands, sc)
    m, n_seg = len(cands), len(cut.interval)
    net = 1.0 - rules.shrinkage
    hours = np.array([c.paid_minutes / 60.0 for c in cands])
    if overtime is not None:
        hours = hours + rules.overtime_weight * np.asarray(overtime, dtype=float)
    penalty = 10.0 * (max(cap, 1) * (sc.hours.close - sc.hours.open) / 60.0 + 1.0) * (
        1.0 + rules.overtime_weight)
    objective = np.concatenate((hours + PER_STAFF, np.full(k, penalty)))
    pick = np.zeros((n_seg, k))
    pick[np.arange(n_seg), cut.interval] = 1.0
    constraints = [
        LinearConstraint(np.hstack((net * cut.present.T, pick)), lb=need[cut.interval], ub=np.inf),
        LinearConstraint(np.hstack((cut.present.T, np.zeros((n_seg, k)))), lb=-np.inf,
                         ub=float(cap)),
    ]
    if rules.max_on_break is not None:
        constraints.append(LinearConstraint(np.hstack((cut.resting.T, np.zeros((n_seg, k)))),
                                            lb=-np.inf, ub=float(rules.max_on_break)))
    short = part_time(cands, rules)
    if rules.part_time is not None and short.any():
        constraints.append(LinearConstraint(np.concatenate((short.astype(float), np.zeros(k))),
                                            lb=-np.inf, ub=float(rules.part_time.max_count)))
    integrality = np.concatenate((np.ones(m), np.zeros(k)))
    bounds = Bounds(np.zeros(m + k), np.concatenate((np.full(m, float(cap)), need)))
    result = milp(objective, constraints=constraints, integrality=integrality, bounds=bounds,
                  options={"time_limit": TIME_LIMIT_S, "mip_rel_gap": 1e-6})
    if result.x is None:
        raise RuntimeError(f"the shift program found no solution ({result.message})")
    counts = np.round(result.x[:m]).astype(int)
    available = net * (counts @ cut.present)
    lowest = np.full(k, np.inf)
    np.minimum.at(lowest, cut.interval, available)
    lowest[np.isinf(lowest)] = 0.0
    return Cover(cands, counts, need, counts @ coverage(cands, sc), lowest, result.status == 0)
