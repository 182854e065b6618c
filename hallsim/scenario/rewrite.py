"""Rewrite a YAML file with new data, keeping what a person wrote around it.

A planner's file carries comments, key order, aligned columns and quoted times; saving an
edit must keep them. ``rewrite(text, new)`` changes only the text of what changed:

* nothing changed: the text itself, byte for byte;
* a value changed: that value's characters, in its own quoting (one edit, one line);
* an item or a key added or removed: that item's or key's lines (flow collections, which
  sit on their own line or lines, are written anew in flow style).

Whatever the splice cannot place (aliases, a collection emptied) goes through ruamel.yaml's
round trip, which keeps comments and key order but may re-wrap flow collections. Every
result is read back and must equal ``new``; if neither way gives that, the data is written
plainly (comments lost) rather than wrongly.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from typing import Any

import yaml

_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


class _Unplaced(Exception):
    """A change the text splice does not handle; the round trip takes over."""


class _Dumper(yaml.SafeDumper):
    """Times of day quoted ("10:00"): unquoted, YAML 1.1 reads a number of minutes."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style='"' if _CLOCK.match(value) else None)


_Dumper.add_representer(str, _str)


def plain_dump(data: Any) -> str:
    """Block-style YAML in the data's own key order, times of day quoted."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _flow(value: Any) -> str:
    """``value`` as YAML on one line (flow style)."""
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=True, width=1_000_000)
    return text.removesuffix("\n...\n").removesuffix("\n")


def _scalar(value: Any, node: yaml.ScalarNode) -> str:
    """A new scalar's text in the old one's quoting where it has one."""
    if isinstance(value, str) and node.style in ('"', "'"):
        if node.style == "'" and "\n" not in value:
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=False)
    return _flow(value)


def _same(old: Any, new: Any) -> bool:
    """Equal, and of one kind: 3.0 read back from JSON as 3 is the same number (no edit), but
    True is not 1."""
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new
    return type(old) is type(new) and old == new


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Just past the newline ending the line that holds ``index - 1``."""
    if index > 0 and text[index - 1] == "\n":
        return index
    at = text.find("\n", index)
    return len(text) if at < 0 else at + 1


def _tail(node: yaml.Node) -> int:
    """Where a node's own characters end (a block collection's end mark lies past the
    comments and blank lines that follow it)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _tail(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _tail(node.value[-1])
    return node.end_mark.index


class _Splice:
    def __init__(self, text: str):
        self.text = text
        self.edits: list[tuple[int, int, str]] = []

    def result(self) -> str:
        out, last = self.text, None
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            if last is not None and end > last:
                raise _Unplaced("overlapping edits")
            out = out[:start] + new + out[end:]
            last = start
        return out

    def replace(self, node: yaml.Node, value: Any) -> None:
        start, end = node.start_mark.index, _tail(node)
        new = _scalar(value, node) if isinstance(node, yaml.ScalarNode) else _flow(value)
        if start == end and start > 0 and self.text[start - 1] == ":":
            new = " " + new
        self.edits.append((start, end, new))

    def walk(self, node: yaml.Node, old: Any, new: Any) -> None:
        if _same(old, new):
            return
        if isinstance(node, yaml.MappingNode) and isinstance(old, dict) and isinstance(new, dict):
            self.mapping(node, old, new)
        elif isinstance(node, yaml.SequenceNode) and isinstance(old, list) and isinstance(new, list):
            self.sequence(node, old, new)
        else:
            self.replace(node, new)

    def mapping(self, node: yaml.MappingNode, old: dict, new: dict) -> None:
        pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if set(pairs) != set(old):
            raise _Unplaced("keys that are not plain scalars")
        if set(old) != set(new) and (node.flow_style or not new):
            self.replace(node, new)
            return
        for key in old:
            if key in new:
                self.walk(pairs[key][1], old[key], new[key])
            else:
                key_node, value_node = pairs[key]
                self.edits.append((_line_start(self.text, key_node.start_mark.index),
                                   _line_end(self.text, _tail(value_node)), ""))
        added = [k for k in new if k not in old]
        if added:
            if not node.value:
                raise _Unplaced("an empty block mapping")
            indent = " " * node.value[0][0].start_mark.column
            at = _line_end(self.text, _tail(node.value[-1][1]))
            lines = "".join(f"{indent}{_flow(k)}: {_flow(new[k])}\n" for k in added)
            self.edits.append((at, at, self._newline(at) + lines))

    def _newline(self, at: int) -> str:
        return "\n" if at == len(self.text) and self.text and not self.text.endswith("\n") else ""

    def sequence(self, node: yaml.SequenceNode, old: list, new: list) -> None:
        if len(old) != len(node.value):
            raise _Unplaced("a sequence unlike its text")
        if len(old) == len(new):
            for item, a, b in zip(node.value, old, new, strict=True):
                self.walk(item, a, b)
            return
        if node.flow_style or not new or not old:
            self.replace(node, new)
            return
        keys = [json.dumps(x, sort_keys=True, default=str) for x in old]
        matcher = difflib.SequenceMatcher(None, keys, [json.dumps(x, sort_keys=True, default=str)
                                                       for x in new], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and i2 - i1 == j2 - j1:
                for k in range(i2 - i1):
                    self.walk(node.value[i1 + k], old[i1 + k], new[j1 + k])
                continue
            for k in range(i1, i2):
                self.edits.append(self._item_span(node, k) + ("",))
            if j2 > j1:
                at = (self._item_span(node, i1)[0] if i1 < len(old)
                      else self._item_span(node, len(old) - 1)[1])
                dash = self._dash(node.value[0])
                indent = " " * (dash - _line_start(self.text, dash))
                lines = "".join(f"{indent}- {_flow(x)}\n" for x in new[j1:j2])
                self.edits.append((at, at, self._newline(at) + lines))

    def _dash(self, item: yaml.Node) -> int:
        at = item.start_mark.index - 1
        while at >= 0 and self.text[at] in " \t":
            at -= 1
        if at < 0 or self.text[at] != "-":
            raise _Unplaced("a sequence item not after its dash")
        return at

    def _item_span(self, node: yaml.SequenceNode, k: int) -> tuple[int, int]:
        item = node.value[k]
        start = _line_start(self.text, self._dash(item))
        if self.text[start:self._dash(item)].strip():
            raise _Unplaced("two items on one line")
        return start, _line_end(self.text, _tail(item))


def _load(text: str) -> Any:
    from .loading import _Loader

    return yaml.load(text, Loader=_Loader)   # noqa: S506 - a safe loader that refuses repeated keys


def _splice(text: str, old: Any, new: Any) -> str:
    from .loading import _Loader

    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        raise _Unplaced("an empty file")
    splice = _Splice(text)
    splice.walk(node, old, new)
    return splice.result()


def _round_trip(text: str, new: Any) -> str:
    """ruamel.yaml's round trip: comments and key order kept, flow collections re-wrapped."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString
    from ruamel.yaml.util import load_yaml_guess_indent

    def fresh(value: Any) -> Any:
        if isinstance(value, str) and _load(value) != value:
            return DoubleQuotedScalarString(value)
        if isinstance(value, dict):
            return CommentedMap((k, fresh(v)) for k, v in value.items())
        if isinstance(value, list):
            return CommentedSeq(fresh(v) for v in value)
        return value

    def update(target: Any, value: Any) -> Any:
        if id(target) in shared and target != value:     # an anchor used elsewhere stays as it is
            return fresh(value)
        if isinstance(target, dict) and isinstance(value, dict):
            for key in [k for k in target if k not in value]:
                del target[key]
            for key, item in value.items():
                target[key] = update(target[key], item) if key in target else fresh(item)
            return target
        if isinstance(target, list) and isinstance(value, list):
            del target[len(value):]
            for k, item in enumerate(value):
                if k < len(target):
                    target[k] = update(target[k], item)
                else:
                    target.append(fresh(item))
            return target
        if target == value and type(target) is type(value) or (
                isinstance(target, str) and target == value):
            return target
        return fresh(value)

    _data, indent, offset = load_yaml_guess_indent(text)
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    indent = indent or 2
    rt.indent(mapping=indent, sequence=indent + (offset or 0), offset=offset or 0)
    loaded = rt.load(text)
    seen: set[int] = set()
    shared: set[int] = set()

    def count(node: Any) -> None:
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                shared.add(id(node))
                return
            seen.add(id(node))
            for child in node.values() if isinstance(node, dict) else node:
                count(child)

    count(loaded)
    data = update(loaded, new)
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def rewrite(text: str, new: Any) -> str:
    """``text`` changed to hold ``new``, keeping its comments, order and layout (see the
    module's notes); ``new`` is plain data shaped like the file."""
    try:
        old = _load(text)
    except yaml.YAMLError:
        return plain_dump(new)
    if old == new:
        return text
    for way in (_splice, lambda t, _o, n: _round_trip(t, n)):
        try:
            out = way(text, old, new)
        except (_Unplaced, yaml.YAMLError, ValueError, KeyError, TypeError, IndexError):
            continue
        try:
            if _load(out) == new:
                return out
        except yaml.YAMLError:
            continue
    return plain_dump(new)
