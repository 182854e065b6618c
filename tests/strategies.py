"""Hypothesis strategies shared by the tests: valid halls with random plans, aimed at what
strands customers: flex rules into and out of triage and pre-processing, greeter and floor
shifts ending early, breaks, priorities, and patience none or finite."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from hallsim.scenario.clock import format_clock

ROLES = ["counter", "triage", "preprocess"]
OPEN, CLOSE = 540, 720  # 09:00-12:00


@st.composite
def shift(draw: Any, name: str, role: str, open_: int = OPEN, close: int = CLOSE) -> dict:
    """One shift of ``role`` inside or overlapping the day: often short, sometimes ending
    early or starting late, sometimes with a break (which may be late or run to the end)."""
    start = draw(st.integers(open_ - 30, close - 30)) // 5 * 5
    end = min(start + draw(st.integers(20, close - open_ + 60)) // 5 * 5, 1440)
    data: dict[str, Any] = {"name": name, "role": role, "start": format_clock(start),
                            "end": format_clock(end), "count": draw(st.integers(0, 3))}
    if end - start >= 30 and draw(st.booleans()):
        at = draw(st.integers(start, end - 10)) // 5 * 5
        data["breaks"] = [{"at": format_clock(at),
                           "minutes": min(draw(st.integers(5, 45)), end - at)}]
    return data


@st.composite
def shifts(draw: Any, open_: int = OPEN, close: int = CLOSE) -> list[dict]:
    """Usually a greeter and a floor shift beside the counter shifts, plus a few more."""
    out = [draw(shift("c0", "counter", open_, close))]
    if draw(st.integers(0, 4)):
        out.append(draw(shift("greeter", "triage", open_, close)))
    if draw(st.integers(0, 4)):
        out.append(draw(shift("floor", "preprocess", open_, close)))
    for k in range(draw(st.integers(0, 3))):
        out.append(draw(shift(f"s{k}", draw(st.sampled_from(ROLES)), open_, close)))
    return out


@st.composite
def flex_rules(draw: Any) -> list[dict]:
    """Zero to three rules between any two roles (into and out of triage and pre-processing
    included), with small thresholds so that they fire often."""
    rules = []
    pairs = [(a, b) for a in ROLES for b in ROLES if a != b]
    for source, target in draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)):
        at_most = draw(st.integers(0, 2))
        rules.append({"from": source, "to": target, "queue_at_most": at_most,
                      "queue_at_least": at_most + draw(st.integers(1, 3))})
    return rules


@st.composite
def halls(draw: Any) -> dict:
    """A small, valid scenario (09:00-12:00) exercising every part of the model."""
    patience = draw(st.sampled_from([None, {"dist": "exponential", "mean": 10},
                                     {"dist": "constant", "value": 5}]))
    data: dict[str, Any] = {
        "name": "random",
        "hours": {"open": format_clock(OPEN), "close": format_clock(CLOSE)},
        "profile": [{"from": "09:00", "to": "10:30", "rate": draw(st.integers(0, 90))},
                    {"from": "10:30", "to": "12:00", "rate": draw(st.integers(0, 90))}],
        "services": [
            {"name": "quick", "share": 0.5, "priority": draw(st.integers(0, 1)),
             "counter_minutes": {"dist": "exponential", "mean": 3},
             "self_service": {"eligible": 0.8, "minutes": {"dist": "constant", "value": 2},
                              "fail": draw(st.sampled_from([0.0, 0.3, 1.0]))},
             "preprocess": {"eligible": draw(st.sampled_from([0.0, 0.5])),
                            "minutes": {"dist": "constant", "value": 2}, "saves": 0.3},
             "online_eligible": 0.5},
            {"name": "slow", "share": 0.5, "priority": draw(st.integers(0, 2)),
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


@st.composite
def zoned_halls(draw: Any) -> dict:
    """A small hall with counter groups: overlapping call lists and both rules, shifts at a
    group or floating over several, flex rules between groups and from other roles,
    breaks, the greeter's queue limit, appointments, and patience none or finite."""
    data = draw(halls())
    names = ["g0", "g1", "g2"][:draw(st.integers(2, 3))]
    services = [s["name"] for s in data["services"]]
    groups = []
    for name in names:
        calls = draw(st.lists(st.sampled_from([*services, "*"]), min_size=1, max_size=3,
                              unique=True))
        groups.append({"name": name, "windows": draw(st.integers(1, 2)), "calls": calls,
                       "rule": draw(st.sampled_from(["ticket", "order"]))})
    if not any("*" in g["calls"] for g in groups):  # every service callable by some group
        missing = [s for s in services if not any(s in g["calls"] for g in groups)]
        groups[0]["calls"] = groups[0]["calls"] + missing
    data["counters"] = {"windows": sum(g["windows"] for g in groups), "groups": groups}
    for shift in data["shifts"]:
        if shift["role"] == "counter":
            chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names),
                                   unique=True))
            if len(chosen) == 1:
                shift["group"] = chosen[0]
            else:
                shift["groups"] = chosen
    posts = ["triage", "preprocess", "counter", *(f"counter.{n}" for n in names)]
    rules = []
    for source, target in draw(st.lists(st.tuples(st.sampled_from(posts),
                                                  st.sampled_from(posts)), max_size=3)):
        if source == target or {source, target} == {"counter"} or \
                (source.startswith("counter") and target.startswith("counter")
                 and "counter" in (source, target)):
            continue
        at_most = draw(st.integers(0, 2))
        rules.append({"from": source, "to": target, "queue_at_most": at_most,
                      "queue_at_least": at_most + draw(st.integers(1, 3))})
    data["flex"] = rules
    if draw(st.booleans()):
        data["triage"]["max_queue"] = draw(st.integers(1, 3))
    bookings = []
    for service in draw(st.lists(st.sampled_from(services), max_size=2)):
        start = draw(st.integers(OPEN, CLOSE - 10)) // 5 * 5
        bookings.append({"service": service,
                         "slots": {"from": format_clock(start),
                                   "to": format_clock(min(start + draw(st.integers(5, 180)),
                                                          CLOSE)),
                                   "every": draw(st.integers(5, 30)),
                                   "per_slot": draw(st.integers(1, 2))},
                         "show": draw(st.sampled_from([0.0, 0.7, 1.0])),
                         "punctuality": draw(st.sampled_from([
                             {"dist": "constant", "value": 0},
                             {"dist": "uniform", "low": -15, "high": 10},
                             {"dist": "normal", "mean": 0, "sd": 8}]))})
    data["appointments"] = bookings
    return data
