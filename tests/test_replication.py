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
    assert len(one["metrics"]) == 19 and {"turned_away", "idle_staff_hours"} <= set(one["metrics"])
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
