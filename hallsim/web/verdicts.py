"""The compare pages' verdict: one sentence that agrees with the table beneath it.

The weighted score (``Comparison.verdict``) can be too close to call while some rows of the
table differ clearly, or call one plan better while it is clearly worse on a row. The
sentence therefore starts from the rows (the measures on which one plan is better at 95%),
states the score's call beside them, and ends with the service and the cost side by side
(contract 6b): ``B waits 1.2 min less, for 2.0 more staff hours``.
"""

from __future__ import annotations

from ..i18n import _
from ..output.console import _cost_phrase, _wait_phrase, label

# The rows of the pages' comparison tables, in their order.
ROWS = ("mean_wait_min", "p90_wait_min", "service_level", "abandon_rate", "detractor_rate",
        "staff_hours", "overtime_min", "customers")


def _names(doc: dict, side: str) -> list[str]:
    return [label(m) for m in ROWS if m in doc["metrics"] and doc["metrics"][m].get("better") == side]


def page_verdict(doc: dict) -> str:
    """The verdict sentence for a compare document (``Comparison.summary``)."""
    v = doc["verdict"]
    a, b = doc["a"], doc["b"]
    names = {"a": a, "b": b}
    b_better, b_worse = _names(doc, "b"), _names(doc, "a")
    sep = _(", ")
    if v["ci95"] is None:
        call = _("one simulated day cannot decide")
    elif b_better and b_worse:
        call = _("a trade-off: {b} is better on {better}, but worse on {worse}").format(
            b=b, better=sep.join(b_better), worse=sep.join(b_worse))
    elif v["better"] is not None and (b_worse if v["better"] == "b" else b_better):
        # The score and a row disagree in direction: both are stated, neither hidden.
        call = _("a trade-off: {plan} scores better overall but is worse on {rows}").format(
            plan=names[v["better"]], rows=sep.join(b_worse if v["better"] == "b" else b_better))
    elif b_better or b_worse:
        plan, rows = (b, b_better) if b_better else (a, b_worse)
        call = _("{plan} is better on {rows}").format(plan=plan, rows=sep.join(rows))
        if v["better"] is None:
            call = _("{call}, and worse on none; the weighted score alone is too close to call"
                     ).format(call=call)
    elif v["better"] is not None:
        call = _("{plan} is better on the weighted score").format(plan=names[v["better"]])
    else:
        call = _("too close to call: no measure differs clearly")
    service = _("{service}, {cost}").format(service=_wait_phrase(doc), cost=_cost_phrase(v))
    return _("Verdict: {call}; {service}.").format(call=call, service=service)
