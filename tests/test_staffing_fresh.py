"""Advice that holds on days it has never seen (contract 6a; issue 18's "done when"), at a size
the suite can afford; ``benchmarks/bench_staff_fresh.py`` runs the same check at full size."""

from __future__ import annotations

import math

import hallsim
from hallsim.exercise.challenge import load_challenge
from hallsim.staffing.pooled import pooled
from tests.test_staffing import SINE, hall

NEW_SEED = 20261130          # the advisor below never uses it (it uses seed 1)


def fresh_check(advice: hallsim.staffing.Advice, days: int = 100) -> tuple[float, list[str]]:
    """The advised plan on ``days`` days of a seed the advisor never used: the share of
    intervals after the first half hour within 0.05 of the target, and the intervals the
    advice calls met that those days find significantly missed."""
    sc, target = advice.scenario, advice.target
    runs = hallsim.replicate(advice.plan, reps=days, seed=NEW_SEED)
    got = pooled(runs.customers, sc, target, [d.replication for d in runs.days])
    first = math.ceil(30 / sc.interval_minutes)
    later = got.iloc[first:]
    slack = later["mean"] - target.value if not target.at_least else target.value - later["mean"]
    within = float((slack <= 0.05).mean())
    called_met = advice.intervals["verdict"].to_numpy() == "met"
    wrong = got.loc[called_met & (got["verdict"] == "missed").to_numpy(), "interval"]
    return within, [advice.intervals.loc[k, "start"] for k in wrong]


def test_a_sinusoidal_day_holds_its_target_on_new_days():
    """A sinusoidal day (20-minute services, P(wait) <= 0.2): on 100 days of a new seed the
    plan is within 0.05 of the target in at least 90% of intervals after the first half
    hour, and no interval the advice calls met is significantly missed."""
    sc = hall(SINE, mean_service=20.0, interval=15)
    advice = hallsim.advise(sc, {"wait_probability": 0.2},
                            rules={"min_shift_hours": 0.25, "max_shift_hours": 24},
                            reps=10, max_reps=40, verify_days=40, seed=1)
    within, wrong = fresh_check(advice)
    assert within >= 0.9 and not wrong, (within, wrong)


def test_a_lunch_peak_weekday_holds_its_target_on_new_days():
    """The lunch-peak challenge's hall with windows enough for the peak, 80% served within
    10 minutes: the same check."""
    sc = load_challenge("scenarios/exercise/lunch_peak.yaml").scenario.with_changes(
        {"counters.windows": 14})
    advice = hallsim.advise(sc, {"service_level": 0.8}, reps=10, max_reps=20, verify_days=30,
                            seed=1)
    within, wrong = fresh_check(advice)
    assert within >= 0.9 and not wrong, (within, wrong)
