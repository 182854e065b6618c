"""Pure functions: the detractor curve, the metrics and the intervals, on exact inputs."""

import math

import numpy as np
import pytest

from hallsim.results.detractor import curve, probability
from hallsim.results.metrics import day_metrics
from hallsim.results.summary import mean_ci95
from hallsim.results.timeweighted import integrate
from hallsim.scenario.schema import Detractor

from .helpers import population, run, tiny


def test_logistic_curve_values():
    """p(w) = base + (max - base) / (1 + exp(-(w - midpoint) / scale))."""
    d = Detractor(base=0.1, max=0.9, midpoint_minutes=15, scale_minutes=3)
    assert curve(15.0, d) == pytest.approx(0.5)
    assert curve(18.0, d) == pytest.approx(0.1 + 0.8 / (1 + math.exp(-1)))
    assert curve(np.array([0.0, 1000.0]), d).tolist() == pytest.approx([0.1 + 0.8 / (1 + math.e ** 5),
                                                                        0.9])


def test_default_curve_matches_the_published_reference_point():
    """Defaults: under 13 minutes mostly promoters (p < 0.5), over 16 mostly detractors."""
    d = Detractor()
    assert curve(13.0, d) < 0.5 < curve(16.0, d)


def test_table_curve_interpolates_linearly_and_is_flat_outside():
    """curve: table is linear between points and flat beyond them."""
    d = Detractor(curve="table", points=[(0, 0.05), (10, 0.15), (20, 0.55)])
    assert curve(np.array([-1.0, 5.0, 15.0, 40.0]), d).tolist() == pytest.approx(
        [0.05, 0.10, 0.35, 0.55])


def test_occupied_time_counts_at_its_weight_and_abandonment_has_its_own_p():
    """Being pre-processed for 4 of 10 minutes at weight 0.5 feels like 8 minutes."""
    d = Detractor(curve="table", points=[(0, 0.0), (10, 1.0)], occupied_weight=0.5, abandoned=0.7)
    p = probability(np.array([10.0, 10.0]), np.array([4.0, 0.0]), np.array([False, True]), d)
    assert p.tolist() == pytest.approx([0.8, 0.7])


def test_day_metrics_on_a_known_day():
    """Waits 0, 4, 8 and one abandonment after 3: every metric checks by hand."""
    sc = tiny(detractor={"target_wait_minutes": 4, "curve": "table",
                         "points": [[0, 0.0], [10, 1.0]], "abandoned": 1.0})
    pop = population([0.0, 1.0, 2.0, 3.0], patience=[math.inf, math.inf, math.inf, 3.0])
    m = day_metrics(run(sc, pop), sc)
    assert m["customers"] == 4
    assert (m["served_counter"], m["abandoned"], m["abandon_rate"]) == (3, 1, 0.25)
    assert m["mean_wait_min"] == pytest.approx((0 + 4 + 8 + 3) / 4)
    assert m["p50_wait_min"] == pytest.approx(3.5)
    assert m["max_wait_min"] == 8
    assert m["service_level"] == 0.5          # 0 and 4 are within 4; the abandoner never is
    assert m["detractor_rate"] == pytest.approx((0 + 0.4 + 0.8 + 1.0) / 4)
    assert m["staff_hours"] == 3
    assert m["counter_utilisation"] == pytest.approx(15 / 180)
    assert m["mean_time_in_hall_min"] == pytest.approx((5 + 9 + 13 + 3) / 4)


def test_warmup_excludes_early_customers_from_customer_metrics():
    """Customers arriving before the warm-up are not counted."""
    sc = tiny(warmup_minutes=1.5)
    m = day_metrics(run(sc, population([0.0, 1.0, 2.0])), sc)
    assert m["customers"] == 1 and m["mean_wait_min"] == 8


def test_time_weighted_integral():
    """A step function 0 until 1, then 2 until 3, then 1: integrals over [0,2), [2,4)."""
    edges = np.array([0.0, 2.0, 4.0])
    assert integrate(np.array([1.0, 3.0]), np.array([2.0, 1.0]), edges).tolist() == [2.0, 3.0]


def test_mean_ci95_is_the_student_t_half_width():
    """Two values 1 and 3: mean 2, half-width t(0.975, 1) x sd / sqrt(2) = 12.706 x 1.414 / 1.414."""
    mean, half = mean_ci95([1.0, 3.0])
    assert mean == 2.0
    assert half == pytest.approx(12.7062047, rel=1e-6)
    assert mean_ci95([5.0]) == (5.0, 0.0)


def test_intervals_cover_the_day_and_count_every_arrival():
    """Intervals tile open..close and their arrivals add up to the day's customers."""
    import hallsim

    day = hallsim.simulate(hallsim.load_scenario("scenarios/weekday.yaml"), seed=2)
    iv = day.intervals
    assert iv["start"].iloc[0] == "09:00" and iv["end"].iloc[-1] == "19:00"
    assert len(iv) == 20
    assert iv["arrivals"].sum() == day.metrics["customers"]
    assert (iv["busy_windows"] <= iv["staff_counter"] + 1e-9).all()


def test_percentile_is_numpys_default_to_the_last_bit():
    """results.percentile gives float(np.percentile(x, q)) exactly, on waits with ties,
    zeros and one or two values."""
    import numpy as np

    from hallsim.results.percentile import percentile
    rng = np.random.default_rng(3)
    for k in range(600):
        n = int(rng.integers(1, 120))
        x = (rng.gamma(2.0, 3.0, n) if k % 3 == 0 else np.round(rng.exponential(5.0, n), 1)
             if k % 3 == 1 else np.where(rng.random(n) < 0.6, 0.0, rng.exponential(5.0, n)))
        for q in (50, 90, 95):
            assert percentile(x, q) == float(np.percentile(x, q)), (k, q)
