"""NPS (contract section 11): the promoter curve, promoter_rate and nps in every summary,
and `fit detractor` fitting both curves from 0-10 scores."""

import html
import math

import numpy as np
import pandas as pd
import pytest
import yaml

import hallsim
from hallsim.calibration.detractor_fit import Survey, fit_logistic, fit_table, logistic
from hallsim.cli import main
from hallsim.errors import ScenarioError
from hallsim.results.detractor import curve, promoter_probability
from hallsim.results.metrics import METRICS, day_metrics
from hallsim.runs.compare import better_of
from hallsim.scenario.schema import Detractor, Promoter

from .helpers import population, run, tiny

TABLES = {"curve": "table", "points": [[0, 0.0], [10, 1.0]], "abandoned": 1.0,
          "promoter": {"curve": "table", "points": [[0, 0.8], [10, 0.0]], "abandoned": 0.0}}


def test_default_promoter_curve_is_the_documented_assumption():
    """Defaults: 0.65 with no wait, falling through its midpoint at 12 minutes to 0.03."""
    p = Promoter()
    assert curve(0.0, p) == pytest.approx(0.03 + 0.62 / (1 + math.exp(-6)))
    assert curve(12.0, p) == pytest.approx((0.65 + 0.03) / 2)
    assert curve(1000.0, p) == pytest.approx(0.03)
    d = Detractor()
    # mostly promoters under 12 minutes, never more than one answer per customer
    assert curve(11.0, p) > curve(11.0, d)
    grid = np.linspace(0, 120, 241)
    assert (curve(grid, p) + curve(grid, d) <= 1).all()


def test_promoter_probability_uses_the_felt_wait_and_abandonment():
    """Pre-processing counts at occupied_weight; an abandoner gets promoter.abandoned."""
    d = Detractor(**{**TABLES, "occupied_weight": 0.5,
                     "promoter": {**TABLES["promoter"], "abandoned": 0.0}}, )
    p = promoter_probability(np.array([10.0, 10.0, 5.0]), np.array([4.0, 0.0, 0.0]),
                             np.array([False, True, False]), d)
    assert p.tolist() == pytest.approx([0.8 * 0.2, 0.0, 0.4])


def test_day_metrics_promoter_rate_and_nps_on_a_known_day():
    """Waits 0, 4, 8 and one abandonment after 3: promoters (0.8 + 0.48 + 0.16 + 0) / 4."""
    sc = tiny(detractor={**TABLES, "target_wait_minutes": 4})
    pop = population([0.0, 1.0, 2.0, 3.0], patience=[math.inf, math.inf, math.inf, 3.0])
    m = day_metrics(run(sc, pop), sc)
    assert m["promoter_rate"] == pytest.approx((0.8 + 0.48 + 0.16 + 0.0) / 4)
    assert m["detractor_rate"] == pytest.approx((0 + 0.4 + 0.8 + 1.0) / 4)
    assert m["nps"] == 100 * (m["promoter_rate"] - m["detractor_rate"])


def test_new_keys_come_last_so_older_columns_keep_their_places():
    """promoter_rate and nps are the last metrics: earlier keys and CSV columns do not move."""
    assert METRICS[-2:] == ("promoter_rate", "nps")
    assert METRICS.index("idle_staff_hours") == len(METRICS) - 3


@pytest.mark.parametrize("reps", [1, 3])
def test_summary_nps_is_exactly_100_times_promoters_minus_detractors(reps):
    """nps = 100 × (promoter_rate − detractor_rate) in the summary, to the last bit."""
    m = hallsim.replicate(hallsim.load_scenario("scenarios/weekday.yaml"), reps=reps,
                          seed=3).summary["metrics"]
    assert m["nps"]["mean"] == 100 * (m["promoter_rate"]["mean"] - m["detractor_rate"]["mean"])
    assert 0 < m["promoter_rate"]["mean"] < 1 and -100 <= m["nps"]["mean"] <= 100
    assert (m["nps"]["ci95"] is None) == (reps == 1)


def test_default_promoter_curve_gives_way_under_a_halls_own_detractor_curve():
    """A scenario whose own detractor curve is high still loads; promoters fill at most the rest."""
    sc = tiny(detractor={"curve": "table", "points": [[0, 0.5], [10, 1.0]]})
    m = day_metrics(run(sc, population([0.0, 1.0, 2.0])), sc)
    assert m["promoter_rate"] + m["detractor_rate"] <= 1.0 + 1e-12


def test_a_written_promoter_curve_that_overlaps_the_detractor_curve_is_refused():
    """Curves a user writes may not make a customer both a promoter and a detractor."""
    with pytest.raises(ScenarioError, match=r"detractor\.promoter: .*add up to 1\.4"):
        tiny(detractor={"curve": "table", "points": [[0, 0.5], [10, 1.0]],
                        "promoter": {"curve": "table", "points": [[0, 0.9], [10, 0.0]]}})


def test_higher_promoter_rate_and_nps_are_better():
    """In a comparison, B with a clearly higher NPS is the better plan."""
    assert better_of("nps", 5.0, 1.0) == "b" and better_of("promoter_rate", -0.1, 0.01) == "a"
    assert better_of("detractor_rate", 0.1, 0.01) == "a"


def _scores(n, seed):
    """0-10 answers from known curves: detractors rise through 15 min, promoters fall through 11."""
    rng = np.random.default_rng(seed)
    wait = rng.uniform(0, 40, n)
    u = rng.random(n)
    pd_, pp = logistic(wait, 0.1, 0.85, 15.0, 3.0), logistic(wait, 0.6, 0.05, 11.0, 2.5)
    score = np.where(u < pd_, 3, np.where(u < pd_ + pp, 9, 7))
    return wait, score


def test_fit_on_0_to_10_scores_recovers_both_curves():
    """3000 answers: both midpoints within 1.5 min and inside their bootstrap intervals."""
    wait, score = _scores(3000, 5)
    fit = fit_logistic(Survey(wait, score <= 6, len(wait), [], score >= 9), boot=30, seed=2)
    pro = fit.block["promoter"]
    assert fit.block["midpoint_minutes"] == pytest.approx(15.0, abs=1.5)
    assert pro["midpoint_minutes"] == pytest.approx(11.0, abs=1.5)
    assert pro["base"] == pytest.approx(0.6, abs=0.07) and pro["max"] == pytest.approx(0.05, abs=0.04)
    lo, hi = fit.intervals["promoter.midpoint_minutes"]
    assert lo < 11.0 < hi
    Detractor(**fit.block)
    table = fit_table(Survey(wait, score <= 6, len(wait), [], score >= 9)).block["promoter"]
    points = np.array(table["points"])
    assert (np.diff(points[:, 1]) <= 0).all()          # promoters fall with the wait


def test_fit_detractor_command_writes_both_curves(tmp_path):
    """fit detractor on a 0-10 survey writes a block with a promoter curve a scenario takes."""
    wait, score = _scores(800, 7)
    pd.DataFrame({"wait_min": wait.round(1), "score": score}).to_csv(tmp_path / "s.csv", index=False)
    out = tmp_path / "block.yaml"
    assert main(["fit", "detractor", str(tmp_path / "s.csv"), "--boot", "5", "--out", str(out)]) == 0
    block = yaml.safe_load(out.read_text(encoding="utf-8"))["detractor"]
    assert block["promoter"]["curve"] == "logistic"
    sc = hallsim.load_scenario("scenarios/weekday.yaml").with_changes({"detractor": block})
    assert sc.detractor.promoter.base > sc.detractor.promoter.max


def test_run_shows_nps_and_says_only_waiting_is_modelled(tmp_path, capsys):
    """The console table and the report show NPS beside the note on what it is made of."""
    assert main(["run", "scenarios/weekday.yaml", "--reps", "1", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "净推荐值" in out and "让我等" in out
    assert main(["run", "scenarios/weekday.yaml", "--reps", "1", "--out", str(tmp_path / "r")]) == 0
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "NPS" in page and "promoter rate" in page and 'id="survey-note"' in page
    assert "让我等" in page


def test_scorecards_and_the_leaderboard_show_promoters_and_nps(tmp_path):
    """A team's scorecard has the promoter rate and NPS; the leaderboard (page and console)
    has an NPS column; both say that only waiting is modelled."""
    from hallsim.output.labels import survey_note

    challenge = "scenarios/exercise/lunch_peak.yaml"
    assert main(["exercise", "score", challenge, challenge.replace(".yaml", ".reference.yaml"),
                 "--reps", "1", "--out", str(tmp_path / "board")]) == 0
    board = (tmp_path / "board" / "index.html").read_text(encoding="utf-8")
    card = next((tmp_path / "board").glob("team-*.html")).read_text(encoding="utf-8")
    assert "<th>NPS</th>" in board and "promoter rate" in card and "NPS" in card
    note = html.escape(survey_note())
    assert note in board and note in card
