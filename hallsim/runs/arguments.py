"""Checks at the Python API's edge: a wrong argument is named in a TypeError or ValueError
instead of failing deep inside the model. numpy integers are accepted wherever ints are."""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..scenario.scenario import Scenario


def whole(value: Any, name: str, minimum: int, note: str = "") -> int:
    """``value`` as an int (``np.int64`` included; not bool, not float) of at least ``minimum``."""
    if isinstance(value, bool):
        raise TypeError(f"'{name}' must be an integer >= {minimum}{note}, got {value!r}")
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"'{name}' must be an integer >= {minimum}{note}, "
                        f"got {type(value).__name__} {value!r}") from None
    if number < minimum:
        raise ValueError(f"'{name}' must be an integer >= {minimum}{note}, got {number}")
    return number


def check_scenario(scenario: Any, name: str = "scenario") -> Scenario:
    """A ``Scenario``, or a TypeError that says how to make one."""
    if not isinstance(scenario, Scenario):
        hint = (" (load a file with hallsim.load_scenario(path))"
                if isinstance(scenario, (str, Path)) else
                " (build one with hallsim.Scenario.from_dict(data))" if isinstance(scenario, Mapping)
                else "")
        raise TypeError(f"'{name}' must be a hallsim.Scenario, got {type(scenario).__name__}{hint}")
    return scenario


def check_hour_cost(value: Any) -> float | None:
    """None, or a finite number >= 0 (what a staff hour weighs in compare's verdict)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"'hour_cost' must be a number >= 0, got {type(value).__name__} {value!r}")
    number = float(value)
    if not (math.isfinite(number) and number >= 0):
        raise ValueError(f"'hour_cost' must be a number >= 0, got {value!r}")
    return number


def check_progress(progress: Any) -> None:
    if progress is not None and not callable(progress):
        raise TypeError(f"'progress' must be a function of the number of runs done, "
                        f"got {type(progress).__name__}")


def check_vary(vary: Any) -> dict[str, list] | list[dict]:
    """``{path: [values...]}`` (non-empty lists) or a non-empty list of ``{path: value}``;
    returned with every iterable made a list."""
    if isinstance(vary, Mapping):
        if not vary:
            raise ValueError("'vary' needs at least one path, e.g. {'counters.windows': [6, 7]}")
        out: dict[str, list] = {}
        for path, values in vary.items():
            if not isinstance(path, str) or not path:
                raise TypeError(f"'vary' keys must be dotted paths (str), got {path!r}")
            if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
                raise TypeError(f"vary[{path!r}] must be a list of values, got {values!r}")
            out[path] = list(values)
            if not out[path]:
                raise ValueError(f"vary[{path!r}] is empty: give at least one value")
        return out
    if isinstance(vary, (str, bytes)) or not isinstance(vary, Iterable):
        raise TypeError("'vary' must be a mapping {path: [values]} or a list of "
                        f"{{path: value}} combinations, got {type(vary).__name__}")
    combos = list(vary)
    if not combos:
        raise ValueError("'vary' needs at least one combination")
    for combo in combos:
        if not isinstance(combo, Mapping):
            raise TypeError(f"each combination in 'vary' must be a mapping {{path: value}}, "
                            f"got {combo!r}")
    return [dict(c) for c in combos]


def check_client(client: Any) -> None:
    if client is not None and not (callable(getattr(client, "submit", None))
                                   and callable(getattr(client, "cancel", None))):
        raise TypeError(f"'client' must be a dask.distributed.Client, got {type(client).__name__}")
