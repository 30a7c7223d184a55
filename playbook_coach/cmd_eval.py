"""``playbook-coach eval``: the answer-quality gate, and ``eval promote-feedback``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from playbook_coach.cli_support import emit_json, one_line_errors, settings_or_exit


class InputError(click.ClickException):
    """Bad input (dataset, baseline, settings): exit code 2, as for a refused question."""

    exit_code = 2


def _progress_bar(label: str):
    """A tqdm bar on an interactive terminal, else nothing (CI logs stay readable)."""
    if not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(unit="case" if label == "eval" else "file", desc=label, leave=False)

    def progress(done: int, total: int, current: str) -> None:
        bar.total, bar.n = total, done
        bar.set_postfix_str(current[-40:])
        bar.refresh()

    return bar, progress


def _ingest(settings) -> None:
    """Bring the data home up to date with the configured corpus: cheap when nothing changed."""
    from ingest.services import Services

    report = Services.from_settings(settings, log=False).ingestor.run()
    click.echo(
        f"ingest: added {len(report.added)}, updated {len(report.updated)}, removed {len(report.removed)}, "
        f"unchanged {len(report.unchanged)}; {report.chunks_total} chunks in {report.seconds:.1f} s",
        err=True,
    )
    for failure in report.failed:
        click.echo(f"ingest: failed {failure.path}: {failure.reason}", err=True)


@click.group("eval", invoke_without_command=True)
@click.option(
    "--dataset", type=click.Path(path_type=Path, dir_okay=False), help="Golden set, JSONL (e.g. evals/golden.jsonl)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where results.jsonl, summary.json and report.html go [default: <home>/eval-latest].",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Baseline to gate against (e.g. evals/baseline.json); without it only the floors apply.",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="Write this run's metrics to --baseline (kept: its hand-written gate section).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary and the gate's verdict as JSON.")
@click.option(
    "--unguarded",
    is_flag=True,
    help="With a language model configured: score its answers as written, unchecked and asked every "
    "question, to measure what the grounding guard does. Never how the app answers.",
)
@click.pass_context
def eval_group(
    ctx: click.Context,
    dataset: Path | None,
    out_dir: Path | None,
    baseline_path: Path | None,
    update_baseline: bool,
    as_json: bool,
    unguarded: bool,
) -> None:
    """Answer every golden case through the app's code path, score it, gate on the baseline.

    Exits 1 when a metric is below its floor or worse than the baseline by more than its
    tolerance, 2 on bad input. The corpus is ingested (incrementally) first.
    """
    if ctx.invoked_subcommand is not None:
        return
    from evals.feedback import DraftCases
    from evals.gate import BaselineError, check, check_splits, gate_of, load_baseline, new_baseline
    from evals.report import render
    from evals.runner import DatasetError, load_cases, parse_case, run_cases, summary_of, write_results
    from ingest.services import Services
    from ingest.verified import eval_case
    from rag.config import LLMBackend

    if dataset is None:
        raise click.UsageError("--dataset is required, e.g. --dataset evals/golden.jsonl")
    if update_baseline and baseline_path is None:
        raise click.UsageError("--update-baseline needs --baseline FILE to write")
    settings = settings_or_exit()
    if unguarded and settings.llm_backend is LLMBackend.OFFLINE:
        raise click.UsageError("--unguarded measures a language model: set PLAYBOOK_COACH_LLM_BACKEND first")
    try:
        cases = load_cases(dataset)
        trainer_cases = DraftCases(settings.feedback_drafts_path, settings.trainer_cases_path).accepted()
        baseline = None
        if baseline_path is not None and (baseline_path.exists() or not update_baseline):
            baseline = load_baseline(baseline_path)
    except (DatasetError, BaselineError) as exc:
        raise InputError(str(exc)) from None
    out_dir = out_dir or settings.eval_report_dir
    with one_line_errors(settings.home):
        _ingest(settings)
        # Eval questions are not people's questions: they stay out of the trainer's log.
        services = Services.from_settings(settings, log=False, unguarded=unguarded)
        engine = services.engine
        bar, progress = _progress_bar("eval")
        try:
            results = run_cases(engine, cases, progress)
        finally:
            if bar is not None:
                bar.close()
        # Trainers' cases, apart from the golden set's metrics: each verified answer must still be served as
        # written, and each case accepted from feedback must pass.
        verified = run_cases(engine, [parse_case(eval_case(a)) for a in services.corpus.verified_answers()])
        accepted = run_cases(engine, trainer_cases)
    summary = summary_of(results, settings, dataset)
    checks = check(summary["overall"], baseline)
    split_checks = check_splits(summary, baseline)
    try:
        write_results(out_dir, results, summary)
        (out_dir / "report.html").write_text(render(summary, results, checks, baseline), encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    failures = [c for c in (*checks, *split_checks) if c.failed]
    lost = [
        f"verified answer {r.case.question!r} ({r.case.expected_sources[0]}): {'; '.join(r.problems)}"
        for r in verified
        if r.problems
    ]
    lost += [f"trainer case {r.case.id} {r.case.question!r}: {'; '.join(r.problems)}" for r in accepted if r.problems]
    if update_baseline:
        # The floors still apply: a baseline below them would only move the problem.
        floors_only = {"metrics": {}, "gate": gate_of(baseline)}
        floor_failures = [
            c for c in (*check(summary["overall"], floors_only), *check_splits(summary, floors_only)) if c.failed
        ]
        if not floor_failures:
            baseline_path.write_text(json.dumps(new_baseline(summary, baseline), indent=2) + "\n", encoding="utf-8")
        failures = floor_failures
    _print(summary, checks, failures, out_dir, as_json, update_baseline, baseline_path, verified, accepted, lost)
    if failures or lost:
        sys.exit(1)


def _print(
    summary: dict,
    checks,
    failures,
    out_dir: Path,
    as_json: bool,
    update_baseline: bool,
    baseline_path: Path | None,
    verified: list,
    accepted: list,
    lost: list[str],
) -> None:
    """``verified``, ``accepted``: the results of the verified answers' and the trainers' cases; ``lost``: why
    those that fail fail."""
    from evals.metrics import metric_text

    baseline_written = update_baseline and not failures
    if as_json:
        emit_json(
            {
                "passed": not failures and not lost,
                "failures": [c.to_dict() for c in failures],
                "verified_answers": len(verified),
                "trainer_cases": len(accepted),
                "trainer_failures": lost,
                "checks": [c.to_dict() for c in checks],
                "summary": summary,
                "out": str(out_dir),
                "baseline_written": baseline_written,
            }
        )
        return
    overall, holdout, blind = summary["overall"], summary.get("holdout") or {}, summary.get("blind") or {}
    failed = {c.metric for c in failures}
    click.echo(f"{overall['cases']} cases; results in {out_dir}/ (report.html)")
    click.echo(f"  {'metric':<28} {'all':>9}  {'holdout':>9}  {'blind':>9}  {'baseline':>9}  {'change':>7}")
    for c in checks:
        values = (c.value, holdout.get(c.metric), blind.get(c.metric), c.baseline)
        cells = [metric_text(v, c.metric) for v in values]
        change = "" if c.delta is None else f"{round(c.delta, 3) + 0.0:+.3f}"  # + 0.0: no "-0.000"
        click.echo(
            f"  {c.metric:<28} {cells[0]:>9}  {cells[1]:>9}  {cells[2]:>9}  {cells[3]:>9}  {change:>7}"
            f"{'  FAIL' if c.metric in failed else ''}"
        )
    if baseline_written:
        click.echo(f"baseline written to {baseline_path}")
    elif update_baseline:
        click.echo(f"baseline NOT written to {baseline_path}: the run is below its floors", err=True)
    if verified:
        click.echo(f"verified answers: {sum(not r.problems for r in verified)} of {len(verified)} served as written")
    if accepted:
        click.echo(f"trainer cases: {sum(not r.problems for r in accepted)} of {len(accepted)} pass")
    if failures or lost:
        click.echo("GATE FAILED:", err=True)
        for c in failures:
            click.echo(f"  {c.metric}: {c.failed}", err=True)
        for line in lost:
            click.echo(f"  {line}", err=True)
    else:
        click.echo("gate passed")


@eval_group.command("promote-feedback")
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the drafts here (JSONL) instead of standard output.",
)
@click.option("--limit", type=click.IntRange(min=1), default=500, show_default=True)
def promote_feedback(out_file: Path | None, limit: int) -> None:
    """Turn thumbs-down answers into draft golden cases for a trainer to complete."""
    from evals.feedback import thumbs_down_drafts
    from rag.interactions import InteractionLog

    settings = settings_or_exit()
    drafts = thumbs_down_drafts(InteractionLog(settings.logs_path), limit=limit)
    lines = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in drafts)
    if out_file is None:
        click.echo(lines, nl=False)
    else:
        try:
            out_file.write_text(lines, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {out_file}: {exc.strerror or exc}") from None
    click.echo(
        f"{len(drafts)} draft case(s) from thumbs-down answers"
        + (
            ""
            if not drafts
            else "; fill in expected_sources, expected_facts and must_abstain, then add them to the golden set"
        ),
        err=True,
    )
