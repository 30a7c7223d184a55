"""BM25 over the live chunks (bm25s), persisted with the catalog generation it was built from."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import bm25s

from rag.text import TOKENIZER_VERSION, terms
from rag.types import Chunk


class LexicalIndex:
    def __init__(self, ids: list[str], model: bm25s.BM25 | None, generation: int) -> None:
        self.ids = ids
        self.model = model  # None when there are no chunks
        self.generation = generation

    @classmethod
    def build(cls, chunks: Sequence[Chunk], generation: int, k1: float = 0.9, b: float = 0.4) -> LexicalIndex:
        ids = [c.id for c in chunks]
        if not ids:
            return cls([], None, generation)
        model = bm25s.BM25(k1=k1, b=b)
        model.index([terms(c.indexed_text) for c in chunks], show_progress=False)
        return cls(ids, model, generation)

    @property
    def vocabulary(self) -> list[str]:
        return [] if self.model is None else list(self.model.vocab_dict)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        query_terms = terms(query)
        if self.model is None or not query_terms:
            return []
        k = min(k, len(self.ids))
        # n_threads=0: in this thread; any other value starts a thread pool for each query
        docs, scores = self.model.retrieve([query_terms], k=k, show_progress=False, n_threads=0)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def save(self, path: Path) -> None:
        """Write to a fresh folder, then swap it in, so a reader never sees half an index."""
        tmp = path.with_name(path.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.model is not None:
            self.model.save(str(tmp / "bm25"))
        (tmp / "meta.json").write_text(
            json.dumps({"generation": self.generation, "ids": self.ids, "tokenizer": TOKENIZER_VERSION})
        )
        old = path.with_name(path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if path.exists():
            path.rename(old)
        tmp.rename(path)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, path: Path) -> LexicalIndex | None:
        try:
            meta = json.loads((path / "meta.json").read_text())
            if meta.get("tokenizer") != TOKENIZER_VERSION:
                return None  # built by another tokenizer: its terms would not match the questions'
            model = bm25s.BM25.load(str(path / "bm25")) if meta["ids"] else None
        except (OSError, ValueError, KeyError):
            return None
        return cls(meta["ids"], model, int(meta["generation"]))
