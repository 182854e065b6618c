"""The customer, declared once: every per-customer column, drawn before the day or recorded
by the model, with its type and meaning. The population (the draws), the customer table
(the model's working columns) and the records all derive from these two lists.

Names say which is which: a time drawn up front ends in ``_drawn`` (``counter_minutes_drawn``:
what the service would take); the time that actually happened has the plain name
(``counter_minutes``: after any pre-processing saving).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Column:
    """One per-customer column."""

    name: str
    dtype: Any
    meaning: str
    fill: float = 0.0
    part: str = ""   # recorded columns of a part of the hall: "triage", "kiosks", "preprocess"


F, I8, I32, I64, B = np.float64, np.int8, np.int32, np.int64, np.bool_
NAN = math.nan

DRAWN: tuple[Column, ...] = (
    Column("arrival", F, "arrival, minutes after opening"),
    Column("service", I64, "index into scenario.services"),
    Column("priority", I64, "the service's priority class (lower is called first)"),
    Column("triage_minutes_drawn", F, "the greeter's time, if triaged"),
    Column("goes_online", B, "sent online if a greeter triages"),
    Column("kiosk_eligible", B, "could be served at a kiosk"),
    Column("kiosk_draw", F, "uniform draw compared with divert_self_service or self_select"),
    Column("kiosk_minutes_drawn", F, "the kiosk's time, if at a kiosk"),
    Column("kiosk_fails", B, "a kiosk attempt would fail"),
    Column("pre_eligible", B, "could be pre-processed while waiting"),
    Column("pre_minutes_drawn", F, "the pre-processing time, if pre-processed to the end"),
    Column("pre_saves", F, "share of the counter time a completed pre-processing saves"),
    Column("counter_minutes_drawn", F, "the counter time, before any saving"),
    Column("patience", F, "minutes of waiting before abandoning (inf: never)"),
    Column("booked", B, "came on a booking"),
    Column("slot", F, "the booked slot, minutes after opening (NaN: a walk-in)", NAN),
)

RECORDED: tuple[Column, ...] = (
    Column("state", I8, "where the customer is (codes.State)"),
    Column("visit", I8, "queue visits so far (tags patience timers)"),
    Column("outcome", I8, "how the visit ended (codes.Outcome)"),
    Column("left_from", I8, "the queue state where patience ran out, if it did"),
    Column("waited", F, "minutes queued so far"),
    Column("departure", F, "when they left, minutes after opening", NAN),
    Column("counter_enter", F, "when they took a ticket", NAN),
    Column("counter_wait", F, "minutes waiting for a counter"),
    Column("counter_start", F, "when called to a window", NAN),
    Column("counter_minutes", F, "the counter time actually taken (after any saving)"),
    Column("window", I32, "the window that served them (from 0, group by group)", -1),
    Column("triaged", I8, "triaged by a greeter", 0, "triage"),
    Column("triage_enter", F, "when they reached the greeter's queue", NAN, "triage"),
    Column("triage_wait", F, "minutes in the greeter's queue", 0, "triage"),
    Column("kiosk_failed", I8, "a kiosk attempt failed", 0, "kiosks"),
    Column("kiosk_enter", F, "when they reached the kiosk queue", NAN, "kiosks"),
    Column("kiosk_wait", F, "minutes queueing for a kiosk", 0, "kiosks"),
    Column("kiosk_start", F, "when they started at a kiosk", NAN, "kiosks"),
    Column("pre_state", I8, "their paperwork (codes.Pre)", 0, "preprocess"),
    Column("pre_start", F, "when pre-processing started", NAN, "preprocess"),
    Column("pre_minutes", F, "minutes actually being pre-processed while waiting", 0,
           "preprocess"),
)

DRAWN_NAMES = tuple(c.name for c in DRAWN)
