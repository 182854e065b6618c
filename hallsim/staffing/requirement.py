"""Counter staff needed per interval: the infinite-server approximation (ISA) and SIPP.

ISA (Feldman, Mandelbaum, Massey & Whitt, Management Science 54(2), 2008), simulation-based:
run the hall with ample counter staff, so that nobody queues for a counter, and read how many
customers each counter customer finds in the counter stage when they reach it. Staff each
interval with the fewest ``s`` for which that distribution meets the target (``waits.py``),
simulate the hall with that staffing, read the distribution again, and repeat until the
staffing stops changing. For ``wait_probability`` this is the paper's iteration
``s(t) = min{s : P(N(t) >= s) <= alpha}``; the other metrics are read from the same
distribution with the exponential-phase wait of ``waits.py``. Because the distribution comes
from the simulated day, the backlog a peak leaves behind, the empty hall at opening and the
time customers spend at the door and kiosks before they reach the counter are all in it.

SIPP staffs each interval by the stationary Erlang C (Erlang A when customers abandon)
formula for that interval's counter arrival rate and mean counter time, as if it had lasted
forever; it is computed beside ISA to show where that goes wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..i18n import _, ngettext
from ..model.arrivals import rate_schedule
from ..results.intervals import interval_edges
from ..results.timeweighted import integrate
from ..runs.simulation import Replications, replicate
from ..scenario.clock import format_clock
from ..scenario.distributions import Exponential
from ..scenario.scenario import Scenario
from . import erlang, waits
from .targets import Target, arrival_interval, counter_customers

MAX_ROUNDS = 12          # ISA rounds in all
MAX_REPS = 160           # most simulated days per ISA round


@dataclass
class Requirement:
    """Per interval: demand, offered load and the two requirements (``frame``)."""

    frame: pd.DataFrame
    rounds: int
    converged: bool
    notes: list[str] = field(default_factory=list)
    replications: int = 0        # simulated days per round when it stopped
    days: int = 0                # simulated days in all

    @property
    def isa(self) -> np.ndarray:
        return self.frame["required_isa"].to_numpy()

    @property
    def sipp(self) -> np.ndarray:
        return self.frame["required_sipp"].to_numpy()


def abandonment_rate(sc: Scenario) -> tuple[float, str | None]:
    """Patience as an exponential rate per minute, and a note when that is an approximation."""
    if sc.patience is None:
        return 0.0, None
    rate = 1.0 / sc.patience.mean_minutes
    if isinstance(sc.patience, Exponential):
        return rate, None
    return rate, _("Patience is not exponential: the Erlang A formulas use its mean "
                   "({mean:.1f} min) as if it were; the simulation uses the real distribution."
                   ).format(mean=sc.patience.mean_minutes)


def layered_shifts(counts: np.ndarray, edges: np.ndarray, open_: int,
                   prefix: str = "staff") -> list[dict]:
    """Counter shifts that put ``counts[k]`` staff on duty in interval k: one shift per layer
    and stretch, so a staff member stays on as long as the level they fill lasts."""
    shifts: list[dict] = []
    counts = np.asarray(counts, dtype=int)
    for level in range(1, int(counts.max(initial=0)) + 1):
        on = np.concatenate(([False], counts >= level, [False]))
        starts = np.nonzero(on[1:] & ~on[:-1])[0]
        ends = np.nonzero(~on[1:] & on[:-1])[0]
        for a, b in zip(starts, ends, strict=True):
            shifts.append({"name": f"{prefix}_{level}_{a}", "role": "counter",
                           "start": format_clock(open_ + edges[a]),
                           "end": format_clock(open_ + edges[b]), "count": 1})
    return shifts


def with_counter_shifts(sc: Scenario, shifts: list[dict], windows: int | None = None) -> Scenario:
    """The scenario with its counter shifts replaced (other roles and flex kept)."""
    data = sc.to_dict()
    data["shifts"] = [s for s in data.get("shifts", []) if s.get("role") != "counter"] + shifts
    if windows is not None:
        data["counters"] = {**data["counters"], "windows": int(windows)}
    return Scenario.from_dict(data, sc.origin)


def staffing_scenario(sc: Scenario, counts: np.ndarray, windows: int | None = None) -> Scenario:
    """The hall with exactly ``counts[k]`` counter staff in interval k (e.g. a SIPP plan)."""
    counts = np.asarray(counts, dtype=int)
    need = max(int(counts.max(initial=0)), sc.counters.windows) if windows is None else windows
    shifts = layered_shifts(counts, interval_edges(sc), sc.hours.open)
    return with_counter_shifts(sc, shifts, need)


def _ample_count(sc: Scenario) -> int:
    _edges, rates = rate_schedule(sc)
    longest = max(s.counter_minutes.mean_minutes for s in sc.services)
    load = float(rates.max(initial=0.0)) * longest
    return int(math.ceil(2.0 * load + 6.0 * math.sqrt(load + 1.0) + 10))


def counter_stage(customers: pd.DataFrame, sc: Scenario,
                  staff: dict[int, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Each customer who reached the counter queue: replication, arrival interval, the number
    already in the counter stage when they reached it (``found``), and counter minutes.

    ``staff`` (each replication's staff table) lets ``found`` leave out customers being served
    by staff past the end of their shift: those finish the customer in hand and go, so the
    customers they serve do not compete for the staff on duty. A customer then waits exactly
    when ``found`` is at least the number on duty.
    """
    c = customers.loc[counter_customers(customers) & (customers["outcome"] != "turned_away")]
    if "replication" not in c.columns:
        c = c.assign(replication=0)
    served = (c["outcome"] == "counter").to_numpy()
    waited = c["wait_counter_min"].fillna(0.0).to_numpy()
    left_queue = np.where(served, c["counter_start_min"].to_numpy(), c["departure_min"].to_numpy())
    enter = left_queue - waited
    leave = np.where(served, c["counter_start_min"].to_numpy() + c["counter_service_min"].to_numpy(),
                     c["departure_min"].to_numpy())
    reps = c["replication"].to_numpy()
    found = np.zeros(len(c), dtype=int)
    for rep in np.unique(reps):
        mine = np.nonzero(reps == rep)[0]
        e, l_ = enter[mine], leave[mine]
        before = np.searchsorted(np.sort(e), e, side="left")      # entered strictly earlier
        gone = np.searchsorted(np.sort(l_), e, side="right")       # and already left
        found[mine] = before - gone
        if staff is not None and rep in staff:
            found[mine] = np.maximum(found[mine] - _finishing(staff[rep], e), 0)
    return pd.DataFrame({
        "replication": reps,
        "interval": arrival_interval(sc, c["arrival_min"].to_numpy()),
        "enter": enter,
        "found": found,
        "service": c["service"].to_numpy(),
    })


def _finishing(staff: pd.DataFrame, times: np.ndarray) -> np.ndarray:
    """Counter staff past their shift's end but still serving, at each of ``times``."""
    late = staff.loc[(staff["role"] == "counter") & (staff["left_at"] > staff["end"])]
    ends, gone = np.sort(late["end"].to_numpy()), np.sort(late["left_at"].to_numpy())
    return (np.searchsorted(ends, times, side="right")
            - np.searchsorted(gone, times, side="right"))


def _service_rates(stage: pd.DataFrame, sc: Scenario, n_intervals: int) -> np.ndarray:
    """Service rate per staff member per minute, per interval (by arrival): the scenario's
    mean counter time of each service, weighted by that interval's simulated service mix.

    Exact means, not simulated ones, keep the noise out; the saving of pre-processing is
    left out, which errs on the side of more staff.
    """
    means = {s.name: s.counter_minutes.mean_minutes for s in sc.services}
    minutes = stage["service"].map(means).to_numpy(dtype=float)
    overall = float(minutes.mean()) if len(minutes) else float(np.mean(list(means.values())))
    totals = np.bincount(stage["interval"].to_numpy(), weights=minutes, minlength=n_intervals)
    counts = np.bincount(stage["interval"].to_numpy(), minlength=n_intervals)
    mean = np.divide(totals, counts, out=np.full(n_intervals, overall), where=counts > 0)
    return 1.0 / mean


def _counter_rates(sc: Scenario, base: Replications, stage: pd.DataFrame,
                   edges: np.ndarray) -> np.ndarray:
    """Counter arrivals per minute per interval: the scenario's own arrival rate times the
    simulated share who reach the counter (a ratio, much steadier than a simulated count)."""
    n_intervals = len(edges) - 1
    r_edges, rates = rate_schedule(sc)
    expected = integrate(r_edges[:-1], rates, edges) / np.diff(edges)
    everyone = np.bincount(arrival_interval(sc, base.customers["arrival_min"].to_numpy()),
                           minlength=n_intervals).astype(float)
    counter = np.bincount(stage["interval"].to_numpy(), minlength=n_intervals).astype(float)
    overall = counter.sum() / everyone.sum() if everyone.sum() else 1.0
    share = np.divide(counter, everyone, out=np.full(n_intervals, overall), where=everyone > 0)
    return expected * share


def _fewest(meets: Callable[[int], bool], high: int) -> int:
    """The fewest staff in 1..high that meet the target (``high`` is known to)."""
    low = 1
    if meets(low):
        return low
    while high - low > 1:
        mid = (low + high) // 2
        if meets(mid):
            high = mid
        else:
            low = mid
    return high


def isa_step(stage: pd.DataFrame, sc: Scenario, target: Target, theta: float) -> np.ndarray:
    """One ISA update: per interval, the fewest staff meeting the target given what counter
    customers found in the simulated day (their own patience from its real distribution)."""
    n_intervals = len(interval_edges(sc)) - 1
    mu = _service_rates(stage, sc, n_intervals)
    own = waits.patience_survival(sc.patience) if sc.patience is not None else None
    need = np.ones(n_intervals, dtype=int)
    for k in range(n_intervals):
        found = stage.loc[stage["interval"] == k, "found"].to_numpy()
        if len(found) == 0:
            continue
        pi = np.bincount(found).astype(float)
        high = len(pi) + 1     # with more staff than anyone found, nobody waits

        def meets(s: int, pi: np.ndarray = pi, m: float = mu[k]) -> bool:
            padded = pi if len(pi) > s else np.append(pi, np.zeros(s + 1 - len(pi)))
            return target.met(waits.evaluate(target.metric, padded, s, m, theta,
                                             target.wait_limit(sc), sc.detractor,
                                             own))

        need[k] = _fewest(meets, high)
    return need


def sipp(lam: np.ndarray, mu: np.ndarray, sc: Scenario, target: Target, theta: float) -> np.ndarray:
    """Per interval, the fewest staff meeting the target in steady state (Erlang C or A)."""
    out = np.ones(len(lam), dtype=int)
    for k, (lam_k, mu_k) in enumerate(zip(lam, mu, strict=True)):
        if lam_k <= 0:
            continue

        def meets(s: int, lam_k: float = lam_k, mu_k: float = mu_k) -> bool:
            return target.met(erlang.metric(target.metric, lam_k, mu_k, s, theta,
                                            target.wait_limit(sc), sc.detractor))

        high = max(2, int(math.ceil(lam_k / mu_k)) + 1)
        while not meets(high):
            high *= 2
            if high > 100_000:
                raise ValueError(f"no staffing meets {target.metric} in interval {k}")
        out[k] = _fewest(meets, high)
    return out


def isa_all(stage: pd.DataFrame, sc: Scenario, targets: list[Target],
            theta: float) -> np.ndarray:
    """The ISA step for several targets: per interval, the most any of them needs."""
    return np.max([isa_step(stage, sc, t, theta) for t in targets], axis=0)


def sipp_all(lam: np.ndarray, mu: np.ndarray, sc: Scenario, targets: list[Target],
             theta: float) -> np.ndarray:
    """SIPP for several targets: per interval, the most any of them needs."""
    return np.max([sipp(lam, mu, sc, t, theta) for t in targets], axis=0)


def requirement(sc: Scenario, targets: list[Target], reps: int, seed: int, jobs: int = 1,
                progress: Callable[[int], None] | None = None,
                max_reps: int = MAX_REPS) -> Requirement:
    """ISA and SIPP requirements per interval for the counter stage (the most any of
    ``targets`` needs).

    The ISA rounds start on ``reps`` simulated days each. When an interval's staffing goes
    both up and down between rounds (the days are too few to tell its neighbours apart),
    the days are doubled, up to ``max_reps``; it stops when a round gives back the staffing
    it was given (``converged``). If it has not by ``MAX_ROUNDS`` rounds or at ``max_reps``
    days, each interval takes the larger of the last two rounds, and a note says so.
    """
    edges = interval_edges(sc)
    n_intervals = len(edges) - 1
    theta, note = abandonment_rate(sc)
    notes = [note] if note else []
    count = _ample_count(sc)
    days_used = 0
    while True:
        ample = with_counter_shifts(sc, [{"name": "ample", "role": "counter",
                                          "start": format_clock(sc.hours.open),
                                          "end": format_clock(sc.hours.close), "count": count}],
                                    windows=count)
        base = replicate(ample, reps=reps, seed=seed, jobs=jobs)
        days_used += reps
        if progress:
            progress(1)
        stage = counter_stage(base.customers, sc)
        if not (stage["found"] >= count).any():
            break
        count *= 2
    lam = _counter_rates(sc, base, stage, edges)
    mu = _service_rates(stage, sc, n_intervals)
    needs_sipp = sipp_all(lam, mu, sc, targets, theta)

    current = isa_all(stage, sc, targets, theta)
    gradual = any(t.metric != "wait_probability" for t in targets)
    if gradual:
        # Waits read from an uncongested day flatter a short-staffed interval, and a
        # congested day's waits flatter nothing: start from the modified-offered-load Erlang
        # staffing (the simulated offered load, lag and empty start included) and come down
        # one staff member a round, so each step is judged from a day staffed close to it.
        offered = base.intervals.groupby("start_min", sort=True)["busy_windows"].mean()
        current = np.maximum(current, sipp_all(offered.to_numpy() * mu, mu, sc, targets, theta))
    n, limit = reps, max(reps, max_reps)
    seen = [current]                      # the staffings tried on the current number of days
    rounds, converged = 0, False
    while True:
        days = replicate(staffing_scenario(sc, current), reps=n, seed=seed, jobs=jobs)
        rounds += 1
        days_used += n
        if progress:
            progress(1)
        staff = {day.replication: day.staff for day in days.days}
        update = isa_all(counter_stage(days.customers, sc, staff), sc, targets, theta)
        if gradual:
            update = np.maximum(update, current - 1)
        if np.array_equal(update, current):
            converged = True
            break
        if _wavers(seen + [update]) and n < limit and rounds < MAX_ROUNDS:
            n = min(2 * n, limit)         # judge the same staffing again on more days
            seen = [current]
            continue
        if _wavers(seen + [update]) or rounds >= MAX_ROUNDS:
            moving = int((update != current).sum())
            current = np.maximum(update, current)
            notes.append(ngettext(
                "The staff needed had not settled after {rounds} rounds of up to {days} "
                "simulated days: {n} interval still changed from one round to the next, and "
                "takes the larger of the last two numbers.",
                "The staff needed had not settled after {rounds} rounds of up to {days} "
                "simulated days: {n} intervals still changed from one round to the next, and "
                "take the larger of the last two numbers.", moving).format(
                rounds=rounds, days=n, n=moving))
            break
        seen.append(update)
        current = update
    frame = _frame(sc, base, edges, lam, mu, current, needs_sipp)
    return Requirement(frame, rounds, converged, notes, replications=n, days=days_used)


def _wavers(history: list[np.ndarray]) -> bool:
    """Whether some interval's staffing went both up and down over ``history``."""
    if len(history) < 3:
        return False
    steps = np.diff(np.array(history), axis=0)
    return bool(((steps > 0).any(axis=0) & (steps < 0).any(axis=0)).any())


def _frame(sc: Scenario, base: Replications, edges: np.ndarray, lam: np.ndarray, mu: np.ndarray,
           isa: np.ndarray, sipp_: np.ndarray) -> pd.DataFrame:
    iv = base.intervals.groupby("start_min", sort=True).mean(numeric_only=True)
    return pd.DataFrame({
        "interval": np.arange(len(edges) - 1),
        "start": [format_clock(sc.hours.open + t) for t in edges[:-1]],
        "start_min": edges[:-1],
        "arrivals_per_hour": iv["arrival_rate_per_hour"].to_numpy(),
        "counter_arrivals_per_hour": lam * 60.0,
        "mean_counter_min": 1.0 / mu,
        "offered_load": iv["busy_windows"].to_numpy(),
        "required_isa": isa.astype(int),
        "required_sipp": sipp_.astype(int),
    })
