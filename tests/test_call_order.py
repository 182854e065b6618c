"""Who is called first, read from the order of calls in a ticket log: a priority class
becomes ``priority: 0``; services called out of order both ways are counter groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hallsim.calibration.calls import call_order, call_sentences


def tickets(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    """Served tickets (service, issued, called) in minutes after 09:00 on 2 March 2026."""
    base = pd.Timestamp("2026-03-02 09:00")
    service, issued, called = zip(*rows, strict=True)
    return pd.DataFrame({
        "service": list(service),
        "issued": [base + pd.Timedelta(minutes=m) for m in issued],
        "called": [base + pd.Timedelta(minutes=m) for m in called],
        "served": np.ones(len(rows), dtype=bool)})


def queue(n: int, vip_every: int = 0) -> list[tuple[str, float, float]]:
    """A queue that keeps growing: a ticket a minute, a call every two minutes, in ticket
    order, except that every ``vip_every``-th ticket is a VIP called first."""
    rows, waiting, now = [], [], 0.0
    for k in range(n):
        vip = vip_every and k % vip_every == vip_every - 1
        waiting.insert(0, ("vip", float(k))) if vip else waiting.append(("plain", float(k)))
        if k % 2 == 1:
            now = float(k) + 0.5
            service, issued = waiting.pop(0)
            rows.append((service, issued, now))
    for service, issued in waiting:
        now += 2.0
        rows.append((service, issued, now))
    return rows


def test_one_queue_in_ticket_order_has_no_priority_and_no_groups():
    calls = call_order(tickets(queue(200)))
    assert calls.first == [] and calls.others_jump == 0.0 and not calls.grouped
    assert call_sentences(calls) == []


def test_a_class_called_first_is_priority_zero():
    """Every fifth ticket a VIP who is called before everyone waiting, never passed."""
    calls = call_order(tickets(queue(300, vip_every=5)))
    assert calls.first == ["vip"]
    assert calls.jumps["vip"] == 1.0 and calls.passed["vip"] == 0.0
    assert not calls.grouped
    assert "written as priority 0" in call_sentences(calls)[0]


def test_two_groups_calling_their_own_services_are_named():
    """Two queues served side by side: each service's tickets pass the other's."""
    rows = [("cash", float(k), float(k) + 5.0) for k in range(0, 100, 2)]
    rows += [("enterprise", float(k), float(k) + (1.0 if k % 4 == 1 else 9.0))
             for k in range(1, 100, 2)]
    calls = call_order(tickets(rows))
    assert calls.first == [] and calls.grouped
    assert "counter groups" in call_sentences(calls)[0]
