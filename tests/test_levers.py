"""The levers of the service-quality course move the numbers the right way.

Each comparison runs both plans on the same seeds (common random numbers) and
asserts that the paired mean difference is beyond 3 standard errors.
"""

import numpy as np
import pytest

import hallsim

REPS = 12


@pytest.fixture(scope="module")
def weekday():
    return hallsim.load_scenario("scenarios/weekday.yaml")


def paired(a, b, metric):
    ra = hallsim.replicate(a, reps=REPS, seed=31).runs[metric].to_numpy()
    rb = hallsim.replicate(b, reps=REPS, seed=31).runs[metric].to_numpy()
    d = rb - ra
    return d.mean(), d.std(ddof=1) / np.sqrt(len(d))


def test_a_greeter_sends_more_customers_to_kiosks(weekday):
    """With greeters removed, kiosk use falls (only self-selecting customers remain)."""
    no_greeter = weekday.with_changes({"shifts.greeter_am.count": 0,
                                       "shifts.greeter_pm.count": 0})
    diff, se = paired(weekday, no_greeter, "served_self_service")
    assert diff < -3 * se and diff < 0


def test_preprocessing_shortens_waits(weekday):
    """Two floor staff pre-processing (no flex) cut the mean wait compared with none."""
    base = weekday.with_changes({"flex": [], "shifts.floor.count": 0})
    floor = weekday.with_changes({"flex": [], "shifts.floor.count": 2})
    diff, se = paired(base, floor, "mean_wait_min")
    assert diff < -3 * se


def test_flexing_floor_staff_to_counters_shortens_waits(weekday):
    """The same floor staff, allowed to open a spare window at peak, cut waits further."""
    no_flex = weekday.with_changes({"flex": []})
    diff, se = paired(no_flex, weekday, "mean_wait_min")
    assert diff < -3 * se


def test_starting_at_ten_instead_of_nine_makes_waits_long(weekday):
    """Counter shifts that start an hour late raise the mean wait."""
    late = weekday.with_changes({"shifts.early.start": "10:00", "shifts.day.start": "10:00"})
    diff, se = paired(weekday, late, "mean_wait_min")
    assert diff > 3 * se and diff > 1.0


def test_everybody_on_break_at_once_makes_waits_long(weekday):
    """All counter staff on lunch at 12:30 together is worse than staggered breaks."""
    together = {"shifts.early.breaks": [], "shifts.midday.breaks": []}
    for name in ("day", "late"):
        together[f"shifts.{name}.breaks"] = [{"at": "12:30", "minutes": 45}]
    together["shifts.early.end"] = "12:30"
    staggered = weekday.with_changes({"shifts.early.end": "12:30"})
    diff, se = paired(staggered, weekday.with_changes(together), "mean_wait_min")
    assert diff > 3 * se


def test_staff_hours_equal_the_scheduled_hours(weekday):
    """staff_hours = sum over shifts of count x (length - breaks), whatever happens in the day."""
    expected = (2 * 4.5 + 1 * 4 + 3 * (8.5 - 0.75) + 3 * (7 - 0.5) + 2 * 2.5 + 5 + 5
                + (9 - 0.75))
    assert hallsim.simulate(weekday, seed=1).metrics["staff_hours"] == pytest.approx(expected)


def test_more_load_means_longer_waits(weekday):
    """A busy day (load_factor 1.3) waits longer than a normal one."""
    diff, se = paired(weekday, weekday.with_changes({"load_factor": 1.3}), "mean_wait_min")
    assert diff > 3 * se
