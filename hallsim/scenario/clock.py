"""Times of day: "HH:MM" strings in scenarios, minutes since midnight inside."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema

from ..errors import quote
from ..i18n import _
from .ime import value_hint

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_clock(value: object) -> int:
    """Return minutes since midnight for a quoted ``"HH:MM"`` (``"24:00"`` allowed).

    YAML 1.1 reads an unquoted ``10:00`` as the sexagesimal integer 600, so an
    integer gets a hint to quote it rather than a puzzling type error.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(_('expected "HH:MM", got {value}').format(value=repr(value)))
    if isinstance(value, int):
        hint = f"{value // 60:02d}:{value % 60:02d}"
        raise ValueError(_('expected a quoted time "HH:MM", got the number {value} (YAML reads '
                           'unquoted {hint} as a number: write "{hint}")').format(value=value,
                                                                                 hint=hint))
    match = _CLOCK.match(value.strip())
    if not match:
        raise ValueError(_('expected "HH:MM", got {value}').format(value=quote(value))
                         + value_hint(value))
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes != 0):
        raise ValueError(_('expected "HH:MM" between "00:00" and "24:00", got {value}').format(
            value=quote(value)))
    return hours * 60 + minutes


def format_clock(minutes: float) -> str:
    """Format minutes since midnight as ``HH:MM`` (rounded down to the minute)."""
    whole = int(minutes // 1)
    return f"{whole // 60:02d}:{whole % 60:02d}"


# Read from "HH:MM" (quoted), held as minutes since midnight; editors see the text form.
Clock = Annotated[int, BeforeValidator(parse_clock), WithJsonSchema(
    {"type": "string", "pattern": "^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$",
     "description": 'a time of day, quoted: "HH:MM" ("24:00" is midnight at the end)'})]
