"""YAML text → validated model, with every error located as ``file:line: field: message``."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .. import inputs
from ..errors import ScenarioError, quote
from ..i18n import _
from . import consistency, ime, limits
from .distributions import DIST_NAMES
from .messages import describe, show, yaml_problem
from .schema import ScenarioModel

M = TypeVar("M", bound=BaseModel)
Loc = tuple[Any, ...]


class _DuplicateKey(Exception):
    def __init__(self, key: Any, first: int, again: int):
        super().__init__(key)
        self.key, self.first, self.again = key, first, again


class _NoDuplicates(yaml.constructor.BaseConstructor):
    """Refuse a key repeated in one mapping (YAML forbids it; PyYAML would silently keep
    the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                continue
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _DuplicateKey(key, seen[key], line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _Loader(_NoDuplicates, yaml.SafeLoader):
    """PyYAML's safe loader, refusing repeated keys."""


class Repaired(dict):
    """A file read once its input-method slips were put right (``ime.repair``): ``validate``
    reports the slips, each at its own line, together with every other error of the file."""

    slips: list[tuple[int, str]]


class TextLoader(_NoDuplicates, yaml.BaseLoader):
    """Every scalar as the text written ("No" stays "No", "10" stays "10"), repeated keys
    refused: for files of names, such as a ticket log's column map."""


def read_yaml(path: str | Path, loader: type = _Loader) -> tuple[Any, yaml.Node | None]:
    """Parse a file into plain data and its node tree (for line numbers).

    Refused before parsing: a missing file, a folder, a device or FIFO, a file over 2 MB.
    Refused while parsing: YAML errors, repeated keys, more than 200,000 nodes.
    """
    path = Path(path)
    inputs.note(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(_("{path}: no such file").format(path=path)) from None
    except (OSError, ValueError) as exc:
        raise ScenarioError(_("{path}: cannot read the file ({error})").format(
            path=path, error=exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(_("{path}: is a folder; expected a YAML file").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(_("{path}: not a regular file (a device, FIFO or socket); "
                              "expected a YAML file").format(path=path))
    too_big = _("{path}: the file is larger than {mb} MB; scenario files are limited to that "
                "size").format(path=path, mb=limits.MAX_FILE_BYTES // (1024 * 1024))
    if info.st_size > limits.MAX_FILE_BYTES:
        raise ScenarioError(too_big)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limits.MAX_FILE_BYTES + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(_("{path}: cannot read the file ({error})").format(
            path=path, error=exc)) from None
    if len(raw) > limits.MAX_FILE_BYTES:
        raise ScenarioError(too_big)
    return parse_yaml(text, str(path), loader)


def parse_yaml(text: str, origin: str, loader: type = _Loader) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text (a file's or a web form's), with the checks of ``read_yaml``;
    ``loader`` (``TextLoader``: every scalar as text) defaults to the safe loader.

    A syntax error caused by a Chinese input method's punctuation (``start：``, ``09：00``,
    "，" in a flow list, “quotes”) is reported at the line of each slip with its fix, not
    one line late; when the file parses once they are put right, the data comes back as
    ``Repaired`` so that ``validate`` reports them with the file's other errors.
    """
    try:
        data, node = _parse(text, origin, loader)
    except _SyntaxError as error:
        found = ime.slips(text)
        if not found:
            raise ScenarioError(error.message) from None
        hints = [f"{origin}:{line}: {hint}" for line, hint in found]
        try:
            data, node = _parse(ime.repair(text), origin, loader)
        except _SyntaxError as still:
            raise ScenarioError([*hints, still.message]) from None
        repaired = Repaired(data)
        repaired.slips = found
        return repaired, node
    glued = ime.glued_keys(text)
    if glued:   # parsed, but with "start：" glued into an odd key: read as meant, and say so
        try:
            data, node = _parse(ime.repair_glued(text), origin, loader)
        except _SyntaxError:
            return data, node
        repaired = Repaired(data)
        repaired.slips = glued
        return repaired, node
    return data, node


class _SyntaxError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _parse(text: str, origin: str, loader: type) -> tuple[Any, yaml.Node | None]:
    if len(text) > limits.MAX_FILE_BYTES:
        raise ScenarioError(_("{origin}: the YAML is larger than {mb} MB; scenarios are "
                              "limited to that size").format(
            origin=origin, mb=limits.MAX_FILE_BYTES // (1024 * 1024)))
    if limits.flow_depth(text) > limits.MAX_FLOW_DEPTH:
        # PyYAML's scanner slows down quadratically with [ { nesting: refuse before parsing
        raise ScenarioError(_("{origin}: the YAML is nested too deeply (over {levels} levels "
                              "of [ and {{)").format(origin=origin, levels=limits.MAX_FLOW_DEPTH))
    parser = loader(text)
    try:
        node = parser.get_single_node()
        if node is not None and limits.node_count(node) > limits.MAX_NODES:
            raise ScenarioError(_("{origin}: too many YAML nodes (over {nodes:,} once aliases "
                                  "are expanded)").format(origin=origin, nodes=limits.MAX_NODES))
        data = parser.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = yaml_problem(getattr(exc, "problem", None) or str(exc).splitlines()[0])
        raise _SyntaxError(_("{origin}:{line}: YAML syntax error: {problem}").format(
            origin=origin, line=line, problem=problem)) from None
    except _DuplicateKey as dup:
        key = quote(dup.key) if isinstance(dup.key, str) else repr(dup.key)
        raise ScenarioError(_("{origin}:{line}: {field}: duplicate key {key} (first at line "
                              "{first}); each key may appear once in a mapping").format(
            origin=origin, line=dup.again, field=dup.key, key=key, first=dup.first)) from None
    except RecursionError:
        raise ScenarioError(_("{origin}: the YAML is nested too deeply").format(
            origin=origin)) from None
    except ScenarioError:
        raise
    except (ValueError, OverflowError, TypeError) as exc:
        raise ScenarioError(_("{origin}: cannot read the YAML ({error})").format(
            origin=origin, error=exc)) from None
    finally:
        parser.dispose()
    if data is None:
        raise ScenarioError(_("{origin}:1: the file is empty; expected a scenario (a YAML "
                              "mapping)").format(origin=origin))
    if not isinstance(data, dict):
        raise ScenarioError(_("{origin}:1: expected a YAML mapping of fields, got {got}").format(
            origin=origin, got=show(data)))
    return data, node


def validate(cls: type[M], data: Any, origin: str, node: yaml.Node | None = None,
             changed: list[Loc] | None = None, by_name: bool = False) -> M:
    """Validate ``data`` as ``cls`` plus the cross-field rules, or raise a located ScenarioError.

    ``by_name``: name list items by their ``name`` (``shifts["b"].start``) rather than by
    index, and sort the messages by line (for trainees' plans, which they edit by name).
    """
    if not isinstance(data, dict):
        raise ScenarioError(_("{origin}: expected a mapping of fields, got {got}").format(
            origin=origin, got=show(data)))
    slipped = [(line, f"{origin}:{line}: {hint}") for line, hint in getattr(data, "slips", [])]
    data = plain(data)
    problems = limits.check_numbers(data)
    try:
        model = cls.model_validate(data)
    except ValidationError as exc:
        flagged = {loc for loc, _ in problems}
        problems += [p for p in (describe(err, data, cls) for err in exc.errors())
                     if _data_loc(p[0], data) not in flagged]
    else:
        if not problems and isinstance(model, ScenarioModel):
            problems = consistency.check(model) or limits.check_volume(model)
        if not problems and not slipped:
            return model
    located = [(line_of(_data_loc(loc, data), node) or 0,
                _locate(loc, msg, data, origin, node, changed or [], by_name))
               for loc, msg in problems]
    located = slipped + located
    if by_name or slipped:
        located.sort(key=lambda item: item[0])
    raise ScenarioError([message for _line, message in located])


def plain(value: Any) -> Any:
    """A copy with numpy scalars turned into Python numbers (``np.int64(6)`` is a 6)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
        return item()
    return value


def field_path(loc: Loc, data: Any, by_name: bool = False) -> str:
    """Render a location as ``shifts[0].breaks[1].at``, dropping pydantic's union tags.

    With ``by_name``, a list item that has a ``name`` unique in its list is shown by it:
    ``shifts["late"].start``.
    """
    text = ""
    current = data
    for part in _data_loc(loc, data):
        if isinstance(part, int):
            label = _item_name(current, part) if by_name else None
            text += f"[{label if label is not None else part}]"
        else:
            text += f".{part}" if text else str(part)
        current = _child(current, part)
    return text or "(top level)"


def _child(current: Any, part: Any) -> Any:
    if isinstance(current, dict):
        return current.get(part)
    if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
        return current[part]
    return None


def _item_name(items: Any, index: int) -> str | None:
    """The ``name`` of ``items[index]`` if it has one that no other item shares."""
    item = _child(items, index)
    name = item.get("name") if isinstance(item, dict) else None
    if not isinstance(name, str) or not name.strip():
        return None
    same = [x for x in items if isinstance(x, dict) and x.get("name") == name]
    return quote(name) if len(same) == 1 else None


def _data_loc(loc: Loc, data: Any) -> Loc:
    """Drop the elements pydantic adds for tagged unions (e.g. ``'lognormal'``)."""
    kept: list[Any] = []
    current = data
    for i, part in enumerate(loc):
        in_data = isinstance(current, dict) and part in current
        is_tag = isinstance(part, str) and not in_data and (
            ((part in DIST_NAMES or part.startswith(("function-", "literal[")))
             and i < len(loc) - 1)
            # a distribution's own rule (low <= mode <= high) belongs to the distribution
            or (isinstance(current, dict) and current.get("dist") == part)
        )
        if is_tag:
            continue
        kept.append(part)
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
    return tuple(kept)


def line_of(loc: Loc, node: yaml.Node | None) -> int | None:
    """1-based line of the deepest node along ``loc`` that exists in the file."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    child = value if not isinstance(value, yaml.ScalarNode) else key
                    # point at the key's line: a scalar value sits on it, a block starts after it
                    line = key.start_mark.line + 1
                    break
        elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
              and 0 <= part < len(node.value)):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _locate(loc: Loc, message: str, data: Any, origin: str, node: yaml.Node | None,
            changed: list[Loc], by_name: bool = False) -> str:
    data_loc = _data_loc(loc, data)
    line = line_of(data_loc, node)
    where = f"{origin}:{line}" if line is not None else origin
    overridden = [c for c in changed if data_loc[: len(c)] == c or c[: len(data_loc)] == data_loc]
    note = _(" (value set by an override)") if overridden else ""
    return f"{where}: {field_path(loc, data, by_name)}: {message}{note}"
