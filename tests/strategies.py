"""Hypothesis strategies shared by the tests: valid halls with random plans."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from hallsim.scenario.clock import format_clock

ROLES = ["counter", "triage", "preprocess"]


@st.composite
def shifts(draw: Any, open_: int = 540, close: int = 780) -> list[dict]:
    """One to six shifts inside or overlapping the day, some with a break."""
    out = []
    for k in range(draw(st.integers(1, 6))):
        start = draw(st.integers(open_ - 30, close - 30)) // 5 * 5
        end = min(start + draw(st.integers(30, close - open_ + 60)) // 5 * 5, 1440)
        shift: dict[str, Any] = {"name": f"s{k}", "role": draw(st.sampled_from(ROLES)),
                                 "start": format_clock(start), "end": format_clock(end),
                                 "count": draw(st.integers(0, 3))}
        if end - start >= 60 and draw(st.booleans()):
            at = draw(st.integers(start, end - 20)) // 5 * 5
            shift["breaks"] = [{"at": format_clock(at), "minutes": min(draw(st.integers(5, 45)),
                                                                       end - at)}]
        out.append(shift)
    return out


@st.composite
def flex_rules(draw: Any) -> list[dict]:
    rules = []
    for _ in range(draw(st.integers(0, 2))):
        source, target = draw(st.permutations(ROLES))[:2]
        at_most = draw(st.integers(0, 3))
        rules.append({"from": source, "to": target, "queue_at_most": at_most,
                      "queue_at_least": at_most + draw(st.integers(1, 4))})
    return rules


@st.composite
def halls(draw: Any) -> dict:
    """A small, valid scenario (09:00-13:00) exercising every part of the model."""
    patience = draw(st.sampled_from([None, {"dist": "exponential", "mean": 10},
                                     {"dist": "constant", "value": 5}]))
    data: dict[str, Any] = {
        "name": "random",
        "hours": {"open": "09:00", "close": "13:00"},
        "profile": [{"from": "09:00", "to": "11:00", "rate": draw(st.integers(0, 90))},
                    {"from": "11:00", "to": "13:00", "rate": draw(st.integers(0, 90))}],
        "services": [
            {"name": "quick", "share": 0.5, "priority": draw(st.integers(0, 1)),
             "counter_minutes": {"dist": "exponential", "mean": 3},
             "self_service": {"eligible": 0.8, "minutes": {"dist": "constant", "value": 2},
                              "fail": draw(st.sampled_from([0.0, 0.3, 1.0]))},
             "online_eligible": 0.5},
            {"name": "slow", "share": 0.5,
             "counter_minutes": {"dist": "gamma", "mean": 8, "cv": 0.5},
             "preprocess": {"eligible": draw(st.sampled_from([0.0, 0.7, 1.0])),
                            "minutes": {"dist": "exponential", "mean": 3}, "saves": 0.4}},
        ],
        "triage": {"minutes": {"dist": "exponential", "mean": 0.5}, "divert_online": 0.5,
                   "divert_self_service": 0.7, "self_select": 0.3},
        "self_service": {"kiosks": draw(st.integers(0, 2))},
        "counters": {"windows": draw(st.integers(1, 4))},
        "shifts": draw(shifts()),
        "flex": draw(flex_rules()),
    }
    if patience is not None:
        data["patience"] = patience
    return data
