"""``playbook-coach answers list|add|remove``: trainers' verified answers, kept as playbook documents."""

from __future__ import annotations

import getpass

import click

from playbook_coach.cli_support import emit_json, one_line_errors, settings_or_exit
from rag.types import Audience


def _corpus():
    from ingest.services import Services

    settings = settings_or_exit()
    return settings, Services.from_settings(settings, log=False).corpus


@click.group("answers")
def answers_group() -> None:
    """Verified answers: a trainer's answer to a question, served and cited like any playbook section."""


@answers_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def list_answers(as_json: bool) -> None:
    """The verified answers in the corpus, with who verified each and when it is due for review."""
    settings, corpus = _corpus()
    with one_line_errors(settings.home, "read"):
        found = corpus.verified_answers()
    if as_json:
        emit_json(
            {
                "answers": [
                    {
                        key: a.to_dict()[key]
                        for key in ("id", "path", "question", "audience", "verified_by", "verified_on", "review_by")
                    }
                    for a in found
                ]
            }
        )
        return
    for answer in found:
        click.echo(
            f"{answer.id}\n  {answer.question}\n  verified by {answer.verified_by} on {answer.verified_on}; "
            f"review by {answer.review_by}; for {answer.audience.value}"
        )
    click.echo(f"{len(found)} verified answer(s) in {settings.corpus_dir}")


@answers_group.command("add")
@click.option("--question", required=True, help="The question, as people ask it.")
@click.option("--answer", required=True, help="The short, direct answer; its first sentence answers the question.")
@click.option(
    "--cite",
    "cites",
    multiple=True,
    required=True,
    metavar="DOCUMENT[#SECTION]",
    help="A playbook section that backs the answer (repeat for several).",
)
@click.option("--audience", type=click.Choice([a.value for a in Audience]), default="all", show_default=True)
@click.option("--by", default=None, help="Who verified it (default: your user name).")
def add_answer(question: str, answer: str, cites: tuple[str, ...], audience: str, by: str | None) -> None:
    """Save a verified answer and ingest it; prints the new document's path."""
    from ingest.manage import ChangeRejected

    settings, corpus = _corpus()
    with one_line_errors(settings.home):
        try:
            added, _ = corpus.add_verified_answer(question, answer, cites, Audience(audience), by or getpass.getuser())
        except ChangeRejected as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(settings.corpus_dir / added.path)


@answers_group.command("remove")
@click.argument("answer_id")
def remove_answer(answer_id: str) -> None:
    """Remove a verified answer (by the id ``answers list`` shows) and ingest, so it is served no more."""
    from ingest.manage import ChangeRejected

    settings, corpus = _corpus()
    with one_line_errors(settings.home):
        try:
            corpus.remove_verified_answer(answer_id)
        except ChangeRejected as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"removed {answer_id}")
