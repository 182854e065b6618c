"""The week's roster as one MILP over (person, day, shift): tour scheduling (scipy, HiGHS).

    minimise  Σ hours_c · x_pdc  +  M Σ width_k · u_dk
    subject to
      Σ_c x_pdc <= 1                                   one shift a day
      Σ_pc cover_dck · x_pdc + u_dk >= need_dk          the day's requirement, interval k
      Σ_pc present_dcs · x_pdc <= cap_d                 at most the windows on duty
      low_p <= Σ_dc hours_c · x_pdc <= high_p           weekly hours
      Σ_dc x_pdc <= 7 - days_off_p                      days off (轮休)
      Σ_{d in any m_p+1 days in a row} Σ_c x_pdc <= m_p  consecutive days, around the week
      x_pdc + x_p,d+1,c' <= 1 when c' starts < 11 h after c ends (one row per end time)
      zmin <= Σ_{weekend} Σ_c x_pdc <= zmax, zmax - zmin <= 1                fair weekends
      x binary, u >= 0

``x_pdc``: person p works candidate shift c on day d; ``u_dk``: what is left uncovered, priced
(``M``) above any roster's hours, so the program covers all it can before it saves an hour,
and always has a solution unless the contracts themselves cannot be kept. People with the
same role and contract are alike; their weekly hours are ordered to spare the solver equal
rosters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from ..staffing.candidates import Candidate
from ..week.people import Duty, Member, Roster
from ..week.rules import DAY_MINUTES, REST_MINUTES
from ..week.schema import WEEKDAYS, WEEKEND

GAP = 5e-3             # relative: the roster costs at most 0.5% above the bound
# The solver stops at GAP or after NODE_LIMIT branch-and-bound nodes, whichever comes first:
# both are counts, so the same week gives the same roster on a busy machine and a quiet one
# (a wall-clock limit made the roster depend on the load). On the shipped city week the
# root node alone ends 2.1% above the bound and 100 more nodes gain 0.0002%. TIME_LIMIT_S is
# only a safety net far beyond any week measured (benchmarks/bench_week.py: about 20 s).
NODE_LIMIT = 50
TIME_LIMIT_S = 900.0


@dataclass
class DayInput:
    """One open day: its candidate shifts and what each covers, and its requirement."""

    day: str
    candidates: list[Candidate]
    need: np.ndarray            # staff per interval
    edges: np.ndarray           # interval edges, minutes since midnight
    cover: np.ndarray           # (candidates, intervals): share of the interval on duty
    present: np.ndarray         # (candidates, stretches): on duty in the stretch, 0/1
    cap: int
    cap_field: str = "counters.windows"     # the field that sets ``cap``

    @property
    def width(self) -> np.ndarray:
        """Interval lengths in hours."""
        return np.diff(self.edges) / 60.0


@dataclass
class Solution:
    roster: Roster
    shortfall: dict[str, np.ndarray]
    hours: float
    cost: float
    optimal: bool
    feasible: bool = True
    relaxed: tuple[str, ...] = field(default_factory=tuple)


def penalty(people: Sequence[Member]) -> float:
    """The price of a staff-hour left uncovered: more than every contract's hours together."""
    return 10.0 * (sum(p.max_hours for p in people) + 1.0)


def cost(roster: Roster, shortfall: dict[str, np.ndarray], days: Sequence[DayInput],
         people: Sequence[Member]) -> float:
    """The objective of a roster: paid hours plus the priced uncovered staff-hours."""
    hours = sum(d.paid_minutes for by_person in roster.values() for d in by_person.values()
                if d is not None) / 60.0
    uncovered = sum(float(shortfall[d.day] @ d.width) for d in days)
    return hours + penalty(people) * uncovered


def as_duty(c: Candidate) -> Duty:
    breaks = ((c.break_at, float(c.break_minutes)),) if c.break_at is not None else ()
    return Duty(c.start, c.end, breaks)


class _Rows:
    """A sparse constraint matrix built row by row."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.low: list[float] = []
        self.high: list[float] = []

    def add(self, cols: Sequence[int] | np.ndarray, vals: Sequence[float] | np.ndarray,
            low: float, high: float) -> None:
        r = len(self.low)
        self.rows += [r] * len(cols)
        self.cols += [int(c) for c in cols]
        self.vals += [float(v) for v in vals]
        self.low.append(low)
        self.high.append(high)

    def constraint(self, n: int) -> LinearConstraint:
        matrix = coo_matrix((self.vals, (self.rows, self.cols)), shape=(len(self.low), n)).tocsr()
        return LinearConstraint(matrix, np.array(self.low), np.array(self.high))


def solve(people: Sequence[Member], days: Sequence[DayInput], relax: Sequence[str] = (),
          gap: float = GAP) -> Solution:
    """The cheapest roster of ``people`` over ``days`` (``relax``: rule families lifted, to
    find which one binds; ``gap``: the relative gap to the bound at which to stop, 1 to stop
    at the first roster found)."""
    open_days = {d.day: d for d in days}
    index: dict[tuple[int, str], np.ndarray] = {}       # (person, day) -> variable indices
    hours: list[float] = []
    n = 0
    for p in range(len(people)):
        for d in days:
            m = len(d.candidates)
            index[p, d.day] = np.arange(n, n + m)
            hours += [c.paid_minutes / 60.0 for c in d.candidates]
            n += m
    n_x = n
    short: dict[str, np.ndarray] = {}
    for d in days:
        short[d.day] = np.arange(n, n + len(d.need))
        n += len(d.need)
    zmax, zmin = n, n + 1
    n += 2
    price = penalty(people)
    objective = np.zeros(n)
    objective[:n_x] = hours
    for d in days:
        objective[short[d.day]] = price * d.width
    hours_arr = np.array(hours)
    previous_alike = alike(people)
    rows = _Rows()
    for p, person in enumerate(people):
        for d in days:
            rows.add(index[p, d.day], np.ones(len(d.candidates)), -np.inf, 1.0)
        mine = np.concatenate([index[p, d.day] for d in days]) if days else np.zeros(0, int)
        low = 0.0 if "weekly_hours" in relax else person.min_hours
        high = np.inf if "weekly_hours" in relax else person.max_hours
        rows.add(mine, hours_arr[mine], low - 1e-6, high + 1e-6)
        if "days_off" not in relax:
            rows.add(mine, np.ones(len(mine)), -np.inf, 7 - person.days_off)
        if "max_consecutive_days" not in relax and person.max_consecutive < 7:
            _consecutive(rows, index, p, person.max_consecutive, open_days)
        if "rest" not in relax:
            _rest(rows, index, p, open_days)
        weekend = [i for day in WEEKEND if day in open_days for i in index[p, day]]
        if weekend and "weekend" not in relax:
            rows.add([*weekend, zmax], [*([1.0] * len(weekend)), -1.0], -np.inf, 0.0)
            rows.add([*weekend, zmin], [*([1.0] * len(weekend)), -1.0], 0.0, np.inf)
        twin = previous_alike.get(p)
        if twin is not None:
            before = np.concatenate([index[twin, d.day] for d in days])
            rows.add([*before, *mine], [*hours_arr[before], *(-hours_arr[mine])], 0.0, np.inf)
    rows.add([zmax, zmin], [1.0, -1.0], -np.inf, 1.0)
    for d in days:
        cols = np.concatenate([index[p, d.day] for p in range(len(people))])
        cover = np.vstack([d.cover] * len(people))           # (people × candidates, intervals)
        for k in range(len(d.need)):
            hit = cover[:, k] > 0
            rows.add([*cols[hit], short[d.day][k]], [*cover[hit, k], 1.0], float(d.need[k]),
                     np.inf)
        if "windows" not in relax:
            present = np.vstack([d.present] * len(people))
            for s in range(present.shape[1]):
                hit = present[:, s] > 0
                if hit.sum() > d.cap:
                    rows.add(cols[hit], np.ones(int(hit.sum())), -np.inf, float(d.cap))
    upper = np.full(n, np.inf)
    upper[:n_x] = 1.0
    for d in days:
        upper[short[d.day]] = d.need
    integrality = np.zeros(n)
    integrality[:n_x] = 1
    result = milp(objective, constraints=[rows.constraint(n)], integrality=integrality,
                  bounds=Bounds(np.zeros(n), upper),
                  options={"time_limit": TIME_LIMIT_S, "node_limit": NODE_LIMIT,
                           "mip_rel_gap": gap, "presolve": True})
    if result.x is None:
        empty: Roster = {d.day: {p.name: None for p in people} for d in days}
        return Solution(empty, {d.day: d.need.astype(float) for d in days}, 0.0, np.inf,
                        False, feasible=False, relaxed=tuple(relax))
    x = result.x
    roster: Roster = {}
    for d in days:
        roster[d.day] = {}
        for p, person in enumerate(people):
            chosen = [c for c, i in zip(d.candidates, index[p, d.day], strict=True) if x[i] > 0.5]
            roster[d.day][person.name] = as_duty(chosen[0]) if chosen else None
    shortfall = {d.day: np.maximum(d.need - scheduled(roster[d.day], d), 0.0) for d in days}
    total = sum(dt.paid_minutes for r in roster.values() for dt in r.values() if dt) / 60.0
    return Solution(roster, shortfall, total, cost(roster, shortfall, days, people),
                    result.status == 0, relaxed=tuple(relax))


def alike(people: Sequence[Member]) -> dict[int, int]:
    """Each person → the one before them with the same role and contract: any roster with
    the two swapped is as good, so the program asks the earlier to work at least as many
    hours (one of each such pair of rosters is left to search)."""
    last: dict[tuple, int] = {}
    out = {}
    for p, person in enumerate(people):
        key = (person.role, person.min_hours, person.max_hours, person.days_off,
               person.max_consecutive)
        if key in last:
            out[p] = last[key]
        last[key] = p
    return out


def active(people: Sequence[Member], days: Sequence[DayInput]) -> list[str]:
    """The rule families that constrain this week at all (worth lifting to find a binding
    one): rest only when some next-day shift could start within 11 h of an end, and so on."""
    open_days = {d.day for d in days}
    out = ["weekly_hours", "days_off"]
    if any(p.max_consecutive < len(open_days) for p in people):
        out.append("max_consecutive_days")
    for i, day in enumerate(WEEKDAYS):
        following = WEEKDAYS[(i + 1) % 7]
        if day in open_days and following in open_days:
            today = {d.day: d for d in days}
            last = max(c.end for c in today[day].candidates) if today[day].candidates else 0
            first = min((c.start for c in today[following].candidates), default=DAY_MINUTES)
            if DAY_MINUTES + first - last < REST_MINUTES:
                out.append("rest")
                break
    if sum(day in open_days for day in WEEKEND) == 2:
        out.append("weekend")
    out.append("windows")
    return out


def scheduled(by_person: dict[str, Duty | None], d: DayInput) -> np.ndarray:
    """Staff on duty per interval (time-averaged): the duties of the day's candidates."""
    on = np.zeros(len(d.need))
    for duty in by_person.values():
        if duty is None:
            continue
        i = next((i for i, c in enumerate(d.candidates) if as_duty(c) == duty), None)
        if i is not None:
            on += d.cover[i]
    return on


def _consecutive(rows: _Rows, index: dict[tuple[int, str], np.ndarray], p: int, most: int,
                 open_days: dict[str, DayInput]) -> None:
    for first in range(7):
        window = [WEEKDAYS[(first + j) % 7] for j in range(most + 1)]
        cols = [i for day in window if day in open_days for i in index[p, day]]
        if len({day for day in window if day in open_days}) > most:
            rows.add(cols, np.ones(len(cols)), -np.inf, float(most))


def _rest(rows: _Rows, index: dict[tuple[int, str], np.ndarray], p: int,
          open_days: dict[str, DayInput]) -> None:
    """x_dc + x_d+1,c' <= 1 for every pair too close, one row per end time of day d: the
    shifts ending at or after t against the next day's starting before t + 11 h."""
    for i, day in enumerate(WEEKDAYS):
        following = WEEKDAYS[(i + 1) % 7]
        if day not in open_days or following not in open_days:
            continue
        today, tomorrow = open_days[day].candidates, open_days[following].candidates
        for t in sorted({c.end for c in today}):
            soon = [j for j, c in enumerate(tomorrow)
                    if DAY_MINUTES + c.start - t < REST_MINUTES]
            if not soon:
                continue
            late = [j for j, c in enumerate(today) if c.end >= t]
            cols = [*index[p, day][late], *index[p, following][soon]]
            rows.add(cols, np.ones(len(cols)), -np.inf, 1.0)
