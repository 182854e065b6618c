"""Unknown keys: a hint only from the keys allowed where the typo is, and those keys listed."""

import copy

import pytest

import hallsim
from hallsim import ScenarioError
from hallsim.exercise.challenge import PlanFile
from hallsim.scenario import loading

BASE = hallsim.load_scenario("scenarios/mid.yaml").to_dict()


def _error(change) -> str:
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(ScenarioError) as caught:
        hallsim.Scenario.from_dict(data)
    return str(caught.value)


def test_a_typo_in_a_service_is_matched_against_a_services_keys():
    """'shares' in a service: did you mean 'share', and the service's keys are listed."""
    message = _error(lambda d: d["services"][0].update(shares=d["services"][0].pop("share")))
    assert ('services[0].shares: unknown key "shares" (did you mean \'share\'?); allowed here: '
            "name, label, share, counter_minutes, self_service, preprocess, online_eligible, "
            "priority"
            in message)


def test_no_hint_from_another_section():
    """'kiosks' under counters is not 'did you mean kiosks' (a self_service key): only windows."""
    message = _error(lambda d: d["counters"].update(kiosks=4))
    assert 'counters.kiosks: unknown key "kiosks"; allowed here: windows' in message
    assert "did you mean" not in message


def test_a_distribution_typo_is_matched_against_that_distributions_keys():
    """'cvv' in a lognormal: did you mean 'cv', from dist, mean and cv only."""
    def change(d):
        d["services"][0]["counter_minutes"] = {"dist": "lognormal", "mean": 3.0, "cvv": 0.5}
    assert "unknown key \"cvv\" (did you mean 'cv'?); allowed here: dist, mean, cv" in _error(change)


def test_a_plan_lists_what_it_may_hold():
    """A plan with 'counters:' hears which keys a plan holds, not a scenario key."""
    data = {"shifts": [{"name": "a", "role": "counter", "start": "09:00", "end": "12:00",
                        "count": 1}], "counters": {"windows": 20}}
    with pytest.raises(ScenarioError) as caught:
        loading.validate(PlanFile, data, "plan.yaml")
    message = str(caught.value)
    assert 'counters: unknown key "counters"; allowed here: team, shifts, flex' in message
    assert "did you mean" not in message
