"""Ingest: files → chunks → vectors → Chroma, recorded in the catalog. Incremental and safe.

Order of writes for each changed file: vectors into the store, then the catalog entry (one
transaction), then removal of the file's superseded vectors. A run killed at any point leaves
only orphans in the store, which ``reconcile`` deletes at the start of the next run; readers
only ever see chunks that the catalog lists, so they never see half a document.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

import numpy as np

from ingest.chunking import chunk_document
from ingest.loaders import SUFFIXES, LoadError, is_sidecar, load, sidecar_path
from rag.catalog import Catalog, FileRecord, SentenceVectors
from rag.config import Settings
from rag.embeddings import Embedder
from rag.lexical import LexicalIndex
from rag.store import VectorStore
from rag.text import split_sentences
from rag.types import Chunk, SourceDocument


class Stage(str, Enum):
    READING = "reading files"
    EMBEDDING = "embedding passages"


@dataclass(frozen=True)
class IngestStep:
    """How far an ingest is: ``done`` of ``total`` files read, or passages embedded so far of those read."""

    stage: Stage
    done: int
    total: int
    path: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    def describe(self) -> str:
        return f"{self.stage.value}, {self.done:,} of {self.total:,}"


Progress = Callable[[IngestStep], None]


@dataclass
class Failure:
    path: str
    reason: str


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    chunks_total: int = 0
    chunks_embedded: int = 0
    orphans_removed: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.orphans_removed)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 2)
        return data


@dataclass
class _Pending:
    path: str
    record: FileRecord
    chunks: list[Chunk]
    is_new: bool


def doc_path_for(path: Path, corpus_dir: Path) -> str:
    """The document's id: its path below the corpus directory, else its absolute path."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def discover(roots: Iterable[Path]) -> list[Path]:
    """Every candidate file under ``roots``; hidden files and metadata sidecars are not documents."""
    found: list[Path] = []
    for root in roots:
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in candidates:
            rel_parts = path.relative_to(root).parts if root.is_dir() else (path.name,)
            if any(part.startswith(".") for part in rel_parts) or is_sidecar(path):
                continue
            found.append(path)
    return found


# Bump when loading or chunking changes what a file turns into, so existing data homes re-ingest.
PIPELINE_VERSION = "2"


def pipeline_fingerprint(settings: Settings) -> str:
    """What else, besides a file's bytes, decides its chunks and vectors."""
    return "|".join((PIPELINE_VERSION, settings.embedding_model, str(settings.chunk_size),
                     str(settings.chunk_overlap)))


def file_hash(path: Path, fingerprint: str = "") -> str:
    """Hash of the file, its metadata sidecar (a retag is a change) and the pipeline fingerprint."""
    with path.open("rb") as handle:  # streamed: an oversized file is hashed, then refused by the loader
        digest = hashlib.file_digest(handle, "sha256")
    side = sidecar_path(path)
    digest.update(b"\0sidecar\0" + (side.read_bytes() if side.exists() else b""))
    digest.update(b"\0pipeline\0" + fingerprint.encode())
    return digest.hexdigest()


class Ingestor:
    """Owns one ingest run's collaborators; ``run`` is the whole job."""

    def __init__(self, settings: Settings, catalog: Catalog, store: VectorStore,
                 embedder_factory: Callable[[], Embedder]) -> None:
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self._embedder_factory = embedder_factory  # called only when something needs embedding
        self._embedder: Embedder | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Ingestor:
        from rag.embeddings import SentenceTransformerEmbedder
        from rag.store import ChromaStore

        return cls(settings, Catalog(settings.catalog_path), ChromaStore(settings),
                   lambda: SentenceTransformerEmbedder(settings.embedding_model, settings.embedding_batch_size,
                                                       settings.embedding_backend))

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._embedder_factory()
        return self._embedder

    def reconcile(self) -> int:
        """Delete vectors the catalog does not list (left by an interrupted run)."""
        orphans = self.store.ids() - self.catalog.chunk_ids()
        self.store.delete(sorted(orphans))
        return len(orphans)

    def run(self, paths: Sequence[Path] | None = None, rebuild: bool = False,
            progress: Progress | None = None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        corpus_dir = self.settings.corpus_dir
        roots = list(paths) if paths else [corpus_dir]
        for root in roots:
            if not root.exists():
                report.failed.append(Failure(str(root), "no such file or directory"))
        roots = [r for r in roots if r.exists()]
        report.orphans_removed = self.reconcile()
        known = self.catalog.files()
        files = discover(roots)
        seen: set[str] = set()
        pending: list[_Pending] = []
        pending_chunks = read_chunks = 0

        def report_embedding() -> None:
            if progress:
                progress(IngestStep(Stage.EMBEDDING, report.chunks_embedded, read_chunks))

        for done, path in enumerate(files):
            doc_path = doc_path_for(path, corpus_dir)
            seen.add(doc_path)
            if progress:
                progress(IngestStep(Stage.READING, done, len(files), doc_path))
            if path.suffix.lower() not in SUFFIXES:
                report.failed.append(Failure(doc_path, f"unsupported file type {path.suffix or '(none)'}: "
                                             "use .md, .txt, .html or .pdf"))
                continue
            try:
                content_hash = file_hash(path, pipeline_fingerprint(self.settings))
            except OSError as exc:
                report.failed.append(Failure(doc_path, f"cannot read file: {exc.strerror or exc}"))
                continue
            old = known.get(doc_path)
            if old and old.content_hash == content_hash and not rebuild:
                report.unchanged.append(doc_path)
                continue
            try:
                doc = load(path, doc_path, self.settings.max_file_bytes)
                chunks = chunk_document(doc, self.settings.chunk_size, self.settings.chunk_overlap)
            except LoadError as exc:
                report.failed.append(Failure(doc_path, str(exc)))  # any old version stays live
                continue
            pending.append(_Pending(doc_path, _record(doc, content_hash), chunks, old is None))
            pending_chunks += len(chunks)
            read_chunks += len(chunks)
            if pending_chunks >= self.settings.ingest_flush_chunks:
                self._flush(pending, report, embedded_more=report_embedding)
                pending, pending_chunks = [], 0
        if progress:
            progress(IngestStep(Stage.READING, len(files), len(files)))
        self._flush(pending, report, embedded_more=report_embedding)
        self._remove_missing(roots, known, seen, report)
        if report.changed or self._lexical_stale():
            self.refresh_lexical()
        report.chunks_total = len(self.catalog.chunk_ids())
        report.seconds = time.perf_counter() - started
        return report

    def index_documents(self, documents: Sequence[tuple[FileRecord, Sequence[Chunk]]],
                        progress: Progress | None = None, sentence_vectors: bool = True) -> IngestReport:
        """Embed and commit documents chunked elsewhere (e.g. a benchmark corpus), then refresh BM25.

        The same write path as ``run``: vectors, then one catalog transaction per document.
        Sentence vectors serve only the answerer, so a retrieval benchmark may skip them.
        """
        started = time.perf_counter()
        report = IngestReport(orphans_removed=self.reconcile())
        known = self.catalog.files()
        pending: list[_Pending] = []
        pending_chunks = 0
        total = sum(len(chunks) for _, chunks in documents)

        def report_embedding() -> None:
            if progress:
                progress(IngestStep(Stage.EMBEDDING, report.chunks_embedded, total))

        for record, chunks in documents:
            pending.append(_Pending(record.path, record, list(chunks), record.path not in known))
            pending_chunks += len(chunks)
            if pending_chunks >= self.settings.ingest_flush_chunks:
                self._flush(pending, report, sentence_vectors, report_embedding)
                pending, pending_chunks = [], 0
        self._flush(pending, report, sentence_vectors, report_embedding)
        if report.changed or self._lexical_stale():
            self.refresh_lexical()
        report.chunks_total = len(self.catalog.chunk_ids())
        report.seconds = time.perf_counter() - started
        return report

    def _flush(self, pending: list[_Pending], report: IngestReport, sentence_vectors: bool = True,
               embedded_more: Callable[[], None] = lambda: None) -> None:
        """Embed and store the pending files' chunks in one pass, then commit file by file."""
        chunks = [c for p in pending for c in p.chunks]
        if not chunks:
            for item in pending:  # a document with no text left after cleaning still counts
                self._commit(item, [], {}, report)
            return
        spans = [split_sentences(c.text) if sentence_vectors else [] for c in chunks]
        shifted = [_shift(sp, len(c.indexed_text) - len(c.text)) for c, sp in zip(chunks, spans, strict=True)]
        def batch_done(count: int) -> None:
            report.chunks_embedded += count
            embedded_more()

        embedded = self.embedder.embed_passages([c.indexed_text for c in chunks], shifted, batch_done)
        # One store call for the whole flush: each call costs tens of milliseconds however small.
        self.store.upsert(chunks, np.stack([v for v, _ in embedded]))
        position = 0
        for item in pending:
            end = position + len(item.chunks)
            sentences = {
                c.id: SentenceVectors(spans=tuple(sp), vectors=sv)
                for c, sp, (_, sv) in zip(item.chunks, spans[position:end], embedded[position:end], strict=True)
            }
            self._commit(item, item.chunks, sentences, report)
            position = end

    def _commit(self, item: _Pending, chunks: list[Chunk], sentences: dict[str, SentenceVectors],
                report: IngestReport) -> None:
        old_ids = {c.id for c in self.catalog.chunks(item.path)} if not item.is_new else set()
        self.catalog.commit_file(item.record, chunks, sentences)
        self.store.delete(sorted(old_ids - {c.id for c in chunks}))
        (report.added if item.is_new else report.updated).append(item.path)

    def _remove_missing(self, roots: list[Path], known: dict[str, FileRecord], seen: set[str],
                        report: IngestReport) -> None:
        scopes = [doc_path_for(r, self.settings.corpus_dir) for r in roots if r.is_dir()]
        gone = [
            p for p in known
            if p not in seen and any(scope == "." or p.startswith(scope.rstrip("/") + "/") or p == scope
                                     for scope in scopes)
        ]
        if not gone:
            return
        doomed = [c.id for p in gone for c in self.catalog.chunks(p)]
        self.catalog.remove_files(gone)
        self.store.delete(doomed)
        report.removed.extend(gone)

    def _lexical_stale(self) -> bool:
        index = LexicalIndex.load(self.settings.lexical_path)
        return index is None or index.generation != self.catalog.generation()

    def refresh_lexical(self) -> LexicalIndex:
        generation = self.catalog.generation()
        index = LexicalIndex.build(self.catalog.chunks(), generation)
        index.save(self.settings.lexical_path)
        return index


def _shift(spans: list[tuple[int, int]], by: int) -> list[tuple[int, int]]:
    return [(a + by, b + by) for a, b in spans]


def _record(doc: SourceDocument, content_hash: str) -> FileRecord:
    return FileRecord(path=doc.path, content_hash=content_hash, title=doc.title, audience=doc.audience.value,
                      topic=doc.topic, tags=doc.tags, summary=doc.summary, format=doc.format)
