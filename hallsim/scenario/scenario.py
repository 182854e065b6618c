"""The ``Scenario``: a validated hall description that can be loaded, built and changed."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import PrivateAttr

from . import loading
from .overrides import apply_overrides
from .schema import ScenarioModel


class Scenario(ScenarioModel):
    """One hall and one day's plan. Immutable: ``with_changes`` returns a new scenario."""

    _raw: dict = PrivateAttr(default_factory=dict)
    _origin: str = PrivateAttr(default="<dict>")
    _node: Any = PrivateAttr(default=None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], origin: str = "<dict>") -> Scenario:
        """Validate a plain mapping shaped like the YAML file."""
        return cls.from_data(dict(data), origin)

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read and validate a YAML scenario file."""
        data, node = loading.read_yaml(path)
        return cls.from_data(data, str(path), node)

    @classmethod
    def from_data(cls, data: dict, origin: str, node: yaml.Node | None = None,
                  changed: list | None = None) -> Scenario:
        """Validate parsed YAML; errors are located in ``origin`` using ``node``'s lines."""
        scenario = loading.validate(cls, data, origin, node, changed)
        scenario._raw = copy.deepcopy(data)
        scenario._origin = origin
        scenario._node = node
        return scenario

    def with_changes(self, changes: Mapping[str, Any]) -> Scenario:
        """A new scenario with dotted overrides applied (``{"counters.windows": 6}``)."""
        data, locs = apply_overrides(self._raw, changes)
        return type(self).from_data(data, self._origin, self._node, locs)

    def to_dict(self) -> dict:
        """The scenario as plain data, in the file's own format (for saving or hashing)."""
        return copy.deepcopy(self._raw)

    @property
    def origin(self) -> str:
        return self._origin


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a YAML scenario file (contract section 4)."""
    return Scenario.load(path)
