"""Checking a fit on days it did not see: the last days of a ticket log are held out, the
hall is fitted to the others, simulated, and the days the fit never saw are compared with the
simulation, measure by measure, as the ticket log sees the counter queue.

Each measure is a daily value (tickets per day, the mean wait of served tickets, the share
of tickets that are no-shows), averaged over days. The simulated days give a 95% prediction
interval for the mean of as many new days as were held out (Student t, ``sd * sqrt(1/m +
1/n)``); a held-out mean inside it is ``within``. Real days vary more than simulated ones
(weather, paydays, a clerk off sick), so a measure outside says where the fitted hall
differs from the real one, not that the fit failed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from ..i18n import N_, _, translate
from .export import ticket_log
from .hours import minute_of_day
from .tickets import TicketLog

HOLD_SHARE = 0.2           # the last fifth of the days, at least one
MIN_DAYS = 5               # fewer days in the log: too few to hold any out
MEASURES = (("tickets", N_("tickets per day"), "{:.1f}"),
            ("mean_wait_min", N_("mean wait of served tickets (min)"), "{:.2f}"),
            ("no_show_share", N_("no-show share"), "{:.1%}"))


@dataclass(frozen=True)
class Split:
    """A log's days: the tickets of the days fitted and of the days held out."""

    fitted: TicketLog
    held: pd.DataFrame
    fitted_days: list[str]
    held_days: list[str]


def split_days(log: TicketLog, share: float = HOLD_SHARE, min_days: int = MIN_DAYS) -> Split | None:
    """The last ``share`` of the log's days held out (at least one); None with fewer than
    ``min_days`` days."""
    day = log.tickets["issued"].dt.normalize()
    days = sorted(day.unique())
    if len(days) < min_days:
        return None
    held = max(1, int(round(share * len(days))))
    cut = days[-held]
    later = (day >= cut).to_numpy()
    names = [pd.Timestamp(d).strftime("%Y-%m-%d") for d in days]
    return Split(replace(log, tickets=log.tickets[~later]), log.tickets[later],
                 names[:-held], names[-held:])


def daily(issued: pd.Series, called: pd.Series, served: np.ndarray, hours: tuple[int, int]
          ) -> pd.DataFrame:
    """Per day (the date a ticket is issued), over tickets issued within ``hours`` (minutes
    after midnight): tickets, mean wait of served tickets (called - issued, minutes) and
    the no-show share."""
    minute = minute_of_day(issued)
    inside = (minute >= hours[0]) & (minute < hours[1])
    wait = (called - issued).dt.total_seconds().to_numpy() / 60.0
    table = pd.DataFrame({"day": issued.dt.normalize().to_numpy()[inside],
                          "wait": np.where(served, wait, np.nan)[inside],
                          "no_show": (~served)[inside].astype(float)})
    grouped = table.groupby("day", sort=True)
    return pd.DataFrame({"tickets": grouped.size().astype(float),
                         "mean_wait_min": grouped["wait"].mean(),
                         "no_show_share": grouped["no_show"].mean()}).reset_index(drop=True)


def observed_days(tickets: pd.DataFrame, hours: tuple[int, int]) -> pd.DataFrame:
    """``daily`` of a read log's tickets."""
    return daily(tickets["issued"], tickets["called"], tickets["served"].to_numpy(bool), hours)


def simulated_days(customers: pd.DataFrame, open_minute: float, hours: tuple[int, int]
                   ) -> pd.DataFrame:
    """``daily`` of simulated days, exported as the hall's ticket log would show them."""
    log = ticket_log(customers, open_minute)
    called = pd.to_datetime(log["called_at"].where(log["called_at"] != ""))
    return daily(pd.to_datetime(log["issued_at"]), called,
                 (log["outcome"] == "served").to_numpy(), hours)


@dataclass(frozen=True)
class HeldOut:
    """The check's outcome: days, and per measure the held-out mean, the simulated mean and
    the 95% prediction interval for the mean of as many days."""

    fitted_days: list[str]
    held_days: list[str]
    simulated: int
    rows: list[dict]

    @property
    def within(self) -> int:
        return sum(1 for r in self.rows if r["within"])

    def document(self) -> dict:
        """As JSON (an undefined number, such as a wait with nobody served, is null)."""
        rows = [{k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                 for k, v in r.items()} for r in self.rows]
        return {"fitted_days": len(self.fitted_days), "held_days": self.held_days,
                "simulated_days": self.simulated, "within": self.within, "measures": rows}


def compare_days(fitted_days: list[str], held_days: list[str], observed: pd.DataFrame,
                 simulated: pd.DataFrame) -> HeldOut:
    """The held-out days' means (``observed``: one row per held-out day) against the
    prediction intervals that the simulated days give."""
    m, n = len(observed), len(simulated)
    rows = []
    for key, _label, _fmt in MEASURES:
        sim = simulated[key].dropna().to_numpy(float)
        obs = observed[key].dropna().to_numpy(float)
        mean = float(sim.mean()) if len(sim) else float("nan")
        if len(sim) > 1 and len(obs):
            half = float(stats.t.ppf(0.975, len(sim) - 1) * sim.std(ddof=1)
                         * np.sqrt(1 / len(obs) + 1 / len(sim)))
        else:
            half = float("nan")
        held = float(obs.mean()) if len(obs) else float("nan")
        low, high = max(mean - half, 0.0), mean + half       # counts and shares: never negative
        high = min(high, 1.0) if key.endswith("_share") else high
        within = bool(np.isfinite(half) and low <= held <= high)
        rows.append({"measure": key, "held_out": held, "simulated": mean,
                     "low": low, "high": high, "within": within})
    return HeldOut(fitted_days, held_days, n if m else 0, rows)


def held_out_sentence(check: HeldOut | None, days: int, problem: str | None = None) -> str:
    """One sentence: what was checked, and how it came out (or why there is no check:
    ``problem``, the fit to the earlier days failing, or too few days)."""
    if check is None and problem is not None:
        return _("No held-out check: the days before the held-out ones could not be fitted "
                 "({problem}).").format(problem=problem)
    if check is None:
        return _("No held-out check: the log has {n} day(s); at least {min} are needed to "
                 "hold the last fifth out.").format(n=days, min=MIN_DAYS)
    if len(check.held_days) == 1:
        text = _("Checked on the log's last day ({first}), which the check's fit did not see: "
                 "{k} of {total} measures are within the 95% prediction range that {n} simulated days of "
                 "that fit give for one day.")
    else:
        text = _("Checked on the log's last {m} days ({first} to {last}), which the check's fit "
                 "did not see: {k} of {total} measures are within the 95% prediction range that {n} "
                 "simulated days of that fit give for {m} days.")
    return text.format(m=len(check.held_days), first=check.held_days[0],
                       last=check.held_days[-1], k=check.within, total=len(check.rows),
                       n=check.simulated)


def held_out_html(check: HeldOut | None, days: int, problem: str | None = None) -> str:
    """The report's section (escaped; no plot)."""
    e = html.escape
    parts = ["<h2>" + e(_("Held-out check")) + "</h2>",
             f'<p class="note"><strong>{e(held_out_sentence(check, days, problem))}</strong></p>']
    if check is None:
        return "".join(parts)
    formats = {key: (label, fmt) for key, label, fmt in MEASURES}
    head = [_("measure"), _("held-out days"), _("simulated"), _("95% prediction range"), _("verdict")]
    body = []
    for row in check.rows:
        label, fmt = formats[row["measure"]]
        held, sim, low, high = (fmt.format(row[k]) if np.isfinite(row[k]) else ""
                                for k in ("held_out", "simulated", "low", "high"))
        body.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in (
            translate(label), held, sim, f"{low} – {high}" if low else "",
            _("within") if row["within"] else _("outside"))) + "</tr>")
    parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
                 + "".join(body) + "</table>")
    note = _("The scenario is fitted to every day of the log; this check fits the same way to "
             "the days before the held-out ones, so that the days it is checked on are days it "
             "never saw. Real days vary more than simulated ones: a measure outside the range "
             "says where the fitted hall differs from the real one.")
    parts.append(f'<p class="note">{e(note)}</p>')
    return "".join(parts)
