"""What a planner reads when a file is wrong: pydantic's and PyYAML's complaints in plain
words, in the current language (English keeps pydantic's own words where we have none)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel

from ..errors import quote
from ..i18n import N_, _, current, translate
from . import ime
from .distributions import DIST_NAMES
from .keys import allowed_keys, model_at
from .schema import ScenarioModel, all_field_names

Loc = tuple[Any, ...]


def unknown_key(key: str, cls: type[BaseModel], loc: Loc) -> str:
    """The message for an unknown key: a hint from the keys allowed right there, and the list."""
    model = model_at(cls, loc)
    allowed = allowed_keys(model) if model is not None else sorted(all_field_names())
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = ime.key_hint(key) or (_(" (did you mean '{name}'?)").format(name=close[0])
                                 if close else "")
    listed = (_("; allowed here: {keys}").format(keys=", ".join(allowed))
              if model is not None else "")
    return _("unknown key {key}").format(key=quote(key)) + hint + listed


def describe(err: Any, data: Any, cls: type[BaseModel] = ScenarioModel) -> tuple[Loc, str]:
    kind, loc, got = err["type"], tuple(err["loc"]), err.get("input")
    if kind == "missing":
        return loc, _("required field is missing")
    if kind == "extra_forbidden":
        return loc, unknown_key(str(loc[-1]), cls, loc)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        names = ", ".join(DIST_NAMES)
        if kind == "union_tag_not_found":
            return loc, _("expected a distribution with 'dist: NAME' ({names})").format(
                names=names)
        return loc, _("unknown distribution '{tag}'; expected one of {names}").format(
            tag=err["ctx"].get("tag"), names=names)
    if kind == "model_attributes_type" or kind == "model_type" or kind == "dict_type":
        return loc, _("expected a mapping of fields, got {got}").format(got=show(got))
    bounds = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
              "less_than": "<"}
    if kind in bounds:
        limit = next(iter(err["ctx"].values()))
        hint = ime.share_hint(got) if kind == "less_than_equal" and limit == 1 else ""
        limit = f"{limit:g}" if isinstance(limit, float) else limit
        return loc, _("must be {op} {limit}, got {got}").format(
            op=bounds[kind], limit=limit, got=show(got)) + hint
    if kind == "literal_error":
        expected = str(err["ctx"].get("expected", "")).replace(" or ", _(" or "))
        hint = ime.role_hint(got) if "'triage'" in expected else ""
        return loc, _("expected {expected}, got {got}").format(expected=expected,
                                                                got=show(got)) + hint
    sized = _SIZES.get(kind)
    if sized is not None:
        ctx = err.get("ctx") or {}
        limit = ctx.get("min_length", ctx.get("max_length", ""))
        return loc, translate(sized).format(limit=limit, got=show(got))
    plain_kind = _PLAIN_KINDS.get(kind)
    if plain_kind is not None and current() != "en":   # English keeps pydantic's own words
        return loc, _("expected {expected}, got {got}").format(expected=translate(plain_kind),
                                                                got=show(got))
    message = str(err["msg"])
    if message.startswith("Value error, "):
        return loc, message[len("Value error, "):]
    message = message.replace("Input should be", "expected").replace("input should be", "expected")
    return loc, f"{message[0].lower()}{message[1:]}, got {show(got)}"


# pydantic's commonest complaints, in words a planner knows (and a translator can reach).
_PLAIN_KINDS = {"float_parsing": N_("a number"), "float_type": N_("a number"),
                "int_parsing": N_("a whole number"), "int_type": N_("a whole number"),
                "int_from_float": N_("a whole number"), "string_type": N_("text"),
                "bool_parsing": N_("true or false"), "bool_type": N_("true or false"),
                "list_type": N_("a list")}


def show(value: Any) -> str:
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return quote(value) if isinstance(value, str) else repr(value)


# Lists and texts of the wrong size.
_SIZES = {"too_short": N_("must have at least {limit} item(s), got {got}"),
          "too_long": N_("must have at most {limit} item(s), got {got}"),
          "string_too_short": N_("must not be empty, got {got}"),
          "string_too_long": N_("must be at most {limit} characters long"),
          "finite_number": N_("must be a finite number, got {got}")}

# PyYAML's commonest problems, by their text, with what they usually mean.
_YAML = [(re.compile(r"could not find expected ':'"),
          N_("a key without its colon, or a line that should be part of the previous one")),
         (re.compile(r"mapping values are not allowed here"),
          N_("a colon where none belongs (quote text that contains ': ', check the "
             "indentation)")),
         (re.compile(r"expected ',' or '([}\]])', but got (.+)"),
          N_("expected ',' or '{close}', got {got} (a bracket not closed?)")),
         (re.compile(r"found character '\\t' that cannot start any token"),
          N_("a tab character: indent with spaces")),
         (re.compile(r"found unexpected end of stream"),
          N_("the file ends inside a quoted text or a bracket")),
         (re.compile(r"expected <block end>, but found (.+)"),
          N_("the indentation does not match the lines above (found {got})")),
         (re.compile(r"did not find expected (key|node content|'-' indicator)"),
          N_("the indentation or a bracket does not match the lines above")),
         (re.compile(r"found undefined alias '?(.*?)'?$"),
          N_("the alias *{got} is not defined above")),
         (re.compile(r"found unknown escape character"),
          N_("an unknown escape (\\) in a double-quoted text: use single quotes"))]


def yaml_problem(problem: str) -> str:
    """PyYAML's problem in plain words (its own text when it is not a common one)."""
    for pattern, message in _YAML:
        found = pattern.search(problem)
        if found:
            groups = found.groups()
            close, got = (groups + ("", ""))[:2] if len(groups) != 1 else ("", groups[0])
            return translate(message).format(close=close, got=got)
    return problem
