"""Checks at the Python API's edge: a wrong argument is named in a TypeError or ValueError
instead of failing deep inside the model. numpy integers are accepted wherever ints are."""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ScenarioError
from ..scenario.loading import field_path, plain
from ..scenario.messages import unknown_key
from ..scenario.overrides import apply_overrides
from ..scenario.scenario import Scenario
from ..scenario.schema import ScenarioModel

# One default for the Python API and the command line alike (README, "Python API").
DEFAULT_SEED = 1
DEFAULT_JOBS = 1


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
    """None, True, False or a function of the number of runs just done; else TypeError."""
    if progress is not None and not isinstance(progress, bool) and not callable(progress):
        raise TypeError(f"'progress' must be True (a progress bar), or a function of the "
                        f"number of runs done, got {type(progress).__name__}")


@contextmanager
def progress_callback(progress: Any, total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """The function to call as runs finish: the user's, a progress bar on stderr for
    ``progress=True`` (shown on a terminal), or None."""
    check_progress(progress)
    if progress is True:
        from ..output.console import progress as bar  # rich loads only when a bar is asked for

        with bar(total, label) as advance:
            yield advance
    else:
        yield progress or None


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


def check_paths(scenario: Scenario, combos: Iterable[Mapping[str, Any]]) -> None:
    """Every dotted path in ``combos`` names a field the scenario can have; otherwise a
    ``ScenarioError`` (a ``ValueError``) naming each unknown path, with a "did you mean".

    A path is judged with its first value; a value the field refuses (``windows: 0``) is
    not an unknown path, and is left to fail its own combination.
    """
    first: dict[str, Any] = {}
    for combo in combos:
        for path, value in combo.items():
            first.setdefault(path, value)
    raw = scenario.to_dict()
    problems = [p for p in (unknown_path(raw, path, value) for path, value in first.items()) if p]
    if problems:
        raise ScenarioError([f"vary: {p}" for p in problems])


def unknown_path(raw: Mapping[str, Any], path: str, value: Any) -> str | None:
    """Why ``path`` cannot be set in the scenario data ``raw``, or None if it can."""
    try:
        data, [loc] = apply_overrides(raw, {path: value})
    except ScenarioError as exc:  # no such list item, or a field inside a plain value
        return str(exc)
    data = plain(data)
    try:
        ScenarioModel.model_validate(data)
    except ValidationError as exc:
        wanted = field_path(loc, data)
        for err in exc.errors():
            where = tuple(err["loc"])
            if err["type"] != "extra_forbidden":
                continue
            found = field_path(where, data)
            # The unknown key is the path's last part or any part above it (counter.windows).
            if wanted == found or wanted.startswith((found + ".", found + "[")):
                return f"{path}: {unknown_key(str(where[-1]), ScenarioModel, where)}"
    return None
