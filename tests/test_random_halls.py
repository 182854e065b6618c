"""Random valid halls (Hypothesis): every day ends cleanly and the shortcuts change nothing."""

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings

from hallsim import Scenario
from hallsim.model import hall as h
from hallsim.model.population import draw_population
from hallsim.model.streams import Streams
from hallsim.results.records import record_day

from .strategies import halls


def _day(sc, fast: bool):
    hall = h.Hall(sc, draw_population(sc, Streams(7, 0)))
    hall._fast = fast
    hall.run()
    assert hall.stranded == 0  # everyone left by the model's own rules
    return record_day(sc, hall)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=halls())
def test_random_hall_invariants_and_exact_shortcuts(data):
    """Queues never negative, capacity respected, everyone leaves, fast == full dispatch."""
    sc = Scenario.from_dict(data)
    fast, slow = _day(sc, True), _day(sc, False)
    c = fast.customers
    assert np.isfinite(c.departure).all() and (c.departure >= c.arrival).all()
    np.testing.assert_allclose(c.wait, c.wait_triage + c.wait_kiosk + c.wait_counter)
    for key in (h.QUEUE_COUNTER, h.QUEUE_TRIAGE, h.QUEUE_KIOSK, h.QUEUE_PRE):
        assert (fast.level(key)[1] >= 0).all()
    assert fast.level(h.BUSY_WINDOWS)[1].max(initial=0) <= sc.counters.windows
    assert fast.level(h.KIOSKS_BUSY)[1].max(initial=0) <= sc.self_service.kiosks
    # Served customers were served by somebody at work at a counter.
    served = c.outcome == h.SERVED_COUNTER
    assert (c.counter_start[served] >= c.arrival[served]).all()
    for field in dataclasses.fields(c):
        np.testing.assert_array_equal(getattr(c, field.name), getattr(slow.customers, field.name),
                                      err_msg=field.name)
    assert fast.staff.equals(slow.staff)
