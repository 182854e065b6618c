"""The rules a workforce planner expects (contract 6a): lunch window, breaks at once,
part-timers, shrinkage, priced overtime, coverage minute by minute; targets with their own
wait; bad input named with file, line and field."""

from __future__ import annotations

import numpy as np
import pytest

import hallsim
from hallsim.cli import main
from hallsim.staffing import milp
from hallsim.staffing.candidates import Candidate, generate, parse_rules, segments
from hallsim.staffing.pooled import customer_values
from hallsim.staffing.targets import Target, parse_target
from hallsim.staffing.verify import fresh_days
from tests.test_staffing import hall

DAY = [(540, 1140, 30.0)]          # 09:00-19:00, 30 customers an hour


def _solve(rules_data: dict, need: list[float], windows: int = 20):
    sc = hall(DAY, mean_service=5.0, interval=60, windows=windows)
    rules = parse_rules(rules_data)
    cands = generate(sc, rules)
    return sc, rules, cands, milp.solve(cands, sc, np.asarray(need, float), windows, rules)


def test_lunch_breaks_fall_in_the_window_in_quarter_hour_steps():
    """Long shifts spanning the lunch window take a 45-minute break that starts and ends
    inside 11:30-14:00, at quarter-hour starts; shifts that do not need a break have none."""
    sc = hall(DAY, mean_service=5.0, interval=30)
    rules = parse_rules({"min_shift_hours": 4, "max_shift_hours": 9,
                         "lunch": {"from": "11:30", "to": "14:00", "minutes": 45}})
    cands = generate(sc, rules)
    long_ = [c for c in cands if c.end - c.start > 360]
    assert long_ and all(c.break_minutes == 45 for c in long_)
    assert all(c.break_at >= 690 and c.break_at + 45 <= 840 and (c.break_at - 690) % 15 == 0
               for c in long_ if c.start < 690 and c.end > 840)
    assert {c.break_at for c in long_ if c.start == 540 and c.end == 1080} == set(
        range(690, 796, 15))
    assert all(c.break_at is None for c in cands if c.end - c.start <= 360)


def test_no_more_than_max_on_break_at_once():
    """Eight long shifts and a lunch window that fits four slots: with max_on_break 2 the
    plan never has more than two on break at the same minute, and still covers 8 all day
    (lunch relief comes from extra staff)."""
    rules = {"min_shift_hours": 8, "max_shift_hours": 10,
             "lunch": {"from": "11:00", "to": "14:00", "minutes": 30}, "max_on_break": 2}
    sc, _rules, cands, cover = _solve(rules, [8.0] * 10)
    cut = segments(cands, sc)
    assert (cover.counts @ cut.resting).max() <= 2
    assert (cover.shortfall == 0).all()
    minutes = np.arange(540, 1140)
    resting = sum(n * np.array([c.on_break(t, t + 1) for t in minutes]) for c, n in cover.chosen)
    assert resting.max() <= 2


def test_part_timers_are_capped():
    """A morning and an evening peak: without a cap the cheapest plan uses short shifts for
    the peaks; with part_time {max_hours: 4, max_count: 1} at most one staff member works a
    shift of 4 hours or less."""
    need = [4, 4, 1, 1, 1, 1, 1, 1, 4, 4]
    _sc, _r, _c, free = _solve({"min_shift_hours": 2, "max_shift_hours": 10}, need)
    assert sum(n for c, n in free.chosen if c.paid_minutes <= 240) > 1
    _sc, _r, _c, capped = _solve({"min_shift_hours": 2, "max_shift_hours": 10,
                                  "part_time": {"max_hours": 4, "max_count": 1}}, need)
    assert sum(n for c, n in capped.chosen if c.paid_minutes <= 240) <= 1
    assert (capped.shortfall == 0).all() and capped.staff_hours > free.staff_hours


def test_shrinkage_schedules_enough_for_the_staff_who_come():
    """With 20% shrinkage a need of 4 available all day is 5 scheduled (4 / 0.8), and the
    fresh days are simulated with each member absent with probability 0.2."""
    sc, rules, _c, cover = _solve({"min_shift_hours": 10, "max_shift_hours": 10,
                                   "shrinkage": 0.2}, [4.0] * 10)
    assert cover.counts.sum() == 5 and (cover.lowest >= 4 - 1e-9).all()
    plan = hallsim.Scenario.from_dict({**sc.to_dict(), "shifts": [
        {"name": "c", "role": "counter", "start": "09:00", "end": "19:00", "count": 5}]})
    days = fresh_days(plan, 200, seed=3, shrinkage=0.2)
    present = [len(d.staff.loc[d.staff["role"] == "counter"]) for d in days.days]
    assert np.mean(present) == pytest.approx(4.0, abs=0.25)   # binomial(5, 0.8): sd 0.9/sqrt(200)
    same = fresh_days(plan, 3, seed=3)
    assert [len(d.customers) for d in same.days] == [len(d.customers) for d in days.days[:3]]


def test_overtime_is_priced():
    """Two shifts of equal length cover the need; one ends when the counters are busy, the
    other when they are quiet. Free overtime: a tie the program breaks either way; priced
    overtime: the quiet end."""
    sc = hall(DAY, mean_service=5.0, interval=60)
    busy_end, quiet_end = Candidate(540, 840), Candidate(600, 900)
    cands = [busy_end, quiet_end]
    need = np.array([0, 1, 1, 1, 1, 0, 0, 0, 0, 0], float)
    overtime = np.array([0.5, 0.0])
    rules = parse_rules({"overtime_weight": 2.0})
    cover = milp.solve(cands, sc, need, 5, rules, overtime)
    assert dict((c, n) for c, n in cover.chosen) == {quiet_end: 1}


def test_coverage_is_held_minute_by_minute():
    """Need 3 from 10:00 to 11:00. Three staff whose breaks fall 10:00-10:30 average 2.5
    over the interval but leave 2 on duty for half an hour: the program adds cover for those
    minutes instead of counting the average."""
    sc = hall(DAY, mean_service=5.0, interval=60)
    breaking = Candidate(540, 900, 600, 30.0)
    whole = Candidate(600, 660)
    need = np.zeros(10)
    need[1] = 3.0
    cover = milp.solve([breaking, whole], sc, need, 10)
    assert (cover.shortfall == 0).all()
    assert cover.lowest[1] >= 3
    assert dict(cover.chosen).get(whole, 0) >= 3


def test_a_target_carries_its_own_wait():
    """service_level=0.8@20s counts customers served within 20 seconds; @10m within ten
    minutes; the scenario's target wait otherwise."""
    sc = hall(DAY, mean_service=5.0, interval=60)
    assert parse_target("service_level=0.8@20s", sc) == Target("service_level", 0.8, 1 / 3)
    assert parse_target({"service_level": "0.8@10m"}, sc).wait_limit(sc) == 10.0
    assert parse_target("service_level=0.8", sc).wait_limit(sc) == sc.detractor.target_wait_minutes
    day = hallsim.simulate(sc.with_changes({"shifts.c.count": 2}), seed=1)
    waits = customer_values(day.customers, sc, Target("mean_wait_min", 1.0))["x"].to_numpy()
    got = customer_values(day.customers, sc, Target("service_level", 0.8, 1 / 3))["x"].to_numpy()
    assert ((waits <= 1 / 3) == (got == 1)).all() and 0 < got.mean() < 1


@pytest.mark.parametrize("args, message", [
    (["--target", "service_level=0.8@-5s"], "target.service_level: the time after @ must be"),
    (["--target", "service_level=0.8@5x"], "target.service_level: expected a time after @"),
    (["--target", "mean_wait_min=3@5s"], "target.mean_wait_min: only service_level"),
])
def test_bad_targets_exit_2(args, message, capsys):
    assert main(["staff", "scenarios/weekday.yaml", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("body, where", [
    ("min_shift_hours: 3\nlunchh: {from: \"11:00\", to: \"14:00\", minutes: 30}\n",
     ":2: lunchh: unknown key"),
    ("min_shift_hours: 3\nshrinkage: 1.5\n", ":2: shrinkage: must be < 1"),
    ("lunch: {from: \"11:00\", to: \"11:20\", minutes: 30}\n", ":1: lunch: the window 20 min"),
    ("part_time: {max_hours: 5, max_count: -1}\n", ":1: part_time.max_count: must be >= 0"),
    ("max_on_break: two\n", ":1: max_on_break:"),
])
def test_bad_rules_exit_2_with_file_line_and_field(body, where, tmp_path, capsys):
    rules = tmp_path / "rules.yaml"
    rules.write_text(body)
    code = main(["staff", "scenarios/weekday.yaml", "--target", "wait_probability=0.2",
                 "--rules", str(rules)])
    err = capsys.readouterr().err
    assert code == 2 and f"{rules}{where}" in err, err
