"""Names and number formats of the metrics, shared by the console, reports and pages.

Labels are English msgids (marked ``N_`` for extraction): translate them where they are
shown, with ``label(name)``.
"""

from __future__ import annotations

from ..i18n import N_, _, translate

LABELS = {
    "customers": N_("customers"), "served_counter": N_("served at a counter"),
    "served_self_service": N_("served at a kiosk"), "diverted_online": N_("diverted online"),
    "abandoned": N_("abandoned"), "abandon_rate": N_("abandon rate"),
    "mean_wait_min": N_("mean wait"), "p50_wait_min": N_("median wait"),
    "p90_wait_min": N_("p90 wait"), "p95_wait_min": N_("p95 wait"),
    "max_wait_min": N_("max wait"), "service_level": N_("service level"),
    "detractor_rate": N_("detractor rate"), "counter_utilisation": N_("counter utilisation"),
    "staff_hours": N_("staff hours"), "overtime_min": N_("overtime"),
    "mean_time_in_hall_min": N_("mean time in hall"), "turned_away": N_("turned away"),
    "idle_staff_hours": N_("idle staff hours"), "promoter_rate": N_("promoter rate"),
    "nps": N_("NPS"),
}

HOURS = frozenset({"staff_hours", "idle_staff_hours"})


def survey_note() -> str:
    """Beside every NPS estimate: what it is made of, and what it leaves out."""
    return _("Promoters, detractors and NPS are estimated from waiting alone (让我等) with "
             "assumed curves; the course's other detractor points are not modelled. Calibrate "
             "the curves with the hall's own 0–10 scores (hallsim fit detractor) before quoting "
             "them.")


def label(metric: str) -> str:
    """The metric's name for people, in the current language (the key itself if unknown)."""
    return translate(LABELS[metric]) if metric in LABELS else metric


def is_share(metric: str) -> bool:
    """Rates and shares: fractions shown as %, their differences in percentage points."""
    return metric.endswith("_rate") or metric in ("service_level", "counter_utilisation")


def fmt(metric: str, value: float | None) -> str:
    """A metric value with its unit: shares as %, minutes as 'min', staff time as 'h'."""
    if value is None:
        return "–"
    if is_share(metric):
        return f"{100 * value:.1f}%"
    if metric.endswith("_min"):
        return _("{value:.1f} min").format(value=value)
    if metric in HOURS:
        return _("{value:.1f} h").format(value=value)
    if metric == "nps":
        return f"{value:+.1f}"
    return f"{value:.1f}"


def fmt_diff(metric: str, value: float | None) -> str:
    """A difference of a metric: rates in percentage points ('pp'), others as ``fmt``."""
    if value is None:
        return "–"
    if is_share(metric):
        return _("{value:+.1f} pp").format(value=100 * value)
    if metric.endswith("_min"):
        return _("{value:+.1f} min").format(value=value)
    if metric in HOURS:
        return _("{value:+.1f} h").format(value=value)
    return f"{value:+.1f}"


def fmt_spread(metric: str, value: float | None) -> str:
    """A CI half-width: like ``fmt``, but in percentage points for rates."""
    if value is None:
        return "–"
    if is_share(metric):
        return _("{value:.1f} pp").format(value=100 * value)
    if metric == "nps":
        return f"{value:.1f}"
    return fmt(metric, value)
