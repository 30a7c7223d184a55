"""``playbook-coach insights``: what the workforce asked, and where the playbook fell short."""

from __future__ import annotations

import click

from playbook_coach.cli_support import emit_json, one_line_errors, settings_or_exit
from rag.insights import Insights


def _report(found: Insights) -> str:
    share = (lambda n: f"{n / found.questions:.0%}") if found.questions else (lambda n: "–")
    lines = [
        f"Since {found.since} ({found.days} days): {found.questions} questions "
        f"({', '.join(f'{n} {a}' for a, n in sorted(found.by_audience.items())) or 'none'}).",
        f"Answered {found.answered} ({share(found.answered)}), abstained {found.abstained} "
        f"({share(found.abstained)}), refused {found.refused} ({share(found.refused)}).",
    ]
    if found.top_questions:
        lines += ["", "Asked most:", *(f"  {n:>4}  {q}" for q, n in found.top_questions)]
    if found.gaps:
        lines += ["", "Content gaps (abstained or thumbs-down, grouped by meaning):"]
        for gap in found.gaps:
            near = "; ".join(f"{source} › {section}" for source, section in gap.nearest) or "nothing near"
            lines += [
                f"  {gap.count:>4}  {gap.label}",
                *(f"        also: {e}" for e in gap.examples[1:]),
                f"        nearest: {near}",
            ]
    if found.thumbs_down_by_doc:
        lines += ["", "Thumbs-down answers cited:", *(f"  {n:>4}  {s}" for s, n in found.thumbs_down_by_doc)]
    if found.never_cited:
        lines += ["", f"Never cited ({len(found.never_cited)}):", *(f"        {d}" for d in found.never_cited)]
    if found.review_overdue:
        lines += [
            "",
            "Due for review:",
            *(f"  {due}  {d}" + (f" (owner: {owner})" if owner else "") for d, due, owner in found.review_overdue),
        ]
    return "\n".join(lines)


@click.command()
@click.option(
    "--since",
    "days",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Look at the last DAYS days, today included.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the period's questions as CSV instead (no identities).")
def insights(days: int, as_json: bool, as_csv: bool) -> None:
    """Questions asked, answered and abstained on; content gaps; documents behind thumbs-down answers."""
    from ingest.services import Services

    settings = settings_or_exit()
    with one_line_errors(settings.home, "read"):
        services = Services.from_settings(settings)
        if as_csv:
            click.echo(services.questions_csv(days), nl=False)
            return
        found = services.insights(days)
    if as_json:
        emit_json(found.to_dict())
    else:
        click.echo(_report(found))
