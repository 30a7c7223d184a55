"""Shared fixtures: real model, real Chroma in temporary folders, real files.

The embedding model loads once per test session; every test gets its own data home.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

from ingest.pipeline import Ingestor  # noqa: E402
from rag.catalog import Catalog  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.embeddings import SentenceTransformerEmbedder  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.logs import InteractionLog  # noqa: E402
from rag.store import ChromaStore  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHIPPED_CORPUS = REPO / "corpus"


@pytest.fixture(autouse=True)
def _no_stray_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test, never from the developer's environment."""
    for key in list(os.environ):
        if key.startswith("PLAYBOOK_COACH_"):
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    model = SentenceTransformerEmbedder()
    _ = model.model
    return model


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    path = tmp_path / "corpus"
    path.mkdir()
    return path


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path) -> Settings:
    return Settings(home=tmp_path / "home", corpus_dir=corpus_dir)


def build_ingestor(settings: Settings, embedder: SentenceTransformerEmbedder) -> Ingestor:
    return Ingestor(settings, Catalog(settings.catalog_path), ChromaStore(settings), lambda: embedder)


def build_engine(settings: Settings, embedder: SentenceTransformerEmbedder, **kwargs) -> Engine:
    return Engine(settings, embedder, ChromaStore(settings), Catalog(settings.catalog_path),
                  InteractionLog(settings.logs_path), **kwargs)


@pytest.fixture
def make_ingestor(embedder) -> Callable[[Settings], Ingestor]:
    return lambda s: build_ingestor(s, embedder)


@pytest.fixture
def make_engine(embedder) -> Callable[..., Engine]:
    return lambda s, **kw: build_engine(s, embedder, **kw)


@pytest.fixture(scope="session")
def shipped_settings(tmp_path_factory: pytest.TempPathFactory, embedder) -> Settings:
    """The shipped corpus, ingested once per session into its own data home (read-only use)."""
    root = tmp_path_factory.mktemp("shipped")
    corpus = root / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    settings = Settings(home=root / "home", corpus_dir=corpus)
    report = build_ingestor(settings, embedder).run()
    assert not report.failed, report.failed
    return settings


@pytest.fixture(scope="session")
def shipped_engine(shipped_settings: Settings, embedder) -> Engine:
    return build_engine(shipped_settings, embedder)


def write_markdown(path: Path, title: str, body: str, audience: str = "all", topic: str = "general",
                   tags: tuple[str, ...] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: \"{title}\"\naudience: {audience}\ntopic: {topic}\ntags: [{', '.join(tags)}]\n---\n"
        f"# {title}\n\n{body}\n", encoding="utf-8")
    return path


def write_pdf(path: Path, pages: list[str], title: str = "", user_password: str | None = None,
              owner_password: str = "owner") -> Path:
    """A real PDF made with fpdf2: one page per string; encrypted when a user password is given."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
    if user_password is not None:
        pdf.set_encryption(owner_password=owner_password, user_password=user_password)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
