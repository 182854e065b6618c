"""Paired comparison on common random numbers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import hallsim
from hallsim.cli import main
from hallsim.i18n import language
from hallsim.output.console import verdict_line
from hallsim.results.metrics import METRICS
from tests.helpers import mmc


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
    # ... and says what it costs: B serves better, A is cheaper, staff hours are not priced.
    assert (v["service_better"], v["cheaper"], v["hour_cost"]) == ("b", "a", 0.0)
    assert v["cost"] == {"staff_hours_diff": pytest.approx(8.25),
                         "overtime_min_diff": m["overtime_min"]["diff"]}
    assert doc["cost"] == v["cost"]    # top-level, as contract 6b names it, and the same numbers


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


def _branch():
    """The issue's branch: four windows, four counter staff (two lunch breaks)."""
    data = hallsim.load_scenario("scenarios/mid.yaml").to_dict()
    data.update(name="branch", counters={"windows": 4})
    for shift in data["shifts"]:
        if shift["role"] == "counter":
            shift["count"] = 2
    return data


def test_a_part_timer_beyond_the_windows_is_a_trade_off_not_simply_better():
    """Adding a 2-hour part-timer: B serves a little better, for 2.0 more staff hours. Without
    an hour cost the line calls it a trade-off and names both; with --hour-cost 5 the score
    carries W per staff hour and W/60 per overtime minute, and A wins."""
    a = hallsim.Scenario.from_dict(_branch())
    data = _branch()
    data["name"] = "branch-c"
    data["shifts"].append({"name": "part", "role": "counter", "start": "11:30",
                           "end": "13:30", "count": 1})
    c = hallsim.Scenario.from_dict(data)
    plain = hallsim.compare(a, c, reps=6, seed=1)
    v = plain.summary["verdict"]
    assert (v["better"], v["service_better"], v["cheaper"]) == ("b", "b", "a")
    assert v["cost"]["staff_hours_diff"] == pytest.approx(2.0)
    m = plain.summary["metrics"]
    assert m["idle_staff_hours"]["diff"] > 0 and m["idle_staff_hours"]["better"] == "a"
    with language("en"):
        line = verdict_line(plain.summary)
    assert line.startswith("Verdict: a trade-off: branch-c serves better, branch costs less")
    assert "for 2.0 more staff hours" in line and "branch-c is better" not in line

    priced = hallsim.compare(a, c, reps=6, seed=1, hour_cost=5)
    w = priced.summary["verdict"]
    paid = {p: plain.a.runs if p == "a" else plain.b.runs for p in "ab"}
    for p in "ab":
        runs = paid[p]
        assert w[f"score_{p}"] == pytest.approx(
            v[f"score_{p}"] + 5 * runs["staff_hours"].mean() + 5 / 60 * runs["overtime_min"].mean())
    assert (w["better"], w["service_better"], w["cheaper"], w["hour_cost"]) == ("a", "b", "a", 5.0)
    with language("en"):
        line = verdict_line(priced.summary)
    assert line.startswith("Verdict: branch is better; branch-c waits ")
    assert "for 2.0 more staff hours" in line and "with 5 per staff hour" in line


def test_a_plan_that_saves_hours_at_the_same_service_says_it_is_cheaper():
    """Five counter staff at four windows against four: every customer's day is identical,
    so the scores are equal; the line says so and that B costs 9.0 fewer staff hours."""
    five = mmc(200, 1.0, 4, hours=("09:00", "18:00"), warmup=0).with_changes(
        {"name": "five", "shifts.all.count": 5})
    four = mmc(200, 1.0, 4, hours=("09:00", "18:00"), warmup=0)
    doc = hallsim.compare(five, four, reps=3, seed=1).summary
    v = doc["verdict"]
    assert v["diff"] == 0.0 and v["ci95"] == 0.0 and v["better"] is None and v["cheaper"] == "b"
    assert v["cost"]["staff_hours_diff"] == -9.0
    assert doc["metrics"]["idle_staff_hours"]["a"] == pytest.approx(9.0, abs=0.05)
    with language("en"):
        assert verdict_line(doc).startswith(
            "Verdict: the same service, and mmc costs less; mmc waits as long as five, "
            "for 9.0 fewer staff hours")


def _doc(better, cheaper, diff=-2.0, ci=0.5, wait=-1.2, hours=2.0, overtime=0.0, hour_cost=0.0):
    return {"a": "A", "b": "B", "metrics": {"mean_wait_min": {"diff": wait}},
            "verdict": {"better": better, "score_a": 10.0, "score_b": 10.0 + diff, "diff": diff,
                        "ci95": ci, "service_better": better, "cheaper": cheaper,
                        "hour_cost": hour_cost,
                        "cost": {"staff_hours_diff": hours, "overtime_min_diff": overtime}}}


@pytest.mark.parametrize(("doc", "expected"), [
    (_doc("b", "a"), "Verdict: a trade-off: B serves better, A costs less (--hour-cost prices a "
     "staff hour); B waits 1.2 min less, for 2.0 more staff hours; weighted score (lower is "
     "better): A 10.0, B 8.0, B − A = -2.0 ± 0.5."),
    (_doc("b", None, hours=0.0, overtime=-12.0), "Verdict: B is better; B waits 1.2 min less, for "
     "the same staff hours and 12 fewer overtime minutes; weighted score (lower is better): "
     "A 10.0, B 8.0, B − A = -2.0 ± 0.5."),
    (_doc("b", "b", hours=-0.5), "Verdict: B is better; B waits 1.2 min less, for 0.5 fewer "
     "staff hours; weighted score (lower is better): A 10.0, B 8.0, B − A = -2.0 ± 0.5."),
    (_doc("a", "a", diff=3.0, hour_cost=30, wait=0.02, overtime=4.0), "Verdict: A is better; B "
     "waits as long as A, for 2.0 more staff hours and 4 more overtime minutes; weighted score "
     "with 30 per staff hour (lower is better): A 10.0, B 13.0, B − A = +3.0 ± 0.5."),
    (_doc(None, "b", diff=0.1, hours=-0.5, wait=0.1), "Verdict: too close to call; B waits 0.1 min "
     "more, for 0.5 fewer staff hours; weighted score (lower is better): A 10.0, B 10.1, "
     "B − A = +0.1 ± 0.5."),
    (_doc(None, "b", diff=0.0, ci=0.0, hours=-0.5, wait=0.0), "Verdict: the same service, and B "
     "costs less; B waits as long as A, for 0.5 fewer staff hours; weighted score (lower is "
     "better): A 10.0, B 10.0."),
    (_doc(None, None, diff=0.0, ci=0.0, hours=0.0, wait=0.0), "Verdict: both plans score the "
     "same; B waits as long as A, for the same staff hours; weighted score (lower is better): "
     "A 10.0, B 10.0."),
    (_doc(None, "a", ci=None), "Verdict: one simulated day cannot decide; B waits 1.2 min less, "
     "for 2.0 more staff hours; weighted score (lower is better): A 10.0, B 8.0."),
])
def test_the_verdict_line_states_service_and_cost_in_every_case(doc, expected):
    """Each combination of score call and cost gives one sentence with both, in en and zh."""
    with language("en"):
        assert verdict_line(doc) == expected
    with language("zh"):
        zh = verdict_line(doc)
    assert zh.startswith("结论：") and "员工工时" in zh and "Verdict" not in zh


def test_hour_cost_on_the_command_line_and_in_the_api(capsys):
    """--hour-cost W reaches the JSON verdict; a negative or non-number W is bad input."""
    assert main(["compare", "scenarios/mid.yaml", "scenarios/mid.yaml", "--reps", "2",
                 "--hour-cost", "12.5", "--json"]) == 0
    v = json.loads(capsys.readouterr().out)["verdict"]
    assert v["hour_cost"] == 12.5 and v["cost"] == {"staff_hours_diff": 0.0,
                                                    "overtime_min_diff": 0.0}
    for bad in ("-1", "nan", "cheap"):
        with pytest.raises(SystemExit) as stop:
            main(["compare", "scenarios/mid.yaml", "scenarios/mid.yaml", "--hour-cost", bad])
        assert stop.value.code == 2
        assert "--hour-cost" in capsys.readouterr().err
    mid = hallsim.load_scenario("scenarios/mid.yaml")
    with pytest.raises(ValueError, match="'hour_cost' must be a number >= 0"):
        hallsim.compare(mid, mid, reps=1, hour_cost=-3)
    with pytest.raises(TypeError, match="'hour_cost'"):
        hallsim.compare(mid, mid, reps=1, hour_cost="30")


LUNCH = "scenarios/exercise/lunch_peak.yaml"
NOON_PLAN = """team: Noon
shifts:
  - {name: counters, role: counter, start: "09:00", end: "18:00", count: 6,
     breaks: [{at: "12:00", minutes: 45}]}
  - {name: greeter, role: triage, start: "09:00", end: "18:00", count: 1,
     breaks: [{at: "12:00", minutes: 45}]}
"""
BIG_PLAN = """team: Big
shifts:
  - {name: counters, role: counter, start: "09:00", end: "18:00", count: 9,
     breaks: [{at: "15:00", minutes: 30}]}
"""


def test_plan_files_compare_in_their_challenges_hall(tmp_path, capsys):
    """compare PLAN_A PLAN_B --challenge C: the teams' names, the challenge's weights (overtime
    priced), the same days as exercise score, and the budget of each plan."""
    from hallsim.exercise.challenge import load_challenge
    from hallsim.exercise.scoring import score_plans

    noon, big = tmp_path / "noon.yaml", tmp_path / "big.yaml"
    noon.write_text(NOON_PLAN, encoding="utf-8")
    big.write_text(BIG_PLAN, encoding="utf-8")
    assert main(["compare", str(noon), str(big), "--challenge", LUNCH, "--reps", "2",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["a"], doc["b"]) == ("Noon", "Big")
    assert doc["budget"] == {"budget_staff_hours": 60.0,
                             "a": {"team": "Noon", "budget_used_hours": 57.75, "over_budget": False},
                             "b": {"team": "Big", "budget_used_hours": 76.5, "over_budget": True}}
    scored = {s.team: s.score for s in score_plans(load_challenge(LUNCH), [noon, big], reps=2,
                                                   seed=1, with_reference=False)}
    assert doc["verdict"]["score_a"] == pytest.approx(scored["Noon"], rel=1e-12)
    assert doc["verdict"]["score_b"] == pytest.approx(scored["Big"], rel=1e-12)
    assert main(["compare", str(noon), str(big), "--challenge", LUNCH, "--reps", "2",
                 "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert "结论" in text and "Big超出预算：用了 76.5 小时，预算为 60 小时" in text


def test_a_plan_file_without_its_challenge_names_the_fix(tmp_path, capsys):
    """A plan alone is not a scenario: exit 2 with the --challenge command to run."""
    noon = tmp_path / "noon.yaml"
    noon.write_text(NOON_PLAN, encoding="utf-8")
    assert main(["compare", str(noon), str(noon)]) == 2
    assert f"compare {noon} OTHER_PLAN --challenge CHALLENGE" in capsys.readouterr().err
