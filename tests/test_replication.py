"""Reproducibility: same seed, same output; replication k is the same day whatever else runs."""

import json

import pytest

import hallsim


@pytest.fixture(scope="module")
def weekday():
    return hallsim.load_scenario("scenarios/weekday.yaml")


def test_same_seed_same_summary_byte_for_byte(weekday):
    """Two runs with one seed give identical JSON; another seed gives other numbers."""
    a = json.dumps(hallsim.replicate(weekday, reps=3, seed=4).summary)
    b = json.dumps(hallsim.replicate(weekday, reps=3, seed=4).summary)
    c = json.dumps(hallsim.replicate(weekday, reps=3, seed=5).summary)
    assert a == b
    assert a != c


def test_simulate_is_replication_zero_and_reps_do_not_shift_days(weekday):
    """simulate(seed) == replication 0; replication 2 is the same day with 3 or 5 reps."""
    day = hallsim.simulate(weekday, seed=8)
    three = hallsim.replicate(weekday, reps=3, seed=8)
    five = hallsim.replicate(weekday, reps=5, seed=8)
    assert day.metrics == three.days[0].metrics
    assert three.days[2].metrics == five.days[2].metrics
    assert three.runs.iloc[2].equals(five.runs.iloc[2])


def test_parallel_replications_equal_serial_ones(weekday):
    """jobs=2 gives exactly the summary of jobs=1."""
    serial = hallsim.replicate(weekday, reps=4, seed=2, jobs=1).summary
    parallel = hallsim.replicate(weekday, reps=4, seed=2, jobs=2).summary
    assert serial == parallel


def test_summary_document_shape(weekday):
    """The summary has every contract metric (and turned_away, idle_staff_hours) with mean and
    ci95; ci95 is null for one day; the coverage names each metric's window."""
    one = hallsim.simulate(weekday, seed=1).summary
    assert set(one) == {"scenario", "seed", "replications", "metrics", "coverage"}
    assert (one["scenario"], one["seed"], one["replications"]) == ("weekday", 1, 1)
    assert len(one["metrics"]) == 21 and {"turned_away", "idle_staff_hours", "promoter_rate",
                                          "nps"} <= set(one["metrics"])
    assert all(m["ci95"] is None for m in one["metrics"].values())
    assert '"ci95": null' in json.dumps(one, allow_nan=False)
    cover = one["coverage"]
    assert cover["staff"]["metrics"] == ["counter_utilisation", "staff_hours", "overtime_min",
                                         "idle_staff_hours"]
    assert sorted(cover["customers"]["metrics"] + cover["staff"]["metrics"]) == sorted(
        one["metrics"])
    many = hallsim.replicate(weekday, reps=5, seed=1).summary
    assert many["metrics"]["mean_wait_min"]["ci95"] > 0
    for name in ("abandon_rate", "service_level", "detractor_rate", "counter_utilisation"):
        assert 0 <= many["metrics"][name]["mean"] <= 1


def test_staffing_changes_leave_the_customers_unchanged(weekday):
    """Common random numbers: a different shift plan sees the very same arrivals and draws."""
    more = weekday.with_changes({"shifts.early.count": 3})
    a = hallsim.simulate(weekday, seed=3).records.customers
    b = hallsim.simulate(more, seed=3).records.customers
    assert (a.arrival == b.arrival).all()
    assert (a.service == b.service).all()


@pytest.mark.parametrize("bad", [{"reps": 0}, {"seed": -1}, {"jobs": -2}])
def test_replicate_rejects_bad_arguments(weekday, bad):
    """reps >= 1, seed >= 0 and jobs >= 0, each named in the error."""
    with pytest.raises(ValueError, match=next(iter(bad))):
        hallsim.replicate(weekday, **bad)


def test_until_reaches_a_loose_half_width_and_keeps_each_day(weekday):
    """until={mean_wait_min: 1.0} from 4 days: stops once the 95% half-width is <= 1.0, and
    day k is the day replicate(reps=n) gives (the stopping rule never shifts the days)."""
    runs = hallsim.replicate(weekday, reps=4, seed=1, until={"mean_wait_min": 1.0}, max_reps=60,
                             keep_records=False)
    n = len(runs.days)
    assert 4 < n < 60 and runs.met is True
    assert runs.summary["metrics"]["mean_wait_min"]["ci95"] <= 1.0
    fixed = hallsim.replicate(weekday, reps=n, seed=1, keep_records=False)
    assert runs.summary == fixed.summary and fixed.met is None


def test_until_never_exceeds_its_cap(weekday):
    """A target out of reach stops at max_reps exactly, and says it was not met."""
    runs = hallsim.replicate(weekday, reps=2, seed=1, until={"mean_wait_min": 1e-6,
                                                             "service_level": 1e-6},
                             max_reps=5, keep_records=False)
    assert len(runs.days) == 5 and runs.met is False


@pytest.mark.parametrize("kwargs, error, match", [
    ({"until": {"mean_wait": 0.1}}, ValueError, "did you mean 'mean_wait_min'"),
    ({"until": {"mean_wait_min": 0}}, ValueError, "must be a number > 0"),
    ({"until": {"mean_wait_min": 0.1}, "reps": 1}, ValueError, "'reps' is the first batch"),
    ({"until": {"mean_wait_min": 0.1}, "max_reps": 3}, ValueError, "'max_reps'"),
    ({"max_reps": 30}, ValueError, "only applies with 'until'"),
    ({"until": [0.1]}, TypeError, "'until' must be a mapping"),
])
def test_until_rejects_bad_arguments(weekday, kwargs, error, match):
    """Unknown metrics, non-positive targets, a first batch of one day and a cap below the
    first batch are named before anything runs."""
    with pytest.raises(error, match=match):
        hallsim.replicate(weekday, **kwargs)


def test_api_and_command_line_share_their_defaults(weekday):
    """One default seed (1) and one default jobs (1) for simulate, replicate, sweep and the CLI."""
    import inspect

    from hallsim.cli import build_parser

    for fn in (hallsim.simulate, hallsim.replicate, hallsim.sweep):
        params = inspect.signature(fn).parameters
        assert params["seed"].default == 1
        assert "jobs" not in params or params["jobs"].default == 1
    for command in (["run", "x.yaml"], ["sweep", "x.yaml", "--vary", "a=1"]):
        args = build_parser().parse_args(command)
        assert (args.seed, args.jobs) == (1, 1)
    assert hallsim.simulate(weekday).metrics == hallsim.simulate(weekday, seed=1).metrics


def test_progress_true_asks_for_a_bar_and_changes_nothing(weekday):
    """progress=True (a bar on a terminal's stderr) gives the same days; other values are
    refused by name."""
    plain = hallsim.replicate(weekday, reps=2, seed=3, keep_records=False).summary
    assert hallsim.replicate(weekday, reps=2, seed=3, keep_records=False,
                             progress=True).summary == plain
    with pytest.raises(TypeError, match="'progress' must be True"):
        hallsim.replicate(weekday, reps=2, progress="yes")


def test_cli_run_until_a_precision(tmp_path):
    """run --until mean_wait_min=H: more days than --reps until the half-width is <= H; the
    JSON says how many; a mistyped metric is bad input (exit 2, no traceback)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "hallsim", "run", "scenarios/low.yaml",
                           "--reps", "2", "--until", "mean_wait_min=0.5", "--max-reps", "40",
                           "--json", "--lang", "en"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert 2 <= doc["replications"] <= 40
    assert doc["metrics"]["mean_wait_min"]["ci95"] <= 0.5
    assert f"precision reached after {doc['replications']} replications" in proc.stderr
    bad = subprocess.run([sys.executable, "-m", "hallsim", "run", "scenarios/low.yaml",
                          "--until", "mean_wait=0.5", "--lang", "en"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "unknown metric; metrics: mean_wait_min" in bad.stderr
    assert "Traceback" not in bad.stderr
