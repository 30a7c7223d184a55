"""The evals page: the last ``playbook-coach eval`` report, and starting a new run.

The report is read from ``<home>/eval-latest/`` (summary.json, results.jsonl) and judged against
``evals/baseline.json`` with the eval gate's own ``check``, so this page and the CLI never disagree.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404 # runs the eval command with a fixed argv
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import streamlit as st

from evals.gate import BaselineError, Check, check, check_splits, load_baseline
from evals.metrics import SPECS, metric_text
from evals.plain import plain_figures
from playbook_coach.ui import counted, escape_markdown, readable_time, shortened, trainer_logged_in
from rag.config import Settings
from rag.jsonl import JsonLineError, json_lines

REPO = Path(__file__).resolve().parent.parent
DATASET = REPO / "evals" / "golden.jsonl"
BASELINE = REPO / "evals" / "baseline.json"
HEADLINE = ("hit@5", "mrr", "fact_recall", "citation_precision", "groundedness", "abstention_recall")
REFRESH_SECONDS = 3  # how often a run in progress is looked at
TAG_METRICS = ("hit@5", "mrr", "fact_recall", "citation_precision", "groundedness")


class ReportError(ValueError):
    """The report files exist but cannot be read; the message says which and why."""


@dataclass(frozen=True)
class EvalReport:
    summary: dict
    results: list[dict]

    @property
    def failing(self) -> list[dict]:
        return [r for r in self.results if r.get("problems")]


def load_report(folder: Path) -> EvalReport | None:
    """The report in ``folder``, or None when no run has written one yet."""
    summary_file, results_file = folder / "summary.json", folder / "results.jsonl"
    if not summary_file.exists():
        return None
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        lines = results_file.read_text(encoding="utf-8").splitlines() if results_file.exists() else []
        results = [value for _, value in json_lines(lines)]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, JsonLineError) as exc:
        raise ReportError(f"the report in {folder} cannot be read ({exc}); run the eval again") from None
    if not isinstance(summary, dict) or not isinstance(summary.get("overall"), dict):
        raise ReportError(f"{summary_file} has no overall metrics; run the eval again")
    return EvalReport(summary, [r for r in results if isinstance(r, dict)])


# Running an eval from the page: one at a time per process, in the background
@dataclass
class EvalRun:
    lock: threading.Lock = field(default_factory=threading.Lock)
    process: subprocess.Popen | None = None
    started: float = 0.0
    log_path: Path | None = None


@st.cache_resource(show_spinner=False)
def _eval_run() -> EvalRun:
    return EvalRun()


def eval_command(settings: Settings) -> list[str]:
    cli = Path(sys.executable).with_name("playbook-coach")  # the console script installed beside this Python
    return [
        str(cli),
        "eval",
        "--dataset",
        str(DATASET),
        "--out",
        str(settings.eval_report_dir),
        "--baseline",
        str(BASELINE),
    ]


def _start(run: EvalRun, settings: Settings) -> None:
    with run.lock:
        if run.process is not None and run.process.poll() is None:
            return
        run.log_path = settings.eval_run_log_path
        run.log_path.parent.mkdir(parents=True, exist_ok=True)
        with run.log_path.open("w", encoding="utf-8") as log:
            # A fixed argument list for our own CLI, and no shell.
            command = eval_command(settings)
            run.process = subprocess.Popen(  # nosec B603 # fixed argv, no shell
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        run.started = time.time()


def run_panel(settings: Settings) -> None:
    run = _eval_run()
    running = run.process is not None and run.process.poll() is None
    if running:
        _in_progress(run)
    elif run.process is not None:
        code = run.process.returncode
        verdict = {0: "finished: the gate passed", 1: "finished: the gate failed"}.get(
            code, f"stopped with an error (exit code {code})"
        )
        st.caption(f"The last run started here {verdict}.")
        if run.log_path is not None and run.log_path.exists():
            with st.expander("Its output"):
                st.text(run.log_path.read_text(encoding="utf-8", errors="replace")[-6000:])
    if not trainer_logged_in(settings):
        st.caption("Log in on the Trainer console page to start a new run.")
        return
    if not running and st.button("Start a new eval run", icon=":material/play_arrow:"):
        try:
            _start(run, settings)
        except OSError as exc:
            st.error(f"Could not start the eval: {escape_markdown(exc.strerror or str(exc))}")
            return
        st.rerun()


@st.fragment(run_every=REFRESH_SECONDS)
def _in_progress(run: EvalRun) -> None:
    """Redrawn every few seconds while the run lasts; the whole page once it ends, with the new report."""
    if run.process is not None and run.process.poll() is not None:
        st.rerun()
    st.info(
        f"An eval run is in progress ({time.time() - run.started:.0f} s so far). It answers every golden "
        "question, usually in under a minute; the new report shows here when it ends."
    )


# Showing the report
def report_page(settings: Settings) -> None:
    try:
        report = load_report(settings.eval_report_dir)
    except ReportError as exc:
        st.error(escape_markdown(str(exc)))
        report = None
    if report is None:
        st.info("No eval run yet. Start one below, or run `make eval` on the server.")
        return
    baseline, problem = _baseline()
    if problem:
        st.warning(escape_markdown(problem))
    summary = report.summary
    checks = check(summary["overall"], baseline)
    failed = [c for c in (*checks, *check_splits(summary, baseline)) if c.failed]
    dataset = Path(str(summary.get("dataset", "?"))).name
    st.caption(
        escape_markdown(
            f"{counted(summary['overall'].get('cases', 0), 'question')} from {dataset}, "
            f"run {readable_time(summary.get('generated_at'))}"
        )
    )
    for figure in plain_figures(report.results):
        st.markdown(f"**{figure.count} of {figure.total}** {escape_markdown(figure.what)}")
    if failed:
        st.error(
            "Answer quality fell below what this version may ship with:\n"
            + "".join(
                f"\n- {escape_markdown(SPECS[c.metric].meaning if c.metric in SPECS else c.metric)}: "
                f"{escape_markdown(c.failed)}"
                for c in failed
            )
        )
    else:
        st.success("No figure fell below its floor or below the last accepted run, so this version may ship.")
    with st.expander(
        "Engineering figures, against the baseline"
        + (f" of {readable_time(baseline.get('updated_at'))}" if baseline else "")
    ):
        _headline(checks)
        _charts(checks, summary)
    _failing(report)


def _baseline() -> tuple[dict | None, str]:
    if not BASELINE.exists():
        return None, "No baseline yet (evals/baseline.json), so only the fixed floors apply."
    try:
        return load_baseline(BASELINE), ""
    except BaselineError as exc:
        return None, str(exc)


def _headline(checks: list[Check]) -> None:
    by_name = {c.metric: c for c in checks}
    shown = [by_name[m] for m in (*HEADLINE, "latency_p95_ms") if m in by_name]
    for row in range(0, len(shown), 3):
        for column, item in zip(st.columns(3), shown[row : row + 3], strict=False):
            spec = SPECS[item.metric]
            column.metric(
                item.metric,
                metric_text(item.value, item.metric),
                delta=None if item.delta is None else round(item.delta, 3),
                delta_color="normal" if spec.higher_is_better else "inverse",
                help=" ".join(filter(None, (f"{spec.meaning[0].upper()}{spec.meaning[1:]}.", item.failed))),
            )


def _charts(checks: list[Check], summary: dict) -> None:
    rates = [
        c for c in checks if c.value is not None and not (SPECS[c.metric].counted or SPECS[c.metric].machine_dependent)
    ]
    rows = [{"metric": c.metric, "run": "now", "value": c.value} for c in rates]
    rows += [{"metric": c.metric, "run": "baseline", "value": c.baseline} for c in rates if c.baseline is not None]
    st.subheader("Now and the baseline")
    st.altair_chart(
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("metric:N", title=None),
            x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1]), title=None),
            yOffset="run:N",
            color=alt.Color("run:N", title=None, legend=alt.Legend(orient="bottom")),
        ),
        width="stretch",
    )
    tags = summary.get("tags") or {}
    if not tags:
        return
    st.subheader("Per tag")
    metric = st.selectbox("Metric", TAG_METRICS, index=TAG_METRICS.index("fact_recall"))
    tag_rows = [
        {"tag": tag, "value": values.get(metric), "cases": values.get("cases")}
        for tag, values in tags.items()
        if isinstance(values, dict) and values.get(metric) is not None
    ]
    st.altair_chart(
        alt.Chart(alt.Data(values=tag_rows))
        .mark_bar()
        .encode(
            y=alt.Y("tag:N", sort="x", title=None),
            x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1]), title=metric),
            tooltip=["tag:N", "value:Q", "cases:Q"],
        ),
        width="stretch",
    )


def _failing(report: EvalReport) -> None:
    failing = report.failing
    st.subheader(f"Questions to look at ({len(failing)})")
    if not failing:
        st.success("Every question was answered as expected.")
        return
    st.caption(
        'Each missed a key fact, a right source or an honest "the playbook doesn\'t cover that". '
        "The figures above already count them; fixing the playbook text is often the cure."
    )
    for case in failing:
        with st.expander(escape_markdown(f"{case.get('id', '?')}: {shortened(str(case.get('question', '')), 100)}")):
            st.caption(
                escape_markdown(
                    f"asked as {case.get('audience', '?')} · tags: {', '.join(case.get('tags') or []) or '–'}"
                )
            )
            st.markdown("**Why it fails**")
            st.text("\n".join(f"- {p}" for p in case.get("problems") or []))
            facts = case.get("expected_facts") or []
            if facts:
                st.markdown("**Expected facts**")
                st.text("\n".join(f"- {' | '.join(f) if isinstance(f, list) else f}" for f in facts))
            st.markdown("**Answer given**" + (" (abstained)" if case.get("abstained") else ""))
            st.text(str(case.get("answer", "")))
            sources = case.get("expected_sources") or []
            st.caption(
                escape_markdown(
                    f"expected sources: {', '.join(sources) or '–'} · retrieved: "
                    f"{', '.join((case.get('retrieved') or [])[:5]) or '–'}"
                )
            )
