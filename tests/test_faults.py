"""Faults injected for real: ingest killed with SIGKILL at random points, the Chroma server stopped
mid-session, the LLM server down or too slow, a read-only or full data home. Each ends with a clear
message or a working fallback, and nothing stored is lost."""

from __future__ import annotations

import gc
import os
import random
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess  # nosec B404: runs our own console scripts and the venv's chroma server
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.chunking import chunk_document
from ingest.discovery import file_hash, pipeline_fingerprint
from ingest.loaders import load
from playbook_coach.cli import cli
from rag.catalog import Catalog
from rag.config import Settings
from rag.engine import Engine
from rag.llm import ChatModelAnswerer
from rag.store import ChromaStore, StoreUnavailable
from rag.types import Audience

from conftest import assert_store_matches_catalog, chroma_run, free_port, write_markdown
from openai_fake_server import ERROR_500, HANG, chat_model, fake_chat_server

CLI = Path(sys.executable).with_name("playbook-coach")
KILL_RUNS = 5
EDITS_PER_RUN = 6  # each run commits each edited file, then the added file, then the removal (one bump each)
FILES = 24
SECTIONS = 5


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PLAYBOOK_COACH_HOME": str(settings.home),
        "PLAYBOOK_COACH_CORPUS_DIR": str(settings.corpus_dir),
        **extra,
    }


def _cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Only our variables: CliRunner lays them over the test's own environment."""
    return {"PLAYBOOK_COACH_HOME": str(settings.home), "PLAYBOOK_COACH_CORPUS_DIR": str(settings.corpus_dir), **extra}


def _forget_embedded_clients() -> None:
    """Drop this process's cached embedded Chroma clients, so the next one reads what other processes wrote."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    gc.collect()


def _station(corpus_dir: Path, n: int, revision: int) -> None:
    body = "\n\n".join(
        f"## Station {n} step {s}\n\nAt station {n}, step {s} means checking torque value {n * 100 + s + revision} "
        f"and logging it on the tablet (sheet revision {revision}). If the value drifts, stop and call the cell "
        f"lead for station {n}."
        for s in range(SECTIONS)
    )
    write_markdown(
        corpus_dir / f"line{n % 3}" / f"station-{n:02d}.md", f"Station {n} guide", body, "worker", "stations"
    )


def _generation(catalog_path: Path) -> int:
    """The catalog generation, read without taking any lock the ingest needs."""
    try:
        with sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT value FROM state WHERE key='generation'").fetchone()[0]
    except sqlite3.Error:  # not created or not migrated yet
        return -1


def _corpus_files(corpus_dir: Path) -> list[str]:
    return sorted(p.relative_to(corpus_dir).as_posix() for p in corpus_dir.rglob("*.md"))


def _assert_settled(settings: Settings) -> None:
    """Catalog = store = BM25, and the catalog holds exactly the current files, chunked as they read now."""
    _forget_embedded_clients()
    assert_store_matches_catalog(settings)
    catalog = Catalog(settings.catalog_path)
    files = catalog.files()
    on_disk = _corpus_files(settings.corpus_dir)
    assert sorted(files) == on_disk, "catalog and corpus folder disagree"
    expected_ids: set[str] = set()
    for path in on_disk:
        expected = file_hash(settings.corpus_dir / path, pipeline_fingerprint(settings.ingest))
        assert files[path].content_hash == expected, f"stale manifest entry {path}"
        doc = load(settings.corpus_dir / path, path, settings.max_file_bytes)
        expected_ids |= {c.id for c in chunk_document(doc, settings.chunk_size, settings.chunk_overlap)}
    assert catalog.chunk_ids() == expected_ids, "stale or missing chunks"


def _assert_readable_after_kill(settings: Settings) -> None:
    """What readers rely on right after a kill: every chunk the catalog lists is in the store, once."""
    _forget_embedded_clients()
    catalog = Catalog(settings.catalog_path)
    chunks = catalog.chunks()
    assert len({c.id for c in chunks}) == len(chunks)
    assert {c.id for c in chunks} <= ChromaStore(settings).ids(), "the catalog lists a chunk the store lacks"
    for path, record in catalog.files().items():
        assert [c.ordinal for c in chunks if c.doc_path == path] == list(range(record.n_chunks)), path


class _Askers:
    """A session that keeps asking one long-lived Engine while ingests run (and die) beside it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.answers = 0
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            try:
                answer = self.engine.ask(
                    f"What torque value do I check at station {n % FILES} step {n % SECTIONS}?", Audience.WORKER
                )
                assert answer.text.strip()
                self.answers += 1
                time.sleep(0.05)  # a person reads the answer before asking again
            except BaseException as exc:  # collected and re-raised by the test thread
                self.errors.append(exc)
                return

    def __enter__(self) -> _Askers:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()


def _mutate(rng: random.Random, corpus_dir: Path, run: int, live: set[int], next_id: list[int]) -> None:
    """Edit some files, delete one, add one: every kind of change an ingest commits."""
    for n in rng.sample(sorted(live), EDITS_PER_RUN):
        _station(corpus_dir, n, revision=run)
    gone = rng.choice(sorted(live))
    next(corpus_dir.rglob(f"station-{gone:02d}.md")).unlink()
    live.discard(gone)
    _station(corpus_dir, next_id[0], revision=run)
    live.add(next_id[0])
    next_id[0] += 1


def test_ingest_killed_at_random_points_loses_nothing(tmp_path, settings, corpus_dir, make_ingestor, make_engine):
    seed = int(os.environ.get("PLAYBOOK_COACH_FAULT_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    live = set(range(FILES))
    for n in live:
        _station(corpus_dir, n, revision=0)
    make_ingestor(settings).run()
    engine = make_engine(settings)  # the app: stays up through every kill
    env = _env(settings, PLAYBOOK_COACH_EMBEDDING_BATCH_SIZE="1")  # embeds and commits file by file
    catalog_path = settings.catalog_path
    killed_midway = 0
    next_id = [FILES]
    for run in range(1, KILL_RUNS + 1):
        _mutate(rng, corpus_dir, run, live, next_id)
        before = _generation(catalog_path)
        with _Askers(engine) as askers:
            process = subprocess.Popen(
                [str(CLI), "ingest", "--json"],
                env=env,  # nosec B603: fixed argv
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                if run == 1:  # anywhere: start-up, reconcile, embedding or commit
                    time.sleep(rng.uniform(0.5, 15.0))
                else:  # just after a random one of this run's commits: embedding, storing or committing the next
                    # (one of the edits: after the last commits, the ingest may be done before the kill lands)
                    target = before + rng.randint(1, EDITS_PER_RUN)
                    deadline = time.monotonic() + 600
                    while _generation(catalog_path) < target and process.poll() is None:
                        assert time.monotonic() < deadline, "the ingest stalled for 10 minutes"
                        time.sleep(0.005)
                    time.sleep(rng.uniform(0.0, 0.3))
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait()
            committed = _generation(catalog_path) - before
        assert askers.errors == [], f"seed {seed}, run {run}: {askers.errors[0]!r}"
        if process.returncode == -signal.SIGKILL and committed > 0:
            killed_midway += 1
        _assert_readable_after_kill(settings)
        answer = make_engine(settings).ask("What torque value do I check at station 3 step 2?", Audience.WORKER)
        assert answer.text.strip()

        result = subprocess.run(
            [str(CLI), "ingest", "--json"],
            env=env,  # nosec B603: fixed argv
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, f"seed {seed}, run {run}: {result.stderr[-2000:]}"
        _assert_settled(settings)
    assert killed_midway >= 3, f"seed {seed}: only {killed_midway} kills landed mid-ingest"
    final = make_ingestor(settings).run()
    assert final.chunks_embedded == 0 and final.orphans_removed == 0 and not final.changed


# --- Chroma server stopped mid-session --------------------------------------------------------------------


def _small_corpus(corpus_dir: Path) -> None:
    write_markdown(
        corpus_dir / "andon.md",
        "Andon basics",
        "## When to pull the cord\n\nPull the andon cord when a part is out of tolerance or a guard is "
        "open. The team lead comes to the station within two minutes.",
        "worker",
        "andon",
    )
    write_markdown(
        corpus_dir / "oee.md",
        "OEE explained",
        "## The formula\n\nOEE is availability times performance times quality. A stop of a few "
        "seconds counts against performance.",
        "all",
        "oee",
    )


@pytest.mark.server
def test_chroma_server_stopped_mid_session_gives_a_clear_error_and_recovers(
    tmp_path, corpus_dir, make_ingestor, make_engine
):
    _small_corpus(corpus_dir)
    port = free_port()
    data, log = tmp_path / "chroma-data", tmp_path / "chroma.log"
    settings = Settings(
        home=tmp_path / "home", corpus_dir=corpus_dir, chroma_server=f"127.0.0.1:{port}", collection="faults"
    )
    question = "When do I pull the andon cord?"
    with chroma_run(data, port, log, stop_timeout=30):
        make_ingestor(settings).run()
        engine = make_engine(settings)
        first = engine.ask(question, Audience.WORKER)
        assert not first.abstained
        ids_before = ChromaStore(settings).ids()
        generation_before = Catalog(settings.catalog_path).generation()

    # The passages' vectors were read for the first question: the same process answers on from them, and what
    # needs the server (an ingest, a new process) stops with a clear error.
    assert engine.ask(question, Audience.WORKER).text == first.text
    with pytest.raises(StoreUnavailable, match=rf"127\.0\.0\.1:{port}"):  # an ingest stops before writing anything
        make_ingestor(settings).run()
    assert Catalog(settings.catalog_path).generation() == generation_before
    env = _cli_env(settings, PLAYBOOK_COACH_CHROMA_SERVER=f"127.0.0.1:{port}", PLAYBOOK_COACH_COLLECTION="faults")
    for args in (["ask", question], ["ingest", "--json"]):
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)
        assert f"cannot reach the Chroma server at 127.0.0.1:{port}" in result.stderr
        assert "chroma run" in result.stderr and "Traceback" not in result.output

    with chroma_run(data, port, log, stop_timeout=30):  # back on the same folder and port
        again = engine.ask(question, Audience.WORKER)
        assert again.text == first.text and again.citations == first.citations
        assert ChromaStore(settings).ids() == ids_before
        assert_store_matches_catalog(settings)
        result = CliRunner().invoke(cli, ["ask", question, "--json"], env=env)
        assert result.exit_code == 0, result.output


# --- the LLM backend down or slow -------------------------------------------------------------------------


@pytest.fixture
def small_home(settings, corpus_dir, make_ingestor) -> Settings:
    _small_corpus(corpus_dir)
    make_ingestor(settings).run()
    return settings


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there


@pytest.mark.parametrize("failure", ["closed port", "timeout", "HTTP 500"])
def test_llm_down_or_slow_falls_back_to_the_offline_answer_with_a_notice(small_home, make_engine, failure):
    question = "When do I pull the andon cord?"
    offline = make_engine(small_home).ask(question, Audience.WORKER)
    with fake_chat_server() as server:
        url = server.url
        if failure == "closed port":
            url = _closed_port_url()
        else:
            server.behaviour = HANG if failure == "timeout" else ERROR_500
            server.hang_seconds = 30
        engine = make_engine(small_home, llm=ChatModelAnswerer(chat_model(url, timeout=1.0), "openai"))
        answer = engine.ask(question, Audience.WORKER)
    assert answer.backend == "offline"
    assert answer.notice.startswith("The language model did not answer (")
    assert answer.text == offline.text and answer.citations == offline.citations and not answer.abstained
    logged = engine.log.interactions(limit=1)[0]
    assert logged.id == answer.interaction_id and logged.backend == "offline"


def test_cli_with_an_unreachable_llm_prints_the_notice_and_the_offline_answer(small_home):
    env = _cli_env(
        small_home,
        PLAYBOOK_COACH_LLM_BACKEND="openai",
        PLAYBOOK_COACH_LLM_BASE_URL=_closed_port_url(),
        PLAYBOOK_COACH_LLM_TIMEOUT="2",
    )
    result = CliRunner().invoke(cli, ["ask", "When do I pull the andon cord?"], env=env)
    assert result.exit_code == 0, result.output
    assert "(The language model did not answer (" in result.stdout
    assert "[1]" in result.stdout and "Sources:" in result.stdout


# --- read-only or full data home --------------------------------------------------------------------------


def test_data_home_under_a_file_gives_a_clear_error_and_writes_nothing(tmp_path, corpus_dir):
    _small_corpus(corpus_dir)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data home's parent should be")
    settings = Settings(home=blocker / "home", corpus_dir=corpus_dir)
    for args, message in (
        (["ingest", "--json"], "cannot write to the data home"),
        (["ask", "What is OEE?"], "cannot use the data home"),
    ):
        result = CliRunner().invoke(cli, args, env=_cli_env(settings))
        assert result.exit_code == 1, result.output
        assert message in result.stderr and "Not a directory" in result.stderr
        assert "Traceback" not in result.output
    assert blocker.read_text() == "a file where the data home's parent should be"


def _snapshot(settings: Settings) -> tuple[int, dict[str, str], set[str]]:
    _forget_embedded_clients()
    catalog = Catalog(settings.catalog_path)
    hashes = {path: record.content_hash for path, record in catalog.files().items()}
    return catalog.generation(), hashes, ChromaStore(settings).ids()


def _without_write_permission() -> list[str]:
    """A command prefix under which the data home's missing write permission is enforced.

    Tests run as root here, and root ignores file modes; dropping CAP_DAC_OVERRIDE makes root
    obey them like anyone else (the files stay readable: they are root's own)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder read-only for root")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def _chmod_tree(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        write = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~write)


def test_read_only_data_home_gives_a_clear_error_and_nothing_half_written(settings, corpus_dir, make_ingestor):
    _small_corpus(corpus_dir)
    make_ingestor(settings).run()
    before = _snapshot(settings)
    write_markdown(corpus_dir / "new.md", "New sheet", "## Body\n\nA new passage about guard checks.")
    (corpus_dir / "oee.md").unlink()
    prefix = _without_write_permission()
    _chmod_tree(settings.home, writable=False)
    try:
        results = {
            name: subprocess.run(
                [*prefix, str(CLI), *args],
                env=_env(settings),  # nosec B603: fixed argv
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            for name, args in (("ingest", ["ingest", "--json"]), ("ask", ["ask", "What is OEE?"]))
        }
    finally:
        _chmod_tree(settings.home, writable=True)
    for name, result in results.items():
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        # whichever database it opens first (catalog or vector store) names the folder and the cause
        assert result.stderr.startswith(("Error: cannot write to the data home", "Error: cannot open the vector store"))
        assert str(settings.home) in result.stderr and "readonly database" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert _snapshot(settings) == before, "a refused ingest changed the data home"
    report = make_ingestor(settings).run()
    assert report.added == ["new.md"] and report.removed == ["oee.md"]
    _assert_settled(settings)


def test_full_disk_during_ingest_gives_a_clear_error_and_nothing_half_written(settings, corpus_dir, make_ingestor):
    """Disk full, simulated per process: RLIMIT_FSIZE makes any write past 64 kB in a file fail (EFBIG),
    as writes fail on a full disk; the data home already holds bigger files, so the first write fails."""
    _small_corpus(corpus_dir)
    for n in range(12):
        _station(corpus_dir, n, revision=0)
    make_ingestor(settings).run()
    before = _snapshot(settings)
    for n in range(12, 20):
        _station(corpus_dir, n, revision=0)
    _station(corpus_dir, 0, revision=1)
    limit = 64 * 1024

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [str(CLI), "ingest", "--json"],
        env=_env(settings),  # nosec B603: fixed argv
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=small_disk,
        check=False,
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr, result.stderr
    assert "disk I/O error" in result.stderr or "File too large" in result.stderr or "full" in result.stderr
    generation, hashes, store_ids = _snapshot(settings)
    assert (generation, hashes) == before[:2], "the catalog changed although the run failed"
    assert store_ids >= before[2], "stored vectors were lost"
    report = make_ingestor(settings).run()
    assert len(report.added) == 8 and report.updated == ["line0/station-00.md"] and not report.failed
    _assert_settled(settings)
