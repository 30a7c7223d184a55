"""Memory: the peak RSS of a process that answers 200 questions the way the app does.

A fresh process builds the engine with ``Engine.from_settings`` on the ingested shipped corpus
(model, Chroma, snapshot, interaction log) and answers the golden questions (topped up to 200);
its peak resident memory (VmHWM) must stay <= 1.5 GB. Ingest memory (flat in corpus size) is
measured by the ingest benchmark, whose synthetic ingests each run in a process of their own.
"""

from __future__ import annotations

import sys

from bench.common import (
    Report,
    ask,
    bench_questions,
    in_child,
    peak_rss_mb,
    run_main,
    say,
    shipped_store,
    write_child_result,
)

NAME = "memory"
LIMIT_MB = 1536.0


def answer_all(args: list[str]) -> dict:
    from ingest.services import Services
    from rag.engine import QuestionRejected

    store = shipped_store()
    service = Services.from_settings(store.settings).engine
    questions = bench_questions(store)
    refused = 0
    for question in questions:
        try:
            ask(service, question)
        except QuestionRejected:
            refused += 1
    return {"questions": len(questions), "refused": refused, "peak_rss_mb": round(peak_rss_mb(), 1)}


def run() -> Report:
    report = Report(NAME)
    shipped_store()  # built here if the ingest benchmark has not run, so the child only answers
    say("memory: peak RSS of a fresh process answering 200 questions")
    found = in_child(f"bench.{NAME}")
    report.data = found
    report.add(
        f"peak RSS after answering {found['questions']} questions", found["peak_rss_mb"], "<=", LIMIT_MB, unit=" MB"
    )
    return report


if __name__ == "__main__":
    if write_child_result(answer_all):
        sys.exit(0)
    run_main(run)
