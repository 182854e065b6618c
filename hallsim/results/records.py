"""The records of one simulated day: one immutable row per customer, per staff member,
and the trace of queue and staffing levels. Every statistic derives from these."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ..model import hall as h
from ..model.staff import scheduled_minutes
from ..scenario.clock import format_clock
from ..scenario.schema import ROLES, ScenarioModel
from .detractor import probability

OUTCOMES = np.array(["counter", "self_service", "online", "abandoned"], dtype=object)
QUEUE_NAMES = {0: "", h.Q_TRIAGE: "triage", h.Q_KIOSK: "kiosk", h.Q_COUNTER: "counter"}


@dataclass(frozen=True)
class CustomerRecords:
    """Columnar and read-only: entry ``i`` of every array is customer ``i`` (arrival order)."""

    arrival: np.ndarray          # minutes after opening
    service: np.ndarray          # index into scenario.services
    priority: np.ndarray
    outcome: np.ndarray          # index into OUTCOMES
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
    departure: np.ndarray
    detractor_p: np.ndarray

    def __post_init__(self) -> None:
        for f in fields(self):
            getattr(self, f.name).flags.writeable = False

    def __len__(self) -> int:
        return len(self.arrival)

    @property
    def abandoned(self) -> np.ndarray:
        return self.outcome == h.ABANDONED


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
    staff: pd.DataFrame          # one row per staff member
    trace: np.ndarray            # staff present per role: columns time, role, count
    scheduled_staff_minutes: float
    end_time: float              # when the last event happened

    def level(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        """A level through the day as (change times, values after): staff present per role
        (0-2) from the trace, queues and busy windows and kiosks from the customer records."""
        c = self.customers
        if key in (0, 1, 2):
            mine = self.trace[:, 1] == key
            return self.trace[mine, 0], self.trace[mine, 2]
        if key == h.QUEUE_TRIAGE:
            return _steps(c.triage_enter, c.triage_enter + c.wait_triage)
        if key == h.QUEUE_KIOSK:
            return _steps(c.kiosk_enter, c.kiosk_enter + c.wait_kiosk)
        if key == h.QUEUE_COUNTER:
            return _steps(c.counter_enter, c.counter_enter + c.wait_counter)
        if key == h.QUEUE_PRE:
            eligible = np.where(c.pre_eligible, c.counter_enter, np.nan)
            left = np.where(np.isnan(c.pre_start), c.counter_enter + c.wait_counter, c.pre_start)
            return _steps(eligible, left)
        if key == h.BUSY_WINDOWS:
            return _steps(c.counter_start, c.counter_start + c.counter_minutes)
        if key == h.KIOSKS_BUSY:
            return _steps(c.kiosk_start, c.kiosk_end)
        raise ValueError(f"unknown level {key}")


def record_day(sc: ScenarioModel, hall: h.Hall) -> DayRecords:
    """Freeze a finished hall into records."""
    def floats(values: object) -> np.ndarray:
        # A view on the hall's array, not a copy: a day of a million customers is large.
        return np.frombuffer(values, dtype=np.float64)  # type: ignore[call-overload]

    def flags(values: object, dtype: type = bool) -> np.ndarray:
        raw = np.frombuffer(values, dtype=np.int8)  # type: ignore[call-overload]
        return raw if dtype is np.int8 else raw.astype(dtype)

    wait = floats(hall.waited)
    pre_minutes = floats(hall.pre_occupied)
    outcome = flags(hall.outcome, np.int8)
    kiosk_start = floats(hall.kiosk_start)
    given = hall.given
    customers = CustomerRecords(
        arrival=given["arrival"],
        service=given["service"],
        priority=given["priority"],
        outcome=outcome,
        abandoned_in=flags(hall.abandoned_in, np.int8),
        triaged=flags(hall.triaged),
        kiosk_failed=flags(hall.kiosk_failed),
        triage_enter=floats(hall.enter[h.Q_TRIAGE]),
        kiosk_enter=floats(hall.enter[h.Q_KIOSK]),
        counter_enter=floats(hall.enter[h.Q_COUNTER]),
        wait_triage=floats(hall.wait_in[h.Q_TRIAGE]),
        wait_kiosk=floats(hall.wait_in[h.Q_KIOSK]),
        wait_counter=floats(hall.wait_in[h.Q_COUNTER]),
        wait=wait,
        kiosk_start=kiosk_start,
        kiosk_end=kiosk_start + given["kiosk_minutes"],
        pre_eligible=given["pre_eligible"],
        pre_start=floats(hall.pre_start),
        preprocessed=flags(hall.pre_state, np.int8) == h.PRE_DONE,
        pre_minutes=pre_minutes,
        counter_start=floats(hall.counter_start),
        counter_minutes=floats(hall.counter_service),
        departure=floats(hall.departure),
        detractor_p=probability(wait, pre_minutes, outcome == h.ABANDONED, sc.detractor),
    )
    staff = pd.DataFrame({
        "shift": [s.shift for s in hall.staff],
        "role": [ROLES[s.base] for s in hall.staff],
        "start": [s.start for s in hall.staff],
        "end": [s.end for s in hall.staff],
        "left_at": [s.left_at for s in hall.staff],
        "busy_min": [s.busy_time for s in hall.staff],
    })
    staff["overtime_min"] = np.maximum(staff["left_at"] - staff["end"], 0.0)
    trace = np.asarray(hall.trace, dtype=float).reshape(-1, 3)
    return DayRecords(customers, staff, trace, scheduled_minutes(sc), float(hall.env.now))


def customers_frame(sc: ScenarioModel, rec: CustomerRecords) -> pd.DataFrame:
    """The per-customer table for people: clock times, service names, outcomes."""
    open_ = sc.hours.open
    names = np.array([s.name for s in sc.services], dtype=object)
    queue = np.array([QUEUE_NAMES.get(k, "") for k in range(8)], dtype=object)
    return pd.DataFrame({
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
