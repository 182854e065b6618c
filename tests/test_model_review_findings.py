"""Findings of a model review, pinned: same-instant order and what the invariant checker
must catch."""

import math

import pytest

from hallsim.model import hall as H
from hallsim.model.dispatch import Dispatcher
from hallsim.model.invariants import InvariantViolation, run_checked
from hallsim.model.routing import TO_TRIAGE, DoorRouting

from .helpers import population, run, tiny
from .test_zones import counter_shift, zoned

GREETER = {"name": "g", "role": "triage", "start": "09:00", "end": "12:00", "count": 1}


@pytest.mark.parametrize("w", [2.0, 6.0])
def test_booking_arriving_at_slot_as_window_frees_is_called_first(w):
    """The only window frees at minute 10, the booking's slot and arrival; a walk-in (at
    minute ``w``) waits. The booking is called at 10 whether the completion's timer was
    created before the booking's arrival timer (w = 6: service from 5) or after (w = 2):
    arrivals come first at their instant."""
    pop = population([0, 1, w, 10], booked=[0, 0, 0, 1], slot=[math.nan] * 3 + [10])
    assert run(tiny(), pop).customers.counter_start[3] == 10.0


def test_checker_sees_clerk_serving_through_break(monkeypatch):
    """A hall whose roster lost the breaks serves through the planned break 09:30-10:30:
    the checker reads the break from the scenario."""
    real = H.roster
    monkeypatch.setattr(H, "roster", lambda sc, g: [setattr(s, "breaks", []) or s
                                                    for s in real(sc, g)])
    sc = tiny(shifts=[{**counter_shift(), "breaks": [{"at": "09:30", "minutes": 60}]}])
    with pytest.raises(InvariantViolation, match="in their break"):
        run_checked(H.Hall(sc, population([float(m) for m in range(0, 170, 7)])))


def test_checker_passes_a_break_taken_late():
    """The same break taken after the customer in hand (busy at 09:30) is no violation."""
    sc = tiny(shifts=[{**counter_shift(), "breaks": [{"at": "09:30", "minutes": 60}]}])
    run_checked(H.Hall(sc, population([float(m) for m in range(0, 170, 7)])))


def test_checker_sees_tickets_turned_away_while_group_staffed():
    hall = H.Hall(tiny(), population([1.0, 2.0, 3.0]))
    hall.lane_of[0].closed = True
    with pytest.raises(InvariantViolation, match="closed while staff"):
        run_checked(hall)


def test_checker_sees_booking_sent_to_greeter():
    class Greets(DoorRouting):
        def at_door(self, i):
            return TO_TRIAGE

    pop = population([1.0, 2.0], booked=[0, 1], slot=[math.nan, 5.0])
    with pytest.raises(InvariantViolation, match="who booked"):
        run_checked(H.Hall(tiny(shifts=[counter_shift(), GREETER]), pop, routing=Greets))


def test_checker_sees_flexed_clerk_kept_past_queue_at_most(monkeypatch):
    """g flexes to business at 3 waiting and must go back at 2: a dispatcher that never
    sees the queue short keeps them there, and the checker counts the queue itself."""
    sc = zoned([{"name": "general", "windows": 1, "calls": ["a"]},
                {"name": "business", "windows": 2, "calls": ["vip"]}],
               [counter_shift("g", group="general"), counter_shift("b", group="business")],
               flex=[{"from": "counter.general", "to": "counter.business",
                      "queue_at_least": 3, "queue_at_most": 2}])
    pop = population([0, .1, .2, .3, .4, 5], service=[1] * 5 + [0], counter_minutes_drawn=10.0)
    assert run(sc, pop).customers.counter_start[5] == pytest.approx(10.3)   # g back at 10.3
    run_checked(H.Hall(sc, pop))
    monkeypatch.setattr(Dispatcher, "waiting", lambda self, post: 10**9)   # never goes back
    with pytest.raises(InvariantViolation, match="queue_at_most"):
        run_checked(H.Hall(sc, pop))
