"""An immutable view of the live corpus for answering: chunks, BM25 index and glossary.

Readers hold one snapshot per catalog generation. A new snapshot is built beside the old one
and swapped in whole, so a question never sees half of an ingest.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rag.catalog import Catalog
from rag.lexical import LexicalIndex
from rag.query import Glossary, Vocabulary
from rag.text import terms
from rag.types import Chunk, Upkeep

COMMON_TITLE_SHARE = 0.25  # a term in more than this share of document titles names the playbook, not a document


@dataclass(frozen=True)
class Snapshot:
    generation: int
    chunks: dict[str, Chunk]
    lexical: LexicalIndex
    glossary: Glossary
    vocabulary: Vocabulary
    approved: frozenset[str]
    # The chunks of every section in reading order, by (document, section): a section's opening answers its
    # heading, and a long section's opening may not be among the passages retrieved.
    sections: dict[tuple[str, str], tuple[Chunk, ...]] = field(default_factory=dict)
    # Documents that are trainers' verified answers: who verified each, and on what date.
    verified: dict[str, Upkeep] = field(default_factory=dict)

    def section_start(self, chunk: Chunk) -> Chunk | None:
        """The first chunk of the section ``chunk`` is in."""
        found = self.sections.get((chunk.doc_path, chunk.section))
        return found[0] if found else None

    def title_terms(self, chunk: Chunk) -> frozenset[str]:
        """The terms of the chunk's document title that set the document apart: not those most titles share
        ("smart manufacturing" is in most of the playbook's)."""
        return self._distinct_title_terms.get(chunk.doc_path, frozenset())

    @cached_property  # read for every passage weighed: each title stemmed once per snapshot, not once per passage
    def _distinct_title_terms(self) -> dict[str, frozenset[str]]:
        titled = {chunk.doc_path: frozenset(terms(chunk.title)) for chunk in self.chunks.values()}
        counted = Counter(t for named in titled.values() for t in named)
        common = {t for t, n in counted.items() if n > COMMON_TITLE_SHARE * len(titled)}
        return {document: named - common for document, named in titled.items()}

    def usable(self, chunk: Chunk) -> bool:
        """Quarantined passages stay out of answers until a trainer approves them."""
        return not chunk.flagged or chunk.content_hash in self.approved


class SnapshotCache:
    def __init__(self, catalog: Catalog, lexical_path: Path) -> None:
        self.catalog = catalog
        self.lexical_path = lexical_path
        self._current: Snapshot | None = None
        self._lock = threading.Lock()

    def get(self) -> Snapshot:
        generation = self.catalog.generation()
        current = self._current
        if current is not None and current.generation == generation:
            return current
        with self._lock:
            if self._current is None or self._current.generation != generation:
                self._current = self._load()
            return self._current

    def _load(self) -> Snapshot:
        # Read the generation first: if an ingest commits meanwhile we reload on the next call.
        generation = self.catalog.generation()
        chunks = self.catalog.chunks()
        lexical = LexicalIndex.load(self.lexical_path)
        if lexical is None or lexical.generation != generation:
            lexical = LexicalIndex.build(chunks, generation)
        return Snapshot(
            generation=generation,
            chunks={c.id: c for c in chunks},
            lexical=lexical,
            glossary=Glossary.from_chunks(chunks),
            vocabulary=Vocabulary.of(lexical.vocabulary, (chunk.text for chunk in chunks)),
            approved=frozenset(self.catalog.approved_hashes()),
            sections=sections(chunks),
            verified={path: f.upkeep for path, f in self.catalog.files().items() if f.upkeep.verified},
        )


def sections(chunks: list[Chunk]) -> dict[tuple[str, str], tuple[Chunk, ...]]:
    found: dict[tuple[str, str], list[Chunk]] = {}
    for chunk in sorted(chunks, key=lambda c: (c.doc_path, c.ordinal)):
        if chunk.section:
            found.setdefault((chunk.doc_path, chunk.section), []).append(chunk)
    return {key: tuple(section) for key, section in found.items()}
