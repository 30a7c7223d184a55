"""The vector store: a Chroma collection, embedded on disk or on a ``chroma run`` server.

Chroma never embeds anything here: we hand it our own vectors (its default embedding
function would try to download a model). Telemetry is off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import numpy as np

from rag.config import Settings
from rag.types import Chunk


class StoreUnavailable(RuntimeError):
    """The vector store cannot be reached or opened; the message says what to check."""


class VectorStore(Protocol):
    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None: ...
    def delete(self, ids: Sequence[str]) -> None: ...
    def ids(self) -> set[str]: ...
    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]: ...
    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]: ...
    def count(self) -> int: ...


T = TypeVar("T")
_BATCH = 4096  # under Chroma's max batch size (5461); every call has a fixed cost


class ChromaStore:
    def __init__(self, settings: Settings) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            where = settings.chroma_host_port
        except ValueError as exc:  # a mistyped PLAYBOOK_COACH_CHROMA_SERVER: say so, no traceback
            raise StoreUnavailable(str(exc)) from None
        try:
            if where is None:
                settings.chroma_path.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
                self.location = str(settings.chroma_path)
            else:
                self.client = chromadb.HttpClient(host=where[0], port=where[1], settings=chroma_settings)
                self.location = f"http://{where[0]}:{where[1]}"
            self.collection = self.client.get_or_create_collection(
                settings.collection,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine", "ef_search": settings.hnsw_ef_search}},
            )
            if (self.collection.configuration.get("hnsw") or {}).get("ef_search") != settings.hnsw_ef_search:
                # made before this setting, or with another value: the search breadth can change in place
                self.collection.modify(configuration={"hnsw": {"ef_search": settings.hnsw_ef_search}})
        except Exception as exc:  # connection, permission and corruption errors all end here
            raise StoreUnavailable(_describe(settings, exc)) from exc

    def _call(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise StoreUnavailable(f"vector store at {self.location} failed to {what}: {exc}") from exc

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        # No documents: the catalog holds the text, and Chroma would keep a second copy with a
        # full-text index nobody queries (measured: 40 % of upsert time, 60 % of its disk).
        for begin in range(0, len(chunks), _BATCH):
            part = chunks[begin : begin + _BATCH]
            self._call(
                "store chunks",
                self.collection.upsert,
                ids=[c.id for c in part],
                embeddings=np.asarray(vectors[begin : begin + _BATCH], dtype=np.float32),
                metadatas=[
                    {
                        "doc_path": c.doc_path,
                        "title": c.title,
                        "section": c.section,
                        "audience": c.audience.value,
                        "page": c.page or 0,
                    }
                    for c in part
                ],
            )

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for begin in range(0, len(ids), _BATCH):
            self._call("delete chunks", self.collection.delete, ids=ids[begin : begin + _BATCH])

    def ids(self) -> set[str]:
        found: set[str] = set()
        offset = 0
        while True:
            page = self._call("list chunks", self.collection.get, include=[], limit=10_000, offset=offset)
            found.update(page["ids"])
            if len(page["ids"]) < 10_000:
                return found
            offset += 10_000

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these passages, by id (those the store holds)."""
        found: dict[str, np.ndarray] = {}
        for begin in range(0, len(ids), _BATCH):
            page = self._call(
                "read vectors", self.collection.get, ids=list(ids[begin : begin + _BATCH]), include=["embeddings"]
            )
            embeddings = page["embeddings"] if page["embeddings"] is not None else []
            found.update(zip(page["ids"], np.asarray(embeddings, dtype=np.float32), strict=True))
        return found

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        result = self._call(
            "search",
            self.collection.query,
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=k,
            include=["distances"],
        )
        distances = result["distances"] or [[]]  # asked for above, so always there
        # cosine distance = 1 - cosine similarity
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], distances[0], strict=True)]

    def count(self) -> int:
        return int(self._call("count chunks", self.collection.count))


def _describe(settings: Settings, exc: Exception) -> str:
    if settings.chroma_server:
        return (
            f"cannot reach the Chroma server at {settings.chroma_server} ({type(exc).__name__}: {exc}); "
            "is `chroma run` up, or unset PLAYBOOK_COACH_CHROMA_SERVER to use the embedded store?"
        )
    return f"cannot open the vector store in {settings.chroma_path} ({type(exc).__name__}: {exc})"
