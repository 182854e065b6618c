"""Who is called first, from the order of calls in a ticket log.

A served ticket *jumps* when it is called before a ticket issued earlier that was still
waiting; it is *passed* when a ticket issued later is called before it. With one queue
called in ticket order nobody jumps. A priority class (贵宾 called first) jumps nearly
every time someone earlier is waiting, and is itself almost never passed: the fit writes
it as ``priority: 0``. Other services that jump and are passed show windows that call only
some services (counter groups), which a log that numbers windows by use does not name: the
fit pools the counters and says so (a log whose windows show the groups has them written:
``zones.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..i18n import _

FIRST_JUMPS = 0.8              # of a service's calls with someone earlier waiting
FIRST_PASSED = 0.05            # of its served tickets
GROUP_JUMPS = 0.05             # of the other services' calls with someone earlier waiting
MIN_CALLS = 20


@dataclass(frozen=True)
class CallOrder:
    """Per service: calls with someone earlier waiting, the share of them that jumped, and
    the share of served tickets passed."""

    calls: dict[str, int]
    jumps: dict[str, float]
    passed: dict[str, float]

    @property
    def first(self) -> list[str]:
        """Services called before everyone else: a priority class."""
        return [s for s, n in self.calls.items() if n >= MIN_CALLS
                and self.jumps[s] >= FIRST_JUMPS and self.passed[s] <= FIRST_PASSED]

    @property
    def others_jump(self) -> float:
        """The share of calls of the other services that jumped someone earlier."""
        rest = [s for s in self.calls if s not in self.first]
        n = sum(self.calls[s] for s in rest)
        return sum(self.jumps[s] * self.calls[s] for s in rest) / n if n else 0.0

    @property
    def grouped(self) -> bool:
        return self.others_jump >= GROUP_JUMPS


def call_order(tickets: pd.DataFrame) -> CallOrder:
    """Jumps and passes of the served tickets (times in issue order: the hall is closed
    between days, so one running maximum over the whole log serves every day)."""
    served = tickets["served"].to_numpy(dtype=bool)
    issued = tickets["issued"].to_numpy()[served].astype("datetime64[ns]").view(np.int64)
    called = tickets["called"].to_numpy()[served].astype("datetime64[ns]").view(np.int64)
    service = tickets["service"].to_numpy()[served]
    order = np.argsort(issued, kind="stable")
    issued, called, service = issued[order], called[order], service[order]
    low, high = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    before = np.maximum.accumulate(np.concatenate(([low], called[:-1])))
    after = np.minimum.accumulate(np.concatenate((called[1:], [high]))[::-1])[::-1]
    waiting = before > issued           # someone issued earlier was still waiting
    jumped = before > called
    passed = after < called
    codes, names = pd.factorize(service)
    k = len(names)
    calls = np.bincount(codes[waiting], minlength=k)
    jumps = np.bincount(codes[waiting & jumped], minlength=k)
    total = np.bincount(codes, minlength=k)
    passes = np.bincount(codes[passed], minlength=k)
    return CallOrder({str(s): int(calls[i]) for i, s in enumerate(names)},
                     {str(s): float(jumps[i] / calls[i]) if calls[i] else 0.0
                      for i, s in enumerate(names)},
                     {str(s): float(passes[i] / total[i]) if total[i] else 0.0
                      for i, s in enumerate(names)})


def call_sentences(calls: CallOrder, zoned: bool = False) -> list[str]:
    """What the fit made of the order of calls, in words (``zoned``: the log's windows showed
    the counter groups, which the fit writes, so the calls need no excuse)."""
    out = []
    for s in calls.first:
        out.append(_("{service} tickets are called before earlier numbers of other services "
                     "({share:.0%} of the time someone earlier waits): written as priority 0, "
                     "called first.").format(service=s, share=calls.jumps[s]))
    if calls.grouped and not zoned:
        out.append(_(
            "Tickets are called ahead of earlier numbers of other services ({share:.0%} of the "
            "calls with someone earlier waiting), though no service is always first: the hall "
            "likely has counter groups (windows that call only some services). A log that "
            "numbers windows by use does not say which windows call which services, so the fit "
            "pools every counter, and it counts clerks while numbers wait, when one group's "
            "clerks can be idle while another group's customers wait: the fitted shifts have "
            "fewer clerks than the hall, and its waits come out longer. Add the groups by "
            "hand.").format(share=calls.others_jump))
    return out
