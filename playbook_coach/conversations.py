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

MIGRATIONS = [
    ("m001_conversations", """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY, device TEXT NOT NULL, role TEXT NOT NULL,
            started REAL NOT NULL, updated REAL NOT NULL, entries TEXT NOT NULL);
        CREATE INDEX conversations_device ON conversations(device, updated)
    """),
]


@dataclass(frozen=True)
class Conversation:
    id: str
    role: str  # the role chosen when it was last saved ("Worker", "Manager")
    started: float  # seconds since the epoch
    updated: float
    entries: tuple[dict, ...]  # the chat bubbles, as the app writes them

    @property
    def title(self) -> str:
        """Its first question, as a list of earlier conversations names it."""
        return next((e["text"] for e in self.entries if e.get("role") == "user"), "(no question yet)")


class ConversationStore:
    def __init__(self, path: Path, keep_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.db = Database(path, MIGRATIONS)
        self.keep_seconds = keep_seconds
        self.clock = clock

    def save(self, device: str, conversation_id: str, role: str, entries: list[dict]) -> None:
        """Write the conversation as it stands now (and forget the expired ones of every device)."""
        now = self.clock()
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM conversations WHERE updated < ?", (now - self.keep_seconds,))
            conn.execute(
                "INSERT INTO conversations (id, device, role, started, updated, entries) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET role = excluded.role, updated = excluded.updated, "
                "entries = excluded.entries WHERE conversations.device = excluded.device",
                (conversation_id, device, role, now, now, json.dumps(entries)))

    def recent(self, device: str, limit: int = 10) -> list[Conversation]:
        """The device's conversations still kept, the latest first."""
        rows = self.db.connection().execute(
            "SELECT * FROM conversations WHERE device = ? AND updated >= ? ORDER BY updated DESC LIMIT ?",
            (device, self.clock() - self.keep_seconds, limit))
        return [Conversation(r["id"], r["role"], r["started"], r["updated"], tuple(json.loads(r["entries"])))
                for r in rows]

    def latest(self, device: str) -> Conversation | None:
        found = self.recent(device, limit=1)
        return found[0] if found else None
