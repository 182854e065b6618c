"""Invariants of every simulated day, over many days of every shipped scenario and plan."""

from pathlib import Path

import numpy as np
import pytest

from hallsim import hall as h
from hallsim import load_scenario
from hallsim.challenge import load_challenge, load_plan
from hallsim.simulation import run_day
from hallsim.timeweighted import series


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


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_day_invariants(name):
    """Queues never go negative, busy windows never exceed windows or staff, everyone leaves."""
    sc = SCENARIOS[name]
    for k in range(12):
        day = run_day(sc, 1, k).records
        c, trace = day.customers, day.trace
        for key in (h.QUEUE_COUNTER, h.QUEUE_TRIAGE, h.QUEUE_KIOSK, h.QUEUE_PRE):
            values = series(trace, key)[1]
            assert (values >= 0).all(), (name, k, key)
            assert len(values) == 0 or values[-1] == 0
        busy_t, busy = series(trace, h.BUSY_WINDOWS)
        assert busy.max(initial=0) <= sc.counters.windows
        assert np.isfinite(c.departure).all() and (c.departure >= c.arrival).all()
        assert (c.wait >= 0).all()
        np.testing.assert_allclose(c.wait, c.wait_triage + c.wait_kiosk + c.wait_counter)
        assert (c.pre_minutes <= c.wait + 1e-9).all()  # pre-processing happens while waiting
