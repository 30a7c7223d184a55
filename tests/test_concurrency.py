"""Concurrent use: many sessions share one Engine (one model, one store), and questions answered
while an ingest replaces a document see the old or the new version whole, never a mix, never an error."""

from __future__ import annotations

import re
import threading
from collections import Counter
from functools import partial

from rag.engine import Engine
from rag.types import Answer, Audience

from conftest import assert_store_matches_catalog, run_together, write_markdown

ASKERS = 8
VERSION_FLIPS = 6
STEPS = 6
DOC = "zephyr-press.md"
MARKER = re.compile(r"\brevision (V\d)\b")

QUESTIONS = [
    "What torque setting does the Zephyr press use in step {k}?",
    "How do I set up the Zephyr press for step {k}?",
    "Zephyr press step {k}: what do I check?",
]


def _write_version(corpus_dir, version: str) -> None:
    """Every section (one chunk each) names its revision, so any chunk tells which version it came from."""
    body = "\n\n".join(
        f"## Step {k}\n\nFor step {k} on the Zephyr press, set the clamp torque to {k * 10 + int(version[1:])} Nm "
        f"and check the die alignment pins before the first stroke. This is revision {version} of the Zephyr "
        f"press setup sheet; revision {version} replaces every earlier sheet."
        for k in range(1, STEPS + 1)
    )
    write_markdown(corpus_dir / DOC, "Zephyr press setup", body, "worker", "setup")


def _versions(answer: Answer) -> set[str]:
    """Versions of the Zephyr document among everything the answer used or shows."""
    texts = [h.chunk.text for h in answer.hits if h.chunk.doc_path == DOC]
    texts += [c.snippet for c in answer.citations if c.source == DOC]
    return {m for text in texts for m in MARKER.findall(text)}


def _background_corpus(corpus_dir) -> None:
    write_markdown(
        corpus_dir / "andon.md",
        "Andon basics",
        "## Pulling the cord\n\nPull the andon cord when a part is out of tolerance or a guard is open.",
        "worker",
        "andon",
    )
    write_markdown(
        corpus_dir / "oee.md",
        "OEE explained",
        "## The formula\n\nOEE is availability times performance times quality.",
        "all",
        "oee",
    )


def test_questions_during_ingest_see_one_whole_version(settings, corpus_dir, make_ingestor, make_engine):
    _background_corpus(corpus_dir)
    _write_version(corpus_dir, "V1")
    make_ingestor(settings).run()
    engine: Engine = make_engine(settings)
    ingestor = make_ingestor(settings)

    mixed: list[tuple[str, set[str]]] = []
    seen: Counter[str] = Counter()
    asked = Counter()
    lock = threading.Lock()
    ingest_done = threading.Event()

    def ingest() -> None:
        try:
            for flip in range(VERSION_FLIPS):
                _write_version(corpus_dir, "V2" if flip % 2 == 0 else "V1")
                report = ingestor.run()
                assert report.updated == [DOC], report
        finally:
            ingest_done.set()

    def ask(n: int) -> None:
        i = 0
        while not ingest_done.is_set() or i < 3:
            question = QUESTIONS[i % len(QUESTIONS)].format(k=1 + (n + i) % STEPS) + f" (session {n}, {i})"
            answer = engine.ask(question, Audience.WORKER)
            versions = _versions(answer)
            with lock:
                asked[n] += 1
                seen.update(versions)
                if len(versions) > 1:
                    mixed.append((question, versions))
            i += 1

    errors = run_together(ingest, *(partial(ask, n) for n in range(ASKERS)))

    assert errors == []
    assert mixed == [], f"answers mixing versions: {mixed[:5]}"
    assert all(asked[n] >= 3 for n in range(ASKERS))
    assert seen["V1"] and seen["V2"], f"the questions should have met both versions: {seen}"
    assert_store_matches_catalog(settings)
    final = engine.ask("What torque setting does the Zephyr press use in step 2?", Audience.WORKER)
    assert _versions(final) == {"V1"}, "after the last ingest only the last version is live"


def test_eight_sessions_sharing_one_engine_get_the_same_answers_as_one(shipped_engine):
    questions = [
        "What is OEE?",
        "How do I log a downtime reason code?",
        "What should I do if a cobot stops suddenly?",
        "How do we pick a first pilot project?",
        "Who do I ask when a dashboard looks wrong?",
        "What is predictive maintenance?",
        "How do I report a suspicious USB stick?",
        "What is an andon?",
    ]
    audiences = [Audience.WORKER, Audience.MANAGER]
    expected = {(q, a): shipped_engine.ask(q, a).text for q in questions for a in audiences}
    shipped_engine.embedder.forget_queries()  # the sessions embed their questions concurrently, not from cache
    differing: list[tuple[str, str]] = []

    def session(n: int) -> None:
        for i in range(len(questions) * len(audiences)):
            question = questions[(n + i) % len(questions)]
            audience = audiences[(n + i // len(questions)) % len(audiences)]
            if shipped_engine.ask(question, audience).text != expected[(question, audience)]:
                differing.append((question, audience.value))

    errors = run_together(*(partial(session, n) for n in range(ASKERS)))
    assert errors == []
    assert differing == []
