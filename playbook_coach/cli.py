"""The ``playbook-coach`` command: the composition root that wires settings, ingest, rag and evals."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from playbook_coach.cli_support import emit_json, one_line_errors, settings_or_exit
from playbook_coach.cmd_answers import answers_group
from playbook_coach.cmd_beir import beir
from playbook_coach.cmd_corpus import corpus_group
from playbook_coach.cmd_eval import eval_group
from playbook_coach.cmd_insights import insights
from playbook_coach.cmd_learn import learn_group
from playbook_coach.cmd_trainer import trainer_group
from rag.types import ASKERS

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
logging.getLogger("pypdf").setLevel(logging.ERROR)  # corrupt PDFs are reported per file instead


@click.group()
@click.version_option(package_name="playbook-coach")
def cli() -> None:
    """Playbook Coach: cited answers about adopting Smart Manufacturing, offline."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Re-embed every file, changed or not.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def ingest(paths: tuple[Path, ...], rebuild: bool, as_json: bool) -> None:
    """Ingest the corpus (or PATHS): only new and changed files are embedded."""
    from ingest.reports import IngestStep
    from ingest.services import Services

    settings = settings_or_exit()
    with one_line_errors(settings.home):
        ingestor = Services.from_settings(settings, log=False).ingestor
        if as_json or not sys.stderr.isatty():
            report = ingestor.run(list(paths) or None, rebuild=rebuild)
        else:
            from tqdm import tqdm

            with tqdm(desc="ingest", leave=False) as bar:

                def progress(step: IngestStep) -> None:
                    bar.set_description(step.stage.value)
                    bar.total, bar.n = step.total, step.done
                    bar.set_postfix_str(step.path[-40:])
                    bar.refresh()

                report = ingestor.run(list(paths) or None, rebuild=rebuild, progress=progress)
    if as_json:
        data = report.to_dict()
        keys = ("added", "updated", "unchanged", "removed", "failed", "chunks_total", "chunks_embedded", "seconds")
        emit_json({key: data[key] for key in keys})
        return
    click.echo(
        f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
        f"removed {len(report.removed)}, failed {len(report.failed)}; "
        f"{report.chunks_total} chunks stored ({report.chunks_embedded} embedded) in {report.seconds:.1f} s"
    )
    for failure in report.failed:
        click.echo(f"  failed: {failure.path}: {failure.reason}")


def _print_answer(answer, as_json: bool, extra: dict | None = None) -> None:
    if as_json:
        data = answer.to_dict()
        emit_json({**(extra or {}), **data})
        return
    if answer.notice:
        click.echo(f"({answer.notice})")
    click.echo(answer.text)
    if answer.suggestions:
        click.echo("\nThe playbook can answer, for example:")
        for suggestion in answer.suggestions:
            click.echo(f"  - {suggestion}")
    if answer.citations:
        click.echo("\nSources:")
        for c in answer.citations:
            where = f", page {c.page}" if c.page else ""
            section = f" > {c.section}" if c.section else ""
            click.echo(f"  [{c.n}] {c.title}{section} ({c.source}{where})")


def _batch_lines(handle) -> list[tuple[int, dict]]:
    from rag.jsonl import JsonLineError, json_lines

    cases = []
    try:
        for number, case in json_lines(handle):
            if not isinstance(case, dict) or not isinstance(case.get("question"), str):
                raise click.ClickException(f'line {number} needs a "question" string')
            cases.append((number, case))
    except JsonLineError as exc:
        raise click.ClickException(str(exc)) from None
    return cases


@cli.command()
@click.argument("question", required=False)
@click.option("--audience", type=click.Choice([a.value for a in ASKERS]), default="worker", show_default=True)
@click.option(
    "--batch",
    "batch_file",
    type=click.File("r", encoding="utf-8"),
    help="A JSONL file of {id, question, audience, history}; answers one per line.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def ask(question: str | None, audience: str, batch_file, as_json: bool) -> None:
    """Answer QUESTION from the playbook, with numbered sources."""
    from ingest.services import Services
    from rag.engine import QuestionRefused, QuestionRejected
    from rag.types import Audience, Turn

    if (question is None) == (batch_file is None):
        raise click.UsageError("give a QUESTION or --batch FILE (one of them)")
    settings = settings_or_exit()
    cases = _batch_lines(batch_file) if batch_file else [(0, {"question": question, "audience": audience})]
    with one_line_errors(settings.home, "use"):
        engine = Services.from_settings(settings).engine
    for _, case in cases:
        extra = {"id": case["id"]} if "id" in case else {}
        try:
            role = Audience.parse(case.get("audience"), default=Audience(audience))
            history = [Turn(t["role"], t["content"]) for t in case.get("history") or []]
            with one_line_errors(settings.home):  # a read-only or full data home cannot log the question
                answer = engine.ask(case["question"], role, history)
        except QuestionRefused as exc:
            if not batch_file:
                click.echo(f"Error: {exc}", err=True)
                sys.exit(2)
            # Declining is an answer, not a failure: the record reads like any abstention.
            emit_json({**extra, "answer": str(exc), "abstained": True, "refused": True, "citations": []})
            continue
        except QuestionRejected as exc:
            if not batch_file:
                click.echo(f"Error: {exc}", err=True)
                sys.exit(2)
            emit_json({**extra, "error": str(exc)})
            continue
        except (ValueError, KeyError, TypeError) as exc:
            if not batch_file:
                raise click.ClickException(str(exc)) from None
            emit_json({**extra, "error": f"bad case: {exc}"})
            continue
        _print_answer(answer, as_json, extra)


for command in (trainer_group, eval_group, beir, corpus_group, insights, answers_group, learn_group):
    cli.add_command(command)
