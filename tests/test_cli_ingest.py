"""`playbook-coach ingest`: the console script in a subprocess, and click's runner for the quick cases."""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404: runs our own console script
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook_coach.cli import cli

from conftest import free_port, write_markdown, write_pdf

CLI = Path(sys.executable).with_name("playbook-coach")
SUMMARY_KEYS = {"added", "updated", "unchanged", "removed", "failed", "chunks_total", "seconds"}


@pytest.fixture
def env(tmp_path, corpus_dir) -> dict[str, str]:
    write_markdown(
        corpus_dir / "worker" / "andon.md",
        "Andon basics",
        "## Pulling the cord\n\nPull the andon cord when a part looks wrong.",
        "worker",
        "andon",
    )
    write_markdown(
        corpus_dir / "manager" / "pilot.md",
        "First pilot",
        "## Scope\n\nPick one line and one problem for a 90-day pilot.",
        "manager",
        "pilot",
    )
    write_pdf(corpus_dir / "card.pdf", ["OEE is availability times performance times quality."])
    (corpus_dir / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    (corpus_dir / "slides.pptx").write_bytes(b"PK\x03\x04")
    return {"PLAYBOOK_COACH_HOME": str(tmp_path / "home"), "PLAYBOOK_COACH_CORPUS_DIR": str(corpus_dir)}


def _run(args: list[str], extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CLI), *args],
        env={**os.environ, **extra_env},  # nosec B603: fixed argv
        capture_output=True,
        text=True,
        timeout=600,
    )


def _invoke(args: list[str], extra_env: dict[str, str]):
    return CliRunner().invoke(cli, args, env=extra_env, catch_exceptions=False)


def test_ingest_json_reports_the_summary_and_exits_0_with_failed_files(env, corpus_dir):
    done = _run(["ingest", "--json"], env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1  # one JSON object, nothing else on stdout
    summary = json.loads(lines[0])
    assert SUMMARY_KEYS <= set(summary)
    assert sorted(summary["added"]) == ["card.pdf", "manager/pilot.md", "worker/andon.md"]
    assert summary["updated"] == summary["unchanged"] == summary["removed"] == []
    failed = {f["path"]: f["reason"] for f in summary["failed"]}
    assert set(failed) == {"broken.pdf", "slides.pptx"}
    assert failed["broken.pdf"].startswith("corrupt or unreadable PDF")
    assert failed["slides.pptx"].startswith("unsupported file type .pptx")
    assert all(set(f) == {"path", "reason"} for f in summary["failed"])
    assert summary["chunks_total"] == 3
    assert isinstance(summary["seconds"], (int, float)) and summary["seconds"] > 0

    # The next run, in process: nothing to embed; then an edit and a deletion.
    again = _invoke(["ingest", "--json"], env)
    assert again.exit_code == 0
    summary = json.loads(again.stdout)
    assert sorted(summary["unchanged"]) == ["card.pdf", "manager/pilot.md", "worker/andon.md"]
    assert summary["chunks_embedded"] == 0 and summary["chunks_total"] == 3

    (corpus_dir / "card.pdf").unlink()
    andon = corpus_dir / "worker" / "andon.md"
    andon.write_text(
        andon.read_text(encoding="utf-8") + "\n## After\n\nThe lead comes within two minutes.\n", encoding="utf-8"
    )
    edited = json.loads(_invoke(["ingest", "--json"], env).stdout)
    assert edited["updated"] == ["worker/andon.md"]
    assert edited["removed"] == ["card.pdf"]
    assert edited["unchanged"] == ["manager/pilot.md"]
    assert edited["chunks_total"] == 3


def test_ingest_prints_a_human_summary_with_each_failure(env):
    result = _invoke(["ingest"], env)
    assert result.exit_code == 0
    first, *failures = result.stdout.strip().splitlines()
    assert first.startswith("added 3, updated 0, unchanged 0, removed 0, failed 2; 3 chunks stored")
    assert sorted(failures)[0].startswith("  failed: broken.pdf: corrupt or unreadable PDF")
    assert sorted(failures)[1].startswith("  failed: slides.pptx: unsupported file type .pptx")


def test_ingest_given_paths_only(env, corpus_dir):
    result = _invoke(["ingest", "--json", str(corpus_dir / "worker")], env)
    summary = json.loads(result.stdout)
    assert summary["added"] == ["worker/andon.md"] and summary["failed"] == []


def test_unreachable_chroma_server_exits_non_zero_with_a_clear_message(env):
    port = free_port()
    done = _run(["ingest", "--json"], {**env, "PLAYBOOK_COACH_CHROMA_SERVER": f"127.0.0.1:{port}"})
    assert done.returncode != 0
    assert done.stdout == ""
    assert f"cannot reach the Chroma server at 127.0.0.1:{port}" in done.stderr
    assert "PLAYBOOK_COACH_CHROMA_SERVER" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"PLAYBOOK_COACH_CHROMA_SERVER": "chroma-without-port"}, "chroma_server must be host:port"),
        ({"PLAYBOOK_COACH_CHUNK_SIZE": "large"}, "invalid settings"),
        ({"PLAYBOOK_COACH_CHUNK_OVERLAP": "5000"}, "chunk_overlap (5000) must be smaller than chunk_size"),
    ],
    ids=["server-without-port", "chunk-size-not-a-number", "overlap-too-large"],
)
def test_bad_settings_exit_non_zero_with_a_clear_message(env, extra, message):
    result = CliRunner().invoke(cli, ["ingest", "--json"], env={**env, **extra})
    assert result.exit_code != 0
    assert message in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert result.stdout == ""


def test_a_data_home_that_cannot_be_created_is_a_clear_error(env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", "--json"], env={**env, "PLAYBOOK_COACH_HOME": str(blocker / "home")})
    assert result.exit_code != 0
    assert "cannot write to the data home" in result.stderr
    assert isinstance(result.exception, SystemExit)
