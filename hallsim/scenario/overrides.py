"""Dotted overrides: ``counters.windows=6``, ``shifts.early.count=4`` (list items by name)."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from typing import Any

import yaml

from ..errors import ScenarioError
from ..i18n import _

Loc = tuple[Any, ...]


_CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")
_RANGE = re.compile(r"^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$")


def parse_value(text: str, where: str) -> Any:
    """Read a command-line value as YAML (``6`` a number, ``none`` a word, ``[1, 2]`` a list).

    A clock such as ``10:00`` stays a string: YAML 1.1 would read it as 600.
    """
    if _CLOCK.match(text):
        return text.strip()
    try:
        return yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError as exc:
        raise ScenarioError(_("{where}: the value is not valid YAML ({error})").format(
            where=where, error=exc)) from None


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE`` (for ``--set``)."""
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise ScenarioError(_("--set {text}: expected PATH=VALUE, e.g. counters.windows=6")
                            .format(text=text))
    return path.strip(), parse_value(value, f"--set {text}")


def parse_values(text: str) -> tuple[str, list[Any]]:
    """Split ``PATH=V1,V2,...`` or ``PATH=LOW..HIGH`` (whole numbers, inclusive) for ``--vary``."""
    path, sep, values = text.partition("=")
    if not sep or not path.strip() or not values.strip():
        raise ScenarioError(_("--vary {text}: expected PATH=V1,V2,... or PATH=LOW..HIGH, "
                              "e.g. counters.windows=4..10").format(text=text))
    match = _RANGE.match(values)
    if match:
        low, high = int(match.group(1)), int(match.group(2))
        if high < low:
            raise ScenarioError(_("--vary {text}: the range is empty ({low} > {high})").format(
                text=text, low=low, high=high))
        return path.strip(), list(range(low, high + 1))
    return path.strip(), [parse_value(v, f"--vary {text}") for v in values.split(",")]


def apply_overrides(raw: Mapping[str, Any], changes: Mapping[str, Any]) -> tuple[dict, list[Loc]]:
    """Return a changed deep copy of ``raw`` and the resolved location of each change."""
    data = copy.deepcopy(dict(raw))
    locs: list[Loc] = []
    for path, value in changes.items():
        locs.append(_set(data, path, copy.deepcopy(value)))
    return data, locs


def _set(data: dict, path: str, value: Any) -> Loc:
    parts = path.split(".")
    node: Any = data
    loc: list[Any] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            index = _list_index(node, part, path)
            loc.append(index)
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            loc.append(part)
            if last:
                node[part] = value
            else:
                if part not in node or node[part] is None:
                    node[part] = {}
                node = node[part]
        else:
            where = ".".join(parts[:depth]) or _("the scenario")
            raise ScenarioError(_("{path}: cannot set '{part}' inside {where}, which is a value")
                                .format(path=path, part=part, where=where))
    return tuple(loc)


def _list_index(items: list, part: str, path: str) -> int:
    names = [item.get("name") for item in items if isinstance(item, dict)]
    if part in names:
        return names.index(part)
    if part.lstrip("-").isdigit() and -len(items) <= int(part) < len(items):
        return int(part) % len(items)
    have = (", ".join(str(n) for n in names if n is not None)
            or _("indices 0..{last}").format(last=len(items) - 1))
    close = difflib.get_close_matches(part, [str(n) for n in names if n is not None], n=1)
    labelled = [(str(item.get("name")), item["label"]) for item in items
                if isinstance(item, dict) and isinstance(item.get("label"), dict)]
    meant = next((ident for ident, label in labelled
                  if part.strip() in {str(v).strip() for v in label.values()}), None)
    close = [meant] if meant else close
    hint = _("did you mean '{name}'? ").format(name=close[0]) if close else ""
    raise ScenarioError(_("{path}: no item named '{part}' ({hint}have: {have})").format(
        path=path, part=part, hint=hint, have=have))
