"""YAML from the browser → a scenario or a plan, validated exactly as on the command line.

The loader's messages read ``origin:line: field: message``; here they are split into
``{"line", "field", "message"}`` so that the editor can point at the shift that is wrong.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError
from ..exercise.challenge import (
    Challenge,
    Plan,
    load_challenge,
    load_plan,
    on_duty_profile,
    staff_hours,
    violations,
)
from ..i18n import _
from ..scenario import loading
from ..scenario.clock import format_clock
from ..scenario.coverage import located_warnings
from ..scenario.scenario import Scenario

_FIELD = r'[A-Za-z_][\w-]*(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\]|\.[\w-]+)*'   # shifts["late"].end
_MESSAGE = re.compile(r"^(?P<origin>[^\n:]*?)(?::(?P<line>\d+))?: "
                      r"(?:(?P<field>\(top level\)|" + _FIELD + r"): )?"
                      r"(?P<message>.*)$", re.S)


def located(exc: ScenarioError) -> list[dict[str, Any]]:
    """Each message of a ScenarioError as ``{"line": int|None, "field": str|None, "message"}``."""
    out: list[dict[str, Any]] = []
    for text in exc.messages:
        match = _MESSAGE.match(text)
        if match is None:
            out.append({"line": None, "field": None, "message": text})
            continue
        field = match["field"]
        out.append({"line": int(match["line"]) if match["line"] else None,
                    "field": None if field in (None, "(top level)") else field,
                    "message": match["message"]})
    return out


def as_yaml(data: dict) -> str:
    """A structure from the editor as YAML text, in the file format's own field order."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def parse_scenario(text: str, origin: str = "scenario.yaml") -> Scenario:
    """A validated scenario from YAML text, or a located ScenarioError."""
    data, node = loading.parse_yaml(text, origin)
    return Scenario.from_data(data, origin, node)


def parse_plan(challenge: Challenge, text: str, name: str = "plan.yaml") -> Plan:
    """A trainee's plan from YAML text, loaded by the exercise's own loader (via a file, so
    that whatever a plan may hold — shifts, flex, levers — is checked as by ``exercise score``)."""
    with tempfile.TemporaryDirectory(prefix="hallsim-plan-") as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        return load_plan(challenge, path)


def parse_challenge(text: str, name: str) -> Challenge:
    """A challenge from the text a room keeps (by the exercise's own loader, via a file).

    The room keeps its reference plan's text too, so the file it names is not needed."""
    data, _node = loading.parse_yaml(text, f"{name}.yaml")
    if isinstance(data, dict) and isinstance(data.get("exercise"), dict):
        data["exercise"].pop("reference_plan", None)
        text = as_yaml(data)
    with tempfile.TemporaryDirectory(prefix="hallsim-challenge-") as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return load_challenge(path)


def coverage_gaps(scenario: Scenario) -> list[str]:
    """A warning for every stretch of opening hours with no counter staff on the plan."""
    open_, close = scenario.hours.open, scenario.hours.close
    times, counts = on_duty_profile(scenario, "counter")
    edges = [float(open_)] + [float(t) for t in times if open_ < t < close] + [float(close)]

    def staffed_at(t: float) -> int:
        before = [c for tt, c in zip(times, counts, strict=True) if tt <= t]
        return int(before[-1]) if before else 0

    warnings, start = [], None
    for a, b in zip(edges, edges[1:], strict=False):
        if b <= a:
            continue
        if staffed_at(a) <= 0:
            start = a if start is None else start
        elif start is not None:
            warnings.append((start, a))
            start = None
    if start is not None:
        warnings.append((start, float(close)))
    return [_("no counter staff on the plan from {start} to {end}").format(
        start=format_clock(a), end=format_clock(b)) for a, b in warnings]


def check_text(text: str, challenge: Challenge | None = None
               ) -> tuple[list[dict], list[dict], dict[str, float] | None]:
    """``(warnings, errors, hours)`` for a scenario's YAML, or a plan's when a challenge is
    given; each warning a ``{"field", "message"}``, each error a ``{"line", "field", "message"}``;
    ``hours``: a valid plan's ``staff_hours`` and ``lever_hours`` (what its levers cost), which
    together are held against the budget.

    A scenario gets exactly the warnings of ``hallsim validate``, each at its field. A plan
    that breaks the challenge's rules is valid YAML that can still be submitted (it is ranked
    below the plans within the rules), so rule breaches are warnings.
    """
    try:
        if challenge is None:
            return [{"field": field, "message": message}
                    for field, message in located_warnings(parse_scenario(text))], [], None
        plan = parse_plan(challenge, text)
    except ScenarioError as exc:
        return [], located(exc), None
    hours = {"staff_hours": staff_hours(plan.scenario), "lever_hours": plan.lever_hours}
    return [{"field": None, "message": m}
            for m in coverage_gaps(plan.scenario) + violations(plan, challenge)], [], hours
