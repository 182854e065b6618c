"""Findings of a model review, pinned: same-instant order and what the invariant checker
must catch."""

import math

import pytest

from .helpers import population, run, tiny


@pytest.mark.parametrize("w", [2.0, 6.0])
def test_booking_arriving_at_slot_as_window_frees_is_called_first(w):
    """The only window frees at minute 10, the booking's slot and arrival; a walk-in (at
    minute ``w``) waits. The booking is called at 10 whether the completion's timer was
    created before the booking's arrival timer (w = 6: service from 5) or after (w = 2):
    arrivals come first at their instant."""
    pop = population([0, 1, w, 10], booked=[0, 0, 0, 1], slot=[math.nan] * 3 + [10])
    assert run(tiny(), pop).customers.counter_start[3] == 10.0
