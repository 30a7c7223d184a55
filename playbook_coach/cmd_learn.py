"""``playbook-coach learn``: training mode from the command line (paths, checks, drafts, progress)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from playbook_coach.cli_support import emit_json, one_line_errors, settings_or_exit
from rag.types import ASKERS, Audience


def _training():
    from learn.training import Training

    settings = settings_or_exit()
    with one_line_errors(settings.home):
        return settings, Training.from_settings(settings)


@contextmanager
def _one_line() -> Iterator[None]:
    """A broken path or quiz file, an unknown module or learner and a bad name end the command in one line."""
    from learn.paths import TrainingFileError
    from learn.progress import LearnerNameError

    try:
        yield
    except (TrainingFileError, LearnerNameError, LookupError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group("learn")
def learn_group() -> None:
    """Training mode: learning paths over the playbook, knowledge checks, spaced review and progress."""


@learn_group.command("paths")
@click.option("--audience", type=click.Choice([a.value for a in ASKERS]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def paths(audience: str | None, as_json: bool) -> None:
    """The learning paths and their modules."""
    _, training = _training()
    with _one_line():
        found = training.paths(Audience(audience) if audience else None)
    if as_json:
        emit_json({"paths": [p.to_dict() for p in found]})
        return
    for path in found:
        click.echo(f"{path.id} ({path.audience.value}): {path.title}")
        for module in path.modules:
            click.echo(f"  {module.id}  {module.title}  ({module.minutes} min, {len(module.sections)} sections)")


@learn_group.command("quiz")
@click.argument("module_id")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def quiz(module_id: str, as_json: bool) -> None:
    """A module's knowledge check: its approved items."""
    _, training = _training()
    with _one_line():
        items = training.quiz(module_id)
    if as_json:
        emit_json({"module": module_id, "items": [item.public() for item in items]})
        return
    for number, item in enumerate(items, start=1):
        click.echo(f"{number}. {item.question}")
        for index, option in enumerate(item.options):
            click.echo(f"   {'*' if index == item.answer else ' '} {option}")
        click.echo(f"   ({item.explanation} Source: {item.source}{' > ' + item.section if item.section else ''})")


@learn_group.command("generate")
@click.argument("module_id", required=False)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the drafts to this file instead of the trainers' queue (one module only).",
)
def generate(module_id: str | None, out: Path | None) -> None:
    """Write draft items from the playbook for a module (or every module); a trainer approves them."""
    settings, training = _training()
    if out is not None and module_id is None:
        raise click.ClickException("--out needs a MODULE_ID: one file holds one module's drafts")
    with _one_line(), one_line_errors(settings.home):
        for module in [module_id] if module_id else list(training.modules()):
            report = training.generate(module, out)
            click.echo(
                f"{module}: {report.generated} drafts, {report.valid} pass validation; "
                f"{report.known} already approved or rejected; {len(report.drafts)} waiting for a trainer"
            )


@learn_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
def check(as_json: bool) -> None:
    """Validate the learning paths and the knowledge-check items; exits 1 on errors."""
    _, training = _training()
    errors, warnings = training.check()
    if as_json:
        emit_json(
            {"ok": not errors, "errors": [f.to_dict() for f in errors], "warnings": [f.to_dict() for f in warnings]}
        )
    else:
        for kind, findings in (("error", errors), ("warning", warnings)):
            for finding in findings:
                click.echo(f"{finding.path}: {kind}: {finding.message}")
        click.echo(f"{'OK' if not errors else 'FAILED'}: {len(errors)} errors, {len(warnings)} warnings")
    sys.exit(1 if errors else 0)


@learn_group.command("progress")
@click.option("--learner", default=None, help="One learner's name or badge code (default: every learner).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def progress(learner: str | None, as_json: bool) -> None:
    """Progress per module: status, best score, sign-off. Never what anyone asked in the chat."""
    from learn.progress import learner_id

    settings, training = _training()
    today = date.today()
    with _one_line(), one_line_errors(settings.home, "read"):
        ids = [learner_id(learner)] if learner is not None else [i for i, _ in training.progress.learners()]
        found = [training.progress_of(i, today) for i in ids]
    if as_json:
        emit_json(found[0] if learner is not None else {"learners": found})
        return
    for data in found:
        click.echo(f"{data['name']}: {data['reviews_due']} review item(s) due")
        for row in data["modules"]:
            score = f"{row['score']}/{row['total']}" if row["total"] else "-"
            click.echo(f"  {row['module']:40} {row['status']:13} {score}")
