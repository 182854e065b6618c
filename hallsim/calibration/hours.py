"""Opening hours from a ticket log, and the stray tickets outside them.

The hall is open over the intervals of the day that have tickets on at least half the
days (from the first such interval to the end of the last), or over ``--hours``. Hours
come from arrivals: a first or last such interval with under a tenth of the tickets of a
middle interval (the median) is not open. That is the trickle of customers already inside
who take their ticket a few minutes after closing (a kiosk failed, the greeter sent them
on): they never add half an hour to the day. A ticket
issued outside is *stray* (a test ticket, a clock error, a late straggler): it is counted
and listed, and left out of the fit, so it never creates an interval nor lowers a load level.

A day runs from midnight, or from ``--day-starts HH:MM`` for a hall whose tickets run
across midnight: every time is then read on the hall's day clock, which starts there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..i18n import _
from ..scenario.clock import format_clock

DAY = 24 * 60
DENSE_SHARE = 0.5
EDGE_SHARE = 0.1               # of the median interval's tickets, for a first or last interval


@dataclass(frozen=True)
class Hours:
    """Opening hours on the day clock (0 = the day's start) and how to show them."""

    open: int
    close: int
    offset: int                # added to a day-clock time to show it as a time of day
    day_starts: int            # minutes after midnight the day clock starts (--day-starts)
    given: bool                # from --hours rather than from the tickets
    stray: pd.DataFrame        # line, issued (as logged): tickets outside the hours

    def clock(self, minutes: float) -> str:
        return format_clock(minutes + self.offset)

    @property
    def on_wall_clock(self) -> bool:
        """Whether the scenario's times are times of day (else: minutes from the day start)."""
        return self.day_starts == 0 or self.offset != 0


def on_day_clock(tickets: pd.DataFrame, day_starts: int) -> pd.DataFrame:
    """The tickets with every time moved back by ``day_starts`` minutes, so that each day
    starts at midnight of its own date (a no-op without ``--day-starts``)."""
    if not day_starts:
        return tickets
    shift = pd.Timedelta(minutes=day_starts)
    return tickets.assign(issued=tickets["issued"] - shift, called=tickets["called"] - shift,
                          finished=tickets["finished"] - shift)


def minute_of_day(times: pd.Series) -> np.ndarray:
    """Minutes since midnight of each timestamp's own date."""
    return ((times - times.dt.normalize()).dt.total_seconds() / 60.0).to_numpy()


def _crossing(day_starts: int, suggest: int) -> ScenarioError:
    where = f" (--day-starts {format_clock((suggest + day_starts) % DAY)})"
    return ScenarioError(_(
        "the tickets run across midnight: the hall's day is split between two dates. Say when "
        "the hall's day starts with --day-starts HH:MM{example}, a time when the hall is "
        "closed").format(example=where))


def _given(hours: tuple[int, int], day_starts: int, interval: int) -> tuple[int, int]:
    """``--hours`` on the day clock."""
    open_wall, close_wall = hours
    length = (close_wall - open_wall) % DAY or DAY
    open_ = (open_wall - day_starts) % DAY
    close = open_ + length
    if close > DAY:
        if not day_starts:
            raise _crossing(0, (close_wall + open_wall) // 2 if close_wall < open_wall
                            else open_wall)
        raise ScenarioError(_("--hours {open}-{close} run past the start of the next day "
                              "(--day-starts {start}); choose a day start when the hall is "
                              "closed").format(open=format_clock(open_wall),
                                               close=format_clock(close_wall % DAY),
                                               start=format_clock(day_starts)))
    if length % interval:
        raise ScenarioError(_("--hours {open}-{close} is not a whole number of {interval}-minute "
                              "intervals; choose an --interval that divides it (e.g. "
                              "--interval 15)").format(open=format_clock(open_wall),
                                                      close=format_clock(close_wall % DAY or DAY),
                                                      interval=interval))
    return open_, close


def _dense(tod: np.ndarray, day: np.ndarray, days: int, interval: int,
           day_starts: int) -> tuple[int, int]:
    """The span of intervals with tickets on at least half the days."""
    n = -(-DAY // interval)
    slot = np.minimum((tod // interval).astype(np.int64), n - 1)
    seen = np.zeros((days, n), dtype=bool)
    seen[day, slot] = True
    dense = seen.mean(axis=0) >= DENSE_SHARE
    if not dense.any():
        raise ScenarioError(_("no interval of the day has tickets on at least half the days, so "
                              "the opening hours cannot be told; give them with --hours "
                              "HH:MM-HH:MM"))
    if dense[0] and dense[-1] and not dense.all():
        gap = ~dense
        # suggest the middle of the longest closed stretch
        edges = np.flatnonzero(np.diff(np.concatenate(([0], gap.astype(np.int8), [0]))))
        starts, ends = edges[::2], edges[1::2]
        longest = int(np.argmax(ends - starts))
        raise _crossing(day_starts, int((starts[longest] + ends[longest]) // 2 * interval))
    first, last = _trimmed(np.flatnonzero(dense), np.bincount(slot, minlength=n))
    return int(first * interval), int(min((last + 1) * interval, DAY))


def _trimmed(dense: np.ndarray, tickets: np.ndarray) -> tuple[int, int]:
    """The first and last open interval: the dense ones, less a trickle at either end."""
    first, last = int(dense[0]), int(dense[-1])
    floor = EDGE_SHARE * float(np.median(tickets[first:last + 1]))
    while last > first and tickets[last] < floor:
        last -= 1
    while first < last and tickets[first] < floor:
        first += 1
    return first, last


def opening_hours(tickets: pd.DataFrame, interval: int, hours: tuple[int, int] | None = None,
                  day_starts: int = 0, source: str = "<log>") -> tuple[Hours, np.ndarray]:
    """The opening hours and which tickets were issued within them (``tickets`` on the
    day clock, see ``on_day_clock``); a problem is reported against ``source``'s issued_at."""
    try:
        return _opening_hours(tickets, interval, hours, day_starts)
    except ScenarioError as exc:
        raise ScenarioError([f"{source}: issued_at: {m}" for m in exc.messages]) from None


def _opening_hours(tickets: pd.DataFrame, interval: int, hours: tuple[int, int] | None,
                   day_starts: int) -> tuple[Hours, np.ndarray]:
    if tickets.empty:
        raise ScenarioError(_("no usable tickets on the days chosen (see --days)"))
    tod = minute_of_day(tickets["issued"])
    day, _values = pd.factorize(tickets["issued"].dt.normalize())
    if hours is not None:
        open_, close = _given(hours, day_starts, interval)
    else:
        open_, close = _dense(tod, day, int(day.max()) + 1, interval, day_starts)
    inside = (tod >= open_) & (tod < close)
    offset = 0
    for shift in (day_starts, day_starts - DAY):       # as times of day, when they fit
        if open_ + shift >= 0 and close + shift <= DAY:
            offset = shift
            break
    stray = tickets.loc[~inside, ["line", "issued"]].assign(
        issued=lambda t: t["issued"] + pd.Timedelta(minutes=day_starts)).reset_index(drop=True)
    return Hours(open_, close, offset, day_starts, hours is not None, stray), inside
