"""Shared fixtures: real model, real Chroma in temporary folders, real files.

The embedding model loads once per test session; every test gets its own data home.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

from ingest.pipeline import Ingestor
from ingest.services import Services
from rag.catalog import Catalog
from rag.config import Settings
from rag.embeddings import SentenceTransformerEmbedder
from rag.engine import Engine
from rag.store import ChromaStore

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "test-output" / "screenshots"  # the browser tests' pictures, listed at the end of the run


_STARTED = time.time()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test that loads the real model (it asks for the ``embedder`` fixture, directly or through
    another), so ``make test-fast`` can leave those out."""
    for item in items:
        if "embedder" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)


def pytest_terminal_summary(terminalreporter) -> None:
    shots = sorted(p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= _STARTED)  # this run's only
    if shots:
        terminalreporter.write_sep("-", f"{len(shots)} browser screenshots in {SCREENSHOTS}")
        for shot in shots:
            terminalreporter.write_line(f"  {shot.name}")


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
    return Ingestor(settings.ingest, Catalog(settings.catalog_path), ChromaStore(settings), lambda: embedder)


def build_engine(settings: Settings, embedder: SentenceTransformerEmbedder, **kwargs) -> Engine:
    return Services.from_settings(settings, embedder=embedder, **kwargs).engine


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


def write_markdown(
    path: Path, title: str, body: str, audience: str = "all", topic: str = "general", tags: tuple[str, ...] = ()
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'---\ntitle: "{title}"\naudience: {audience}\ntopic: {topic}\ntags: [{", ".join(tags)}]\n---\n'
        f"# {title}\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def write_small_playbook(corpus_dir: Path) -> None:
    """Three short documents, a question-headed section or two each: downtime and andon lights for workers,
    a first pilot for managers (the fast layer's corpus)."""
    write_markdown(
        corpus_dir / "worker" / "downtime.md",
        "Logging downtime",
        (
            "## How do I log a stop?\n\nLog every stop with a reason code as soon as you safely can. "
            "Pick the reason code that names the first cause of the stop.\n\n"
            "## What is a micro-stop?\n\nA micro-stop is a stop shorter than two minutes that the machine clears "
            "by itself."
        ),
        audience="worker",
    )
    write_markdown(
        corpus_dir / "manager" / "pilot.md",
        "Running a pilot",
        (
            "## How long should a pilot run?\n\nA first pilot runs for about 90 days, with a decision date set "
            "at the start.\n\n## Who is on the pilot team?\n\nThe pilot team has a sponsor, a pilot lead and an "
            "operator from each shift."
        ),
        audience="manager",
    )
    write_markdown(
        corpus_dir / "worker" / "andon.md",
        "Andon lights",
        (
            "## What do the andon colors mean?\n\nGreen means running, yellow means the station needs attention "
            "and red means the station is stopped."
        ),
        audience="worker",
    )


def write_pdf(
    path: Path, pages: list[str], title: str = "", user_password: str | None = None, owner_password: str = "owner"
) -> Path:
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


PDF_TYPE = {"title": ("B", 18), "heading": ("B", 13), "bold": ("B", 11), "body": ("", 11)}


def write_styled_pdf(path: Path, pages: list[list[tuple[str, str]]], title: str = "") -> Path:
    """A real PDF made with fpdf2 whose pages hold blocks set in type: each block is (kind, text), a kind
    of ``PDF_TYPE`` (a large bold title, bold headings, body-sized bold, plain body text)."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for blocks in pages:
        pdf.add_page()
        for kind, text in blocks:
            style, size = PDF_TYPE[kind]
            pdf.set_font("Helvetica", style=style, size=size)
            pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def write_image_pdf(path: Path, pages: int = 1) -> Path:
    """A real PDF whose pages hold only a picture (like a scan): no extractable text."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(picture).rectangle((40, 40, 360, 160), outline="black", width=6)
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(picture, x=10, y=10, w=180)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def assert_store_matches_catalog(settings: Settings) -> None:
    """The catalog, the vector store and the BM25 index agree: same chunks, once each, same generation."""
    from rag.lexical import LexicalIndex

    catalog = Catalog(settings.catalog_path)
    chunks = catalog.chunks()
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids)), "duplicate chunk ids in the catalog"
    store = ChromaStore(settings)
    assert store.ids() == set(ids)
    assert store.count() == len(ids)
    for path, record in catalog.files().items():
        ordinals = [c.ordinal for c in chunks if c.doc_path == path]
        assert ordinals == list(range(record.n_chunks)), path
    lexical = LexicalIndex.load(settings.lexical_path)
    assert lexical is not None
    assert lexical.generation == catalog.generation()
    assert sorted(lexical.ids) == sorted(ids)


def copy_shipped(shipped: Settings, root: Path) -> Settings:
    """A writable copy of the ingested shipped corpus and its data home: much quicker than ingesting again.
    The questions other tests asked stay behind, so what a test reads from its question log is its own."""
    shutil.copytree(shipped.home, root / "home", ignore=shutil.ignore_patterns(shipped.logs_path.name + "*"))
    shutil.copytree(shipped.corpus_dir, root / "corpus")
    return Settings(home=root / "home", corpus_dir=root / "corpus")


def point_app_at(monkeypatch: pytest.MonkeyPatch, settings: Settings, **extra: str) -> None:
    """Make ``Settings()``, as the app and the CLI read it, use these folders (and no TOML file)."""
    monkeypatch.setenv("PLAYBOOK_COACH_HOME", str(settings.home))
    monkeypatch.setenv("PLAYBOOK_COACH_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("PLAYBOOK_COACH_CONFIG", str(settings.home.parent / "no-such-config.toml"))
    for key, value in extra.items():
        monkeypatch.setenv(f"PLAYBOOK_COACH_{key.upper()}", value)


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """End a child server: politely first, by force after ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_together(*calls: Callable[[], None]) -> list[BaseException]:
    """Each call in a thread of its own, all released at once; what they raised, for the test to assert on."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], None]) -> None:
        try:
            start.wait()
            call()
        except BaseException as exc:  # collected for the test thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


CHROMA = Path(sys.executable).with_name("chroma")


def wait_until_serving(
    process: subprocess.Popen, log: Path, timeout: float, what: str, probe: Callable[[], object]
) -> None:
    """Return once ``probe`` stops raising; fail quoting ``log`` if the process exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            probe()
            return
        except Exception:  # not listening yet
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not answer: {log.read_text()[-2000:]}") from None
            time.sleep(0.2)


@contextmanager
def chroma_run(
    data: Path, port: int, log: Path, start_timeout: float = 120, stop_timeout: float = 20
) -> Iterator[subprocess.Popen]:
    """A real `chroma run` on ``data`` at 127.0.0.1:``port``, once it answers; stopped on exit.
    Its output is appended to ``log``, which a failure quotes."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    with log.open("ab") as out:
        process = subprocess.Popen(  # nosec B603: fixed argv, our own venv's binary
            [str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(
            process,
            log,
            start_timeout,
            f"chroma run on port {port}",
            lambda: chromadb.HttpClient(
                host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
            ).heartbeat(),
        )
        yield process
    finally:
        stop(process, stop_timeout)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """host:port of a real Chroma server with its own data folder, stopped after the module."""
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    with chroma_run(root / "data", port, root / "server.log", start_timeout=60):
        yield f"127.0.0.1:{port}"
