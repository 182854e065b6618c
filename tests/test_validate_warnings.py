"""validate warns about opening hours with no counter staff, more counter staff than windows,
and shifts outside opening hours; the summary counts the idle staff hours."""

import copy

import yaml

import hallsim
from hallsim.cli import main
from hallsim.scenario.coverage import plan_warnings, staff_beyond_windows, unstaffed_counters
from tests.helpers import tiny

MID = hallsim.load_scenario("scenarios/mid.yaml").to_dict()


def _gap_plan():
    """mid.yaml with counter_b leaving at 16:30 and counter_a from 17:00 to 18:00 only."""
    data = copy.deepcopy(MID)
    shifts = {s["name"]: s for s in data["shifts"]}
    shifts["counter_a"].update(start="17:00", end="18:00", breaks=[])
    shifts["counter_b"].update(end="16:30")
    return data


def test_unstaffed_stretches_merge_across_breaks_and_shift_ends():
    """Counter staff 09:00-10:00 with a break 09:30-09:45, then none until 11:00: two gaps."""
    sc = tiny(shifts=[
        {"name": "a", "role": "counter", "start": "09:00", "end": "10:00", "count": 2,
         "breaks": [{"at": "09:30", "minutes": 15}]},
        {"name": "b", "role": "counter", "start": "11:00", "end": "12:00", "count": 1},
        {"name": "g", "role": "triage", "start": "09:00", "end": "12:00", "count": 1}])
    assert unstaffed_counters(sc) == [(570.0, 585.0), (600.0, 660.0)]


def test_the_gap_is_named_and_validate_still_passes(tmp_path, capsys):
    """Nobody at the counters 16:30-17:00: a warning naming the times; exit 0, --strict 2."""
    path = tmp_path / "gap.yaml"
    path.write_text(yaml.safe_dump(_gap_plan(), allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(path), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "warning: no counter staff on the plan from 09:00 to 17:00" not in err
    assert f"{path}: warning: no counter staff on the plan from 16:30 to 17:00" in err
    assert main(["validate", str(path), "--strict", "--lang", "en"]) == 2


def test_shifts_outside_opening_hours_are_named():
    """A shift from 08:00 and one after closing are each named with their times."""
    data = copy.deepcopy(MID)
    data["shifts"].append({"name": "prep", "role": "preprocess", "start": "08:00",
                           "end": "10:00", "count": 1})
    data["shifts"].append({"name": "night", "role": "triage", "start": "18:00", "end": "20:00",
                           "count": 1})
    found = plan_warnings(hallsim.Scenario.from_dict(data))
    assert found == ["shift 'prep' (08:00-10:00) starts before the hall opens at 09:00",
                     "shift 'night' (18:00-20:00) lies outside opening hours (09:00-18:00)"]


def test_shipped_scenarios_warn_only_about_weekdays_ninth_counter_staff(capsys):
    """The shipped halls staff the counters all day; only weekday has, from 12:00 to 13:30,
    nine counter staff (early, midday, day, late) at its eight windows."""
    assert main(["validate", "--strict", "scenarios/peak.yaml", "scenarios/mid.yaml",
                 "scenarios/low.yaml"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["validate", "--strict", "scenarios/weekday.yaml", "--lang", "en"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "scenarios/weekday.yaml: warning: 9 counter staff on duty from 12:00 to 13:30 but only "
        "8 windows: 1 of them is paid with no window to serve at"]


def _idle_hall(**changes):
    """Two windows, two counter staff all morning and a part-timer 09:30-11:30 with a break
    10:00-10:30; no customers, so nobody is ever kept past a break or a shift end."""
    fields = dict(profile=[{"from": "09:00", "to": "12:00", "rate": 0}],
                  counters={"windows": 2},
                  shifts=[{"name": "c", "role": "counter", "start": "09:00", "end": "12:00",
                           "count": 2},
                          {"name": "part", "role": "counter", "start": "09:30", "end": "11:30",
                           "count": 1, "breaks": [{"at": "10:00", "minutes": 30}]}])
    fields.update(changes)
    return tiny(**fields)


def test_every_stretch_beyond_the_windows_is_named_with_staff_and_windows(tmp_path, capsys):
    """The part-timer's break splits the excess in two stretches; each names its times, the
    staff on duty and the windows; --strict fails."""
    sc = _idle_hall()
    assert staff_beyond_windows(sc) == [(570.0, 600.0, 3), (630.0, 690.0, 3)]
    path = tmp_path / "idle.yaml"
    path.write_text(yaml.safe_dump(sc.to_dict(), allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(path), "--lang", "en"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{path}: warning: 3 counter staff on duty from {start} to {end} but only 2 windows: "
        "1 of them is paid with no window to serve at"
        for start, end in (("09:30", "10:00"), ("10:30", "11:30"))]
    assert main(["validate", str(path), "--strict", "--lang", "zh"]) == 2
    assert "09:30 至 10:00 有 3 名营业员在岗，但只有 2 个窗口" in capsys.readouterr().err


def test_the_excess_stretches_merge_only_at_the_same_count():
    """Four staff then five at two windows: two stretches, each with its own count; a flex
    rule that can take counter staff elsewhere is mentioned."""
    sc = _idle_hall(shifts=[
        {"name": "c", "role": "counter", "start": "09:00", "end": "12:00", "count": 4},
        {"name": "x", "role": "counter", "start": "10:00", "end": "11:00", "count": 1},
        {"name": "g", "role": "triage", "start": "09:00", "end": "12:00", "count": 1}],
        flex=[{"from": "counter", "to": "triage", "queue_at_least": 4, "queue_at_most": 1}])
    assert staff_beyond_windows(sc) == [(540.0, 600.0, 4), (600.0, 660.0, 5), (660.0, 720.0, 4)]
    assert plan_warnings(sc)[1] == (
        "5 counter staff on duty from 10:00 to 11:00 but only 2 windows: 3 of them are paid "
        "with no window to serve at (unless a flex rule moves them to triage when that queue "
        "is long)")


def test_idle_staff_hours_count_the_staff_beyond_the_windows_minus_breaks():
    """1.5 h exactly: the part-timer's two hours less the half-hour break; 0 with a third
    window; a stable key of the summary in the staff window."""
    summary = hallsim.replicate(_idle_hall(), reps=2, seed=1).summary
    assert summary["metrics"]["idle_staff_hours"] == {"mean": 1.5, "ci95": 0.0}
    assert "idle_staff_hours" in summary["coverage"]["staff"]["metrics"]
    roomy = _idle_hall(counters={"windows": 3})
    assert hallsim.simulate(roomy, seed=1).summary["metrics"]["idle_staff_hours"]["mean"] == 0.0


def test_a_busy_part_timer_beyond_the_windows_is_idle_for_its_shift_and_the_customer_in_hand():
    """The issue's branch: five counter staff at four windows 11:30-13:30, every window busy.
    The extra person stands idle for the two hours, plus at most one 5-minute service after
    13:30 (whoever is still serving then finishes first)."""
    sc = tiny(hours={"open": "09:00", "close": "15:00"},
              profile=[{"from": "09:00", "to": "15:00", "rate": 60}], triage=None,
              services=[{"name": "a", "share": 1.0,
                         "counter_minutes": {"dist": "constant", "value": 5}}],
              counters={"windows": 4},
              shifts=[{"name": "c", "role": "counter", "start": "09:00", "end": "15:00",
                       "count": 4},
                      {"name": "part", "role": "counter", "start": "11:30", "end": "13:30",
                       "count": 1}])
    idle = hallsim.replicate(sc, reps=3, seed=2).runs["idle_staff_hours"]
    assert ((idle >= 2.0) & (idle <= 2.0 + 5 / 60 + 1e-9)).all(), list(idle)


def _flex_hall(breaks):
    """Three counter staff, two floor staff who flex to a counter whenever anyone queues and
    stay until nobody does, four windows, more customers than the counters can serve."""
    return tiny(profile=[{"from": "09:00", "to": "12:00", "rate": 60}], triage=None,
                services=[{"name": "a", "share": 1.0,
                           "counter_minutes": {"dist": "constant", "value": 5},
                           "preprocess": {"eligible": 0.5, "saves": 0.1,
                                          "minutes": {"dist": "constant", "value": 1}}}],
                counters={"windows": 4},
                shifts=[{"name": "c", "role": "counter", "start": "09:00", "end": "12:00",
                         "count": 3, "breaks": breaks},
                        {"name": "f", "role": "preprocess", "start": "09:00", "end": "12:00",
                         "count": 2}],
                flex=[{"from": "preprocess", "to": "counter", "queue_at_least": 1,
                       "queue_at_most": 0}])


def test_flex_fills_only_free_windows_but_can_keep_them_from_staff_back_from_a_break():
    """Floor staff flex in only while a window is free, so without breaks nobody is idle at a
    counter. With the counter staff's break, floor staff take their windows and keep them
    while the queue lasts: the counter staff back from the break stand idle. The plan
    never has more counter staff than windows (validate cannot know); the summary counts the
    idle time as it happened."""
    calm = _flex_hall(breaks=[])
    assert hallsim.simulate(calm, seed=3).summary["metrics"]["idle_staff_hours"]["mean"] == 0.0
    with_break = _flex_hall(breaks=[{"at": "10:00", "minutes": 30}])
    assert staff_beyond_windows(with_break) == []
    day = hallsim.simulate(with_break, seed=3)
    idle = day.summary["metrics"]["idle_staff_hours"]["mean"]
    # At most one (3 + 2 staff, 4 windows) from the break's end at 10:30 until the last
    # customer leaves (overtime: the hall closes with a queue).
    assert 0.0 < idle <= (day.records.end_time - 90) / 60
