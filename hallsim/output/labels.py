"""Names and number formats of the metrics, shared by the console, reports and pages.

Labels are English msgids: translate them where they are shown, ``_(LABELS[name])``.
"""

from __future__ import annotations

LABELS = {
    "customers": "customers", "served_counter": "served at a counter",
    "served_self_service": "served at a kiosk", "diverted_online": "diverted online",
    "abandoned": "abandoned", "abandon_rate": "abandon rate", "mean_wait_min": "mean wait",
    "p50_wait_min": "median wait", "p90_wait_min": "p90 wait", "p95_wait_min": "p95 wait",
    "max_wait_min": "max wait", "service_level": "service level", "detractor_rate": "detractor rate",
    "counter_utilisation": "counter utilisation", "staff_hours": "staff hours",
    "overtime_min": "overtime", "mean_time_in_hall_min": "mean time in hall",
}


def fmt(metric: str, value: float) -> str:
    """A metric value with its unit: shares as %, minutes as 'min'."""
    if metric.endswith("_rate") or metric in ("service_level", "counter_utilisation"):
        return f"{100 * value:.1f}%"
    if metric.endswith("_min"):
        return f"{value:.1f} min"
    if metric == "staff_hours":
        return f"{value:.1f} h"
    return f"{value:.1f}"
