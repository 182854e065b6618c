"""Paired comparison on common random numbers."""

import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_each_metric_says_which_plan_is_better_and_the_verdict_is_the_weighted_score():
    """One more counter staff: B waits less (better) and costs more staff hours (worse); the
    verdict scores each plan as the exercise does and picks B when the paired CI excludes 0."""
    mid = hallsim.load_scenario("scenarios/mid.yaml")
    doc = hallsim.compare(mid, mid.with_changes({"shifts.counter_b.count": 5}), reps=4,
                          seed=1).summary
    m = doc["metrics"]
    assert m["mean_wait_min"]["diff"] < 0 and m["mean_wait_min"]["better"] == "b"
    assert m["staff_hours"]["diff"] == pytest.approx(8.25) and m["staff_hours"]["better"] == "a"
    assert m["service_level"]["diff"] > 0 and m["service_level"]["better"] == "b"
    assert m["customers"]["better"] is None            # no direction: the same customers

    def score(plan):
        return (m["mean_wait_min"][plan] + 0.5 * m["p90_wait_min"][plan]
                + 100 * m["abandon_rate"][plan] + 100 * m["detractor_rate"][plan])

    v = doc["verdict"]
    assert v["score_a"] == pytest.approx(score("a")) and v["score_b"] == pytest.approx(score("b"))
    assert v["diff"] == pytest.approx(score("b") - score("a"))
    assert abs(v["diff"]) > v["ci95"] > 0 and v["better"] == "b"


def test_one_replication_decides_nothing():
    """With one day there is no interval: ci95 and every 'better' are null."""
    mid = hallsim.load_scenario("scenarios/mid.yaml")
    doc = hallsim.compare(mid, mid.with_changes({"shifts.counter_b.count": 5}), reps=1).summary
    assert doc["verdict"]["ci95"] is None and doc["verdict"]["better"] is None
    assert all(c["better"] is None and c["ci95"] is None for c in doc["metrics"].values())


def test_plans_with_the_same_name_are_labelled_by_file_stem(tmp_path):
    """Two files both named 'mid': the table, the JSON and the folder use the file stems."""
    plan_b = tmp_path / "mid-plus-one.yaml"
    plan_b.write_text(Path("scenarios/mid.yaml").read_text().replace("count: 4", "count: 5"))
    proc = subprocess.run([sys.executable, "-m", "hallsim", "compare",
                           str(Path("scenarios/mid.yaml").resolve()), str(plan_b), "--reps", "2",
                           "--out", "--lang", "en"], capture_output=True, text=True, check=False,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    assert proc.returncode == 0, proc.stderr
    assert "A: mid · B: mid-plus-one" in proc.stdout and "Verdict:" in proc.stdout
    assert "B is" in proc.stdout and " pp " in proc.stdout
    folder = tmp_path / "reports" / "mid-vs-mid-plus-one"
    doc = json.loads((folder / "comparison.json").read_text())
    assert (doc["a"], doc["b"]) == ("mid", "mid-plus-one")
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert 'id="verdict"' in page and 'id="intervals-a"' in page and 'id="intervals-b"' in page
    assert 'data-file="demand_capacity.png"' in page
