"""Exercise rooms: a trainer opens a room for a challenge, teams submit plans, every plan is
simulated on the same customers (common random numbers: one seed for the room) and scored
with the exercise's own rules and weights; the leaderboard is recomputed on every change.

Everything a room is lives in the database (see ``database.py``): it survives restarts and
``kill -9``; plans still being scored when the server stopped are scored at the next start.
A room ends when its trainer deletes it, or ``room_days`` after its last change.

A team is its name's slug (``storage.slug``: NFKC, case-folded, accents dropped, each run of
spaces and punctuation one ``-``): "Café" and "cafe" are one team, and so are "A&B" and
"A+B". The first submission under a name returns the team's key; later ones must carry it
(else 409, name taken). A team's submissions are handled one at a time, so each answer is
about the plan it carried; a newer plan supersedes one still waiting to be scored.
"""

from __future__ import annotations

import hashlib
import secrets
import sys
import threading
import time
from dataclasses import replace

from .. import i18n
from ..errors import ScenarioError
from ..exercise.challenge import Challenge, Plan, violations
from ..exercise.levers import hall_values
from ..exercise.scoring import PlanScore, rank, score
from ..i18n import _
from ..scenario.clock import format_clock
from .checks import parse_challenge, parse_plan
from .database import Database, digest
from .jobs import Job, Jobs
from .scores import Scored
from .storage import Store, require_name


class Refused(Exception):
    """A submission or a room the server will not take now: 409, or 429 when ``busy``."""

    def __init__(self, message: str, busy: bool = False):
        super().__init__(message)
        self.busy = busy


class Room:
    def __init__(self, db: Database, row, challenge: Challenge):
        self.db = db
        self.id: str = row["id"]
        self.challenge_name: str = row["challenge"]
        self.challenge = challenge
        self.reference_yaml: str | None = row["reference_yaml"]
        self.trainer_hash: str = row["trainer_hash"]
        self.reps, self.seed = int(row["reps"]), int(row["seed"])
        self.open, self.revealed = bool(row["open"]), bool(row["revealed"])
        self.hide_until_reveal = bool(row["hide_until_reveal"])
        self.touched: float = row["touched"]
        self.version = 0
        self.lock = threading.Lock()
        self.pending: dict[str, Job] = {}           # team slug → its plan being scored
        self._team_locks: dict[str, threading.Lock] = {}
        self._board: tuple[int, dict] | None = None
        self._reference_plan: Plan | None = None

    def is_trainer(self, token: str | None) -> bool:
        return bool(token) and secrets.compare_digest(digest(token or ""), self.trainer_hash)

    def is_team(self, slug: str, key: str | None) -> bool:
        """Whether ``key`` is the key of the team ``slug``."""
        row = self.db.row("SELECT key_hash FROM teams WHERE room=? AND slug=?", (self.id, slug))
        return row is not None and bool(key) and secrets.compare_digest(digest(key or ""),
                                                                         row["key_hash"])

    @property
    def hidden(self) -> bool:
        """Whether teams see only their own scorecard now (``hide_until_reveal``, not revealed)."""
        return self.hide_until_reveal and not self.revealed

    def team_lock(self, slug: str) -> threading.Lock:
        with self.lock:
            return self._team_locks.setdefault(slug, threading.Lock())

    def changed(self) -> None:
        with self.lock:
            self.version += 1

    def info(self) -> dict:
        ex, sc = self.challenge.exercise, self.challenge.scenario
        rules = ex.rules
        return {
            "room": self.id, "challenge": self.challenge_name, "title": i18n.display(ex.title),
            "goal": i18n.display(ex.goal),
            "budget_staff_hours": ex.budget_staff_hours, "open": self.open,
            "revealed": self.revealed, "hide_until_reveal": self.hide_until_reveal,
            "replications": self.reps, "seed": self.seed,
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

    def _latest(self) -> list:
        """Each team's newest submission, teams in the order they joined."""
        return self.db.rows(
            "SELECT t.name, t.slug, s.seq, s.digest, s.status, s.error, s.score "
            "FROM teams t JOIN submissions s ON s.room = t.room AND s.slug = t.slug "
            "WHERE t.room = ? AND s.seq = (SELECT MAX(seq) FROM submissions m "
            "WHERE m.room = t.room AND m.slug = t.slug) ORDER BY t.created, t.slug", (self.id,))

    def scored_plans(self) -> list:
        """Each team's newest plan that was scored: its name, number and text."""
        return self.db.rows(
            "SELECT t.name, t.slug, s.seq, s.yaml FROM teams t JOIN submissions s "
            "ON s.room = t.room AND s.slug = t.slug WHERE t.room = ? AND s.status = 'done' "
            "AND s.seq = (SELECT MAX(seq) FROM submissions m WHERE m.room = t.room "
            "AND m.slug = t.slug) ORDER BY t.created, t.slug", (self.id,))

    def leaderboard(self) -> dict:
        """Ranked scored plans (the reference only once revealed) and plans still running."""
        with self.lock:
            version = self.version
            if self._board is not None and self._board[0] == version:
                return self._board[1]
        latest = self._latest()
        scored = [Scored.from_json(r["score"]) for r in latest if r["score"] is not None]
        pending = [{"team": r["name"], "status": r["status"], "error": r["error"]}
                   for r in latest if r["score"] is None]
        ref = self.db.row("SELECT reference_score FROM rooms WHERE id=?", (self.id,))
        if self.revealed and ref is not None and ref["reference_score"]:
            scored.append(Scored.from_json(ref["reference_score"]))
        board = {**self.info(), "version": version, "hidden": self.hidden,
                 "plans": [s.row() for s in rank(scored)], "pending": pending,
                 "teams": [{"team": r["name"], "submission": r["seq"], "status": r["status"]}
                           for r in latest]}
        with self.lock:
            self._board = (version, board)
        return board

    def reference(self) -> Plan | None:
        """The trainer's reference plan (None: the challenge has none)."""
        if self._reference_plan is None and self.reference_yaml is not None:
            self._reference_plan = parse_plan(self.challenge, self.reference_yaml,
                                              name=f"{self.challenge_name}.reference.yaml")
        return self._reference_plan

    def reference_plan(self) -> dict:
        """The reference plan: its text, its shifts and flex rules (as the editor's structure,
        for a shift chart) and the levers it pulls, described in the current language."""
        plan = self.reference()
        if plan is None or self.reference_yaml is None:
            return {"yaml": None, "team": None, "shifts": [], "flex": [], "levers": []}
        hall = plan.scenario.to_dict()
        return {"yaml": self.reference_yaml, "team": plan.team, "shifts": hall.get("shifts", []),
                "flex": hall.get("flex", []),
                "levers": [p.describe() for p in plan.bought if p.amount > 0 or not p.opened]}

    def scorecard(self, slug: str) -> dict:
        row = next((r for r in self._latest() if r["slug"] == slug), None)
        if row is None:
            raise KeyError(slug)
        card = {"team": row["name"], "status": row["status"], "error": row["error"],
                "errors": None, "submission": row["seq"], "digest": row["digest"]}
        if row["score"] is not None:
            board = self.leaderboard()
            card.update(next(p for p in board["plans"] if p["team"] == row["name"]
                             and not p["reference"]))
        return card


def simulate_plan(jobs: Jobs, job: Job, room: Room, plan: Plan, reference: bool) -> PlanScore:
    """``plan`` simulated on the room's days (its seed: every plan meets the same customers)
    and scored by the challenge's rules and weights."""
    weights = room.challenge.exercise.scoring
    result = jobs.replicate(job, plan.scenario, room.reps, room.seed)
    means = {k: v["mean"] for k, v in result.summary["metrics"].items()}
    return PlanScore(plan, result, violations(plan, room.challenge), score(means, weights),
                     reference=reference, daily=score(result.runs, weights).to_numpy())


def plan_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Rooms:
    def __init__(self, store: Store, jobs: Jobs, db: Database, max_rooms: int = 50,
                 max_teams: int = 60, room_days: float = 14.0):
        self.store, self.jobs, self.db = store, jobs, db
        self.max_rooms, self.max_teams, self.room_days = max_rooms, max_teams, room_days
        self._rooms: dict[str, Room] = {}
        self._lock = threading.Lock()
        self._expire()
        for row in db.rows("SELECT * FROM rooms ORDER BY created"):
            self._restore(row)

    # -- rooms -------------------------------------------------------------------------------
    def get(self, room_id: str) -> Room:
        with self._lock:
            room = self._rooms[room_id]
        if time.time() - room.touched > self.room_days * 86400:
            self._expire()
            raise KeyError(room_id)
        return room

    def create(self, challenge_name: str, reps: int | None = None, seed: int = 1,
               hide_until_reveal: bool = True) -> tuple[Room, str]:
        """A new room and its trainer token (kept only as a digest: shown once, here).
        ``hide_until_reveal``: teams see only their own scorecard until the trainer reveals."""
        challenge = self.store.challenge(challenge_name)   # KeyError: no such challenge
        text = challenge.path.read_text(encoding="utf-8")
        ref = challenge.reference_path
        reference = ref.read_text(encoding="utf-8") if ref is not None and ref.is_file() else None
        token = secrets.token_urlsafe(16)
        self._expire()
        now = time.time()
        with self._lock, self.db.write() as sql:
            kept = sql.value("SELECT COUNT(*) FROM rooms")
            if kept >= self.max_rooms:
                raise Refused(_("{n} rooms are kept (at most {limit}): delete a finished room "
                                "first").format(n=kept, limit=self.max_rooms), busy=True)
            room_id = secrets.token_urlsafe(6).replace("-", "x").replace("_", "y").lower()
            sql.execute("INSERT INTO rooms (id, challenge, challenge_yaml, reference_yaml, "
                        "trainer_hash, reps, seed, hide_until_reveal, created, touched) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (room_id, challenge_name, text, reference, digest(token),
                         reps or challenge.exercise.reps, seed, int(hide_until_reveal), now, now))
            row = sql.row("SELECT * FROM rooms WHERE id=?", (room_id,))
            room = self._rooms[room_id] = Room(self.db, row, challenge)
        self._score_reference(room, i18n.current())
        return room, token

    def update(self, room: Room, **changes: bool) -> None:
        """The trainer opens, closes or reveals the room."""
        with self.db.write() as sql:
            for key, value in changes.items():
                if key not in ("open", "revealed"):
                    raise ValueError(key)
                room.touched = time.time()
                sql.execute(f"UPDATE rooms SET {key}=?, touched=? WHERE id=?",
                            (int(value), room.touched, room.id))
                setattr(room, key, value)
        room.changed()

    def delete(self, room: Room) -> None:
        with self._lock, self.db.write() as sql:
            sql.execute("DELETE FROM rooms WHERE id=?", (room.id,))
            self._rooms.pop(room.id, None)
        for job in list(room.pending.values()):
            self.jobs.cancel(job)
        room.changed()

    # -- plans -------------------------------------------------------------------------------
    def submit(self, room: Room, team: str, text: str, key: str | None = None) -> dict:
        """Check and queue a team's plan: a plan the loader rejects raises ScenarioError, a
        closed room, a full one or a name taken without its key raise Refused."""
        slug = require_name(team, "team")
        with room.team_lock(slug):
            if not room.open:
                raise Refused(_("submissions are closed"))
            team_row = self.db.row("SELECT name, key_hash FROM teams WHERE room=? AND slug=?",
                                   (room.id, slug))
            if team_row is not None and not (
                    key and secrets.compare_digest(digest(key), team_row["key_hash"])):
                raise Refused(_("name taken: another team submitted as '{name}'; choose another "
                                "name (or submit from that team's browser)").format(
                                    name=team_row["name"]))
            plan = parse_plan(room.challenge, text)
            name = team_row["name"] if team_row is not None else team.strip()
            lang, now = i18n.current(), time.time()
            with self.db.write() as sql:
                if team_row is None:
                    teams = sql.value("SELECT COUNT(*) FROM teams WHERE room=?", (room.id,))
                    if teams >= self.max_teams:
                        raise Refused(_("this room is full ({limit} teams)").format(
                            limit=self.max_teams))
                    key = secrets.token_urlsafe(16)
                    sql.execute("INSERT INTO teams (room, slug, name, key_hash, created) "
                                "VALUES (?,?,?,?,?)", (room.id, slug, name, digest(key), now))
                seq = sql.value("SELECT COALESCE(MAX(seq), 0) + 1 FROM submissions "
                                "WHERE room=? AND slug=?", (room.id, slug))
                sql.execute("INSERT INTO submissions (room, slug, seq, yaml, digest, lang, status, "
                            "created) VALUES (?,?,?,?,?,?,'queued',?)",
                            (room.id, slug, seq, text, plan_digest(text), lang, now))
                sql.execute("UPDATE rooms SET touched=? WHERE id=?", (now, room.id))
            room.touched = now
            job = self._score(room, slug, seq, replace(plan, team=name), lang)
        room.changed()
        return {"team": name, "slug": slug, "key": key, "submission": seq,
                "digest": plan_digest(text), "status": "queued", "id": job.id}

    def _score(self, room: Room, slug: str | None, seq: int, plan: Plan, lang: str) -> Job:
        """Score ``plan`` (a team's submission ``seq``, or the reference when ``slug`` is None)."""

        def work(job: Job) -> Scored:
            with i18n.language(lang):
                if slug is not None:
                    self._status(room, slug, seq, "running")
                return Scored.of(simulate_plan(self.jobs, job, room, plan, slug is None))

        def done(job: Job) -> None:
            if job.status == "cancelled" and self.jobs.stopping:
                return                   # still queued in the database: scored at the next start
            with room.lock:
                if slug is not None and room.pending.get(slug) is job:
                    del room.pending[slug]
            scored = job.result.to_json() if job.status == "done" else None
            with self.db.write() as sql:
                if slug is None:
                    sql.execute("UPDATE rooms SET reference_score=? WHERE id=?", (scored, room.id))
                else:
                    sql.execute("UPDATE submissions SET status=?, error=?, score=? "
                                "WHERE room=? AND slug=? AND seq=?",
                                ("superseded" if job.status == "cancelled" else job.status,
                                 job.error, scored, room.id, slug, seq))
            room.changed()

        job = self.jobs.task("plan", room.reps, work, done)
        if slug is not None:
            with room.lock:
                previous = room.pending.get(slug)
                room.pending[slug] = job
            if previous is not None:
                self.jobs.cancel(previous)
        return job

    def _status(self, room: Room, slug: str, seq: int, status: str) -> None:
        with self.db.write() as sql:
            sql.execute("UPDATE submissions SET status=? WHERE room=? AND slug=? AND seq=?",
                        (status, room.id, slug, seq))
        room.changed()

    def _score_reference(self, room: Room, lang: str) -> None:
        if room.reference_yaml is None:
            return
        with i18n.language(lang):
            plan = parse_plan(room.challenge, room.reference_yaml,
                              name=f"{room.challenge_name}.reference.yaml")
        self._score(room, None, 0, plan, lang)

    # -- restart -----------------------------------------------------------------------------
    def _restore(self, row) -> None:
        """A room from the database, with its unfinished scoring queued again."""
        try:
            challenge = parse_challenge(row["challenge_yaml"], row["challenge"])
        except ScenarioError as exc:   # stays stored, unserved, until a hallsim that reads it
            print(_("hallsim: room {room} is not served: {error}").format(room=row["id"], error=exc),
                  file=sys.stderr)
            return
        room = self._rooms[row["id"]] = Room(self.db, row, challenge)
        if row["reference_score"] is None:
            self._score_reference(room, "en")
        unfinished = self.db.rows(
            "SELECT s.slug, s.seq, s.yaml, s.lang, t.name FROM submissions s "
            "JOIN teams t ON t.room = s.room AND t.slug = s.slug "
            "WHERE s.room=? AND s.status IN ('queued', 'running') ORDER BY s.slug, s.seq",
            (room.id,))
        for sub in unfinished:
            try:
                plan = parse_plan(challenge, sub["yaml"])
            except ScenarioError as exc:
                self._failed(room, sub["slug"], sub["seq"], str(exc))
                continue
            self._score(room, sub["slug"], sub["seq"], replace(plan, team=sub["name"]), sub["lang"])

    def _failed(self, room: Room, slug: str, seq: int, error: str) -> None:
        with self.db.write() as sql:
            sql.execute("UPDATE submissions SET status='failed', error=? "
                        "WHERE room=? AND slug=? AND seq=?", (error, room.id, slug, seq))

    def _expire(self) -> None:
        """Delete the rooms nobody has changed for ``room_days``."""
        cutoff = time.time() - self.room_days * 86400
        with self._lock, self.db.write() as sql:
            gone = [r["id"] for r in sql.execute("SELECT id FROM rooms WHERE touched < ?",
                                                 (cutoff,)).fetchall()]
            sql.execute("DELETE FROM rooms WHERE touched < ?", (cutoff,))
            for room_id in gone:
                self._rooms.pop(room_id, None)
