"""The keys a file may hold at a given place, read from the pydantic models.

Used for "did you mean" hints (only keys allowed where the typo is) and to list the
allowed keys when an unknown one turns up.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated[...]`` and ``Optional``: the type a value there must have."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
            continue
        if get_origin(tp) in (Union, types.UnionType):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _tag(model: Any) -> Any:
    """The ``dist: NAME`` literal of a tagged-union member, if it has one."""
    field = getattr(model, "model_fields", {}).get("dist")
    if field is not None and get_origin(field.annotation) is Literal:
        return get_args(field.annotation)[0]
    return None


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the last element of ``loc`` (a pydantic error location)."""
    current: Any = root
    for part in loc[:-1]:
        current = _unwrap(current)
        if get_origin(current) in (Union, types.UnionType):
            chosen = next((m for m in map(_unwrap, get_args(current)) if _tag(m) == part), None)
            if chosen is None:
                return None
            current = chosen          # pydantic names the union member in the location
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next((info for name, info in current.model_fields.items()
                          if part in (name, info.alias)), None)
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (list, tuple) and isinstance(part, int):
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    if get_origin(current) in (Union, types.UnionType):
        return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def allowed_keys(model: type[BaseModel]) -> list[str]:
    """The keys of ``model`` as written in the file (aliases, e.g. ``from``), in its order."""
    return [info.alias or name for name, info in model.model_fields.items()]
