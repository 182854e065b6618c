"""The records of one simulated day: one immutable row per customer, per staff member,
and the trace of queue and staffing levels. Every statistic derives from these."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..model.codes import OUTCOME_NAMES, Level, Outcome, Pre, State
from ..model.hall import Hall
from ..model.staff import scheduled_minutes
from ..scenario.clock import format_clock
from ..scenario.schema import ROLES, ScenarioModel
from .detractor import probability, promoter_probability

OUTCOMES = np.array(OUTCOME_NAMES, dtype=object)
QUEUE_NAMES = {State.Q_TRIAGE: "triage", State.Q_KIOSK: "kiosk", State.Q_COUNTER: "counter"}


@dataclass(frozen=True)
class CustomerRecords:
    """Columnar and read-only: entry ``i`` of every array is customer ``i`` (arrival order)."""

    arrival: np.ndarray          # minutes after opening
    service: np.ndarray          # index into scenario.services
    priority: np.ndarray
    outcome: np.ndarray          # index into OUTCOMES (codes.Outcome)
    abandoned_in: np.ndarray     # 0, or the queue state where patience ran out
    triaged: np.ndarray
    kiosk_failed: np.ndarray
    triage_enter: np.ndarray     # when they reached each queue (NaN: never); each queue is
    kiosk_enter: np.ndarray      # visited at most once, in one stretch, so entry + wait
    counter_enter: np.ndarray    # is when they left it
    wait_triage: np.ndarray
    wait_kiosk: np.ndarray
    wait_counter: np.ndarray
    wait: np.ndarray             # all queueing, up to leaving if abandoned
    kiosk_start: np.ndarray      # NaN if never at a kiosk
    kiosk_end: np.ndarray
    pre_eligible: np.ndarray
    pre_start: np.ndarray        # NaN if never pre-processed
    preprocessed: np.ndarray     # pre-processing completed before the call
    pre_minutes: np.ndarray      # time being pre-processed while waiting
    counter_start: np.ndarray    # NaN if never at a counter
    counter_minutes: np.ndarray  # actual counter service time (after any saving)
    window: np.ndarray           # the window that served them (from 0, group by group), or -1
    booked: np.ndarray           # came on a booking
    slot: np.ndarray             # the booked slot, minutes after opening (NaN: walk-in)
    departure: np.ndarray
    detractor_p: np.ndarray
    promoter_p: np.ndarray       # not in customers.csv: its columns are pinned

    def __post_init__(self) -> None:
        for f in fields(self):
            getattr(self, f.name).flags.writeable = False

    def __len__(self) -> int:
        return len(self.arrival)

    @property
    def abandoned(self) -> np.ndarray:
        return self.outcome == Outcome.ABANDONED

    @property
    def unserved(self) -> np.ndarray:
        """Left without being served: abandoned or turned away."""
        return (self.outcome == Outcome.ABANDONED) | (self.outcome == Outcome.TURNED_AWAY)


def _steps(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The count of intervals [start, end) in progress, as change times and values after.

    Of several changes at one instant only the net one is kept, so a customer served
    the moment they arrive never shows as queueing.
    """
    keep = ~np.isnan(starts)
    times = np.concatenate((starts[keep], ends[keep]))
    deltas = np.concatenate((np.ones(keep.sum()), -np.ones(keep.sum())))
    if len(times) == 0:
        return np.zeros(0), np.zeros(0)
    order = np.lexsort((-deltas, times))
    times, level = times[order], np.cumsum(deltas[order])
    last = np.append(times[1:] != times[:-1], True)
    return times[last], level[last]


@dataclass(frozen=True)
class DayRecords:
    """Everything recorded in one day, plus the scenario facts metrics need."""

    customers: CustomerRecords
    staff_columns: dict[str, Any]   # the columns of ``staff`` (arrays; lists of names)
    trace: np.ndarray            # staff at work per role: columns time, role, count
    scheduled_staff_minutes: float
    end_time: float              # when the last event happened
    breaks: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))  # staff on a break
    # per own role: columns time, role, count (the replay's windows; no metric reads it)

    @cached_property
    def staff(self) -> pd.DataFrame:
        """One row per staff member: shift, role, start, end, left_at, busy_min,
        overtime_min (built when first read: metrics need only the overtime)."""
        return pd.DataFrame(self.staff_columns)

    @property
    def overtime_minutes(self) -> float:
        """All staff's overtime, in minutes."""
        return float(np.asarray(self.staff_columns["overtime_min"]).sum())

    def level(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        """A level through the day as (change times, values after): staff at work per role
        (``Level.STAFF_*``, the role's code) from the trace, queues and busy windows and
        kiosks from the customer records."""
        c = self.customers
        if key in (Level.STAFF_COUNTER, Level.STAFF_TRIAGE, Level.STAFF_PREPROCESS):
            mine = self.trace[:, 1] == key
            return self.trace[mine, 0], self.trace[mine, 2]
        if key == Level.QUEUE_TRIAGE:
            return _steps(c.triage_enter, c.triage_enter + c.wait_triage)
        if key == Level.QUEUE_KIOSK:
            return _steps(c.kiosk_enter, c.kiosk_enter + c.wait_kiosk)
        if key == Level.QUEUE_COUNTER:
            return _steps(c.counter_enter, c.counter_enter + c.wait_counter)
        if key == Level.QUEUE_PRE:
            eligible = np.where(c.pre_eligible, c.counter_enter, np.nan)
            left = np.where(np.isnan(c.pre_start), c.counter_enter + c.wait_counter, c.pre_start)
            return _steps(eligible, left)
        if key == Level.BUSY_WINDOWS:
            return _steps(c.counter_start, c.counter_start + c.counter_minutes)
        if key == Level.KIOSKS_BUSY:
            return _steps(c.kiosk_start, c.kiosk_end)
        raise ValueError(f"unknown level {key}")

    def on_break(self, role: int) -> tuple[np.ndarray, np.ndarray]:
        """Staff of ``role`` (their own role) on a break, as (change times, values after)."""
        mine = self.breaks[:, 1] == role
        return self.breaks[mine, 0], self.breaks[mine, 2]


def record_day(sc: ScenarioModel, hall: Hall) -> DayRecords:
    """Freeze a finished hall into records (views on its columns, not copies)."""
    table = hall.customers
    pop = table.population
    col = table.column
    wait = col("waited")
    pre_minutes = col("pre_minutes")
    outcome = col("outcome", dtype=np.int8)
    kiosk_start = col("kiosk_start", np.nan)
    unserved = (outcome == Outcome.ABANDONED) | (outcome == Outcome.TURNED_AWAY)
    customers = CustomerRecords(
        arrival=pop.arrival,
        service=pop.service,
        priority=pop.priority,
        outcome=outcome,
        abandoned_in=col("left_from", dtype=np.int8),
        triaged=col("triaged", dtype=np.int8).astype(bool),
        kiosk_failed=col("kiosk_failed", dtype=np.int8).astype(bool),
        triage_enter=col("triage_enter", np.nan),
        kiosk_enter=col("kiosk_enter", np.nan),
        counter_enter=col("counter_enter", np.nan),
        wait_triage=col("triage_wait"),
        wait_kiosk=col("kiosk_wait"),
        wait_counter=col("counter_wait"),
        wait=wait,
        kiosk_start=kiosk_start,
        kiosk_end=(kiosk_start + pop.kiosk_minutes_drawn if len(table.columns["kiosk_start"])
                   else kiosk_start),
        pre_eligible=pop.pre_eligible,
        pre_start=col("pre_start", np.nan),
        preprocessed=col("pre_state", dtype=np.int8) == Pre.DONE,
        pre_minutes=pre_minutes,
        counter_start=col("counter_start", np.nan),
        counter_minutes=col("counter_minutes"),
        window=col("window", -1, np.int32),
        booked=pop.booked,
        slot=pop.slot,
        departure=col("departure", np.nan),
        detractor_p=probability(wait, pre_minutes, unserved, sc.detractor),
        promoter_p=promoter_probability(wait, pre_minutes, unserved, sc.detractor),
    )
    members = hall.staffing.members
    end = np.array([s.end for s in members], dtype=float)
    # Overtime is work past the shift end: a late break running past it is not work.
    worked_until = np.array([s.worked_until for s in members], dtype=float)
    staff = {
        "shift": [s.shift for s in members],
        "role": [ROLES[s.base] for s in members],
        "start": np.array([s.start for s in members], dtype=float),
        "end": end,
        "left_at": np.array([s.left_at for s in members], dtype=float),
        "busy_min": np.array([s.busy_time for s in members], dtype=float),
        "overtime_min": np.maximum(worked_until - end, 0.0),
    }
    trace = np.asarray(hall.staffing.trace, dtype=float).reshape(-1, 3)
    breaks = np.asarray(hall.staffing.breaks, dtype=float).reshape(-1, 3)
    return DayRecords(customers, staff, trace, scheduled_minutes(sc), float(hall.env.now),
                      breaks)


def customers_frame(sc: ScenarioModel, rec: CustomerRecords) -> pd.DataFrame:
    """The per-customer table for people: clock times, service names, outcomes."""
    open_ = sc.hours.open
    names = np.array([s.name for s in sc.services], dtype=object)
    queue = np.array([QUEUE_NAMES.get(k, "") for k in State], dtype=object)
    frame = pd.DataFrame({
        "customer": np.arange(len(rec)),
        "arrival": [format_clock(open_ + t) for t in rec.arrival],
        "arrival_min": rec.arrival,
        "service": names[rec.service] if len(rec) else np.array([], dtype=object),
        "priority": rec.priority,
        "outcome": OUTCOMES[rec.outcome],
        "abandoned_in": queue[rec.abandoned_in],
        "triaged": rec.triaged,
        "kiosk_failed": rec.kiosk_failed,
        "wait_min": rec.wait,
        "wait_triage_min": rec.wait_triage,
        "wait_kiosk_min": rec.wait_kiosk,
        "wait_counter_min": rec.wait_counter,
        "preprocessed": rec.preprocessed,
        "preprocess_min": rec.pre_minutes,
        "counter_start_min": rec.counter_start,
        "counter_service_min": rec.counter_minutes,
        "departure_min": rec.departure,
        "time_in_hall_min": rec.departure - rec.arrival,
        "detractor_p": rec.detractor_p,
    })
    if sc.counters.groups:  # a hall with zones: which group and window served each customer
        from .zones import group_of

        groups = np.array([g.name for g in sc.counters.groups] + [""], dtype=object)
        at = group_of(sc, rec.window)
        frame.insert(frame.columns.get_loc("counter_start_min"), "group", groups[at])
        frame.insert(frame.columns.get_loc("counter_start_min"), "window",
                     pd.Series(rec.window + 1, dtype="Int64").mask(rec.window < 0))
        # windows are numbered from 1, group by group in file order
    if sc.appointments:
        frame.insert(frame.columns.get_loc("priority") + 1, "booked", rec.booked)
        frame.insert(frame.columns.get_loc("booked") + 1, "slot",
                     [format_clock(open_ + t) if t == t else "" for t in rec.slot])
    return frame
