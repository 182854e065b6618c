"""Capacity that drops to zero: every queue is sent on, served or turned away, never stranded."""

import hallsim

STRANDING = {
    "name": "stranding", "hours": {"open": "09:00", "close": "13:00"},
    "profile": [{"from": "09:00", "to": "13:00", "rate": 60}],
    "services": [{"name": "any", "share": 1.0,
                  "counter_minutes": {"dist": "exponential", "mean": 4},
                  "online_eligible": 0.3}],
    "triage": {"minutes": {"dist": "exponential", "mean": 1.0}, "divert_online": 0.5,
               "divert_self_service": 0.0, "self_select": 0.0},
    "counters": {"windows": 6},
    "patience": "none",
    "shifts": [{"name": "greeter", "role": "triage", "start": "09:00", "end": "10:00", "count": 1},
               {"name": "day", "role": "counter", "start": "09:00", "end": "13:00", "count": 5}],
    "flex": [{"from": "counter", "to": "triage", "queue_at_least": 2, "queue_at_most": 1}],
}


def test_flexed_greeter_going_back_sends_the_triage_queue_on():
    """Issue 9: a counter member flexed to triage returns with one customer still queueing;
    with patience none nobody may be reported abandoned and every staff member leaves."""
    sc = hallsim.Scenario.from_dict(STRANDING)
    for seed in range(6):  # seed 3 stranded a customer before the fix
        day = hallsim.simulate(sc, seed=seed)
        assert day.metrics["abandoned"] == 0, seed
        assert day.staff["left_at"].notna().all(), seed
        assert day.metrics["served_counter"] + day.metrics["diverted_online"] == \
            day.metrics["customers"], seed
