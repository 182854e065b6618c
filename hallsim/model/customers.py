"""The customer table: the day's customers in columns, entry ``i`` of each being customer ``i``
(arrival order), derived from the declaration in ``customer.py``: the population's draws
as read-only inputs, and the recorded columns the model writes.

Columns are numpy arrays written through memoryviews (indexing gives plain Python floats
and ints, fast in the model), so the records are views, not copies: a day of a million
customers must fit in memory. Recorded columns of a part of the hall that cannot be used
today (no kiosks, nobody who can triage, nobody who can pre-process) are not allocated,
and the eligibility inputs are masked by what the hall has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .customer import DRAWN, RECORDED
from .population import Population

_VIEW_TYPES = {np.bool_: np.int8}   # booleans read as 0/1 in the model


def _view(values: np.ndarray, dtype: Any) -> Any:
    """A read-only per-customer input, without a copy where the type already fits."""
    kind = _VIEW_TYPES.get(dtype, dtype)
    return memoryview(np.ascontiguousarray(values, dtype=kind))  # type: ignore[arg-type]


class CustomerTable:
    """Per-customer inputs (read-only views, ``customer.DRAWN``) and outputs (``columns``,
    ``customer.RECORDED``, written through views)."""

    def __init__(self, pop: Population, *, triage: bool, kiosks: bool, preprocess: bool):
        n = len(pop)
        self.n = n
        self.population = pop
        masks = {"kiosk_eligible": kiosks, "pre_eligible": preprocess}
        for column in DRAWN:
            values = getattr(pop, column.name)
            if column.name in masks:
                values = values & masks[column.name]
            setattr(self, column.name, _view(values, column.dtype))
        self.abandons = bool(np.isfinite(pop.patience).any())
        used = {"": True, "triage": triage, "kiosks": kiosks, "preprocess": preprocess}
        self.columns: dict[str, np.ndarray] = {}
        for column in RECORDED:
            m = n if used[column.part] else 0
            values = (np.zeros(m, dtype=column.dtype) if column.fill == 0
                      else np.full(m, column.fill, dtype=column.dtype))
            self.columns[column.name] = values
            setattr(self, column.name, memoryview(values))  # type: ignore[arg-type]

    if TYPE_CHECKING:
        def __getattr__(self, name: str) -> Any: ...

    def column(self, name: str, fill: float = 0.0, dtype: Any = np.float64) -> np.ndarray:
        """An output column as a read-only array; one never allocated reads as ``fill``."""
        values = self.columns[name]
        if len(values) != self.n:
            return np.broadcast_to(np.asarray(fill, dtype=dtype), (self.n,))
        values.flags.writeable = False
        return values
