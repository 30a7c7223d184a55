"""The BEIR runner: a tiny hand-written fixture always, SciFact when ../shared is there."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from evals.beir import BeirBench, BeirError, default_home, evaluate, load_dataset, published, ranked
from playbook_coach.cli import cli
from rag.config import FusionMethod, Settings
from rag.retriever import RetrievalMode
from rag.types import Audience, Chunk, Hit

from conftest import REPO

TINY_SOURCE = REPO / "tests" / "fixtures" / "beir_tiny_src"


def _lay_out_tiny() -> Path:
    """The tiny fixture in BEIR layout, built in a temporary folder: the repository keeps no file
    named like a BEIR data set, so none can be mistaken for a copied benchmark."""
    root = Path(tempfile.mkdtemp(prefix="playbook-coach-test-")) / "beir_tiny"
    (root / "qrels").mkdir(parents=True)
    shutil.copyfile(TINY_SOURCE / "documents.jsonl", root / "corpus.jsonl")
    shutil.copyfile(TINY_SOURCE / "queries.jsonl", root / "queries.jsonl")
    shutil.copyfile(TINY_SOURCE / "judgements.tsv", root / "qrels" / "test.tsv")
    atexit.register(shutil.rmtree, root.parent, True)
    return root


TINY = _lay_out_tiny()
SCIFACT = REPO.parent / "shared" / "benchmarks" / "scifact"


@pytest.fixture
def tiny_bench(tmp_path: Path, embedder) -> BeirBench:
    bench = BeirBench(Settings(home=tmp_path / "unused"), load_dataset(TINY), tmp_path / "beir", embedder)
    bench.sync()
    return bench


def test_load_dataset_keeps_only_judged_queries():
    dataset = load_dataset(TINY)
    assert dataset.name == "beir_tiny"
    assert len(dataset.corpus) == 12 and dataset.corpus["d11"][0] == ""  # a document may have no title
    assert sorted(dataset.queries) == ["q1", "q2", "q3", "q4", "q5"]  # q6 has no judgments
    assert dataset.qrels["q1"] == {"d1": 1, "d8": 1}


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda d: (d / "corpus.jsonl").unlink(), "corpus.jsonl is missing"),
        (lambda d: (d / "qrels" / "test.tsv").unlink(), "qrels/<split>.tsv"),
        (
            lambda d: (d / "queries.jsonl").write_text('{"_id": "q1"}\n'),
            'queries.jsonl line 1 needs "_id" and a "text"',
        ),
        (lambda d: (d / "corpus.jsonl").write_text("{oops\n"), "corpus.jsonl line 1 is not JSON"),
        (lambda d: (d / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\n"), "line 2: expected"),
        (lambda d: (d / "qrels" / "test.tsv").write_text("qx\td1\t1\n"), "1 queries not in queries.jsonl"),
    ],
)
def test_broken_datasets_are_explained(tmp_path: Path, breakage, message: str):
    data = shutil.copytree(TINY, tmp_path / "tiny")
    breakage(data)
    with pytest.raises(BeirError, match=message.replace("(", r"\(")):
        load_dataset(data)
    with pytest.raises(BeirError, match="is not a folder"):
        load_dataset(tmp_path / "nowhere")


def test_every_retriever_finds_the_judged_documents(tiny_bench: BeirBench):
    results = {mode: tiny_bench.score(mode) for mode in RetrievalMode}
    # q3 ("a shot that gives lasting protection") shares no word with its vaccine abstract: BM25 finds
    # nothing for it and scores 4 of 5 queries; the embeddings bridge the paraphrase, and fusion keeps both.
    bm25 = results[RetrievalMode.BM25]
    assert (bm25.ndcg_at_10, bm25.recall_at_100) == (pytest.approx(0.8), pytest.approx(0.8))
    for mode in (RetrievalMode.DENSE, RetrievalMode.HYBRID):
        assert results[mode].ndcg_at_10 == pytest.approx(1.0) and results[mode].mrr_at_10 == pytest.approx(1.0)
    assert all(r.queries == 5 and r.documents == 12 for r in results.values())
    assert results[RetrievalMode.HYBRID].fusion == "weighted (min-max), dense 1 / bm25 1"  # the default
    weighted = tiny_bench.score(RetrievalMode.HYBRID, FusionMethod.WEIGHTED, dense_weight=0.7, lexical_weight=0.3)
    assert weighted.fusion == "weighted (min-max), dense 0.7 / bm25 0.3"
    assert tiny_bench.score(RetrievalMode.HYBRID, FusionMethod.RRF).fusion == "rrf k=60, dense 1 / bm25 1"


def test_a_document_never_answers_the_query_with_its_own_id(tiny_bench: BeirBench):
    # Corpus document "q5" is about bread, like query q5; BEIR's evaluator ignores such identical ids.
    retriever = tiny_bench.retriever(RetrievalMode.BM25)
    found = [h.chunk.doc_path for h in retriever.retrieve(tiny_bench.dataset.queries["q5"], Audience.ALL, k=100)]
    assert "q5" in found[:3]  # the retriever finds it ...
    run = tiny_bench.run(retriever)
    assert "q5" not in run["q5"] and next(iter(run["q5"])) == "d3"  # ... and the run leaves it out
    hits = [
        Hit(Chunk(id=i, doc_path=i, ordinal=0, text="", title="", section="", audience=Audience.ALL), 1.0)
        for i in ("q9", "d1", "d2")
    ]
    assert ranked(lambda *a, **k: hits, "q9", "query") == {"d1": 2.0, "d2": 1.0}


def test_evaluate_counts_queries_with_nothing_retrieved_as_zero():
    qrels = {"a": {"d1": 1}, "b": {"d2": 1}}
    scores = evaluate(qrels, {"a": {"d1": 2.0, "d9": 1.0}})
    assert scores == {"ndcg@10": 0.5, "recall@100": 0.5, "mrr@10": 0.5}


def test_second_sync_reuses_the_index_and_follows_corpus_changes(tmp_path: Path, embedder):
    data = shutil.copytree(TINY, tmp_path / "tiny")
    settings = Settings(home=tmp_path / "unused")
    first = BeirBench(settings, load_dataset(data), tmp_path / "beir", embedder).sync()
    assert first.chunks_embedded == 12 and len(first.added) == 12

    again = BeirBench(settings, load_dataset(data), tmp_path / "beir", embedder).sync()
    assert again.chunks_embedded == 0 and len(again.unchanged) == 12

    lines = (data / "corpus.jsonl").read_text().splitlines()
    changed = json.loads(lines[0]) | {"text": "Conveyor belts slip when the tension is too low."}
    (data / "corpus.jsonl").write_text("\n".join([json.dumps(changed), *lines[1:-1]]) + "\n")
    bench = BeirBench(settings, load_dataset(data), tmp_path / "beir", embedder)
    third = bench.sync()
    assert third.chunks_embedded == 1 and third.updated == ["d1"] and third.removed == ["q5"]
    assert bench.store.count() == 11 and len(bench.snapshots.get().chunks) == 11


def test_beir_command_prints_scores_and_published_reference(tmp_path: Path):
    result = CliRunner().invoke(
        cli, ["beir", "--data", str(TINY), "--retriever", "bm25", "--home", str(tmp_path / "beir"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert data["retriever"] == "bm25" and data["ndcg_at_10"] == 0.8 and data["indexed"] == 12
    assert data["published_ndcg@10"] == {}  # nothing published for the fixture

    text = CliRunner().invoke(
        cli,
        [
            "beir",
            "--data",
            str(TINY),
            "--retriever",
            "hybrid",
            "--fusion",
            "rrf",
            "--rrf-k",
            "10",
            "--home",
            str(tmp_path / "beir"),
        ],
    )
    assert text.exit_code == 0, text.output
    assert "hybrid (rrf k=10, dense 1 / bm25 1): nDCG@10" in text.output and "0 newly embedded" in text.output


def test_beir_command_explains_a_bad_folder(tmp_path: Path):
    result = CliRunner().invoke(cli, ["beir", "--data", str(tmp_path), "--retriever", "bm25"])
    assert result.exit_code == 1 and "corpus.jsonl is missing" in result.output
    assert "Traceback" not in result.output


def test_default_home_is_a_stable_cache_per_dataset_and_model(tmp_path: Path):
    settings = Settings(home=tmp_path)
    assert default_home(TINY, settings) == default_home(TINY, Settings(home=tmp_path / "other"))
    assert default_home(TINY, settings) != default_home(TINY, Settings(embedding_model="some/other-model"))
    assert default_home(TINY, settings).name.startswith("beir_tiny-")


@pytest.mark.slow
@pytest.mark.skipif(not SCIFACT.is_dir(), reason="../shared/benchmarks/scifact is not here")
def test_scifact_reproduces_published_baselines_and_hybrid_beats_them():
    """Minutes on a first run (5,183 abstracts to embed); later runs reuse the cached index."""
    settings = Settings()
    bench = BeirBench(settings, load_dataset(SCIFACT), default_home(SCIFACT, settings))
    bench.sync()
    reference = published("scifact")
    bm25 = bench.score(RetrievalMode.BM25)
    dense = bench.score(RetrievalMode.DENSE)
    hybrid = bench.score(RetrievalMode.HYBRID)
    assert bm25.ndcg_at_10 == pytest.approx(reference["bm25"][1], abs=0.02)
    assert dense.ndcg_at_10 == pytest.approx(reference["dense"][1], abs=0.02)
    assert hybrid.ndcg_at_10 >= 0.70
    assert hybrid.ndcg_at_10 > max(value for _, value in reference.values())
