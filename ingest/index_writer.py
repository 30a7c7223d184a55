"""The one write path into the index: vectors, catalog, superseded vectors, BM25. Incremental and safe.

Order of writes for each changed document: its vectors into the store, then its catalog entry (one
transaction), then removal of its superseded vectors. A run killed at any point leaves only orphans in
the store, which ``reconcile`` deletes at the start of the next run; readers only ever see chunks that
the catalog lists, so they never see half a document. The ingest of files (``ingest.pipeline``) and the
BEIR benchmark's corpus (``evals.beir``) both write through here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ingest.reports import IngestReport, IngestStep, Progress, Stage
from rag.catalog import Catalog, FileRecord, SentenceVectors
from rag.config import IngestSettings
from rag.embeddings import Embedder
from rag.lexical import LexicalIndex
from rag.store import VectorStore
from rag.text import split_sentences
from rag.types import Chunk


@dataclass
class PendingDocument:
    """A document read and chunked, waiting to be embedded and committed."""

    record: FileRecord
    chunks: list[Chunk]
    is_new: bool

    @property
    def path(self) -> str:
        return self.record.path


class IndexWriter:
    def __init__(
        self, settings: IngestSettings, catalog: Catalog, store: VectorStore, embedder_factory: Callable[[], Embedder]
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self._embedder_factory = embedder_factory  # called only when something needs embedding
        self._embedder: Embedder | None = None

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

    def index(
        self,
        documents: Sequence[tuple[FileRecord, Sequence[Chunk]]],
        progress: Progress | None = None,
        sentence_vectors: bool = True,
        gone: Sequence[str] = (),
    ) -> IngestReport:
        """Documents chunked elsewhere (a benchmark corpus) written, and ``gone`` removed, as one run."""
        started = time.perf_counter()
        report = IngestReport(orphans_removed=self.reconcile())
        known = self.catalog.files()
        total = sum(len(chunks) for _, chunks in documents)

        def embedded_more() -> None:
            if progress:
                progress(IngestStep(Stage.EMBEDDING, report.chunks_embedded, total))

        self.remove(list(gone), report)
        self.write(
            (PendingDocument(record, list(chunks), record.path not in known) for record, chunks in documents),
            report,
            sentence_vectors,
            embedded_more,
        )
        return self.finish(report, started)

    def write(
        self,
        documents: Iterable[PendingDocument],
        report: IngestReport,
        sentence_vectors: bool = True,
        embedded_more: Callable[[], None] = lambda: None,
    ) -> None:
        """Embed and commit the documents, a batch of about ``ingest_flush_chunks`` chunks at a time, as
        they come (the caller may still be reading files). Sentence vectors serve only the answerer, so a
        retrieval benchmark may skip them."""
        pending: list[PendingDocument] = []
        pending_chunks = 0
        for document in documents:
            pending.append(document)
            pending_chunks += len(document.chunks)
            if pending_chunks >= self.settings.ingest_flush_chunks:
                self._flush(pending, report, sentence_vectors, embedded_more)
                pending, pending_chunks = [], 0
        self._flush(pending, report, sentence_vectors, embedded_more)

    def remove(self, paths: Sequence[str], report: IngestReport) -> None:
        """Take documents out of the index: the catalog first, so no reader sees them, then their vectors."""
        if not paths:
            return
        doomed = [c.id for p in paths for c in self.catalog.chunks(p)]
        self.catalog.remove_files(paths)
        self.store.delete(doomed)
        report.removed.extend(paths)

    def finish(self, report: IngestReport, started: float) -> IngestReport:
        """Rebuild the BM25 index when anything changed (or it is stale), and close the report."""
        if report.changed or self._lexical_stale():
            self.refresh_lexical()
        report.chunks_total = len(self.catalog.chunk_ids())
        report.seconds = time.perf_counter() - started
        return report

    def refresh_lexical(self) -> LexicalIndex:
        generation = self.catalog.generation()
        index = LexicalIndex.build(self.catalog.chunks(), generation)
        index.save(self.settings.lexical_path)
        return index

    def _lexical_stale(self) -> bool:
        index = LexicalIndex.load(self.settings.lexical_path)
        return index is None or index.generation != self.catalog.generation()

    def _flush(
        self,
        pending: list[PendingDocument],
        report: IngestReport,
        sentence_vectors: bool = True,
        embedded_more: Callable[[], None] = lambda: None,
    ) -> None:
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

    def _commit(
        self, item: PendingDocument, chunks: list[Chunk], sentences: dict[str, SentenceVectors], report: IngestReport
    ) -> None:
        old_ids = {c.id for c in self.catalog.chunks(item.path)} if not item.is_new else set()
        self.catalog.commit_file(item.record, chunks, sentences)
        self.store.delete(sorted(old_ids - {c.id for c in chunks}))
        (report.added if item.is_new else report.updated).append(item.path)


def _shift(spans: list[tuple[int, int]], by: int) -> list[tuple[int, int]]:
    return [(a + by, b + by) for a, b in spans]
