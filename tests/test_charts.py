"""The planner's charts: each service's and group's waits per interval as the interval table
averages its days, display names in the reader's language, and the report's shift chart
labels readable on every role's colour."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import hallsim
from hallsim.i18n import language
from hallsim.output.exports import interval_means
from hallsim.output.plots import ROLE_COLOURS, contrast, label_colour
from hallsim.web.charts import chart_document, from_intervals, names

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run():
    return hallsim.replicate(hallsim.load_scenario(ROOT / "scenarios" / "branch-zones.yaml"),
                             reps=2, seed=4)


def test_each_services_waits_are_its_daily_interval_means_averaged_over_the_days(run):
    """Per service and interval: each day's mean wait of that service's arrivals in the
    interval, then the mean over the days that had any (pandas, from the customer table)."""
    doc = chart_document(run)
    customers = run.customers
    width = run.scenario.interval_minutes
    customers = customers.assign(k=((customers["arrival"].map(_minutes) - run.scenario.hours.open)
                                    // width).astype(int))
    daily = customers.groupby(["service", "k", "replication"])["wait_min"].mean()
    expected = daily.groupby(["service", "k"]).mean()
    assert len(doc["services"]) == len(run.scenario.services) > 1
    for service, values in doc["services"].items():
        for k, value in enumerate(values):
            want = expected.get((service, k))
            if want is None or np.isnan(want):
                assert value is None
            else:
                assert value == pytest.approx(want, abs=1e-3)


def _minutes(clock: str) -> float:
    h, m, *s = clock.split(":")
    return 60 * int(h) + int(m) + (float(s[0]) / 60 if s else 0.0)


def test_group_waits_and_the_other_lines_are_the_interval_tables_means(run):
    """The groups' waits, staff, busy windows and queue are the interval table's means; the
    intervals run from opening to closing."""
    doc = chart_document(run)
    means = interval_means(run.intervals)
    assert list(doc["groups"]) == [g.name for g in run.scenario.counters.groups]
    for name, values in doc["groups"].items():
        assert values == pytest.approx(list(means[f"mean_wait_min.{name}"].round(3)), abs=1e-9)
    assert doc["staff_counter"] == pytest.approx(list(means["staff_counter"].round(3)), abs=1e-9)
    assert doc["starts"][0] == run.scenario.hours.open and doc["ends"][-1] == run.scenario.hours.close
    assert doc["days"] == 2
    again = from_intervals(run.intervals, 2)       # a run from before a restart: no services
    assert again["services"] == {} and again["groups"] == doc["groups"]


def test_services_and_groups_are_named_in_the_readers_language():
    """A service with display names shows them: English by default, 简体 under zh."""
    weekday = hallsim.replicate(hallsim.load_scenario(ROOT / "scenarios" / "weekday.yaml"),
                                reps=1, seed=1)
    doc = chart_document(weekday)
    with language("en"):
        english = names(doc)["names"]
    with language("zh"):
        chinese = names(doc)["names"]
    assert english["bill_payment"] == "bill payment" and chinese["bill_payment"] == "缴费"
    assert list(english) == [s.name for s in weekday.scenario.services]


def test_the_shift_charts_count_labels_reach_4_5_to_1_on_every_role_colour():
    """White on orange was 2.4:1; the label takes white or near-black, whichever reads."""
    assert contrast("white", "black") == pytest.approx(21.0)
    assert contrast("white", ROLE_COLOURS["preprocess"]) < 3
    for colour in ROLE_COLOURS.values():
        assert contrast(label_colour(colour), colour) >= 4.5
