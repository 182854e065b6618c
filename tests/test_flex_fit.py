"""Staff who step in at the counters when the queue is long, read from a ticket log
(contract §7a, round trip): the base count, the people above it, the flex rule's threshold."""

from __future__ import annotations

import numpy as np
import pytest

from hallsim.calibration.flexfit import MAX_BUSY, MAX_QUEUE, Waiting, fit_flex, flex_sentences


def waiting(counts: list[dict[int, float]], by_queue: dict[int, float]) -> Waiting:
    """Slots with ``{clerks at work: minutes}`` while numbers waited, and the day's minutes
    with each queue length."""
    by_count = np.zeros((len(counts), MAX_BUSY + 1))
    for slot, held in enumerate(counts):
        for clerks, minutes in held.items():
            by_count[slot, clerks] = minutes
    queue = np.zeros(MAX_QUEUE + 1)
    for length, minutes in by_queue.items():
        queue[length] = minutes
    return Waiting(by_count.sum(axis=1), (by_count * np.arange(MAX_BUSY + 1)).sum(axis=1),
                   by_count, queue)


def test_a_clerk_above_the_base_all_day_becomes_a_flex_rule():
    """Four slots of 4 clerks with a fifth at work 40% of the waiting time: shifts of 4 (4.4
    rounded), one floor member, and a threshold where one person gives the 4 x 0.4 x 100
    minutes left over (over 2 days: 80 a day); 80 minutes a day have 6 or more waiting."""
    seen = waiting([{4: 60.0, 5: 40.0}] * 4,
                   {0: 200.0, 3: 100.0, 5: 80.0, 6: 60.0, 8: 100.0})
    staff = np.full(4, 4)
    flex = fit_flex(seen, np.ones(4, dtype=bool), staff, days=2)
    assert flex is not None and flex.written
    assert (flex.people, flex.share) == (1, 1.0)
    assert flex.minutes == pytest.approx(80.0)
    assert (flex.at_least, flex.at_most) == (6, 5)        # 60 + 100 minutes over 2 days = 80


def test_a_fixed_plan_shows_no_flex():
    """Whole clerks in every slot, a change of shift in one: nobody steps in."""
    seen = waiting([{4: 100.0}, {4: 100.0}, {3: 30.0, 5: 70.0}, {5: 100.0}], {2: 400.0})
    assert fit_flex(seen, np.ones(4, dtype=bool), np.array([4, 4, 4, 5]), days=1) is None
    assert flex_sentences(None) == []


def test_flex_the_shifts_already_carry_is_not_written():
    """Someone above the base all day, but the rounded shifts already give those minutes
    (4.6 rounds to 5): seen and said, no rule written."""
    seen = waiting([{4: 40.0, 5: 60.0}] * 3, {1: 300.0})
    flex = fit_flex(seen, np.ones(3, dtype=bool), np.full(3, 5), days=1)
    assert flex is not None and not flex.written
    said = flex_sentences(flex)
    assert "no flex rule is written" in said[1]
    assert len(said) == 2 and not any("floor staff" in s for s in said)   # none were written


def test_two_people_above_the_base():
    """A base of 8 with 9 and 10 each held for a good share: two floor members."""
    seen = waiting([{8: 30.0, 9: 40.0, 10: 30.0}] * 2, {10: 100.0, 20: 20.0})
    flex = fit_flex(seen, np.ones(2, dtype=bool), np.full(2, 8), days=1)
    assert flex is not None and flex.people == 2
    assert flex.minutes == pytest.approx(200.0)
