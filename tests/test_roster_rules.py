"""A roster in a week file is held to every rule the drafted shifts keep (contract section
10): shift length, breaks, opening hours, start times and the windows, as well as the
contracts; a bad hand roster is located at its cell (file, line, roster.DAY.PERSON), in
English and Chinese; and the week file ``staff`` writes names the rules its roster keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import hallsim
from hallsim import ScenarioError
from hallsim.cli import main

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def write_week(tmp_path: Path, roster: dict, rules: dict | None = None, windows: int = 3,
               people: int = 2) -> Path:
    """A hall open 09:00-19:00 (a scenario), and a week of it with ``people`` on contracts
    loose enough that only the shift rules can be broken."""
    (tmp_path / "hall.yaml").write_text(yaml.safe_dump({
        "name": "small", "hours": {"open": "09:00", "close": "19:00"},
        "profile": [{"from": "09:00", "to": "19:00", "rate": 20}],
        "services": [{"name": "any", "share": 1.0,
                      "counter_minutes": {"dist": "exponential", "mean": 5}}],
        "counters": {"windows": windows}, "interval_minutes": 60,
        "shifts": [{"name": "c", "role": "counter", "start": "09:00", "end": "19:00",
                    "count": 1}]}), encoding="utf-8")
    week = {"name": "hand", "hall": "hall.yaml",
            "staff": [{"name": n, "weekly_hours": [0, 60], "days_off": 0,
                       "max_consecutive_days": 7} for n in ["张三", "李四", "王五"][:people]],
            "roster": roster}
    if rules is not None:
        week["rules"] = rules
    path = tmp_path / "week.yaml"
    path.write_text(yaml.safe_dump(week, allow_unicode=True, sort_keys=False,
                                  default_flow_style=None), encoding="utf-8")
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        hallsim.load_week(path)
    return caught.value.messages


def line_of(path: Path, message: str) -> str:
    """The file's line a located message points at."""
    assert message.startswith(f"{path}:"), message
    return path.read_text(encoding="utf-8").splitlines()[int(message.split(":")[1]) - 1]


def test_a_too_short_and_a_too_long_shift_without_a_break_are_refused(tmp_path, capsys):
    """30 minutes (under the default 3 h), and 12 h (over 9 h) with no break (a shift over 6 h
    needs 30 min): validate and run exit 2, each message at the person's roster line."""
    path = write_week(tmp_path, {"mon": {"张三": {"start": "09:00", "end": "09:30"},
                                         "李四": {"start": "07:00", "end": "19:00"}}})
    found = errors(path)
    assert [m.split(": ", 2)[1:] for m in found] == [
        ["roster.mon.张三.end", "张三's shift on Monday (09:00-09:30) is 0.5 h long; "
                               "rules.min_shift_hours is 3 h"],
        ["roster.mon.李四.start", "李四 works 07:00-19:00 on Monday, outside the opening hours "
                                 "(09:00-19:00)"],
        ["roster.mon.李四.end", "李四's shift on Monday (07:00-19:00) is 12 h long; "
                               "rules.max_shift_hours is 9 h"],
        ["roster.mon.李四", "李四's shift on Monday (07:00-19:00) is over 6 h and needs a break "
                           "of at least 30 min (rules.break_rule)"]]
    assert "张三" in line_of(path, found[0]) and all("李四" in line_of(path, m) for m in found[1:])
    for command in (["validate", str(path)], ["run", str(path), "--reps", "1"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "rules.max_shift_hours is 9 h" in err and "Traceback" not in err
    assert main(["--lang", "zh", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "张三 在 周一 的班次（09:00-09:30）长 0.5 小时；rules.min_shift_hours 为 3 小时" in err


@pytest.mark.parametrize("cell, rules, expected", [
    ({"start": "09:00", "end": "17:00", "breaks": [{"at": "12:00", "minutes": 15}]}, None,
     "roster.mon.张三.breaks: 张三's shift on Monday (09:00-17:00) is over 6 h and needs a "
     "break of at least 30 min"),
    ({"start": "09:00", "end": "12:00", "breaks": [{"at": "11:45", "minutes": 30}]}, None,
     "roster.mon.张三.breaks[0]: 张三's break on Monday (11:45+30 min) must lie inside the "
     "shift 09:00-12:00"),
    ({"start": "09:30", "end": "13:30"}, {"start_times": ["09:00", "13:00"],
                                          "min_shift_hours": 3},
     "roster.mon.张三.start: 张三's shift on Monday starts at 09:30; rules.start_times allows "
     "09:00, 13:00"),
    ({"start": "09:00", "end": "17:00", "breaks": [{"at": "15:00", "minutes": 30}]},
     {"break_rule": {"over_hours": 6, "min_minutes": 30},
      "lunch": {"from": "11:30", "to": "13:30", "minutes": 30}},
     "roster.mon.张三.breaks: 张三's break on Monday must start in the lunch window "
     "11:30-13:00 (rules.lunch)"),
])
def test_each_shift_rule_is_held(tmp_path, cell, rules, expected):
    """Break length, breaks inside the shift, start times and the lunch window."""
    path = write_week(tmp_path, {"mon": {"张三": cell}}, rules)
    found = errors(path)
    assert any(expected in m for m in found), found
    assert all(m.startswith(f"{path}:") for m in found)


def test_more_staff_on_duty_than_windows(tmp_path):
    """Three on duty at 10:00 at a hall of two windows: named at the third person's cell;
    staggered breaks that keep it to two on duty at once are fine."""
    shift = {"start": "09:00", "end": "12:00"}
    path = write_week(tmp_path, {"mon": {"张三": shift, "李四": shift,
                                         "王五": {"start": "10:00", "end": "13:00"}}},
                      windows=2, people=3)
    assert [m.split(": ", 1)[1] for m in errors(path)] == [
        "roster.mon.王五: 3 counter staff are rostered on duty on Monday at 10:00; "
        "counters.windows allows 2"]
    path = write_week(tmp_path, {"mon": {
        "张三": {**shift, "breaks": [{"at": "10:00", "minutes": 60}]}, "李四": shift,
        "王五": {"start": "10:00", "end": "13:00", "breaks": [{"at": "11:00", "minutes": 60}]}}},
        windows=2, people=3)
    assert hallsim.load_week(path).roster["mon"]["王五"].start == 600


def test_a_roster_keeping_every_rule_loads(tmp_path):
    """3-9 h shifts in opening hours, the long one with its break: no error."""
    path = write_week(tmp_path, {d: {"张三": {"start": "09:00", "end": "17:00",
                                             "breaks": [{"at": "12:30", "minutes": 30}]},
                                     "李四": {"start": "15:00", "end": "19:00"}}
                                 for d in DAYS[:5]})
    week = hallsim.load_week(path)
    assert week.roster["fri"]["李四"].paid_minutes == 240


def test_the_written_week_names_the_rules_it_keeps(tmp_path, capsys):
    """Drafted with no rules anywhere, week.yaml's rules are the defaults used (3-9 h, 30 min
    break over 6 h), and the written file validates."""
    path = write_week(tmp_path, {}, people=1)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["roster"]
    data["staff"][0].update(weekly_hours=[8, 12], days_off=5)
    data["days"] = {d: {"closed": True} for d in DAYS[2:]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["staff", str(path), "--target", "wait_probability=0.5", "--reps", "2",
                 "--verify-days", "2", "--out", str(out)]) == 0
    written = yaml.safe_load((out / "week.yaml").read_text(encoding="utf-8"))
    assert written["rules"] == {"min_shift_hours": 3.0, "max_shift_hours": 9.0,
                                "break_rule": {"over_hours": 6.0, "min_minutes": 30.0}}
    capsys.readouterr()
    assert main(["validate", str(out / "week.yaml")]) == 0
    assert ": ok (" in capsys.readouterr().out


def test_a_set_that_breaks_the_roster_is_named(tmp_path):
    """The roster is checked again on the changed hall: one window for two people on duty."""
    from hallsim.week.command import load

    shift = {"start": "09:00", "end": "13:00"}
    path = write_week(tmp_path, {"mon": {"张三": shift, "李四": shift}})
    assert load(str(path), ["counters.windows=2"]).hall.counters.windows == 2
    with pytest.raises(ScenarioError) as caught:
        load(str(path), ["counters.windows=1"])
    assert caught.value.messages == [
        "--set counters.windows=1: roster.mon.李四: 2 counter staff are rostered on duty on "
        "Monday at 09:00; counters.windows allows 1"]


def test_a_gap_someone_is_free_to_fill_gets_them(tmp_path, monkeypatch):
    """With two replications the program leaves Saturday 10:00-11:00 short although two
    people could work there within every rule; after the verification such a gap gets one of
    them, the day is verified again, and no gap line is left where someone is free."""
    from hallsim.roster import fill
    from hallsim.week.contracts import roster_breaches
    from tests.test_roster import week_file

    closed = {d: {"closed": True} for d in ("wed", "thu", "fri", "sun")}
    path = week_file(tmp_path, [{"name": "a", "count": 5, "weekly_hours": [0, 16],
                                 "days_off": 2}], closed, hall={"rate": 20, "windows": 4})
    week = hallsim.load_week(path)
    settings = dict(reps=2, seed=1, verify_days=10)
    with monkeypatch.context() as patched:
        patched.setattr(fill, "MAX_FILLS", 0)
        before = hallsim.draft_roster(week, {"wait_probability": 0.3}, **settings)
    assert [(g.day, g.start, g.end, g.free) for g in before.gaps if g.free] == [
        ("sat", 600, 660, ("a 3", "a 5"))]
    after = hallsim.draft_roster(week, {"wait_probability": 0.3}, **settings)
    assert [g for g in after.gaps if g.free] == []
    assert after.paid_hours > before.paid_hours
    on_duty = [name for name, duty in after.roster["sat"].items()
               if duty is not None and duty.start <= 600 and duty.end >= 660]
    assert len(on_duty) > sum(1 for duty in before.roster["sat"].values()
                              if duty is not None and duty.start <= 600 and duty.end >= 660)
    scenarios = {wd.day: wd.scenario for wd in after.week.open_days}
    assert roster_breaches(after.week.model, after.roster, scenarios) == []


def test_the_filler_picks_who_covers_most_for_the_fewest_extra_hours():
    """A gap 10:00-12:00 on Monday: b (off) covers it all with 2 h more, a (on 08:00-09:00)
    only with 3 h more (08:00-12:00), c (1 h left) only half: b is put on 10:00-12:00. Filled
    again, a covers the gap most (c only half), so a's shift is lengthened."""
    from hallsim.roster import fill, problem
    from hallsim.roster.gaps import Gap
    from hallsim.week.people import Member
    from tests.test_roster import _day

    people = [Member("a", "counter", 0, 8, 0, 7, 0, "a"), Member("b", "counter", 0, 8, 0, 7, 1, "b"),
              Member("c", "counter", 0, 1, 0, 7, 2, "c")]
    day = _day("mon", 8 * 60, 12 * 60, [1, 1, 2, 2], 3)

    def duty(start: int, end: int):
        return problem.as_duty(next(c for c in day.candidates
                                    if (c.start, c.end) == (start * 60, end * 60)))

    roster = {"mon": {"a": duty(8, 9), "b": None, "c": None}}
    gap = Gap("mon", "counter", 600, 720, 2.0, (), "target", free=("a", "b", "c"))
    filled, changed = fill.cover(people, {"counter": {"mon": day}}, roster, [gap])
    assert changed == {"mon"} and roster["mon"]["b"] is None
    assert filled["mon"] == {"a": duty(8, 9), "b": duty(10, 12), "c": None}
    again, _changed = fill.cover(people, {"counter": {"mon": day}}, filled, [gap])
    assert again["mon"] == {"a": duty(8, 12), "b": duty(10, 12), "c": None}
