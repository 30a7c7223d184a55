"""`playbook-coach ingest` killed with SIGKILL midway, then a clean run: store and catalog agree."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess  # nosec B404: runs our own console script
import sys
import time
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.loaders import load
from rag.catalog import Catalog
from rag.config import Settings

from conftest import assert_store_matches_catalog, write_markdown

FILES = 80
CLI = Path(sys.executable).with_name("playbook-coach")


def _corpus(corpus_dir: Path) -> list[str]:
    paths = []
    for n in range(FILES):
        body = "\n\n".join(
            f"## Station {n} step {s}\n\nAt station {n}, step {s} means checking torque value {n * 100 + s} "
            f"and logging it on the tablet. If the value drifts, stop and call the cell lead for station {n}."
            for s in range(5)
        )
        write_markdown(
            corpus_dir / f"track{n % 3}" / f"station-{n:02d}.md", f"Station {n} guide", body, "worker", "stations"
        )
        paths.append(f"track{n % 3}/station-{n:02d}.md")
    return sorted(paths)


def _committed_files(catalog_path: Path) -> int:
    """Files recorded so far, read without taking any lock the ingest needs."""
    if not catalog_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM files").fetchone()[0]
    except sqlite3.OperationalError:  # not created or not migrated yet
        return 0


def test_ingest_killed_midway_then_rerun_is_consistent(tmp_path, corpus_dir, make_ingestor):
    expected_paths = _corpus(corpus_dir)
    home = tmp_path / "home"
    env = {
        **os.environ,
        "PLAYBOOK_COACH_HOME": str(home),
        "PLAYBOOK_COACH_CORPUS_DIR": str(corpus_dir),
        # small flushes: files are committed a few at a time, so there is a "midway" to kill
        "PLAYBOOK_COACH_INGEST_FLUSH_CHUNKS": "8",
        "PLAYBOOK_COACH_EMBEDDING_BATCH_SIZE": "8",
    }
    process = subprocess.Popen(
        [str(CLI), "ingest", "--json"],
        env=env,  # nosec B603: fixed argv
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    catalog_path = home / "catalog.sqlite3"
    try:
        deadline = time.monotonic() + 600
        while _committed_files(catalog_path) == 0:
            assert process.poll() is None, f"ingest ended before it could be killed (exit {process.returncode})"
            assert time.monotonic() < deadline, "ingest committed nothing in 10 minutes"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    committed = _committed_files(catalog_path)
    assert 0 < committed < FILES, "the kill must land midway"

    settings = Settings(home=home, corpus_dir=corpus_dir)
    report = make_ingestor(settings).run()
    assert report.failed == []
    assert len(report.unchanged) == committed
    assert sorted(report.added + report.unchanged) == expected_paths

    catalog = Catalog(settings.catalog_path)
    assert sorted(catalog.files()) == expected_paths
    expected_ids = {
        c.id
        for p in expected_paths
        for c in chunk_document(
            load(corpus_dir / p, p, settings.max_file_bytes), settings.chunk_size, settings.chunk_overlap
        )
    }
    assert catalog.chunk_ids() == expected_ids
    assert_store_matches_catalog(settings)

    final = make_ingestor(settings).run()  # and it stays settled
    assert final.chunks_embedded == 0 and final.orphans_removed == 0
    assert sorted(final.unchanged) == expected_paths
