"""A deterministic stand-in for the sentence-transformers model, for the fast unit layer.

Each stemmed term of a text is hashed into one of DIMENSIONS slots and counted; the vector is that
count, normalized. Texts that share words are near, texts that share none are orthogonal, and no model
is loaded, so the engine, retriever and answerer run end to end in milliseconds (``make test-fast``).
It knows nothing of meaning ("stop" and "halt" are unrelated): tests of answer quality use the model.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

import numpy as np

from rag.text import terms

DIMENSIONS = 384  # as all-MiniLM-L6-v2, so stores built with either look alike


class HashingEmbedder:
    name = "hashing"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(DIMENSIONS, dtype=np.float32)
        for term in terms(text):
            vector[zlib.crc32(term.encode()) % DIMENSIONS] += 1.0  # crc32: the same on every run
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, DIMENSIONS), np.float32)

    def embed_passages(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        progress: Callable[[int], None] | None = None,
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        found = []
        for text, text_spans in zip(texts, spans, strict=True):
            sentences = [self._vector(text[a:b]) for a, b in text_spans]
            found.append(
                (self._vector(text), np.vstack(sentences) if sentences else np.zeros((0, DIMENSIONS), np.float32))
            )
        if progress:
            progress(len(texts))
        return found
