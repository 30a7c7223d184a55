"""Chat conversations kept on the server per device, so a reload, a reconnect or a tablet waking from
sleep finds them again.

A device is a random id in a browser cookie: no login. A conversation is kept for
``Settings.conversation_keep_hours`` after its last change and then forgotten, so a shared tablet
keeps nothing longer than that. Answers live here, on the server, never in the URL.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rag.db import Database
from rag.types import ASKERS, Audience

MIGRATIONS = [
    (
        "m001_conversations",
        """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY, device TEXT NOT NULL, role TEXT NOT NULL,
            started REAL NOT NULL, updated REAL NOT NULL, entries TEXT NOT NULL);
        CREATE INDEX conversations_device ON conversations(device, updated)
    """,
    ),
    # It held the role's label ("Worker"); it is the audience the conversation was asked as ("worker").
    (
        "m002_role_is_audience",
        """
        ALTER TABLE conversations RENAME COLUMN role TO audience;
        UPDATE conversations SET audience = lower(audience)
    """,
    ),
]


@dataclass(frozen=True)
class Conversation:
    id: str
    audience: Audience | None  # who it was asked as when it was last saved (None: not an asker's audience)
    started: float  # seconds since the epoch
    updated: float
    entries: tuple[dict, ...]  # the chat bubbles, as the app writes them

    @property
    def title(self) -> str:
        """Its first question, as a list of earlier conversations names it."""
        return next((e["text"] for e in self.entries if e.get("role") == "user"), "(no question yet)")


def _asker(value: str) -> Audience | None:
    return next((a for a in ASKERS if a.value == value), None)


class ConversationStore:
    def __init__(self, path: Path, keep_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.db = Database(path, MIGRATIONS)
        self.keep_seconds = keep_seconds
        self.clock = clock

    def save(self, device: str, conversation_id: str, audience: Audience, entries: list[dict]) -> None:
        """Write the conversation as it stands now (and forget the expired ones of every device)."""
        now = self.clock()
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM conversations WHERE updated < ?", (now - self.keep_seconds,))
            conn.execute(
                "INSERT INTO conversations (id, device, audience, started, updated, entries) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET audience = excluded.audience, updated = excluded.updated, "
                "entries = excluded.entries WHERE conversations.device = excluded.device",
                (conversation_id, device, audience.value, now, now, json.dumps(entries)),
            )

    def recent(self, device: str, limit: int = 10) -> list[Conversation]:
        """The device's conversations still kept, the latest first."""
        rows = self.db.connection().execute(
            "SELECT * FROM conversations WHERE device = ? AND updated >= ? ORDER BY updated DESC LIMIT ?",
            (device, self.clock() - self.keep_seconds, limit),
        )
        return [
            Conversation(r["id"], _asker(r["audience"]), r["started"], r["updated"], tuple(json.loads(r["entries"])))
            for r in rows
        ]

    def latest(self, device: str) -> Conversation | None:
        found = self.recent(device, limit=1)
        return found[0] if found else None
