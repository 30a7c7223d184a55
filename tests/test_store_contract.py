"""The VectorStore contract, held by every implementation alike: the embedded Chroma store and a real
`chroma run` server reached over HTTP (how a deployment outgrows one machine)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rag.config import Settings
from rag.store import ChromaStore, VectorStore
from rag.types import Audience, Chunk

DIMENSIONS = 8
_collections = itertools.count()


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def store(request: pytest.FixtureRequest, tmp_path) -> VectorStore:
    """An empty store of each kind (a fresh collection on the shared server)."""
    server = request.getfixturevalue("chroma_server") if request.param == "server" else ""
    collection = f"contract-{next(_collections)}"
    return ChromaStore(Settings(home=tmp_path / "home", chroma_server=server, collection=collection))


def chunks(count: int, start: int = 0) -> list[Chunk]:
    return [
        Chunk(
            id=f"chunk-{n}",
            doc_path=f"doc-{n % 3}.md",
            ordinal=n,
            text=f"Passage {n}.",
            title="Doc",
            section="Section",
            audience=Audience.WORKER,
        )
        for n in range(start, start + count)
    ]


def unit_vectors(count: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, DIMENSIONS)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_an_empty_store_has_nothing_and_finds_nothing(store):
    assert store.count() == 0 and store.ids() == set()
    assert store.query(unit_vectors(1)[0], k=5) == []


def test_stored_chunks_are_listed_counted_and_found_nearest_first(store):
    vectors = unit_vectors(10)
    store.upsert(chunks(10), vectors)
    assert store.count() == 10 and store.ids() == {f"chunk-{n}" for n in range(10)}
    found = store.query(vectors[4], k=3)
    assert found[0][0] == "chunk-4" and found[0][1] == pytest.approx(1.0, abs=1e-4), "cosine similarity of itself"
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)
    expected = [f"chunk-{n}" for n in np.argsort(-(vectors @ vectors[4]))[:3]]
    assert [chunk_id for chunk_id, _ in found] == expected


def test_storing_a_chunk_again_replaces_its_vector(store):
    vectors = unit_vectors(4)
    store.upsert(chunks(4), vectors)
    store.upsert(chunks(1), vectors[3:4])  # chunk-0 now points where chunk-3 does
    assert store.count() == 4
    assert {chunk_id for chunk_id, _ in store.query(vectors[3], k=2)} == {"chunk-0", "chunk-3"}


def test_deleted_chunks_are_gone_and_deleting_unknown_or_no_ids_is_harmless(store):
    store.upsert(chunks(5), unit_vectors(5))
    store.delete(["chunk-1", "chunk-3", "never-stored"])
    store.delete([])
    assert store.ids() == {"chunk-0", "chunk-2", "chunk-4"} and store.count() == 3
    assert len(store.query(unit_vectors(1, seed=9)[0], k=10)) == 3, "k beyond the count returns what there is"


def test_more_chunks_than_one_batch_are_stored_and_deleted_whole(store):
    many = 4096 + 10  # the store sends at most 4,096 per call
    store.upsert(chunks(many), unit_vectors(many))
    assert store.count() == many
    store.delete([f"chunk-{n}" for n in range(many - 5)])
    assert store.ids() == {f"chunk-{n}" for n in range(many - 5, many)}


def test_the_nearest_chunks_found_are_the_exact_nearest(store):
    """HNSW is approximate: with Chroma's default search breadth a near neighbour is missed now and then, and which
    one changes between processes, so one question got two answers. The store searches wide enough to be exact."""
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((800, 384)).astype(np.float32)  # MiniLM's width: harder for HNSW than a few
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store.upsert(chunks(800), vectors)
    for query in vectors[:30] + 0.5 * rng.standard_normal((30, 384)).astype(np.float32):
        query /= np.linalg.norm(query)
        found = [chunk_id for chunk_id, _ in store.query(query, k=40)]
        assert found == [f"chunk-{n}" for n in np.argsort(-(vectors @ query))[:40]]


def test_a_store_made_before_the_search_breadth_was_set_gets_it(tmp_path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = Settings(home=tmp_path / "home", collection="older")
    settings.chroma_path.mkdir(parents=True)
    older = chromadb.PersistentClient(
        path=str(settings.chroma_path), settings=ChromaSettings(anonymized_telemetry=False)
    )
    older.create_collection("older", embedding_function=None, metadata={"hnsw:space": "cosine"})
    store = ChromaStore(settings)
    assert store.collection.configuration["hnsw"]["ef_search"] == settings.hnsw_ef_search
    assert store.collection.configuration["hnsw"]["space"] == "cosine"
