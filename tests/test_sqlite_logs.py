"""The question log and feedback: SQLite in WAL mode; concurrent writers from threads and from
separate processes (several app sessions, the CLI) lose no row."""

from __future__ import annotations

import sqlite3
import subprocess  # nosec B404: runs our own Python with a fixed script
import sys
import threading
from functools import partial
from pathlib import Path

import pytest

from rag.catalog import MIGRATIONS, Catalog
from rag.db import Database
from rag.interactions import MIGRATIONS as LOG_MIGRATIONS
from rag.interactions import InteractionLog
from rag.types import Answer, Citation

from conftest import run_together

THREADS = 8
WRITES = 40
PROCESSES = 3
PROCESS_WRITES = 150


def _answer(text: str) -> Answer:
    citation = Citation(1, ("chunk",), "doc.md", "Doc", "Section", None, "A snippet.")
    return Answer(text, (citation,), False, "offline", latency_ms=1.0)


def test_log_and_catalog_databases_use_wal(tmp_path: Path) -> None:
    log = InteractionLog(tmp_path / "logs.sqlite3")
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    for db in (log.db, catalog.db):
        assert db.connection().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with sqlite3.connect(db.path) as fresh:  # WAL is a property of the file, not of our connection
            assert fresh.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_threads_sharing_one_log_lose_no_row(tmp_path: Path) -> None:
    log = InteractionLog(tmp_path / "logs.sqlite3")
    ids: list[int] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for i in range(WRITES):
            interaction = log.record(
                "worker", f"t{n}-q{i}", _answer(f"answer {n}/{i}"), [{"role": "user", "content": "hi"}]
            )
            log.add_feedback(interaction, 1 if i % 2 else -1, f"comment {n}/{i}")
            with lock:
                ids.append(interaction)

    errors = run_together(*(partial(writer, n) for n in range(THREADS)))
    assert errors == []
    assert len(ids) == len(set(ids)) == THREADS * WRITES
    assert log.count() == THREADS * WRITES
    rows = log.interactions(limit=THREADS * WRITES + 10)
    assert {r.question for r in rows} == {f"t{n}-q{i}" for n in range(THREADS) for i in range(WRITES)}
    assert all(r.rating in (1, -1) and r.comment for r in rows)
    with sqlite3.connect(log.db.path) as conn:
        assert conn.execute("SELECT count(*) FROM feedback").fetchone()[0] == THREADS * WRITES


WRITER = """
import sys, time
from pathlib import Path
from rag.interactions import MIGRATIONS as LOG_MIGRATIONS
from rag.interactions import InteractionLog
from rag.types import Answer
log = InteractionLog(Path(sys.argv[1]))
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.01)
for i in range(int(sys.argv[4])):
    interaction = log.record("manager", f"{sys.argv[3]}-q{i}", Answer(f"a{i}", (), True, "offline"))
    log.add_feedback(interaction, -1, "too vague")
"""


def test_separate_processes_writing_at_once_lose_no_row(tmp_path: Path) -> None:
    path = tmp_path / "logs.sqlite3"
    go = tmp_path / "go"
    log = InteractionLog(path)  # migrated before the writers start, as the app does at start-up
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(go), f"p{n}", str(PROCESS_WRITES)],  # nosec B603
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    go.touch()
    for i in range(PROCESS_WRITES):  # this process writes at the same time
        log.add_feedback(log.record("worker", f"main-q{i}", _answer("a")), 1)
    for writer in writers:
        _, stderr = writer.communicate(timeout=300)
        assert writer.returncode == 0, stderr
    expected = {f"p{n}-q{i}" for n in range(PROCESSES) for i in range(PROCESS_WRITES)}
    expected |= {f"main-q{i}" for i in range(PROCESS_WRITES)}
    rows = log.interactions(limit=len(expected) + 10)
    assert len(rows) == len(expected) and {r.question for r in rows} == expected
    assert all(r.rating in (1, -1) for r in rows)


def test_a_second_process_migrating_the_same_new_database_is_safe(tmp_path: Path) -> None:
    """Two sessions starting at once both run the migrations: one applies them, the other sees them applied."""
    path = tmp_path / "fresh.sqlite3"
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(go), f"p{n}", "20"],  # nosec B603
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    go.touch()
    for writer in writers:
        _, stderr = writer.communicate(timeout=300)
        assert writer.returncode == 0, stderr
    assert InteractionLog(path).count() == PROCESSES * 20


def test_opening_a_new_database_while_another_session_holds_its_write_lock_waits(tmp_path: Path) -> None:
    """Switching a new file to WAL needs a moment alone with it; SQLite answers "locked" at once
    instead of waiting, so a session starting beside another one must wait and retry itself."""
    path = tmp_path / "logs.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE other_session_was_here (x)")
    release = threading.Timer(0.5, other.execute, args=("COMMIT",))
    release.start()
    try:
        log = InteractionLog(path)
    finally:
        release.join()
    log.record("worker", "q", _answer("a"))
    assert log.count() == 1
    assert log.db.connection().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_log_that_cannot_be_opened_is_reported_as_a_data_home_error(tmp_path: Path) -> None:
    """Storage failures surface as one OSError naming the file, which the CLI and the app report plainly."""
    from rag.db import DataHomeError

    path = tmp_path / "logs.sqlite3"
    path.mkdir()  # something that is not a database sits where the log should be
    with pytest.raises(DataHomeError, match="logs.sqlite3: unable to open database file") as failed:
        InteractionLog(path)
    assert isinstance(failed.value, OSError)


def released(path: Path, migrations: list[tuple[str, str]], *rows: str) -> Path:
    """A database as an earlier release left it: only its first migration applied, holding ``rows``."""
    Database(path, migrations[:1])
    with sqlite3.connect(path) as old:
        for row in rows:
            old.execute(row)
    return path


def test_a_catalog_from_before_the_start_index_column_was_dropped_keeps_its_chunks(tmp_path: Path) -> None:
    path = released(
        tmp_path / "catalog.sqlite3",
        MIGRATIONS,
        "INSERT INTO files VALUES ('doc.md', 'h', datetime('now'), 'Doc', 'worker', '', '[]', '', 'md', 1)",
        "INSERT INTO chunks VALUES ('c1', 'doc.md', 0, 'OEE is a score.', 'Doc', 'What is OEE?', "
        "'worker', '', '[]', NULL, 17, 'ch', '')",
    )
    chunks = Catalog(path).chunks("doc.md")
    assert [(c.id, c.text, c.section) for c in chunks] == [("c1", "OEE is a score.", "What is OEE?")]
    with sqlite3.connect(path) as upgraded:
        columns = [row[1] for row in upgraded.execute("PRAGMA table_info(chunks)")]
    assert "start_index" not in columns and "flagged" in columns


def test_a_log_from_before_role_was_renamed_audience_keeps_every_row(tmp_path: Path) -> None:
    path = released(
        tmp_path / "logs.sqlite3",
        LOG_MIGRATIONS,
        "INSERT INTO interactions (role, question, answer, citations, abstained) "
        "VALUES ('manager', 'What is OEE?', 'OEE is a score. [1]', '[]', 0)",
    )
    log = InteractionLog(path)
    [row] = log.interactions()
    assert (row.audience, row.question, row.answer) == ("manager", "What is OEE?", "OEE is a score. [1]")
    log.add_feedback(row.id, -1, "too short")
    assert log.interactions(rating=-1)[0].comment == "too short"
