"""Paired comparison on common random numbers."""

import json
import subprocess
import sys

import numpy as np
import pytest

import hallsim
from hallsim.results.metrics import METRICS


@pytest.fixture(scope="module")
def weekday():
    return hallsim.load_scenario("scenarios/weekday.yaml")


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(weekday):
    """Same plan twice: every diff and CI is exactly 0 and nothing is significant."""
    doc = hallsim.compare(weekday, weekday, reps=3, seed=2).summary
    assert set(doc["metrics"]) == set(METRICS)
    for cell in doc["metrics"].values():
        assert cell["diff"] == 0.0 and cell["ci95"] == 0.0 and not cell["significant"]
        assert cell["a"] == cell["b"]


def test_pairing_narrows_the_confidence_interval(weekday):
    """For one more counter staff member, the paired CI is under half the independent one."""
    plus_one = weekday.with_changes({"shifts.midday.count": 2})
    reps = 10
    paired = hallsim.compare(weekday, plus_one, reps=reps, seed=4).summary
    a = hallsim.replicate(weekday, reps=reps, seed=4).runs["mean_wait_min"]
    b = hallsim.replicate(plus_one, reps=reps, seed=99).runs["mean_wait_min"]  # independent
    from hallsim.results.summary import mean_ci95

    independent = np.hypot(mean_ci95(a)[1], mean_ci95(b)[1])
    assert paired["metrics"]["mean_wait_min"]["ci95"] < 0.5 * independent
    assert paired["metrics"]["mean_wait_min"]["diff"] < 0
    assert paired["metrics"]["staff_hours"]["diff"] == pytest.approx(4.0)


def test_compare_json_on_the_command_line(tmp_path):
    """compare --json prints only the comparison document."""
    proc = subprocess.run([sys.executable, "-m", "hallsim", "compare", "scenarios/mid.yaml",
                           "scenarios/mid.yaml", "--reps", "2", "--seed", "3", "--json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["a"], doc["b"], doc["seed"], doc["replications"]) == ("mid", "mid", 3, 2)
    assert doc["metrics"]["mean_wait_min"]["diff"] == 0
