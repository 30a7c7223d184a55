"""Calibrate the grounding guard's ``KEPT_SHARE`` on a real model's answers, and score the guarded answers.

A small model on 2 cores takes about 12 s an answer, so the golden set is sent to it once, unchecked::

    PLAYBOOK_COACH_LLM_BACKEND=openai PLAYBOOK_COACH_LLM_BASE_URL=http://127.0.0.1:8012/v1 \\
    PLAYBOOK_COACH_LLM_MODEL=smollm2 playbook-coach eval --dataset evals/golden.jsonl --out /tmp/unguarded --unguarded
    python scripts/calibrate_guard.py evals/golden.jsonl /tmp/unguarded /tmp/guarded

and the app's own code replays the guard on what it wrote (the model writes the same at temperature 0):
``ChatModelAnswerer.finish`` on the model's text and the same passages, the offline answer with its notice
where the guard does not trust it, the offline abstention where the model would not be asked. It writes
``results.jsonl`` and ``summary.json`` to the last folder, as ``eval`` does, and prints, per threshold,
how often the model's answer would be shown and the key-fact recall of what the reader sees (tuning split
first; holdout and blind are never chosen on). Run ``eval`` with the model and its guard on a part of the
set to check that the replay matches it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from evals.metrics import Case, fact_found, per_case_metrics
from evals.runner import (
    GOLDEN_SPLITS,
    CaseResult,
    answer_case,
    in_split,
    load_cases,
    outcome_of,
    summary_of,
    write_results,
)
from ingest.services import Services
from rag.answering import FALLBACK_NOTICE, UNCHECKED_NOTICE, UncheckedAnswer
from rag.config import LLMBackend, Settings
from rag.grounding import guard
from rag.llm import ChatModelAnswerer
from rag.text import plain_text
from rag.types import Audience, Turn

THRESHOLDS = (0.0, 0.25, 0.34, 0.5, 0.67, 0.75, 1.0, float("inf"))  # inf: never show the model's answer


def main(dataset: Path, unguarded_dir: Path, out_dir: Path) -> None:
    cases = load_cases(dataset)
    lines = (unguarded_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    written = {row["id"]: row for row in map(json.loads, lines)}
    settings = Settings()
    engine = Services.from_settings(settings, log=False).engine
    llm = ChatModelAnswerer(None, LLMBackend.OPENAI.value)  # finish() only: the model already wrote
    results, shares = [], []  # shares: (case, offline recall, model recall, kept share) where asked
    for case in cases:
        if written[case.id]["backend"] == "refused":  # the question itself was declined, as in the app
            results.append(answer_case(engine, case))
            continue
        history = [Turn(role, content) for role, content in case.history]
        audience = Audience(case.audience)
        own = engine.ask(case.question, audience, history)
        model = written[case.id]
        if own.abstained:
            answer = own  # the model is not asked
        elif model["backend"] == "offline":  # the model failed in the unguarded run
            answer = replace(
                own, notice=FALLBACK_NOTICE.format(reason="it did not reply"), latency_ms=model["latency_ms"]
            )
        else:
            question, hits = engine.validate(case.question), own.hits  # the passages the model was given
            try:
                answer = replace(llm.finish(model["answer"], hits, audience, question), latency_ms=model["latency_ms"])
            except UncheckedAnswer:
                answer = replace(own, notice=UNCHECKED_NOTICE, latency_ms=model["latency_ms"])
            if case.answerable and case.expected_facts:
                checked = guard(model["answer"], [plain_text(hit.chunk.text) for hit in hits], question)
                said = len(checked.kept) + len(checked.dropped)
                shares.append(
                    (
                        case,
                        _recall(own.text, case),
                        _recall(checked.text, case),
                        len(checked.kept) / said if checked.kept else 0.0,
                    )
                )
        outcome, citations = outcome_of(answer)
        results.append(CaseResult(case, outcome, citations, answer.backend))
    for result, metrics in zip(results, per_case_metrics(cases, [r.outcome for r in results]), strict=True):
        result.metrics = metrics
    write_results(out_dir, results, summary_of(results, settings, dataset))
    _print_thresholds(shares)


def _recall(text: str, case: Case) -> float:
    return sum(fact_found(text, fact) for fact in case.expected_facts) / len(case.expected_facts)


def _print_thresholds(shares) -> None:
    for split in GOLDEN_SPLITS:
        rows = [r for r in shares if in_split(r[0], split)]
        if not rows:
            continue
        print(
            f"{split}: {len(rows)} answerable cases the model is asked; offline recall "
            f"{sum(r[1] for r in rows) / len(rows):.3f}"
        )
        print("  KEPT_SHARE  model shown  recall of what is shown")
        for threshold in THRESHOLDS:
            shown = [share > 0 and share >= threshold for *_, share in rows]
            recall = sum(r[2] if model_shown else r[1] for r, model_shown in zip(rows, shown, strict=True)) / len(rows)
            print(f"  {threshold:>10.2f}  {sum(shown):>11}  {recall:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*(Path(arg) for arg in sys.argv[1:]))
