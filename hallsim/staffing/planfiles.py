"""The advice's files: plan.yaml, scenario.yaml and advice.json, as text that loads back."""

from __future__ import annotations

import re

import yaml

from ..output.textsafe import dumps
from ..scenario.rewrite import rewrite
from ..scenario.scenario import Scenario
from .advice import Advice

_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


class _Dumper(yaml.SafeDumper):
    """Times of day are always written quoted ("10:00"): unquoted, YAML reads a number."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if _CLOCK.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def plan_yaml(advice: Advice) -> str:
    targets = ", ".join(t.label() for t in advice.targets)
    name = " ".join(advice.scenario.name.split())    # a line break would end the comment
    header = (f"# Counter shifts advised by hallsim for {name}: "
              f"{targets} in every {advice.scenario.interval_minutes}-minute "
              "interval.\n# Other roles and flex rules are the scenario's own.\n")
    return header + dump(advice.plan_file())


def scenario_yaml(advice: Advice, source: str | None = None) -> str:
    """The scenario with the advised plan: written over the scenario file's own text when it is
    given, so that its comments, key order and layout stay (``scenario.rewrite``)."""
    data = advice.plan.to_dict()
    text = dump(data) if source is None else rewrite(source, data)
    Scenario.from_dict(yaml.safe_load(text), origin="scenario.yaml")   # it must load back
    return text


def advice_json(advice: Advice) -> str:
    return dumps(advice.document, indent=2, ensure_ascii=False) + "\n"   # strict: NaN → null
