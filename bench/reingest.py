"""Re-ingest: what a trainer waits for after an edit, or after running ingest for nothing.

On a copy of the ingested shipped corpus:
- unchanged: a second ``Ingestor.run`` embeds nothing, never loads the model (the embedder
  factory's embedders stay unloaded) and takes <= 5 % of the first run's wall time (the first
  run as the ingest benchmark timed it, model already loaded). The same through the CLI, as a
  whole process, is shown for information.
- one-file edit: a sentence added to one document; only that document's chunks are embedded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.common import REPO, Report, copy_store, ingestor, run_main, say, shipped_store, timed

NAME = "reingest"
EDITED = "worker/oee-explained.md"
ADDED = "\nOperators who log a stop within five minutes give the team the reason codes it needs.\n"


def cli_ingest(settings) -> tuple[float, dict]:
    env = {
        **os.environ,
        "PLAYBOOK_COACH_HOME": str(settings.home),
        "PLAYBOOK_COACH_CORPUS_DIR": str(settings.corpus_dir),
    }
    cli = [sys.executable, "-c", "from playbook_coach.cli import cli; cli()", "ingest", "--json"]
    with timed() as elapsed:
        done = subprocess.run(cli, env=env, cwd=REPO, capture_output=True, text=True, check=True)
    return elapsed.wall, json.loads(done.stdout.strip().splitlines()[-1])


def run() -> Report:
    from ingest.chunking import chunk_document
    from ingest.loaders import load
    from rag.embeddings import SentenceTransformerEmbedder

    report = Report(NAME)
    say("re-ingest: nothing changed, then one file edited")
    store = copy_store(shipped_store(), "reingest")
    settings = store.settings
    made: list[SentenceTransformerEmbedder] = []

    def factory() -> SentenceTransformerEmbedder:
        embedder = SentenceTransformerEmbedder(
            settings.embedding_model, settings.embedding_batch_size, settings.embedding_backend
        )
        made.append(embedder)
        return embedder

    pipeline = ingestor(settings, factory)
    with timed() as again:
        unchanged = pipeline.run()
    first = store.first_run["seconds"]
    report.add("unchanged: chunks embedded", unchanged.chunks_embedded, "==", 0)
    report.add(
        "unchanged: model loaded",
        any(e.loaded for e in made),
        "==",
        False,
        note=f"{len(made)} embedder(s) made by the factory",
    )
    report.add(
        "unchanged: wall time, share of the first run",
        round(again.wall / first * 100, 2),
        "<=",
        5.0,
        unit=" %",
        note=f"{again.wall:.3f} s vs {first:.1f} s",
    )
    cli_seconds, cli_summary = cli_ingest(settings)
    report.add(
        "unchanged via the CLI: whole process",
        round(cli_seconds, 2),
        unit=" s",
        note=f"{cli_summary['chunks_embedded']} embedded; imports and store opening included",
    )

    path = settings.corpus_dir / EDITED
    path.write_text(path.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
    expected = chunk_document(load(path, EDITED, settings.max_file_bytes), settings.chunk_size, settings.chunk_overlap)
    with timed() as edit:
        edited = ingestor(settings, factory).run()
    report.add(
        "one-file edit: chunks embedded",
        edited.chunks_embedded,
        "==",
        len(expected),
        note=f"{EDITED} has {len(expected)} chunks; corpus {edited.chunks_total:,}",
    )
    report.add(
        "one-file edit: documents re-embedded",
        len(edited.updated) + len(edited.added),
        "==",
        1,
        note=", ".join(edited.updated + edited.added),
    )
    report.add("one-file edit: wall time, model load included", round(edit.wall, 2), unit=" s")
    report.data = {
        "first_run": store.first_run,
        "unchanged": unchanged.to_dict(),
        "unchanged_cli": cli_summary,
        "unchanged_cli_seconds": cli_seconds,
        "edit": edited.to_dict(),
    }
    return report


if __name__ == "__main__":
    run_main(run)
