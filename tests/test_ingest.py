"""Incremental ingest with the real model and a real embedded Chroma: idempotent, propagates edits
and deletions, reports every bad file by path and loses nothing already stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from ingest.reports import IngestStep, Stage
from rag.catalog import Catalog
from rag.config import Settings
from rag.embeddings import SentenceTransformerEmbedder
from rag.lexical import LexicalIndex
from rag.store import ChromaStore
from rag.types import Audience, Chunk

from conftest import assert_store_matches_catalog, build_ingestor, write_image_pdf, write_markdown, write_pdf


def _body(topic: str, n: int = 6) -> str:
    return "\n\n".join(
        f"## {topic.title()} part {i}\n\nOperators check the {topic} gauge at the start of shift {i}. "
        f"A reading outside the green band is logged with a reason code and reported to the lead."
        for i in range(n)
    )


@pytest.fixture
def corpus(corpus_dir: Path) -> Path:
    write_markdown(corpus_dir / "worker" / "pressure.md", "Pressure checks", _body("pressure"), "worker", "checks")
    write_markdown(corpus_dir / "manager" / "budget.md", "Pilot budget", _body("budget", 3), "manager", "pilot")
    (corpus_dir / "notes.txt").write_text("Shift notes.\n\nThe forklift charger moved to bay 4.", encoding="utf-8")
    write_pdf(
        corpus_dir / "pdf" / "card.pdf",
        ["OEE is availability times performance times quality.", "Downtime reason codes explain each stop."],
        title="OEE card",
    )
    return corpus_dir


def _ids(settings: Settings, doc_path: str | None = None) -> set[str]:
    return {c.id for c in Catalog(settings.catalog_path).chunks(doc_path)}


def _store_metadata(settings: Settings, ids: set[str]) -> dict[str, dict]:
    got = ChromaStore(settings).collection.get(ids=sorted(ids), include=["metadatas"])
    return dict(zip(got["ids"], got["metadatas"], strict=True))


def _failures(report) -> dict[str, str]:
    return {f.path: f.reason for f in report.failed}


def test_first_ingest_stores_every_chunk_with_its_metadata(settings, corpus, make_ingestor):
    report = make_ingestor(settings).run()
    assert sorted(report.added) == ["manager/budget.md", "notes.txt", "pdf/card.pdf", "worker/pressure.md"]
    assert report.failed == [] and report.updated == [] and report.removed == []
    assert report.chunks_embedded == report.chunks_total == len(_ids(settings)) > 4
    assert_store_matches_catalog(settings)

    catalog = Catalog(settings.catalog_path)
    chunks = catalog.chunks()
    metadata = _store_metadata(settings, {c.id for c in chunks})
    for chunk in chunks:
        assert metadata[chunk.id] == {
            "doc_path": chunk.doc_path,
            "title": chunk.title,
            "section": chunk.section,
            "audience": chunk.audience.value,
            "page": chunk.page or 0,
        }
    pdf_pages = [c.page for c in catalog.chunks("pdf/card.pdf")]
    assert pdf_pages == [1, 2]
    record = catalog.files()["worker/pressure.md"]
    assert (record.title, record.audience, record.topic, record.format) == ("Pressure checks", "worker", "checks", "md")
    assert record.n_chunks == 6


def test_small_flushes_store_the_same_as_one_flush(tmp_path, corpus, make_ingestor):
    """Files are embedded and committed a few chunks at a time; the result does not depend on it."""
    stores = {}
    for flush in (1024, 3):
        settings = Settings(home=tmp_path / f"home-{flush}", corpus_dir=corpus, ingest_flush_chunks=flush)
        report = make_ingestor(settings).run()
        assert report.failed == [] and len(report.added) == 4
        assert_store_matches_catalog(settings)
        got = ChromaStore(settings).collection.get(include=["embeddings"])
        sentences = Catalog(settings.catalog_path).sentence_vectors(sorted(got["ids"]))
        stores[flush] = (dict(zip(got["ids"], got["embeddings"], strict=True)), sentences)
    (one, one_sentences), (small, small_sentences) = stores[1024], stores[3]
    assert sorted(one) == sorted(small)
    for chunk_id in one:  # batches pad differently: equal up to float noise
        assert abs(float(one[chunk_id] @ small[chunk_id]) - 1.0) < 1e-4
        assert one_sentences[chunk_id].spans == small_sentences[chunk_id].spans
        assert (one_sentences[chunk_id].vectors * small_sentences[chunk_id].vectors).sum(axis=1).min() > 0.999


def test_progress_tells_files_read_then_passages_embedded(settings, corpus):
    embedder = SentenceTransformerEmbedder(settings.embedding_model, 4, settings.embedding_backend)  # 4 a batch
    steps: list[IngestStep] = []
    report = build_ingestor(settings, embedder).run(progress=steps.append)
    reading = [s for s in steps if s.stage is Stage.READING]
    embedding = [s for s in steps if s.stage is Stage.EMBEDDING]
    assert [s.done for s in reading] == list(range(len(reading))) and reading[-1].done == reading[-1].total == 4
    assert steps.index(reading[-1]) < steps.index(embedding[0]), "all files read, then the embedding"
    assert [s.done for s in embedding] == sorted({s.done for s in embedding}) and len(embedding) >= 3
    assert embedding[-1].done == embedding[-1].total == report.chunks_embedded
    assert embedding[-1].describe() == f"embedding passages, {report.chunks_embedded} of {report.chunks_embedded}"


def test_second_run_on_an_unchanged_corpus_embeds_nothing(settings, corpus, embedder):
    loads: list[int] = []

    def counting_factory():
        loads.append(1)
        return embedder

    def ingestor() -> Ingestor:
        return Ingestor(settings.ingest, Catalog(settings.catalog_path), ChromaStore(settings), counting_factory)

    first = ingestor().run()
    generation = Catalog(settings.catalog_path).generation()
    ids = _ids(settings)
    loads.clear()
    second = ingestor().run()
    assert second.chunks_embedded == 0
    assert sorted(second.unchanged) == sorted(first.added)
    assert not (second.added or second.updated or second.removed or second.failed)
    assert second.chunks_total == first.chunks_total
    assert loads == []  # the model is not even loaded
    assert Catalog(settings.catalog_path).generation() == generation
    assert _ids(settings) == ids
    assert_store_matches_catalog(settings)


def test_rebuild_re_embeds_everything_without_duplicates(settings, corpus, make_ingestor):
    first = make_ingestor(settings).run()
    ids = _ids(settings)
    again = make_ingestor(settings).run(rebuild=True)
    assert again.chunks_embedded == first.chunks_total
    assert sorted(again.updated) == sorted(first.added)
    assert _ids(settings) == ids
    assert_store_matches_catalog(settings)


def test_an_edited_file_replaces_its_old_chunks(settings, corpus, make_ingestor, embedder):
    make_ingestor(settings).run()
    old = _ids(settings, "worker/pressure.md")
    untouched = _ids(settings) - old
    text = (corpus / "worker" / "pressure.md").read_text(encoding="utf-8")
    edited = text.replace(
        "Operators check the pressure gauge at the start of shift 3.",
        "Operators photograph the hydraulic accumulator tag before lunch.",
    )
    assert edited != text
    (corpus / "worker" / "pressure.md").write_text(edited, encoding="utf-8")

    report = make_ingestor(settings).run()
    assert report.updated == ["worker/pressure.md"]
    assert report.chunks_embedded == 6
    new = _ids(settings, "worker/pressure.md")
    assert len(new) == 6
    store_ids = ChromaStore(settings).ids()
    assert not (old - new) & store_ids  # superseded vectors are gone from Chroma ...
    assert not (old - new) & _ids(settings)  # ... and from the catalog
    assert untouched <= store_ids
    texts = [c.text for c in Catalog(settings.catalog_path).chunks("worker/pressure.md")]
    assert len(texts) == len(set(texts))
    assert sum("hydraulic accumulator" in t for t in texts) == 1
    assert not any("start of shift 3." in t for t in texts)
    assert_store_matches_catalog(settings)

    best_id, _ = ChromaStore(settings).query(embedder.embed_queries(["hydraulic accumulator tag"])[0], 1)[0]
    best = next(c for c in Catalog(settings.catalog_path).chunks() if c.id == best_id)
    assert "hydraulic accumulator" in best.text
    lexical = LexicalIndex.load(settings.lexical_path)
    assert lexical.search("hydraulic accumulator", 1)[0][0] == best_id


def test_a_deleted_file_loses_its_chunks_everywhere(settings, corpus, make_ingestor):
    make_ingestor(settings).run()
    doomed = _ids(settings, "manager/budget.md")
    assert doomed
    (corpus / "manager" / "budget.md").unlink()
    report = make_ingestor(settings).run()
    assert report.removed == ["manager/budget.md"]
    assert report.chunks_embedded == 0
    assert "manager/budget.md" not in Catalog(settings.catalog_path).files()
    assert not doomed & ChromaStore(settings).ids()
    assert not doomed & set(LexicalIndex.load(settings.lexical_path).ids)
    assert_store_matches_catalog(settings)


def test_ingesting_some_paths_only_removes_files_under_them(settings, corpus, make_ingestor):
    make_ingestor(settings).run()
    (corpus / "manager" / "budget.md").unlink()
    (corpus / "worker" / "pressure.md").unlink()
    report = make_ingestor(settings).run([corpus / "worker"])
    assert report.removed == ["worker/pressure.md"]
    assert "manager/budget.md" in Catalog(settings.catalog_path).files()  # outside the scope: kept
    assert make_ingestor(settings).run().removed == ["manager/budget.md"]
    assert_store_matches_catalog(settings)


def test_a_missing_path_is_reported_and_the_rest_goes_on(settings, corpus, make_ingestor):
    report = make_ingestor(settings).run([corpus / "nope", corpus / "worker"])
    assert _failures(report) == {str(corpus / "nope"): "no such file or directory"}
    assert report.added == ["worker/pressure.md"]


def test_sidecar_retag_counts_as_a_change(settings, corpus, make_ingestor):
    sidecar = corpus / "pdf" / "card.pdf.meta.yaml"
    sidecar.write_text("title: OEE quick card\naudience: worker\ntopic: oee\n", encoding="utf-8")
    make_ingestor(settings).run()
    before = Catalog(settings.catalog_path).chunks("pdf/card.pdf")
    assert {c.audience for c in before} == {Audience.WORKER}

    sidecar.write_text("title: OEE quick card\naudience: manager\ntopic: oee\n", encoding="utf-8")
    report = make_ingestor(settings).run()
    assert report.updated == ["pdf/card.pdf"]
    assert sorted(report.unchanged) == ["manager/budget.md", "notes.txt", "worker/pressure.md"]
    after = Catalog(settings.catalog_path).chunks("pdf/card.pdf")
    assert {c.audience for c in after} == {Audience.MANAGER}
    assert Catalog(settings.catalog_path).files()["pdf/card.pdf"].audience == "manager"
    assert {m["audience"] for m in _store_metadata(settings, {c.id for c in after}).values()} == {"manager"}
    assert not {c.id for c in before} & ChromaStore(settings).ids()

    sidecar.unlink()  # dropping the sidecar is a change too: back to the PDF's own metadata
    report = make_ingestor(settings).run()
    assert report.updated == ["pdf/card.pdf"]
    assert Catalog(settings.catalog_path).files()["pdf/card.pdf"].title == "OEE card"
    assert_store_matches_catalog(settings)


def test_hidden_files_and_sidecars_are_not_documents(settings, corpus, make_ingestor):
    (corpus / ".DS_Store").write_bytes(b"\x00\x01")
    (corpus / ".drafts").mkdir()
    write_markdown(corpus / ".drafts" / "wip.md", "Draft", "Not ready.")
    (corpus / "pdf" / "card.pdf.meta.yaml").write_text("audience: worker\n", encoding="utf-8")
    report = make_ingestor(settings).run()
    assert report.failed == []
    assert len(report.added) == 4


def _bad_files(corpus: Path) -> dict[str, str]:
    """One file of each bad class; returns {doc path: expected start of the reason}."""
    write_pdf(corpus / "bad" / "locked.pdf", ["Secret plan."], user_password="s3cret")
    write_image_pdf(corpus / "bad" / "scan.pdf")
    write_pdf(corpus / "bad" / "blank.pdf", ["", ""])
    (corpus / "bad" / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog garbage")
    (corpus / "bad" / "empty.md").write_bytes(b"")
    (corpus / "bad" / "latin1.txt").write_bytes("Caf\u00e9 break at ten o'clock.".encode("latin-1"))
    (corpus / "bad" / "huge.txt").write_text("lots of words " * 400, encoding="utf-8")
    (corpus / "bad" / "plan.docx").write_bytes(b"PK\x03\x04")
    (corpus / "bad" / "broken.md").write_text("---\ntitle: [oops\n---\nBody.\n", encoding="utf-8")
    return {
        "bad/locked.pdf": "encrypted PDF: it needs a password",
        "bad/scan.pdf": "PDF has no extractable text",
        "bad/blank.pdf": "PDF has no extractable text",
        "bad/corrupt.pdf": "corrupt or unreadable PDF",
        "bad/empty.md": "empty file",
        "bad/latin1.txt": "not UTF-8 text",
        "bad/huge.txt": "file is 5.6 kB, over the 5.0 kB limit",
        "bad/plan.docx": "unsupported file type .docx",
        "bad/broken.md": "front matter is not valid YAML",
    }


def test_each_bad_file_is_reported_by_path_and_the_rest_ingests(tmp_path, corpus, make_ingestor):
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus, max_file_bytes=5000)
    expected = _bad_files(corpus)
    report = make_ingestor(settings).run()
    failures = _failures(report)
    assert set(failures) == set(expected)
    for path, reason in expected.items():
        assert failures[path].startswith(reason), (path, failures[path])
        assert "\n" not in failures[path]
    assert sorted(report.added) == ["manager/budget.md", "notes.txt", "pdf/card.pdf", "worker/pressure.md"]
    assert set(Catalog(settings.catalog_path).files()) == set(report.added)
    assert_store_matches_catalog(settings)

    again = make_ingestor(settings).run()  # still reported next time, never silently forgotten
    assert set(_failures(again)) == set(expected)
    assert again.chunks_embedded == 0


@pytest.mark.parametrize(
    "spoil, reason",
    [
        (lambda p: p.write_bytes(b"%PDF-1.4\n%%garbage"), "corrupt or unreadable PDF"),
        (lambda p: write_pdf(p, ["Now locked."], user_password="pw"), "encrypted PDF"),
        (lambda p: p.write_bytes(b""), "empty file"),
    ],
    ids=["corrupt", "encrypted", "emptied"],
)
def test_a_good_file_that_goes_bad_keeps_its_old_chunks(settings, corpus, make_ingestor, spoil, reason):
    make_ingestor(settings).run()
    pdf = corpus / "pdf" / "card.pdf"
    good_copy = pdf.read_bytes()
    old_chunks = Catalog(settings.catalog_path).chunks("pdf/card.pdf")
    old_record = Catalog(settings.catalog_path).files()["pdf/card.pdf"]
    spoil(pdf)

    report = make_ingestor(settings).run()
    assert _failures(report)["pdf/card.pdf"].startswith(reason)
    assert "pdf/card.pdf" not in report.removed + report.updated
    assert Catalog(settings.catalog_path).chunks("pdf/card.pdf") == old_chunks
    assert Catalog(settings.catalog_path).files()["pdf/card.pdf"].content_hash == old_record.content_hash
    assert {c.id for c in old_chunks} <= ChromaStore(settings).ids()
    assert_store_matches_catalog(settings)

    pdf.write_bytes(good_copy)  # repaired: back to the same content, nothing to do
    repaired = make_ingestor(settings).run()
    assert repaired.failed == [] and repaired.chunks_embedded == 0


def test_a_markdown_file_with_broken_front_matter_keeps_its_old_chunks(settings, corpus, make_ingestor):
    make_ingestor(settings).run()
    path = corpus / "manager" / "budget.md"
    old = _ids(settings, "manager/budget.md")
    path.write_text(path.read_text(encoding="utf-8").replace("audience: manager", "audience: bosses"), encoding="utf-8")
    report = make_ingestor(settings).run()
    assert "unknown audience 'bosses'" in _failures(report)["manager/budget.md"]
    assert _ids(settings, "manager/budget.md") == old
    assert_store_matches_catalog(settings)


def test_orphan_vectors_from_an_interrupted_run_are_removed(settings, corpus, make_ingestor, embedder):
    make_ingestor(settings).run()
    orphan = Chunk(
        id="orphan-from-a-killed-run",
        doc_path="gone.md",
        ordinal=0,
        text="Half-written.",
        title="Gone",
        section="",
        audience=Audience.ALL,
    )
    ChromaStore(settings).upsert([orphan], embedder.embed_queries(["Half-written."]))
    report = make_ingestor(settings).run()
    assert report.orphans_removed == 1
    assert report.chunks_embedded == 0
    assert "orphan-from-a-killed-run" not in ChromaStore(settings).ids()
    assert_store_matches_catalog(settings)


def test_a_moved_corpus_file_is_removed_and_added(settings, corpus, make_ingestor):
    make_ingestor(settings).run()
    shutil.move(corpus / "notes.txt", corpus / "worker" / "notes.txt")
    report = make_ingestor(settings).run()
    assert report.added == ["worker/notes.txt"]
    assert report.removed == ["notes.txt"]
    assert_store_matches_catalog(settings)
