"""Conversations kept per device on the server: saved, found again, kept apart, forgotten in time."""

from __future__ import annotations

from dataclasses import replace

from playbook_coach.conversations import MIGRATIONS, ConversationStore
from playbook_coach.ui import Entry
from rag.db import Database
from rag.types import Answer, Audience, Block, BlockKind, Citation

STEPS = Answer(
    "LOTO keeps a machine from starting. [1] The steps: Shut it down. [1] Lock it out. [1]",
    (Citation(1, ("c1", "c2"), "worker/safety.md", "Working safely", "What is LOTO?", None, "LOTO keeps …"),),
    False,
    "offline",
    12.5,
    notice="",
    interaction_id=7,
    intent="procedure",
    blocks=(
        Block(BlockKind.PARAGRAPH, ("LOTO keeps a machine from starting. [1]",)),
        Block(BlockKind.STEPS, ("Shut it down. [1]", "Lock it out. [1]"), "The steps:"),
    ),
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def store(tmp_path, clock: Clock, hours: float = 8) -> ConversationStore:
    return ConversationStore(tmp_path / "conversations.sqlite3", hours * 3600, clock)


def test_an_entry_with_its_answer_reads_back_as_it_was_shown():
    entry = Entry("assistant", STEPS.text, STEPS, audience="worker")
    again = Entry.from_dict(entry.to_dict())
    assert again.answer is not None and again.answer.blocks == STEPS.blocks
    assert (again.answer.citations, again.answer.interaction_id, again.audience) == (STEPS.citations, 7, "worker")
    assert Entry.from_dict(Entry("user", "What is LOTO?").to_dict()) == Entry("user", "What is LOTO?")


def test_a_conversation_saved_before_citations_named_several_passages_reads_back():
    saved = {k: v for k, v in STEPS.citations[0].to_dict().items() if k != "chunk_ids"} | {"chunk_id": "c1"}
    assert Citation.from_dict(saved) == replace(STEPS.citations[0], chunk_ids=("c1",))


def test_the_latest_conversation_of_a_device_comes_back_and_others_stay_listed(tmp_path):
    clock = Clock()
    conversations = store(tmp_path, clock)
    conversations.save("a" * 32, "first", Audience.WORKER, [{"role": "user", "text": "What is OEE?"}])
    clock.now += 60
    conversations.save("a" * 32, "second", Audience.MANAGER, [{"role": "user", "text": "How do we start?"}])
    conversations.save("b" * 32, "theirs", Audience.WORKER, [{"role": "user", "text": "Someone else's question"}])
    latest = conversations.latest("a" * 32)
    assert latest is not None
    assert (latest.id, latest.audience, latest.title) == ("second", Audience.MANAGER, "How do we start?")
    assert [c.id for c in conversations.recent("a" * 32)] == ["second", "first"]
    assert conversations.latest("c" * 32) is None


def test_a_device_cannot_overwrite_another_devices_conversation(tmp_path):
    conversations = store(tmp_path, Clock())
    conversations.save("a" * 32, "same-id", Audience.WORKER, [{"role": "user", "text": "mine"}])
    conversations.save("b" * 32, "same-id", Audience.WORKER, [{"role": "user", "text": "overwritten?"}])
    assert conversations.latest("a" * 32).title == "mine"
    assert conversations.latest("b" * 32) is None


def test_nothing_is_kept_past_the_keeping_time(tmp_path):
    clock = Clock()
    conversations = store(tmp_path, clock, hours=2)
    conversations.save("a" * 32, "old", Audience.WORKER, [{"role": "user", "text": "at the start of the shift"}])
    clock.now += 2 * 3600 + 1
    assert conversations.latest("a" * 32) is None, "expired conversations are not shown"
    conversations.save("b" * 32, "new", Audience.WORKER, [])
    rows = conversations.db.connection().execute("SELECT id FROM conversations").fetchall()
    assert [r["id"] for r in rows] == ["new"], "and the next save deletes them"


def test_conversations_saved_before_the_audience_column_open_as_who_they_were_asked_as(tmp_path):
    path = tmp_path / "conversations.sqlite3"
    old = Database(path, MIGRATIONS[:1])  # a data home from before: the column held the role's label
    with old.transaction() as conn:
        conn.execute("INSERT INTO conversations VALUES ('c1', ?, 'Manager', 1.0, 1.0, '[]')", ("a" * 32,))
    [kept] = ConversationStore(path, keep_seconds=10**12).recent("a" * 32)
    assert kept.audience is Audience.MANAGER
