"""Review of the busy-zone model (contract section 9): defects found, each as a small
failing test."""

import math

import pytest

from .helpers import population, run, tiny
from .test_zones import counter_shift, zoned


def test_order_rule_calls_a_booking_past_its_slot_before_walk_ins():
    """Contract 9: from the slot on, a booked customer is called before walk-ins of the
    groups that call the service, whatever the group's rule (calling.py: 'Booked customers
    past their slot are called before any rule is asked'). A group with rule order calling
    [vip, a]: the booked 'a' customer (slot 09:02, waiting from 09:01) must be called at
    09:05 ahead of the vip walk-in who came at 09:03."""
    sc = zoned([{"name": "z", "windows": 1, "calls": ["vip", "a"], "rule": "order"}],
               [counter_shift("v", group="z")])
    pop = population([0.0, 1.0, 3.0], service=[1, 0, 1], priority=[0, 1, 0],
                     booked=[False, True, False], slot=[math.nan, 2.0, math.nan])
    c = run(sc, pop).customers
    assert c.counter_start.tolist() == [0.0, 5.0, 10.0]


def _three_services():
    services = [{"name": name, "share": share, "priority": prio,
                 "counter_minutes": {"dist": "constant", "value": 5}}
                for name, share, prio in (("a", 0.4, 1), ("vip", 0.3, 0), ("b", 0.3, 1))]
    return tiny(services=services, triage=None, counters={"windows": 2, "groups": [
        {"name": "G1", "windows": 1, "calls": ["a", "vip"]},
        {"name": "G2", "windows": 1, "calls": ["b"]}]},
        shifts=[counter_shift("f", groups=["G1", "G2"])])


def test_a_floater_sees_the_longest_waiting_ticket_behind_a_more_urgent_class():
    """Contract 9: a floater sits 'at whichever of its groups has the longest-waiting
    ticket'. At 09:10 G1 holds the oldest ticket ('a', taken 09:01) behind a later VIP
    ticket (09:03); G2 holds 'b' (09:02). The floater must go to G1 (calling the VIP there
    by G1's ticket rule), not to G2: best_group compares only each lane's head, which is
    the most urgent class, not the oldest ticket."""
    pop = population([0.0, 1.0, 2.0, 3.0], service=[0, 0, 2, 1], priority=[1, 1, 1, 0],
                     counter_minutes_drawn=[10.0, 5.0, 5.0, 5.0])
    c = run(_three_services(), pop).customers
    assert c.window.tolist()[3] == 0 and c.counter_start.tolist()[3] == 10.0


def test_a_booking_is_called_first_when_a_window_frees_at_its_slot_instant():
    """Same-instant race: a window frees at 09:05, exactly the booked customer's slot; from
    the slot on the booking is called before walk-ins, so it is called at 09:05. (The slot
    timer, armed when the booking arrived, fires after the service end armed earlier.)"""
    pop = population([0.0, 1.0, 2.0], booked=[False, False, True],
                     slot=[math.nan, math.nan, 5.0])
    c = run(tiny(), pop).customers
    assert c.counter_start.tolist() == [0.0, 10.0, 5.0]


def test_adding_an_appointment_ahead_in_the_list_leaves_the_other_bookings_unchanged():
    """MODELLING.md: streams keyed 'by purpose and by who, not by position'. Bookings draw
    from streams named booking:{k}:..., k being the appointment's place in the list, so
    putting a new appointment first reshuffles the show and punctuality draws of every
    booking of the old one (walk-ins are unaffected). Low severity: common random numbers
    between two booking plans are lost."""
    import numpy as np

    from hallsim.model.population import draw_population
    from hallsim.model.streams import Streams
    vip = {"service": "vip", "slots": {"from": "09:00", "to": "11:30", "every": 10},
           "show": 0.7, "punctuality": {"dist": "uniform", "low": -10, "high": 5}}
    extra = {"service": "a", "slots": {"from": "10:00", "to": "11:00", "every": 30},
             "show": 1.0, "punctuality": {"dist": "constant", "value": 0}}
    one, two = tiny(appointments=[vip]), tiny(appointments=[extra, vip])
    a, b = draw_population(one, Streams(2, 0)), draw_population(two, Streams(2, 0))
    mine = b.booked & (b.service == 1)
    np.testing.assert_array_equal(a.arrival[a.booked], b.arrival[mine])


# ------------------------------------------- the invariant checker sees each defect class
def _order_rule_hall():
    sc = zoned([{"name": "z", "windows": 1, "calls": ["vip", "a"], "rule": "order"}],
               [counter_shift("v", group="z")])
    return sc, population([0.0, 1.0, 3.0], service=[1, 0, 1], priority=[0, 1, 0],
                          booked=[False, True, False], slot=[math.nan, 2.0, math.nan])


def _slot_instant_hall():
    return tiny(), population([0.0, 1.0, 2.0], booked=[False, False, True],
                              slot=[math.nan, math.nan, 5.0])


def _floater_hall():
    return _three_services(), population([0.0, 1.0, 2.0, 3.0], service=[0, 0, 2, 1],
                                         priority=[1, 1, 1, 0],
                                         counter_minutes_drawn=[10.0, 5.0, 5.0, 5.0])


def _bookings_left_to_the_rule(monkeypatch):
    from hallsim.model.dispatch import Dispatcher
    monkeypatch.setattr(Dispatcher, "next_lane", lambda self, group: group.rule.choose(group))


def _promoted_after_the_slot_instant(monkeypatch):
    """The slot timer's race: a booking is ahead only after the events of its slot instant."""
    from heapq import heappop

    from hallsim.model.bookings import Bookings

    def catch_up(self):
        waiting = self._before_slot
        while waiting and waiting[0][0] < self._env.now:
            _, ticket, i, lane = heappop(waiting)
            lane.promote(i, ticket)
    monkeypatch.setattr(Bookings, "catch_up", catch_up)


def _floaters_compare_lane_heads(monkeypatch):
    from hallsim.model.queues import TicketQueue
    monkeypatch.setattr(TicketQueue, "oldest", lambda self: self.head()[1])


@pytest.mark.parametrize("hall, defect, message", [
    (_order_rule_hall, _bookings_left_to_the_rule, "a booking past its slot"),
    (_slot_instant_hall, _promoted_after_the_slot_instant, "a booking past its slot"),
    (_floater_hall, _floaters_compare_lane_heads, "older ticket"),
])
def test_the_invariant_checker_reports_each_defect_class(hall, defect, message, monkeypatch):
    """Invariant 4 (calls follow the rules) holds on each review hall, and reports the
    defect when it is put back: a booking past its slot called after a walk-in (by the rule,
    or at the slot instant), a floater sitting where the lane heads are, not the oldest
    ticket. (Stream keys are a property of the draws, pinned by the test above.)"""
    from hallsim.model.hall import Hall
    from hallsim.model.invariants import InvariantViolation, run_checked
    sc, pop = hall()
    run_checked(Hall(sc, pop))
    defect(monkeypatch)
    with pytest.raises(InvariantViolation, match=message):
        run_checked(Hall(sc, pop))


def test_group_utilisation_is_over_the_day_not_until_the_last_stale_timer():
    """A group's utilisation is its busy window-minutes over its window-minutes from opening
    to the later of closing and the last leaving: two 5-minute services at one window of a
    09:00-12:00 hall are 10/180, although a patience timer of 500 minutes, armed for a
    customer served long before, is the day's last event."""
    from hallsim.results.metrics import day_metrics
    sc = zoned([{"name": "z", "windows": 1, "calls": ["*"]}], [counter_shift("v", group="z")])
    day = run(sc, population([0.0, 1.0], patience=500.0))
    assert day.end_time > 500
    assert day_metrics(day, sc)["groups.z.utilisation"] == 10 / 180
