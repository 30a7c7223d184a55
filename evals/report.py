"""report.html: one self-contained page (inline CSS and SVG, nothing fetched) a maintainer can read.

Order: the gate's verdict, then what regressed against the baseline (metrics, then cases that
passed in the baseline and fail now), then all headline metrics with charts, tuning vs holdout,
per tag, and finally every failing case. All text from cases and answers is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from evals.gate import Check
from evals.metrics import SPECS, metric_text
from evals.runner import CaseResult

RATE_METRICS = (
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr",
    "ndcg@10",
    "fact_recall",
    "citation_precision",
    "groundedness",
    "abstention_precision",
    "abstention_recall",
)
TAG_COLUMNS = ("hit@5", "mrr", "fact_recall", "citation_precision", "groundedness", "abstention_recall")

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;
 padding:0 1rem;color:#1d2430}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #d8dde6;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0;width:100%}th,td{border-bottom:1px solid #e4e8ef;padding:.3rem .5rem;
 text-align:left;vertical-align:top}th{background:#f3f5f9}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#17803d;font-weight:600}.fail{color:#b42318;font-weight:600}.muted{color:#667085}
.verdict{padding:.8rem 1rem;border-radius:6px;margin:1rem 0}
.verdict.ok{background:#e8f6ec}.verdict.bad{background:#fdecea}
.case{border:1px solid #e4e8ef;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}
.case.regressed{border-color:#b42318}.case h3{font-size:1rem;margin:.1rem 0 .4rem}
.answer{background:#f7f8fb;padding:.5rem .7rem;border-radius:4px;white-space:pre-wrap}
.tag{display:inline-block;background:#eef1f6;border-radius:3px;padding:0 .35rem;margin-right:.25rem;font-size:.85em}
"""


def _delta(check: Check) -> str:
    delta = check.delta
    if delta is None or SPECS[check.metric].machine_dependent:
        return '<span class="muted">–</span>'
    css = "fail" if check.worse else ("pass" if abs(delta) > 1e-9 else "muted")
    return f'<span class="{css}">{round(delta, 3) + 0.0:+.3f}</span>'


def _limit(check: Check) -> str:
    parts = []
    if check.floor is not None:
        parts.append(f"≥ {metric_text(check.floor)}")
    if check.ceiling is not None:
        parts.append(f"≤ {metric_text(check.ceiling, check.metric)}")
    return ", ".join(parts) or '<span class="muted">–</span>'


def bar_chart(rows: Sequence[tuple[str, float | None, float | None]], width: int = 640) -> str:
    """Horizontal bars for 0..1 values; a dark tick marks the baseline when there is one."""
    label_w, bar_w, row_h = 170, width - 230, 22
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row_h * len(rows) + 8}" '
            'role="img" aria-label="bar chart">'
        )
    ]
    for i, (label, value, baseline) in enumerate(rows):
        y = 4 + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" fill="#eef1f6"/>')
        if value is not None:
            fill = "#b42318" if baseline is not None and value < baseline - 1e-9 else "#3b6fd8"
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * max(0.0, min(1.0, value)):.1f}" '
                f'height="{row_h - 8}" fill="{fill}"/>'
            )
        if baseline is not None:
            x = label_w + bar_w * max(0.0, min(1.0, baseline))
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + row_h - 2}" stroke="#1d2430" stroke-width="2"/>'
            )
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}" font-size="12">{metric_text(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _metrics_table(checks: Sequence[Check]) -> str:
    rows = "".join(
        f"<tr><td>{escape(c.metric)}</td><td class=num>{metric_text(c.value, c.metric)}</td>"
        f"<td class=num>{metric_text(c.baseline, c.metric)}</td><td class=num>{_delta(c)}</td><td>{_limit(c)}</td>"
        f"<td>{'<span class=fail>FAIL</span> ' + escape(c.failed) if c.failed else '<span class=pass>ok</span>'}"
        f"</td></tr>"
        for c in checks
    )
    return (
        "<table><tr><th>metric</th><th>now</th><th>baseline</th><th>change</th><th>limit</th>"
        f"<th>gate</th></tr>{rows}</table>"
    )


def _split_table(summary: dict, baseline: dict | None) -> str:
    columns = [
        ("all cases", summary["overall"]),
        ("tuning", summary.get("tuning") or {}),
        ("holdout (never tuned on)", summary.get("holdout") or {}),
    ]
    if baseline and baseline.get("holdout"):
        columns.append(("holdout, baseline", baseline["holdout"]))
    head = "".join(f"<th>{escape(name)}</th>" for name, _ in columns)
    body = "".join(
        f"<tr><td>{escape(metric)}</td>"
        + "".join(
            f"<td class=num>{metric_text(values.get(metric), metric) if values else 'n/a'}</td>"
            for _, values in columns
        )
        + "</tr>"
        for metric in ("cases", *SPECS)
    )
    return f"<table><tr><th>metric</th>{head}</tr>{body}</table>"


def _tag_table(summary: dict) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in TAG_COLUMNS)
    body = "".join(
        f"<tr><td><span class=tag>{escape(tag)}</span></td><td class=num>{values['cases']}</td>"
        + "".join(f"<td class=num>{metric_text(values.get(c), c)}</td>" for c in TAG_COLUMNS)
        + "</tr>"
        for tag, values in summary["tags"].items()
    )
    chart = bar_chart([(tag, values.get("fact_recall"), None) for tag, values in summary["tags"].items()])
    return (
        f"<table><tr><th>tag</th><th>cases</th>{head}</tr>{body}</table><p class=muted>Fact recall per tag:</p>{chart}"
    )


def _case_block(result: CaseResult, regressed: bool) -> str:
    case, out = result.case, result.outcome
    tags = "".join(f"<span class=tag>{escape(t)}</span>" for t in case.tags)
    history = "".join(f"<div class=muted>{escape(role)}: {escape(content)}</div>" for role, content in case.history)
    facts = "; ".join(" | ".join(alt) for alt in case.expected_facts) or "–"
    sources = ", ".join(case.expected_sources) or "–"
    problems = "".join(f"<li>{escape(p)}</li>" for p in result.problems)
    cited = "".join(
        f"<li>[{c['n']}] {escape(c['source'])} — {escape(c.get('section') or c.get('title') or '')}</li>"
        for c in result.citations
    )
    return (
        f'<div class="case{" regressed" if regressed else ""}"><h3>{escape(case.id)} '
        f"{'<span class=fail>(regressed)</span> ' if regressed else ''}{tags}</h3>"
        f"{history}<p><b>Question</b> ({escape(case.audience)}): {escape(case.question)}</p>"
        f"<p><b>Expected facts:</b> {escape(facts)}<br><b>Expected sources:</b> {escape(sources)}"
        f"{'<br><b>Must abstain</b>' if case.must_abstain else ''}</p>"
        f"<ul class=fail>{problems}</ul>"
        f"<div class=answer>{escape(out.answer)}</div>"
        f"<p class=muted>Retrieved: {escape(', '.join(out.retrieved) or '–')}</p>"
        f"{'<ul class=muted>' + cited + '</ul>' if cited else ''}</div>"
    )


def render(summary: dict, results: Sequence[CaseResult], checks: Sequence[Check], baseline: dict | None) -> str:
    failures = [c for c in checks if c.failed]
    worse = [c for c in checks if c.worse]
    baseline_failing = set(baseline.get("failing_cases", [])) if baseline else set()
    failing = [r for r in results if r.problems]
    regressed = [r for r in failing if baseline is not None and r.case.id not in baseline_failing]
    others = [r for r in failing if r not in regressed]
    overall = summary["overall"]
    if failures:
        verdict = (
            '<div class="verdict bad"><b class=fail>Gate FAILED</b><ul>'
            + "".join(f"<li><b>{escape(c.metric)}</b>: {escape(c.failed)}</li>" for c in failures)
            + "</ul></div>"
        )
    else:
        verdict = '<div class="verdict ok"><b class=pass>Gate passed</b>: every metric within its limits.</div>'
    base_note = f"baseline from {escape(str(baseline.get('updated_at', '?')))}" if baseline else "no baseline given"
    regress_html = (
        "<p>Metrics worse than the baseline:</p>" + _metrics_table(worse)
        if worse
        else "<p class=pass>No metric is worse than the baseline.</p>"
    ) + (
        f"<p>{len(regressed)} case(s) passed in the baseline and fail now:</p>"
        + "".join(_case_block(r, True) for r in regressed)
        if regressed
        else "<p class=pass>No case that passed in the baseline fails now.</p>"
        if baseline
        else ""
    )
    chart = bar_chart([(m, overall.get(m), (baseline or {}).get("metrics", {}).get(m)) for m in RATE_METRICS])
    settings = "".join(
        f"<tr><td>{escape(k)}</td><td>{escape(str(v))}</td></tr>" for k, v in summary["settings"].items()
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>Playbook Coach eval: {escape(summary['dataset'])}</title><style>{_CSS}</style></head><body>"
        f"<h1>Answer-quality eval</h1><p class=muted>{escape(summary['dataset'])} · {overall['cases']} cases · "
        f"{escape(summary['generated_at'])} · backend {escape(', '.join(summary['backend']))} · {base_note}</p>"
        f"{verdict}<h2>Regressions against the baseline</h2>{regress_html}"
        f"<h2>Headline metrics</h2>{_metrics_table(checks)}"
        f"<p class=muted>Bars: now (red when below the baseline); black tick: baseline.</p>{chart}"
        f"<h2>Tuning set vs holdout</h2>{_split_table(summary, baseline)}"
        f"<h2>Per tag</h2>{_tag_table(summary)}"
        f"<h2>Failing cases ({len(failing)})</h2>"
        + (
            "".join(_case_block(r, False) for r in others)
            if others
            else "<p class=pass>None besides the regressions above.</p>"
            if regressed
            else "<p class=pass>None.</p>"
        )
        + f"<h2>Settings measured</h2><table>{settings}</table></body></html>"
    )
