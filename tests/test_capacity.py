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


def test_customers_after_the_last_counter_shift_are_turned_away_and_counted():
    """Counter staff all leave at 11:00 of a 09:00-12:00 day: the customers then waiting or
    arriving are turned away (never abandoned), and they count in customers, the outcome
    shares, the intervals and the customers frame."""
    data = {
        "name": "gap", "hours": {"open": "09:00", "close": "12:00"},
        "profile": [{"from": "09:00", "to": "12:00", "rate": 40}],
        "services": [{"name": "any", "share": 1.0,
                      "counter_minutes": {"dist": "exponential", "mean": 5}}],
        "counters": {"windows": 3},
        "patience": {"dist": "exponential", "mean": 20},
        "shifts": [{"name": "c", "role": "counter", "start": "09:00", "end": "11:00",
                    "count": 3}],
    }
    day = hallsim.simulate(hallsim.Scenario.from_dict(data), seed=2)
    m = day.metrics
    assert m["turned_away"] > 10
    assert m["customers"] == m["served_counter"] + m["abandoned"] + m["turned_away"]
    frame = day.customers
    gone = day.staff["left_at"].max()  # the last counter member, after their last customer
    assert 120 <= gone < 180
    late = frame["arrival_min"] >= gone
    assert late.sum() > 10 and (frame.loc[late, "outcome"] == "turned_away").all()
    assert (frame.loc[late, "wait_min"] == 0).all()
    assert (frame["outcome"] == "turned_away").sum() == m["turned_away"]
    assert day.intervals["turned_away"].sum() == m["turned_away"]
    assert day.intervals.loc[day.intervals["start"] >= "11:30", "turned_away"].gt(0).all()
    # Abandonment needs patience running out in a queue someone could still serve.
    assert (frame.loc[frame["outcome"] == "abandoned", "departure_min"] <= gone).all()
