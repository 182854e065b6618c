"""The staffing advisor in a hall with counter groups (忙区): each group staffed for its own
demand, verified on fresh days per group, in advice.json, the console and report.html."""

import json
from pathlib import Path

import numpy as np
import pytest

import hallsim
from hallsim.cli import main
from hallsim.staffing import erlang
from hallsim.staffing.candidates import parse_rules
from hallsim.staffing.zones import group_hall, group_rules, split

RATE_A, MEAN_A = 12.0, 10.0      # offered load 2
RATE_B, MEAN_B = 9.0, 20.0       # offered load 3


def disjoint() -> hallsim.Scenario:
    """Counter-only hall, 8 hours of constant demand, two groups with disjoint services:
    A calls a (M/M/s, load 2), B calls b (load 3); no abandonment, hourly intervals."""
    total = RATE_A + RATE_B
    return hallsim.Scenario.from_dict({
        "name": "two-zones", "hours": {"open": "09:00", "close": "17:00"},
        "interval_minutes": 60,
        "profile": [{"from": "09:00", "to": "17:00", "rate": total}],
        "services": [
            {"name": "a", "share": RATE_A / total,
             "counter_minutes": {"dist": "exponential", "mean": MEAN_A}},
            {"name": "b", "share": RATE_B / total,
             "counter_minutes": {"dist": "exponential", "mean": MEAN_B}}],
        "counters": {"windows": 20, "groups": [{"name": "A", "windows": 10, "calls": ["a"]},
                                               {"name": "B", "windows": 10, "calls": ["b"]}]},
        "shifts": [{"name": "a", "role": "counter", "group": "A", "start": "09:00",
                    "end": "17:00", "count": 1},
                   {"name": "b", "role": "counter", "group": "B", "start": "09:00",
                    "end": "17:00", "count": 1}],
    })


@pytest.fixture(scope="module")
def advice():
    return hallsim.advise(disjoint(), {"wait_probability": 0.3}, reps=20, seed=1,
                          verify_days=30, max_reps=40,
                          rules={"min_shift_hours": 1, "max_shift_hours": 8})


@pytest.mark.parametrize(("group", "load"), [(0, RATE_A * MEAN_A / 60), (1, RATE_B * MEAN_B / 60)])
def test_two_disjoint_groups_are_each_staffed_to_erlang_c(advice, group, load):
    """Each group's SIPP requirement is exactly Erlang C's fewest staff for P(wait) <= 0.3 at
    its own load (A: 4, B: 5), every hour; its ISA requirement settles there after the first
    hour (the hall opens empty, so that one may need fewer). Tolerance: ISA may be one off
    in a single hour from sampling noise."""
    fewest = min(s for s in range(1, 30) if erlang.erlang_c(s, load) <= 0.3)
    assert fewest == (4, 5)[group]
    need = advice.groups[group].requirement
    assert list(need.sipp) == [fewest] * 8
    later = need.isa[1:]
    assert np.median(later) == fewest
    assert np.abs(later - fewest).max() <= 1 and (later != fewest).sum() <= 1
    assert need.isa[0] <= fewest


def test_each_group_is_verified_on_its_own_customers(advice):
    """The plan's shifts sit at their groups and schedule each group's requirement; each
    group's verified P(wait) is within 8 points of the 0.3 target in every hour (30 fresh
    days: a standard error near 2.5 points), and the hall's verdict in an hour is the worst
    of its groups'."""
    plan = advice.plan
    for part in advice.groups:
        shifts = [s for s in plan.shifts if s.role == "counter" and s.group == part.name]
        assert shifts and all(s.name.startswith(f"{part.name}_") for s in shifts)
        assert (part.cover.scheduled >= part.cover.need - 1e-9).all()
        iv = part.intervals(advice.scenario, advice.targets)
        assert (iv["verified_mean"] <= 0.3 + 0.08).all(), iv[["start", "verified_mean"]]
    assert not any(s.groups for s in plan.shifts)
    order = {"met": 0, "close": 1, "missed": 2}
    worst = [max((p.verdicts[k] for p in advice.groups), key=order.get) for k in range(8)]
    assert list(advice.intervals["verdict"]) == worst
    doc = advice.document
    assert doc["meets_target"] == all(g["meets_target"] for g in doc["groups"].values())
    assert list(doc["groups"]) == ["A", "B"]
    assert doc["groups"]["A"]["calls"] == ["a"] and doc["groups"]["B"]["demand_share"] == {"b": 1}
    assert [r["required_isa"] for r in doc["intervals"]] == list(
        advice.groups[0].requirement.isa + advice.groups[1].requirement.isa)
    assert json.loads(json.dumps(doc, allow_nan=False)) == doc


def test_shared_services_split_by_windows_among_groups_calling_them_first():
    """branch-zones: general (ticket rule) calls cash, transfer, card and vip; vip (order
    rule) calls vip first, then anyone; business calls enterprise. A group is staffed for
    what it calls first: vip customers 5/6 general, 1/6 vip; the rest to their only first
    caller. The vip group's own hall has 1/6 of the vip demand and no other service."""
    sc = hallsim.load_scenario("scenarios/branch-zones.yaml")
    share = split(sc)
    np.testing.assert_allclose(share, [[1, 0, 0], [1, 0, 0], [1, 0, 0],
                                       [5 / 6, 1 / 6, 0], [0, 0, 1]], rtol=1e-12)
    vip = group_hall(sc, 1, share)
    assert [s.name for s in vip.services] == ["vip"]
    assert vip.load_factor == pytest.approx(0.08 / 6)
    assert vip.counters.windows == 1 and not vip.counters.groups
    assert not vip.appointments and not vip.flex
    business = group_hall(sc, 2, share)
    assert business.appointments[0].show == pytest.approx(0.9)
    general = group_hall(sc, 0, share)
    assert [(r.from_role, r.to_role) for r in general.flex] == [("preprocess", "counter")]


def test_staff_advises_a_zoned_hall_end_to_end(tmp_path, capsys):
    """`hallsim staff` on a zoned hall (once refused) writes a plan that loads back with
    every counter shift at a group, advice.json with each group, and a report with a
    section per group; the console shows a table per group."""
    path = tmp_path / "two.yaml"
    path.write_text(json.dumps(disjoint().to_dict()), encoding="utf-8")
    out = tmp_path / "advice"
    code = main(["staff", str(path), "--target", "wait_probability=0.3", "--reps", "5",
                 "--max-reps", "10", "--verify-days", "5", "--out", str(out)])
    assert code == 0
    shown = capsys.readouterr().out
    assert "counter group A" in shown and "counter group B" in shown
    doc = json.loads((out / "advice.json").read_text(encoding="utf-8"))
    assert set(doc["groups"]) == {"A", "B"}
    plan = hallsim.load_scenario(out / "scenario.yaml")
    assert {s.group for s in plan.shifts if s.role == "counter"} == {"A", "B"}
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="intervals-group-0"' in page and 'id="intervals-group-1"' in page


def test_a_week_of_a_zoned_hall_is_refused_plainly(tmp_path, capsys):
    """The week roster staffs one counter pool: a week whose hall has counter groups is
    refused with exit 2, naming the week file and pointing to `hallsim staff` per day."""
    hall = Path("scenarios/branch-zones.yaml").resolve()
    week = tmp_path / "week.yaml"
    week.write_text(json.dumps({"name": "zoned-week", "hall": str(hall), "days": {"mon": {}},
                                "staff": [{"name": "a", "role": "counter",
                                           "weekly_hours": [0, 40]}]}), encoding="utf-8")
    assert main(["staff", str(week), "--target", "wait_probability=0.3"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{week}:") and "counters.groups" in err and "hallsim staff" in err


def test_hall_wide_limits_are_shared_by_windows():
    """max_on_duty.counter = 10, max_on_break = 4, part_time.max_count = 6 in a hall of 20
    windows: a group of 10 windows gets 5, 2 and 3, one of 3 windows gets 1 of each; a
    cap at or above the windows (and no other limit) leaves the rules as they are."""
    rules = parse_rules({"max_on_duty": {"counter": 10}, "max_on_break": 4,
                         "part_time": {"max_hours": 5, "max_count": 6}})
    half, small = group_rules(rules, 10, 20), group_rules(rules, 3, 20)
    assert (half.max_on_duty["counter"], half.max_on_break, half.part_time.max_count) == (5, 2, 3)
    assert (small.max_on_duty["counter"], small.max_on_break, small.part_time.max_count) == (1, 1, 1)
    loose = parse_rules({"max_on_duty": {"counter": 20}})
    assert group_rules(loose, 10, 20) is loose
