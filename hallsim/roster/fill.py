"""After the verification: put a free person into every gap someone could fill.

The program covers the requirement it is given, and the repair rounds raise it where a few
simulated days say the target is missed; the verification on fresh days can still find
intervals short where someone is free (under their weekly hours, rested, not on a day off
they need, a window free). Each such gap gets the person and shift that cover most of it
within every rule (for someone working that day: a longer shift that keeps all their own
hours), the fewest extra paid hours first; the days changed are then verified again.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..week.people import Member, Roster
from ..week.rules import breaches, unfair_weekends
from . import problem
from .gaps import Gap

MAX_FILLS = 3          # rounds of filling, each verified again on the fresh days


def _addition(group: Sequence[Member], d: problem.DayInput, a: int, b: int, roster: Roster,
              open_days: set[str]) -> tuple[str, int] | None:
    """The person and candidate (index into ``d.candidates``) that cover most of intervals
    ``a:b`` of day ``d`` within every rule, fewest extra paid minutes next; None if nobody."""
    by_duty = {problem.as_duty(c): i for i, c in enumerate(d.candidates)}
    chosen = {name: (None if duty is None else by_duty.get(duty))
              for name, duty in roster[d.day].items()}
    present = np.zeros(d.present.shape[1])
    for i in chosen.values():
        if i is not None:
            present += d.present[i]
    best: tuple[tuple, str, int] | None = None
    for rank, person in enumerate(group):
        own = chosen.get(person.name)
        if own is None and roster[d.day].get(person.name) is not None:
            continue                  # a duty the program did not draft: left as it is
        mine = float(d.cover[own, a:b].sum()) if own is not None else 0.0
        paid = d.candidates[own].paid_minutes if own is not None else 0.0
        others = present - (d.present[own] if own is not None else 0.0)
        trial = {day: dict(people) for day, people in roster.items()}
        for i, c in enumerate(d.candidates):
            gain = float(d.cover[i, a:b].sum()) - mine
            if gain <= 1e-9:
                continue
            if own is not None and (d.cover[i] < d.cover[own] - 1e-9).any():
                continue
            key = (-round(gain, 9), c.paid_minutes - paid, rank, i)
            if best is not None and key >= best[0]:
                continue
            if ((others + d.present[i]) > d.cap).any():
                continue
            trial[d.day][person.name] = problem.as_duty(c)
            if breaches([person], trial, open_days) or unfair_weekends(list(group), trial):
                continue
            best = (key, person.name, i)
    return None if best is None else (best[1], best[2])


def cover(people: Sequence[Member], inputs: dict[str, dict[str, problem.DayInput]],
          roster: Roster, gaps: Sequence[Gap]) -> tuple[Roster, set[str]]:
    """The roster with one more person in every gap someone is free to fill (the best such
    person and shift, gap by gap in order), and the days it changed."""
    out: Roster = {day: dict(by_person) for day, by_person in roster.items()}
    open_days = set(roster)
    changed: set[str] = set()
    for gap in gaps:
        if not gap.free:
            continue
        d = inputs[gap.role][gap.day]
        a = int(np.searchsorted(d.edges, gap.start))
        b = int(np.searchsorted(d.edges, gap.end))
        group = [p for p in people if p.role == gap.role]
        found = _addition(group, d, a, b, out, open_days)
        if found is None:
            continue                  # an earlier gap of the round took the free person
        name, i = found
        out[gap.day][name] = problem.as_duty(d.candidates[i])
        changed.add(gap.day)
    return out, changed
