"""Codes shared by the model and its records: roles, customer states, outcomes, level series.

Every code is an ``IntEnum`` so that the per-customer arrays can hold it in one byte and
the records can compare with it directly. Hot model code binds plain ``int`` copies.
"""

from __future__ import annotations

from enum import IntEnum


class Role(IntEnum):
    """What a staff member is doing (their own role, or the one they flexed into)."""

    COUNTER = 0
    TRIAGE = 1
    PREPROCESS = 2


class State(IntEnum):
    """Where a customer is. The three queue states also say where a customer gave up."""

    NEW = 0
    Q_TRIAGE = 1
    IN_TRIAGE = 2
    Q_KIOSK = 3
    IN_KIOSK = 4
    Q_COUNTER = 5
    IN_COUNTER = 6
    DONE = 7


class Outcome(IntEnum):
    """How a customer's visit ended."""

    SERVED_COUNTER = 0
    SERVED_KIOSK = 1
    ONLINE = 2
    ABANDONED = 3
    TURNED_AWAY = 4   # nobody on the plan was left to serve the queue they reached


class Pre(IntEnum):
    """A pre-processing-eligible customer's paperwork."""

    NONE = 0
    RUNNING = 1
    DONE = 2
    STOPPED = 3


class Level(IntEnum):
    """Step series through the day: staff at work per role (traced live), then the levels
    derived from the customer records."""

    STAFF_COUNTER = 0
    STAFF_TRIAGE = 1
    STAFF_PREPROCESS = 2
    BUSY_WINDOWS = 3
    QUEUE_TRIAGE = 4
    QUEUE_KIOSK = 5
    QUEUE_COUNTER = 6
    QUEUE_PRE = 7
    KIOSKS_BUSY = 8


OUTCOME_NAMES = ("counter", "self_service", "online", "abandoned", "turned_away")
