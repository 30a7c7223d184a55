"""Ingest overhead: what the pipeline costs on top of the model, and whether its memory stays flat.

For a corpus, end-to-end ``Ingestor.run`` chunks/s (load, chunk, embed with late-chunked
sentence vectors, store in Chroma, record in SQLite, rebuild BM25) is divided by raw
``SentenceTransformer.encode`` chunks/s on the very same chunk texts (``Chunk.indexed_text``),
with the same batch size, in the same process, the model loaded before either clock starts.
Raw encoding is timed before and after the ingest and averaged, so a machine that gets busier
or quieter meanwhile does not tilt the ratio. Target: >= 0.85.

Corpora: the shipped one, and synthetic ones of 1,000 and 5,000 chunks made of the shipped
corpus's sentences shuffled into markdown files (sections of 1-4 sentences, so chunks are
shorter than the shipped ones: per-chunk costs weigh more, and the run stays in budget). Each
synthetic ingest runs in its own process, whose peak RSS after ingesting is compared: memory
must not grow with the corpus (batches are streamed).
"""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    QUICK,
    SHIPPED_CORPUS,
    WORK,
    Elapsed,
    Report,
    in_child,
    ingestor,
    new_embedder,
    peak_rss_mb,
    reset_peak_rss,
    run_main,
    say,
    shipped_store,
    store_settings,
    timed,
    write_child_result,
)
from rag.config import Settings

NAME = "ingest_overhead"
TARGET_RATIO = 0.85
SYNTHETIC_SIZES = (200, 1_000) if QUICK else (1_000, 5_000)
SENTENCES_PER_SECTION = (1, 4)
SECTIONS_PER_FILE = 10
MEMORY_GROWTH_LIMIT = 1.10  # peak RSS at 5k chunks vs 1k chunks: "flat" allows 10 % noise


def corpus_sentences() -> list[str]:
    """The shipped markdown corpus's sentences, headings left out."""
    from ingest.loaders import load
    from rag.text import split_sentences

    sentences: list[str] = []
    for path in sorted(SHIPPED_CORPUS.rglob("*.md")):
        text = load(path, path.name, Settings().max_file_bytes).text
        for start, end in split_sentences(text):
            sentence = " ".join(text[start:end].split())
            if not sentence.startswith("#") and len(sentence.split()) >= 4:
                sentences.append(sentence)
    return sentences


def write_synthetic_corpus(dest: Path, chunks: int, seed: int = 7) -> int:
    """Markdown files of shuffled corpus sentences until they make ``chunks`` chunks; returns the count."""
    from ingest.chunking import chunk_document
    from ingest.loaders import load

    settings = Settings()
    rng = random.Random(seed)
    pool = corpus_sentences()
    audiences = ("worker", "manager", "all")
    made, number = 0, 0
    dest.mkdir(parents=True, exist_ok=True)
    while made < chunks:
        number += 1
        title = f"Synthetic note {number}"
        parts = [f'---\ntitle: "{title}"\naudience: {rng.choice(audiences)}\ntopic: synthetic\n---\n# {title}\n']
        for section in range(1, SECTIONS_PER_FILE + 1):
            body = " ".join(rng.choice(pool) for _ in range(rng.randint(*SENTENCES_PER_SECTION)))
            parts.append(f"## Part {section}: {' '.join(body.split()[:4])}\n\n{body}\n")
        path = dest / f"note-{number:05d}.md"
        path.write_text("\n".join(parts), encoding="utf-8")
        doc = load(path, path.name, settings.max_file_bytes)
        made += len(chunk_document(doc, settings.chunk_size, settings.chunk_overlap))
    return made


def chunk_texts(corpus: Path) -> list[str]:
    """The texts an ingest of ``corpus`` will embed, found with the pipeline's own functions."""
    from ingest.chunking import chunk_document
    from ingest.discovery import discover, doc_path_for
    from ingest.loaders import SUFFIXES, load

    settings = Settings()
    texts: list[str] = []
    for path in discover([corpus]):
        if path.suffix.lower() in SUFFIXES:
            doc = load(path, doc_path_for(path, corpus), settings.max_file_bytes)
            texts.extend(c.indexed_text for c in chunk_document(doc, settings.chunk_size, settings.chunk_overlap))
    return texts


def overhead(corpus: Path, embedder, ingest: Callable[[], tuple[Elapsed, Settings]]) -> dict:
    """Raw encode, ingest, raw encode again: pipeline chunks/s over the raw runs' mean chunks/s."""
    from rag.catalog import Catalog

    texts = chunk_texts(corpus)
    batch = Settings().embedding_batch_size

    def raw() -> Elapsed:
        with timed() as elapsed:
            embedder.model.encode(texts, batch_size=batch, show_progress_bar=False)
        return elapsed

    raws = [raw()]
    reset_peak_rss()  # the figure is the ingest's own peak: not warm-up's, not raw encode's
    pipe, settings = ingest()
    rss = peak_rss_mb()
    raws.append(raw())
    stored = sorted(c.indexed_text for c in Catalog(settings.catalog_path).chunks())
    if stored != sorted(texts):
        raise RuntimeError("the ingest embedded other texts than the raw encode: the ratio would mean nothing")
    raw_wall = sum(r.wall for r in raws) / len(raws)
    raw_cpu = sum(r.cpu for r in raws) / len(raws)
    return {
        "chunks": len(texts),
        "pipeline_seconds": round(pipe.wall, 2),
        "pipeline_cpu_seconds": round(pipe.cpu, 2),
        "raw_seconds": [round(r.wall, 2) for r in raws],
        "raw_cpu_seconds": [round(r.cpu, 2) for r in raws],
        "cpu_ratio": round(raw_cpu / pipe.cpu, 3),
        "pipeline_chunks_per_s": round(len(texts) / pipe.wall, 2),
        "raw_chunks_per_s": round(len(texts) / raw_wall, 2),
        "ratio": round(raw_wall / pipe.wall, 3),
        "peak_rss_mb_after_ingest": round(rss, 1),
    }


def warm_up(embedder) -> None:
    """First calls allocate and tune; neither clock should pay for that."""
    from rag.text import split_sentences

    texts = chunk_texts(SHIPPED_CORPUS)[:64]
    embedder.model.encode(texts, show_progress_bar=False)
    embedder.embed_passages(texts, [split_sentences(t) for t in texts])


def shipped(embedder) -> dict:
    def ingest() -> tuple[Elapsed, Settings]:
        store = shipped_store(embedder, fresh=True)  # also the store the other benchmarks read
        return Elapsed(store.first_run["seconds"], store.first_run["cpu_seconds"]), store.settings

    return overhead(SHIPPED_CORPUS, embedder, ingest)


def synthetic(chunks: int) -> dict:
    """In a process of its own: a fresh synthetic corpus of ``chunks`` chunks, ingested and measured."""
    root = WORK / f"synthetic-{chunks}"
    shutil.rmtree(root, ignore_errors=True)
    made = write_synthetic_corpus(root / "corpus", chunks)
    say(f"  synthetic corpus: {made:,} chunks in {len(list((root / 'corpus').glob('*.md')))} files")
    embedder = new_embedder()
    warm_up(embedder)

    def ingest() -> tuple[Elapsed, Settings]:
        settings = store_settings(root)
        pipeline = ingestor(settings, lambda: embedder)
        with timed() as elapsed:
            report = pipeline.run()
        if report.failed:
            raise RuntimeError(f"synthetic ingest failed: {report.failed}")
        return elapsed, settings

    return overhead(root / "corpus", embedder, ingest)


def run() -> Report:
    report = Report(NAME)
    say("ingest overhead: pipeline chunks/s over raw encode chunks/s (same texts, batch size, process)")
    embedder = new_embedder()
    warm_up(embedder)
    results = {"shipped": shipped(embedder)}
    for size in SYNTHETIC_SIZES:
        results[f"synthetic_{size}"] = in_child(f"bench.{NAME}", str(size))
    report.data = results
    for label, found in results.items():
        report.add(
            f"ingest/encode ratio, {label} ({found['chunks']:,} chunks)",
            found["ratio"],
            ">=",
            TARGET_RATIO,
            note=f"{found['pipeline_chunks_per_s']:.1f} vs {found['raw_chunks_per_s']:.1f} chunks/s; "
            f"CPU-time ratio {found['cpu_ratio']:.2f}",
        )
    small, large = (results[f"synthetic_{size}"]["peak_rss_mb_after_ingest"] for size in SYNTHETIC_SIZES)
    report.add(
        f"ingest peak RSS, {SYNTHETIC_SIZES[1]:,} chunks over {SYNTHETIC_SIZES[0]:,}",
        round(large / small, 3),
        "<=",
        MEMORY_GROWTH_LIMIT,
        note=f"{small:.0f} MB vs {large:.0f} MB",
    )
    return report


def child(args: list[str]) -> dict:
    return synthetic(int(args[0]))


if __name__ == "__main__":
    if write_child_result(child):
        sys.exit(0)
    run_main(run)
