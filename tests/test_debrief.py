"""The debrief (复盘): hour by hour against the reference and the winner, on the scorecards'
own simulated days, with sentences that name the decisive hours in English and Chinese."""

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from hallsim.cli import main
from hallsim.exercise.causes import Shortfall
from hallsim.exercise.challenge import load_challenge, load_plan
from hallsim.exercise.debrief import build
from hallsim.exercise.debrief_page import document, team_fragment
from hallsim.exercise.debrief_text import sentences
from hallsim.exercise.scoring import score_plans
from hallsim.i18n import language

LUNCH = Path("scenarios/exercise/lunch_peak.yaml")
MIX = Path("scenarios/exercise/launch_mix.yaml")
REPS = 3


def _plan(folder: Path, name: str, plan: dict) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


EVERYONE_AT_LUNCH = {"team": "Noon", "shifts": [
    {"name": "counters", "role": "counter", "start": "09:00", "end": "18:00", "count": 6,
     "breaks": [{"at": "12:00", "minutes": 45}]},
    {"name": "greeter", "role": "triage", "start": "09:00", "end": "18:00", "count": 1,
     "breaks": [{"at": "12:00", "minutes": 45}]}]}
OVER_BUDGET = {"team": "Big", "shifts": [
    {"name": "counters", "role": "counter", "start": "09:00", "end": "18:00", "count": 9,
     "breaks": [{"at": "15:00", "minutes": 30}]}]}


@pytest.fixture(scope="module")
def lunch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    challenge = load_challenge(LUNCH)
    paths = [_plan(folder, "noon", EVERYONE_AT_LUNCH), _plan(folder, "big", OVER_BUDGET)]
    scores = score_plans(challenge, paths, reps=REPS, seed=1)
    return challenge, scores, build(challenge, scores)


def test_everyone_at_lunch_at_noon_is_named_in_the_first_sentence(lunch):
    """A plan with every counter at lunch 12:00–12:45 is told so first, in both languages."""
    _challenge, _scores, debrief = lunch
    noon = debrief.team("Noon")
    first = sentences(noon, debrief)[0]
    assert first.startswith("Noon lost most to the reference plan at 12:00–12:45: all 6 counter "
                            "staff of Noon were on break, where the reference plan had 8 on duty")
    with language("zh"):
        first_zh = sentences(noon, debrief)[0]
    assert first_zh.startswith("Noon输给参考方案最多的时段是 12:00–12:45：Noon的全部 6 名营业员都在"
                               "休息，而参考方案有 8 名在岗")
    versus = noon.versus[0]
    assert versus.kind == "reference" and versus.lost is not None
    assert versus.lost.cause == Shortfall("counter", 720.0, 765.0, on_duty=0, on_shift=6, other=8)
    assert debrief.reference.hours.start[versus.lost.hours[0]] == 720.0   # the 12:00 hour


def test_hours_add_up_to_the_per_customer_part_of_the_scorecards_score(lunch):
    """Each hour's points sum to the score's wait, abandonment and detractor terms, day by
    day as scored; with the p90 term the debrief's score is the scorecard's."""
    challenge, scores, debrief = lunch
    w = challenge.exercise.scoring
    for s in scores:
        m = s.means
        per_customer = (w.mean_wait_min * m["mean_wait_min"] + w.abandon_rate * 100 *
                        m["abandon_rate"] + w.detractor_rate * 100 * m["detractor_rate"])
        team = debrief.team(s.team)
        assert team.hours.points.sum() == pytest.approx(per_customer, rel=1e-9)
        assert team.score == s.score and team.rank == s.rank
        assert team.hours.arrivals.sum() == pytest.approx(m["customers"], rel=1e-9)


def test_waits_by_stage_add_up_to_the_mean_wait_and_staff_follow_the_breaks(lunch):
    """Greeter, kiosk and counter waits add up to the wait; at 12:00–13:00 the lunch plan
    has its counters for 15 minutes of the hour at most (plus customers being finished)."""
    _challenge, _scores, debrief = lunch
    h = debrief.team("Noon").hours
    assert np.allclose(h.wait["triage"] + h.wait["kiosk"] + h.wait["counter"], h.mean_wait)
    noon = int(np.flatnonzero(h.start == 720.0)[0])
    assert 6 * 15 / 60 <= h.staff["counter"][noon] < 6 * 25 / 60
    assert h.staff["counter"][0] == pytest.approx(6.0)


def test_an_over_budget_plan_says_so_first_and_never_ahead(lunch):
    """Over budget decides the rank: the first sentence, the badge; no 'ahead' anywhere."""
    _challenge, _scores, debrief = lunch
    big = debrief.team("Big")
    assert big.over_budget and not big.valid and big.rank == 3
    said = sentences(big, debrief)
    assert said[0].startswith("Big is over budget: 76.5 h against a budget of 60 h")
    page = team_fragment(debrief, "Big")
    assert "over budget" in page and "ahead" not in page.lower()
    with language("zh"):
        zh = team_fragment(debrief, "Big")
    assert "超出预算" in zh and "领先" not in zh


def test_the_document_is_plain_data_in_the_chosen_language(lunch):
    """debrief.json: JSON-safe, sentences in the language it was written in."""
    _challenge, _scores, debrief = lunch
    with language("zh"):
        doc = json.loads(json.dumps(document(debrief)))
    noon = next(t for t in doc["teams"] if t["team"] == "Noon")
    assert "12:00–12:45" in noon["sentences"][0] and "营业员" in noon["sentences"][0]
    assert noon["versus"][0]["lost"]["from"] == "12:00"
    assert [h["start"] for h in noon["hours"]][:2] == ["09:00", "10:00"]


def test_a_levers_saving_is_the_plan_scored_without_it(tmp_path):
    """Diverting online, priced by the same plan without it on the same days."""
    challenge = load_challenge(MIX)
    plan = yaml.safe_load((MIX.parent / "launch_mix.reference.yaml").read_text())
    plan["team"] = "Door"
    plan["levers"] = {"divert_online": 0.7}
    with_it = _plan(tmp_path, "door", plan)
    without = _plan(tmp_path, "plain", {**plan, "team": "Plain", "levers": {}})
    debrief = build(challenge, [load_plan(challenge, with_it)], reps=2, seed=3)
    door = debrief.team("Door")
    (saving,) = door.levers
    plain = score_plans(challenge, [without], reps=2, seed=3, with_reference=False)[0]
    assert saving.purchase.lever == "divert_online"
    assert saving.saving == pytest.approx(plain.score - door.score, rel=1e-9)
    assert "divert online 70% (4 h of the budget)" in sentences(door, debrief)[-1]


def test_cli_writes_the_debrief_in_chinese(tmp_path, capsys):
    """exercise debrief --out --lang zh: the page and the JSON, exit 0."""
    plan = _plan(tmp_path, "noon", EVERYONE_AT_LUNCH)
    out = tmp_path / "debrief"
    status = main(["exercise", "debrief", str(LUNCH), str(plan), "--reps", "2", "--out",
                   str(out), "--lang", "zh"])
    printed = capsys.readouterr()
    assert status == 0, printed.err
    assert "12:00–12:45" in printed.out and "营业员" in printed.out
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "复盘" in page and "参考方案" in page and "<tr class='decisive'>" in page
    assert json.loads((out / "debrief.json").read_text(encoding="utf-8"))["replications"] == 2
