"""validate warns about opening hours with no counter staff and shifts outside opening hours."""

import copy

import yaml

import hallsim
from hallsim.cli import main
from hallsim.scenario.coverage import plan_warnings, unstaffed_counters
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


def test_shipped_scenarios_have_no_warnings(capsys):
    """The shipped halls staff the counters all day: --strict passes."""
    files = ["scenarios/weekday.yaml", "scenarios/peak.yaml", "scenarios/mid.yaml",
             "scenarios/low.yaml"]
    assert main(["validate", "--strict", *files]) == 0
    assert "warning" not in capsys.readouterr().err
