"""Reading sweeps: paired contrasts against a baseline, a blocked ANOVA, formula-safe names,
and the designs (factorial, Latin hypercube, Sobol) that feed sweep."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import hallsim
from hallsim import anova, contrasts, design, formula_names, summarise
from hallsim.results.metrics import METRICS


def table(rows):
    """A sweep-shaped table from (factors, replication, mean_wait_min) rows; the other
    metrics are 0."""
    frame = pd.DataFrame([{**f, "replication": k, "mean_wait_min": w} for f, k, w in rows])
    keys = [c for c in frame.columns if c not in ("replication", "mean_wait_min")]
    frame.insert(len(keys), "combination", frame.groupby(keys, sort=False).ngroup())
    for metric in METRICS:
        if metric not in frame:
            frame[metric] = 0.0
    return frame[[*keys, "combination", "replication", *METRICS]]


# Two windows levels x two coverage levels x 3 days; the days differ a lot (common noise),
# the coverage effect is -1 at 6 windows and +0.5 at 8 (an interaction).
DAYS = [10.0, 20.0, 40.0]
GRID = table([({"w": w, "c": c}, k, DAYS[k] + w + (({6: -1.0, 8: 0.5}[w] + 0.1 * k) if c else 0))
              for w in (6, 8) for c in (0, 1) for k in range(3)])


def test_contrasts_pair_days_within_each_level_of_the_other_factor():
    """baseline={c: 0}: each (w, c=1) minus (w, c=0) day by day; mean and Student-t half-width."""
    out = contrasts(GRID, baseline={"c": 0}, metrics=["mean_wait_min"])
    assert out[["w", "c", "baseline", "replications"]].values.tolist() == [[6, 1, 0, 3], [8, 1, 2, 3]]
    diffs = np.array([0.0, 0.1, 0.2])
    half = stats.t.ppf(0.975, 2) * diffs.std(ddof=1) / math.sqrt(3)
    assert out["mean_wait_min"].tolist() == pytest.approx([-0.9, 0.6])
    assert out["mean_wait_min_ci95"].tolist() == pytest.approx([half, half])


def test_paired_interval_is_far_narrower_than_the_unpaired_one():
    """The day-to-day noise (10, 20, 40) cancels in the paired difference but not in the
    per-combination intervals of summarise."""
    paired = contrasts(GRID, baseline={"c": 0})["mean_wait_min_ci95"].max()
    unpaired = summarise(GRID)["mean_wait_min_ci95"].min()
    assert paired < unpaired / 50


def test_a_full_baseline_compares_every_combination_with_one():
    """Naming every varied path: three combinations against (w=6, c=0)."""
    out = contrasts(GRID, baseline={"w": 6, "c": 0}, metrics="mean_wait_min")
    assert out["baseline"].tolist() == [0, 0, 0]
    assert out["mean_wait_min"].tolist() == pytest.approx([-0.9, 2.0, 2.6])


def test_summarise_with_a_baseline_adds_paired_columns():
    """METRIC_diff and METRIC_diff_ci95 beside the means; 0 and 0 for the baselines."""
    out = summarise(GRID, baseline={"c": 0})
    assert out["mean_wait_min_diff"].tolist() == pytest.approx([0, -0.9, 0, 0.6])
    assert out["mean_wait_min_diff_ci95"].iloc[[0, 2]].tolist() == [0.0, 0.0]
    assert out["mean_wait_min"].iloc[0] == pytest.approx(np.mean(DAYS) + 6)


@pytest.mark.parametrize("baseline, match", [
    ({"cc": 0}, "'cc' is not a varied path of this sweep .did you mean 'c'"),
    ({"c": 5}, r"c=5 is not in the table \(values: 0, 1\)"),
    ({}, "'baseline' must be a mapping"),
])
def test_bad_baselines_are_named(baseline, match):
    """An unknown path (with a did-you-mean), a value not swept, an empty baseline."""
    with pytest.raises((ValueError, TypeError), match=match):
        contrasts(GRID, baseline=baseline)


def test_a_baseline_missing_from_the_table_is_named():
    """An explicit list without the (w=8, c=0) combination: its baseline cannot be found."""
    partial = GRID[GRID["combination"] != 2]
    with pytest.raises(ValueError, match="combination 3 has no baseline"):
        contrasts(partial, baseline={"c": 0})


def test_blocked_anova_finds_the_interaction():
    """With replication as a block, the w x c interaction (and w) stand out; rows are named
    by the varied paths."""
    pytest.importorskip("statsmodels")
    rng = np.random.default_rng(3)
    rows = [({"w": w, "c": c}, k, k * 3 + w + (({6: -1, 8: 1}[w]) if c else 0)
             + rng.normal(0, 0.3)) for w in (6, 8) for c in (0, 1) for k in range(8)]
    out = anova(table(rows), "mean_wait_min")
    assert list(out.index) == ["w", "c", "replication", "w:c", "Residual"]
    assert out.loc["w:c", "PR(>F)"] < 1e-6 and out.loc["w", "PR(>F)"] < 1e-6
    assert out.loc["w:c", "df"] == 1 and out.loc["replication", "df"] == 7
    main = anova(table(rows), "mean_wait_min", factors=["w"], interactions=False)
    assert list(main.index) == ["w", "replication", "Residual"]


def test_anova_rejects_what_it_cannot_analyse():
    """A metric or factor that is not in the sweep, a single replication."""
    pytest.importorskip("statsmodels")
    with pytest.raises(ValueError, match="did you mean 'mean_wait_min'"):
        anova(GRID, "mean_wait")
    with pytest.raises(ValueError, match="'x' is not a varied path"):
        anova(GRID, "mean_wait_min", factors=["x"])
    with pytest.raises(ValueError, match="at least two replications"):
        anova(GRID[GRID["replication"] == 0], "mean_wait_min")


def test_formula_names():
    """Dots and other non-word characters become one underscore; collisions are refused."""
    frame = pd.DataFrame(columns=["counters.windows", "shifts.早班.count", "9x", "mean_wait_min"])
    assert formula_names(frame).columns.tolist() == ["counters_windows", "shifts_早班_count", "_9x",
                                                     "mean_wait_min"]
    with pytest.raises(ValueError, match="would both be named 'a_b'"):
        formula_names(pd.DataFrame(columns=["a.b", "a_b"]))


def test_factorial_design_is_the_grid():
    """Every combination of the levels, in order; an int range is its whole numbers."""
    assert design({"a": (1, 2), "b": ["x", "y"]}, "factorial") == [
        {"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"}, {"a": 2, "b": "y"}]


def test_latin_hypercube_uses_each_stratum_once():
    """n samples: each of n levels once, and each n-th of a continuous range once; the same
    seed gives the same design, another seed another."""
    points = design({"windows": (6, 10), "peak": (80.0, 140.0)}, "lhs", samples=5, seed=2)
    assert sorted(p["windows"] for p in points) == [6, 7, 8, 9, 10]
    assert sorted(int((p["peak"] - 80) / 12) for p in points) == [0, 1, 2, 3, 4]
    assert design({"windows": (6, 10), "peak": (80.0, 140.0)}, "lhs", samples=5, seed=2) == points
    assert design({"windows": (6, 10), "peak": (80.0, 140.0)}, "lhs", samples=5, seed=3) != points


def test_sobol_design_is_balanced_and_needs_a_power_of_two():
    """8 scrambled Sobol points put one point in each eighth of every dimension."""
    points = design({"a": (0.0, 1.0), "b": ["p", "q"]}, "sobol", samples=8, seed=1)
    assert sorted(int(p["a"] * 8) for p in points) == list(range(8))
    assert sorted(p["b"] for p in points) == ["p"] * 4 + ["q"] * 4
    with pytest.raises(ValueError, match="power of two .* got 6; e.g. 8"):
        design({"a": (0.0, 1.0)}, "sobol", samples=6)


@pytest.mark.parametrize("kwargs, match", [
    ({"space": {"a": (0.5, 1.0)}, "method": "factorial"}, "needs levels"),
    ({"space": {"a": (2, 1)}}, "low < high"),
    ({"space": {"a": [1]}, "method": "grid"}, "'method' must be one of"),
    ({"space": {"a": [1]}}, "'samples' is required"),
    ({"space": {"a": []}, "method": "factorial"}, "is empty"),
])
def test_design_rejects_bad_spaces(kwargs, match):
    """Intervals in a factorial design, empty or reversed ranges, unknown methods."""
    with pytest.raises((ValueError, TypeError), match=match):
        design(**kwargs)


def test_sweep_runs_a_design():
    """A Latin hypercube of windows and peak load runs as an explicit list of combinations."""
    low = hallsim.load_scenario("scenarios/low.yaml")
    points = design({"counters.windows": (3, 5), "loads.peak": (20.0, 40.0)}, "lhs", samples=3)
    runs = hallsim.sweep(low, points, reps=2)
    assert len(runs) == 6
    assert runs.groupby("combination")["counters.windows"].first().tolist() == [
        p["counters.windows"] for p in points]


def test_to_xarray_puts_a_grid_on_its_factors():
    """A full grid: dimensions are the varied paths and replication; values as in the table."""
    pytest.importorskip("xarray")
    data = hallsim.to_xarray(GRID)
    assert dict(data["mean_wait_min"].sizes) == {"w": 2, "c": 2, "replication": 3}
    assert float(data["mean_wait_min"].sel(w=8, c=1, replication=2)) == pytest.approx(
        DAYS[2] + 8 + 0.5 + 0.2)


def test_to_xarray_keeps_other_designs_by_combination():
    """Combinations that are not a grid: dimensions combination x replication, each varied
    path a coordinate along combination (no product of every value, no empty cells)."""
    pytest.importorskip("xarray")
    partial = GRID[GRID["combination"] != 3]
    data = hallsim.to_xarray(partial)
    assert dict(data["mean_wait_min"].sizes) == {"combination": 3, "replication": 3}
    assert data["w"].values.tolist() == [6, 6, 8] and data["c"].values.tolist() == [0, 1, 0]
    assert not data["mean_wait_min"].isnull().any()
