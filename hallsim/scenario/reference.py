"""The file formats' reference, generated from the pydantic models so it cannot drift.

``json_schema(Model)`` is a JSON Schema for editors (YAML language server: autocompletion
and inline errors); ``markdown(Model, title)`` is the reference people read
(``docs/scenario.md``): every key with its type, unit, default, allowed values, meaning and
an example, in the current language (``docs/zh/scenario.md``): the keys stay as written in
the file, every word around them comes from the catalogs. The models' descriptions and
units reach the catalogs through ``extract``, a Babel extractor (pyproject.toml).
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from ..i18n import _, pgettext, translate

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_NOTHING = ({"type": "null"}, {"const": "none"})


class _InFileOrder(GenerateJsonSchema):
    """Keys (and examples' keys) in the order of the models, which is the files' order."""

    def sort(self, value: Any, parent_key: str | None = None) -> Any:
        return value


def json_schema(model: type[BaseModel], title: str) -> dict:
    """The JSON Schema of a file holding ``model`` (keys as written in the file)."""
    schema = model.model_json_schema(by_alias=True, schema_generator=_InFileOrder)
    return {"$schema": SCHEMA_DIALECT, **schema, "title": title}


def json_text(model: type[BaseModel], title: str) -> str:
    return json.dumps(json_schema(model, title), indent=2, ensure_ascii=False) + "\n"


def flow(value: Any) -> str:
    """A value in YAML flow style, as one would write it in the file."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, str):
        plain = value and value.replace("_", "").replace("-", "").isalnum() and ":" not in value
        return value if plain else json.dumps(value, ensure_ascii=False)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


class _Writer:
    """Walks a JSON Schema from the root, one section per mapping, in the file's order."""

    def __init__(self, schema: dict):
        self.defs = schema.get("$defs", {})
        self.queue: deque[tuple[str, dict]] = deque()
        self.seen: dict[str, str] = {}
        self.distributions: list[str] = []

    def section_path(self, path: str, ref: str) -> str:
        """Where the mapping ``ref`` is documented: here, or where it first appeared."""
        name = _ref_name(ref)
        if name not in self.seen:
            self.seen[name] = path
            self.queue.append((path, self.defs[name]))
        return self.seen[name]

    def describe(self, prop: dict, path: str) -> tuple[str, str]:
        """The type in words, and the allowed values, of one property."""
        options = [o for o in prop.get("anyOf", []) if o not in _NOTHING]
        if "anyOf" in prop and options:
            kind, allowed = self.describe(options[0] if len(options) == 1 else
                                          {"oneOf": options}, path)
            if {"const": "none"} in prop["anyOf"]:
                kind = _("{kind} or `none`").format(kind=kind)
            return kind, allowed
        if "oneOf" in prop:
            names = [self.defs[_ref_name(o["$ref"])]["properties"]["dist"]["const"]
                     for o in prop["oneOf"] if "$ref" in o]
            for name in names:
                if name not in self.distributions:
                    self.distributions.append(name)
            below = _("distribution ([below](#{anchor}))").format(anchor=_anchor(_("Distributions")))
            return below, ", ".join(f"`{n}`" for n in names)
        if "$ref" in prop:
            target = self.section_path(path, prop["$ref"])
            return _("mapping ([`{key}`](#{anchor}))").format(key=target, anchor=_anchor(target)), ""
        kind = str(prop.get("type", ""))
        if "enum" in prop or "const" in prop:
            values = prop.get("enum", [prop.get("const")])
            return _("text"), ", ".join(f"`{v}`" for v in values)
        if kind == "array":
            if "prefixItems" in prop:
                inner = ", ".join(self.describe(p, path)[0] for p in prop["prefixItems"])
                return _("list of [{items}]").format(items=inner), ""
            item, allowed = self.describe(prop.get("items", {}), path + "[]")
            at_least = prop.get("minItems")
            note = _("at least {n}").format(n=at_least) if at_least else ""
            return _("list of {item}").format(item=item), _("; ").join(x for x in (allowed, note) if x)
        if kind == "object":
            value, allowed = self.describe(prop.get("additionalProperties", {}), path + ".NAME")
            return _("mapping of names to {value}").format(value=value), allowed
        if kind == "string" and "pattern" in prop:
            return _('time "HH:MM"'), _("{low} to {high}").format(low='"00:00"', high='"24:00"')
        words = {"integer": _("whole number"), "number": _("number"), "string": _("text"),
                 "boolean": _("true/false")}
        return words.get(kind, kind or _("any")), _bounds(prop)

    def table(self, path: str, schema: dict) -> list[str]:
        required = set(schema.get("required", []))
        headings = _("key | type | unit | default | allowed | meaning | example")
        rows = [f"| {headings} |", "|---|---|---|---|---|---|---|"]
        for key, prop in schema.get("properties", {}).items():
            child = f"{path}.{key}" if path else key
            kind, allowed = self.describe(prop, child)
            default = pgettext("reference default", "required") if key in required else _default(prop)
            example = f"`{key}: {flow(prop['examples'][0])}`" if prop.get("examples") else ""
            rows.append("| " + " | ".join(_cell(c) for c in (
                f"`{key}`", kind, _text(prop.get("unit", "")), default, allowed,
                _text(prop.get("description", "")), example)) + " |")
        return rows


# While ``texts`` runs, every description and unit the reference shows is collected here.
_collected: list[str] | None = None


def _text(text: str) -> str:
    """A model's description or unit, in the current language (collected for extraction)."""
    if not text:
        return ""
    if _collected is not None and text not in _collected:
        _collected.append(text)
    return translate(text)


def _default(prop: dict) -> str:
    if "default" not in prop:
        return ""
    value = prop["default"]
    if isinstance(value, dict) and len(value) > 2:
        return _("each key's default")
    return f"`{flow(value)}`"


def _anchor(path: str) -> str:
    return "".join(c for c in path.lower() if c.isalnum() or c in "-_") or "top-level"


def _bounds(prop: dict) -> str:
    low = prop.get("minimum", prop.get("exclusiveMinimum"))
    high = prop.get("maximum", prop.get("exclusiveMaximum"))
    if low is not None and high is not None:
        return _("{low} to {high}").format(low=flow(low), high=flow(high))
    if "exclusiveMinimum" in prop:
        return f"> {flow(prop['exclusiveMinimum'])}"
    if "minimum" in prop:
        return f">= {flow(prop['minimum'])}"
    return ""


def _first_paragraph(text: str) -> str:
    return _text(" ".join(text.strip().split("\n\n")[0].split()))


def markdown(model: type[BaseModel], title: str, intro: str) -> str:
    """The reference of every key of a file holding ``model``, as Markdown."""
    schema = json_schema(model, title)
    writer = _Writer(schema)
    out = [f"# {title}", "", intro, "",
           _("Generated from hallsim's own models by `hallsim schema --markdown`; a test checks "
             "that this file is identical to the command's output, so it cannot drift."), ""]
    writer.queue.append(("", schema))
    while writer.queue:
        path, section = writer.queue.popleft()
        heading = f"`{path}`" if path else _("Top level")
        out += [f"## {heading}", ""]
        if path:
            out[-2] = f'## <a id="{_anchor(path)}"></a>{heading}'
            if path.endswith("[]"):
                out += [_("Each item of the list."), ""]
        if path and section.get("description"):
            out += [_first_paragraph(section["description"]), ""]
        out += [*writer.table(path, section), ""]
    if writer.distributions:
        heading = _("Distributions")
        out += [f'## <a id="{_anchor(heading)}"></a>{heading}', "",
                _("A distribution is a mapping with `dist:` naming it and its parameters; all "
                  "times are in minutes."), ""]
        by_name = {d.get("properties", {}).get("dist", {}).get("const"): (name, d)
                   for name, d in writer.defs.items()}
        for dist in writer.distributions:
            name, definition = by_name[dist]
            props = definition["properties"]
            out += [f"### `{dist}`", "",
                    _first_paragraph(definition.get("description", "")), ""]
            out += [*writer.table(name, {**definition, "properties": {
                k: v for k, v in props.items() if k != "dist"}}), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def texts(model: type[BaseModel]) -> list[str]:
    """Every description and unit of ``model`` that its reference shows, in order."""
    global _collected
    _collected = []
    try:
        markdown(model, "", "")
        return _collected
    finally:
        _collected = None

