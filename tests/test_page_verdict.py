"""The compare pages' verdict never contradicts the table beneath it, and states service and cost."""

from __future__ import annotations

import pytest

from hallsim.i18n import language
from hallsim.web.verdicts import ROWS, page_verdict


def _doc(better: dict[str, str | None], call: str | None, ci95: float | None = 0.5,
         wait_diff: float = -1.2, hours_diff: float = 2.0) -> dict:
    metrics = {m: {"a": 1.0, "b": 1.0, "diff": 0.0, "ci95": 0.1, "better": better.get(m)} for m in ROWS}
    metrics["mean_wait_min"]["diff"] = wait_diff
    return {"a": "saved", "b": "my edit", "metrics": metrics,
            "verdict": {"better": call, "ci95": ci95, "diff": -1.0, "score_a": 10.0, "score_b": 9.0,
                        "cheaper": None, "hour_cost": 0.0,
                        "cost": {"staff_hours_diff": hours_diff, "overtime_min_diff": 0.0}}}


def test_too_close_on_the_score_but_worse_on_rows_names_those_rows():
    """The issue's case: "too close to call" beside rows marked worse. Now the rows lead."""
    text = page_verdict(_doc({"mean_wait_min": "a", "p90_wait_min": "a"}, None, wait_diff=1.5))
    assert text == ("Verdict: saved is better on mean wait, p90 wait, and worse on none; the weighted "
                    "score alone is too close to call; my edit waits 1.5 min more, for 2.0 more staff hours.")
    assert "too close to call: no measure" not in text


def test_a_score_winner_that_is_worse_on_a_row_is_called_a_trade_off():
    """B wins on the weighted score but costs staff hours: both are said."""
    text = page_verdict(_doc({"mean_wait_min": "b", "staff_hours": "a"}, "b"))
    assert text.startswith("Verdict: a trade-off: my edit is better on mean wait, but worse on staff hours;")
    assert text.endswith("my edit waits 1.2 min less, for 2.0 more staff hours.")


@pytest.mark.parametrize("call", ["a", "b", None])
@pytest.mark.parametrize("rows", [{}, {"mean_wait_min": "a"}, {"mean_wait_min": "b"},
                                  {"mean_wait_min": "b", "staff_hours": "a"}])
def test_whenever_a_row_differs_the_verdict_names_it(call, rows):
    """Every row called better for either plan appears in the sentence; "too close to call"
    alone appears only when no row differs."""
    text = page_verdict(_doc(rows, call))
    for metric in rows:
        assert {"mean_wait_min": "mean wait", "staff_hours": "staff hours"}[metric] in text
    assert ("no measure differs clearly" in text) == (not rows and call is None)
    assert "staff hours" in text and "waits" in text            # service and cost, always


def test_the_verdict_is_in_the_pages_language():
    """Under zh the sentence is Chinese, plan names as given."""
    with language("zh"):
        text = page_verdict(_doc({"mean_wait_min": "b"}, "b"))
    assert text.startswith("结论") and "my edit" in text
