"""Arrivals: a non-homogeneous Poisson process over the profile."""

import numpy as np

from hallsim.model.arrivals import arrival_times, rate_schedule
from hallsim.model.streams import Streams

from .helpers import tiny


def test_rate_schedule_uses_loads_direct_rates_and_the_load_factor():
    """Loads and direct rates become customers/minute, both scaled by load_factor."""
    sc = tiny(loads={"peak": 120}, load_factor=1.5,
              profile=[{"from": "09:00", "to": "10:00", "load": "peak"},
                       {"from": "10:00", "to": "12:00", "rate": 30}])
    edges, rates = rate_schedule(sc)
    assert edges.tolist() == [0.0, 60.0, 180.0]
    assert rates.tolist() == [3.0, 0.75]


def test_counts_per_period_follow_the_rate_and_zero_rate_periods_stay_empty():
    """Over many days each period's mean count is rate x length; a rate-0 period gets none."""
    edges = np.array([0.0, 60.0, 120.0, 180.0])
    rates = np.array([2.0, 0.0, 0.5])
    counts = np.zeros((400, 3))
    for day in range(400):
        t = arrival_times(edges, rates, Streams(9, day)("arrivals"))
        assert np.all(np.diff(t) >= 0) and t.min() >= 0 and t.max() < 180
        counts[day] = np.histogram(t, bins=edges)[0]
    means = counts.mean(axis=0)
    assert abs(means[0] - 120) <= 4 * np.sqrt(120 / 400)
    assert means[1] == 0
    assert abs(means[2] - 30) <= 4 * np.sqrt(30 / 400)
    # Poisson: variance equals the mean (dispersion index within sampling error of 1).
    assert 0.8 <= counts[:, 0].var(ddof=1) / means[0] <= 1.2


def test_a_busier_day_is_the_same_customers_compressed():
    """Same stream, rates doubled: every arrival time halves (common random numbers)."""
    edges = np.array([0.0, 100.0])
    slow = arrival_times(edges, np.array([1.0]), Streams(1)("arrivals"))
    fast = arrival_times(edges, np.array([2.0]), Streams(1)("arrivals"))
    np.testing.assert_allclose(fast[: len(slow) // 2], slow[: len(slow) // 2] / 2)


def test_no_rate_no_customers():
    """A day with zero demand has no arrivals."""
    t = arrival_times(np.array([0.0, 60.0]), np.array([0.0]), Streams(1)("arrivals"))
    assert len(t) == 0


def test_an_event_is_scheduled_at_its_exact_time_or_just_after_never_before():
    """delay_until: now + delay is the arrival time to the last bit when any delay can make it
    so, and otherwise the next float after it (here no delay lands exactly), never earlier."""
    import math

    from hallsim.model.events import delay_until

    for now, when in [(0.0, 3.5), (1.2136483, 1.6078026), (80.5, 89.31184716),
                      (0.3146016992906162, 36.623736008811385)]:
        delay = delay_until(now, when)
        assert now + delay >= when
        assert now + delay == when or now + math.nextafter(delay, -math.inf) < when
    assert 0.3146016992906162 + delay_until(0.3146016992906162, 36.623736008811385) == \
        math.nextafter(36.623736008811385, math.inf)
    assert 80.5 + delay_until(80.5, 89.31184716) == 89.31184716
