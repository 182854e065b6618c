"""Experimental designs for ``sweep``: full factorial, Latin hypercube and Sobol points.

``design`` turns a space of factors into a list of ``{path: value}`` combinations, which
``sweep`` runs as given. The space-filling designs come from ``scipy.stats.qmc`` and are
drawn from a seeded generator: the same space, method, samples and seed give the same
combinations.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .arguments import DEFAULT_SEED, whole

METHODS = ("factorial", "lhs", "sobol")


class _Range:
    """A factor drawn from ``low..high``: whole numbers (inclusive) or a continuous interval."""

    def __init__(self, path: str, low: Any, high: Any):
        for bound in (low, high):
            if isinstance(bound, bool) or not isinstance(bound, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(bound):
                raise TypeError(f"space[{path!r}]: a range is (low, high) with finite numbers, "
                                f"got ({low!r}, {high!r})")
        if not low < high:
            raise ValueError(f"space[{path!r}]: a range needs low < high, got ({low!r}, {high!r})")
        self.whole = all(isinstance(b, (int, np.integer)) for b in (low, high))
        self.low, self.high = low, high

    def levels(self, path: str) -> list[Any]:
        if not self.whole:
            raise ValueError(f"space[{path!r}]: a factorial design needs levels (a list, or a "
                             f"range of whole numbers), got the interval ({self.low}, {self.high})")
        return list(range(int(self.low), int(self.high) + 1))

    def at(self, u: float) -> Any:
        if self.whole:
            span = int(self.high) - int(self.low) + 1
            return int(self.low) + min(int(u * span), span - 1)
        return float(self.low + u * (self.high - self.low))


def _factor(path: Any, spec: Any) -> _Range | list[Any]:
    if not isinstance(path, str) or not path:
        raise TypeError(f"'space' keys must be dotted paths (str), got {path!r}")
    if isinstance(spec, tuple) and len(spec) == 2:
        return _Range(path, *spec)
    if isinstance(spec, (str, bytes, Mapping)) or not hasattr(spec, "__iter__"):
        raise TypeError(f"space[{path!r}] must be a list of levels or a (low, high) range, "
                        f"got {spec!r}")
    levels = list(spec)
    if not levels:
        raise ValueError(f"space[{path!r}] is empty: give at least one level")
    return levels


def design(space: Mapping[str, Any], method: str = "lhs", samples: int | None = None,
           seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """Combinations of factors for ``sweep``: full factorial, Latin hypercube or Sobol.

    Parameters
    ----------
    space : mapping
        ``{path: factor}``. A factor is a list of levels (``[6, 8, 10]``, ``range(6, 11)``,
        ``["09:00", "10:00"]``) or a ``(low, high)`` tuple: whole numbers from low to high
        inclusive when both are ints, else any number in the interval.
    method : str
        ``"factorial"`` (every combination of the levels; ``samples`` is not used),
        ``"lhs"`` (Latin hypercube: each factor's range cut into ``samples`` strata, each
        used once) or ``"sobol"`` (scrambled Sobol points; ``samples`` a power of two).
    samples : int, optional
        Number of combinations for ``lhs`` and ``sobol`` (required for them).
    seed : int
        Seed of the design's randomisation (default 1).

    Returns
    -------
    list of dict
        ``[{path: value, ...}, ...]``, to pass as ``sweep(scenario, combinations, ...)``.
        A list factor contributes one of its levels; a range, a number in it.
    """
    if not isinstance(space, Mapping) or not space:
        raise TypeError("'space' must be a non-empty mapping {path: levels or (low, high)}, "
                        f"got {space!r}")
    if method not in METHODS:
        raise ValueError(f"'method' must be one of {', '.join(METHODS)}, got {method!r}")
    factors = {path: _factor(path, spec) for path, spec in space.items()}
    if method == "factorial":
        if samples is not None:
            raise ValueError("'samples' does not apply to a factorial design (it runs every "
                             "combination of the levels)")
        grids = [f.levels(p) if isinstance(f, _Range) else f for p, f in factors.items()]
        return [dict(zip(factors, combo, strict=True)) for combo in itertools.product(*grids)]
    if samples is None:
        raise ValueError(f"'samples' is required for method={method!r}")
    n = whole(samples, "samples", 1)
    seed = whole(seed, "seed", 0)
    from scipy.stats import qmc  # only space-filling designs need it

    rng = np.random.default_rng(seed)
    if method == "sobol":
        if n & (n - 1):
            raise ValueError(f"'samples' must be a power of two for a Sobol design (its balance "
                             f"holds only then), got {n}; e.g. {1 << n.bit_length()}")
        points = qmc.Sobol(len(factors), scramble=True, rng=rng).random(n)
    else:
        points = qmc.LatinHypercube(len(factors), rng=rng).random(n)
    return [{path: _level(factor, u) for (path, factor), u in zip(factors.items(), row, strict=True)}
            for row in points]


def _level(factor: _Range | list[Any], u: float) -> Any:
    if isinstance(factor, _Range):
        return factor.at(u)
    return factor[min(int(u * len(factor)), len(factor) - 1)]
