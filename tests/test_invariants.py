"""Invariants of every simulated day, over many days of every shipped scenario and plan."""

from pathlib import Path

import numpy as np
import pytest

from hallsim import load_scenario
from hallsim.exercise.challenge import load_challenge, load_plan
from hallsim.model import hall as h
from hallsim.model.population import draw_population
from hallsim.model.streams import Streams
from hallsim.results.records import record_day
from hallsim.runs.simulation import run_day


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


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_day_invariants(name):
    """Queues never go negative, busy windows never exceed windows, everyone leaves by the
    model's own rules (none stranded when events run out)."""
    sc = SCENARIOS[name]
    for k in range(12):
        hall = h.Hall(sc, draw_population(sc, Streams(1, k))).run()
        assert hall.stranded == 0  # nobody left in a queue when events ran out
        day = record_day(sc, hall)
        c = day.customers
        for key in (h.QUEUE_COUNTER, h.QUEUE_TRIAGE, h.QUEUE_KIOSK, h.QUEUE_PRE, h.KIOSKS_BUSY):
            values = day.level(key)[1]
            assert (values >= 0).all(), (name, k, key)
            assert len(values) == 0 or values[-1] == 0
        busy = day.level(h.BUSY_WINDOWS)[1]
        assert busy.max(initial=0) <= sc.counters.windows
        assert day.level(h.KIOSKS_BUSY)[1].max(initial=0) <= sc.self_service.kiosks
        assert np.isfinite(c.departure).all() and (c.departure >= c.arrival).all()
        assert (c.wait >= 0).all()
        np.testing.assert_allclose(c.wait, c.wait_triage + c.wait_kiosk + c.wait_counter)
        assert (c.pre_minutes <= c.wait + 1e-9).all()  # pre-processing happens while waiting


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_fast_paths_change_nothing(name, monkeypatch):
    """With every dispatch shortcut off, each day's records are identical, field by field."""
    import dataclasses

    from hallsim.model import hall as hall_module

    sc = SCENARIOS[name]
    fast = [run_day(sc, 3, k).records for k in range(6)]
    original = hall_module.Hall.__init__

    def slow_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self._fast = False

    monkeypatch.setattr(hall_module.Hall, "__init__", slow_init)
    slow = [run_day(sc, 3, k).records for k in range(6)]
    for a, b in zip(fast, slow, strict=True):
        for field in dataclasses.fields(a.customers):
            np.testing.assert_array_equal(getattr(a.customers, field.name),
                                          getattr(b.customers, field.name), err_msg=field.name)
        assert a.staff.equals(b.staff)
        np.testing.assert_array_equal(a.trace, b.trace)
