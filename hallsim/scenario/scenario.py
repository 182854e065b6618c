"""The ``Scenario``: a validated hall description that can be loaded, built and changed."""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import PrivateAttr

from . import loading
from .overrides import apply_overrides
from .schema import ScenarioModel


class Scenario(ScenarioModel):
    """One hall and one day's plan, validated. Immutable: ``with_changes`` returns a new one.

    Build one with ``load_scenario(path)`` or ``Scenario.from_dict(data)``; the fields are
    those of the scenario file (docs/scenario.md), read as attributes
    (``sc.counters.windows``, ``sc.shifts[0].start``).
    """

    _raw: dict = PrivateAttr(default_factory=dict)
    _origin: str = PrivateAttr(default="<dict>")
    _node: Any = PrivateAttr(default=None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], origin: str = "<dict>") -> Scenario:
        """Validate a plain mapping shaped like the YAML file.

        Parameters
        ----------
        data : mapping
            The scenario as plain data, shaped like the YAML file.
        origin : str
            Where the data came from, used in error messages (default ``"<dict>"``).

        Returns
        -------
        Scenario
            Raises ``ScenarioError`` (a ``ValueError``) naming each problem.
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"'data' must be a mapping shaped like a scenario file, got "
                            f"{type(data).__name__}")
        if not isinstance(origin, str):
            raise TypeError(f"'origin' must be a str naming where the data came from, got "
                            f"{type(origin).__name__}")
        return cls.from_data(dict(data), origin)

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read and validate a YAML scenario file (as ``load_scenario``).

        Parameters
        ----------
        path : str or Path
            The scenario file.

        Returns
        -------
        Scenario
        """
        data, node = loading.read_yaml(path)
        return cls.from_data(data, str(path), node)

    @classmethod
    def from_data(cls, data: dict, origin: str, node: yaml.Node | None = None,
                  changed: list | None = None) -> Scenario:
        """Validate parsed YAML; errors are located in ``origin`` using ``node``'s lines.

        Parameters
        ----------
        data : dict
            The parsed file.
        origin : str
            The file name, for messages.
        node : yaml.Node, optional
            The file's YAML node tree, for line numbers.
        changed : list, optional
            Locations set by overrides, marked as such in messages.

        Returns
        -------
        Scenario
        """
        scenario = loading.validate(cls, data, origin, node, changed)
        scenario._raw = copy.deepcopy(data)
        scenario._origin = origin
        scenario._node = node
        return scenario

    def with_changes(self, changes: Mapping[str, Any]) -> Scenario:
        """A new scenario with dotted overrides applied.

        Parameters
        ----------
        changes : mapping
            ``{dotted path: value}``: ``{"counters.windows": 6}``, ``{"loads.peak": 140}``,
            list items by name: ``{"shifts.early.count": 4}``.

        Returns
        -------
        Scenario
            The changed copy; this one is unchanged. Raises ``ScenarioError`` (a
            ``ValueError``) if a path or value is not valid, naming it.
        """
        if not isinstance(changes, Mapping):
            raise TypeError("'changes' must be a mapping of dotted paths to values, e.g. "
                            f"{{'counters.windows': 6}}, got {type(changes).__name__} {changes!r}")
        for path in changes:
            if not isinstance(path, str) or not path.strip():
                raise TypeError(f"'changes' keys must be dotted paths (str), got {path!r}")
        data, locs = apply_overrides(self._raw, changes)
        return type(self).from_data(data, self._origin, self._node, locs)

    def to_dict(self) -> dict:
        """The scenario as plain data, in the file's own format (for saving or hashing).

        Returns
        -------
        dict
            A deep copy, safe to change.
        """
        return copy.deepcopy(self._raw)

    @property
    def origin(self) -> str:
        """Where the scenario came from.

        Returns
        -------
        str
            The file name, or ``"<dict>"`` (or the ``origin`` given) for ``from_dict``.
        """
        return self._origin


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a YAML scenario file.

    Parameters
    ----------
    path : str or Path
        The scenario file (``scenarios/weekday.yaml`` is a commented example).

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        A ``ValueError`` whose message names the file, line and field of each problem.
    TypeError
        When ``path`` is not a file name.
    """
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"'path' must be a file name (str or Path), got {type(path).__name__}")
    return Scenario.load(path)
