"""The model against queueing theory: Erlang C, Erlang A and the abandonment invariant.

Each configuration is M/M/c(+M): one exponential service, no triage, no kiosks,
constant staff, 24-hour days with a 2-hour warm-up (start-up bias is then well
under the tolerance). Tolerances are stated twice: within 4 standard errors of
the replication means (so a correct model fails with probability < 1e-4) and
within a fixed relative error (so the test is tight enough to mean something).
"""

import numpy as np
import pytest

import hallsim

from .helpers import mmc
from .theory import mmc_abandonment


def _mean_se(values):
    x = np.asarray(values, dtype=float)
    return x.mean(), x.std(ddof=1) / np.sqrt(len(x))


def _close(sim, se, theory, rel):
    assert abs(sim - theory) <= 4 * se, f"sim {sim:.4f} vs theory {theory:.4f} (se {se:.4f})"
    assert abs(sim - theory) <= rel * theory, f"sim {sim:.4f} vs theory {theory:.4f}"


@pytest.fixture(scope="module")
def erlang_c_runs():
    # M/M/5, rho = 0.8: 1.6 arrivals/min, 2.5 min service; 300 days, ~690,000 customers.
    return hallsim.replicate(mmc(96, 2.5, 5), reps=300, seed=2024, jobs=2)


@pytest.fixture(scope="module")
def erlang_a_runs():
    # M/M/5+M, offered load 1.0: 2.0 arrivals/min, 2.5 min service, mean patience 10 min.
    return hallsim.replicate(mmc(120, 2.5, 5, patience=10.0), reps=100, seed=77, jobs=2).runs


def test_erlang_c_probability_of_waiting(erlang_c_runs):
    """P(wait > 0) = 1 - service level at a 0-minute target, within 2% of Erlang C."""
    sim, se = _mean_se(1.0 - erlang_c_runs.runs["service_level"])
    _close(sim, se, mmc_abandonment(1.6, 0.4, 5)["p_wait"], rel=0.02)


def test_erlang_c_mean_wait(erlang_c_runs):
    """Mean wait in queue within 6% of Erlang C (relative standard error here is about 2%)."""
    sim, se = _mean_se(erlang_c_runs.runs["mean_wait_min"])
    _close(sim, se, mmc_abandonment(1.6, 0.4, 5)["mean_wait"], rel=0.06)


def test_erlang_c_mean_queue_length_littles_law(erlang_c_runs):
    """Time-averaged counter queue after the warm-up = lambda x Wq of Erlang C, within 6%."""
    iv = erlang_c_runs.intervals
    after = iv[iv["start_min"] >= 120].groupby("replication")["queue_counter"].mean()
    sim, se = _mean_se(after)
    _close(sim, se, 1.6 * mmc_abandonment(1.6, 0.4, 5)["mean_wait"], rel=0.06)


def test_erlang_c_utilisation(erlang_c_runs):
    """Counter utilisation equals the offered load per server, rho = 0.8, within 1%."""
    sim, se = _mean_se(erlang_c_runs.runs["counter_utilisation"])
    _close(sim, se, 0.8, rel=0.01)


def test_erlang_a_abandonment_and_wait(erlang_a_runs):
    """P(abandon) and mean wait within 4% of Erlang A; P(wait) within 2%."""
    theory = mmc_abandonment(2.0, 0.4, 5, theta=0.1)
    _close(*_mean_se(erlang_a_runs["abandon_rate"]), theory["p_abandon"], rel=0.04)
    _close(*_mean_se(erlang_a_runs["mean_wait_min"]), theory["mean_wait"], rel=0.04)
    _close(*_mean_se(1.0 - erlang_a_runs["service_level"]), theory["p_wait"], rel=0.02)


def test_exponential_patience_invariant(erlang_a_runs):
    """With exponential patience of rate theta, P(abandon) = theta x mean wait, within 3%."""
    diff = erlang_a_runs["abandon_rate"] - 0.1 * erlang_a_runs["mean_wait_min"]
    sim, se = _mean_se(diff)
    assert abs(sim) <= 4 * se
    assert abs(sim) <= 0.03 * erlang_a_runs["abandon_rate"].mean()


def test_poisson_arrivals_match_the_rate():
    """Daily arrivals average rate x hours, with Poisson variance (dispersion index near 1)."""
    runs = hallsim.replicate(mmc(60, 1.0, 3, hours=("09:00", "19:00"), warmup=0), reps=200,
                             seed=5).runs
    counts = runs["customers"].to_numpy()
    assert abs(counts.mean() - 600) <= 4 * np.sqrt(600 / 200)
    assert 0.75 <= counts.var(ddof=1) / counts.mean() <= 1.25
