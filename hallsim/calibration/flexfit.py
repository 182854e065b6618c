"""Staff who step in at the counters when the queue is long, as a ticket log shows them.

While numbers wait, every clerk at work is serving (a free clerk would call the next
number), so the services in progress count the clerks at work. In a hall with a fixed plan
that count is the same all through a quarter hour, except where a shift or a break changes
it. Where floor staff open a spare window when the queue grows (a flex rule), the count is
above the quarter hour's base now and then, all through the day: the base is the lowest
count held for a good part of the quarter hour's waiting time, and the floor staff are as
many as the log shows at work above it (the median over the day).

The fixed shifts put on duty the clerks at work while numbers wait, rounded. What they
leave over (the clerk-minutes above them) comes and goes with the queue, which no fixed plan
reproduces: the fit writes it as floor staff with a flex rule, stepping in from the queue
length at which, on the queue the log shows, they give those clerk-minutes.

What a log cannot show is what those people do in between (pre-processing paperwork, the
floor): the fitted floor staff are free whenever the rule calls them, so the rule is read
as the clerk-minutes they add, not as the queue at which the hall's own rule moves them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..i18n import _

MAX_QUEUE = 60                 # queue lengths from here on are counted together
MAX_BUSY = 200                 # services in progress at once, likewise
BASE_SHARE = 0.15              # of a slot's waiting time, for a count to be the slot's base
ABOVE = 0.1                    # clerks above the base that say someone stepped in
SLOTS_ABOVE = 0.5              # of the waiting time, in slots with someone above the base
MIN_MINUTES = 5.0              # clerk-minutes a day left over, for a flex rule to be written


@dataclass(frozen=True)
class Waiting:
    """What the log's waiting shows, over all days: per slot, the minutes someone waited
    and the clerk-minutes at work then, and the minutes with each count at work; over the
    day, the minutes with each length of the queue (numbers issued and not yet called)."""

    time: np.ndarray           # slots
    clerk_minutes: np.ndarray  # slots
    by_count: np.ndarray       # slots x services in progress (0 ... MAX_BUSY)
    by_queue: np.ndarray       # queue lengths (0 ... MAX_QUEUE)

    @classmethod
    def empty(cls, n: int) -> Waiting:
        return cls(np.zeros(n), np.zeros(n), np.zeros((n, MAX_BUSY + 1)),
                   np.zeros(MAX_QUEUE + 1))

    def plus(self, other: Waiting) -> Waiting:
        return Waiting(self.time + other.time, self.clerk_minutes + other.clerk_minutes,
                       self.by_count + other.by_count, self.by_queue + other.by_queue)


@dataclass(frozen=True)
class FlexFit:
    """The staff the log shows stepping in, and the rule the fit writes for them."""

    people: int                # floor staff in the fitted scenario
    at_least: int              # their flex rule
    at_most: int
    minutes: float             # clerk-minutes a day at work above the fixed shifts
    share: float               # of the waiting time, in slots with someone above the base

    @property
    def written(self) -> bool:
        """Whether the fit writes floor staff and a rule (else the shifts carry it all)."""
        return self.people > 0


def _held(by_count: np.ndarray, time: np.ndarray, lowest: bool) -> np.ndarray:
    """Per slot, the lowest (or highest) count at work held for BASE_SHARE of the time."""
    held = by_count >= BASE_SHARE * time[:, None]
    count = np.arange(by_count.shape[1])
    if lowest:
        return np.where(held, count, by_count.shape[1]).min(axis=1)
    return np.where(held, count, -1).max(axis=1)


def fit_flex(seen: Waiting, told: np.ndarray, staff: np.ndarray, days: int) -> FlexFit | None:
    """The floor staff the log shows stepping in, beside fixed shifts putting ``staff`` on
    duty per slot (None: nobody is seen stepping in; no rule written when the shifts
    already carry it all). ``told``: the slots where the waiting tells the clerks at work."""
    if not told.any():
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        plain = np.where(told, seen.clerk_minutes / seen.time, 0.0)
    base = _held(seen.by_count, seen.time, lowest=True)
    above = np.where(told, plain - base, 0.0)
    share = float(seen.time[told & (above >= ABOVE)].sum()) / float(seen.time[told].sum())
    minutes = float((np.where(told, plain - staff, 0.0) * seen.time).sum()) / days
    if share < SLOTS_ABOVE:
        return None
    if minutes < MIN_MINUTES:
        return FlexFit(0, 0, 0, max(minutes, 0.0), share)
    top = _held(seen.by_count, seen.time, lowest=False)
    people = max(1, int(np.median((top - base)[told])))
    # minutes a day with at least k numbers waiting, k = 0 ... MAX_QUEUE
    at_queue = np.cumsum(seen.by_queue[::-1])[::-1] / days
    at_least = 1 + int(np.argmin(np.abs(people * at_queue[1:] - minutes)))
    return FlexFit(people, at_least, at_least - 1, minutes, share)


def flex_sentences(flex: FlexFit | None) -> list[str]:
    """What the fit made of staff stepping in, and the warning that goes with it."""
    if flex is None:
        return []
    seen = _("The log shows more clerks at work than the fixed shifts when queues are long, "
             "through {share:.0%} of the waiting time: staff who step in at the counters.").format(
                 share=flex.share)
    if flex.written:
        made = _("The fit writes {people} floor staff who open a window when {at_least} or more "
                 "numbers wait, giving the {minutes:.0f} clerk-minutes a day the log shows above "
                 "the shifts.").format(people=flex.people, at_least=flex.at_least,
                                       minutes=flex.minutes)
    else:
        made = _("The fitted shifts already carry those clerk-minutes: no flex rule is written.")
    if not flex.written:      # nobody is written to step in: there is nothing to warn about
        return [seen, made]
    warn = _("Check before planning with it: a log does not show what those staff do when not "
             "at a counter (pre-processing paperwork, the floor), nor that paperwork done while "
             "customers wait shortens counter times when queues are long. The fitted floor staff "
             "are free whenever the rule calls them, so the fitted hall's waits and abandonment "
             "can differ from the hall's own by a tenth or more.")
    return [seen, made, warn]
