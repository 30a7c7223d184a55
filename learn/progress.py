"""Learners' progress in SQLite in the data home: crash-safe (WAL, one transaction per change) and shared
by every session, so two learners on two tablets, or one learner on two, never lose a result.

Chat questions are never stored here, and nothing here is written to the question log: trainers see
completion and scores, not what a person asked.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from learn.schedule import ReviewState
from rag.db import Database

MAX_NAME = 60
_NAME = re.compile(r"^[\w .'#-]+$")  # letters of any script, digits, and the marks names and badge codes use

MIGRATIONS = [
    (
        "m001_progress",
        """
        CREATE TABLE learners (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_on TEXT NOT NULL);
        CREATE TABLE opened (learner TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
                             module TEXT NOT NULL, on_date TEXT NOT NULL, PRIMARY KEY (learner, module));
        CREATE TABLE attempts (id INTEGER PRIMARY KEY,
                               learner TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
                               module TEXT NOT NULL, score INTEGER NOT NULL, total INTEGER NOT NULL,
                               passed INTEGER NOT NULL, on_date TEXT NOT NULL);
        CREATE INDEX attempts_learner ON attempts (learner, module);
        CREATE TABLE answers (id INTEGER PRIMARY KEY,
                              learner TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
                              attempt INTEGER REFERENCES attempts(id) ON DELETE CASCADE,
                              item TEXT NOT NULL, correct INTEGER NOT NULL, on_date TEXT NOT NULL);
        CREATE INDEX answers_item ON answers (item);
        CREATE TABLE reviews (learner TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
                              item TEXT NOT NULL, due TEXT NOT NULL, ease REAL NOT NULL, interval INTEGER NOT NULL,
                              repetitions INTEGER NOT NULL, lapses INTEGER NOT NULL, PRIMARY KEY (learner, item));
        CREATE TABLE signoffs (learner TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
                               module TEXT NOT NULL, by TEXT NOT NULL, on_date TEXT NOT NULL,
                               PRIMARY KEY (learner, module))
    """,
    ),
]


class LearnerNameError(ValueError):
    """A name or badge code that cannot be used; the message says why in one line."""


def learner_name(raw: str) -> str:
    """The name as shown: trimmed, spaces collapsed; refused when empty, too long or holding markup."""
    name = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if not name:
        raise LearnerNameError("enter your name or badge code")
    if len(name) > MAX_NAME:
        raise LearnerNameError(f"a name or badge code has at most {MAX_NAME} characters")
    if not _NAME.match(name):
        raise LearnerNameError("a name or badge code uses letters, digits, spaces and . ' - # only")
    return name


def learner_id(name: str) -> str:
    """One learner however the name is capitalized or spaced ("Ana Ruiz" is "ana  ruiz")."""
    return learner_name(name).casefold()


@dataclass(frozen=True)
class Attempt:
    module: str
    score: int
    total: int
    passed: bool
    on: date


@dataclass(frozen=True)
class Record:
    """Everything known about one learner, for their own view, the trainer's tables and the CLI."""

    learner: str
    name: str
    opened: dict[str, date]
    attempts: tuple[Attempt, ...]
    signoffs: dict[str, tuple[str, date]]  # module: (by, on)
    reviews: tuple[ReviewState, ...]

    def best(self, module: str) -> Attempt | None:
        tries = [a for a in self.attempts if a.module == module]
        return max(tries, key=lambda a: (a.passed, a.score / a.total if a.total else 0, a.on), default=None)

    def reviews_due(self, today: date) -> int:
        return sum(1 for s in self.reviews if s.due <= today)

    def last_pass(self, module: str) -> date | None:
        return max((a.on for a in self.attempts if a.module == module and a.passed), default=None)


class Progress:
    def __init__(self, path: Path) -> None:
        self.db = Database(path, MIGRATIONS)

    def sign_in(self, name: str, today: date) -> str:
        """The learner's id, creating the learner on first use."""
        shown, learner = learner_name(name), learner_id(name)
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO learners (id, name, created_on) VALUES (?, ?, ?)",
                (learner, shown, today.isoformat()),
            )
        return learner

    def learners(self) -> list[tuple[str, str]]:
        """(id, name) of every learner, by name."""
        rows = self.db.connection().execute("SELECT id, name FROM learners ORDER BY name COLLATE NOCASE")
        return [(row["id"], row["name"]) for row in rows]

    def opened(self, learner: str, module: str, today: date) -> None:
        with self.db.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO opened VALUES (?, ?, ?)", (learner, module, today.isoformat()))

    def record_attempt(
        self,
        learner: str,
        module: str,
        results: Sequence[tuple[str, bool]],
        passed: bool,
        reviews: Iterable[ReviewState],
        today: date,
    ) -> None:
        """One knowledge check, its answers and the review schedule they set, all or nothing."""
        score = sum(1 for _, correct in results if correct)
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO attempts (learner, module, score, total, passed, on_date) VALUES (?, ?, ?, ?, ?, ?)",
                (learner, module, score, len(results), int(passed), today.isoformat()),
            )
            conn.executemany(
                "INSERT INTO answers (learner, attempt, item, correct, on_date) VALUES (?, ?, ?, ?, ?)",
                [(learner, cursor.lastrowid, item, int(correct), today.isoformat()) for item, correct in results],
            )
            self._save_reviews(conn, learner, reviews)

    def record_review(self, learner: str, item: str, correct: bool, state: ReviewState, today: date) -> None:
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO answers (learner, attempt, item, correct, on_date) VALUES (?, NULL, ?, ?, ?)",
                (learner, item, int(correct), today.isoformat()),
            )
            self._save_reviews(conn, learner, [state])

    @staticmethod
    def _save_reviews(conn: sqlite3.Connection, learner: str, states: Iterable[ReviewState]) -> None:
        conn.executemany(
            "INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(learner, s.item_id, s.due.isoformat(), s.ease, s.interval, s.repetitions, s.lapses) for s in states],
        )

    def reviewed(self, learner: str, day: date) -> int:
        """Review items the learner answered on ``day`` (knowledge checks not counted)."""
        row = (
            self.db.connection()
            .execute(
                "SELECT COUNT(*) FROM answers WHERE learner = ? AND attempt IS NULL AND on_date = ?",
                (learner, day.isoformat()),
            )
            .fetchone()
        )
        return int(row[0])

    def sign_off(self, learner: str, module: str, by: str, today: date) -> None:
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM learners WHERE id = ?", (learner,)).fetchone() is None:
                raise LookupError(f"no learner {learner!r}")
            conn.execute(
                "INSERT OR REPLACE INTO signoffs VALUES (?, ?, ?, ?)",
                (learner, module, by.strip()[:80] or "unnamed", today.isoformat()),
            )

    def record(self, learner: str) -> Record:
        conn = self.db.connection()
        row = conn.execute("SELECT name FROM learners WHERE id = ?", (learner,)).fetchone()
        if row is None:
            raise LookupError(f"no learner {learner!r}")
        return Record(
            learner,
            row["name"],
            {
                r["module"]: date.fromisoformat(r["on_date"])
                for r in conn.execute("SELECT module, on_date FROM opened WHERE learner = ?", (learner,))
            },
            tuple(
                Attempt(r["module"], r["score"], r["total"], bool(r["passed"]), date.fromisoformat(r["on_date"]))
                for r in conn.execute("SELECT * FROM attempts WHERE learner = ? ORDER BY id", (learner,))
            ),
            {
                r["module"]: (r["by"], date.fromisoformat(r["on_date"]))
                for r in conn.execute("SELECT module, by, on_date FROM signoffs WHERE learner = ?", (learner,))
            },
            tuple(
                ReviewState(
                    r["item"], date.fromisoformat(r["due"]), r["ease"], r["interval"], r["repetitions"], r["lapses"]
                )
                for r in conn.execute("SELECT * FROM reviews WHERE learner = ? ORDER BY item", (learner,))
            ),
        )

    def item_statistics(self) -> dict[str, tuple[int, int]]:
        """Item id: (times answered, times missed), over every learner's checks and reviews."""
        rows = self.db.connection().execute(
            "SELECT item, COUNT(*) AS asked, SUM(1 - correct) AS missed FROM answers GROUP BY item"
        )
        return {row["item"]: (row["asked"], row["missed"]) for row in rows}

    def forget(self, learner: str) -> bool:
        """Delete the learner and everything recorded about them; False when there was no such learner."""
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM learners WHERE id = ?", (learner,)).rowcount > 0
