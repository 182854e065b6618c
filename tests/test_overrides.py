"""Dotted overrides and ``with_changes``."""

import pytest

import hallsim
from hallsim import ScenarioError
from hallsim.scenario.overrides import parse_assignment


@pytest.fixture(scope="module")
def weekday():
    return hallsim.load_scenario("scenarios/weekday.yaml")


def test_with_changes_sets_nested_fields_and_named_list_items(weekday):
    """counters.windows, loads.peak, shifts.<name>.count and services.<name>.share all work."""
    sc = weekday.with_changes({"counters.windows": 6, "loads.peak": 140,
                               "shifts.early.count": 4, "services.vip.share": 0.03,
                               "services.repair_complaint.share": 0.17})
    assert sc.counters.windows == 6
    assert sc.loads["peak"] == 140
    assert [s.count for s in sc.shifts if s.name == "early"] == [4]
    assert weekday.counters.windows == 8  # the original is untouched


def test_override_of_unknown_list_item_names_the_choices(weekday):
    """A list item that does not exist is refused, listing those that do."""
    with pytest.raises(ScenarioError, match="no item named 'lunch'.*early"):
        weekday.with_changes({"shifts.lunch.count": 2})


def test_invalid_override_is_located_and_marked(weekday):
    """An override that breaks a rule says so, pointing at the field."""
    with pytest.raises(ScenarioError, match=r"counters\.windows: .* \(value set by an override\)"):
        weekday.with_changes({"counters.windows": 0})


@pytest.mark.parametrize("text, path, value", [("counters.windows=6", "counters.windows", 6),
                                               ("patience=none", "patience", "none"),
                                               ("hours.open=\"08:30\"", "hours.open", "08:30"),
                                               ("load_factor=1.3", "load_factor", 1.3)])
def test_parse_assignment_reads_values_as_yaml(text, path, value):
    """--set values are YAML: numbers are numbers, words are strings."""
    assert parse_assignment(text) == (path, value)


def test_parse_assignment_needs_an_equals_sign():
    """A --set without '=' is bad input."""
    with pytest.raises(ScenarioError, match="PATH=VALUE"):
        parse_assignment("counters.windows")


def test_patience_none_means_nobody_abandons(weekday):
    """patience: none (the word) switches abandonment off."""
    day = hallsim.simulate(weekday.with_changes({"patience": "none"}), seed=1)
    assert day.metrics["abandoned"] == 0
