"""Ingest: files → chunks, written to the index through ``ingest.index_writer``. Incremental and safe.

A file is read only when its hash (bytes, metadata sidecar, pipeline settings) changed; a file that
cannot be read or loaded is reported and its old version, if any, stays live; files gone from a
scanned folder are removed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.discovery import discover, doc_path_for, file_hash, pipeline_fingerprint
from ingest.index_writer import IndexWriter, PendingDocument
from ingest.loaders import SUFFIXES, LoadError, load
from ingest.reports import Failure, IngestReport, IngestStep, Progress, Stage
from rag.catalog import Catalog, FileRecord
from rag.config import IngestSettings
from rag.embeddings import Embedder
from rag.store import VectorStore
from rag.types import SourceDocument


class Ingestor:
    """Discovery, hashing, loading and chunking of the corpus files; ``run`` is the whole job."""

    def __init__(
        self, settings: IngestSettings, catalog: Catalog, store: VectorStore, embedder_factory: Callable[[], Embedder]
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.writer = IndexWriter(settings, catalog, store, embedder_factory)

    def run(
        self, paths: Sequence[Path] | None = None, rebuild: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        roots = list(paths) if paths else [self.settings.corpus_dir]
        for root in roots:
            if not root.exists():
                report.failed.append(Failure(str(root), "no such file or directory"))
        roots = [r for r in roots if r.exists()]
        report.orphans_removed = self.writer.reconcile()
        known = self.catalog.files()
        seen: set[str] = set()
        read = [0]  # chunks read so far: what the embedding progress counts up to

        def report_embedding() -> None:
            if progress:
                progress(IngestStep(Stage.EMBEDDING, report.chunks_embedded, read[0]))

        def changed() -> Iterator[PendingDocument]:
            files = discover(roots)
            for done, path in enumerate(files):
                doc_path = doc_path_for(path, self.settings.corpus_dir)
                seen.add(doc_path)
                if progress:
                    progress(IngestStep(Stage.READING, done, len(files), doc_path))
                document = self._read(path, doc_path, known.get(doc_path), rebuild, report)
                if document is not None:
                    read[0] += len(document.chunks)
                    yield document
            if progress:
                progress(IngestStep(Stage.READING, len(files), len(files)))

        self.writer.write(changed(), report, embedded_more=report_embedding)
        self.writer.remove(self._missing(roots, known, seen), report)
        return self.writer.finish(report, started)

    def _read(
        self, path: Path, doc_path: str, old: FileRecord | None, rebuild: bool, report: IngestReport
    ) -> PendingDocument | None:
        """The file, chunked, when it is new or changed; None when it is unchanged or cannot be read (noted
        in the report either way)."""
        if path.suffix.lower() not in SUFFIXES:
            report.failed.append(
                Failure(doc_path, f"unsupported file type {path.suffix or '(none)'}: use .md, .txt, .html or .pdf")
            )
            return None
        try:
            content_hash = file_hash(path, pipeline_fingerprint(self.settings))
        except OSError as exc:
            report.failed.append(Failure(doc_path, f"cannot read file: {exc.strerror or exc}"))
            return None
        if old and old.content_hash == content_hash and not rebuild:
            report.unchanged.append(doc_path)
            return None
        try:
            doc = load(path, doc_path, self.settings.max_file_bytes)
            chunks = chunk_document(doc, self.settings.chunk_size, self.settings.chunk_overlap)
        except LoadError as exc:
            report.failed.append(Failure(doc_path, str(exc)))  # any old version stays live
            return None
        return PendingDocument(_record(doc, content_hash), chunks, old is None)

    def _missing(self, roots: list[Path], known: dict[str, FileRecord], seen: set[str]) -> list[str]:
        """Catalogued documents inside a scanned folder that are no longer there."""
        scopes = [doc_path_for(r, self.settings.corpus_dir) for r in roots if r.is_dir()]
        return [
            p
            for p in known
            if p not in seen
            and any(scope == "." or p.startswith(scope.rstrip("/") + "/") or p == scope for scope in scopes)
        ]


def _record(doc: SourceDocument, content_hash: str) -> FileRecord:
    return FileRecord(
        path=doc.path,
        content_hash=content_hash,
        title=doc.title,
        audience=doc.audience.value,
        topic=doc.topic,
        tags=doc.tags,
        summary=doc.summary,
        format=doc.format,
        upkeep=doc.upkeep,
    )
