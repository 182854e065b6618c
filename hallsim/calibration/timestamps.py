"""Timestamps in a ticket log: one format per column, UTC offsets converted to the hall's clock.

Times without an offset are the hall's local time already. Times with one (``+08:00``,
``+0800``, ``Z``) are converted to the hall's time zone: ``--tz`` (an offset such as
``+08:00`` or a zone name such as ``Asia/Shanghai``), by default the one offset the log uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from ..errors import ScenarioError, quote
from ..i18n import _

_WITH_OFFSET = r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?)$"
_OFFSET = r"([Zz]|[+-]\d\d(?::?\d\d)?)$"
_ENDS_LIKE_OFFSET = r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)$"
_TZ_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def zone(text: str) -> dt.tzinfo:
    """``--tz``: ``+08:00``, ``-0500``, ``UTC``, ``Z`` or an IANA zone name."""
    value = text.strip()
    if value.upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    match = _TZ_OFFSET.match(value)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours <= 14 and minutes < 60:
            delta = dt.timedelta(hours=hours, minutes=minutes)
            return dt.timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScenarioError(_("--tz: unknown time zone {value}; expected an offset such as "
                              "+08:00 or a zone name such as Asia/Shanghai").format(
                                  value=quote(text))) from None


def normal_offset(text: str) -> str:
    """``Z`` → ``+00:00``, ``+0800`` and ``+08`` → ``+08:00``."""
    if text in ("Z", "z"):
        return "+00:00"
    digits = text[1:].replace(":", "")
    return f"{text[0]}{digits[:2]}:{digits[2:4] or '00'}"


def offset_rows(text: pd.Series) -> np.ndarray:
    """Which values end in a UTC offset (a quick test of the end first: the full pattern
    runs only on the candidates, so a log without offsets pays little for it)."""
    if text.empty:
        return np.zeros(0, dtype=bool)
    candidate = text.str.contains(_ENDS_LIKE_OFFSET, regex=True).fillna(False).to_numpy(
        dtype=bool, copy=True)
    if candidate.any():
        candidate[candidate] = text[candidate].str.contains(_WITH_OFFSET, regex=True).fillna(
            False).to_numpy(dtype=bool)
    return candidate


def offsets_found(text: pd.Series, rows: np.ndarray) -> Counter[str]:
    """How many values carry each offset (normalised to ``+HH:MM``)."""
    if not rows.any():
        return Counter()
    found = text[rows].str.extract(_OFFSET, expand=False).value_counts()
    counts: Counter[str] = Counter()
    for offset, n in found.items():
        counts[normal_offset(str(offset))] += int(n)
    return counts


def hall_zone(found: Counter[str], tz: str | None, where: str) -> dt.tzinfo | None:
    """The zone offsets are converted to: ``--tz``, else the single offset found."""
    if tz:
        return zone(tz)
    if not found:
        return None
    if len(found) > 1:
        listed = ", ".join(f"{k}: {v}" for k, v in found.most_common())
        raise ScenarioError(_("{where}: the times carry several UTC offsets ({listed}); name the "
                              "hall's time zone with --tz (e.g. --tz Asia/Shanghai)").format(
                                  where=where, listed=listed))
    return zone(next(iter(found)))


def _arrow(text: pd.Series, fmt: str) -> np.ndarray | None:
    """Arrow's strptime on Arrow strings (fast, no Python objects); NaT where a value does
    not match. None where Arrow is not there or cannot take the format."""
    to_arrow = getattr(text.array, "__arrow_array__", None)
    if to_arrow is None or "%f" in fmt or "%z" in fmt or "%Z" in fmt:
        return None
    try:
        import pyarrow.compute as pc

        parsed = pc.strptime(to_arrow(), format=fmt, unit="s", error_is_null=True)
    except Exception:  # noqa: BLE001 - any Arrow refusal: pandas reads it instead
        return None
    return parsed.to_numpy(zero_copy_only=False).astype("datetime64[ns]")


def _naive(text: pd.Series) -> pd.Series:
    """Times without an offset, in the one format the column uses (NaT where unreadable)."""
    filled = text[text != ""]
    if filled.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    from pandas.tseries.api import guess_datetime_format

    fmt = guess_datetime_format(str(filled.iloc[0]))
    fast = _arrow(text, fmt) if fmt else None
    if fast is not None:
        out = pd.Series(fast, index=text.index)
    elif fmt:
        # pandas' fast path for ISO dates, with or without seconds
        out = pd.to_datetime(text, format="ISO8601" if fmt.startswith("%Y-%m-%d") else fmt,
                             errors="coerce").astype("datetime64[ns]")
    else:
        out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    retry = (out.isna() & (text != "")).to_numpy(dtype=bool)
    if retry.any():
        again = pd.to_datetime(text[retry].astype(object), format="mixed", errors="coerce")
        if isinstance(again.dtype, pd.DatetimeTZDtype):
            again = again.dt.tz_localize(None)
        out.loc[retry] = again.astype("datetime64[ns]").to_numpy()
    return out


def parse_times(text: pd.Series, offsets: np.ndarray | None = None,
                hall: dt.tzinfo | None = None) -> pd.Series:
    """Datetimes on the hall's clock (NaT where unreadable or empty). ``offsets`` marks the
    values with a UTC offset, converted to ``hall`` (their own offset when ``hall`` is None)."""
    if offsets is None or not offsets.any():
        return _naive(text)
    out = _naive(text.where(~offsets, ""))
    part = text[offsets]
    if hall is None:
        hall = zone(normal_offset(str(part.str.extract(_OFFSET, expand=False).iloc[0])))
    aware = pd.to_datetime(part, format="ISO8601", utc=True, errors="coerce")
    retry = aware.isna()
    if retry.any():
        aware.loc[retry] = pd.to_datetime(part[retry], format="mixed", utc=True, errors="coerce")
    local = aware.dt.tz_convert(hall).dt.tz_localize(None).astype("datetime64[ns]")
    out.loc[offsets] = local.to_numpy()
    return out
