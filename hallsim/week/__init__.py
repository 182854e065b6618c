"""Busy days (忙日, contract section 10): a hall over a week of day types.

schema (the week file's models) → weekfile (``load_week``: one scenario per open day) → run
(``run_week``: every open day on streams of its own, the week summed up) → report.
"""

from .run import WeekRun, day_seed, run_week
from .weekfile import Week, WeekDay, load_week

__all__ = ["Week", "WeekDay", "WeekRun", "day_seed", "load_week", "run_week"]
