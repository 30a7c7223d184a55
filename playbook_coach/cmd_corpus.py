"""``playbook-coach corpus check``: validate the corpus before it is ingested or shipped."""

from __future__ import annotations

import sys
from collections import defaultdict

import click

from playbook_coach.cli_support import emit_json, one_line_errors, settings_or_exit


@click.group("corpus")
def corpus_group() -> None:
    """Tools for the playbook corpus (the directory in PLAYBOOK_COACH_CORPUS_DIR)."""


@corpus_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
def check(as_json: bool) -> None:
    """Check front matter, duplicates, empty sections, the glossary, reading level, ingestibility, and the
    learning paths and knowledge checks.

    Exits 1 when there are errors; warnings and flagged passages alone exit 0.
    """
    from ingest.check import MAX_WORKER_GRADE, check_corpus
    from learn.training import Training

    settings = settings_or_exit()
    with one_line_errors(settings.home):  # the reading-level dictionary is written to the data home on first use
        report = check_corpus(settings.ingest, settings.home)
        errors, warnings = Training.from_settings(settings).check()  # learning paths and knowledge checks
    report.errors.extend(errors)
    report.warnings.extend(warnings)
    if as_json:
        emit_json(report.to_dict())
    else:
        _print_report(report, MAX_WORKER_GRADE, str(settings.corpus_dir))
    sys.exit(0 if report.ok else 1)


def _print_report(report, max_grade: float, corpus_dir: str) -> None:
    by_file: dict[str, list[str]] = defaultdict(list)
    for finding in report.errors:
        by_file[finding.path].append(f"error: {finding.message}")
    for finding in report.warnings:
        by_file[finding.path].append(f"warning: {finding.message}")
    for passage in report.flagged:
        where = f" > {passage.section}" if passage.section else ""
        by_file[passage.path].append(
            f"flagged{where}: {passage.reason} (quarantined until a trainer approves it): {passage.text[:100]!r}"
        )
    for path in sorted(by_file):
        click.echo(path)
        for line in by_file[path]:
            click.echo(f"  {line}")
    if report.reading_levels:
        click.echo(f"reading level of worker documents (Flesch-Kincaid grade, warning above {max_grade:g}):")
        for path, grade in sorted(report.reading_levels.items()):
            click.echo(f"  {grade:4.1f}  {path}")
    words = ", ".join(f"{audience} {n:,}" for audience, n in report.words.items())
    click.echo(f"{corpus_dir}: {report.documents} documents; words: {words}")
    verdict = "OK" if report.ok else "FAILED"
    click.echo(
        f"{verdict}: {len(report.errors)} errors, {len(report.warnings)} warnings, "
        f"{len(report.flagged)} flagged passages"
    )
