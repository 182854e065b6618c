"""Invariants of every simulated day, checked after every event of every shipped scenario."""

from pathlib import Path

import numpy as np
import pytest

from hallsim import load_scenario
from hallsim.exercise.challenge import load_challenge, load_plan
from hallsim.model.codes import Level
from hallsim.model.hall import Hall
from hallsim.model.invariants import InvariantViolation, run_checked
from hallsim.model.population import draw_population
from hallsim.model.streams import Streams
from hallsim.results.records import record_day


def _shipped():
    for path in sorted(Path("scenarios").glob("*.yaml")):
        yield path.stem, load_scenario(path)
    for path in sorted(Path("scenarios/exercise").glob("*.yaml")):
        if ".reference" in path.name:
            continue
        challenge = load_challenge(path)
        yield path.stem, challenge.scenario
        yield f"{path.stem}-reference", load_plan(challenge, challenge.reference_path).scenario


SCENARIOS = dict(_shipped())
# A stress case: flex in several directions, more staff than windows, one kiosk, impatience.
SCENARIOS["stress"] = load_scenario("scenarios/weekday.yaml").with_changes({
    "counters.windows": 6, "self_service.kiosks": 1, "load_factor": 1.3,
    "patience": {"dist": "exponential", "mean": 15},
    "flex": [{"from": "preprocess", "to": "counter", "queue_at_least": 4, "queue_at_most": 1},
             {"from": "counter", "to": "triage", "queue_at_least": 3, "queue_at_most": 0},
             {"from": "triage", "to": "preprocess", "queue_at_least": 2, "queue_at_most": 0}],
})


def test_every_shipped_scenario_is_checked():
    """All shipped scenarios and exercise plans (with their reference plans) are in the list."""
    assert len(SCENARIOS) == len(list(Path("scenarios").glob("*.yaml"))) + \
        len(list(Path("scenarios/exercise").glob("*.yaml"))) + 1


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_invariants_hold_after_every_event(name):
    """Stepping a day event by event, every invariant holds after each event and everybody
    has left at the end (InvariantViolation or StrandedCustomers otherwise)."""
    sc = SCENARIOS[name]
    checker = run_checked(Hall(sc, draw_population(sc, Streams(1, 0))))
    assert checker.checks > 100


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_day_levels_are_sane(name):
    """Over many days: queues never negative and empty at the end, capacity respected,
    waits add up, pre-processing happens while waiting."""
    sc = SCENARIOS[name]
    for k in range(5):
        day = record_day(sc, Hall(sc, draw_population(sc, Streams(1, k))).run())
        c = day.customers
        for key in (Level.QUEUE_COUNTER, Level.QUEUE_TRIAGE, Level.QUEUE_KIOSK, Level.QUEUE_PRE,
                    Level.KIOSKS_BUSY):
            values = day.level(key)[1]
            assert (values >= 0).all(), (name, k, key)
            assert len(values) == 0 or values[-1] == 0
        assert day.level(Level.BUSY_WINDOWS)[1].max(initial=0) <= sc.counters.windows
        assert day.level(Level.KIOSKS_BUSY)[1].max(initial=0) <= sc.self_service.kiosks
        assert np.isfinite(c.departure).all() and (c.departure >= c.arrival).all()
        assert (c.wait >= 0).all()
        np.testing.assert_allclose(c.wait, c.wait_triage + c.wait_kiosk + c.wait_counter)
        assert (c.pre_minutes <= c.wait + 1e-9).all()
        assert day.staff["left_at"].notna().all() and day.staff["overtime_min"].notna().all()


def test_the_checker_catches_a_broken_queue():
    """A customer struck off the counter queue behind the model's back is reported."""
    sc = SCENARIOS["weekday"]
    hall = Hall(sc, draw_population(sc, Streams(1, 0)))
    from hallsim.model.invariants import Checker

    checker = Checker(hall)
    hall.start()
    lane = hall.counters.lanes[0]
    while not len(lane):
        hall.env.step()
    checker.check()
    lane.remove(lane.members()[0])
    with pytest.raises(InvariantViolation, match="counter lane"):
        checker.check()
