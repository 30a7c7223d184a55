"""A public retrieval benchmark: the product's own HybridRetriever over a BEIR-layout dataset.

A BEIR folder holds ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``,
``text``) and ``qrels/<split>.tsv`` (``query-id  corpus-id  score`` with a header line). Every
document becomes one passage (title and text, as BEIR and MTEB embed them) and goes through the
product's ingest write path (embedder → Chroma → catalog → BM25) into a data home of its own, so a
second run on the same data only checks hashes. Scores come from ``ir-measures``.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import ir_measures
from ir_measures import RR, R, nDCG

from ingest.index_writer import IndexWriter
from ingest.reports import IngestReport, Progress
from rag.catalog import Catalog, FileRecord
from rag.config import FusionMethod, Settings
from rag.embeddings import Embedder, SentenceTransformerEmbedder
from rag.jsonl import JsonLineError, json_lines
from rag.retriever import HybridRetriever, RetrievalMode
from rag.snapshot import SnapshotCache
from rag.store import ChromaStore
from rag.text import sha256
from rag.types import Audience, Chunk

DEPTH = 100  # documents retrieved per query: enough for R@100
MEASURES = {"ndcg@10": nDCG @ 10, "recall@100": R @ 100, "mrr@10": RR @ 10}

# Published nDCG@10 (test split) to compare against, by dataset folder name.
PUBLISHED = {
    "scifact": {
        "bm25": ("BM25 (BEIR paper)", 0.665),
        "dense": ("all-MiniLM-L6-v2 (MTEB)", 0.645),
        "bm25+ce": ("BM25 + cross-encoder (BEIR paper)", 0.688),
        "colbert": ("ColBERT (BEIR paper)", 0.671),
        "bm25-anserini": ("BM25, Anserini flat", 0.679),
    },
}


class BeirError(ValueError):
    """The folder is not a usable BEIR dataset; the message says what is missing or malformed."""


@dataclass(frozen=True)
class BeirDataset:
    name: str
    corpus: dict[str, tuple[str, str]]  # doc id -> (title, text)
    queries: dict[str, str]  # only the queries that have judgments in the split
    qrels: dict[str, dict[str, int]]


@dataclass(frozen=True)
class BeirResult:
    dataset: str
    retriever: str
    fusion: str  # "" for a single retriever
    ndcg_at_10: float
    recall_at_100: float
    mrr_at_10: float
    queries: int
    documents: int
    search_seconds: float

    def to_dict(self) -> dict:
        data = asdict(self)
        for key in ("ndcg_at_10", "recall_at_100", "mrr_at_10"):
            data[key] = round(data[key], 4)
        data["search_seconds"] = round(self.search_seconds, 2)
        return data


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise BeirError(f"{path} is missing: a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv")
    rows = []
    with path.open(encoding="utf-8") as handle:
        try:
            for number, row in json_lines(handle):
                if not isinstance(row, dict) or "_id" not in row or not isinstance(row.get("text"), str):
                    raise BeirError(f'{path.name} line {number} needs "_id" and a "text" string')
                rows.append(row)
        except JsonLineError as exc:
            raise BeirError(f"{path.name} {exc}") from None
    return rows


def _qrels(path: Path) -> dict[str, dict[str, int]]:
    if not path.is_file():
        raise BeirError(f"{path} is missing: give --split to pick another qrels/<split>.tsv")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if number == 1 and row and not row[-1].strip().lstrip("-").isdigit():
                continue  # header
            if not row:
                continue
            if len(row) != 3 or not row[2].strip().lstrip("-").isdigit():
                raise BeirError(f"{path.name} line {number}: expected query-id, corpus-id, integer score")
            qrels.setdefault(row[0].strip(), {})[row[1].strip()] = int(row[2])
    return qrels


def load_dataset(data: Path, split: str = "test") -> BeirDataset:
    if not data.is_dir():
        raise BeirError(f"{data} is not a folder")
    corpus = {str(r["_id"]): (str(r.get("title") or ""), r["text"]) for r in _jsonl(data / "corpus.jsonl")}
    qrels = _qrels(data / "qrels" / f"{split}.tsv")
    all_queries = {str(r["_id"]): r["text"] for r in _jsonl(data / "queries.jsonl")}
    missing = sorted(set(qrels) - set(all_queries))
    if missing:
        raise BeirError(f"qrels name {len(missing)} queries not in queries.jsonl, e.g. {missing[0]!r}")
    if not corpus or not qrels:
        raise BeirError(f"{data} has an empty corpus or no judged queries")
    return BeirDataset(data.resolve().name, corpus, {q: all_queries[q] for q in qrels}, qrels)


def documents(dataset: BeirDataset) -> list[tuple[FileRecord, list[Chunk]]]:
    """One passage per document; the chunk's heading is the title, so it is embedded as title + text."""
    out = []
    for doc_id, (title, text) in dataset.corpus.items():
        digest = sha256(title, text)
        chunk = Chunk(
            id=doc_id,
            doc_path=doc_id,
            ordinal=0,
            text=text,
            title=title,
            section="",
            audience=Audience.ALL,
            content_hash=digest,
        )
        record = FileRecord(
            path=doc_id,
            content_hash=digest,
            title=title,
            audience=Audience.ALL.value,
            topic="",
            tags=(),
            summary="",
            format="beir",
        )
        out.append((record, [chunk]))
    return out


def default_home(data: Path, settings: Settings) -> Path:
    """A cache per dataset folder and embedding model, so a second run reuses the index."""
    key = hashlib.sha256(
        f"{data.resolve()}\0{settings.embedding_model}\0{settings.embedding_backend}".encode()
    ).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / "playbook-coach-beir" / f"{data.resolve().name}-{key}"


def bench_settings(settings: Settings, home: Path) -> Settings:
    """The product settings, pointed at the benchmark's own embedded store and deep enough for R@100."""
    return settings.model_copy(
        update={
            "home": home,
            "chroma_server": "",
            "collection": "beir",
            "candidates": max(settings.candidates, DEPTH),
            "top_k": DEPTH,
        }
    )


class BeirBench:
    """One dataset indexed in one data home; ``score`` runs any retriever configuration over it."""

    def __init__(self, settings: Settings, dataset: BeirDataset, home: Path, embedder: Embedder | None = None) -> None:
        self.settings = bench_settings(settings, home)
        self.dataset = dataset
        self.embedder = embedder or SentenceTransformerEmbedder(
            settings.embedding_model, settings.embedding_batch_size, settings.embedding_backend
        )
        self.catalog = Catalog(self.settings.catalog_path)
        self.store = ChromaStore(self.settings)
        self.snapshots = SnapshotCache(self.catalog, self.settings.lexical_path)

    def sync(self, progress: Progress | None = None) -> IngestReport:
        """Index new and changed documents, drop ones no longer in the corpus; unchanged ones cost nothing."""
        known = self.catalog.files()
        docs = documents(self.dataset)
        gone = sorted(set(known) - set(self.dataset.corpus))
        todo = [(r, c) for r, c in docs if r.path not in known or known[r.path].content_hash != r.content_hash]
        writer = IndexWriter(self.settings.ingest, self.catalog, self.store, lambda: self.embedder)
        report = writer.index(todo, progress, sentence_vectors=False, gone=gone)
        changed = {r.path for r, _ in todo}
        report.unchanged = [r.path for r, _ in docs if r.path not in changed]
        return report

    def retriever(
        self,
        mode: RetrievalMode,
        fusion: FusionMethod | None = None,
        rrf_k: int | None = None,
        dense_weight: float | None = None,
        lexical_weight: float | None = None,
    ) -> HybridRetriever:
        """The product's retriever over this index; unset options keep the product's settings."""
        overrides = {
            key: value
            for key, value in (
                ("fusion", fusion),
                ("rrf_k", rrf_k),
                ("dense_weight", dense_weight),
                ("lexical_weight", lexical_weight),
            )
            if value is not None
        }
        return HybridRetriever(
            replace(self.settings.retrieval, **overrides), self.embedder, self.store, self.snapshots.get, mode
        )

    def run(self, retriever: HybridRetriever) -> dict[str, dict[str, float]]:
        return {qid: ranked(retriever.retrieve, qid, text) for qid, text in self.dataset.queries.items()}

    def score(
        self,
        mode: RetrievalMode,
        fusion: FusionMethod | None = None,
        rrf_k: int | None = None,
        dense_weight: float | None = None,
        lexical_weight: float | None = None,
    ) -> BeirResult:
        retriever = self.retriever(mode, fusion, rrf_k, dense_weight, lexical_weight)
        started = time.perf_counter()
        run = self.run(retriever)
        seconds = time.perf_counter() - started
        scores = evaluate(self.dataset.qrels, run)
        label = describe_fusion(retriever.settings) if mode is RetrievalMode.HYBRID else ""
        return BeirResult(
            self.dataset.name,
            mode.value,
            label,
            scores["ndcg@10"],
            scores["recall@100"],
            scores["mrr@10"],
            len(self.dataset.queries),
            len(self.dataset.corpus),
            seconds,
        )


def ranked(retrieve: Callable[..., list], qid: str, text: str) -> dict[str, float]:
    """The retriever's ranking as scores that preserve its order exactly (ties were broken by id)."""
    hits = retrieve(text, Audience.ALL, k=DEPTH)
    # Like BEIR's evaluator, a document never counts as an answer to the query with its own id.
    docs = [h.chunk.doc_path for h in hits if h.chunk.doc_path != qid]
    return {doc: float(len(docs) - rank) for rank, doc in enumerate(docs)}


def evaluate(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict[str, float]:
    """Mean of each measure over every judged query; a query with nothing retrieved scores 0."""
    totals = dict.fromkeys(MEASURES, 0.0)
    names = {measure: name for name, measure in MEASURES.items()}
    for metric in ir_measures.iter_calc(list(MEASURES.values()), qrels, run):
        totals[names[metric.measure]] += metric.value
    return {name: total / len(qrels) for name, total in totals.items()}


def describe_fusion(settings: Settings) -> str:
    weights = f"dense {settings.dense_weight:g} / bm25 {settings.lexical_weight:g}"
    if settings.fusion is FusionMethod.RRF:
        return f"rrf k={settings.rrf_k}, {weights}"
    return f"weighted (min-max), {weights}"


def published(dataset: str) -> dict[str, tuple[str, float]]:
    return PUBLISHED.get(dataset.lower(), {})
