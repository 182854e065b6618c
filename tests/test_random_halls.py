"""Random valid halls (Hypothesis): invariants after every event, nobody stranded, and the
dispatcher's fast paths change nothing.

CI replays a fixed set of 200 examples; ``HALLSIM_SLOW=1`` explores 5,000 (see README).
"""

import dataclasses
import os

import numpy as np
from hypothesis import HealthCheck, given, settings

from hallsim import Scenario
from hallsim.model.codes import Outcome
from hallsim.model.hall import Hall
from hallsim.model.invariants import run_checked
from hallsim.model.population import draw_population
from hallsim.model.streams import Streams
from hallsim.results.records import record_day

from .strategies import halls

EXAMPLES = 5000 if os.environ.get("HALLSIM_SLOW") else 200


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=halls())
def test_random_hall_invariants_and_exact_shortcuts(data):
    """Every invariant holds after every event, everybody leaves, nobody abandons without
    patience, no leave time is missing, and full dispatch gives identical records."""
    sc = Scenario.from_dict(data)
    pop = draw_population(sc, Streams(7, 0))
    hall = Hall(sc, pop)
    run_checked(hall)
    fast = record_day(sc, hall)
    slow_hall = Hall(sc, pop)
    slow_hall.dispatcher.fast = False
    slow = record_day(sc, slow_hall.run())
    c = fast.customers
    if sc.patience is None:
        assert not (c.outcome == Outcome.ABANDONED).any()
    assert np.isfinite(c.departure).all() and (c.departure >= c.arrival).all()
    np.testing.assert_allclose(c.wait, c.wait_triage + c.wait_kiosk + c.wait_counter)
    assert fast.staff["left_at"].notna().all() and fast.staff["overtime_min"].notna().all()
    for field in dataclasses.fields(c):
        np.testing.assert_array_equal(getattr(c, field.name), getattr(slow.customers, field.name),
                                      err_msg=field.name)
    assert fast.staff.equals(slow.staff)
