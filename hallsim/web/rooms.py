"""Exercise rooms: a trainer opens a room for a challenge, teams submit plans, every plan is
simulated on the same customers (common random numbers: one seed for the room) and scored
with the exercise's own rules and weights; the leaderboard is recomputed on every change."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from .. import i18n
from ..errors import ScenarioError
from ..exercise.challenge import Challenge, Plan, load_plan, violations
from ..exercise.levers import hall_values
from ..exercise.scoring import PlanScore, plan_document, rank, score
from ..scenario.clock import format_clock
from .jobs import Job, Jobs
from .storage import Store, require_name


@dataclass
class Entry:
    team: str                    # as the team typed it (shown escaped, never interpreted)
    key: str                     # slug: the plan's file name
    status: str = "queued"       # queued | running | done | failed
    job: str | None = None
    score: PlanScore | None = None
    error: str | None = None
    yaml: str = ""


class Room:
    def __init__(self, room_id: str, name: str, challenge: Challenge, reps: int, seed: int):
        self.id = room_id
        self.challenge_name = name
        self.challenge = challenge
        self.trainer_token = secrets.token_urlsafe(16)
        self.reps, self.seed = reps, seed
        self.open = True
        self.revealed = False
        self.entries: dict[str, Entry] = {}
        self.reference: PlanScore | None = None
        self.version = 0
        self.lock = threading.Lock()

    def changed(self) -> None:
        with self.lock:
            self.version += 1

    def info(self) -> dict:
        ex, sc = self.challenge.exercise, self.challenge.scenario
        rules = ex.rules
        return {
            "room": self.id, "challenge": self.challenge_name, "title": ex.title, "goal": ex.goal,
            "budget_staff_hours": ex.budget_staff_hours, "open": self.open,
            "revealed": self.revealed, "replications": self.reps, "seed": self.seed,
            "hours": {"open": format_clock(sc.hours.open), "close": format_clock(sc.hours.close)},
            "windows": sc.counters.windows,
            "services": [s.name for s in sc.services],
            "levers_open": ex.levers.model_dump(mode="json", exclude_none=True),
            "levers_hall": hall_values(sc),
            "rules": {"start_times": None if rules.start_times is None
                      else [format_clock(t) for t in rules.start_times],
                      "min_shift_hours": rules.min_shift_hours,
                      "max_shift_hours": rules.max_shift_hours,
                      "break_rule": rules.break_rule.model_dump() if rules.break_rule else None,
                      "max_on_duty": dict(rules.max_on_duty)},
        }

    def leaderboard(self) -> dict:
        """Ranked scored plans (the reference only once revealed) and plans still running."""
        with self.lock:
            scored = [e.score for e in self.entries.values() if e.score is not None]
            pending = [{"team": e.team, "status": e.status, "error": e.error}
                       for e in self.entries.values() if e.score is None]
            if self.revealed and self.reference is not None:
                scored.append(self.reference)
            for entry in scored:
                entry.ahead_of_next = {}
            ordered = rank(scored)
            plans = [_row(s) for s in ordered]
            version = self.version
        return {**self.info(), "version": version, "plans": plans, "pending": pending}

    def scorecard(self, key: str) -> dict:
        self.leaderboard()      # ranks are current
        with self.lock:
            entry = self.entries[key]
            card = {"team": entry.team, "status": entry.status, "error": entry.error,
                    "errors": None}
            if entry.score is not None:
                card.update(_row(entry.score))
        return card


def _row(s: PlanScore) -> dict:
    """The exercise's own leaderboard entry, without the server's file path."""
    row = plan_document(s)
    row.pop("file", None)
    return row


class Rooms:
    def __init__(self, store: Store, jobs: Jobs, max_rooms: int = 50, max_teams: int = 60):
        self.store, self.jobs = store, jobs
        self.max_rooms, self.max_teams = max_rooms, max_teams
        self._rooms: dict[str, Room] = {}
        self._lock = threading.Lock()

    def get(self, room_id: str) -> Room:
        return self._rooms[room_id]

    def create(self, challenge_name: str, reps: int | None = None, seed: int = 1) -> Room:
        challenge = self.store.challenge(challenge_name)   # KeyError: no such challenge
        with self._lock:
            if len(self._rooms) >= self.max_rooms:
                oldest = next(iter(self._rooms))
                del self._rooms[oldest]
            room_id = secrets.token_urlsafe(6).replace("-", "x").replace("_", "y").lower()
            room = Room(room_id, challenge_name, challenge, reps or challenge.exercise.reps, seed)
            self._rooms[room_id] = room
        ref = challenge.reference_path
        if ref is not None:
            plan = load_plan(challenge, ref)
            self._score(room, plan, None, reference=True)
        return room

    def submit(self, room: Room, team: str, text: str) -> Entry:
        """Check and queue a team's plan; a plan the loader rejects raises ScenarioError."""
        if not room.open:
            raise PermissionError("submissions are closed")
        key = require_name(team, "team")
        with room.lock:
            if key not in room.entries and len(room.entries) >= self.max_teams:
                raise PermissionError("this room is full")
        path = Path(self.store.rooms / room.id / f"{key}.yaml")
        previous = path.read_bytes() if path.exists() else None
        self.store.write_plan(room.id, key, text)
        try:
            plan = load_plan(room.challenge, path)
        except ScenarioError as exc:
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                self.store.write_plan(room.id, key, previous.decode("utf-8"))
            raise exc from None
        plan = replace(plan, team=team)
        entry = Entry(team, key, yaml=text)
        with room.lock:
            room.entries[key] = entry
        room.changed()
        entry.job = self._score(room, plan, entry).id
        return entry

    def _score(self, room: Room, plan: Plan, entry: Entry | None, reference: bool = False) -> Job:
        weights = room.challenge.exercise.scoring
        lang = i18n.current()          # the scorecard speaks the submitting team's language

        def work(job: Job) -> PlanScore:
            with i18n.language(lang):
                return scored(job)

        def scored(job: Job) -> PlanScore:
            if entry is not None:
                entry.status = "running"
                room.changed()
            result = self.jobs.replicate(job, plan.scenario, room.reps, room.seed)
            means = {k: v["mean"] for k, v in result.summary["metrics"].items()}
            entry_score = PlanScore(plan, result, violations(plan, room.challenge), score(means, weights),
                                      reference=reference,
                                      daily=score(result.runs, weights).to_numpy())
            _ = entry_score.worst_interval          # computed now, in the job's thread
            return entry_score

        def done(job: Job) -> None:
            with room.lock:
                if reference:
                    room.reference = job.result
                elif entry is not None and room.entries.get(entry.key) is entry:
                    entry.status = job.status
                    entry.error = job.error
                    entry.score = job.result
            room.changed()

        return self.jobs.task("plan", room.reps, work, done)
