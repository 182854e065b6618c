"""The records of one simulated day: one immutable row per customer, per staff member,
and the trace of queue and staffing levels. Every statistic derives from these."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from . import hall as h
from .clock import format_clock
from .detractor import probability
from .schema import ROLES, ScenarioModel
from .staff import scheduled_minutes

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
    wait_triage: np.ndarray
    wait_kiosk: np.ndarray
    wait_counter: np.ndarray
    wait: np.ndarray             # all queueing, up to leaving if abandoned
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


@dataclass(frozen=True)
class DayRecords:
    """Everything recorded in one day, plus the scenario facts metrics need."""

    customers: CustomerRecords
    staff: pd.DataFrame          # one row per staff member
    trace: np.ndarray            # columns: time, series, value
    scheduled_staff_minutes: float
    end_time: float              # when the last event happened


def record_day(sc: ScenarioModel, hall: h.Hall) -> DayRecords:
    """Freeze a finished hall into records."""
    f64 = np.asarray
    wait = f64(hall.waited, dtype=float)
    pre_minutes = f64(hall.pre_occupied, dtype=float)
    outcome = f64(hall.outcome, dtype=np.int8)
    customers = CustomerRecords(
        arrival=f64(hall.arrival, dtype=float),
        service=hall.service_index,
        priority=f64(hall.priority, dtype=np.int64),
        outcome=outcome,
        abandoned_in=f64(hall.abandoned_in, dtype=np.int8),
        triaged=f64(hall.triaged, dtype=bool),
        kiosk_failed=f64(hall.kiosk_failed, dtype=bool),
        wait_triage=f64(hall.wait_in[h.Q_TRIAGE], dtype=float),
        wait_kiosk=f64(hall.wait_in[h.Q_KIOSK], dtype=float),
        wait_counter=f64(hall.wait_in[h.Q_COUNTER], dtype=float),
        wait=wait,
        preprocessed=f64(hall.pre_state, dtype=np.int8) == h.PRE_DONE,
        pre_minutes=pre_minutes,
        counter_start=f64(hall.counter_start, dtype=float),
        counter_minutes=f64(hall.counter_service, dtype=float),
        departure=f64(hall.departure, dtype=float),
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
