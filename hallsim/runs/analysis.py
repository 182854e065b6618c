"""Reading a sweep's table: per-combination means, paired contrasts, a blocked ANOVA.

Replication k of every combination of a sweep sees the same customers (common random
numbers), so the rows of one replication form a block. Differences taken within a block
cancel the day-to-day noise that the customers bring: ``contrasts`` pairs each combination
with its baseline replication by replication, and ``anova`` puts ``replication`` in the
model as a block factor. Both see effects that per-combination intervals hide.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..results.metrics import METRICS
from ..results.summary import mean_ci95

INDEX_COLUMNS = ("combination", "replication")


def check_runs_frame(frame: Any, name: str = "runs") -> list[str]:
    """The varied columns of a ``sweep`` table, or a TypeError/ValueError saying what it is not."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"'{name}' must be the DataFrame sweep() returns, got {type(frame).__name__}")
    missing = [c for c in (*INDEX_COLUMNS, *METRICS) if c not in frame.columns]
    if missing:
        raise ValueError(f"'{name}' is not a sweep result: no column {missing[0]!r} "
                         f"(expected the DataFrame sweep() returns)")
    return [c for c in frame.columns if c not in METRICS and c not in INDEX_COLUMNS]


def summarise(frame: pd.DataFrame, baseline: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Mean and 95% confidence interval of every metric, one row per combination.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table ``sweep`` returns.
    baseline : mapping, optional
        ``{path: value}`` naming the baseline (see ``contrasts``). Each row then also has
        ``METRIC_diff`` and ``METRIC_diff_ci95``: the paired difference from its baseline
        and the 95% half-width of that difference (0 and 0 for a baseline itself).

    Returns
    -------
    pandas.DataFrame
        The varied columns, ``combination``, ``replications``, then for each metric its mean
        (``METRIC``) and the Student-t 95% half-width over replications (``METRIC_ci95``,
        NaN for one replication). These intervals are per combination, not paired: to
        compare combinations use ``baseline`` or ``contrasts``.
    """
    factors = check_runs_frame(frame, "frame")
    rows = []
    for index, group in frame.groupby("combination", sort=True):
        row: dict[str, Any] = {k: group[k].iloc[0] for k in factors}
        row["combination"] = index
        row["replications"] = len(group)
        for metric in METRICS:
            mean, half = mean_ci95(group[metric].to_numpy())
            row[metric] = mean
            row[f"{metric}_ci95"] = half if len(group) > 1 else math.nan
        rows.append(row)
    table = pd.DataFrame(rows)
    if baseline is None:
        return table
    paired = contrasts(frame, baseline).set_index("combination")
    for metric in METRICS:
        for suffix, source in (("_diff", metric), ("_diff_ci95", f"{metric}_ci95")):
            table[metric + suffix] = [paired[source].get(c, 0.0) for c in table["combination"]]
    return table


def contrasts(runs: pd.DataFrame, baseline: Mapping[str, Any],
              metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """Paired differences of each combination from its baseline, with 95% intervals.

    The baseline of a combination is the combination with the same values of every
    varied path except those named in ``baseline``, which take the baseline's values.
    Naming every varied path compares all combinations with one; naming some compares
    within each level of the others (``{"services.plan_change.preprocess.eligible": 0}``:
    the effect of pre-processing at each number of windows). Differences are taken
    replication by replication, on the same customers.

    Parameters
    ----------
    runs : pandas.DataFrame
        The table ``sweep`` returns.
    baseline : mapping
        ``{path: value}``: varied paths and their baseline values.
    metrics : sequence of str, optional
        The metrics to contrast (default: every metric).

    Returns
    -------
    pandas.DataFrame
        One row per combination that is not a baseline: the varied columns,
        ``combination``, ``baseline`` (the baseline's combination number),
        ``replications`` (the pairs), then per metric the mean paired difference
        (``METRIC``, this combination minus its baseline) and its Student-t 95% half-width
        (``METRIC_ci95``, NaN with one pair). An interval that excludes 0 is a difference
        at the 5% level.
    """
    factors = check_runs_frame(runs)
    chosen = _check_metrics(metrics)
    baseline = _check_baseline(runs, factors, baseline)
    by_combination = {c: g.set_index("replication") for c, g in runs.groupby("combination")}
    levels = {c: {f: g[f].iloc[0] for f in factors} for c, g in by_combination.items()}
    rows = []
    for index, values in levels.items():
        wanted = {f: baseline.get(f, values[f]) for f in factors}
        if all(_same(values[f], wanted[f]) for f in factors):
            continue  # a baseline itself
        ref = next((c for c, v in levels.items() if all(_same(v[f], wanted[f]) for f in factors)),
                   None)
        if ref is None:
            shown = ", ".join(f"{f}={wanted[f]!r}" for f in factors)
            raise ValueError(f"'baseline': combination {index} has no baseline in the table "
                             f"(no combination with {shown})")
        mine, theirs = by_combination[index], by_combination[ref]
        shared = mine.index.intersection(theirs.index)
        row: dict[str, Any] = {f: values[f] for f in factors}
        row.update(combination=index, baseline=ref, replications=len(shared))
        for metric in chosen:
            diffs = mine.loc[shared, metric].to_numpy(float) - theirs.loc[shared, metric].to_numpy(float)
            mean, half = mean_ci95(diffs)
            row[metric] = mean
            row[f"{metric}_ci95"] = half if len(shared) > 1 else math.nan
        rows.append(row)
    columns = [*factors, "combination", "baseline", "replications",
               *(c for m in chosen for c in (m, f"{m}_ci95"))]
    return pd.DataFrame(rows, columns=columns)


def anova(runs: pd.DataFrame, metric: str, factors: Sequence[str] | None = None,
          interactions: bool = True) -> pd.DataFrame:
    """Analysis of variance of one metric over a sweep, blocked on replication.

    Fits ``metric ~ C(f1) * C(f2) * ... + C(replication)`` by least squares (statsmodels,
    ``pip install 'hallsim[research]'``) and returns its type II ANOVA table. The block
    term takes out the day-to-day variation shared by every combination (the same
    customers), which is what lets a modest effect or interaction show.

    Parameters
    ----------
    runs : pandas.DataFrame
        The table ``sweep`` returns (at least two replications).
    metric : str
        The metric analysed, e.g. ``"mean_wait_min"``.
    factors : sequence of str, optional
        Varied paths to include as categorical factors (default: every varied path).
    interactions : bool
        Include every interaction of the factors (default) or main effects only.

    Returns
    -------
    pandas.DataFrame
        Rows: each factor, each interaction (``a:b``), ``replication`` and ``Residual``;
        columns ``sum_sq``, ``df``, ``F`` and ``PR(>F)`` (the p-value).
    """
    varied = check_runs_frame(runs)
    [metric] = _check_metrics([metric])
    factors = list(varied if factors is None else factors)
    for f in factors:
        if f not in varied:
            raise ValueError(f"'factors': {f!r} is not a varied path of this sweep "
                             f"(varied: {', '.join(varied) or 'none'})")
    if not factors:
        raise ValueError("'factors': the sweep has no varied path to analyse")
    if runs["replication"].nunique() < 2:
        raise ValueError("'runs' needs at least two replications for a blocked ANOVA")
    try:
        import statsmodels.formula.api as smf
        from statsmodels.stats.anova import anova_lm
    except ImportError:
        raise ImportError("hallsim.anova needs statsmodels: pip install 'hallsim[research]'") from None
    safe = {f: f"f{i}" for i, f in enumerate(factors)}
    data = runs[[*factors, "replication", metric]].rename(columns={**safe, metric: "y"})
    joiner = " * " if interactions else " + "
    formula = "y ~ " + joiner.join(f"C({s})" for s in safe.values()) + " + C(replication)"
    table = anova_lm(smf.ols(formula, data=data).fit(), typ=2)
    names = {f"C({s})": f for f, s in safe.items()} | {"C(replication)": "replication"}
    table.index = [":".join(names.get(part, part) for part in term.split(":"))
                   for term in table.index]
    return table


def to_xarray(runs: pd.DataFrame) -> Any:
    """A sweep's table as an ``xarray.Dataset``: one variable per metric over the factors
    and ``replication`` (``pip install 'hallsim[research]'``).

    Parameters
    ----------
    runs : pandas.DataFrame
        The table ``sweep`` returns.

    Returns
    -------
    xarray.Dataset
        For a full grid (every combination of the varied values, as ``vary={path: [...]}``
        gives), dimensions are the varied paths and ``replication``:
        ``ds["mean_wait_min"].sel({"counters.windows": 8}).mean("replication")``. For other
        designs (explicit lists, ``design("lhs", ...)``), dimensions are ``combination`` and
        ``replication``, with each varied path a coordinate along ``combination``.
    """
    factors = check_runs_frame(runs)
    try:
        import xarray  # noqa: F401 - pandas' to_xarray needs it
    except ImportError:
        raise ImportError("hallsim.to_xarray needs xarray: pip install 'hallsim[research]'") from None
    levels = runs.groupby("combination", sort=True)[factors].first() if factors else None
    values = list(METRICS)
    grid = levels is not None and not levels.isna().any().any() and len(levels) == math.prod(
        levels[f].nunique() for f in factors)
    if grid:
        return runs.set_index([*factors, "replication"])[values].to_xarray()
    data = runs.set_index(["combination", "replication"])[values].to_xarray()
    if levels is not None:
        data = data.assign_coords({f: ("combination", levels[f].to_numpy()) for f in factors})
    return data


def formula_names(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose column names are safe in formulas: ``counters.windows`` →
    ``counters_windows``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table, usually the one ``sweep`` returns.

    Returns
    -------
    pandas.DataFrame
        The same data; each run of characters that are not letters, digits or ``_``
        becomes one ``_``, and a name starting with a digit gets a leading ``_``.
        Raises ``ValueError`` if two columns would get the same name.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"'frame' must be a DataFrame, got {type(frame).__name__}")
    renamed = {c: formula_name(str(c)) for c in frame.columns}
    seen: dict[str, str] = {}
    for old, new in renamed.items():
        if new in seen:
            raise ValueError(f"columns {seen[new]!r} and {old!r} would both be named {new!r}")
        seen[new] = str(old)
    return frame.rename(columns=renamed)


def formula_name(name: str) -> str:
    """One column name made safe for formulas (see ``formula_names``)."""
    safe = re.sub(r"\W+", "_", name)
    return f"_{safe}" if not safe or safe[0].isdigit() else safe


def _check_metrics(metrics: Sequence[str] | None) -> list[str]:
    if metrics is None:
        return list(METRICS)
    if isinstance(metrics, str):
        metrics = [metrics]
    for m in metrics:
        if m not in METRICS:
            close = difflib.get_close_matches(str(m), METRICS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValueError(f"unknown metric {m!r}{hint}; metrics: {', '.join(METRICS)}")
    return list(metrics)


def _check_baseline(runs: pd.DataFrame, factors: list[str], baseline: Any) -> dict[str, Any]:
    if not isinstance(baseline, Mapping) or not baseline:
        raise TypeError("'baseline' must be a mapping {path: value} of varied paths, e.g. "
                        f"{{'counters.windows': 8}}, got {baseline!r}")
    for path, value in baseline.items():
        if path not in factors:
            close = difflib.get_close_matches(str(path), factors, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValueError(f"'baseline': {path!r} is not a varied path of this sweep{hint}; "
                             f"varied: {', '.join(factors) or 'none'}")
        values = list(dict.fromkeys(runs.groupby("combination")[path].first()))
        if not any(_same(v, value) for v in values):
            have = ", ".join(repr(v) for v in values)
            raise ValueError(f"'baseline': {path}={value!r} is not in the table (values: {have})")
    return dict(baseline)


def _same(a: Any, b: Any) -> bool:
    """Equal values, where two missing values (NaN, None) are the same."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return bool(a == b)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
