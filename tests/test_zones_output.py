"""Results of a hall with counter groups (忙区): wait by group in a plot and a table of the
run report (a hall without groups renders as before), and what a group's utilisation
counts."""

import re

import numpy as np
import pytest

import hallsim
from hallsim.output.plots import group_waits
from hallsim.output.report import write_run_report

from .helpers import tiny


def zoned_hall() -> hallsim.Scenario:
    """tiny()'s hall with two groups: 'a' windows (2) and 'vip' windows (1), a 3-hour day."""
    return tiny(counters={"windows": 3, "groups": [
        {"name": "a", "windows": 2, "calls": ["a"]},
        {"name": "vip", "windows": 1, "calls": ["vip"]}]},
        profile=[{"from": "09:00", "to": "12:00", "rate": 40}],
        triage=None,
        shifts=[{"name": "a", "role": "counter", "group": "a", "start": "09:00",
                 "end": "12:00", "count": 2},
                {"name": "v", "role": "counter", "group": "vip", "start": "09:00",
                 "end": "12:00", "count": 1}])


@pytest.fixture(scope="module")
def zoned_run():
    return hallsim.replicate(zoned_hall(), reps=3, seed=2)


def test_group_waits_count_each_customer_once(zoned_run):
    """A group's mean wait in an interval is the mean over every customer its windows served
    in that interval on every day (not the mean of daily means), served is per day."""
    sc, cu = zoned_run.scenario, zoned_run.customers
    waits = group_waits(zoned_run.intervals, "vip")
    edges = sc.hours.open + np.append(waits["start_min"].to_numpy(),
                                      waits["start_min"].iloc[-1] + sc.interval_minutes)
    mine = cu.loc[cu["group"] == "vip"]
    which = np.searchsorted(edges, sc.hours.open + mine["arrival_min"].to_numpy(),
                            side="right") - 1
    for k in range(len(waits)):
        here = mine.loc[which == k, "wait_min"]
        assert waits.loc[k, "served"] == pytest.approx(len(here) / 3)
        if len(here):
            assert waits.loc[k, "mean_wait_min"] == pytest.approx(here.mean())


def test_a_zoned_report_shows_wait_by_group(zoned_run, tmp_path):
    """report.html inlines the wait-by-group plot and a through-the-day table with served,
    mean wait and busy windows for each group."""
    written = {p.name for p in write_run_report(zoned_run, tmp_path)}
    assert "waiting_groups.png" in written
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'data-file="waiting_groups.png"' in page
    table = re.search(r'<table id="intervals-groups">(.*?)</table>', page).group(1)
    assert "<th colspan='3'>a</th><th colspan='3'>vip</th>" in table
    assert table.count("<tr>") == 2 + zoned_run.intervals["start_min"].nunique()


def test_a_hall_without_groups_has_no_group_plot_or_table(tmp_path):
    """The same hall with one pool writes the report it always did: no group plot, no group
    table."""
    result = hallsim.replicate(tiny(), reps=1, seed=2)
    written = {p.name for p in write_run_report(result, tmp_path)}
    assert "waiting_groups.png" not in written
    assert "intervals-groups" not in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_group_window_utilisation_is_per_window_minute_not_per_clerk():
    """Two windows, one clerk on duty from opening to the last service who hardly idles
    (constant 5-minute services, 40 arrivals an hour, nobody gives up): counter_utilisation
    (per staff-minute on duty) is near 1, while the group's window_utilisation (per
    window-minute over the same stretch) is exactly half of it; utilisation is its first
    name, the same number."""
    sc = tiny(counters={"windows": 2, "groups": [{"name": "a", "windows": 2, "calls": ["*"]}]},
              profile=[{"from": "09:00", "to": "12:00", "rate": 40}], triage=None,
              patience="none")
    summary = hallsim.simulate(sc, seed=3).summary
    groups = summary["groups"]["a"]
    counter = summary["metrics"]["counter_utilisation"]["mean"]
    assert counter == pytest.approx(1.0, abs=0.01)
    assert groups["window_utilisation"]["mean"] == pytest.approx(counter / 2, rel=1e-12)
    assert groups["utilisation"] == groups["window_utilisation"]
