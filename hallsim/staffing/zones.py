"""The advisor in a hall with counter groups (busy zones, 忙区): each group staffed for its
own demand, the whole hall verified on fresh days, each group judged on its own customers.

Demand: each group is staffed for the services it calls first (``split``): a service only
one group calls first is that group's; one several groups call first is shared among them
in proportion to their windows. Each group's requirement (ISA and SIPP,
``requirement.py``) comes from the group's own hall: the same hall, doors, greeter, kiosks
and floor staff, with the arrivals of its share of each service (a thinned Poisson process,
so exactly its share of the demand), its own windows and its own bookings (the show rate
times its share). Flex rules that only involve the group or other roles are kept; those
between counter groups are left out (the verification has them).

Each group's shifts are chosen by the shift program with that group's windows as its cap,
and sit at that group; the advised plan has no floating shifts. The whole plan is then
simulated on fresh days, as it will run (flex rules between groups included), and each
group's target metric is pooled over its customers: those served at its windows, and,
for customers who leave unserved, those whose service is mostly the group's (the group with
most windows among those calling it). A group whose interval is not met gets one more
staff member there, and the plan is solved and simulated again, a bounded number of times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..i18n import _
from ..model.calling import make_rule, needs_own_lanes
from ..model.counters import resolve_calls, specs
from ..planning.rules import PlanningRules
from ..results.intervals import interval_edges
from ..runs.simulation import Replications
from ..scenario.clock import format_clock
from ..scenario.scenario import Scenario
from . import gaps as gap_finder
from . import milp
from .candidates import counter_cap, generate, shift_names
from .intervals import interval_frame, interval_rows, num, verdict_counts
from .overtime import expected_hours
from .pooled import pooled
from .requirement import Requirement, abandonment_rate, requirement, with_counter_shifts
from .targets import Target
from .verify import MAX_REPAIRS, Verified, combined, fresh_days, raised_need


@dataclass
class GroupAdvice:
    """One counter group's part of the advice: its demand, requirement, shifts and verdicts."""

    name: str
    windows: int
    calls: list[str]                 # the services its windows call
    share: dict[str, float]          # of each service, the share staffed here
    hall: Scenario | None            # the group's own hall (None: no demand)
    requirement: Requirement
    cover: milp.Cover
    by_target: list[pd.DataFrame]    # per target, per interval, over the group's customers
    gaps: list[gap_finder.Gap]

    @property
    def verdicts(self) -> np.ndarray:
        """Per interval, the worst verdict over the targets."""
        return combined([f["verdict"].to_numpy(dtype=object) for f in self.by_target])

    @property
    def meets_target(self) -> bool:
        """Whether every interval of the group is met on the fresh days."""
        return bool((self.verdicts == "met").all())

    def intervals(self, sc: Scenario, targets: list[Target]) -> pd.DataFrame:
        """The group's day in intervals (the columns of ``Advice.intervals``)."""
        return interval_frame(sc, self.requirement.frame, self.cover, self.by_target, targets)

    def document(self, sc: Scenario, targets: list[Target]) -> dict[str, Any]:
        """The group's entry of advice.json's ``groups``."""
        return {"windows": self.windows, "calls": self.calls,
                "demand_share": {k: round(v, 4) for k, v in self.share.items()},
                "counter_staff_hours": num(self.cover.staff_hours, 2),
                "meets_target": self.meets_target,
                "verdicts": verdict_counts(self.verdicts),
                "intervals": interval_rows(self.intervals(sc, targets), targets, self.by_target),
                "gaps": [g.document() for g in self.gaps],
                "isa": {"replications": self.requirement.replications,
                        "rounds": self.requirement.rounds,
                        "converged": self.requirement.converged}}


def split(sc: Scenario) -> np.ndarray:
    """``share[s, g]``: the share of service s's customers group g is staffed for.

    A group's own services are those it calls first: all it calls under a rule that does
    not tell its call list apart (``ticket``), the first entry of its list under one that
    does (``order``: the later entries are help when it is idle). A service is shared among
    the groups whose own it is, by windows; one that is nobody's own, among all that call it.
    """
    names = [s.name for s in sc.services]
    own = np.zeros((len(names), len(specs(sc))))
    calls = np.zeros_like(own)
    for g, spec in enumerate(specs(sc)):
        entries = resolve_calls(spec.calls, names)
        first = entries[:1] if needs_own_lanes(make_rule(spec.rule)) else entries
        for entry in entries:
            for service in entry:
                calls[names.index(service), g] = spec.windows
        for entry in first:
            for service in entry:
                own[names.index(service), g] = spec.windows
    weight = np.where(own.sum(axis=1, keepdims=True) > 0, own, calls)
    total = weight.sum(axis=1, keepdims=True)
    return np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)


def group_hall(sc: Scenario, g: int, share: np.ndarray) -> Scenario | None:
    """Group g's own hall: its share of the demand, its windows, no other counter groups
    (None when its share of the demand is nothing)."""
    spec = specs(sc)[g]
    own = share[:, g]
    total = float(sum(s.share * f for s, f in zip(sc.services, own, strict=True)))
    if total <= 0:
        return None
    data = sc.to_dict()
    data["name"] = f"{sc.name}-{spec.name}"
    data["services"] = [{**entry, "share": entry["share"] * f / total}
                        for entry, f in zip(data["services"], own, strict=True) if f > 0]
    data["load_factor"] = sc.load_factor * total
    data["counters"] = {"windows": spec.windows}
    data["shifts"] = [s for s in data.get("shifts", []) if s.get("role") != "counter"]
    data["flex"] = [r for r in (_own_rule(rule, spec.name) for rule in data.get("flex", [])) if r]
    names = [s.name for s in sc.services]
    data["appointments"] = [{**b, "show": b.get("show", 1.0) * own[names.index(b["service"])]}
                            for b in data.get("appointments", [])
                            if own[names.index(b["service"])] > 0]
    return Scenario.from_dict(data, sc.origin)


def _own_rule(rule: dict, group: str) -> dict | None:
    """A flex rule as the group's own hall has it (``counter.GROUP`` → ``counter``), or None
    when it involves another counter group or moves counter staff between groups."""
    posts = []
    for key in ("from", "to"):
        role, _dot, name = str(rule[key]).partition(".")
        if role == "counter" and name and name != group:
            return None
        posts.append(role)
    return None if posts[0] == posts[1] else {**rule, "from": posts[0], "to": posts[1]}


def home_groups(sc: Scenario, share: np.ndarray) -> dict[str, str]:
    """Each service's home group: the one staffed for most of it (file order on ties)."""
    names = [g.name for g in specs(sc)]
    return {s.name: names[int(np.argmax(share[i]))] for i, s in enumerate(sc.services)}


def group_customers(customers: pd.DataFrame, name: str, home: dict[str, str]) -> pd.DataFrame:
    """The customers a group answers for: served at its windows, or unserved with the group
    as their service's home."""
    at = customers["group"].astype(str)
    mine = (at == name) | ((at == "") & (customers["service"].map(home) == name))
    return customers.loc[mine.to_numpy()]


def _no_demand(sc: Scenario) -> Requirement:
    edges = interval_edges(sc)
    k = len(edges) - 1
    frame = pd.DataFrame({"interval": np.arange(k),
                          "start": [format_clock(sc.hours.open + t) for t in edges[:-1]],
                          "start_min": edges[:-1], "arrivals_per_hour": np.zeros(k),
                          "counter_arrivals_per_hour": np.zeros(k),
                          "mean_counter_min": np.zeros(k), "offered_load": np.zeros(k),
                          "required_isa": np.zeros(k, dtype=int),
                          "required_sipp": np.zeros(k, dtype=int)})
    return Requirement(frame, 0, True)


def hall_requirement(parts: list[Requirement], names: list[str],
                     sc: Scenario) -> Requirement:
    """The groups' requirements added up (demand, load, staff needed); each group's notes
    named by the group (the one on patience, the same for all, once)."""
    frames = [p.frame for p in parts]
    frame = frames[0][["interval", "start", "start_min"]].copy()
    for column in ("arrivals_per_hour", "counter_arrivals_per_hour", "offered_load",
                   "required_isa", "required_sipp"):
        frame[column] = sum(f[column].to_numpy() for f in frames)
    lam = frame["counter_arrivals_per_hour"].to_numpy(dtype=float)
    work = sum(f["counter_arrivals_per_hour"].to_numpy(dtype=float)
               * f["mean_counter_min"].to_numpy(dtype=float) for f in frames)
    frame["mean_counter_min"] = np.divide(work, lam, out=np.zeros_like(lam), where=lam > 0)
    frame = frame[list(frames[0].columns)]
    _theta, shared = abandonment_rate(sc)
    notes = [note if note == shared else _("{group}: {note}").format(group=name, note=note)
             for name, p in zip(names, parts, strict=True) for note in p.notes]
    notes = list(dict.fromkeys(notes))
    return Requirement(frame, max(p.rounds for p in parts), all(p.converged for p in parts),
                       notes, max(p.replications for p in parts), sum(p.days for p in parts))


def hall_cover(covers: list[milp.Cover]) -> milp.Cover:
    """The groups' covers as one: staff and shortfalls added up."""
    need = np.sum([c.need for c in covers], axis=0)
    short = np.sum([c.shortfall for c in covers], axis=0)
    return milp.Cover([c for cover in covers for c in cover.candidates],
                      np.concatenate([c.counts for c in covers]), need,
                      np.sum([c.scheduled for c in covers], axis=0), need - short,
                      all(c.optimal for c in covers))


def zoned_plan(sc: Scenario, covers: list[milp.Cover]) -> Scenario:
    """The hall with each group's chosen shifts sitting at that group (other roles and flex
    as they were)."""
    taken = {s.name for s in sc.shifts if s.role != "counter"}
    shifts: list[dict] = []
    for spec, cover in zip(specs(sc), covers, strict=True):
        for shift in shift_names(cover.chosen, taken):
            shift["name"] = f"{spec.name}_{shift['name']}"
            taken.add(shift["name"])
            shifts.append({**shift, "group": spec.name})
    plan = with_counter_shifts(sc, shifts)
    data = plan.to_dict()
    data["name"] = f"{sc.name}-advised"
    return Scenario.from_dict(data, sc.origin)


def _measure(runs: Replications, targets: list[Target], customers: pd.DataFrame,
             sc: Scenario) -> list[pd.DataFrame]:
    days = [day.replication for day in runs.days]
    return [pooled(customers, sc, target, days) for target in targets]


def advise_groups(sc: Scenario, goals: list[Target], rules: PlanningRules, reps: int, seed: int,
                  jobs: int, progress: Callable[[int], None] | None, verify_days: int,
                  max_reps: int) -> tuple[Requirement, Verified, list[GroupAdvice], list[str]]:
    """Staff each group, verify the whole plan on fresh days, repair group by group.

    Returns the hall's requirement (the groups' added up), the hall's verification (its
    metric over every counter customer, each interval's verdict the worst of any group's),
    the groups' parts and notes for the reader.
    """
    share = split(sc)
    groups = specs(sc)
    halls = [group_hall(sc, g, share) for g in range(len(groups))]
    needs = [requirement(h, goals, reps, seed, jobs, progress, max_reps) if h is not None
             else _no_demand(sc) for h in halls]
    cands = generate(sc, rules)
    own_rules = [group_rules(rules, spec.windows, sc.counters.windows) for spec in groups]
    caps = [counter_cap(h, r)[0] if h is not None else 0
            for h, r in zip(halls, own_rules, strict=True)]
    overtime = [expected_hours(cands, h, n.frame, n.isa)
                if rules.overtime_weight and h is not None else None
                for h, n in zip(halls, needs, strict=True)]
    need = [n.isa.astype(float) for n in needs]
    home = home_groups(sc, share)
    repairs = 0
    while True:
        covers = [milp.solve(cands, sc, n, cap, r, o)
                  for n, cap, r, o in zip(need, caps, own_rules, overtime, strict=True)]
        plan = zoned_plan(sc, covers)
        runs = fresh_days(plan, verify_days, seed, jobs, rules.shrinkage)
        if progress:
            progress(1)
        customers = runs.customers
        by_group = [_measure(runs, goals, group_customers(customers, spec.name, home), sc)
                    for spec in groups]
        raised = [raised_need(n, c, combined([f["verdict"].to_numpy(dtype=object) for f in m])
                              != "met", cap)
                  for n, c, m, cap in zip(need, covers, by_group, caps, strict=True)]
        if repairs >= MAX_REPAIRS or all(np.array_equal(a, b) for a, b in zip(raised, need,
                                                                                strict=True)):
            break
        need = raised
        repairs += 1
    names = [s.name for s in sc.services]
    parts = []
    for g, spec in enumerate(groups):
        calls = [s for entry in resolve_calls(spec.calls, names) for s in entry]
        own = combined([f["verdict"].to_numpy(dtype=object) for f in by_group[g]])
        hall = halls[g]
        found = (_group_gaps(covers[g], hall, own_rules[g], spec.name, own != "met", sc)
                 if hall is not None else [])
        parts.append(GroupAdvice(spec.name, spec.windows, calls,
                                 {s: float(share[i, g]) for i, s in enumerate(names)
                                  if share[i, g] > 0},
                                 halls[g], needs[g], covers[g], by_group[g], found))
    whole = _measure(runs, goals, customers, sc)
    for t, frame in enumerate(whole):
        frame["verdict"] = combined([p.by_target[t]["verdict"].to_numpy(dtype=object)
                                     for p in parts])
    verified = Verified(plan, hall_cover(covers), runs, whole, repairs)
    return (hall_requirement(needs, [g.name for g in groups], sc), verified, parts,
            _notes(sc, share))


def group_rules(rules: PlanningRules, windows: int, total: int) -> PlanningRules:
    """The rules for one group of ``windows`` of the hall's ``total``: the hall-wide limits
    (``max_on_duty.counter`` below the windows, ``max_on_break``, ``part_time.max_count``)
    shared among the groups by windows, rounded down (at least 1), so that together they
    keep them whenever each group's share is at least 1."""
    def share(limit: int) -> int:
        return max(int(limit * windows // total), 1)

    update: dict = {}
    limit = rules.max_on_duty.get("counter")
    if limit is not None and limit < total:
        update["max_on_duty"] = {**rules.max_on_duty, "counter": share(limit)}
    if rules.max_on_break is not None:
        update["max_on_break"] = share(rules.max_on_break)
    if rules.part_time is not None:
        update["part_time"] = rules.part_time.model_copy(
            update={"max_count": share(rules.part_time.max_count)})
    return rules.model_copy(update=update) if update else rules


def _group_gaps(cover: milp.Cover, hall: Scenario, rules: PlanningRules, name: str,
                only: np.ndarray, sc: Scenario) -> list[gap_finder.Gap]:
    """The group's gaps, its windows named as the group's."""
    return [replace(gap, message=_("{group}: {message}").format(group=name,
                                                                 message=gap.message))
            for gap in gap_finder.find(cover, hall, rules, interval_edges(sc), only, name)]


def _notes(sc: Scenario, share: np.ndarray) -> list[str]:
    """What the reader should know about how the groups were staffed."""
    notes = []
    shared = [s.name for i, s in enumerate(sc.services) if (share[i] > 0).sum() > 1]
    if shared:
        notes.append(_("Services several groups call first ({services}) are staffed in each "
                       "of them for a share in proportion to its windows; a group is not "
                       "staffed for what it only calls when idle (later in an order call "
                       "list). The verification simulates the whole hall, each group calling "
                       "by its own rule.").format(services=", ".join(shared)))
    floating = [s.name for s in sc.shifts if s.role == "counter" and s.groups]
    if floating:
        notes.append(_("Each group is staffed with shifts of its own: the plan has no floating "
                       "staff (the scenario's floating shifts {shifts} are replaced). Flex rules "
                       "between groups are kept.").format(shifts=", ".join(floating)))
    return notes
