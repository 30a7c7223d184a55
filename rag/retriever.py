"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused, audience-aware, optionally re-ranked."""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Protocol

import numpy as np

from rag.config import FusionMethod, RetrievalSettings
from rag.embeddings import Embedder
from rag.fusion import normalized_score_fusion, reciprocal_rank_fusion
from rag.question import asks_whom, says_whom
from rag.snapshot import Snapshot
from rag.store import StoreUnavailable, VectorStore
from rag.types import Audience, Hit

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder  # loaded only when re-ranking is configured


class RetrievalMode(str, Enum):
    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


class Retriever(Protocol):
    """The retrieval stage: the passages a query finds, best first, from one view of the corpus."""

    def retrieve(
        self,
        query: str,
        audience: Audience = Audience.ALL,
        k: int | None = None,
        snapshot: Snapshot | None = None,
        prefer: frozenset[str] = frozenset(),
    ) -> list[Hit]: ...


class HybridRetriever:
    """Dense (Chroma) and lexical (BM25) retrieval fused; either alone in ``RetrievalMode.DENSE``/``BM25``."""

    def __init__(
        self,
        settings: RetrievalSettings,
        embedder: Embedder,
        store: VectorStore,
        snapshot: Callable[[], Snapshot],
        mode: RetrievalMode = RetrievalMode.HYBRID,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.snapshot = snapshot
        self.mode = mode
        self._cross_encoder: CrossEncoder | None = None
        self._exact: tuple[int, list[str], np.ndarray] | None = None  # generation, ids, their vectors
        self._exact_lock = threading.Lock()

    def retrieve(
        self,
        query: str,
        audience: Audience = Audience.ALL,
        k: int | None = None,
        snapshot: Snapshot | None = None,
        prefer: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """``snapshot``: the corpus view to search; the current one when not given. A caller that
        answers from the hits passes the snapshot it will answer from. ``prefer``: documents raised
        like the asker's audience (a lesson's own documents, when asking about it)."""
        k = k or self.settings.top_k
        snap = snapshot or self.snapshot()
        query = snap.glossary.expand(query)
        n = self.settings.candidates
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if self.mode is not RetrievalMode.BM25 and snap.chunks:
            dense = self._dense(self.embedder.embed_queries([query])[0], n, snap)
        if self.mode is not RetrievalMode.DENSE:
            lexical = [(i, s) for i, s in snap.lexical.search(query, n) if i in snap.chunks]
        dense = [(i, s) for i, s in dense if snap.usable(snap.chunks[i])]
        lexical = [(i, s) for i, s in lexical if snap.usable(snap.chunks[i])]
        dense_scores, lexical_scores = dict(dense), dict(lexical)
        whom = asks_whom(query)
        fused = self._fuse(
            self._prefer(dense, snap, audience, prefer, whom), self._prefer(lexical, snap, audience, prefer, whom)
        )
        hits = [Hit(snap.chunks[i], score, dense_scores.get(i), lexical_scores.get(i)) for i, score in fused]
        hits.sort(key=lambda h: (-h.score, h.chunk.id))
        if self.settings.cross_encoder_model and hits:
            hits = self._rerank(query, hits[: max(n // 2, k)])
        return hits[:k]

    def _dense(self, vector: np.ndarray, n: int, snap: Snapshot) -> list[tuple[str, float]]:
        """The ``n`` passages nearest the query vector, best first: by comparing it with every passage's vector up to
        ``exact_search_max`` passages (ties in id order), by Chroma's approximate search beyond."""
        exact = self._vectors(snap) if len(snap.chunks) <= self.settings.exact_search_max else None
        if exact is None:
            return [(i, s) for i, s in self.store.query(vector, min(n, len(snap.chunks))) if i in snap.chunks]
        ids, matrix = exact
        if not ids:  # none of the snapshot's passages has a vector in the store
            return []
        similarities = matrix @ np.asarray(vector, dtype=np.float32)  # unit vectors: the cosine similarity
        return [(ids[i], float(similarities[i])) for i in np.argsort(-similarities, kind="stable")[:n]]

    def _vectors(self, snap: Snapshot) -> tuple[list[str], np.ndarray] | None:
        """The snapshot's passages with a stored vector, in id order, and those vectors: read from the store once
        per catalog generation, and kept (an ingest stores a passage's vector before it commits the passage). None
        when the store cannot give them now (an embedded store being written by another process can fail a read):
        the approximate search answers meanwhile, or says clearly that the store is down."""
        with self._exact_lock:
            if self._exact is None or self._exact[0] != snap.generation:
                try:
                    stored = self.store.vectors(sorted(snap.chunks))
                except StoreUnavailable:
                    return None
                ids = sorted(stored)
                matrix = np.stack([stored[i] for i in ids]) if ids else np.zeros((0, 0), dtype=np.float32)
                self._exact = (snap.generation, ids, matrix)
            return self._exact[1], self._exact[2]

    def _prefer(
        self,
        ranked: list[tuple[str, float]],
        snap: Snapshot,
        audience: Audience,
        documents: frozenset[str] = frozenset(),
        whom: bool = False,
    ) -> list[tuple[str, float]]:
        """Raise the asker's audience's scores, and the preferred documents', inside each list, before fusion.
        Asked whom to go to (``whom``), raise the sections that say whom to go to for what: a question about a
        gauge reading off shares few words with "When should I go to quality?", whose list names the gauge.

        A preference, not a wall: applied to the raw similarities, where gaps still mean
        something, it reorders near-equals; applied after rank fusion, whose scores all sit
        within a few percent of each other, it would bury a far better passage.
        """
        if audience is Audience.ALL and not documents and not whom:
            return ranked
        boost = self.settings.audience_boost

        def raised(chunk_id: str, score: float) -> float:
            chunk = snap.chunks[chunk_id]
            times = (
                chunk.audience.addresses(audience)
                + (chunk.doc_path in documents)
                + (whom and says_whom(chunk.own_heading))
            )
            return score + abs(score) * boost * times

        return sorted(((i, raised(i, s)) for i, s in ranked), key=lambda kv: (-kv[1], kv[0]))

    def _fuse(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]]) -> list[tuple[str, float]]:
        weights = [self.settings.dense_weight, self.settings.lexical_weight]
        if self.settings.fusion is FusionMethod.RRF:
            return reciprocal_rank_fusion([dense, lexical], weights, k=self.settings.rrf_k)
        return normalized_score_fusion([dense, lexical], weights)

    def _rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        encoder = self._cross_encoder
        if encoder is None:
            from sentence_transformers import CrossEncoder

            encoder = self._cross_encoder = CrossEncoder(self.settings.cross_encoder_model, device="cpu")
        scores = np.asarray(encoder.predict([(query, h.chunk.indexed_text) for h in hits], show_progress_bar=False))
        order = np.argsort(-scores, kind="stable")
        return [Hit(hits[i].chunk, float(scores[i]), hits[i].dense_score, hits[i].lexical_score) for i in order]
