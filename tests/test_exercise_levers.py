"""Floor levers in the exercise: what they change, what they cost, and the rules around them.

Lever effects are checked on common random numbers: both plans see the same customers, so
a paired difference beyond 3 standard errors (or a per-day inequality where the model makes
one certain) is the lever's doing.
"""

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

import hallsim
from hallsim import ScenarioError
from hallsim.exercise.challenge import load_challenge, load_plan, plan_template, violations
from hallsim.exercise.pages import write_brief, write_scores
from hallsim.exercise.scoring import document, score_plans
from hallsim.model.population import draw_population
from hallsim.model.streams import Streams
from hallsim.output import console

MIX = Path("scenarios/exercise/launch_mix.yaml")
LUNCH = Path("scenarios/exercise/lunch_peak.yaml")
GOLDEN = Path(__file__).parent / "golden" / "exercise.json"
REPS = 6
SHIFTS = """shifts:
  - {name: counter_a, role: counter, start: "09:00", end: "18:00", count: 4,
     breaks: [{at: "14:00", minutes: 30}]}
  - {name: counter_b, role: counter, start: "09:00", end: "18:00", count: 4,
     breaks: [{at: "15:00", minutes: 30}]}
  - {name: greeter, role: triage, start: "09:00", end: "18:00", count: 1,
     breaks: [{at: "14:30", minutes: 30}]}
"""


@pytest.fixture(scope="module")
def mix():
    return load_challenge(MIX)


def plan(tmp_path, text, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def with_levers(mix, tmp_path, levers, shifts=SHIFTS, name="plan.yaml"):
    return load_plan(mix, plan(tmp_path, shifts + levers, name))


def runs(p, metric):
    return hallsim.replicate(p.scenario, reps=REPS, seed=5).runs[metric].to_numpy()


def paired(a, b, metric):
    d = runs(b, metric) - runs(a, metric)
    return d.mean(), d.std(ddof=1) / np.sqrt(len(d))


def test_pushing_online_diversion_sends_more_customers_online_every_day(mix, tmp_path):
    """divert_online 0.7 diverts a superset of the customers 0.3 does: never fewer, in all more."""
    base = with_levers(mix, tmp_path, "")
    pushed = with_levers(mix, tmp_path, "levers: {divert_online: 0.7}\n", name="b.yaml")
    a, b = runs(base, "diverted_online"), runs(pushed, "diverted_online")
    assert (b >= a).all() and b.sum() > 1.5 * a.sum()


def test_pushing_kiosk_diversion_serves_more_at_kiosks(mix, tmp_path):
    """divert_self_service 0.9 (with all six kiosks on) serves more customers at kiosks."""
    base = with_levers(mix, tmp_path, "levers: {kiosks: 6}\n")
    pushed = with_levers(mix, tmp_path, "levers: {kiosks: 6, divert_self_service: 0.9}\n",
                         name="b.yaml")
    diff, se = paired(base, pushed, "served_self_service")
    assert diff > 3 * se and diff > 0


def test_more_kiosks_shorten_waits_when_greeters_send_customers_to_them(mix, tmp_path):
    """Six kiosks instead of two, with greeters sending 90% there, cut the mean wait."""
    two = with_levers(mix, tmp_path, "levers: {divert_self_service: 0.9}\n")
    six = with_levers(mix, tmp_path, "levers: {kiosks: 6, divert_self_service: 0.9}\n",
                      name="b.yaml")
    assert six.scenario.self_service.kiosks == 6 and two.scenario.self_service.kiosks == 2
    diff, se = paired(two, six, "mean_wait_min")
    assert diff < -3 * se and diff < 0


def test_preparing_new_lines_too_shortens_waits(mix, tmp_path):
    """With floor staff on duty, also pre-processing new lines cuts the mean wait."""
    floor = SHIFTS + ('  - {name: floor, role: preprocess, start: "09:00", end: "18:00", '
                      'count: 2, breaks: [{at: "14:00", minutes: 30}]}\n')
    base = with_levers(mix, tmp_path, "", shifts=floor)
    more = with_levers(mix, tmp_path, "levers: {preprocess: [plan_change, new_line]}\n",
                       shifts=floor, name="b.yaml")
    new_line = next(s for s in more.scenario.services if s.name == "new_line")
    assert new_line.preprocess is not None and new_line.preprocess.saves == 0.3
    diff, se = paired(base, more, "mean_wait_min")
    assert diff < -3 * se and diff < 0


def test_streamlining_cuts_each_counter_time_by_exactly_the_percent(mix, tmp_path):
    """A 20% cut scales every new-line counter time by 0.8 on the same draws; waits fall."""
    base = with_levers(mix, tmp_path, "")
    lean = with_levers(mix, tmp_path, "levers: {streamline: {new_line: 20}}\n", name="b.yaml")
    a = draw_population(base.scenario, Streams(5, 0))
    b = draw_population(lean.scenario, Streams(5, 0))
    k = [s.name for s in base.scenario.services].index("new_line")
    mine = a.service == k
    assert mine.sum() > 50 and (a.service == b.service).all()
    np.testing.assert_allclose(b.counter_minutes_drawn[mine], 0.8 * a.counter_minutes_drawn[mine], rtol=1e-12)
    np.testing.assert_array_equal(b.counter_minutes_drawn[~mine], a.counter_minutes_drawn[~mine])
    diff, se = paired(base, lean, "mean_wait_min")
    assert diff < -3 * se and diff < 0


def test_lever_costs_add_up_exactly(mix, tmp_path):
    """Each lever is priced on what it adds to the hall; the total is their exact sum."""
    p = with_levers(mix, tmp_path, "levers: {kiosks: 6, divert_online: 0.75, "
                    "divert_self_service: 0.6, preprocess: [plan_change, new_line], "
                    "streamline: {new_line: 20, plan_change: 5}}\n")
    assert [(b.lever, b.amount, b.cost) for b in p.bought] == [
        ("kiosks", 4.0, 6.0), ("divert_online", 45.0, 4.5), ("divert_self_service", 10.0, 1.0),
        ("preprocess", 1.0, 3.0), ("streamline", 25.0, 7.5)]
    assert p.lever_hours == 22.0
    budget_line = violations(p, mix)[-1]
    assert budget_line == ("the plan uses 76.5 staff hours and 22 hours of levers, 98.5 in all; "
                           "the budget is 95")
    less = with_levers(mix, tmp_path, "levers: {kiosks: 1, divert_online: 0.2, preprocess: []}\n",
                       name="less.yaml")
    assert less.lever_hours == 0.0 and violations(less, mix) == []
    same = with_levers(mix, tmp_path, "levers: {kiosks: 2, divert_online: 0.3, "
                       "divert_self_service: 0.5, preprocess: [plan_change], streamline: {}}\n",
                       name="same.yaml")
    assert same.lever_hours == 0.0
    assert same.scenario.to_dict() == with_levers(mix, tmp_path, "", name="n.yaml").scenario.to_dict()
    assert less.scenario.self_service.kiosks == 1
    assert all(s.preprocess is None for s in less.scenario.services)


def test_caps_and_closed_levers_are_broken_rules_naming_the_lever(mix, tmp_path):
    """Over a cap, outside what is offered, or not opened: each reported in plain words."""
    p = with_levers(mix, tmp_path, "levers: {kiosks: 7, divert_online: 0.8, "
                    "preprocess: [plan_change, vip], streamline: {new_line: 25, bill_payment: 5}}\n")
    found = violations(p, mix)
    assert "kiosks: 7 switched on; the hall has 6 kiosk places" in found
    assert "divert online: 80%; the cap is 70%" in found
    assert ("pre-processing: floor staff cannot prepare 'vip' in this challenge; they can "
            "prepare plan_change, new_line") in found
    assert "streamlining: 'new_line' cut by 25%; the cap is 20%" in found
    assert ("streamlining: 'bill_payment' cannot be streamlined in this challenge; these can: "
            "plan_change, new_line, repair_complaint") in found
    lunch = load_challenge(LUNCH)
    small = SHIFTS.replace("count: 4", "count: 3")
    closed = load_plan(lunch, plan(tmp_path, small + "levers: {kiosks: 6}\n", "c.yaml"))
    plain = load_plan(lunch, plan(tmp_path, small, "d.yaml"))
    assert violations(closed, lunch) == [
        "the plan sets the lever 'kiosks', which this challenge does not open; the hall keeps 4"]
    assert closed.scenario.to_dict() == plain.scenario.to_dict()   # not applied
    assert closed.lever_hours == 0


def test_malformed_levers_name_file_line_and_field(mix, tmp_path):
    """A typo in a plan's levers, or a service the hall lacks, is bad input located by line."""
    with pytest.raises(ScenarioError, match=r"plan.yaml:9: levers.kiosk: unknown key"):
        with_levers(mix, tmp_path, "levers:\n  kiosk: 3\n")
    with pytest.raises(ScenarioError, match=r"plan.yaml:9: levers.streamline.new_lines: no service "
                                            r'"new_lines" in the hall'):
        with_levers(mix, tmp_path, "levers:\n  streamline: {new_lines: 10}\n")
    with pytest.raises(ScenarioError, match=r"plan.yaml:9: levers.divert_online: must be <= 1"):
        with_levers(mix, tmp_path, "levers:\n  divert_online: 70\n")


def test_a_challenge_offering_fewer_places_than_kiosks_is_refused(tmp_path):
    """The trainer's levers must fit the hall: the error names the challenge, line and field."""
    text = MIX.read_text(encoding="utf-8").replace("kiosks: {places: 6,", "kiosks: {places: 1,")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "launch_mix.reference.yaml").write_text(
        (MIX.parent / "launch_mix.reference.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"c.yaml:19: exercise.levers.kiosks.places: must be "
                                            r"at least the hall's kiosks"):
        load_challenge(path)


@pytest.mark.parametrize("name", ["lunch_peak", "launch_day", "quiet_day"])
def test_plans_without_levers_score_exactly_as_before_levers_existed(name):
    """The shipped reference plans' scores and metrics equal those saved before levers
    (saved again once, when the shipped challenges gained ``triage.max_queue: 3``). Since
    overtime is priced (``exercise.scoring.overtime_min``, default 0.02 a minute) the score
    adds that term to the saved one; the days and every metric are unchanged."""
    saved = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    challenge = load_challenge(f"scenarios/exercise/{name}.yaml")
    (ref,) = score_plans(challenge, [], reps=3, seed=11)
    overtime = challenge.exercise.scoring.overtime_min * ref.means["overtime_min"]
    assert challenge.exercise.scoring.overtime_min == 0.02 and overtime > 0
    assert ref.score - overtime == pytest.approx(saved["score"], rel=1e-12)
    assert ref.violations == saved["violations"] and ref.plan.bought == []
    for metric, cell in saved["metrics"].items():
        got = ref.result.summary["metrics"][metric]
        assert got["mean"] == pytest.approx(cell["mean"], rel=1e-12, abs=1e-12), metric


def test_shift_only_plans_within_budget_lose_to_the_mixed_reference(mix, tmp_path):
    """The best shift-only plans found (by a grid search) rank clearly behind the reference."""
    counters = """shifts:
  - {{name: counter_a, role: counter, start: "09:00", end: "18:00", count: {a},
     breaks: [{{at: "14:00", minutes: 30}}]}}
  - {{name: counter_b, role: counter, start: "09:00", end: "18:00", count: {b},
     breaks: [{{at: "15:00", minutes: 30}}]}}
  - {{name: peak_am, role: counter, start: "10:30", end: "14:00", count: {am}}}
  - {{name: peak_pm, role: counter, start: "14:00", end: "18:00", count: {pm}}}
  - {{name: greeter, role: triage, start: "09:00", end: "18:00", count: 1,
     breaks: [{{at: "14:30", minutes: 30}}]}}
"""
    paths = [plan(tmp_path, f"team: shifts {a}{b}{am}{pm}\n"
                  + counters.format(a=a, b=b, am=am, pm=pm), f"p{a}{b}{am}{pm}.yaml")
             for a, b, am, pm in [(5, 4, 1, 1), (4, 4, 2, 2)]]
    ranked = score_plans(mix, paths, reps=8, seed=1)
    assert all(s.valid for s in ranked)
    assert ranked[0].reference and ranked[0].lever_hours == 11.0
    assert ranked[0].ahead_of_next["clear"] and ranked[0].ahead_of_next["gap"] > 0


def test_brief_shows_open_levers_and_the_template_keeps_the_hall_for_free(mix, tmp_path):
    """The brief lists each open lever with today's value, cap and price; the template is
    a valid plan that buys nothing."""
    write_brief(mix, tmp_path)
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "Levers you can pull" in page
    assert "2 of 6 kiosk places switched on; switch on up to 6" in page
    assert "0.1 h per percentage point above the hall&#x27;s" in page
    assert ("cut the counter time of plan change (plan_change), new line (new_line), repair or "
            "complaint (repair_complaint) by up to 20 percent each") in page
    template = load_plan(mix, tmp_path / "plan-template.yaml")
    assert template.lever_hours == 0 and violations(template, mix) == []
    assert [b.lever for b in template.bought] == ["kiosks", "divert_online",
                                                  "divert_self_service", "preprocess", "streamline"]


@pytest.mark.parametrize("name", ["lunch_peak", "launch_day", "launch_mix"])
def test_the_template_break_is_off_peak(name):
    """The template's sample break falls where the fewest customers arrive, never at peak."""
    challenge = load_challenge(f"scenarios/exercise/{name}.yaml")
    text = plan_template(challenge)
    at = text.split('breaks: [{at: "')[1][:5]
    hh, mm = map(int, at.split(":"))
    start = hh * 60 + mm
    sc = challenge.scenario
    rate = next((sc.loads[p.load] if p.load else p.rate) for p in sc.profile
                if p.start <= start < p.end)
    peak = max((sc.loads[p.load] if p.load else p.rate) for p in sc.profile)
    assert rate < peak
    assert rate == min((sc.loads[p.load] if p.load else p.rate) for p in sc.profile)


def test_scorecard_leaderboard_csv_and_json_show_what_each_team_bought(mix, tmp_path):
    """The lever cost per team in the JSON document, CSV, HTML board, cards and console."""
    scores = score_plans(mix, [], reps=2, seed=1)
    doc = document(scores, mix)
    entry = doc["plans"][0]
    assert entry["lever_hours"] == 11.0 and entry["budget_used_hours"] == 93.5
    assert [(b["lever"], b["choice"], b["cost_hours"]) for b in entry["levers"]] == [
        ("kiosks", 4, 3.0), ("divert_online", 0.7, 4.0), ("divert_self_service", 0.9, 4.0)]
    assert doc["levers_open"]["kiosks"] == {"places": 6, "price_hours": 1.5}
    out = tmp_path / "scores"
    write_scores(scores, mix, out)
    rows = list(csv.DictReader((out / "leaderboard.csv").open(encoding="utf-8")))
    assert rows[0]["lever_hours"] == "11.0" and rows[0]["budget_used"] == "93.5"
    assert rows[0]["levers"] == "kiosks 4; divert online 70%; divert to kiosks 90%"
    board = (out / "index.html").read_text(encoding="utf-8")
    assert "<th>levers h</th>" in board and "<td title='kiosks 4; divert online 70%" in board
    card = next(out.glob("team-*.html")).read_text(encoding="utf-8")
    assert "kiosks 4 (hall 2): +2 kiosk(s) × 1.5 h = 3 h" in card
    assert "Budget used: 93.5 h of 95 h (82.5 staff hours, 11 h of levers)." in card
    assert "href='index.html#board'" in card
    screen = Console(record=True, width=200, file=io.StringIO())
    screen.print(console.scorecard(scores[0], mix))
    screen.print(console.leaderboard_table(scores, mix))
    text = screen.export_text()
    assert "divert online 70% (hall 30%): +40 point(s) × 0.1 h = 4 h" in text
    assert "93.5 h of 95 h (staff and levers)" in text and "levers h" in text
