"""The replay's data: staff at work and on a break as the model had them (so the windows the
page colours agree with the customers served there), and the day's own numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import hallsim
from hallsim.web.replay import DAY_METRICS, replay_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def day():
    return hallsim.simulate(hallsim.load_scenario(ROOT / "scenarios" / "weekday.yaml"), seed=3)


@pytest.fixture(scope="module")
def doc(day):
    return replay_document(day)


def _at(series: dict, m: float) -> int:
    """A step series' value at ``m`` (after every change at ``m``), as the page reads it."""
    k = np.searchsorted(np.asarray(series["times"]), m, side="right")
    return series["counts"][k - 1] if k else 0


def test_every_customer_at_a_window_has_counter_staff_at_work(doc):
    """At each call to a window, the customers then at windows never outnumber the counter
    staff at work (flexed staff and those finishing a customer before a break included):
    the page's "6 staff, 7 served" cannot happen."""
    c = doc["customers"]
    spans = [(s, e) for s, e in zip(c["counter_start"], c["counter_end"], strict=True) if s is not None]
    assert len(spans) > 300
    for start, _ in spans:
        serving = sum(1 for s, e in spans if s <= start < e)
        assert serving <= _at(doc["at_work"]["counter"], start)
        assert serving <= doc["windows"]


def test_each_break_is_on_the_break_curve_for_its_full_length(day, doc):
    """Staff on a break, integrated over the day, is every break's full length times the
    shift's count (a late break starts late but still lasts its full length)."""
    for role in ("counter", "preprocess"):
        series = doc["on_break"][role]
        times, counts = np.asarray(series["times"]), np.asarray(series["counts"])
        area = float(np.sum(np.diff(times) * counts[:-1])) if len(times) else 0.0
        expected = sum(s.count * sum(b.minutes for b in s.breaks)
                       for s in day.scenario.shifts if s.role == role)
        assert expected > 0
        assert area == pytest.approx(expected, abs=0.05)   # times are rounded to 0.01 min
        assert counts[-1] == 0


def test_the_replay_carries_the_days_own_numbers_and_queue(day, doc):
    """The numbers the page puts beside the run's means are this day's metrics; the queue
    strip is the counter queue of the day's records."""
    assert list(doc["metrics"]) == list(DAY_METRICS)
    for name in DAY_METRICS:
        assert doc["metrics"][name] == pytest.approx(day.metrics[name], abs=1e-4)
    assert max(doc["queue"]["counts"]) > 0 and min(doc["queue"]["counts"]) >= 0
    assert doc["replication"] == 0 and doc["seed"] == 3
