"""The change log: who did what to the playbook, and when, kept in SQLite in the data home."""

from __future__ import annotations

import pytest

from ingest.audit import AuditLog
from ingest.services import Services
from rag.config import Settings
from rag.types import Audience

from conftest import write_markdown
from hashing_embedder import HashingEmbedder


def test_entries_come_back_newest_first_and_unknown_actions_are_refused(tmp_path):
    audit = AuditLog(tmp_path / "audit.sqlite3")
    audit.record("Dana", "upload", "uploads/a.md")
    audit.record("  ", "delete", "uploads/a.md", "x" * 900)
    entries = audit.entries()
    assert [(e.who, e.action, e.target) for e in entries] == [
        ("unnamed", "delete", "uploads/a.md"),
        ("Dana", "upload", "uploads/a.md"),
    ]
    assert len(entries[0].detail) == 500 and entries[0].ts.endswith("Z")
    with pytest.raises(ValueError, match="unknown audit action 'drop'"):
        audit.record("Dana", "drop", "everything")


def test_corpus_changes_are_recorded_with_who_made_them(settings: Settings):
    write_markdown(
        settings.corpus_dir / "worker" / "jams.md",
        "Jams",
        ("## How do I clear a jam?\n\nStop the machine and lock it out before you reach in."),
        audience="worker",
    )
    services = Services.from_settings(settings, embedder=HashingEmbedder())
    assert not services.ingestor.run().failed
    answer, _ = services.corpus.add_verified_answer(
        "Can I reach in while it runs?",
        "No: stop the machine and lock it out first.",
        ["worker/jams.md#How do I clear a jam?"],
        Audience.WORKER,
        "Dana",
    )
    services.corpus.remove_verified_answer(answer.id, by="Sam")
    assert [(e.who, e.action, e.target) for e in services.audit.entries()] == [
        ("Sam", "unverify", answer.path),
        ("Dana", "verify", answer.path),
    ]
