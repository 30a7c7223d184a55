"""Who changed the playbook, and the trainers' follow-through, and when: an append-only log in the data home.

Each entry names the trainer (the name given at login, or ``--by`` on the command line), the action
(upload, retag, replace, delete, approve, verify, unverify, review, mark reviewed) and what it was done to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rag.db import Database

ACTIONS = (
    "upload",
    "retag",
    "replace",
    "delete",
    "approve",
    "verify",
    "unverify",
    "review",
    "mark reviewed",
    "approve item",
    "reject item",
    "sign off",
)  # the last three: training mode
MIGRATIONS = [
    (
        "m001_audit",
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY, ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            who TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '')
    """,
    ),
]


@dataclass(frozen=True)
class AuditEntry:
    ts: str
    who: str
    action: str
    target: str
    detail: str = ""


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.db = Database(path, MIGRATIONS)

    def record(self, who: str, action: str, target: str, detail: str = "") -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO audit (who, action, target, detail) VALUES (?, ?, ?, ?)",
                ((who.strip() or "unnamed")[:80], action, target[:500], detail[:500]),
            )

    def entries(self, limit: int = 200) -> list[AuditEntry]:
        """Newest first."""
        rows = self.db.connection().execute(
            "SELECT ts, who, action, target, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [AuditEntry(*row) for row in rows]
