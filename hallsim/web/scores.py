"""A scored plan as the server keeps it: the exercise's leaderboard entry without the simulated
days, so that a room's board survives a restart and is still ranked by the exercise's own
rule (``scoring.rank``, paired day by day on the room's common random numbers)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..exercise.scoring import PlanScore, plan_document
from ..output.textsafe import dumps

# What ranking changes; everything else in an entry is the plan's own.
_RANKED = ("rank", "vs_reference", "ahead_of_next")


@dataclass
class Scored:
    team: str
    score: float
    reference: bool
    daily: Any                         # each simulated day's score (numpy), for paired gaps
    entry: dict                        # plan_document's other fields
    rank: int = 0
    reference_score: float | None = None
    ahead_of_next: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return bool(self.entry["valid"])

    @classmethod
    def of(cls, plan_score: PlanScore) -> Scored:
        entry = json.loads(dumps(plan_document(plan_score)))
        for key in (*_RANKED, "file"):
            entry.pop(key, None)
        return cls.from_entry(entry, plan_score.daily)

    @classmethod
    def from_entry(cls, entry: dict, daily: Any) -> Scored:
        return cls(str(entry["team"]), float(entry["score"]), bool(entry["reference"]),
                   np.asarray(daily, dtype=float), entry)

    def to_json(self) -> str:
        return dumps({"entry": self.entry, "daily": [float(d) for d in self.daily]})

    @classmethod
    def from_json(cls, text: str) -> Scored:
        doc = json.loads(text)
        return cls.from_entry(doc["entry"], doc["daily"])

    def row(self) -> dict:
        """The leaderboard row: ``plan_document``'s fields, without the server's file path."""
        vs = None if self.reference_score is None else self.score - self.reference_score
        return {"rank": self.rank, **self.entry, "vs_reference": vs,
                "ahead_of_next": self.ahead_of_next or None}
