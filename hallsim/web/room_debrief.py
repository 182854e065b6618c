"""A room's debrief (复盘) after reveal: ``exercise debrief`` on the room's plans.

Every team's newest scored plan and the reference are simulated again on the room's days
(the same seed and replications as their scorecards, so the numbers are the board's), then
``exercise.debrief.build`` compares each with the reference and the winner hour by hour and
prices its levers. That is one job in the plans' lane per set of plans: built when first
asked for after reveal, kept until a team submits again. The debrief is data; its sentences
and tables are rendered in each reader's language.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from ..exercise.debrief import Debrief, build
from ..exercise.scoring import rank
from .checks import parse_plan
from .jobs import Job, Jobs
from .rooms import Room, simulate_plan


class Debriefs:
    """The newest debrief of each room, or the job building it."""

    def __init__(self, jobs: Jobs):
        self.jobs = jobs
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[tuple, Job]] = {}      # room id → (its plans, the job)

    def get(self, room: Room) -> tuple[str, Debrief | None, str | None]:
        """``(status, debrief, error)``: ``done`` with the debrief of the room's plans now,
        or ``queued``/``running`` (started if need be), or ``failed`` with its error."""
        plans = room.scored_plans()
        key = tuple((p["slug"], p["seq"]) for p in plans)
        with self._lock:
            kept = self._kept.get(room.id)
            if kept is None or kept[0] != key or kept[1].status in ("failed", "cancelled"):
                texts = [(p["name"], p["yaml"]) for p in plans]
                kept = self._kept[room.id] = (key, self._start(room, texts))
        job = kept[1]
        if job.status == "done":
            return "done", job.result, None
        return job.status, None, job.error

    def forget(self, room: Room) -> None:
        with self._lock:
            kept = self._kept.pop(room.id, None)
        if kept is not None:
            self.jobs.cancel(kept[1])

    def _start(self, room: Room, texts: list[tuple[str, str]]) -> Job:
        def work(job: Job) -> Debrief:
            plans = [replace(parse_plan(room.challenge, text), team=name) for name, text in texts]
            reference = room.reference()
            scores = [simulate_plan(self.jobs, job, room, plan, reference=False) for plan in plans]
            if reference is not None:
                scores.append(simulate_plan(self.jobs, job, room, reference, reference=True))
            return build(room.challenge, rank(scores), seed=room.seed)

        return self.jobs.task("debrief", room.reps * (len(texts) + 1), work)
