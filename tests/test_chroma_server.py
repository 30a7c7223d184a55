"""Server mode for real: a `chroma run` process on a free loopback port, ingest and ask through it."""

from __future__ import annotations

import pytest

from rag.config import Settings
from rag.types import Audience

from conftest import assert_store_matches_catalog, write_markdown, write_pdf

pytestmark = pytest.mark.server


def test_ingest_and_ask_through_a_chroma_server(tmp_path, corpus_dir, chroma_server, make_ingestor, make_engine):
    write_markdown(
        corpus_dir / "andon.md",
        "Andon basics",
        "## When to pull the cord\n\nPull the andon cord when a part is out of tolerance or a guard "
        "is open. The team lead comes to the station within two minutes.\n\n"
        "## What happens next\n\nThe lead decides whether the line keeps running.",
        "worker",
        "andon",
    )
    write_pdf(corpus_dir / "oee.pdf", ["OEE is availability times performance times quality."], title="OEE card")
    settings = Settings(
        home=tmp_path / "home", corpus_dir=corpus_dir, chroma_server=chroma_server, collection="server_test"
    )

    report = make_ingestor(settings).run()
    assert sorted(report.added) == ["andon.md", "oee.pdf"]
    assert report.failed == []
    assert not settings.chroma_path.exists()  # nothing went to the embedded store
    assert_store_matches_catalog(settings)

    import chromadb

    server_side = chromadb.HttpClient(host="127.0.0.1", port=int(chroma_server.rsplit(":", 1)[1]))
    assert server_side.get_collection("server_test").count() == report.chunks_total == 3

    answer = make_engine(settings).ask("When should I pull the andon cord?", Audience.WORKER)
    assert not answer.abstained
    assert answer.citations[0].source == "andon.md"
    assert "andon cord" in answer.text.lower()

    (corpus_dir / "oee.pdf").unlink()
    again = make_ingestor(settings).run()
    assert again.removed == ["oee.pdf"] and again.unchanged == ["andon.md"]
    assert server_side.get_collection("server_test").count() == 2
    assert_store_matches_catalog(settings)
