"""Every answered question, and the feedback on it, logged to SQLite in the data home."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from rag.db import Database
from rag.types import Answer

MIGRATIONS = [
    (
        "m001_interactions",
        """
        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY, ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            role TEXT, question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
            backend TEXT, latency_ms REAL, abstained INTEGER NOT NULL, notice TEXT, history TEXT);
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY, interaction_id INTEGER NOT NULL REFERENCES interactions(id),
            ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            rating INTEGER NOT NULL CHECK (rating IN (-1, 1)), comment TEXT);
        CREATE INDEX feedback_interaction ON feedback(interaction_id)
    """,
    ),
    # "role" meant three things in the code (audience, chat turn, sentence kind); here it is the audience.
    ("m002_role_is_audience", "ALTER TABLE interactions RENAME COLUMN role TO audience"),
    # Questions that only instruct the assistant are declined, and trainers count them too.
    ("m003_refused", "ALTER TABLE interactions ADD COLUMN refused INTEGER NOT NULL DEFAULT 0"),
    # A trainer's follow-through on a thumbs-down answer: one review per interaction, the latest kept.
    (
        "m004_reviews",
        """
        CREATE TABLE reviews (
            interaction_id INTEGER PRIMARY KEY REFERENCES interactions(id), status TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '', reviewed_by TEXT NOT NULL DEFAULT '',
            ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
    """,
    ),
]


# What goes with a question when it is forgotten.
_FORGET = (
    "DELETE FROM feedback WHERE interaction_id IN (SELECT id FROM interactions WHERE ts < ?)",
    "DELETE FROM reviews WHERE interaction_id IN (SELECT id FROM interactions WHERE ts < ?)",
)


class ReviewStatus(str, Enum):
    NEW = "new"
    FIXED = "fixed"
    WONT_FIX = "won't fix"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Interaction:
    id: int
    ts: str
    audience: str
    question: str
    answer: str
    citations: list[dict[str, Any]]
    backend: str
    latency_ms: float
    abstained: bool
    history: list[dict[str, str]]
    rating: int | None = None
    comment: str = ""
    refused: bool = False
    status: ReviewStatus = ReviewStatus.NEW
    note: str = ""  # the trainer's, with the status


class InteractionLog:
    def __init__(self, path: Path) -> None:
        self.db = Database(path, MIGRATIONS)

    def record(self, audience: str, question: str, answer: Answer, history: list[dict[str, str]] | None = None) -> int:
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO interactions (audience, question, answer, citations, backend, latency_ms, abstained, "
                "notice, history) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    audience,
                    question,
                    answer.text,
                    json.dumps([c.to_dict() for c in answer.citations]),
                    answer.backend,
                    answer.latency_ms,
                    int(answer.abstained),
                    answer.notice,
                    json.dumps(history or []),
                ),
            )
            if cursor.lastrowid is None:
                raise RuntimeError("SQLite gave no id for the interaction it stored")
            return cursor.lastrowid

    def record_refusal(self, audience: str, question: str, message: str) -> int:
        """A question declined as typed (it only instructs the assistant), with the message it got."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO interactions (audience, question, answer, citations, backend, latency_ms, abstained, "
                "refused) VALUES (?, ?, ?, '[]', '', 0, 1, 1)",
                (audience, question, message),
            )
            if cursor.lastrowid is None:
                raise RuntimeError("SQLite gave no id for the interaction it stored")
            return cursor.lastrowid

    def add_feedback(self, interaction_id: int, rating: int, comment: str = "") -> None:
        if rating not in (-1, 1):
            raise ValueError("rating is 1 (thumbs up) or -1 (thumbs down)")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO feedback (interaction_id, rating, comment) VALUES (?, ?, ?)",
                (interaction_id, rating, comment.strip()[:2000]),
            )

    def review(self, interaction_id: int, status: ReviewStatus, note: str = "", by: str = "") -> None:
        """A trainer's verdict on a thumbs-down answer; a later one replaces it."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO reviews (interaction_id, status, note, reviewed_by) VALUES (?, ?, ?, ?)",
                (interaction_id, ReviewStatus(status).value, note.strip()[:2000], by.strip()[:80]),
            )

    def interactions(
        self,
        rating: int | None = None,
        limit: int | None = 200,
        since: str | None = None,
    ) -> list[Interaction]:
        """Newest first, each with its latest feedback; ``rating`` keeps only those rated so, ``since``
        (an ISO 8601 UTC time, as stored) only those asked then or later; ``limit`` None keeps all."""
        conditions: list[str] = []
        params: list[int | str] = []
        if rating is not None:
            conditions.append("f.rating = ?")
            params.append(rating)
        if since is not None:
            conditions.append("i.ts >= ?")
            params.append(since)
        sql = """
            SELECT i.*, f.rating, f.comment, r.status, r.note FROM interactions i
            LEFT JOIN feedback f ON f.id = (SELECT max(id) FROM feedback WHERE interaction_id = i.id)
            LEFT JOIN reviews r ON r.interaction_id = i.id
            {where} ORDER BY i.id DESC LIMIT ?"""
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        params.append(-1 if limit is None else limit)
        rows = self.db.connection().execute(sql.format(where=where), params)  # nosec B608 # fixed fragments
        return [
            Interaction(
                id=r["id"],
                ts=r["ts"],
                audience=r["audience"],
                question=r["question"],
                answer=r["answer"],
                citations=json.loads(r["citations"]),
                backend=r["backend"],
                latency_ms=r["latency_ms"],
                abstained=bool(r["abstained"]),
                history=json.loads(r["history"] or "[]"),
                rating=r["rating"],
                comment=r["comment"] or "",
                refused=bool(r["refused"]),
                status=ReviewStatus(r["status"] or ReviewStatus.NEW),
                note=r["note"] or "",
            )
            for r in rows
        ]

    def forget_before(self, ts: str) -> int:
        """Delete the questions asked before ``ts`` (ISO 8601 UTC, as stored), with their feedback and reviews;
        how many were deleted."""
        with self.db.transaction() as conn:
            for statement in _FORGET:
                conn.execute(statement, (ts,))
            return int(conn.execute("DELETE FROM interactions WHERE ts < ?", (ts,)).rowcount)

    def count(self) -> int:
        return int(self.db.connection().execute("SELECT count(*) FROM interactions").fetchone()[0])
