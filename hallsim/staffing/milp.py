"""The fewest staff hours of allowed shifts that cover a requirement (scipy's milp, HiGHS).

    minimise   Σ_c hours_c · x_c  +  ε Σ_c x_c  +  M Σ_k u_k
    subject to Σ_c cover_ck · x_c + u_k >= need_k      every interval k
               Σ_c present_cs · x_c <= cap              every stretch s of the day
               x_c whole numbers >= 0,  u_k >= 0

``x_c`` is how many staff work candidate shift c, ``cover_ck`` the share of interval k it is
on duty, ``u_k`` what is left uncovered. The shortfall's price ``M`` exceeds any plan's
hours, so the program covers all it can before it saves an hour, and it always has a
solution: when the rules cannot cover the requirement it returns the best partial plan and
the shortfall says where. ε prefers fewer people among plans of equal hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from ..scenario.schema import ScenarioModel
from .candidates import Candidate, coverage, segments

TIME_LIMIT_S = 30.0
PER_STAFF = 1e-3


@dataclass
class Cover:
    candidates: list[Candidate]
    counts: np.ndarray           # staff per candidate
    need: np.ndarray             # the requirement per interval
    scheduled: np.ndarray        # staff on duty per interval, time-averaged
    optimal: bool

    @property
    def shortfall(self) -> np.ndarray:
        return np.maximum(self.need - self.scheduled, 0.0)

    @property
    def staff_hours(self) -> float:
        return float(sum(n * c.paid_minutes for n, c in zip(self.counts, self.candidates,
                                                            strict=True)) / 60.0)

    @property
    def chosen(self) -> list[tuple[Candidate, int]]:
        return [(c, int(n)) for c, n in zip(self.candidates, self.counts, strict=True) if n > 0]


def solve(cands: list[Candidate], sc: ScenarioModel, need: np.ndarray, cap: int) -> Cover:
    """The cheapest cover of ``need`` by ``cands`` with at most ``cap`` on duty at once."""
    need = np.asarray(need, dtype=float)
    k = len(need)
    if not cands:
        return Cover([], np.zeros(0, dtype=int), need, np.zeros(k), True)
    cover = coverage(cands, sc)                     # (candidates, intervals)
    _times, present = segments(cands, sc)           # (candidates, stretches)
    m = len(cands)
    hours = np.array([c.paid_minutes / 60.0 for c in cands])
    penalty = 10.0 * (cap * (sc.hours.close - sc.hours.open) / 60.0 + 1.0)
    objective = np.concatenate((hours + PER_STAFF, np.full(k, penalty)))
    rows_cover = np.hstack((cover.T, np.eye(k)))
    rows_cap = np.hstack((present.T, np.zeros((present.shape[1], k))))
    constraints = [LinearConstraint(rows_cover, lb=need, ub=np.inf),
                   LinearConstraint(rows_cap, lb=-np.inf, ub=float(cap))]
    integrality = np.concatenate((np.ones(m), np.zeros(k)))
    bounds = Bounds(np.zeros(m + k), np.concatenate((np.full(m, float(cap)), need)))
    result = milp(objective, constraints=constraints, integrality=integrality, bounds=bounds,
                  options={"time_limit": TIME_LIMIT_S, "mip_rel_gap": 1e-6})
    if result.x is None:
        raise RuntimeError(f"the shift program found no solution ({result.message})")
    counts = np.round(result.x[:m]).astype(int)
    return Cover(cands, counts, need, counts @ cover, result.status == 0)
