"""Concurrency: 8 threads asking at once through one Engine, the service object the app shares
between its sessions; throughput against one thread asking alone.

Each question is new to the engine (the golden questions, cycled, each with its own number
appended), so every ask runs the model for its query as a real new question would; within an
ask the engine's own cache works as usual. The same with the golden questions repeated as-is
(query vectors cached after the first round) is shown for information. A refusal (the golden
set's injection attempts) is an answer; any exception is an error. Targets: no error, and
8 threads >= 1.5x the throughput of one.
"""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench.common import (
    QUICK,
    Question,
    Report,
    ask,
    bench_questions,
    new_embedder,
    percentiles,
    run_main,
    say,
    services,
    shipped_store,
    warm_up,
)

NAME = "concurrency"
THREADS = 8
# (questions, threads): seconds of asking per round. One thread and eight take turns, round after
# round, so a machine that gets busier or quieter meanwhile weighs on both alike.
SECONDS = {("new", 1): 10, ("new", THREADS): 20, ("repeated", 1): 5, ("repeated", THREADS): 5}
ROUNDS = {"new": 3, "repeated": 2}  # eight threads ask new questions for 60 s in all
TARGET_SPEEDUP = 1.5


def hammer(
    service, questions: list[Question], threads: int, seconds: float, numbers: itertools.count | None = None
) -> dict:
    """Ask for ``seconds`` from ``threads`` threads. With ``numbers``, each question gets the next
    number appended, so it is new to the engine's query cache (the count runs across rounds)."""
    new = numbers is not None
    numbers = numbers or itertools.count()
    latencies: list[float] = []
    errors: list[str] = []
    refused: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        from rag.engine import QuestionRejected

        while time.monotonic() < deadline:
            n = next(numbers)
            question = questions[n % len(questions)]
            if new:
                question = Question(question.id, f"{question.text} (question {n})", question.audience, question.history)
            started = time.perf_counter()
            try:
                ask(service, question)
            except QuestionRejected:  # the golden set's injection attempts: refusing them is the answer
                with lock:
                    refused.append(n)
            except Exception as exc:  # any other failure is the finding: count it, keep asking
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)  # a refusal is an answer too

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(worker) for _ in range(threads)]:
            future.result()
    elapsed = time.perf_counter() - started
    return {
        "threads": threads,
        "seconds": round(elapsed, 1),
        "answers": len(latencies),
        "per_second": round(len(latencies) / elapsed, 2),
        "refused": len(refused),
        "errors": len(errors),
        "first_errors": errors[:5],
        "latency_ms": percentiles(latencies or [0.0]),
    }


def combined(rounds: list[dict]) -> dict:
    seconds = sum(r["seconds"] for r in rounds)
    answers = sum(r["answers"] for r in rounds)
    return {
        "threads": rounds[0]["threads"],
        "rounds": rounds,
        "seconds": round(seconds, 1),
        "answers": answers,
        "per_second": round(answers / seconds, 2),
        "refused": sum(r["refused"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "latency_ms_p95_by_round": [r["latency_ms"]["p95"] for r in rounds],
    }


def run() -> Report:
    report = Report(NAME)
    store = shipped_store()
    questions = [q for q in bench_questions(store) if q.text.strip()]
    service = services(store.settings, new_embedder(load=False)).engine
    warm_up(service, store)
    scale = 0.2 if QUICK else 1.0
    results: dict = {}
    numbers = itertools.count()  # one count for every round: no round repeats an earlier one's question
    for mode in ("new", "repeated"):
        say(f"concurrency: {mode} questions, {ROUNDS[mode]} rounds of 1 thread then {THREADS}")
        for _ in range(ROUNDS[mode]):
            for threads in (1, THREADS):
                found = hammer(
                    service, questions, threads, SECONDS[(mode, threads)] * scale, numbers if mode == "new" else None
                )
                results.setdefault(f"{mode}_{threads}", []).append(found)
    results = {key: combined(rounds) for key, rounds in results.items()}
    report.data = results
    for mode in ("new", "repeated"):
        one, many = results[f"{mode}_1"], results[f"{mode}_{THREADS}"]
        speedup = round(many["per_second"] / one["per_second"], 2)
        checked = mode == "new"
        report.add(
            f"{mode} questions: {THREADS} threads over 1, throughput",
            speedup,
            ">=" if checked else "",
            TARGET_SPEEDUP,
            note=f"{many['per_second']:.1f} vs {one['per_second']:.1f} answers/s; worst round p95 "
            f"{max(many['latency_ms_p95_by_round']):.0f} vs {max(one['latency_ms_p95_by_round']):.0f} ms",
        )
        report.add(
            f"{mode} questions: errors",
            one["errors"] + many["errors"],
            "==",
            0,
            note=f"{one['answers'] + many['answers']:,} answers",
        )
    return report


if __name__ == "__main__":
    run_main(run)
