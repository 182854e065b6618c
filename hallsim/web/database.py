"""The server's memory: rooms, teams (with their keys), submissions, scores, trainer tokens
and run history in one SQLite file, ``--data DIR/hallsim.db``.

Every write is a transaction (``with db.write() as sql:``) taken under one lock, so the
bounds checked inside one (rooms, teams) hold under any concurrency, and a crash
(``kill -9``, a laptop's battery) leaves either all of a change or none of it. WAL
journal: readers never wait for the writer. Secrets (trainer tokens, team keys) are kept
as SHA-256 digests; the plain token exists only in the answer that created it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    id TEXT PRIMARY KEY,
    challenge TEXT NOT NULL,            -- the challenge's name in the data folder
    challenge_yaml TEXT NOT NULL,       -- and its text when the room opened: rules never move
    reference_yaml TEXT,
    reference_score TEXT,               -- JSON, once the reference plan is scored
    trainer_hash TEXT NOT NULL,
    reps INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    open INTEGER NOT NULL DEFAULT 1,
    revealed INTEGER NOT NULL DEFAULT 0,
    hide_until_reveal INTEGER NOT NULL DEFAULT 1,   -- teams see only their own card until reveal
    created REAL NOT NULL,
    touched REAL NOT NULL               -- last change: a room expires this long after it
);
CREATE TABLE IF NOT EXISTS teams (
    room TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,                 -- the name's identity: NFKC, case-folded, slugged
    name TEXT NOT NULL,                 -- as the team first typed it
    key_hash TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (room, slug)
);
CREATE TABLE IF NOT EXISTS submissions (
    room TEXT NOT NULL,
    slug TEXT NOT NULL,
    seq INTEGER NOT NULL,               -- 1, 2, ... for each team
    yaml TEXT NOT NULL,
    digest TEXT NOT NULL,               -- SHA-256 of the plan's text
    lang TEXT NOT NULL,                 -- the scorecard speaks the submitting team's language
    status TEXT NOT NULL,               -- queued | running | done | failed | superseded
    error TEXT,
    score TEXT,                         -- JSON: the scored plan (see scores.py)
    created REAL NOT NULL,
    PRIMARY KEY (room, slug, seq),
    FOREIGN KEY (room, slug) REFERENCES teams(room, slug) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                 -- run | compare
    status TEXT NOT NULL,               -- queued | running | done | failed | cancelled
    total INTEGER NOT NULL,
    summary TEXT,                       -- JSON
    replay TEXT,                        -- JSON: replication 0, customer by customer
    error TEXT,
    created REAL NOT NULL,
    finished REAL
);
"""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Database:
    """One connection shared by the server's threads, each use under ``self.lock``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock = threading.RLock()
        self._sql = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                    timeout=30.0)
        self._sql.row_factory = sqlite3.Row
        with self.lock:
            self._sql.execute("PRAGMA journal_mode=WAL")
            self._sql.execute("PRAGMA synchronous=FULL")
            self._sql.execute("PRAGMA foreign_keys=ON")
            with self.write() as sql:
                version = sql.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise RuntimeError(f"{self.path} was written by a newer hallsim "
                                       f"(schema {version}); upgrade hallsim to serve it")
                sql.executescript_in_transaction(SCHEMA)
                if version == 1:        # schema 1 had no hide_until_reveal: its rooms hide
                    sql.execute("ALTER TABLE rooms ADD COLUMN hide_until_reveal INTEGER "
                                "NOT NULL DEFAULT 1")
                sql.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def write(self) -> Iterator[_Transaction]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        with self.lock:
            self._sql.execute("BEGIN IMMEDIATE")
            try:
                yield _Transaction(self._sql)
            except BaseException:
                self._sql.execute("ROLLBACK")
                raise
            self._sql.execute("COMMIT")

    def rows(self, query: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self._sql.execute(query, params).fetchall()

    def row(self, query: str, params: tuple = ()) -> sqlite3.Row | None:
        with self.lock:
            return self._sql.execute(query, params).fetchone()

    def close(self) -> None:
        with self.lock:
            self._sql.close()


class _Transaction:
    """The connection inside ``Database.write()``."""

    def __init__(self, sql: sqlite3.Connection):
        self._sql = sql

    def execute(self, query: str, params: tuple = ()) -> sqlite3.Cursor:
        return self._sql.execute(query, params)

    def executescript_in_transaction(self, script: str) -> None:
        # ``executescript`` would COMMIT first; statement by statement keeps it in ours.
        for statement in script.split(";"):
            if statement.strip():
                self._sql.execute(statement)

    def row(self, query: str, params: tuple = ()) -> sqlite3.Row | None:
        return self._sql.execute(query, params).fetchone()

    def value(self, query: str, params: tuple = ()) -> Any:
        """The first column of the first row (a count, a maximum)."""
        return self._sql.execute(query, params).fetchone()[0]
