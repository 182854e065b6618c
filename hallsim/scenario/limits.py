"""Sane bounds on every number of a scenario, plan or challenge, checked before the schema.

pydantic checks types and signs; these bounds keep a typo or a hostile file from turning
into an infinite loop, an overflow or gigabytes of customers. Every number must be finite;
fields known here have a documented upper bound (README, "Limits"); any other number must
stay within ±1e9. The expected number of customers in a day is estimated from the profile
before anything is simulated.
"""

from __future__ import annotations

import math
from typing import Any

from ..i18n import _

Loc = tuple[Any, ...]

WEEK_MINUTES = 7 * 24 * 60
MAX_RATE_PER_HOUR = 100_000
MAX_CUSTOMERS_PER_DAY = 5_000_000
MAX_STAFF = 10_000
MAX_STAFF_SHIFTS = 100_000
MAX_CV = 20.0
MAX_LOAD_FACTOR = 100.0
MAX_ANY = 1e9
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000          # YAML nodes after expanding aliases (stops "billion laughs")
MAX_EMPIRICAL_VALUES = 100_000
MAX_FLOW_DEPTH = 100

_WEEK = (WEEK_MINUTES, "minutes (a week)")
_STAFF = (MAX_STAFF, "")
# field name -> (largest allowed value, what the unit is)
BOUNDS: dict[str, tuple[float, str]] = {
    "rate": (MAX_RATE_PER_HOUR, "customers an hour"),
    "mean": _WEEK, "value": _WEEK, "low": _WEEK, "mode": _WEEK, "high": _WEEK, "values": _WEEK,
    "minutes": _WEEK, "warmup_minutes": _WEEK, "midpoint_minutes": _WEEK,
    "scale_minutes": _WEEK, "target_wait_minutes": _WEEK, "points": _WEEK,
    "cv": (MAX_CV, ""),
    "load_factor": (MAX_LOAD_FACTOR, ""),
    "count": _STAFF, "windows": _STAFF, "kiosks": _STAFF, "max_on_duty": _STAFF,
    "queue_at_least": (1_000_000, ""), "queue_at_most": (1_000_000, ""),
    "priority": (1_000_000, ""),
    "reps": (100_000, "replications"),
    "budget_staff_hours": (1_000_000, "hours"),
    "min_shift_hours": (24, "hours"), "max_shift_hours": (24, "hours"), "over_hours": (24, "hours"),
    "min_minutes": _WEEK,
    # exercise scoring weights
    "mean_wait_min": (1e6, ""), "p90_wait_min": (1e6, ""), "abandon_rate": (1e6, ""),
    "detractor_rate": (1e6, ""), "staff_hours": (1e6, ""), "overtime_min": (1e6, ""),
}


def check_numbers(data: Any) -> list[tuple[Loc, str]]:
    """``(location, message)`` for every number that is not finite or out of its field's range."""
    problems: list[tuple[Loc, str]] = []
    _walk(data, (), None, problems)
    return problems


def _walk(value: Any, loc: Loc, field: str | None, out: list[tuple[Loc, str]]) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            # the levels of 'loads' are the user's own names; their values are rates
            name = "rate" if loc == ("loads",) else (key if isinstance(key, str) else field)
            _walk(child, (*loc, key), name, out)
    elif isinstance(value, list):
        if field == "values" and len(value) > MAX_EMPIRICAL_VALUES:
            out.append((loc, f"at most {MAX_EMPIRICAL_VALUES:,} values, got {len(value):,}"))
            return
        for i, child in enumerate(value):
            _walk(child, (*loc, i), field, out)
    elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
        if isinstance(value, str):
            # pydantic reads "1e308" or "inf" in a number field as a number: check it as one
            if field not in BOUNDS:
                return
            try:
                value = float(value.strip())
            except ValueError:
                return
        problem = _check(value, field)
        if problem:
            # a bad number inside a list of pairs is reported at the list
            out.append((loc[:-2] if field == "points" else loc, problem))


def _check(value: float, field: str | None) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    bound, unit = BOUNDS.get(field or "", (MAX_ANY, ""))
    if abs(value) > bound:
        shown = f"{value:.6g}" if isinstance(value, float) or abs(value) > 1e15 else f"{value}"
        return f"must be at most {bound:,g}{' ' + unit if unit else ''}, got {shown}"
    return None


def expected_customers(model: Any) -> float:
    """Expected arrivals in a day: the profile's rates × their hours × ``load_factor``."""
    total = 0.0
    for period in model.profile:
        per_hour = model.loads.get(period.load, 0.0) if period.load is not None else period.rate
        total += float(per_hour or 0.0) * max(period.end - period.start, 0) / 60.0
    return total * model.load_factor


def check_volume(model: Any) -> list[tuple[Loc, str]]:
    """Refuse a day with more customers, or more staff, than hallsim simulates in
    reasonable memory."""
    out: list[tuple[Loc, str]] = []
    expected = expected_customers(model)
    if expected > MAX_CUSTOMERS_PER_DAY:
        out.append((("profile",), _("about {expected:,.0f} customers expected in a day (rates × "
                                    "hours × load_factor); at most {most:,} are simulated").format(
            expected=expected, most=MAX_CUSTOMERS_PER_DAY)))
    staff = sum(shift.count for shift in model.shifts)
    if staff > MAX_STAFF_SHIFTS:
        out.append((("shifts",), _("{staff:,} staff shifts in all (the sum of every shift's "
                                   "count); at most {most:,}").format(staff=staff,
                                                                    most=MAX_STAFF_SHIFTS)))
    return out


def node_count(node: Any, limit: int = MAX_NODES) -> int:
    """Nodes of a composed YAML tree with aliases expanded (shared nodes counted each time)."""
    import yaml

    sizes: dict[int, int] = {}

    def size(n: Any, depth: int) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        if depth > 200:
            raise RecursionError
        total = 1
        if isinstance(n, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total += sum(size(c, depth + 1) for c in n.value)
        sizes[id(n)] = min(total, limit + 1)
        return sizes[id(n)]

    return size(node, 0) if node is not None else 0


def flow_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in ``text`` (brackets inside quotes count too:
    an over-estimate, which only matters for absurd files)."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-8", "replace"), dtype=np.uint8)
    steps = np.zeros(len(codes), dtype=np.int8)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    if not steps.any():
        return 0
    # depth that never goes below 0 (a stray closer resets it): the walk minus its running low
    walk = np.cumsum(steps[steps != 0], dtype=np.int64)
    return int((walk - np.minimum(np.minimum.accumulate(walk), 0)).max())
