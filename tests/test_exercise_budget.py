"""Scoring a trainer can defend: a plan over budget is marked so on the scorecard, the
leaderboard, the charts and the JSON, never "ahead of the reference"; overtime is priced."""

import io
import json

import pytest
import yaml
from rich.console import Console

from hallsim.exercise.challenge import load_challenge
from hallsim.exercise.pages import marked, write_scores
from hallsim.exercise.scoring import document, score_plans
from hallsim.i18n import language
from hallsim.output import console
from hallsim.planning.scoring import ExerciseWeights, Weights, score

LUNCH = "scenarios/exercise/lunch_peak.yaml"
BIG = {"team": "Big", "shifts": [
    {"name": "counters", "role": "counter", "start": "09:00", "end": "18:00", "count": 9,
     "breaks": [{"at": "15:00", "minutes": 30}]},
    {"name": "greeter", "role": "triage", "start": "11:00", "end": "15:00", "count": 1}]}


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    path = folder / "big.yaml"
    path.write_text(yaml.safe_dump(BIG), encoding="utf-8")
    challenge = load_challenge(LUNCH)
    return challenge, score_plans(challenge, [path], reps=2, seed=1)


def _printed(table) -> str:
    out = Console(file=io.StringIO(), width=200)
    out.print(table)
    return out.file.getvalue()


def test_an_over_budget_plan_that_scores_lower_is_never_ahead(scored):
    """80.5 h against 60: a lower score than the reference's, ranked after it, and every
    place that shows it says over budget (English and Chinese), never ahead (领先)."""
    challenge, scores = scored
    big = next(s for s in scores if s.team == "Big")
    assert big.over_budget and big.budget_used == 80.5 and big.rank == 2
    assert big.vs_reference < 0                   # it would have been "ahead" before
    for lang, over, ahead in (("en", "over budget", "ahead"), ("zh", "超出预算", "领先")):
        with language(lang):
            card = _printed(console.scorecard(big, challenge))
            board = _printed(console.leaderboard_table(scores, challenge))
        assert over in card and ahead not in card, card
        assert over in board and ahead not in board, board
    doc = document(scores, challenge)
    assert [p["over_budget"] for p in doc["plans"]] == [False, True]


def test_the_pages_and_charts_mark_it(scored, tmp_path):
    """The leaderboard row, the team's page and the chart legends say over budget."""
    challenge, scores = scored
    big = next(s for s in scores if s.team == "Big")
    with language("zh"):
        assert marked(big) == "Big（超出预算）"
        write_scores(scores, challenge, tmp_path)
    board = (tmp_path / "index.html").read_text(encoding="utf-8")
    page = (tmp_path / "team-big.html").read_text(encoding="utf-8")
    assert "超出预算" in board and "超出预算——排在所有预算内的方案之后" in page
    assert "领先" not in page
    rows = (tmp_path / "leaderboard.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split(",")[:5] == ["rank", "team", "score", "valid", "over_budget"]
    assert json.loads((tmp_path / "leaderboard.json").read_text())["plans"][1]["over_budget"]


def test_overtime_is_priced_in_the_exercise_score_by_default(scored):
    """0.02 a minute unless the challenge sets it (`overtime_min`, or `overtime`); compare's
    plain weights keep it free, so a verdict on two scenarios still scores service only."""
    challenge, scores = scored
    assert ExerciseWeights().overtime_min == 0.02 and Weights().overtime_min == 0.0
    assert ExerciseWeights(overtime=0.1).overtime_min == 0.1
    free = ExerciseWeights(overtime_min=0)
    for s in scores:
        extra = s.score - score(s.means, free)
        assert s.means["overtime_min"] > 0
        assert extra == pytest.approx(0.02 * s.means["overtime_min"], rel=1e-9)
