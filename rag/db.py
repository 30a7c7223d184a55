"""SQLite with named migrations (as simonw/llm does), WAL mode, one connection per thread."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

Migration = tuple[str, str]  # (name, SQL script)

# SQLite result codes that mean the file cannot be written or read: read-only, I/O, corrupt, full, cannot open.
_STORAGE_CODES = {3, 8, 10, 11, 13, 14, 26}
_BUSY = 5
_TIMEOUT = 30.0  # seconds a writer waits for another one


class DataHomeError(OSError):
    """A database in the data home cannot be opened or written (read-only, disk full, damaged)."""


@contextmanager
def _storage_errors(path: Path) -> Iterator[None]:
    """Report storage failures as DataHomeError (an OSError) so callers give one clear message."""
    try:
        yield
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in _STORAGE_CODES:
            raise DataHomeError(f"{path}: {exc}") from exc
        raise


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. Switching needs the file alone for a moment, and SQLite answers "locked" at
    once instead of waiting, so two sessions opening a new file together retry here."""
    deadline = time.monotonic() + _TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF != _BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Database:
    def __init__(self, path: Path, migrations: Sequence[Migration]) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate(migrations)

    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with _storage_errors(self.path):
                conn = sqlite3.connect(self.path, timeout=_TIMEOUT, isolation_level=None)
                conn.row_factory = sqlite3.Row
                _use_wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: writers queue up instead of failing with 'locked'."""
        conn = self.connection()
        with _storage_errors(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # a failed COMMIT (disk full) may leave it open
                    conn.execute("ROLLBACK")
                raise

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        with self.transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
            done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
            for name, script in migrations:
                if name in done:
                    continue
                for statement in (s.strip() for s in script.split(";")):
                    if statement:
                        conn.execute(statement)
                conn.execute("INSERT INTO _migrations VALUES (?, datetime('now'))", (name,))
