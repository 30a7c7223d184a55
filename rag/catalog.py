"""The catalog: which files are ingested, their chunks and sentence vectors (SQLite).

The catalog is the source of truth for what is live. A file's chunks are written to the
vector store first and recorded here second, in one transaction; anything in the store that
the catalog does not list is an orphan of an interrupted run and is removed on the next ingest.
Every commit bumps ``generation`` so readers can tell when to reload their snapshot.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.db import Database
from rag.types import Audience, Chunk, Upkeep

MIGRATIONS = [
    (
        "m001_initial",
        """
        CREATE TABLE files (
            path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, ingested_at TEXT NOT NULL,
            title TEXT, audience TEXT, topic TEXT, tags TEXT, summary TEXT, format TEXT,
            n_chunks INTEGER NOT NULL);
        CREATE TABLE chunks (
            id TEXT PRIMARY KEY, doc_path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL, text TEXT NOT NULL, title TEXT, section TEXT, audience TEXT,
            topic TEXT, tags TEXT, page INTEGER, start_index INTEGER, content_hash TEXT,
            flagged TEXT NOT NULL DEFAULT '');
        CREATE INDEX chunks_doc ON chunks(doc_path, ordinal);
        CREATE TABLE sentences (
            chunk_id TEXT NOT NULL REFERENCES chunks(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
            start INTEGER NOT NULL, end INTEGER NOT NULL, vector BLOB NOT NULL,
            PRIMARY KEY (chunk_id, idx));
        CREATE TABLE approvals (content_hash TEXT PRIMARY KEY, approved_at TEXT, approved_by TEXT);
        CREATE TABLE state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO state VALUES ('generation', 0)
    """,
    ),
    ("m002_no_start_index", "ALTER TABLE chunks DROP COLUMN start_index"),  # written, never read
    (
        "m003_upkeep",
        """
        ALTER TABLE files ADD COLUMN owner TEXT NOT NULL DEFAULT '';
        ALTER TABLE files ADD COLUMN review_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE files ADD COLUMN verified_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE files ADD COLUMN verified_on TEXT NOT NULL DEFAULT ''
    """,
    ),
]


@dataclass(frozen=True)
class FileRecord:
    path: str
    content_hash: str
    title: str
    audience: str
    topic: str
    tags: tuple[str, ...]
    summary: str
    format: str
    n_chunks: int = 0
    ingested_at: str = ""
    upkeep: Upkeep = Upkeep()


@dataclass(frozen=True)
class SentenceVectors:
    spans: tuple[tuple[int, int], ...]  # character spans in the chunk's text
    vectors: np.ndarray  # one normalized row per span


def _chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        id=row["id"],
        doc_path=row["doc_path"],
        ordinal=row["ordinal"],
        text=row["text"],
        title=row["title"],
        section=row["section"],
        audience=Audience(row["audience"]),
        topic=row["topic"],
        tags=tuple(json.loads(row["tags"])),
        page=row["page"],
        content_hash=row["content_hash"],
        flagged=row["flagged"],
    )


class Catalog:
    def __init__(self, path: Path) -> None:
        self.db = Database(path, MIGRATIONS)

    def generation(self) -> int:
        return int(self.db.connection().execute("SELECT value FROM state WHERE key='generation'").fetchone()[0])

    def files(self) -> dict[str, FileRecord]:
        rows = self.db.connection().execute("SELECT * FROM files ORDER BY path")
        return {
            r["path"]: FileRecord(
                path=r["path"],
                content_hash=r["content_hash"],
                title=r["title"],
                audience=r["audience"],
                topic=r["topic"],
                tags=tuple(json.loads(r["tags"])),
                summary=r["summary"],
                format=r["format"],
                n_chunks=r["n_chunks"],
                ingested_at=r["ingested_at"],
                upkeep=Upkeep(r["owner"], r["review_by"], r["verified_by"], r["verified_on"]),
            )
            for r in rows
        }

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.connection().execute("SELECT id FROM chunks")}

    def chunks(self, doc_path: str | None = None) -> list[Chunk]:
        conn = self.db.connection()
        if doc_path is None:
            rows = conn.execute("SELECT * FROM chunks ORDER BY doc_path, ordinal")
        else:
            rows = conn.execute("SELECT * FROM chunks WHERE doc_path=? ORDER BY ordinal", (doc_path,))
        return [_chunk(r) for r in rows]

    def sentence_vectors(self, chunk_ids: Sequence[str]) -> dict[str, SentenceVectors]:
        if not chunk_ids:
            return {}
        # The ids travel as one JSON parameter: fixed SQL, and no limit on the number of ids.
        rows = self.db.connection().execute(
            "SELECT chunk_id, start, end, vector FROM sentences WHERE chunk_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY chunk_id, idx",
            (json.dumps(list(chunk_ids)),),
        )
        grouped: dict[str, list[sqlite3.Row]] = {}
        for r in rows:
            grouped.setdefault(r[0], []).append(r)
        return {
            cid: SentenceVectors(
                spans=tuple((r[1], r[2]) for r in rs),
                vectors=np.stack([np.frombuffer(r[3], dtype=np.float16) for r in rs]).astype(np.float32),
            )
            for cid, rs in grouped.items()
        }

    def commit_file(self, record: FileRecord, chunks: Sequence[Chunk], sentences: dict[str, SentenceVectors]) -> None:
        """Replace everything recorded for ``record.path`` in one transaction."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM chunks WHERE doc_path=?", (record.path,))
            upkeep = record.upkeep
            conn.execute(
                "INSERT OR REPLACE INTO files (path, content_hash, ingested_at, title, audience, topic, tags, summary, "
                "format, n_chunks, owner, review_by, verified_by, verified_on) "
                "VALUES (?, ?, datetime('now'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.path,
                    record.content_hash,
                    record.title,
                    record.audience,
                    record.topic,
                    json.dumps(list(record.tags)),
                    record.summary,
                    record.format,
                    len(chunks),
                    upkeep.owner,
                    upkeep.review_by,
                    upkeep.verified_by,
                    upkeep.verified_on,
                ),
            )
            conn.executemany(
                "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        c.id,
                        c.doc_path,
                        c.ordinal,
                        c.text,
                        c.title,
                        c.section,
                        c.audience.value,
                        c.topic,
                        json.dumps(list(c.tags)),
                        c.page,
                        c.content_hash,
                        c.flagged,
                    )
                    for c in chunks
                ],
            )
            conn.executemany(
                "INSERT INTO sentences VALUES (?, ?, ?, ?, ?)",
                [
                    (cid, i, start, end, vec.astype(np.float16).tobytes())
                    for cid, sv in sentences.items()
                    for i, ((start, end), vec) in enumerate(zip(sv.spans, sv.vectors, strict=True))
                ],
            )
            self._bump(conn)

    def remove_files(self, paths: Iterable[str]) -> None:
        paths = list(paths)
        if not paths:
            return
        with self.db.transaction() as conn:
            conn.executemany("DELETE FROM files WHERE path=?", [(p,) for p in paths])
            self._bump(conn)

    def approve(self, content_hash: str, approved_by: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO approvals VALUES (?, datetime('now'), ?)", (content_hash, approved_by))
            self._bump(conn)

    def approved_hashes(self) -> set[str]:
        return {r[0] for r in self.db.connection().execute("SELECT content_hash FROM approvals")}

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE state SET value = value + 1 WHERE key='generation'")
