"""Dotted overrides: ``counters.windows=6``, ``shifts.early.count=4`` (list items by name)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from .errors import ScenarioError

Loc = tuple[Any, ...]


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE``; the value is read as YAML so ``6`` is a number and ``none`` a word."""
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise ScenarioError(f"--set {text}: expected PATH=VALUE, e.g. counters.windows=6")
    try:
        parsed = yaml.safe_load(value) if value.strip() else ""
    except yaml.YAMLError as exc:
        raise ScenarioError(f"--set {text}: the value is not valid YAML ({exc})") from None
    return path.strip(), parsed


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
            where = ".".join(parts[:depth]) or "the scenario"
            raise ScenarioError(f"{path}: cannot set '{part}' inside {where}, which is a value")
    return tuple(loc)


def _list_index(items: list, part: str, path: str) -> int:
    names = [item.get("name") for item in items if isinstance(item, dict)]
    if part in names:
        return names.index(part)
    if part.lstrip("-").isdigit() and -len(items) <= int(part) < len(items):
        return int(part) % len(items)
    have = ", ".join(str(n) for n in names if n is not None) or f"indices 0..{len(items) - 1}"
    raise ScenarioError(f"{path}: no item named '{part}' (have: {have})")
