"""The seam between the engine and whatever writes the answer: one request, one interface.

The offline composer and an LLM both take an ``AnswerRequest`` and stream text, then the final
``Answer``. Falling back from a model that fails to the offline answer is a composition of two
answerers, so the engine special-cases neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from rag.question import FRAME_WORDS
from rag.snapshot import Snapshot
from rag.text import terms
from rag.types import Answer, Audience, Citation, Hit, Turn, Verification

# Where to start, per reader: the chat's first suggestions, and what an off-topic question is offered.
STARTER_QUESTIONS = {
    Audience.WORKER: (
        "What is OEE?",
        "What should I do when an andon alert goes off?",
        "How do I work safely next to a cobot?",
        "Will automation take my job?",
    ),
    Audience.MANAGER: (
        "How do we plan a first 90-day pilot?",
        "How do I build the business case?",
        "Which KPIs should we track?",
        "How can a small manufacturer fund this?",
    ),
}
STARTER_QUESTIONS[Audience.ALL] = STARTER_QUESTIONS[Audience.WORKER]

# Below this cosine the nearest section is not about the question: suggesting it ("What do vibration alerts
# mean?" after a question on the weather) confuses more than it helps. Off-topic golden questions (weather,
# recipes, capitals, bolt torque) come to 0.11-0.24; near-domain ones the playbook cannot answer to 0.28-0.61.
RELATED_COSINE = 0.25
_PARENTHESES = re.compile(r"\s*\([^)]*\)")

FALLBACK_NOTICE = "The language model did not answer ({reason}), so this is the offline answer."
UNCHECKED_NOTICE = (
    "The language model's answer could not be checked against the playbook, so this is the playbook's own answer."
)


class UncheckedAnswer(Exception):
    """Too little of a language model's answer is backed by the passages it was given to show any of it."""


@dataclass(frozen=True)
class AnswerRequest:
    question: str  # as the person asked it, validated
    query: str  # what retrieval used: a follow-up carries the earlier question too
    audience: Audience
    hits: tuple[Hit, ...]
    snapshot: Snapshot  # the corpus the hits came from: one per question, never re-read
    history: tuple[Turn, ...] = ()
    is_followup: bool = False  # retrieval borrowed the earlier question's topic (``rag.query.resolve_followup``)


class Answerer(Protocol):
    name: str

    def stream(self, request: AnswerRequest) -> Iterator[str | Answer]:
        """Pieces of answer text as they are ready, then the final Answer."""
        ...


def final_answer(events: Iterator[str | Answer]) -> Answer:
    answer = None
    for event in events:
        if isinstance(event, Answer):
            answer = event
    if answer is None:
        raise RuntimeError("the answerer ended without an answer")
    return answer


def failure_reason(exc: Exception) -> str:
    """Why the model failed, in words a reader understands (clients name their errors differently)."""
    kinds = " ".join(t.__name__ for t in type(exc).__mro__)
    if "Timeout" in kinds:
        return "it took too long to reply"
    if "Connect" in kinds:
        return "it could not be reached"
    return f"it reported an error: {type(exc).__name__}"


class FallbackAnswerer:
    """The playbook's own answer decides, ``primary`` (a language model) writes, ``fallback`` stands in.

    The fallback (offline) answer comes first, as it is quick: when it abstains (nothing near enough, or
    the fact asked for is absent), the model is not asked. When the model fails, or too little of what it
    wrote is backed by the passages (``UncheckedAnswer``), the fallback answer is shown with a
    notice saying why. ``abstention_decides=False`` asks the model whatever the fallback says: only to
    measure a model as it is (``playbook-coach eval --unguarded``).
    """

    def __init__(self, primary: Answerer, fallback: Answerer, abstention_decides: bool = True) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name
        self.abstention_decides = abstention_decides

    def stream(self, request: AnswerRequest) -> Iterator[str | Answer]:
        own = final_answer(self.fallback.stream(request))
        if own.abstained and self.abstention_decides:
            yield own.text
            yield own
            return
        try:
            yield from self.primary.stream(request)
        except UncheckedAnswer:
            yield replace(own, notice=UNCHECKED_NOTICE)
        except Exception as exc:  # any client failure: unreachable, timeout, bad reply
            yield replace(own, notice=FALLBACK_NOTICE.format(reason=failure_reason(exc)))


def with_verification(answer: Answer, snapshot: Snapshot) -> Answer:
    """The answer with each citation of a trainer's verified answer marked so (who verified it, and when)."""
    if not snapshot.verified:
        return answer
    return replace(
        answer,
        citations=tuple(
            replace(c, verified=Verification(u.verified_by, u.verified_on))
            if (u := snapshot.verified.get(c.source))
            else c
            for c in answer.citations
        ),
    )


def citation_for(n: int, hits: Sequence[Hit], snippet: str) -> Citation:
    """Citation ``n`` of the passages read from one section (and page)."""
    chunk = hits[0].chunk
    return Citation(
        n=n,
        chunk_ids=tuple(hit.chunk.id for hit in hits),
        source=chunk.doc_path,
        title=chunk.title,
        section=chunk.section,
        page=chunk.page,
        snippet=snippet,
    )


def as_in_a_sentence(term: str) -> str:
    """A glossary term as it reads inside a sentence: "Emergency stop" is "emergency stop"; a name with other
    capitals stays as it is ("Tooling U-SME", "OEE", "ISA-95")."""
    return term[0].lower() + term[1:] if term[1:].islower() else term


def asked_of_term(term: str) -> str:
    """The question a glossary entry answers. A name reads "What is OEE?"; a common noun would need an article
    only some take ("What is a cobot?", "What is scrap?"), so it is asked what it means."""
    phrase = as_in_a_sentence(term)
    return f"What is {phrase}?" if phrase == term else f'What does "{phrase}" mean?'


def suggestions(hits: Sequence[Hit], limit: int = 3, asked: str = "") -> tuple[str, ...]:
    """Questions the playbook can answer, taken from the headings nearest to what was asked (none that
    only says ``asked`` again, none from a section unrelated to it)."""
    found: list[str] = []
    asked_terms = set(terms(asked))
    for hit in sorted(hits, key=lambda h: -(h.dense_score or 0.0)):
        if (hit.dense_score or 0.0) < RELATED_COSINE:
            break
        heading = hit.chunk.own_heading or hit.chunk.title
        if not heading or hit.chunk.topic == "glossary":
            heading = heading and asked_of_term(heading)
        elif not heading.endswith("?"):  # a passage before any heading is offered as its document
            heading = f'What does "{heading}" cover?' if heading == hit.chunk.title else f"{hit.chunk.title}: {heading}"
        if asked_terms and set(terms(_PARENTHESES.sub("", heading))) - FRAME_WORDS <= asked_terms:
            continue  # "What is OEE (Overall Equipment Effectiveness)?" after "What is OEE?"
        if heading and heading.casefold() not in {f.casefold() for f in found}:  # a glossary term and a heading
            found.append(heading)
        if len(found) == limit:
            break
    return tuple(found)


def abstention_suggestions(hits: Sequence[Hit], audience: Audience) -> tuple[str, ...]:
    """What to offer instead of an answer: the nearest sections' questions, or where the reader can start
    when nothing in the playbook is near the question."""
    return suggestions(hits) or STARTER_QUESTIONS[audience][:3]
