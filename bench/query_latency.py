"""Query latency: a warm ``Engine.ask`` (retrieval + offline answer, logged as the app logs it).

The 200 questions are the golden set's (topped up from section headings if it has fewer). Warm
means the model and the corpus snapshot are loaded and a few other questions were asked; each
timed question is new to the engine (cached query vectors are dropped before each pass), so the
query embedding is in every figure. Retrieval alone is Engine.ask's first half: validate, resolve
a follow-up, hybrid retrieval. Repeated questions (query vectors cached) are shown for information.
Targets: answer p95 <= 100 ms, retrieval p95 <= 50 ms.
"""

from __future__ import annotations

from bench.common import (
    Report,
    bench_questions,
    measure_questions,
    new_embedder,
    run_main,
    say,
    services,
    shipped_store,
    warm_up,
)

NAME = "query_latency"
ANSWER_P95_MS = 100.0
RETRIEVAL_P95_MS = 50.0


def run() -> Report:
    report = Report(NAME)
    store = shipped_store()
    questions = bench_questions(store)
    say(f"query latency: {len(questions)} questions on the shipped corpus, warm engine")
    service = services(store.settings, new_embedder(load=False)).engine
    warm_up(service, store)
    found = measure_questions(service, questions)
    report.data = found
    answer, retrieval, repeat = found["answer_ms"], found["retrieval_ms"], found["repeat_answer_ms"]
    report.add("answer p50", answer["p50"], unit=" ms")
    report.add("answer p95", answer["p95"], "<=", ANSWER_P95_MS, unit=" ms")
    report.add("answer p99", answer["p99"], unit=" ms")
    report.add("retrieval p50", retrieval["p50"], unit=" ms")
    report.add("retrieval p95", retrieval["p95"], "<=", RETRIEVAL_P95_MS, unit=" ms")
    report.add("retrieval p99", retrieval["p99"], unit=" ms")
    report.add("answer p95, repeated questions", repeat["p95"], unit=" ms", note="query vectors cached")
    report.add("answer p95 over retrieval p95", round(answer["p95"] / retrieval["p95"], 2))
    report.add("golden hit@5 (documents)", found["golden_hit_at_5"])
    return report


if __name__ == "__main__":
    run_main(run)
