"""The flexible-scheduling exercise: challenges, plan rules, scoring, ranking and pages."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hallsim import ScenarioError
from hallsim.exercise.challenge import load_challenge, load_plan, violations
from hallsim.exercise.pages import unique_slugs, write_brief, write_scores
from hallsim.exercise.scoring import document, load_plans, score, score_plans
from hallsim.output.console import vs_reference
from hallsim.planning.scoring import Weights

CHALLENGES = sorted(p for p in Path("scenarios/exercise").glob("*.yaml")
                    if ".reference" not in p.name)
LUNCH = Path("scenarios/exercise/lunch_peak.yaml")


def plan(tmp_path, text, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lunch():
    return load_challenge(LUNCH)


@pytest.mark.parametrize("path", CHALLENGES, ids=[p.stem for p in CHALLENGES])
def test_shipped_reference_plans_keep_the_rules_and_beat_the_current_plan(path, tmp_path):
    """Each reference plan is valid and scores better than the challenge's own current plan."""
    challenge = load_challenge(path)
    reference = load_plan(challenge, challenge.reference_path)
    assert violations(reference, challenge) == []
    import yaml

    current = plan(tmp_path, yaml.safe_dump({"team": "current",
                                             "shifts": challenge.scenario.to_dict()["shifts"]}))
    ranked = score_plans(challenge, [str(current)], reps=12, seed=3)  # 6 days can tie
    assert ranked[0].reference and ranked[0].valid


def test_each_rule_is_reported_in_plain_words_naming_the_shift(lunch, tmp_path):
    """Start times, shift lengths, breaks, per-role caps, windows and budget are all checked."""
    p = load_plan(lunch, plan(tmp_path, """
shifts:
  - {name: dawn,  role: counter, start: "08:00", end: "10:00", count: 1}
  - {name: long,  role: counter, start: "09:00", end: "18:30", count: 9}
  - {name: door,  role: triage,  start: "09:00", end: "13:00", count: 3}
"""))
    found = violations(p, lunch)
    assert "shift 'dawn' (08:00-10:00) starts at 08:00; allowed starts: 09:00" in found[0]
    assert "shift 'dawn' (08:00-10:00) is 2 h long; the minimum is 3 h" in found
    assert "shift 'long' (09:00-18:30) is 9.5 h long; the maximum is 9 h" in found
    assert ("shift 'long' (09:00-18:30) is over 6 h and needs a break of at least 30 min"
            in found)
    assert "3 triage staff on duty at 09:00; the limit allows 2" in found
    assert "10 counter staff on duty at 09:00; the hall has 9 windows" in found
    assert "the plan uses 99.5 staff hours; the budget is 60" in found


def test_a_plan_can_change_only_shifts_and_flex(lunch, tmp_path):
    """Anything else in a plan (e.g. more windows) is refused with file, line and field."""
    path = plan(tmp_path, 'shifts:\n  - {name: a, role: counter, start: "09:00", end: "12:00", '
                          'count: 1}\ncounters: {windows: 20}\n')
    with pytest.raises(ScenarioError, match=r"plan.yaml:3: counters: unknown key"):
        load_plan(lunch, path)


def test_a_malformed_plan_is_listed_and_the_others_are_still_scored(tmp_path):
    """Errors name the shift by name, sorted by line; the good plan is ranked; exit 1."""
    bad = plan(tmp_path, 'shifts:\n  - {name: a, role: counter, start: "09:00", '
                         'end: "12:00", count: 1}\n  - {name: late, role: counter, start: "1300", '
                         'end: "17:00", count: -1}\nteam: [1]\n', "bad.yaml")
    good = plan(tmp_path, 'team: good\nshifts:\n  - {name: a, role: counter, start: "09:00", '
                          'end: "18:00", count: 6, breaks: [{at: "14:00", minutes: 30}]}\n',
                "good.yaml")
    proc = subprocess.run([sys.executable, "-m", "hallsim", "exercise", "score", str(LUNCH),
                           str(bad), str(good), "--reps", "2", "--json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert [p["team"] for p in doc["plans"]] == ["trainer's reference", "good"]
    assert doc["rejected"] == [{"file": str(bad), "errors": [
        f'{bad}:3: shifts["late"].start: expected "HH:MM", got "1300"',
        f'{bad}:3: shifts["late"].count: must be >= 0, got -1',
        f"{bad}:4: team: expected a valid string, got a list"]}]
    assert proc.stderr.splitlines()[-4:] == [f"{bad}: not scored, 3 errors:",
                                             *(f"  {e}" for e in doc["rejected"][0]["errors"])]


def test_score_is_the_weighted_sum():
    """score = Σ weight × metric with rates in percentage points."""
    means = {"mean_wait_min": 5.0, "p90_wait_min": 12.0, "abandon_rate": 0.04,
             "detractor_rate": 0.2, "staff_hours": 50.0, "overtime_min": 30.0}
    weights = Weights(staff_hours=0.1, overtime_min=0.01)
    assert score(means, weights) == pytest.approx(5 + 6 + 4 + 20 + 5 + 0.3)


def test_scoring_is_deterministic_and_invalid_plans_rank_last(lunch, tmp_path):
    """Same plans, same leaderboard; a plan breaking a rule ranks after every valid plan."""
    good = plan(tmp_path, 'team: good\nshifts:\n  - {name: a, role: counter, start: "09:00", '
                          'end: "15:00", count: 4}\n  - {name: b, role: counter, start: "12:00", '
                          'end: "18:00", count: 4}\n', "good.yaml")
    over = plan(tmp_path, 'team: over\nshifts:\n  - {name: a, role: counter, start: "09:00", '
                          'end: "15:00", count: 9}\n  - {name: b, role: counter, start: "15:00", '
                          'end: "18:00", count: 9}\n', "over.yaml")
    first = score_plans(lunch, [str(over), str(good)], reps=4, seed=2)
    again = score_plans(lunch, [str(over), str(good)], reps=4, seed=2)
    assert [(s.team, s.score) for s in first] == [(s.team, s.score) for s in again]
    assert first[-1].team == "over" and not first[-1].valid
    assert first[-1].score < max(s.score for s in first[:-1])  # ranked last despite its score
    assert all(s.valid for s in first[:-1])


def test_rank_gaps_are_paired_and_identical_plans_are_too_close_to_call(lunch, tmp_path):
    """The same plan twice differs by exactly 0 (not clear); a real gap is a paired CI."""
    text = ('shifts:\n  - {name: a, role: counter, start: "09:00", end: "15:00", count: 4}\n'
            '  - {name: b, role: counter, start: "12:00", end: "18:00", count: 3}\n')
    twin_a = plan(tmp_path, "team: a\n" + text, "a.yaml")
    twin_b = plan(tmp_path, "team: b\n" + text, "b.yaml")
    thin = plan(tmp_path, 'team: thin\nshifts:\n  - {name: a, role: counter, start: "09:00", '
                          'end: "18:00", count: 3, breaks: [{at: "14:00", minutes: 30}]}\n',
                "thin.yaml")
    ranked = score_plans(lunch, [str(twin_a), str(twin_b), str(thin)], reps=5, seed=4,
                         with_reference=False)
    assert [s.team for s in ranked] == ["a", "b", "thin"]
    assert ranked[0].ahead_of_next == {"gap": 0.0, "ci95": 0.0, "clear": False}
    gap = ranked[1].ahead_of_next
    assert gap["gap"] == pytest.approx(ranked[2].score - ranked[1].score)
    assert gap["clear"] and gap["gap"] > gap["ci95"] > 0
    assert ranked[2].ahead_of_next == {}


def test_cli_score_json_and_pages(tmp_path):
    """score --json prints the leaderboard document; --out writes a page per team."""
    out = tmp_path / "scores"
    proc = subprocess.run([sys.executable, "-m", "hallsim", "exercise", "score", str(LUNCH),
                           "scenarios/exercise/lunch_peak.reference.yaml", "--reps", "3",
                           "--json", "--out", str(out)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["replications"] == 3 and len(doc["plans"]) == 2
    assert {p["rank"] for p in doc["plans"]} == {1, 2}
    assert (out / "index.html").exists() and len(list(out.glob("team-*.html"))) == 2
    assert "worst_interval" in doc["plans"][0]


def test_brief_has_demand_rules_and_a_usable_template(lunch, tmp_path):
    """The handout shows the demand curve and rules; its template is a valid plan."""
    write_brief(lunch, tmp_path)
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert 'data-file="demand.png"' in page and "60 staff hours" in page
    template = load_plan(lunch, tmp_path / "plan-template.yaml")
    assert template.team == "our-team-name"
    assert violations(template, lunch) == []


def test_team_file_names_are_unique_and_keep_chinese():
    """Chinese team names keep their letters; clashes get a suffix."""
    assert unique_slugs(["小王组", "Team B", "team b", "小王组"]) == [
        "小王组", "team-b", "team-b-2", "小王组-2"]


def test_pages_link_both_ways_list_rejected_plans_and_show_the_gap_to_the_reference(lunch,
                                                                                     tmp_path):
    """Board ↔ team pages link; a card shows the team's own score, the reference's and the gap;
    malformed plans are listed on the board even when no plan could be scored."""
    good = plan(tmp_path, 'team: good\nshifts:\n  - {name: a, role: counter, start: "09:00", '
                          'end: "18:00", count: 6, breaks: [{at: "14:00", minutes: 30}]}\n',
                "good.yaml")
    bad = plan(tmp_path, "shifts: []\n", "bad.yaml")
    plans, rejected = load_plans(lunch, [str(bad), str(good)])
    assert [r.path for r in rejected] == [bad] and [p.team for p in plans] == ["good"]
    ranked = score_plans(lunch, plans, reps=2, seed=1)
    team = next(s for s in ranked if s.team == "good")
    assert vs_reference(team) == (f"{team.score:.1f} vs {team.reference_score:.1f}: "
                                  f"{team.score - team.reference_score:+.1f} "
                                  + ("(behind the reference)" if team.score > team.reference_score
                                     else "(ahead of the reference)"))
    write_scores(ranked, lunch, tmp_path / "board", rejected)
    board = (tmp_path / "board" / "index.html").read_text(encoding="utf-8")
    card = (tmp_path / "board" / "team-good.html").read_text(encoding="utf-8")
    assert "href='team-good.html'" in board and "href='index.html#board'" in card
    assert f"<b>Score {team.score:.1f}</b> · reference {team.reference_score:.1f}, gap" in card
    assert "Plans that could not be scored" in board and "bad.yaml:1: shifts:" in board
    write_scores([], lunch, tmp_path / "empty", rejected)
    assert "bad.yaml" in (tmp_path / "empty" / "index.html").read_text(encoding="utf-8")
    assert document([], lunch, rejected)["rejected"][0]["file"] == str(bad)


@pytest.fixture(scope="module")
def course_days():
    """The challenges for 中峰, 忙日 and 忙区, each with today's plan and the reference scored
    on the same four simulated days."""
    from hallsim.exercise.challenge import Plan

    scored = {}
    for name in ("mid_load", "busy_day", "busy_zone"):
        challenge = load_challenge(Path(f"scenarios/exercise/{name}.yaml"))
        ranked = score_plans(challenge, [Plan(challenge.path, "today", challenge.scenario)],
                             reps=4, seed=5)
        scored[name] = (challenge, {("reference" if s.reference else "today"): s for s in ranked})
    return scored


@pytest.mark.parametrize("name", ["mid_load", "busy_day", "busy_zone"])
def test_course_challenges_have_a_credible_reference(course_days, name):
    """The reference keeps the rules and the budget, beats today's plan by a clear margin, and
    is at its worst inside the day's busy stretch (mid or peak load), not at an edge."""
    from hallsim.exercise.guide import load_levels

    challenge, plans = course_days[name]
    reference, today = plans["reference"], plans["today"]
    assert reference.valid and reference.score < today.score - 3
    worst = reference.worst_interval["start"]
    minutes = int(worst[:2]) * 60 + int(worst[3:])
    level = next(lv for a, b, lv in load_levels(challenge.scenario) if a <= minutes < b)
    assert level in ("mid", "peak"), (worst, level)


def test_busy_day_is_the_mid_load_hall_at_1_3_with_its_good_plan(course_days):
    """忙日: the 中峰 hall at 1.3× load, and today's plan is the 中峰 reference plan."""
    busy, _plans = course_days["busy_day"]
    mid, _ = course_days["mid_load"]
    assert busy.scenario.load_factor == 1.3 and mid.scenario.load_factor == 1.0
    assert busy.scenario.loads == mid.scenario.loads and busy.scenario.profile == mid.scenario.profile
    good = load_plan(mid, mid.reference_path).scenario
    assert busy.scenario.to_dict()["shifts"] == good.to_dict()["shifts"]


def test_mid_load_reference_staggers_breaks_two_at_a_time(course_days):
    """中峰: never more than two counter staff on a break at once in the reference plan."""
    challenge, plans = course_days["mid_load"]
    shifts = [s for s in plans["reference"].plan.scenario.shifts if s.role == "counter"]
    for t in range(9 * 60, 18 * 60):
        away = sum(s.count for s in shifts for b in s.breaks if b.at <= t < b.at + b.minutes)
        assert away <= 2, t


def test_busy_zone_reference_moves_hours_to_the_business_windows(course_days):
    """忙区: the reference serves the business zone with shorter waits than today's plan, in
    about the same staff hours."""
    _challenge, plans = course_days["busy_zone"]
    groups = {k: s.result.summary["groups"]["business"]["mean_wait_min"]["mean"]
              for k, s in plans.items()}
    assert groups["reference"] < groups["today"] - 2
    assert abs(plans["reference"].means["staff_hours"] - plans["today"].means["staff_hours"]) < 1


@pytest.mark.parametrize("path", CHALLENGES, ids=[p.stem for p in CHALLENGES])
def test_every_shipped_template_is_a_plan_that_scores_as_shipped(path, tmp_path):
    """The brief's plan-template.yaml, with only the team renamed, loads and keeps every rule
    (a hall with zones refuses counter shifts that name none, so the template names them)."""
    challenge = load_challenge(path)
    write_brief(challenge, tmp_path)
    text = (tmp_path / "plan-template.yaml").read_text(encoding="utf-8")
    renamed = plan(tmp_path, text.replace("our-team-name", "小王组"), "ours.yaml")
    assert violations(load_plan(challenge, renamed), challenge) == []
    [ours] = [s for s in score_plans(challenge, [renamed], reps=1, seed=1) if not s.reference]
    assert ours.valid and ours.plan.team == "小王组"


def test_busy_zone_brief_and_template_name_the_zones_and_the_keys(tmp_path):
    """Teams editing the template read each zone's id, windows and the group/groups keys."""
    from hallsim.i18n import language

    challenge = load_challenge(Path("scenarios/exercise/busy_zone.yaml"))
    with language("zh"):
        write_brief(challenge, tmp_path)
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    template = (tmp_path / "plan-template.yaml").read_text(encoding="utf-8")
    assert "对公分区（group: business）：2 个窗口，叫号业务：对公业务。" in page
    assert "groups: [general, business]" in page
    assert "# 普通分区（group: general）：5 个窗口。" in template
    assert "group: general," in template and "groups: [general, vip, business]," in template
