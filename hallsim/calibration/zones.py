"""Counter groups (busy zones, 忙区) from a ticket log: which windows served which services.

A window calls a service when the service is at least ``MIN_CALL_SHARE`` of the tickets it
served (a ticket or two sent to the wrong window is not a call list). Windows calling the
same services form a group. A window whose call list lacks services other windows call can
lack them by chance (it opened for an hour, or the service is a few percent of the
tickets): it joins the windows whose mix explains its tickets best, unless it served
significantly fewer of the missing services than their mix would give (a one-sided Poisson
test at ``ALPHA`` for each). When every window ends up in one group, the hall has a single
pool, as a log without a window column does.

Each group's counter shifts come from the tickets its windows served (``windows.py``, on
those tickets alone: the clerks at its windows while its numbers waited), at most its
windows at once; they sit at the group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .arrivals import Arrivals
from .windows import Staffing, staffing

MIN_CALL_SHARE = 0.01
ALPHA = 1e-3


@dataclass(frozen=True)
class Zone:
    """A group of windows found in the log, and the counter shifts fitted to them."""

    name: str
    windows: list[str]             # the log's window labels, in order
    calls: list[str]               # the services its windows call, in the services' order
    tickets: int                   # tickets served at its windows
    staffing: Staffing

    def shifts(self) -> list[dict]:
        """Its fitted shifts, named after the group and sitting at it."""
        return [{**s, "name": f"{self.name}_{s['name']}", "group": self.name}
                for s in self.staffing.shifts]


def _natural(label: str) -> tuple:
    """Window labels in the order people count them (2 before 10, A2 before A10)."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", label) if part)


def window_calls(tickets: pd.DataFrame, services: list[str]) -> pd.DataFrame:
    """Served tickets per window (rows, natural order) and service (columns, ``services``
    order)."""
    served = tickets.loc[tickets["served"].to_numpy(dtype=bool) & (tickets["window"] != "")]
    counts = pd.crosstab(served["window"].astype(str), served["service"].astype(str))
    counts = counts.reindex(columns=services, fill_value=0)
    return counts.loc[sorted(counts.index, key=_natural)]


def _calls(row: pd.Series) -> frozenset[str]:
    total = float(row.sum())
    return frozenset(s for s, n in row.items() if total > 0 and n / total >= MIN_CALL_SHARE)


def _loglik(seen: pd.Series, mix: pd.Series) -> float:
    """Log-likelihood of a window's tickets by service at a group's mix (smoothed by half
    a ticket, so a service the group never served is unlikely, not impossible)."""
    p = (mix.to_numpy(dtype=float) + 0.5) / (float(mix.sum()) + 0.5 * len(mix))
    return float((seen.to_numpy(dtype=float) * np.log(p)).sum())


def group_windows(counts: pd.DataFrame) -> list[tuple[list[str], frozenset[str]]]:
    """Windows grouped by the services they call, groups in order of their first window.

    Each window, fewest tickets first, whose call list lacks services other windows call
    may join those windows: when it did not serve significantly fewer of the missing
    services than their mix would give, and their mix explains its tickets better than
    that of the other windows calling what it calls (if any); until nothing moves.
    """
    calls = {str(w): _calls(row) for w, row in counts.iterrows()}
    size = counts.sum(axis=1)
    moved = True
    while moved:
        moved = False
        for window in sorted(calls, key=lambda w: (size[w], _natural(w))):
            own = calls[window]
            seen = counts.loc[window]
            alike = [w for w, c in calls.items() if c == own and w != window]
            best = _loglik(seen, counts.loc[alike].sum(axis=0)) if alike else -np.inf
            choice = own
            hosts: dict[frozenset[str], list[str]] = {}
            for other, theirs in calls.items():
                if other != window and own < theirs:
                    hosts.setdefault(theirs, []).append(other)
            for theirs, windows in hosts.items():
                mix = counts.loc[windows].sum(axis=0)
                missing = sorted(theirs - own)
                expected = float(size[window]) * mix[missing].to_numpy(dtype=float) / float(
                    mix.sum())
                if (stats.poisson.cdf(seen[missing].to_numpy(), expected) < ALPHA).any():
                    continue           # significantly short of what those windows call
                fit = _loglik(seen, mix)
                if fit > best:
                    best, choice = fit, theirs
            if choice != own:
                calls[window] = choice
                moved = True
                break
    found: dict[frozenset[str], list[str]] = {}
    for window in counts.index:
        found.setdefault(calls[str(window)], []).append(str(window))
    return [(windows, c) for c, windows in found.items()]


def _name(windows: list[str], taken: set[str]) -> str:
    """``w1-5`` (first and last window of the group), ``w6`` for one window."""
    base = f"w{windows[0]}" if len(windows) == 1 else f"w{windows[0]}-{windows[-1]}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def find_zones(tickets: pd.DataFrame, arrivals: Arrivals, services: list[str]) -> list[Zone]:
    """The log's counter groups (empty: one pool). Every service is called by some group:
    one no window served goes to the group with the most tickets."""
    if not (tickets["window"] != "").any():
        return []
    counts = window_calls(tickets, services)
    groups = group_windows(counts)
    if len(groups) <= 1:
        return []
    called = set().union(*(calls for _w, calls in groups))
    sizes = [float(counts.loc[w].to_numpy().sum()) for w, _c in groups]
    biggest = int(np.argmax(sizes))
    calls_of = [[s for s in services if s in calls or (k == biggest and s not in called)]
                for k, (_w, calls) in enumerate(groups)]
    # numbers called at no window (the hall closed first) count with the group that calls
    # their service and served the most tickets
    home = {s: max((k for k in range(len(groups)) if s in calls_of[k]), key=sizes.__getitem__)
            for s in services}
    window_text = tickets["window"].astype(str).to_numpy()
    home_of = tickets["service"].map(home).to_numpy()
    zones: list[Zone] = []
    taken: set[str] = set()
    for k, (windows, _calls) in enumerate(groups):
        name = _name(windows, taken)
        taken.add(name)
        mine = np.isin(window_text, windows) | ((window_text == "") & (home_of == k))
        zones.append(Zone(name, windows, calls_of[k], int(sizes[k]),
                          staffing(tickets.loc[mine], arrivals)))
    return zones
