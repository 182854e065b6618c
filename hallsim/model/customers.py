"""The customer table: the day's customers in columns, entry ``i`` of each being customer ``i``
(arrival order). Inputs are the population's draws; outputs are what happened to them.

Columns are numpy arrays written through memoryviews (indexing gives plain Python floats
and ints, fast in the model), so the records are views, not copies: a day of a million
customers must fit in memory. Columns of a part of the hall that cannot be used today
(no kiosks, nobody who can triage, nobody eligible for pre-processing) are not allocated.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .population import Population


def _view(values: np.ndarray, dtype: Any = np.float64) -> Any:
    """A read-only per-customer input, without a copy where the type already fits."""
    return memoryview(np.ascontiguousarray(values, dtype=dtype))  # type: ignore[arg-type]


class CustomerTable:
    """Per-customer inputs (read-only views) and outputs (``columns``, written through views)."""

    def __init__(self, pop: Population, *, triage: bool, kiosks: bool, preprocess: bool):
        n = len(pop)
        self.n = n
        self.population = pop
        # Inputs.
        self.arrival = _view(pop.arrival)
        self.service = _view(pop.service, np.int64)
        self.priority = _view(pop.priority, np.int64)
        self.triage_minutes = _view(pop.triage_minutes)
        self.goes_online = _view(pop.goes_online, np.int8)
        self.kiosk_ok = _view(pop.kiosk_eligible & kiosks, np.int8)
        self.kiosk_draw = _view(pop.kiosk_draw)
        self.kiosk_minutes = _view(pop.kiosk_minutes)
        self.kiosk_fails = _view(pop.kiosk_fails, np.int8)
        self.pre_eligible = _view(pop.pre_eligible & preprocess, np.int8)
        self.pre_minutes = _view(pop.pre_minutes)
        self.pre_saves = _view(pop.pre_saves)
        self.counter_minutes = _view(pop.counter_minutes)
        self.patience = _view(pop.patience)
        self.booked = _view(pop.booked if pop.booked is not None else np.zeros(n, bool), np.int8)
        self.slot = _view(pop.slot if pop.slot is not None else np.full(n, np.nan))
        self.abandons = bool(np.isfinite(pop.patience).any())

        # Outputs: the numpy arrays (``columns``) and memoryviews on them for the model.
        self.columns: dict[str, np.ndarray] = {}
        self.state = self._new("state", n, np.int8, 0)          # codes.State
        self.visit = self._new("visit", n, np.int8, 0)          # tags patience timers
        self.outcome = self._new("outcome", n, np.int8, 0)      # codes.Outcome
        self.left_from = self._new("left_from", n, np.int8, 0)  # the queue abandoned, if any
        self.waited = self._new("waited", n, np.float64, 0.0)
        self.departure = self._new("departure", n, np.float64, np.nan)
        self.counter_enter = self._new("counter_enter", n, np.float64, np.nan)
        self.counter_wait = self._new("counter_wait", n, np.float64, 0.0)
        self.counter_start = self._new("counter_start", n, np.float64, np.nan)
        self.counter_service = self._new("counter_service", n, np.float64, 0.0)
        self.window = self._new("window", n, np.int32, -1)      # the window that served them
        m = n if triage else 0
        self.triaged = self._new("triaged", m, np.int8, 0)
        self.triage_enter = self._new("triage_enter", m, np.float64, np.nan)
        self.triage_wait = self._new("triage_wait", m, np.float64, 0.0)
        m = n if kiosks else 0
        self.kiosk_failed = self._new("kiosk_failed", m, np.int8, 0)
        self.kiosk_enter = self._new("kiosk_enter", m, np.float64, np.nan)
        self.kiosk_wait = self._new("kiosk_wait", m, np.float64, 0.0)
        self.kiosk_start = self._new("kiosk_start", m, np.float64, np.nan)
        m = n if preprocess else 0
        self.pre_state = self._new("pre_state", m, np.int8, 0)     # codes.Pre
        self.pre_start = self._new("pre_start", m, np.float64, np.nan)
        self.pre_occupied = self._new("pre_occupied", m, np.float64, 0.0)

    def _new(self, name: str, n: int, dtype: Any, fill: float) -> Any:
        values = np.zeros(n, dtype=dtype) if fill == 0 else np.full(n, fill, dtype=dtype)
        self.columns[name] = values
        return memoryview(values)  # type: ignore[arg-type]

    def column(self, name: str, fill: float = 0.0, dtype: Any = np.float64) -> np.ndarray:
        """An output column as a read-only array; one never allocated reads as ``fill``."""
        values = self.columns[name]
        if len(values) != self.n:
            return np.broadcast_to(np.asarray(fill, dtype=dtype), (self.n,))
        values.flags.writeable = False
        return values
