"""Scale: retrieval, answers and golden-set quality with 10k and 100k chunks, embedded Chroma and a
Chroma server (``chroma run``), plus build time and disk per 10k chunks.

The stores are the ingested shipped corpus with synthetic chunks mixed in. Embedding 100k texts
would take hours on 2 cores, so the synthetic chunks are written through the pipeline's own write
path (``IndexWriter.index``: Chroma upserts, catalog transactions with sentence vectors,
the BM25 rebuild) with vectors made instead of embedded:
- text: sentences of words drawn at random by their frequency in the shipped corpus, so BM25 sees
  realistic posting lists but no synthetic chunk answers anything;
- vectors: a real chunk's vector perturbed to cosine ~0.5 with it (sentences likewise), so the
  HNSW index holds a clustered space like real text rather than uniform noise.
Questions are still embedded by the real model. Build time therefore excludes embedding: add the
ingest benchmark's chunks/s for that. Each build and its embedded-mode figures run in a process
of its own; the server-mode figures run in another, against the same files.
Targets: retrieval p95 <= 100 ms at 100k; golden hit@5 within 0.02 of the shipped corpus alone;
peak RSS of the 100k build <= 1.5 GB.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from bench.common import (
    QUICK,
    WORK,
    Report,
    Store,
    bench_questions,
    copy_store,
    disk_mb,
    free_port,
    in_child,
    measure_questions,
    new_embedder,
    peak_rss_mb,
    reset_peak_rss,
    run_main,
    say,
    services,
    shipped_store,
    store_settings,
    timed,
    warm_up,
    write_child_result,
)
from bench.memory import LIMIT_MB as RSS_LIMIT_MB  # one memory limit: the 1.5 GB

NAME = "scale"
SIZES = (2_000, 5_000) if QUICK else (10_000, 100_000)
CHUNKS_PER_DOCUMENT = 50
SYNTHETIC_COSINE = 0.5
RETRIEVAL_P95_MS = 100.0
HIT_AT_5_TOLERANCE = 0.02
SERVER_START_SECONDS = 90


class SyntheticEmbedder:
    """Builds stores only: vectors near real chunks' vectors, without running a model."""

    name = "synthetic"

    def __init__(self, real: np.ndarray, seed: int) -> None:
        self.real = real
        self.rng = np.random.default_rng(seed)

    def _near(self, base: np.ndarray) -> np.ndarray:
        noise = self.rng.standard_normal(base.shape).astype(np.float32)
        noise /= np.linalg.norm(noise, axis=-1, keepdims=True)  # ~orthogonal to base in 384 dimensions
        mixed = SYNTHETIC_COSINE * base + np.sqrt(1 - SYNTHETIC_COSINE**2) * noise
        return mixed / np.linalg.norm(mixed, axis=-1, keepdims=True)

    def embed_queries(self, texts):
        raise RuntimeError("the synthetic embedder only builds stores; questions use the real model")

    def embed_passages(self, texts, spans, progress=None):
        bases = self.real[self.rng.integers(len(self.real), size=len(texts))]
        passages = self._near(bases)
        if progress:
            progress(len(texts))
        return [
            (passage, self._near(np.repeat(passage[None, :], len(s), axis=0)))
            for passage, s in zip(passages, spans, strict=True)
        ]


class WordSource:
    """Sentences of shipped-corpus words drawn by their frequency."""

    def __init__(self, texts: list[str], seed: int) -> None:
        counts = Counter(w for t in texts for w in t.split() if any(ch.isalpha() for ch in w))
        self.words = np.array(list(counts))
        self.p = np.array(list(counts.values()), dtype=float) / sum(counts.values())
        self.rng = np.random.default_rng(seed)

    def chunk_text(self) -> str:
        sentences = []
        for _ in range(int(self.rng.integers(3, 7))):
            words = self.rng.choice(self.words, size=int(self.rng.integers(8, 20)), p=self.p)
            sentence = " ".join(words).strip(".,;:")
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        return " ".join(sentences)


def synthetic_documents(count: int, first_number: int, words: WordSource):
    from rag.catalog import FileRecord
    from rag.text import sha256
    from rag.types import Audience, Chunk

    audiences = (Audience.WORKER, Audience.MANAGER, Audience.ALL)
    documents = []
    for number in range(first_number, first_number + (count + CHUNKS_PER_DOCUMENT - 1) // CHUNKS_PER_DOCUMENT):
        path, title = f"synthetic/doc-{number:06d}.md", f"Synthetic document {number}"
        audience = audiences[number % 3]
        size = min(CHUNKS_PER_DOCUMENT, count - len(documents) * CHUNKS_PER_DOCUMENT)
        chunks = []
        for ordinal in range(size):
            text = words.chunk_text()
            chunks.append(
                Chunk(
                    id=sha256(path, str(ordinal), text)[:32],
                    doc_path=path,
                    ordinal=ordinal,
                    text=text,
                    title=title,
                    section=f"Part {ordinal + 1}",
                    audience=audience,
                    topic="synthetic",
                    content_hash=sha256(text)[:32],
                )
            )
        record = FileRecord(
            path=path,
            content_hash=sha256(path),
            title=title,
            audience=audience.value,
            topic="synthetic",
            tags=(),
            summary="",
            format="md",
        )
        documents.append((record, chunks))
    return documents


def start_server(chroma_path: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """``chroma run`` on the store's files, on a free loopback port; returns it once it answers."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = free_port()
    command = [
        str(Path(sys.executable).parent / "chroma"),
        "run",
        "--path",
        str(chroma_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"chroma run exited with {server.returncode}; see {log}")
        try:
            chromadb.HttpClient(
                host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
            ).heartbeat()
            return server, f"127.0.0.1:{port}"
        except Exception:  # not listening yet
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"chroma run did not answer within {SERVER_START_SECONDS} s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def scale_store(size: int) -> Store:
    root = WORK / f"scale-{size}"
    return Store(root, store_settings(root), {})


def measure(store: Store, server: str = "") -> dict:
    settings = store.settings if not server else store.settings.model_copy(update={"chroma_server": server})
    service = services(settings, new_embedder(load=False)).engine
    with timed() as snapshot:
        chunks = len(service.snapshots.get().chunks)
    warm_up(service, store)
    found = measure_questions(service, bench_questions(store), repeat=False)
    return {"chunks": chunks, "snapshot_load_seconds": round(snapshot.wall, 2), **found}


def build(size: int) -> dict:
    """In a process of its own: grow the next smaller store (or the shipped one) to ``size`` chunks,
    then measure it with embedded Chroma (and the shipped corpus alone, after the first build)."""
    from rag.catalog import Catalog
    from rag.store import ChromaStore

    shipped = shipped_store()
    smaller = [s for s in SIZES if s < size]
    base = scale_store(smaller[-1]) if smaller else shipped
    result = {}
    store = copy_store(base, f"scale-{size}")
    settings = store.settings
    existing = len(Catalog(settings.catalog_path).chunk_ids())
    texts = [c.text for c in Catalog(shipped.settings.catalog_path).chunks()]
    stored = ChromaStore(shipped.settings).collection.get(include=["embeddings"])
    real = np.asarray(stored["embeddings"], dtype=np.float32)
    documents = synthetic_documents(size - existing, existing, WordSource(texts, seed=size))
    added = sum(len(chunks) for _, chunks in documents)
    say(f"  building {size:,} chunks: {added:,} synthetic chunks onto {existing:,}")
    writer = services(settings, SyntheticEmbedder(real, seed=size), with_log=False).ingestor.writer
    disk_before = disk_mb(settings.home)
    reset_peak_rss()
    with timed() as elapsed:
        report = writer.index(documents)
    result.update(
        {
            "added": added,
            "build_seconds": round(elapsed.wall, 1),
            "chunks_total": report.chunks_total,
            "build_seconds_per_10k": round(elapsed.wall / added * 10_000, 1),
            "disk_mb": round(disk_mb(settings.home), 1),
            "disk_mb_per_10k": round((disk_mb(settings.home) - disk_before) / added * 10_000, 1),
            "build_peak_rss_mb": round(peak_rss_mb(), 1),  # the build's own peak (reset before it)
        }
    )
    say(f"  built in {elapsed.wall:.0f} s; measuring with embedded Chroma")
    result["embedded"] = measure(store)
    if not smaller:
        result["baseline"] = measure(copy_store(shipped, "scale-baseline"))
    return result


def run() -> Report:
    report = Report(NAME)
    say(
        f"scale: {', '.join(f'{s:,}' for s in SIZES)} chunks (synthetic mixed into the shipped corpus), "
        "embedded Chroma and Chroma server"
    )
    results: dict = {}
    for size in SIZES:
        results[size] = in_child(f"bench.{NAME}", "build", str(size))
        store = scale_store(size)
        server, address = start_server(store.settings.chroma_path, WORK / f"chroma-server-{size}.log")
        try:
            say(f"  measuring {size:,} chunks through chroma run at {address}")
            results[size]["server"] = in_child(f"bench.{NAME}", "measure", str(size), address)
        finally:
            stop_server(server)
    report.data = {str(k): v for k, v in results.items()}
    baseline = results[SIZES[0]].pop("baseline")
    report.data["baseline"] = baseline
    report.add(f"baseline ({baseline['chunks']:,} chunks): retrieval p95", baseline["retrieval_ms"]["p95"], unit=" ms")
    report.add("baseline: golden hit@5", baseline["golden_hit_at_5"])
    for size in SIZES:
        found = results[size]
        for mode in ("embedded", "server"):
            m = found[mode]
            label = f"{size // 1000}k {mode}"
            checked = size == SIZES[-1]
            report.add(
                f"{label}: retrieval p95",
                m["retrieval_ms"]["p95"],
                "<=" if checked else "",
                RETRIEVAL_P95_MS,
                unit=" ms",
                note=f"p50 {m['retrieval_ms']['p50']:.1f} ms",
            )
            report.add(f"{label}: answer p95", m["answer_ms"]["p95"], unit=" ms")
            change = m["golden_hit_at_5"] - baseline["golden_hit_at_5"]
            report.add(
                f"{label}: golden hit@5, change from baseline",
                round(abs(change), 3),
                "<=",
                HIT_AT_5_TOLERANCE,
                note=f"hit@5 {m['golden_hit_at_5']:.3f} ({change:+.3f})",
            )
            report.add(f"{label}: snapshot load (first question)", m["snapshot_load_seconds"], unit=" s")
        report.add(
            f"{size // 1000}k: build time per 10k chunks",
            found["build_seconds_per_10k"],
            unit=" s",
            note="write path and BM25, no embedding",
        )
        report.add(
            f"{size // 1000}k: disk per 10k chunks",
            found["disk_mb_per_10k"],
            unit=" MB",
            note=f"{found['disk_mb']:.0f} MB in all",
        )
        report.add(
            f"{size // 1000}k: peak RSS of the build",
            found["build_peak_rss_mb"],
            "<=" if size == SIZES[-1] else "",
            RSS_LIMIT_MB,
            unit=" MB",
            note="write path, catalog, BM25 rebuild; the model's share is the ingest benchmark's",
        )
    return report


def child(args: list[str]) -> dict:
    if args[0] == "build":
        return build(int(args[1]))
    return measure(scale_store(int(args[1])), server=args[2])


if __name__ == "__main__":
    if write_child_result(child):
        sys.exit(0)
    run_main(run)
