"""The day's metrics (contract section 5), as pure functions of the records."""

from __future__ import annotations

import numpy as np

from ..model.codes import Level, Outcome
from ..scenario.schema import ScenarioModel
from .percentile import percentile
from .records import DayRecords
from .timeweighted import integrate
from .zones import booking_metrics, has_zones, zone_metrics

METRICS: tuple[str, ...] = (
    "customers", "served_counter", "served_self_service", "diverted_online", "abandoned",
    "abandon_rate", "mean_wait_min", "p50_wait_min", "p90_wait_min", "p95_wait_min",
    "max_wait_min", "service_level", "detractor_rate", "counter_utilisation", "staff_hours",
    "overtime_min", "mean_time_in_hall_min", "turned_away", "idle_staff_hours",
    "promoter_rate", "nps",  # added last: earlier keys and columns keep their places
)

# The window each metric covers (contract section 1): customer statistics cover arrivals
# at or after the warm-up, staff statistics the whole day.
STAFF_METRICS: tuple[str, ...] = ("counter_utilisation", "staff_hours", "overtime_min",
                                  "idle_staff_hours")

# Metrics that count customers: whole numbers in every table of days (not in means).
COUNT_METRICS: tuple[str, ...] = ("customers", "served_counter", "served_self_service",
                                  "diverted_online", "abandoned", "turned_away")


def counted(day: DayRecords, warmup_minutes: float) -> np.ndarray:
    """Customers counted in customer statistics: those arriving after the warm-up."""
    return day.customers.arrival >= warmup_minutes


def day_metrics(day: DayRecords, sc: ScenarioModel) -> dict[str, float]:
    """Every metric of the summary document for one day."""
    c = day.customers
    keep = counted(day, sc.warmup_minutes)
    n = int(keep.sum())
    everyone = n == len(c)

    def pick(values: np.ndarray) -> np.ndarray:
        # Without a warm-up, no copies: a day of a million customers is large.
        return values if everyone else values[keep]

    outcome = pick(c.outcome)
    wait = pick(c.wait)
    abandoned = outcome == Outcome.ABANDONED
    abandoned_count = int(abandoned.sum())
    unserved = abandoned | (outcome == Outcome.TURNED_AWAY)

    def share(count: float) -> float:
        return float(count / n) if n else 0.0

    if n:
        p50, p90, p95 = (percentile(wait, q) for q in (50, 90, 95))
        waits = {"mean_wait_min": float(wait.mean()), "p50_wait_min": p50, "p90_wait_min": p90,
                 "p95_wait_min": p95, "max_wait_min": float(wait.max())}
        within = (wait <= sc.detractor.target_wait_minutes) & ~unserved
        in_hall = float((pick(c.departure) - pick(c.arrival)).mean())
        detractors = float(pick(c.detractor_p).mean())
        promoters = float(pick(c.promoter_p).mean())
    else:
        waits = dict.fromkeys(("mean_wait_min", "p50_wait_min", "p90_wait_min", "p95_wait_min",
                               "max_wait_min"), 0.0)
        within, in_hall, detractors, promoters = np.zeros(0, dtype=bool), 0.0, 0.0, 0.0

    out = {
        "customers": float(n),
        "served_counter": float((outcome == Outcome.SERVED_COUNTER).sum()),
        "served_self_service": float((outcome == Outcome.SERVED_KIOSK).sum()),
        "diverted_online": float((outcome == Outcome.ONLINE).sum()),
        "abandoned": float(abandoned_count),
        "abandon_rate": share(abandoned_count),
        **waits,
        "service_level": share(int(within.sum())),
        "detractor_rate": detractors,
        "counter_utilisation": counter_utilisation(day),
        "staff_hours": day.scheduled_staff_minutes / 60.0,
        "overtime_min": day.overtime_minutes,
        "mean_time_in_hall_min": in_hall,
        "turned_away": float((outcome == Outcome.TURNED_AWAY).sum()),
        "idle_staff_hours": idle_staff_hours(day, sc.counters.windows),
        "promoter_rate": promoters,
        "nps": nps(promoters, detractors),
    }
    if has_zones(sc):
        out.update(zone_metrics(day, sc, keep))
    if sc.appointments:
        out.update(booking_metrics(day, sc, keep))
    return out


def nps(promoter_rate: float, detractor_rate: float) -> float:
    """Net promoter score: 100 × (promoter share − detractor share), from −100 to 100."""
    return 100.0 * (promoter_rate - detractor_rate)


def _whole_day(day: DayRecords) -> np.ndarray:
    """From the first staff member on duty (or opening) to the last event."""
    return np.array([min(0.0, day.trace[0, 0]) if len(day.trace) else 0.0, day.end_time])


def counter_utilisation(day: DayRecords) -> float:
    """Busy counter-minutes / staff-minutes on duty at a counter, over the whole day."""
    busy = float(day.customers.counter_minutes.sum())  # every counter service ends in the day
    on_duty = integrate(*day.level(Level.STAFF_COUNTER), _whole_day(day))[0]
    return float(busy / on_duty) if on_duty > 0 else 0.0


def idle_staff_hours(day: DayRecords, windows: int) -> float:
    """Staff-hours at a counter with no window to serve at: the counter staff on duty beyond
    ``windows``, over the whole day. Breaks, overtime and flex moves count as they happened
    (a flexed member counts for the role they are doing now)."""
    times, present = day.level(Level.STAFF_COUNTER)
    excess = np.maximum(present - windows, 0.0)
    return float(integrate(times, excess, _whole_day(day))[0] / 60.0)
